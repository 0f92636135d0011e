/*
 * cmd_migrate.c - 'ctis migrate --from DB --to DB [--force]': open both
 * databases (the target sealed when the source is), copy with
 * ops_migrate and print its check: counts and checksums per kind.
 */
#include <getopt.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "ops/ops.h"

/* A sealed source is unlocked before the target is opened, so a wrong
 * or missing key leaves no new database behind. */
static int unlock_source(struct cli_ctx *ctx, struct store *from)
{
    const struct seal_kek *kek = NULL;
    int rc = cli_unlock(ctx, from, store_is_sealed(from), 0);

    return rc == 0 && store_is_sealed(from) ? cli_kek(ctx, &kek) : rc;
}

/* Identities of a sealed source are never written in clear: the target
 * is sealed first (a data key of its own, wrapped by the same key), or
 * unlocked when it is sealed already. */
static int seal_target(struct cli_ctx *ctx, struct store *from,
                       struct store *to)
{
    const struct seal_kek *kek = NULL;
    int rc = 0;

    if (store_is_sealed(to)) {
        return cli_unlock(ctx, to, 1, 1);
    }
    if (rc == 0 && store_is_sealed(from)) {
        rc = cli_kek(ctx, &kek);
        if (rc == 0) {
            rc = store_key_init(to, kek, &ctx->err);
        }
    }
    return rc;
}

/* The check after the copy, a line per kind, on stderr. */
static void print_check(const struct ops_migrate_result *res)
{
    int i;

    if (res->n == 0) {
        return;
    }
    fprintf(stderr, "%-15s %9s %9s  %-16s\n", "", "source", "target",
            "checksum");
    for (i = 0; i < res->n; i++) {
        const struct ops_migrate_line *l = &res->line[i];

        if (l->has_checksum) {
            fprintf(stderr, "%-15s %9ld %9ld  %016llx %s\n", l->what,
                    l->source, l->target, (unsigned long long)l->checksum,
                    l->state);
        } else {
            fprintf(stderr, "%-15s %9ld %9ld  %s\n", l->what, l->source,
                    l->target, l->state);
        }
        if (l->kept > 0) {
            fprintf(stderr, "%-15s %9s %9ld  (kept, not in the source)\n",
                    "", "", l->kept);
        }
    }
}

/* Options, open both, copy, verify. */
int cmd_migrate(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"force", no_argument, NULL, 'F'},
        {NULL, 0, NULL, 0}};
    const char *from = NULL;
    const char *to = NULL;
    int force = 0;
    struct store *from_st = NULL;
    struct store *to_st = NULL;
    struct ops_migrate_result res;
    int c;
    int rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            from = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 'F':
            force = 1;
            break;
        default:
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return cli_extra_argument(ctx, optind);
    }
    if (from == NULL || to == NULL) {
        return cli_usage_error(ctx, "both --from and --to are needed");
    }
    if (store_url_has_password(from) || store_url_has_password(to)) {
        return cli_usage_error(ctx, "%s", cli_password_refusal("--from/--to"));
    }
    if (strcmp(from, to) == 0 || ctis_same_file(from, to)) {
        return cli_usage_error(ctx, "--from and --to name the same database");
    }
    rc = store_open(&from_st, from, STORE_OPEN_READONLY, &ctx->err);
    if (rc == 0) {
        rc = unlock_source(ctx, from_st);
    }
    if (rc == 0) {
        rc = store_open(&to_st, to, STORE_OPEN_CREATE, &ctx->err);
    }
    if (rc == 0) {
        rc = seal_target(ctx, from_st, to_st);
    }
    if (rc == 0) {
        struct ops o;

        ops_init(&o, from_st, &ctx->ops.who);
        cli_actor(ctx, &o);
        rc = ops_migrate(&o, to_st, force, &res, &ctx->err);
        print_check(&res);
    }
    if (rc == 0) {
        char a[512];
        char b[512];

        cli_redact_url(from, a, sizeof a);
        cli_redact_url(to, b, sizeof b);
        fprintf(stderr, "ctis: copied '%s' (%s) to '%s' (%s); counts and "
                        "checksums agree\n",
                a, store_backend(from_st), b, store_backend(to_st));
    } else if (from_st != NULL && to_st != NULL) {
        char b[512];

        cli_redact_url(to, b, sizeof b);
        ctis_err_prefix(&ctx->err, "migrate to '%s'", b);
    }
    store_close(from_st);
    store_close(to_st);
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}
