/*
 * cmd_report.c - 'ctis report': the country datasheet computed from the
 * records now, as JSON, Markdown or HTML, to stdout or atomically to a
 * file (written beside it, renamed when complete).
 *
 * --k N applies disclosure control with threshold N (docs/datasheet.md):
 * the default 0 is the internal report, which reproduces the seed's
 * figures exactly; --public is --k 5: cells below 5 suppressed, and the
 * cells that would give them away through totals.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "report/report.h"

struct report_opts {
    long from;
    long to;
    long k;        /* -1 until --k is given */
    int public_out;
    int format;
    const char *output;
    struct report_doc_opts doc;
    int chart_given;
};

/* One option's value into o; 0 or the usage error's exit code. */
static int take_opt(struct cli_ctx *ctx, int c, const char *v,
                    struct report_opts *o)
{
    switch (c) {
    case 'f':
    case 't':
        if (ctis_parse_long(v, 1900, 2100, c == 'f' ? &o->from : &o->to) !=
            0) {
            return cli_usage_error(ctx,
                                   "option '%s' must be a year from 1900 to "
                                   "2100",
                                   c == 'f' ? "--from" : "--to");
        }
        return 0;
    case 'F':
        o->format = report_format_parse(v);
        if (o->format < 0) {
            return cli_usage_error(ctx, "option '--format' must be json, md, "
                                        "html, pdf, svg or xlsx");
        }
        return 0;
    case 'k':
        if (ctis_parse_long(v, 0, 1000000, &o->k) != 0) {
            return cli_usage_error(ctx, "option '--k' must be a whole number "
                                        "from 0 to 1000000");
        }
        return 0;
    case 'o':
        if (v[0] == '\0') {
            return cli_usage_error(ctx, "option '--output' needs a file name");
        }
        o->output = v;
        return 0;
    case 'l':
        if (strcmp(v, "en") != 0 && strcmp(v, "km") != 0) {
            return cli_usage_error(ctx, "option '--lang' must be en or km");
        }
        o->doc.km = strcmp(v, "km") == 0;
        return 0;
    default: /* 'c' */
        o->doc.chart = report_chart_parse(v);
        o->chart_given = 1;
        if (o->doc.chart < 0) {
            return cli_usage_error(ctx, "option '--chart' must be "
                                        "repatriations, cases_by_year or "
                                        "sex_age");
        }
        return 0;
    }
}

static int parse_opts(struct cli_ctx *ctx, int argc, char **argv,
                      struct report_opts *o)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'F'},
        {"k", required_argument, NULL, 'k'},
        {"output", required_argument, NULL, 'o'},
        {"lang", required_argument, NULL, 'l'},
        {"chart", required_argument, NULL, 'c'},
        {"public", no_argument, NULL, 'p'},
        {NULL, 0, NULL, 0}};
    int c;
    int rc = 0;

    optind = 1;
    opterr = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == 'p') {
            o->public_out = 1;
        } else if (c == ':') {
            rc = cli_usage_error(ctx, "option '%s' needs a value",
                                 argv[optind - 1]);
        } else if (c == '?') {
            rc = cli_bad_option(ctx, argv[optind - 1]);
        } else {
            rc = take_opt(ctx, c, optarg, o);
        }
    }
    if (rc != 0) {
        return rc;
    }
    if (optind < argc) {
        return cli_extra_argument(ctx, optind);
    }
    if (stats_k_for(o->public_out, o->k, &o->k, &ctx->err) != 0) {
        return cli_usage_error(ctx, "%s", ctx->err.msg);
    }
    if (o->format == REPORT_XLSX && o->output == NULL) {
        return cli_usage_error(ctx, "an xlsx report needs --output FILE");
    }
    if (o->from != 0 && o->to != 0 && o->from > o->to) {
        return cli_usage_error(ctx, "--from %ld is after --to %ld", o->from,
                               o->to);
    }
    return CLI_EXIT_OK;
}

/* --format svg --output FILE without --chart: every chart, each in
 * FILE with "-NAME" before its ".svg". */
static int write_charts(struct cli_ctx *ctx, const struct ops_report_opts *ro)
{
    static const char *const names[] = {"repatriations", "cases_by_year",
                                        "sex_age"};
    size_t n = strlen(ro->path);
    size_t stem = n > 4 && strcmp(ro->path + n - 4, ".svg") == 0 ? n - 4 : n;
    size_t i;
    int rc = 0;

    for (i = 0; i < sizeof names / sizeof names[0] && rc == 0; i++) {
        struct ops_report_opts one = *ro;
        struct ctis_buf out;
        char path[4096];

        if (snprintf(path, sizeof path, "%.*s-%s.svg", (int)stem, ro->path,
                     names[i]) >= (int)sizeof path) {
            return ctis_err_set(&ctx->err, CTIS_EINVAL, "output path is too "
                                                        "long");
        }
        one.chart = report_chart_parse(names[i]);
        ctis_buf_init(&out);
        rc = ops_report(&ctx->ops, &one, &out, &ctx->err);
        if (rc == 0) {
            rc = ctis_write_file(path, out.data, out.len, &ctx->err);
        }
        ctis_buf_release(&out);
    }
    return rc;
}

/* Options, gather from the store, render, write. */
int cmd_report(struct cli_ctx *ctx, int argc, char **argv)
{
    struct report_opts o = {0, 0, -1, 0, REPORT_JSON, NULL, {0, 0}, 0};
    struct ops_report_opts ro;
    struct ctis_buf out;
    int rc;

    rc = parse_opts(ctx, argc, argv, &o);
    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    if (o.output != NULL && cli_output_check(ctx, o.output, NULL, 0) != 0) {
        return cli_fail(ctx, ctx->err.code);
    }
    ro.from = (int)o.from;
    ro.to = (int)o.to;
    ro.k = (int)o.k;
    ro.format = o.format;
    ctis_buf_init(&out);
    ro.km = o.doc.km;
    ro.chart = o.doc.chart;
    ro.path = o.output;
    if (o.format == REPORT_SVG && o.output != NULL && !o.chart_given) {
        rc = write_charts(ctx, &ro);
        o.output = NULL; /* written */
    } else {
        rc = ops_report(&ctx->ops, &ro, &out, &ctx->err);
        if (o.format == REPORT_XLSX) {
            o.output = NULL; /* written by ops_report */
        }
    }
    if (rc == 0 && o.output != NULL) {
        rc = ctis_write_file(o.output, out.data, out.len, &ctx->err);
    } else if (rc == 0 && out.len > 0) {
        if (fwrite(out.data, 1, out.len, ctx->out) != out.len ||
            fflush(ctx->out) != 0) {
            rc = ctis_err_set(&ctx->err, CTIS_EFILE, "cannot write the "
                                                     "report");
        }
    }
    ctis_buf_release(&out);
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}
