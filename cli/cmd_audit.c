/*
 * cmd_audit.c - 'ctis audit verify' and 'ctis audit list': the audit
 * trail's chain checked end to end, and its entries as JSON Lines.
 */
#include <getopt.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static int print_entry(void *ctx, const struct store_audit *e)
{
    FILE *out = ctx;
    json_t *j = json_pack("{sI sI ss ss ss ss ss ss ss si ss}", "seq",
                          (json_int_t)e->seq, "at", (json_int_t)e->at,
                          "user", e->user, "role", e->role, "agency",
                          e->agency, "action", e->action, "kind", e->kind,
                          "record", e->record, "address", e->address,
                          "status", e->status, "hash", e->hash);
    char *s;

    if (j == NULL) {
        return CTIS_ENOMEM;
    }
    s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (s == NULL) {
        return CTIS_ENOMEM;
    }
    fprintf(out, "%s\n", s);
    ctis_free(s);
    return 0;
}

int cmd_audit_list(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"after", required_argument, NULL, 'a'},
        {"limit", required_argument, NULL, 'n'},
        {"user", required_argument, NULL, 'u'},
        {"record", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0}};
    struct store_audit_filter f;
    int c;
    int rc;

    memset(&f, 0, sizeof f);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (ctis_parse_long(optarg, 0, 1L << 62, &f.after) != 0) {
                return cli_usage_error(ctx, "--after must be a number");
            }
            break;
        case 'n':
            if (ctis_parse_long(optarg, 1, 1L << 62, &f.limit) != 0) {
                return cli_usage_error(ctx, "--limit must be a number");
            }
            break;
        case 'u':
            f.user = optarg;
            break;
        case 'r':
            f.record = optarg;
            break;
        default:
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return cli_extra_argument(ctx, optind);
    }
    rc = ops_audit_list(&ctx->ops, &f, print_entry, ctx->out, &ctx->err);
    return rc != 0 ? cli_fail(ctx, rc) : CLI_EXIT_OK;
}

int cmd_audit_verify(struct cli_ctx *ctx, int argc, char **argv)
{
    long checked = 0;
    long bad = 0;
    int rc;

    (void)argv;
    if (argc > 1) {
        return cli_extra_argument(ctx, 1);
    }
    rc = ops_audit_verify(&ctx->ops, &checked, &bad, &ctx->err);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    fprintf(ctx->out, "audit trail intact: %ld entries\n", checked);
    return CLI_EXIT_OK;
}
