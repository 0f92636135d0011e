/*
 * cmd_key.c - 'ctis key init|add|remove|list|rotate|reindex': the keys of a
 * sealed database (docs/security.md). The key that unlocks comes from the
 * global --key-file, $CTIS_KEY_FILE, --passphrase-fd or the terminal; a
 * key being added from --new-key-file or --new-passphrase-fd (or the
 * terminal). The dispatcher opens the store for writing without a
 * transaction: the store commits key changes and re-seal batches itself,
 * and each change that succeeded is then noted in the audit trail (its
 * key's id, never the key) in a transaction of its own.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *kind_name(int kind)
{
    return kind == SEAL_KEK_FILE         ? "file"
           : kind == SEAL_KEK_PASSPHRASE ? "passphrase"
                                         : "next";
}

static int print_key(void *ctx, const struct store_key_row *k)
{
    FILE *out = ctx;

    fprintf(out, "%s\t%s\t%s\t%d\n", k->kek_id, kind_name(k->kind),
            k->key_id, k->gen);
    return 0;
}

/* The new key of init or add: a key file (made if absent) or a
 * passphrase. */
static int new_kek(struct cli_ctx *ctx, const char *file, int fd,
                   int create, struct seal_kek **out)
{
    int rc;

    if (file != NULL) {
        if (create) {
            rc = seal_keyfile_create(file, &ctx->err);
            if (rc != 0 && rc != CTIS_EEXIST) {
                return rc;
            }
        }
        return seal_kek_from_file(out, file, &ctx->err);
    }
    return cli_passphrase(ctx, fd, "new ctis passphrase: ", out);
}

static int key_init(struct cli_ctx *ctx)
{
    struct seal_kek *kek = NULL;
    int rc;

    if (store_is_sealed(ctx->store)) {
        return ctis_err_set(&ctx->err, CTIS_EEXIST,
                            "the database already has a key (ctis key add "
                            "adds another way to open it)");
    }
    rc = new_kek(ctx, ctx->key_file, ctx->pass_fd, 1, &kek);
    if (rc == 0) {
        rc = store_key_init(ctx->store, kek, &ctx->err);
    }
    if (rc == 0) {
        rc = ops_audit_admin(&ctx->ops, ctx->store, "key.init", "key",
                             seal_kek_id(kek), &ctx->err);
    }
    if (rc == 0) {
        fprintf(ctx->out, "sealed with key %s\n",
                seal_kek_kind(kek) == SEAL_KEK_FILE ? seal_kek_id(kek)
                                                    : "(passphrase)");
    }
    seal_kek_free(kek);
    return rc;
}

static int key_add(struct cli_ctx *ctx, const char *file, int fd)
{
    struct seal_kek *kek = NULL;
    int rc = cli_unlock(ctx, ctx->store, 1, 0);

    if (rc == 0) {
        rc = new_kek(ctx, file, fd, 1, &kek);
    }
    if (rc == 0) {
        rc = store_key_add(ctx->store, kek, &ctx->err);
    }
    if (rc == 0) {
        rc = ops_audit_admin(&ctx->ops, ctx->store, "key.add", "key",
                             seal_kek_id(kek), &ctx->err);
    }
    if (rc == 0) {
        fprintf(ctx->out, "added key %s\n",
                seal_kek_kind(kek) == SEAL_KEK_FILE ? seal_kek_id(kek)
                                                    : "(passphrase)");
    }
    seal_kek_free(kek);
    return rc;
}

static int key_rotate(struct cli_ctx *ctx, long batch)
{
    const struct seal_kek *kek = NULL;
    long n = 0;
    int rc = cli_unlock(ctx, ctx->store, 1, 0);

    if (rc == 0) {
        rc = cli_kek(ctx, &kek);
    }
    if (rc == 0) {
        rc = store_key_rotate(ctx->store, kek, batch, &n, &ctx->err);
    }
    if (rc == 0) {
        rc = ops_audit_admin(&ctx->ops, ctx->store, "key.rotate", "key",
                             seal_kek_id(kek), &ctx->err);
    }
    if (rc == 0) {
        fprintf(ctx->out, "rotated: %ld identities re-sealed; only key %s "
                          "opens the database now (add the others again)\n",
                n, seal_kek_kind(kek) == SEAL_KEK_FILE ? seal_kek_id(kek)
                                                       : "(passphrase)");
    }
    return rc;
}

/* The blind indexes made with an older name rule made anew. */
static int key_reindex(struct cli_ctx *ctx, long batch)
{
    long n = 0;
    int rc = cli_unlock(ctx, ctx->store, 1, 0);

    if (rc == 0) {
        rc = store_reindex_names(ctx->store, batch, &n, &ctx->err);
    }
    if (rc == 0) {
        rc = ops_audit_admin(&ctx->ops, ctx->store, "key.reindex", "key", "",
                             &ctx->err);
    }
    if (rc == 0) {
        fprintf(ctx->out, "reindexed: %ld identities' search index made "
                          "with name rule %d\n",
                n, MODEL_NAME_RULE);
    }
    return rc;
}

/* Subcommand, options, then one action. */
int cmd_key(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"new-key-file", required_argument, NULL, 'k'},
        {"new-passphrase-fd", required_argument, NULL, 'p'},
        {"batch", required_argument, NULL, 'b'},
        {"stop-after", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0}};
    const char *sub = argc > 1 ? argv[1] : "";
    const char *file = NULL;
    long fd = -1;
    long batch = 1000;
    long stop = 0;
    int c;
    int rc;

    opterr = 0;
    optind = 2;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'k':
            file = optarg;
            break;
        case 'p':
            if (ctis_parse_long(optarg, 0, 1024, &fd) != 0) {
                return cli_usage_error(ctx, "--new-passphrase-fd: not a "
                                            "descriptor");
            }
            break;
        case 'b':
            if (ctis_parse_long(optarg, 1, 1000000, &batch) != 0) {
                return cli_usage_error(ctx, "--batch must be 1 to 1000000");
            }
            break;
        case 's':
            if (ctis_parse_long(optarg, 1, 1000000000, &stop) != 0) {
                return cli_usage_error(ctx, "--stop-after must be positive");
            }
            break;
        default:
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    rc = ops_allow(&ctx->ops, OPS_ADMIN, NULL, NULL, &ctx->err);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    store_set_batch_limit(ctx->store, stop);
    if (strcmp(sub, "init") == 0 && optind == argc) {
        rc = key_init(ctx);
    } else if (strcmp(sub, "add") == 0 && optind == argc) {
        rc = key_add(ctx, file, (int)fd);
    } else if (strcmp(sub, "remove") == 0 && optind + 1 == argc) {
        rc = cli_unlock(ctx, ctx->store, 1, 0);
        if (rc == 0) {
            rc = store_key_remove(ctx->store, argv[optind], &ctx->err);
        }
        if (rc == 0) {
            rc = ops_audit_admin(&ctx->ops, ctx->store, "key.remove", "key",
                                 argv[optind], &ctx->err);
        }
    } else if (strcmp(sub, "list") == 0 && optind == argc) {
        rc = store_key_list(ctx->store, print_key, ctx->out, &ctx->err);
    } else if (strcmp(sub, "rotate") == 0 && optind == argc) {
        rc = key_rotate(ctx, batch);
    } else if (strcmp(sub, "reindex") == 0 && optind == argc) {
        rc = key_reindex(ctx, batch);
    } else {
        return cli_usage_error(ctx, "expected init, add, remove KEY_ID, "
                                    "list, rotate or reindex");
    }
    return rc != 0 ? cli_fail(ctx, rc) : CLI_EXIT_OK;
}
