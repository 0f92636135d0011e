/*
 * cmd_link.c - 'ctis link': the options of record linkage
 * (docs/linkage.md); ops_link, ops_link_encode and ops_link_explain do
 * the work.
 *
 *   ctis link --input A.csv --input B.csv ... --output clusters.csv
 *             [--overlap overlap.csv] [--review review.csv]
 *             [--decisions FILE] [--map std=column,...] [--from-db [--save]]
 *   ctis link encode --secret-file KEY --input A.csv --output A.clk
 *   ctis link explain LIST:ID LIST:ID --input ...
 *
 * --from-db opens the store: in a read transaction, or a write
 * transaction with --save.
 */
#include <string.h>

#include "cli.h"
#include "link/link.h"
#include "ops/ops.h"

#define opts ops_link_args
#define MAX_INPUTS OPS_LINK_MAX_INPUTS

static int parse_map(struct cli_ctx *ctx, struct opts *o, const char *spec)
{
    char buf[1024];
    char *p = buf;

    if (ctis_strlcpy(buf, spec, sizeof buf) >= sizeof buf) {
        return cli_usage_error(ctx, "--map is too long");
    }
    while (*p != '\0') {
        char *comma = strchr(p, ',');
        char *eq;
        int f;

        if (comma != NULL) {
            *comma = '\0';
        }
        eq = strchr(p, '=');
        if (eq == NULL) {
            return cli_usage_error(ctx, "--map wants std=column pairs");
        }
        *eq = '\0';
        f = link_field_parse(p);
        if (f < 0) {
            return cli_usage_error(ctx, "--map: unknown field '%s'", p);
        }
        if (ctis_strlcpy(o->map_cols[f], eq + 1, sizeof o->map_cols[f]) >=
            sizeof o->map_cols[f]) {
            return cli_usage_error(ctx, "--map: the column for '%s' is longer "
                                   "than %zu bytes", p,
                                   sizeof o->map_cols[f] - 1);
        }
        o->map[f] = f;
        if (comma == NULL) {
            break;
        }
        p = comma + 1;
    }
    return CLI_EXIT_OK;
}

static int parse_prob(struct cli_ctx *ctx, const char *name, const char *v,
                      double *out)
{
    if (ctis_parse_double(v, out) != 0 || *out <= 0 || *out >= 1) {
        return cli_usage_error(ctx, "%s wants a probability in (0, 1)",
                               name);
    }
    return CLI_EXIT_OK;
}

static int parse_opts(struct cli_ctx *ctx, struct opts *o, int argc,
                      char **argv, int sub)
{
    int i;
    int n_pos = 0;

    memset(o, 0, sizeof *o);
    for (i = 0; i < LINK_F_COUNT; i++) {
        o->map[i] = -1;
    }
    link_options_init(&o->lo);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int rc = CLI_EXIT_OK;
        long n;

        if (strcmp(a, "--from-db") == 0) {
            o->from_db = 1;
            continue;
        }
        if (strcmp(a, "--save") == 0) {
            o->save = 1;
            continue;
        }
        if (strcmp(a, "--progress") == 0) {
            o->lo.progress = 1;
            continue;
        }
        if (strcmp(a, "--no-progress") == 0) {
            o->lo.progress = -1;
            continue;
        }
        if (a[0] != '-' || a[1] != '-') {
            if (sub == 2 && n_pos < 2) {
                o->pair[n_pos++] = a;
                continue;
            }
            return cli_usage_error(ctx, "unexpected argument '%s'", a);
        }
        if (v == NULL) {
            return cli_usage_error(ctx, "option '%s' needs a value", a);
        }
        i++;
        if (strcmp(a, "--input") == 0) {
            if (o->n_inputs == MAX_INPUTS) {
                return cli_usage_error(ctx, "at most %d inputs", MAX_INPUTS);
            }
            o->inputs[o->n_inputs++] = v;
        } else if (strcmp(a, "--output") == 0) {
            o->output = v;
        } else if (strcmp(a, "--overlap") == 0) {
            o->overlap = v;
        } else if (strcmp(a, "--review") == 0) {
            o->review = v;
        } else if (strcmp(a, "--decisions") == 0) {
            o->decisions = v;
        } else if (strcmp(a, "--secret-file") == 0) {
            o->secret = v;
        } else if (strcmp(a, "--list") == 0) {
            o->list = v;
        } else if (strcmp(a, "--truth-column") == 0) {
            o->truth_col = v;
        } else if (strcmp(a, "--block-window") == 0) {
            if (ctis_parse_long(v, 1, 100000, &n) != 0) {
                rc = cli_usage_error(ctx, "--block-window wants 1..100000");
            }
            o->lo.block_window = n;
        } else if (strcmp(a, "--map") == 0) {
            rc = parse_map(ctx, o, v);
        } else if (strcmp(a, "--accept") == 0) {
            rc = parse_prob(ctx, a, v, &o->lo.accept_prob);
        } else if (strcmp(a, "--review-low") == 0) {
            rc = parse_prob(ctx, a, v, &o->lo.review_low);
        } else if (strcmp(a, "--review-high") == 0) {
            rc = parse_prob(ctx, a, v, &o->lo.review_high);
        } else if (strcmp(a, "--strong") == 0) {
            if (ctis_parse_double(v, &o->lo.strong_weight) != 0) {
                rc = cli_usage_error(ctx, "--strong wants a number of bits");
            }
        } else if (strcmp(a, "--block-cap") == 0) {
            if (ctis_parse_long(v, 2, 1000000, &n) != 0) {
                rc = cli_usage_error(ctx, "--block-cap wants 2..1000000");
            }
            o->lo.block_cap = n;
        } else if (strcmp(a, "--threads") == 0) {
            if (ctis_parse_long(v, 1, 2, &n) != 0) {
                rc = cli_usage_error(ctx, "--threads wants 1 or 2");
            }
            o->lo.threads = (int)n;
        } else if (strcmp(a, "--seed") == 0) {
            if (ctis_parse_long(v, 0, 2147483647L, &n) != 0) {
                rc = cli_usage_error(ctx, "--seed wants a whole number");
            }
            o->lo.seed = (uint64_t)n;
        } else {
            rc = cli_usage_error(ctx, "unknown option '%s'", a);
        }
        if (rc != CLI_EXIT_OK) {
            return rc;
        }
    }
    return CLI_EXIT_OK;
}

