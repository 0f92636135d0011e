/*
 * cmd_export.c - 'ctis export': the store as JSON Lines or CSV, to stdout
 * or atomically to a file (written beside it, renamed when complete).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "io/io.h"

/* Options, then one pass over the store. */
int cmd_export(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"public", no_argument, NULL, 'p'},
        {NULL, 0, NULL, 0}};
    const char *output = NULL;
    int format = IO_FORMAT_JSONL;
    int public_only = 0;
    struct ctis_atomic_file af;
    FILE *out = stdout;
    int c;
    int rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "jsonl") == 0) {
                format = IO_FORMAT_JSONL;
            } else if (strcmp(optarg, "csv") == 0) {
                format = IO_FORMAT_CSV;
            } else {
                return cli_usage_error(ctx, "--format must be jsonl or csv");
            }
            break;
        case 'o':
            output = optarg;
            break;
        case 'p':
            public_only = 1;
            break;
        default:
            return cli_usage_error(ctx, "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
    }
    if (output != NULL) {
        rc = ctis_atomic_open(&af, output, &ctx->err);
        if (rc != 0) {
            return cli_fail(ctx, rc);
        }
        out = af.f;
    }
    rc = io_export(ctx->store, out, format, public_only, &ctx->err);
    if (output != NULL) {
        if (rc == 0) {
            rc = ctis_atomic_commit(&af, &ctx->err);
        } else {
            ctis_atomic_abort(&af);
        }
    }
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}
