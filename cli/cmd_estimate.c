/*
 * cmd_estimate.c - 'ctis estimate': the options of a multiple systems
 * estimation (docs/mse.md); ops_estimate (ops/estimate.c) reads,
 * estimates and prints.
 */
#include <getopt.h>
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

/* The value of --method, --criterion, --ci or --format, or a usage
 * error naming what is unknown. */
static int choice(struct cli_ctx *ctx, const char *what, const char *v,
                  const char *const *names, int n, int *out)
{
    *out = parse_choice(v, names, n);
    if (*out < 0) {
        return cli_usage_error(ctx, "unknown %s '%s'", what, v);
    }
    return 0;
}

/* getopt_long over the options of cli.c's usage text for 'estimate'. */
static int parse_args(struct cli_ctx *ctx, int argc, char **argv,
                      struct est_args *a)
{
    static const char *const methods[] = {"stepwise", "aic", "bic", "main",
                                          "all"};
    static const char *const crits[] = {"poisson", "lr"};
    static const char *const cis[] = {"normal", "profile", "bootstrap", "bca"};
    static const char *const formats[] = {"text", "json"};
    static const struct option opts[] = {
        {"input", required_argument, NULL, 'i'},
        {"method", required_argument, NULL, 'm'},
        {"criterion", required_argument, NULL, 'c'},
        {"model", required_argument, NULL, 'M'},
        {"ci", required_argument, NULL, 'I'},
        {"pthresh", required_argument, NULL, 'p'},
        {"level", required_argument, NULL, 'l'},
        {"nboot", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"strata", required_argument, NULL, 'S'},
        {"format", required_argument, NULL, 'f'},
        {"compare", no_argument, NULL, 'C'},
        {NULL, 0, NULL, 0}};
    long n = 0;
    int c;
    int rc = 0;

    memset(a, 0, sizeof *a);
    mse_options_init(&a->o);
    optind = 1;
    opterr = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'i':
            a->input = optarg;
            break;
        case 'm':
            rc = choice(ctx, "method", optarg, methods, 5, &a->o.method);
            break;
        case 'c':
            rc = choice(ctx, "criterion", optarg, crits, 2, &a->o.criterion);
            break;
        case 'M':
            a->model = optarg;
            break;
        case 'I':
            rc = choice(ctx, "interval", optarg, cis, 4, &a->o.ci);
            break;
        case 'p':
            if (ctis_parse_double(optarg, &a->o.pthresh) != 0 ||
                !(a->o.pthresh >= 0 && a->o.pthresh <= 1)) {
                rc = cli_usage_error(ctx,
                                     "--pthresh: '%s' is not a probability "
                                     "in [0, 1]",
                                     optarg);
            }
            break;
        case 'l':
            if (ctis_parse_double(optarg, &a->o.level) != 0 ||
                !(a->o.level > 0 && a->o.level < 1)) {
                rc = cli_usage_error(ctx, "--level: '%s' is not in (0, 1)",
                                     optarg);
            }
            break;
        case 'n':
            if (ctis_parse_long(optarg, 2, 1000000, &n) != 0) {
                rc = cli_usage_error(ctx,
                                     "--nboot: '%s' is not a number from 2 "
                                     "to 1000000",
                                     optarg);
            } else {
                a->o.nboot = (int)n;
            }
            break;
        case 's':
            if (ctis_parse_long(optarg, 0, 2147483647L, &n) != 0) {
                rc = cli_usage_error(ctx,
                                     "--seed: '%s' is not a whole number "
                                     ">= 0",
                                     optarg);
            } else {
                a->o.seed = (uint64_t)n;
            }
            break;
        case 'S':
            a->strata = optarg;
            break;
        case 'f':
            rc = choice(ctx, "format", optarg, formats, 2, &a->json);
            break;
        case 'C':
            a->compare = 1;
            break;
        case ':':
            rc = cli_usage_error(ctx, "option '%s' needs a value",
                                 argv[optind - 1]);
            break;
        default:
            rc = cli_bad_option(ctx, argv[optind - 1]);
            break;
        }
    }
    if (rc != 0) {
        return rc;
    }
    if (optind < argc) {
        return cli_extra_argument(ctx, optind);
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
