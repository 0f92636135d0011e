/*
 * cmd_export.c - 'ctis export': the store as JSON Lines, CSV, CTDC, HTCDS
 * or XLSX, to stdout or atomically to a file (written beside it, renamed
 * when complete). A --public export prints what disclosure control did.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "io/io.h"
#include "stats/stats.h"

static void print_disclosure(const struct io_export_stats *s)
{
    int j;

    fprintf(stderr, "ctis: k-anonymity with k = %ld over", s->k);
    for (j = 0; j < s->n_qi; j++) {
        fprintf(stderr, "%s %s (%s)", j > 0 ? "," : "", s->qi_names[j],
                s->qi_levels[j]);
    }
    fprintf(stderr,
            "\nctis: %ld row(s) written of %ld; %ld value(s) in %ld row(s) "
            "generalised; %ld value(s) in %ld row(s) suppressed (%.2f%% of "
            "%ld quasi-identifier values; %ld more were unknown); %ld "
            "row(s) dropped\n",
            s->rows_written, s->rows, s->values_generalised,
            s->rows_generalised, s->values_suppressed, s->rows_suppressed,
            s->qi_values > 0
                ? 100.0 * (double)s->values_suppressed / (double)s->qi_values
                : 0.0,
            s->qi_values, s->values_missing, s->rows_dropped);
}

/* Options, then one pass over the store. */
int cmd_export(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"public", no_argument, NULL, 'p'},
        {"k", required_argument, NULL, 'k'},
        {NULL, 0, NULL, 0}};
    const char *output = NULL;
    struct io_export_opts o;
    struct io_export_stats stats;
    struct ctis_atomic_file af;
    FILE *out = stdout;
    int c;
    int rc;

    memset(&o, 0, sizeof o);
    memset(&stats, 0, sizeof stats);
    o.format = IO_FORMAT_JSONL;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            o.format = io_format_parse(optarg);
            if (o.format < 0) {
                return cli_usage_error(ctx, "--format must be jsonl, csv, "
                                            "ctdc, htcds, htcds-csv or xlsx");
            }
            break;
        case 'o':
            output = optarg;
            break;
        case 'p':
            o.public_only = 1;
            break;
        case 'k':
            if (ctis_parse_long(optarg, 2, 1000000, &o.k) != 0) {
                return cli_usage_error(ctx, "--k must be a whole number "
                                            "from 2 to 1000000");
            }
            break;
        default:
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return cli_extra_argument(ctx, optind);
    }
    /* identities need the key; a public or CTDC export reads none */
    rc = o.public_only || o.format == IO_FORMAT_CTDC
             ? 0
             : cli_unlock(ctx, ctx->store, 1, 0);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    if (o.k > 0 && !o.public_only) {
        return cli_usage_error(ctx, "--k goes with --public");
    }
    if (o.public_only &&
        stats_k_for(1, o.k > 0 ? o.k : -1, &o.k, &ctx->err) != 0) {
        return cli_usage_error(ctx, "%s", ctx->err.msg);
    }
    if (o.format == IO_FORMAT_XLSX) {
        if (output == NULL) {
            return cli_usage_error(ctx, "an xlsx export needs --output FILE");
        }
        o.path = output;
        output = NULL;
        out = NULL;
    }
    if (output != NULL) {
        rc = cli_output_check(ctx, output, NULL, 0);
        if (rc == 0) {
            rc = ctis_atomic_open(&af, output, &ctx->err);
        }
        if (rc != 0) {
            return cli_fail(ctx, rc);
        }
        out = af.f;
    }
    rc = ops_export(&ctx->ops, out, &o, &stats, &ctx->err);
    if (output != NULL) {
        if (rc == 0) {
            rc = ctis_atomic_commit(&af, &ctx->err);
        } else {
            ctis_atomic_abort(&af);
        }
    }
    if (rc == 0 && o.public_only) {
        print_disclosure(&stats);
    }
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}
