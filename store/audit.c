/*
 * audit.c - the audit trail's hash chain, the same for every backend:
 * numbering and chaining entries at append, and the walk that verifies
 * them (store.h). Backends only read and move the head and store rows.
 *
 * An entry's hash is SHA-256 over its fields in a fixed order, each
 * followed by a 0x1f separator: seq, at, user, role, agency, action, kind,
 * record, address, status, prev. The first entry's prev is 64 zeros.
 * Verification recomputes each hash and checks, in seq order, that
 * numbers run 1, 2, ... without a gap (a deleted entry), that each prev is
 * the hash before it (a removed or moved entry), that each hash matches
 * its fields (an altered entry), and that the head names the last entry
 * (entries cut off the end).
 */
#include <string.h>

#include <sodium.h>

#include "store_int.h"

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void field(crypto_hash_sha256_state *h, const char *s)
{
    static const unsigned char sep = 0x1f;

    crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
    crypto_hash_sha256_update(h, &sep, 1);
}

/* The hash of e's fields and its prev. */
void store_audit_hash(const struct store_audit *e, char out[65])
{
    crypto_hash_sha256_state h;
    unsigned char d[crypto_hash_sha256_BYTES];
    char num[32];

    crypto_hash_sha256_init(&h);
    snprintf(num, sizeof num, "%ld", e->seq);
    field(&h, num);
    snprintf(num, sizeof num, "%lld", e->at);
    field(&h, num);
    field(&h, e->user);
    field(&h, e->role);
    field(&h, e->agency);
    field(&h, e->action);
    field(&h, e->kind);
    field(&h, e->record);
    field(&h, e->address);
    snprintf(num, sizeof num, "%d", e->status);
    field(&h, num);
    field(&h, e->prev);
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(out, 65, d, sizeof d);
}

/* Number and chain the entries after the head, then store them. */
int store_audit_append(struct store *st, struct store_audit *e, size_t n,
                       struct ctis_err *err)
{
    char hash[65];
    long seq = 0;
    size_t i;
    int rc;

    if (n == 0) {
        return 0;
    }
    if (e == NULL || !st->in_txn) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "cannot append audit entries outside a "
                            "transaction");
    }
    rc = st->ops->audit_head(st, &seq, hash, err);
    if (rc != 0) {
        return rc;
    }
    if (seq == 0) {
        memcpy(hash, zero_hash, sizeof hash);
    }
    for (i = 0; i < n; i++) {
        e[i].seq = ++seq;
        memcpy(e[i].prev, hash, sizeof hash);
        store_audit_hash(&e[i], e[i].hash);
        memcpy(hash, e[i].hash, sizeof hash);
    }
    return st->ops->audit_insert(st, e, n, err);
}

int store_each_audit(struct store *st, const struct store_audit_filter *f,
                     store_audit_fn fn, void *ctx, struct ctis_err *err)
{
    static const struct store_audit_filter all;

    return st->ops->each_audit(st, f != NULL ? f : &all, fn, ctx, err);
}

struct walk {
    long expect;       /* the next seq */
    char prev[65];     /* the hash of the entry before */
    long bad;
    struct ctis_err *err;
};

static int walk_one(void *ctx, const struct store_audit *e)
{
    struct walk *w = ctx;
    char h[65];

    if (e->seq != w->expect) {
        w->bad = e->seq > w->expect ? w->expect : e->seq;
        return ctis_err_set(w->err, CTIS_ECORRUPT,
                            "audit entry %ld is missing (deleted), the chain "
                            "goes on at entry %ld",
                            w->expect, e->seq);
    }
    if (strcmp(e->prev, w->prev) != 0) {
        w->bad = e->seq;
        return ctis_err_set(w->err, CTIS_ECORRUPT,
                            "audit entry %ld does not follow entry %ld "
                            "(an entry was deleted, moved or altered)",
                            e->seq, e->seq - 1);
    }
    store_audit_hash(e, h);
    if (strcmp(h, e->hash) != 0) {
        w->bad = e->seq;
        return ctis_err_set(w->err, CTIS_ECORRUPT,
                            "audit entry %ld was altered (its hash does not "
                            "match its content)",
                            e->seq);
    }
    memcpy(w->prev, e->hash, sizeof w->prev);
    w->expect++;
    return 0;
}

int store_audit_verify(struct store *st, long *checked, long *bad,
                       struct ctis_err *err)
{
    struct walk w;
    char head_hash[65];
    long head = 0;
    int rc;

    memset(&w, 0, sizeof w);
    w.expect = 1;
    w.err = err;
    memcpy(w.prev, zero_hash, sizeof w.prev);
    *checked = 0;
    *bad = 0;
    rc = st->ops->each_audit(st, &(struct store_audit_filter){0}, walk_one,
                             &w, err);
    *checked = w.expect - 1;
    if (rc != 0) {
        *bad = w.bad;
        return rc;
    }
    rc = st->ops->audit_head(st, &head, head_hash, err);
    if (rc != 0) {
        return rc;
    }
    if (head != w.expect - 1 ||
        (head > 0 && strcmp(head_hash, w.prev) != 0)) {
        *bad = w.expect;
        return ctis_err_set(err, CTIS_ECORRUPT,
                            "audit entries after entry %ld were deleted (the "
                            "head names entry %ld)",
                            w.expect - 1, head);
    }
    return 0;
}
