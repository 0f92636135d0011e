/*
 * cmd_demo.c - 'ctis demo': fill the store with the deterministic
 * synthetic data set (ops_demo writes every record through ops/).
 */
#include <getopt.h>

#include "cli.h"

/* Parse --seed, generate, write each record through the store and print
 * the counts on stderr. */
int cmd_demo(struct cli_ctx *ctx, int argc, char **argv)
{
    long n[5] = {0, 0, 0, 0, 0};
    static const struct option opts[] = {
        {"seed", required_argument, NULL, 's'}, {NULL, 0, NULL, 0}};
    long seed = 1;
    int c;
    int rc;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == ':') {
            return cli_usage_error(ctx, "option '--seed' needs a value");
        }
        if (c != 's') {
            return cli_bad_option(ctx, argv[optind - 1]);
        }
        if (ctis_parse_long(optarg, 0, 2147483647L, &seed) != 0) {
            return cli_usage_error(ctx,
                                   "option '--seed' must be a whole number "
                                   "from 0 to 2147483647");
        }
    }
    if (optind < argc) {
        return cli_extra_argument(ctx, optind);
    }
    rc = ops_demo(&ctx->ops, (uint64_t)seed, n, &ctx->err);
    if (rc != 0) {
        if (rc > 0) {
            rc = CTIS_EINTERNAL;
        }
        return cli_fail(ctx, rc);
    }
    fprintf(stderr,
            "demo (seed %ld): %ld agencies, %ld cases, %ld criminal cases, "
            "%ld activities, %ld instruments\n",
            seed, n[IO_REC_AGENCY], n[IO_REC_CASE], n[IO_REC_CRIMINAL_CASE],
            n[IO_REC_ACTIVITY], n[IO_REC_INSTRUMENT]);
    return CLI_EXIT_OK;
}
