/*
 * cmd_import.c - 'ctis import': files into the store in one transaction
 * (the dispatcher's), all or nothing unless --skip-invalid.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "io/io.h"

static int parse_format(const char *s, int *out)
{
    *out = io_format_parse(s);
    return *out < 0 || *out == IO_FORMAT_XLSX ? -1 : 0;
}

static void print_summary(const char *path, const struct io_import_stats *s)
{
    fprintf(stderr,
            "ctis: %s: %ld record(s) imported (%ld agencies, %ld cases, "
            "%ld criminal cases, %ld activities, %ld instruments)",
            path, s->imported, s->by_type[IO_REC_AGENCY],
            s->by_type[IO_REC_CASE], s->by_type[IO_REC_CRIMINAL_CASE],
            s->by_type[IO_REC_ACTIVITY], s->by_type[IO_REC_INSTRUMENT]);
    if (s->rejected > 0) {
        fprintf(stderr, ", %ld line(s) rejected", s->rejected);
    }
    fputc('\n', stderr);
}

/* Options, then each file in turn. */
int cmd_import(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"skip-invalid", required_argument, NULL, 's'},
        {"progress", no_argument, NULL, 'p'},
        {"no-progress", no_argument, NULL, 'n'},
        {"agency", required_argument, NULL, 'a'},
        {"id-prefix", required_argument, NULL, 'i'},
        {NULL, 0, NULL, 0}};
    struct io_import_opts opts;
    const char *rejects_path = NULL;
    struct ctis_atomic_file rejects;
    int c;
    int i;
    int rc = 0;

    memset(&opts, 0, sizeof opts);
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (parse_format(optarg, &opts.format) != 0) {
                return cli_usage_error(ctx, "--format must be jsonl, csv, "
                                            "ctdc, htcds or htcds-csv");
            }
            break;
        case 's':
            rejects_path = optarg;
            break;
        case 'p':
            opts.progress = 1;
            break;
        case 'n':
            opts.progress = -1;
            break;
        case 'a':
            opts.agency = optarg;
            break;
        case 'i':
            opts.id_prefix = optarg;
            break;
        default:
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        return cli_usage_error(ctx, "no file to import");
    }
    if (rejects_path != NULL) {
        rc = cli_output_check(ctx, rejects_path,
                              (const char *const *)argv + optind,
                              (size_t)(argc - optind));
        if (rc == 0) {
            rc = ctis_atomic_open(&rejects, rejects_path, &ctx->err);
        }
        if (rc != 0) {
            return cli_fail(ctx, rc);
        }
        opts.rejects = rejects.f;
    }
    for (i = optind; i < argc && rc == 0; i++) {
        struct io_import_stats stats;

        memset(&stats, 0, sizeof stats);
        rc = ops_import(&ctx->ops, argv[i], &opts, &stats, &ctx->err);
        if (rc == 0) {
            print_summary(argv[i], &stats);
        }
    }
    if (rejects_path != NULL) {
        if (rc == 0) {
            rc = ctis_atomic_commit(&rejects, &ctx->err);
        } else {
            ctis_atomic_abort(&rejects);
        }
    }
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}
