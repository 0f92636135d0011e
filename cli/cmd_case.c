/*
 * cmd_case.c - the 'ctis case ...' and 'ctis referral ...' rows: parse
 * the arguments, call the ops/ function, print. The dispatcher opened
 * the store, began the transaction (read or write) and resolved the
 * caller (ctx->ops).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "io/io.h"

/* ---- shared parsing ---------------------------------------------------- */

static int parse_version(struct cli_ctx *ctx, const char *v, long *out)
{
    if (ctis_parse_long(v, 1, 2147483647L, out) != 0) {
        return cli_usage_error(ctx, "a version is a whole number from 1");
    }
    return CLI_EXIT_OK;
}

/* The commands whose one option is a version number (--version N or
 * --if-version N, named by opt): parse it into *out. */
static int version_option(struct cli_ctx *ctx, int argc, char **argv,
                          const char *opt, long *out)
{
    const struct option longopts[] = {{opt, required_argument, NULL, 'v'},
                                      {NULL, 0, NULL, 0}};
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'v') {
            return cli_bad_option(ctx, argv[optind - 1]);
        }
        if (parse_version(ctx, optarg, out) != CLI_EXIT_OK) {
            return CLI_EXIT_USAGE;
        }
    }
    return CLI_EXIT_OK;
}

/* Print each problem (field path and reason, never a value). */
static void print_problems(const char *id, const struct model_problems *p)
{
    int i;

    for (i = 0; i < p->n; i++) {
        fprintf(stderr, "ctis: case '%s': field '%s': %s\n", id,
                p->items[i].path, p->items[i].msg);
    }
}

/* ---- readers ----------------------------------------------------------- */

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

/* case list [--agency ID] [--status S] [--limit N] */
int cmd_case_list(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"agency", required_argument, NULL, 'a'},
        {"status", required_argument, NULL, 's'},
        {"limit", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0}};
    struct store_case_filter f = {NULL, -1, 0, 0, NULL, 0, 0, 1};
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
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return cli_extra_argument(ctx, optind);
    }
    fprintf(ctx->out, "%-16s %-12s %-16s %-18s %s\n", "ID", "AGENCY",
            "STATUS", "STAGE", "IDENTIFIED");
    rc = ops_case_list(&ctx->ops, &f, print_row, ctx, &ctx->err);
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}

/* case show ID [--version N] */
int cmd_case_show(struct cli_ctx *ctx, int argc, char **argv)
{
    struct model_case c;
    struct io_record rec;
    struct ctis_buf b;
    long want = 0;
    long version = 0;
    int rc = version_option(ctx, argc, argv, "version", &want);

    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    if (argc - optind != 1) {
        return cli_usage_error(ctx, "give one case id");
    }
    model_case_init(&c);
    rc = ops_case_get(&ctx->ops, argv[optind], want, &c, &version,
                      &ctx->err);
    if (rc != 0) {
        model_case_release(&c);
        return cli_fail(ctx, rc);
    }
    ctis_buf_init(&b);
    memset(&rec, 0, sizeof rec);
    rec.type = IO_REC_CASE;
    rec.u.kase = c;
    rc = io_jsonl_write(&b, &rec, 0);
    if (rc == 0) {
        fprintf(ctx->out, "version: %ld\nstage: %s\n%s", version,
                model_case_stage(&c), b.data);
    }
    ctis_buf_release(&b);
    model_case_release(&c);
    if (rc != 0) {
        ctis_err_set(&ctx->err, rc, "out of memory");
        return cli_fail(ctx, rc);
    }
    return CLI_EXIT_OK;
}

struct history_out {
    FILE *out;
    int rows;
};

/* One version; the header before the first, so a case that cannot be
 * read prints nothing but the error. */
static int print_version(void *ctx, const struct ops_history_entry *h)
{
    struct history_out *p = ctx;
    time_t t = (time_t)h->v->at;
    struct tm tm;
    char when[32];

    if (p->rows++ == 0) {
        fprintf(p->out, "%-4s %-20s %-12s %-16s %s\n", "VER", "AT (UTC)",
                "USER", "OPERATION", "CHANGED | NOTE");
    }
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(p->out, "%-4ld %s %-12s %-16s %s%s%s\n", h->v->version, when,
            h->v->actor[0] != '\0' ? h->v->actor : "-", h->v->op,
            h->changed, h->v->note[0] != '\0' ? " | " : "", h->v->note);
    return 0;
}

