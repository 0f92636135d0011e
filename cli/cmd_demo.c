/*
 * cmd_demo.c - 'ctis demo': fill the store with the deterministic
 * synthetic data set (ops_demo writes every record through ops/).
 */
#include <string.h>

#include "cli.h"

/* Parse --seed, generate, write each record through the store and print
 * the counts on stderr. */
int cmd_demo(struct cli_ctx *ctx, int argc, char **argv)
{
    long n[5] = {0, 0, 0, 0, 0};
    long seed = 1;
    int i;
    int rc;

    for (i = 1; i < argc; i++) {
        const char *v = NULL;

        if (strcmp(argv[i], "--seed") == 0) {
            if (i + 1 >= argc) {
                return cli_usage_error(ctx, "option '--seed' needs a value");
            }
            v = argv[++i];
        } else if (strncmp(argv[i], "--seed=", 7) == 0) {
            v = argv[i] + 7;
        } else {
            return cli_usage_error(ctx, "unknown argument '%s'", argv[i]);
        }
        if (ctis_parse_long(v, 0, 2147483647L, &seed) != 0) {
            return cli_usage_error(ctx,
                                   "option '--seed' must be a whole number "
                                   "from 0 to 2147483647");
        }
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
