/*
 * cmd_backup.c - 'ctis backup --output F', 'ctis backup --verify F' and
 * 'ctis restore F --db NEW': encrypted backups (docs/security.md).
 *
 * backup: a consistent snapshot of the SQLite database (online backup
 * API, others may write meanwhile) sealed whole as a stream whose header
 * carries the data key's wraps, written atomically to F (mode 0600).
 * verify: every chunk opened, nothing written. restore: the same check
 * first, then a second pass writes NEW (absent before) atomically; any
 * failure leaves no NEW behind.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

struct backup_ctx {
    struct cli_ctx *ctx;
    FILE *out;
    const struct seal_key *key;
    struct seal_wrap wraps[SEAL_STREAM_WRAPS_MAX];
    int n_wraps;
    uint64_t bytes;
};

static int on_snapshot(void *arg, FILE *in)
{
    struct backup_ctx *b = arg;

    return seal_stream_write(in, b->out, b->key, b->wraps, b->n_wraps,
                             &b->bytes, &b->ctx->err);
}

/* The data key of the header's wraps, opened by the process's KEK. */
static int header_key(struct cli_ctx *ctx,
                      const struct seal_stream_header *h,
                      struct seal_key **out)
{
    const struct seal_kek *kek = NULL;
    int rc = cli_kek(ctx, &kek);
    int i;

    *out = NULL;
    if (rc == CTIS_EKEY && ctx->key_file == NULL && ctx->pass_fd < 0) {
        rc = ctis_err_set(&ctx->err, CTIS_EKEY,
                          "the backup is sealed and no key was given: use "
                          "--key-file, CTIS_KEY_FILE or a terminal for the "
                          "passphrase");
    }
    for (i = 0; rc == 0 && i < h->n_wraps && *out == NULL; i++) {
        if (seal_unwrap(kek, &h->wraps[i], out, NULL) != 0) {
            *out = NULL;
        }
    }
    if (rc == 0 && *out == NULL) {
        rc = ctis_err_set(&ctx->err, CTIS_EKEY,
                          "the key opens none of the backup's %d key wraps "
                          "(data key '%s')",
                          h->n_wraps, h->key_id);
    }
    return rc;
}

/* Open path and check it whole; with out, also write the plaintext.
 * key_id (SEAL_ID_MAX bytes, or NULL) gets the data key's id, head (NULL
 * or STORE_BACKUP_HEAD bytes) the plaintext's first bytes. */
static int open_backup(struct cli_ctx *ctx, const char *path, FILE *out,
                       uint64_t *bytes, char *key_id, unsigned char *head)
{
    struct seal_stream_header h;
    struct seal_key *key = NULL;
    FILE *in = fopen(path, "rb");
    int rc;

    if (in == NULL) {
        return ctis_err_set(&ctx->err, CTIS_ENOTFOUND,
                            "cannot open backup '%s'", path);
    }
    rc = seal_stream_read_header(in, &h, &ctx->err);
    if (rc == 0 && key_id != NULL) {
        ctis_strlcpy(key_id, h.key_id, SEAL_ID_MAX);
    }
    if (rc == 0) {
        rc = header_key(ctx, &h, &key);
    }
    if (rc == 0) {
        rc = seal_stream_open_head(in, out, key, &h, bytes, head,
                                   head != NULL ? STORE_BACKUP_HEAD : 0,
                                   &ctx->err);
    }
    if (rc != 0) {
        ctis_err_prefix(&ctx->err, "backup '%s'", path);
    }
    seal_key_free(key);
    fclose(in);
    return rc;
}

/* The audit trail's entry of a backup or restore that succeeded, on a
 * handle of its own opened for writing (the backup's reads a snapshot
 * read-only; the restore's database is the new one). */
static int note(struct cli_ctx *ctx, const char *action, const char *key_id)
{
    struct store *w = NULL;
    int rc = store_open(&w, ctx->db_url, STORE_OPEN_LEAN, &ctx->err);

    if (rc == 0) {
        rc = ops_audit_admin(&ctx->ops, w, action, "database", key_id,
                             &ctx->err);
    }
    store_close(w);
    if (rc != 0) {
        ctis_err_prefix(&ctx->err, "%s written, but not noted in the audit "
                                   "trail", action);
    }
    return rc;
}