/* case history ID */
int cmd_case_history(struct cli_ctx *ctx, int argc, char **argv)
{
    struct history_out p;
    int rc;

    if (argc != 2 || argv[1][0] == '-') {
        return cli_usage_error(ctx, "give one case id");
    }
    p.out = ctx->out;
    p.rows = 0;
    rc = ops_case_history(&ctx->ops, argv[1], print_version, &p, &ctx->err);
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}

/* case find NAME [--born YEAR] [--province P] [--limit N] */
int cmd_case_find(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"born", required_argument, NULL, 'b'},
        {"province", required_argument, NULL, 'p'},
        {"limit", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0}};
    struct ops_find_hit hits[100];
    const char *province = NULL;
    long born = 0;
    long limit = 10;
    size_t n = 0;
    size_t i;
    int c;
    int rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'b') {
            if (ctis_parse_long(optarg, 1900, 2100, &born) != 0) {
                return cli_usage_error(ctx, "--born is a year 1900-2100");
            }
        } else if (c == 'p') {
            if (model_province_find(optarg) == NULL) {
                return cli_usage_error(ctx, "--province is a code KH-1 to "
                                            "KH-25");
            }
            province = optarg;
        } else if (c == 'l') {
            if (ctis_parse_long(optarg, 1, 100, &limit) != 0) {
                return cli_usage_error(ctx, "--limit is 1 to 100");
            }
        } else {
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (argc - optind != 1) {
        return cli_usage_error(ctx, "give the name as one argument");
    }
    rc = ops_case_find(&ctx->ops, argv[optind], (int)born, province, hits,
                       (size_t)limit, &n, &ctx->err);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    fprintf(ctx->out, "%-16s %-12s %s\n", "CASE", "AGENCY", "WEIGHT");
    for (i = 0; i < n; i++) {
        fprintf(ctx->out, "%-16s %-12s %.1f\n", hits[i].case_id,
                hits[i].agency, hits[i].weight);
    }
    return CLI_EXIT_OK;
}

/* ---- writers ----------------------------------------------------------- */

struct add_ctx {
    struct cli_ctx *cli;
    struct ops_write w;
    long added;
    int rc;
};

/* One line of the file: parse (io/), register (ops/), report. */
static int add_line(struct add_ctx *a, const char *path, long line,
                    const char *text, size_t len)
{
    struct io_record rec;
    struct model_problems problems;
    struct ops_duplicate dup;
    long version = 0;
    int rc;

    io_record_init(&rec);
    model_problems_clear(&problems);
    rc = io_jsonl_parse(text, len, &rec, &problems);
    if (rc == 0 && rec.type != IO_REC_CASE) {
        fprintf(stderr, "%s:%ld: 'case add' takes cases only\n", path, line);
        rc = CTIS_EINVAL;
    } else if (rc == CTIS_EINVAL) {
        int i;

        for (i = 0; i < problems.n; i++) {
            fprintf(stderr, "%s:%ld: field '%s': %s\n", path, line,
                    problems.items[i].path, problems.items[i].msg);
        }
    } else if (rc == 0) {
        rc = ops_case_add(&a->cli->ops, &rec.u.kase, &a->w, &version, &dup,
                          &problems, &a->cli->err);
        if (rc == CTIS_EINVAL) {
            print_problems(rec.u.kase.id, &problems);
        } else if (rc == 0) {
            a->added++;
            fprintf(a->cli->out, "%s version %ld\n", rec.u.kase.id,
                    version);
            if (dup.weight > 0) {
                fprintf(stderr,
                        "ctis: warning: case '%s': the person is likely "
                        "the person of case '%s' (match weight %.1f); see "
                        "'ctis case find'\n",
                        rec.u.kase.id, dup.case_id, dup.weight);
            }
        }
    } else {
        ctis_err_set(&a->cli->err, rc, "%s:%ld: out of memory", path, line);
    }
    io_record_release(&rec);
    return rc;
}

