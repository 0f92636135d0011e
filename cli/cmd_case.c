/*
 * cmd_case.c - 'ctis case list|show|add|event': a case worker's view of
 * cases. The dispatcher opened the store and began the transaction.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "io/io.h"

static int print_row(void *ctx, const struct model_case *c)
{
    struct cli_ctx *cli = ctx;
    char ident[11] = "-";
    int d = model_case_first_date(c, MODEL_EV_IDENTIFICATION);

    if (d != 0) {
        ctis_date_format(d, ident);
    }
    fprintf(cli->out, "%-16s %-12s %-16s %-18s %s\n", c->id, c->agency,
            model_code_name(model_case_status_codes, c->status),
            model_case_stage(c), ident);
    return 0;
}

static int case_list(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"agency", required_argument, NULL, 'a'},
        {"status", required_argument, NULL, 's'},
        {"limit", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0}};
    struct store_case_filter f = {NULL, -1, 0};
    int c;
    int rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'a') {
            f.agency = optarg;
        } else if (c == 's') {
            f.status = model_code_parse(model_case_status_codes, optarg);
            if (f.status < 0) {
                return cli_usage_error(ctx, "--status must be open, "
                                       "follow_up, closed or "
                                       "closed_referred");
            }
        } else if (c == 'l') {
            if (ctis_parse_long(optarg, 1, 1000000000L, &f.limit) != 0) {
                return cli_usage_error(ctx, "--limit must be a positive "
                                       "whole number");
            }
        } else {
            return cli_usage_error(ctx, "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
    }
    fprintf(ctx->out, "%-16s %-12s %-16s %-18s %s\n", "ID", "AGENCY",
            "STATUS", "STAGE", "IDENTIFIED");
    rc = store_each_case(ctx->store, &f, print_row, ctx, &ctx->err);
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}

static int case_show(struct cli_ctx *ctx, int argc, char **argv)
{
    struct model_case c;
    struct io_record rec;
    struct ctis_buf b;
    int rc;

    if (argc != 2) {
        return cli_usage_error(ctx, "usage: case show ID");
    }
    model_case_init(&c);
    rc = store_get_case(ctx->store, argv[1], &c, &ctx->err);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    ctis_buf_init(&b);
    memset(&rec, 0, sizeof rec);
    rec.type = IO_REC_CASE;
    rec.u.kase = c;
    rc = io_jsonl_write(&b, &rec, 0);
    if (rc == 0) {
        fprintf(ctx->out, "stage: %s\n%s", model_case_stage(&c), b.data);
    }
    ctis_buf_release(&b);
    model_case_release(&c);
    if (rc != 0) {
        ctis_err_set(&ctx->err, rc, "out of memory");
        return cli_fail(ctx, rc);
    }
    return CLI_EXIT_OK;
}

static int case_add(struct cli_ctx *ctx, int argc, char **argv)
{
    struct io_import_opts opts;
    struct io_import_stats stats;
    int rc;

    if (argc != 2) {
        return cli_usage_error(ctx, "usage: case add FILE|-");
    }
    memset(&opts, 0, sizeof opts);
    memset(&stats, 0, sizeof stats);
    opts.format = IO_FORMAT_JSONL;
    opts.progress = -1;
    rc = io_import(ctx->store, argv[1], &opts, &stats, &ctx->err);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    fprintf(stderr, "ctis: %ld record(s) added or replaced\n",
            stats.imported);
    return CLI_EXIT_OK;
}

/* key=value arguments of 'case event' into the event. */
static int event_option(struct cli_ctx *ctx, struct model_event *e,
                        const char *arg)
{
    const char *eq = strchr(arg, '=');
    const char *v;
    int x;

    if (eq == NULL) {
        return cli_usage_error(ctx, "'%s' is not key=value", arg);
    }
    v = eq + 1;
    if (strncmp(arg, "from_country=", 13) == 0 && strlen(v) == 2) {
        memcpy(e->from_country, v, 3);
    } else if (strncmp(arg, "to_country=", 11) == 0 && strlen(v) == 2) {
        memcpy(e->to_country, v, 3);
    } else if (strncmp(arg, "official=", 9) == 0 &&
               (strcmp(v, "true") == 0 || strcmp(v, "false") == 0)) {
        e->official = strcmp(v, "true") == 0;
    } else if (strncmp(arg, "service=", 8) == 0 &&
               (x = model_code_parse(model_service_codes, v)) > 0) {
        e->service = x;
    } else if (strncmp(arg, "to=", 3) == 0 &&
               (x = model_code_parse(model_referral_codes, v)) > 0) {
        e->referral = x;
    } else {
        return cli_usage_error(ctx, "bad event option '%.*s': keys are "
                               "from_country, to_country, official, "
                               "service, to", (int)(eq - arg), arg);
    }
    return 0;
}

static int case_event(struct cli_ctx *ctx, int argc, char **argv)
{
    struct model_event e;
    struct model_case c;
    struct model_problems problems;
    int i;
    int rc;

    if (argc < 4) {
        return cli_usage_error(ctx, "usage: case event ID TYPE DATE "
                               "[key=value...]");
    }
    memset(&e, 0, sizeof e);
    e.type = model_code_parse(model_event_type_codes, argv[2]);
    if (e.type < 0) {
        return cli_usage_error(ctx, "'%s' is not an event type", argv[2]);
    }
    if (ctis_date_parse(argv[3], &e.date) != 0) {
        return cli_usage_error(ctx, "DATE must be YYYY-MM-DD");
    }
    for (i = 4; i < argc; i++) {
        if (event_option(ctx, &e, argv[i]) != 0) {
            return CLI_EXIT_USAGE;
        }
    }
    model_case_init(&c);
    rc = store_get_case(ctx->store, argv[1], &c, &ctx->err);
    if (rc == 0) {
        rc = model_case_add_event(&c, &e);
    }
    if (rc == 0) {
        model_problems_clear(&problems);
        if (model_case_validate(&c, &problems) > 0) {
            for (i = 0; i < problems.n; i++) {
                fprintf(stderr, "ctis: case '%s': field '%s': %s\n", c.id,
                        problems.items[i].path, problems.items[i].msg);
            }
            model_case_release(&c);
            return CLI_EXIT_INVALID;
        }
        rc = store_add_event(ctx->store, argv[1], &e, &ctx->err);
    }
    model_case_release(&c);
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}

/* Dispatch the subcommand. */
int cmd_case(struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) {
        return cli_usage_error(ctx, "which: list, show, add or event?");
    }
    if (strcmp(argv[1], "list") == 0) {
        return case_list(ctx, argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "show") == 0) {
        return case_show(ctx, argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "add") == 0) {
        return case_add(ctx, argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "event") == 0) {
        return case_event(ctx, argc - 1, argv + 1);
    }
    return cli_usage_error(ctx, "unknown subcommand '%s'", argv[1]);
}
