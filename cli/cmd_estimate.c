/*
 * cmd_estimate.c - 'ctis estimate': the options of a multiple systems
 * estimation (docs/mse.md); ops_estimate (ops/estimate.c) reads,
 * estimates and prints.
 */
#include <string.h>

#include "cli.h"
#include "ops/ops.h"

#define est_args ops_estimate_args

static int parse_choice(const char *v, const char *const *names, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        if (strcmp(v, names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

static int parse_args(struct cli_ctx *ctx, int argc, char **argv,
                      struct est_args *a)
{
    static const char *const methods[] = {"stepwise", "aic", "bic", "main",
                                          "all"};
    static const char *const cis[] = {"normal", "profile", "bootstrap", "bca"};
    int i;

    memset(a, 0, sizeof *a);
    mse_options_init(&a->o);
    for (i = 1; i < argc; i++) {
        const char *opt = argv[i];
        const char *v;
        const char *eq = strchr(opt, '=');
        char name[32];

        if (strncmp(opt, "--", 2) != 0) {
            return cli_usage_error(ctx, "unexpected argument '%s'", opt);
        }
        if (strcmp(opt, "--compare") == 0) {
            a->compare = 1;
            continue;
        }
        if (eq != NULL) {
            size_t len = (size_t)(eq - opt);

            if (len >= sizeof name) {
                return cli_usage_error(ctx, "unknown option '%s'", opt);
            }
            memcpy(name, opt, len);
            name[len] = '\0';
            v = eq + 1;
        } else {
            ctis_strlcpy(name, opt, sizeof name);
            if (i + 1 >= argc) {
                return cli_usage_error(ctx, "option '%s' needs a value", opt);
            }
            v = argv[++i];
        }
        if (strcmp(name, "--input") == 0) {
            a->input = v;
        } else if (strcmp(name, "--method") == 0) {
            a->o.method = parse_choice(v, methods, 5);
            if (a->o.method < 0) {
                return cli_usage_error(ctx, "unknown method '%s'", v);
            }
        } else if (strcmp(name, "--criterion") == 0) {
            static const char *const crits[] = {"poisson", "lr"};

            a->o.criterion = parse_choice(v, crits, 2);
            if (a->o.criterion < 0) {
                return cli_usage_error(ctx, "unknown criterion '%s'", v);
            }
        } else if (strcmp(name, "--model") == 0) {
            a->model = v;
        } else if (strcmp(name, "--ci") == 0) {
            a->o.ci = parse_choice(v, cis, 4);
            if (a->o.ci < 0) {
                return cli_usage_error(ctx, "unknown interval '%s'", v);
            }
        } else if (strcmp(name, "--pthresh") == 0) {
            if (ctis_parse_double(v, &a->o.pthresh) != 0 ||
                !(a->o.pthresh >= 0 && a->o.pthresh <= 1)) {
                return cli_usage_error(ctx,
                                       "--pthresh: '%s' is not a "
                                       "probability in [0, 1]",
                                       v);
            }
        } else if (strcmp(name, "--level") == 0) {
            if (ctis_parse_double(v, &a->o.level) != 0 ||
                !(a->o.level > 0 && a->o.level < 1)) {
                return cli_usage_error(ctx,
                                       "--level: '%s' is not in "
                                       "(0, 1)",
                                       v);
            }
        } else if (strcmp(name, "--nboot") == 0) {
            long n;

            if (ctis_parse_long(v, 2, 1000000, &n) != 0) {
                return cli_usage_error(ctx,
                                       "--nboot: '%s' is not a number "
                                       "from 2 to 1000000",
                                       v);
            }
            a->o.nboot = (int)n;
        } else if (strcmp(name, "--seed") == 0) {
            long n;

            if (ctis_parse_long(v, 0, 2147483647L, &n) != 0) {
                return cli_usage_error(ctx,
                                       "--seed: '%s' is not a whole "
                                       "number >= 0",
                                       v);
            }
            a->o.seed = (uint64_t)n;
        } else if (strcmp(name, "--strata") == 0) {
            a->strata = v;
        } else if (strcmp(name, "--format") == 0) {
            if (strcmp(v, "json") == 0) {
                a->json = 1;
            } else if (strcmp(v, "text") != 0) {
                return cli_usage_error(ctx, "unknown format '%s'", v);
            }
        } else {
            return cli_usage_error(ctx, "unknown option '%s'", opt);
        }
    }
    if (a->input == NULL) {
        return cli_usage_error(ctx, "--input is required");
    }
    return 0;
}

/* Parse, then the operation. */
int cmd_estimate(struct cli_ctx *ctx, int argc, char **argv)
{
    struct est_args a;
    int bad_model = 0;
    int rc = parse_args(ctx, argc, argv, &a);

    if (rc != 0) {
        return rc;
    }
    rc = ops_estimate(&ctx->ops, &a, ctx->out, &bad_model, &ctx->err);
    if (bad_model) {
        return cli_usage_error(ctx, "--model: %s", ctx->err.msg);
    }
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}
