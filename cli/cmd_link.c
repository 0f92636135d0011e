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
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "link/link.h"
#include "ops/ops.h"

#define MAX_INPUTS OPS_LINK_MAX_INPUTS

static int parse_map(struct cli_ctx *ctx, struct ops_link_args *o, const char *spec)
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

/* A whole number from lo to hi for option name into *out. */
static int parse_count(struct cli_ctx *ctx, const char *name, const char *v,
                       long lo, long hi, long *out)
{
    if (ctis_parse_long(v, lo, hi, out) != 0) {
        return cli_usage_error(ctx, "%s wants a whole number from %ld to %ld",
                               name, lo, hi);
    }
    return CLI_EXIT_OK;
}

/* One option with its value v into o. */
static int take_opt(struct cli_ctx *ctx, struct ops_link_args *o, int c,
                    const char *name, const char *v)
{
    long n = 0;
    int rc = CLI_EXIT_OK;

    switch (c) {
    case 'i':
        if (o->n_inputs == MAX_INPUTS) {
            return cli_usage_error(ctx, "at most %d inputs", MAX_INPUTS);
        }
        o->inputs[o->n_inputs++] = v;
        break;
    case 'o':
        o->output = v;
        break;
    case 'O':
        o->overlap = v;
        break;
    case 'r':
        o->review = v;
        break;
    case 'd':
        o->decisions = v;
        break;
    case 'k':
        o->secret = v;
        break;
    case 'l':
        o->list = v;
        break;
    case 't':
        o->truth_col = v;
        break;
    case 'm':
        rc = parse_map(ctx, o, v);
        break;
    case 'a':
        rc = parse_prob(ctx, name, v, &o->lo.accept_prob);
        break;
    case 'L':
        rc = parse_prob(ctx, name, v, &o->lo.review_low);
        break;
    case 'H':
        rc = parse_prob(ctx, name, v, &o->lo.review_high);
        break;
    case 's':
        if (ctis_parse_double(v, &o->lo.strong_weight) != 0) {
            rc = cli_usage_error(ctx, "--strong wants a number of bits");
        }
        break;
    case 'w':
        rc = parse_count(ctx, name, v, 1, 100000, &n);
        o->lo.block_window = n;
        break;
    case 'c':
        rc = parse_count(ctx, name, v, 2, 1000000, &n);
        o->lo.block_cap = n;
        break;
    case 'x':
        rc = parse_count(ctx, name, v, 0, 1000000, &n);
        if (rc == CLI_EXIT_OK && n == 1) {
            rc = cli_usage_error(ctx, "--overlap-lists: 0, or 2 or more");
        }
        o->overlap_lists = (size_t)n;
        break;
    case 'T':
        rc = parse_count(ctx, name, v, 1, 2, &n);
        o->lo.threads = (int)n;
        break;
    default: /* 'S' */
        rc = parse_count(ctx, name, v, 0, 2147483647L, &n);
        o->lo.seed = (uint64_t)n;
        break;
    }
    return rc;
}

/* getopt_long over argv (argv[0] the command or subcommand); sub 2
 * (explain) takes two records LIST:ID as operands. */
static int parse_opts(struct cli_ctx *ctx, struct ops_link_args *o, int argc,
                      char **argv, int sub)
{
    static const struct option opts[] = {
        {"from-db", no_argument, NULL, 'D'},
        {"save", no_argument, NULL, 'V'},
        {"progress", no_argument, NULL, 'P'},
        {"no-progress", no_argument, NULL, 'N'},
        {"input", required_argument, NULL, 'i'},
        {"output", required_argument, NULL, 'o'},
        {"overlap", required_argument, NULL, 'O'},
        {"overlap-lists", required_argument, NULL, 'x'},
        {"review", required_argument, NULL, 'r'},
        {"decisions", required_argument, NULL, 'd'},
        {"secret-file", required_argument, NULL, 'k'},
        {"list", required_argument, NULL, 'l'},
        {"truth-column", required_argument, NULL, 't'},
        {"map", required_argument, NULL, 'm'},
        {"accept", required_argument, NULL, 'a'},
        {"review-low", required_argument, NULL, 'L'},
        {"review-high", required_argument, NULL, 'H'},
        {"strong", required_argument, NULL, 's'},
        {"block-window", required_argument, NULL, 'w'},
        {"block-cap", required_argument, NULL, 'c'},
        {"threads", required_argument, NULL, 'T'},
        {"seed", required_argument, NULL, 'S'},
        {NULL, 0, NULL, 0}};
    int rc = CLI_EXIT_OK;
    int i;
    int c;
    int at = 0;

    memset(o, 0, sizeof *o);
    for (i = 0; i < LINK_F_COUNT; i++) {
        o->map[i] = -1;
    }
    link_options_init(&o->lo);
    o->overlap_lists = MSE_MAX_LISTS;
    optind = 1;
    opterr = 0;
    while (rc == CLI_EXIT_OK &&
           (c = getopt_long(argc, argv, ":", opts, &at)) != -1) {
        switch (c) {
        case 'D':
            o->from_db = 1;
            break;
        case 'V':
            o->save = 1;
            break;
        case 'P':
            o->lo.progress = 1;
            break;
        case 'N':
            o->lo.progress = -1;
            break;
        case ':':
            rc = cli_usage_error(ctx, "option '%s' needs a value",
                                 argv[optind - 1]);
            break;
        case '?':
            rc = cli_bad_option(ctx, argv[optind - 1]);
            break;
        default: {
            char name[32];

            snprintf(name, sizeof name, "--%s", opts[at].name);
            rc = take_opt(ctx, o, c, name, optarg);
            break;
        }
        }
    }
    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    for (i = 0; optind < argc; optind++, i++) {
        if (sub != 2 || i >= 2) {
            return cli_extra_argument(ctx, optind);
        }
        o->pair[i] = argv[optind];
    }
    return CLI_EXIT_OK;
}

/* Dispatch on the subcommand. */
int cmd_link(struct cli_ctx *ctx, int argc, char **argv)
{
    struct ops_link_args o;
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