/* Dispatch on the subcommand. */
int cmd_link(struct cli_ctx *ctx, int argc, char **argv)
{
    struct opts o;
    int sub = 0;
    int rc;

    if (argc > 1 && strcmp(argv[1], "encode") == 0) {
        sub = 1;
    } else if (argc > 1 && strcmp(argv[1], "explain") == 0) {
        sub = 2;
    }
    rc = parse_opts(ctx, &o, argc - (sub != 0), argv + (sub != 0), sub);
    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    if (sub == 1) {
        if (o.secret == NULL || o.n_inputs != 1 || o.output == NULL) {
            return cli_usage_error(ctx, "encode wants --secret-file KEY, "
                                        "one --input and --output");
        }
        if (cli_output_check(ctx, o.output, NULL, 0) != 0) {
            return cli_fail(ctx, ctx->err.code);
        }
        rc = ops_link_encode(&ctx->ops, &o, &ctx->err);
        return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
    }
    if (sub == 2 && (o.pair[0] == NULL || o.pair[1] == NULL)) {
        return cli_usage_error(ctx, "explain wants two records LIST:ID");
    }
    if (o.n_inputs == 0 && !o.from_db) {
        return cli_usage_error(ctx, "give --input FILE (or --from-db)");
    }
    if (sub == 0 && o.output == NULL) {
        return cli_usage_error(ctx, "give --output FILE");
    }
    if (o.save && (sub != 0 || !o.from_db || o.n_inputs > 0)) {
        return cli_usage_error(ctx, "--save goes with --from-db alone");
    }
    if (o.truth_col != NULL && (sub != 0 || o.from_db)) {
        return cli_usage_error(ctx, "--truth-column goes with --input");
    }
    /* No output may be the database (ops_link checks the other inputs). */
    if ((o.output != NULL && cli_output_check(ctx, o.output, NULL, 0)) ||
        (o.overlap != NULL && cli_output_check(ctx, o.overlap, NULL, 0)) ||
        (o.review != NULL && cli_output_check(ctx, o.review, NULL, 0))) {
        return cli_fail(ctx, ctx->err.code);
    }
    if (o.from_db) {
        rc = cli_store_open(ctx, o.save);
        if (rc != CLI_EXIT_OK) {
            return rc;
        }
    }
    rc = sub == 2 ? ops_link_explain(&ctx->ops, &o, ctx->out, &ctx->err)
                  : ops_link(&ctx->ops, &o, &ctx->err);
    return cli_store_close(ctx, rc);
}