/* case add [--replace --if-version N] FILE|- */
int cmd_case_add(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"replace", no_argument, NULL, 'r'},
        {"if-version", required_argument, NULL, 'v'},
        {NULL, 0, NULL, 0}};
    struct add_ctx a;
    struct ctis_lines lines;
    FILE *f;
    const char *path;
    int c;
    int rc = 0;

    memset(&a, 0, sizeof a);
    a.cli = ctx;
    a.w.if_version = -1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'r') {
            a.w.replace = 1;
        } else if (c == 'v') {
            if (parse_version(ctx, optarg, &a.w.if_version) != CLI_EXIT_OK) {
                return CLI_EXIT_USAGE;
            }
        } else {
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (argc - optind != 1) {
        return cli_usage_error(ctx, "give one file (or - for stdin)");
    }
    if (a.w.replace && a.w.if_version < 0) {
        return cli_usage_error(ctx, "--replace needs --if-version N, the "
                                    "version it replaces");
    }
    path = argv[optind];
    f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        ctis_err_set(&ctx->err, CTIS_ENOTFOUND, "cannot open '%s'", path);
        return cli_fail(ctx, CTIS_ENOTFOUND);
    }
    if (ctis_lines_init(&lines, f) != 0) {
        rc = ctis_err_set(&ctx->err, CTIS_ENOMEM, "out of memory");
    }
    while (rc == 0 && (c = ctis_lines_next(&lines, 4 << 20)) > 0) {
        if (strspn(lines.line.data, " \t\r") == lines.line.len) {
            continue;
        }
        rc = add_line(&a, path, lines.lineno, lines.line.data,
                      lines.line.len);
    }
    if (rc == 0 && c < 0) {
        rc = ctis_err_set(&ctx->err, c, "%s:%ld: cannot read the line", path,
                          lines.lineno);
    }
    ctis_lines_release(&lines);
    if (f != stdin) {
        fclose(f);
    }
    if (rc == CTIS_EINVAL && ctx->err.msg[0] == '\0') {
        return CLI_EXIT_INVALID;
    }
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}

/* case update ID PATCH|- [--if-version N] */
int cmd_case_update(struct cli_ctx *ctx, int argc, char **argv)
{
    struct model_problems problems;
    struct ctis_buf patch;
    long if_version = -1;
    long version = 0;
    int rc = version_option(ctx, argc, argv, "if-version", &if_version);

    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    if (argc - optind != 2) {
        return cli_usage_error(ctx, "give a case id and a patch");
    }
    ctis_buf_init(&patch);
    if (strcmp(argv[optind + 1], "-") == 0) {
        char chunk[4096];
        size_t n;

        rc = 0;
        while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
            rc = ctis_buf_append(&patch, chunk, n);
        }
    } else {
        rc = ctis_buf_puts(&patch, argv[optind + 1]);
    }
    if (rc != 0) {
        ctis_buf_release(&patch);
        ctis_err_set(&ctx->err, CTIS_ENOMEM, "out of memory");
        return cli_fail(ctx, CTIS_ENOMEM);
    }
    model_problems_clear(&problems);
    rc = ops_case_update(&ctx->ops, argv[optind], patch.data, if_version,
                         &version, &problems, &ctx->err);
    ctis_buf_release(&patch);
    if (rc == CTIS_EINVAL) {
        print_problems(argv[optind], &problems);
    }
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    fprintf(ctx->out, "%s version %ld\n", argv[optind], version);
    return CLI_EXIT_OK;
}

/* key=value arguments of 'case event' into the event; the rules are
 * model_event_option's. */
static int event_option(struct cli_ctx *ctx, struct model_event *e,
                        const char *arg)
{
    const char *eq = strchr(arg, '=');
    char key[32];
    char msg[400];

    if (eq == NULL || (size_t)(eq - arg) >= sizeof key) {
        return cli_usage_error(ctx, "an event option must be key=value (the "
                               "keys are from_country, to_country, "
                               "official, service, to, supersedes)");
    }
    memcpy(key, arg, (size_t)(eq - arg));
    key[eq - arg] = '\0';
    if (model_event_option(e, key, eq + 1, msg, sizeof msg) != 0) {
        return cli_usage_error(ctx, "%s", msg);
    }
    return 0;
}

/* case event ID TYPE DATE [key=value...] */
int cmd_case_event(struct cli_ctx *ctx, int argc, char **argv)
{
    struct model_event e;
    struct model_problems problems;
    long version = 0;
    int event_id = 0;
    int i;
    int rc;

    if (argc < 4) {
        return cli_usage_error(ctx, "give ID TYPE DATE [key=value...]");
    }
    memset(&e, 0, sizeof e);
    e.type = model_code_parse(model_event_type_codes, argv[2]);
    if (e.type < 0) {
        char msg[300];

        model_code_problem(model_event_type_codes, msg, sizeof msg);
        return cli_usage_error(ctx, "TYPE %s", msg);
    }
    if (ctis_date_parse(argv[3], &e.date) != 0) {
        return cli_usage_error(ctx, "DATE must be YYYY-MM-DD");
    }
    for (i = 4; i < argc; i++) {
        if (event_option(ctx, &e, argv[i]) != 0) {
            return CLI_EXIT_USAGE;
        }
    }
    model_problems_clear(&problems);
    rc = ops_case_event(&ctx->ops, argv[1], &e, &event_id, &version,
                        &problems, &ctx->err);
    if (rc == CTIS_EINVAL) {
        print_problems(argv[1], &problems);
    }
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    fprintf(ctx->out, "%s event %d version %ld\n", argv[1], event_id,
            version);
    return CLI_EXIT_OK;
}