static int do_backup(struct cli_ctx *ctx, const char *output)
{
    struct backup_ctx b;
    struct ctis_atomic_file af;
    struct store *st = NULL;
    int rc;

    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    /* never over the database, its WAL, shared memory or journal */
    rc = cli_output_check(ctx, output, NULL, 0);
    if (rc != 0) {
        return rc;
    }
    rc = store_open(&st, ctx->db_url, STORE_OPEN_READONLY, &ctx->err);
    if (rc == 0 && !store_is_sealed(st)) {
        rc = ctis_err_set(&ctx->err, CTIS_EKEY,
                          "the database has no key; a backup is sealed with "
                          "it (ctis key init)");
    }
    if (rc == 0) {
        rc = cli_unlock(ctx, st, 1, 0);
    }
    if (rc == 0) {
        rc = store_key_wraps(st, b.wraps, SEAL_STREAM_WRAPS_MAX, &b.n_wraps,
                             &ctx->err);
    }
    if (rc == 0) {
        b.key = store_backup_key(st);
        rc = ctis_atomic_open(&af, output, &ctx->err);
    }
    if (rc == 0) {
        fchmod(fileno(af.f), 0600);
        b.out = af.f;
        rc = store_snapshot(st, on_snapshot, &b, &ctx->err);
        if (rc == 0) {
            rc = ctis_atomic_commit(&af, &ctx->err);
        } else {
            ctis_atomic_abort(&af);
        }
    }
    if (rc == 0) {
        fprintf(stderr, "backup: %llu bytes sealed with data key %s\n",
                (unsigned long long)b.bytes, seal_key_id(b.key));
        rc = note(ctx, "backup", seal_key_id(b.key));
    }
    store_close(st);
    return rc;
}

/* Options, then backup or verify. */
int cmd_backup(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"verify", required_argument, NULL, 'v'},
        {NULL, 0, NULL, 0}};
    const char *output = NULL;
    const char *verify = NULL;
    uint64_t bytes = 0;
    int c;
    int rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'v':
            verify = optarg;
            break;
        default:
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (optind < argc || (output == NULL) == (verify == NULL)) {
        return cli_usage_error(ctx, "give one of --output FILE or --verify "
                                    "FILE");
    }
    rc = ops_allow(&ctx->ops, OPS_ADMIN, NULL, NULL, &ctx->err);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    if (output != NULL) {
        rc = do_backup(ctx, output);
    } else {
        rc = open_backup(ctx, verify, NULL, &bytes, NULL, NULL);
        if (rc == 0) {
            fprintf(ctx->out, "backup '%s' is whole: %llu bytes open\n",
                    verify, (unsigned long long)bytes);
        }
    }
    return rc != 0 ? cli_fail(ctx, rc) : CLI_EXIT_OK;
}

struct restore_ctx {
    struct cli_ctx *ctx;
    const char *in;
    uint64_t bytes;
    char key_id[SEAL_ID_MAX];
};

/* The second pass: the checked backup's bytes into the new database. */
static int on_restore(void *arg, FILE *out)
{
    struct restore_ctx *r = arg;

    return open_backup(r->ctx, r->in, out, &r->bytes, NULL, NULL);
}

/* Check, then write NEW (which must not exist): a file atomically, or a
 * new PostgreSQL database through pg_restore (store_restore). */
int cmd_restore(struct cli_ctx *ctx, int argc, char **argv)
{
    struct restore_ctx r;
    unsigned char head[STORE_BACKUP_HEAD];
    char shown[512];
    int rc;

    if (argc != 2 || argv[1][0] == '-') {
        return cli_usage_error(ctx, "expected one backup FILE");
    }
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.in = argv[1];
    rc = ops_allow(&ctx->ops, OPS_ADMIN, NULL, NULL, &ctx->err);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    rc = open_backup(ctx, r.in, NULL, &r.bytes, r.key_id, head);
    if (rc == 0) {
        rc = store_restore_check(ctx->db_url, head,
                                 r.bytes < sizeof head ? (size_t)r.bytes
                                                       : sizeof head,
                                 &ctx->err);
        if (rc != 0) {
            ctis_err_prefix(&ctx->err, "backup '%s'", r.in);
        }
    }
    if (rc == 0) {
        rc = store_restore(ctx->db_url, on_restore, &r, &ctx->err);
    }
    if (rc == 0) {
        cli_redact_url(ctx->db_url, shown, sizeof shown);
        fprintf(stderr, "restored %llu bytes into '%s'\n",
                (unsigned long long)r.bytes, shown);
        rc = note(ctx, "restore", r.key_id);
    }
    return rc != 0 ? cli_fail(ctx, rc) : CLI_EXIT_OK;
}
