/*
 * stream.c - sealed streams: a whole file (a database snapshot) sealed
 * with crypto_secretstream_xchacha20poly1305 under the data key's stream
 * subkey, after a header that says which key opens it (seal.h gives the
 * layout). A reader checks the magic, the version and every length
 * before it trusts a byte; the header is the first chunk's associated
 * data, so a changed header fails like a changed chunk; a stream that
 * ends without its FINAL chunk, or has bytes after it, is truncated or
 * extended and refused.
 */
#include <sodium.h>
#include <string.h>

#include "seal_int.h"

#define CHUNK 65536
#define MAGIC "CTISBAK"
#define MAGIC_LEN 8
#define WRAP_LEN 121
#define FIXED_LEN (MAGIC_LEN + 1 + 16 + 4 + 1)
#define SS_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES

static void put_u64(unsigned char *p, uint64_t v)
{
    int i;

    for (i = 0; i < 8; i++) {
        p[i] = (unsigned char)(v >> (8 * i));
    }
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    int i;

    for (i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* A 16-byte id field: 16 hex digits (a key file's or a data key's id),
 * or "pass-" and 10 hex digits padded with zero bytes (a passphrase's:
 * seal_wrap writes 15 characters and the string's end). */
static int id_ok(const unsigned char *p)
{
    int pass = memcmp(p, "pass-", 5) == 0;
    int i;

    for (i = pass ? 5 : 0; i < 16; i++) {
        int c = p[i];

        if (pass && i >= 15) {
            if (c != 0) {
                return 0;
            }
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

static size_t put_wrap(unsigned char *p, const struct seal_wrap *w)
{
    p[0] = (unsigned char)w->kind;
    memcpy(p + 1, w->kek_id, 16);
    memcpy(p + 17, w->salt, 16);
    put_u64(p + 33, w->opslimit);
    put_u64(p + 41, w->memlimit);
    memcpy(p + 49, w->nonce, 24);
    memcpy(p + 73, w->wrapped, 48);
    return WRAP_LEN;
}

/* Parse a header; 0 or CTIS_EINVAL (not a ctis backup, unknown version,
 * bad field) or CTIS_EAGAIN-like short read reported as CTIS_EINVAL. */
int seal_stream_parse_header(const unsigned char *p, size_t len,
                             struct seal_stream_header *h, size_t *used)
{
    size_t n;
    int i;

    memset(h, 0, sizeof *h);
    if (len < FIXED_LEN || memcmp(p, MAGIC, MAGIC_LEN) != 0) {
        return CTIS_EINVAL;
    }
    h->version = p[MAGIC_LEN];
    if (h->version != SEAL_STREAM_VERSION || !id_ok(p + MAGIC_LEN + 1)) {
        return CTIS_EINVAL;
    }
    memcpy(h->key_id, p + MAGIC_LEN + 1, 16);
    h->gen = (int)(p[MAGIC_LEN + 17] | (p[MAGIC_LEN + 18] << 8) |
                   (p[MAGIC_LEN + 19] << 16) |
                   ((unsigned)(p[MAGIC_LEN + 20] & 0x7f) << 24));
    h->n_wraps = p[MAGIC_LEN + 21];
    if (h->n_wraps < 1 || h->n_wraps > SEAL_STREAM_WRAPS_MAX) {
        return CTIS_EINVAL;
    }
    n = FIXED_LEN;
    if (len < n + (size_t)h->n_wraps * WRAP_LEN + SS_HEADER) {
        return CTIS_EINVAL;
    }
    for (i = 0; i < h->n_wraps; i++) {
        struct seal_wrap *w = &h->wraps[i];
        const unsigned char *q = p + n;

        w->kind = q[0];
        if ((w->kind != SEAL_KEK_FILE && w->kind != SEAL_KEK_PASSPHRASE) ||
            !id_ok(q + 1)) {
            return CTIS_EINVAL;
        }
        memcpy(w->kek_id, q + 1, 16);
        memcpy(w->salt, q + 17, 16);
        w->opslimit = get_u64(q + 33);
        w->memlimit = get_u64(q + 41);
        memcpy(w->nonce, q + 49, 24);
        memcpy(w->wrapped, q + 73, 48);
        memcpy(w->key_id, h->key_id, sizeof w->key_id);
        w->gen = h->gen;
        n += WRAP_LEN;
    }
    memcpy(h->ss_header, p + n, SS_HEADER);
    n += SS_HEADER;
    if (n > sizeof h->raw) {
        return CTIS_EINVAL;
    }
    memcpy(h->raw, p, n);
    h->raw_len = n;
    *used = n;
    return 0;
}

int seal_stream_read_header(FILE *in, struct seal_stream_header *h,
                            struct ctis_err *err)
{
    unsigned char buf[FIXED_LEN + SEAL_STREAM_WRAPS_MAX * WRAP_LEN +
                      SS_HEADER];
    size_t got = fread(buf, 1, FIXED_LEN, in);
    size_t need;
    size_t used = 0;

    if (got < FIXED_LEN || memcmp(buf, MAGIC, MAGIC_LEN) != 0) {
        return ctis_err_set(err, CTIS_EINVAL, "not a ctis backup (no header)");
    }
    if (buf[MAGIC_LEN] != SEAL_STREAM_VERSION) {
        return ctis_err_set(err, CTIS_EUNSUPPORTED,
                            "backup format version %d is not supported "
                            "(this program reads %d)",
                            buf[MAGIC_LEN], SEAL_STREAM_VERSION);
    }
    if (buf[MAGIC_LEN + 21] < 1 ||
        buf[MAGIC_LEN + 21] > SEAL_STREAM_WRAPS_MAX) {
        return ctis_err_set(err, CTIS_EINVAL, "backup header is damaged");
    }
    need = (size_t)buf[MAGIC_LEN + 21] * WRAP_LEN + SS_HEADER;
    if (fread(buf + FIXED_LEN, 1, need, in) != need ||
        seal_stream_parse_header(buf, FIXED_LEN + need, h, &used) != 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "backup header is damaged or truncated");
    }
    return 0;
}

static int build_header(const struct seal_key *dk,
                        const struct seal_wrap *wraps, int n_wraps,
                        unsigned char *out, size_t *len)
{
    size_t n = 0;
    int gen = seal_key_gen(dk);
    int i;

    memcpy(out, MAGIC, MAGIC_LEN);
    n = MAGIC_LEN;
    out[n++] = SEAL_STREAM_VERSION;
    memcpy(out + n, seal_key_id(dk), 16);
    n += 16;
    out[n++] = (unsigned char)gen;
    out[n++] = (unsigned char)(gen >> 8);
    out[n++] = (unsigned char)(gen >> 16);
    out[n++] = (unsigned char)(gen >> 24);
    out[n++] = (unsigned char)n_wraps;
    for (i = 0; i < n_wraps; i++) {
        n += put_wrap(out + n, &wraps[i]);
    }
    *len = n;
    return 0;
}

int seal_stream_write(FILE *in, FILE *out, const struct seal_key *dk,
                      const struct seal_wrap *wraps, int n_wraps,
                      uint64_t *bytes, struct ctis_err *err)
{
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned char head[FIXED_LEN + SEAL_STREAM_WRAPS_MAX * WRAP_LEN +
                       SS_HEADER];
    unsigned char *pt;
    unsigned char *ct;
    size_t hlen;
    int first = 1;
    int last = 0;
    int rc = 0;

    *bytes = 0;
    if (n_wraps < 1 || n_wraps > SEAL_STREAM_WRAPS_MAX) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "a backup needs 1 to %d key wraps",
                            SEAL_STREAM_WRAPS_MAX);
    }
    pt = ctis_malloc(CHUNK);
    ct = ctis_malloc(CHUNK + SS_ABYTES);
    if (pt == NULL || ct == NULL) {
        ctis_free(pt);
        ctis_free(ct);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    build_header(dk, wraps, n_wraps, head, &hlen);
    crypto_secretstream_xchacha20poly1305_init_push(&st, head + hlen,
                                                    seal_key_stream(dk));
    hlen += SS_HEADER;
    if (fwrite(head, 1, hlen, out) != hlen) {
        rc = ctis_err_set(err, CTIS_EIO, "cannot write the backup");
    }
    while (rc == 0 && !last) {
        size_t n = fread(pt, 1, CHUNK, in);
        unsigned long long clen = 0;

        if (ferror(in)) {
            rc = ctis_err_set(err, CTIS_EIO, "cannot read the snapshot");
            break;
        }
        /* a full chunk at the very end is followed by an empty FINAL one */
        last = n < CHUNK;
        crypto_secretstream_xchacha20poly1305_push(
            &st, ct, &clen, pt, n, first ? head : NULL, first ? hlen : 0,
            last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
        first = 0;
        if (fwrite(ct, 1, (size_t)clen, out) != (size_t)clen) {
            rc = ctis_err_set(err, CTIS_EIO, "cannot write the backup");
        }
        *bytes += n;
    }
    sodium_memzero(pt, CHUNK);
    sodium_memzero(&st, sizeof st);
    ctis_free(pt);
    ctis_free(ct);
    return rc;
}

int seal_stream_open(FILE *in, FILE *out, const struct seal_key *dk,
                     const struct seal_stream_header *h, uint64_t *bytes,
                     struct ctis_err *err)
{
    return seal_stream_open_head(in, out, dk, h, bytes, NULL, 0, err);
}

int seal_stream_open_head(FILE *in, FILE *out, const struct seal_key *dk,
                          const struct seal_stream_header *h,
                          uint64_t *bytes, unsigned char *head,
                          size_t head_len, struct ctis_err *err)
{
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned char *pt;
    unsigned char *ct;
    const size_t ct_size = CHUNK + SS_ABYTES;
    long chunk = 0;
    int done = 0;
    int rc = 0;

    *bytes = 0;
    if (strcmp(seal_key_id(dk), h->key_id) != 0) {
        return ctis_err_set(err, CTIS_EKEY,
                            "the backup needs data key '%s', not '%s'",
                            h->key_id, seal_key_id(dk));
    }
    if (crypto_secretstream_xchacha20poly1305_init_pull(
            &st, h->ss_header, seal_key_stream(dk)) != 0) {
        return ctis_err_set(err, CTIS_ECORRUPT, "backup header is damaged");
    }
    pt = ctis_malloc(CHUNK);
    ct = ctis_malloc(ct_size);
    if (pt == NULL || ct == NULL) {
        ctis_free(pt);
        ctis_free(ct);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    while (rc == 0 && !done) {
        size_t n = fread(ct, 1, ct_size, in);
        unsigned long long plen = 0;
        unsigned char tag = 0;

        if (ferror(in)) {
            rc = ctis_err_set(err, CTIS_EIO, "cannot read the backup");
            break;
        }
        if (n < SS_ABYTES ||
            crypto_secretstream_xchacha20poly1305_pull(
                &st, pt, &plen, &tag, ct, n, chunk == 0 ? h->raw : NULL,
                chunk == 0 ? h->raw_len : 0) != 0) {
            rc = ctis_err_set(err, CTIS_ECORRUPT,
                              n < SS_ABYTES
                                  ? "backup is truncated at chunk %ld"
                                  : "backup chunk %ld does not open: altered "
                                    "or damaged",
                              chunk);
            break;
        }
        if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
            done = 1;
            if (fgetc(in) != EOF) {
                rc = ctis_err_set(err, CTIS_ECORRUPT,
                                  "backup has bytes after its last chunk");
                break;
            }
        } else if (n < ct_size) {
            rc = ctis_err_set(err, CTIS_ECORRUPT,
                              "backup is truncated after chunk %ld", chunk);
            break;
        }
        if (head != NULL && *bytes < head_len) {
            size_t k = head_len - (size_t)*bytes;

            memcpy(head + *bytes, pt, k < plen ? k : (size_t)plen);
        }
        if (out != NULL && fwrite(pt, 1, (size_t)plen, out) != plen) {
            rc = ctis_err_set(err, CTIS_EIO, "cannot write the restored "
                              "database");
        }
        *bytes += plen;
        chunk++;
    }
    sodium_memzero(pt, CHUNK);
    sodium_memzero(&st, sizeof st);
    ctis_free(pt);
    ctis_free(ct);
    return rc;
}