/* case transfer ID --to AGENCY --consent C [--if-version N] */
int cmd_case_transfer(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"to", required_argument, NULL, 't'},
        {"consent", required_argument, NULL, 'c'},
        {"if-version", required_argument, NULL, 'v'},
        {NULL, 0, NULL, 0}};
    const char *to = NULL;
    int consent = -1;
    long if_version = -1;
    long version = 0;
    int c;
    int rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 't') {
            to = optarg;
        } else if (c == 'c') {
            consent = model_code_parse(ops_consent_codes, optarg);
            if (consent < 0) {
                return cli_usage_error(ctx, "--consent is given, refused "
                                            "or not_required");
            }
        } else if (c == 'v') {
            if (parse_version(ctx, optarg, &if_version) != CLI_EXIT_OK) {
                return CLI_EXIT_USAGE;
            }
        } else {
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (argc - optind != 1 || to == NULL || consent < 0) {
        return cli_usage_error(ctx, "give ID, --to AGENCY and --consent");
    }
    rc = ops_case_transfer(&ctx->ops, argv[optind], to, consent, if_version,
                           &version, &ctx->err);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    fprintf(ctx->out, "%s version %ld\n", argv[optind], version);
    return CLI_EXIT_OK;
}

/* case refer ID --to AGENCY --service TYPE */
int cmd_case_refer(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"to", required_argument, NULL, 't'},
        {"service", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0}};
    const char *to = NULL;
    int service = -1;
    long ref = 0;
    long version = 0;
    int c;
    int rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 't') {
            to = optarg;
        } else if (c == 's') {
            service = model_code_parse(model_service_codes, optarg);
            if (service <= 0) {
                return cli_usage_error(ctx, "--service is medical, legal, "
                                            "psychosocial, education, "
                                            "vocational or shelter");
            }
        } else {
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (argc - optind != 1 || to == NULL || service < 0) {
        return cli_usage_error(ctx, "give ID, --to AGENCY and --service");
    }
    rc = ops_case_refer(&ctx->ops, argv[optind], to, service, &ref, &version,
                        &ctx->err);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    fprintf(ctx->out, "%s referral %ld version %ld\n", argv[optind], ref,
            version);
    return CLI_EXIT_OK;
}

static const char *const ref_states[] = {"pending", "accepted", "declined"};

static int print_referral(void *ctx, const struct store_referral *r)
{
    struct cli_ctx *cli = ctx;

    fprintf(cli->out, "%-6ld %-16s %-12s %-12s %-12s %s\n", r->id, r->case_id,
            r->from_agency, r->to_agency,
            model_code_name(model_service_codes, r->service),
            r->state >= 0 && r->state <= 2 ? ref_states[r->state] : "?");
    return 0;
}

/* referral list [--case ID] [--pending] */
int cmd_referral_list(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"case", required_argument, NULL, 'c'},
        {"pending", no_argument, NULL, 'p'},
        {NULL, 0, NULL, 0}};
    struct store_referral_filter f = {0, NULL, NULL, -1};
    int c;
    int rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'c') {
            f.case_id = optarg;
        } else if (c == 'p') {
            f.state = STORE_REF_PENDING;
        } else {
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return cli_extra_argument(ctx, optind);
    }
    fprintf(ctx->out, "%-6s %-16s %-12s %-12s %-12s %s\n", "REF", "CASE",
            "FROM", "TO", "SERVICE", "STATE");
    rc = ops_referral_list(&ctx->ops, &f, print_referral, ctx, &ctx->err);
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}

/* referral accept|decline REF */
int cmd_referral_decide(struct cli_ctx *ctx, int argc, char **argv)
{
    long ref = 0;
    int accept = strcmp(ctx->cmd->name, "referral accept") == 0;
    int rc;

    if (argc != 2 || ctis_parse_long(argv[1], 1, 1L << 53, &ref) != 0) {
        return cli_usage_error(ctx, "give one referral number");
    }
    rc = ops_referral_decide(&ctx->ops, ref, accept, &ctx->err);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    fprintf(ctx->out, "referral %ld %s\n", ref,
            accept ? "accepted" : "declined");
    return CLI_EXIT_OK;
}
