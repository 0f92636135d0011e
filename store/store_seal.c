/*
 * store_seal.c - sealed identities over any backend: unlocking, the key
 * table's life (init, add, remove, rotate), the upgrade of clear
 * identities, and the helpers the backends share (associated data,
 * sealing and opening an identity, blind index values).
 *
 * Key states (docs/security.md). The key table holds wraps:
 *   kind 1/2, gen g   the data key of generation g wrapped by a key file
 *                     or passphrase; g is the database's generation
 *   kind 0, gen g+1   during a rotation only: the next data key wrapped by
 *                     the current one (its id is the wrap's kek_id)
 * A rotation goes: next key made (one transaction), values re-sealed in
 * batches (one transaction each, rows of generation g become g+1), then
 * one transaction that wraps the next key by the rotating KEK and deletes
 * every wrap of generation g and the kind 0 wrap. A crash anywhere leaves
 * one of these states, and unlocking then rotating again resumes.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* ---- helpers for the backends ------------------------------------------ */

const struct seal_key *store_key_for(struct store *st, int gen,
                                     struct ctis_err *err)
{
    if (st->key != NULL && seal_key_gen(st->key) == gen) {
        return st->key;
    }
    if (st->next != NULL && seal_key_gen(st->next) == gen) {
        return st->next;
    }
    if (st->key != NULL) {
        ctis_err_set(err, CTIS_EKEY,
                     "a value is sealed under data key generation %d; this "
                     "database's key is generation %d",
                     gen, seal_key_gen(st->key));
        return NULL;
    }
    ctis_err_set(err, CTIS_EKEY,
                 "identities are sealed and no key was given (--key-file, "
                 "CTIS_KEY_FILE or a passphrase)");
    return NULL;
}

const struct seal_key *store_key_write(struct store *st)
{
    return st->next != NULL ? st->next : st->key;
}

struct seal_nonces *store_nonces(struct store *st)
{
    if (st->nonces == NULL) {
        st->nonces = seal_nonces_new();
    }
    return st->nonces;
}

size_t store_identity_ad(const char *case_id, long version,
                         unsigned char *ad)
{
    int n = snprintf((char *)ad, STORE_AD_MAX, "person_identity|%s|%ld",
                     case_id, version);

    return n > 0 && n < STORE_AD_MAX ? (size_t)n : STORE_AD_MAX - 1;
}

int store_seal_identity(struct store *st, const char *case_id, long version,
                        const struct model_person *p, unsigned char *out,
                        size_t *len, struct ctis_err *err)
{
    const struct seal_key *k = store_key_write(st);
    unsigned char pt[MODEL_IDENTITY_PACK_MAX];
    unsigned char ad[STORE_AD_MAX];
    size_t n;
    size_t adlen;

    if (k == NULL) {
        return ctis_err_set(err, CTIS_EKEY,
                            "identities are sealed and no key was given "
                            "(--key-file, CTIS_KEY_FILE or a passphrase)");
    }
    n = model_identity_pack(p, pt);
    adlen = store_identity_ad(case_id, version, ad);
    seal_value(k, store_nonces(st), pt, n, ad, adlen, out);
    *len = n + SEAL_OVERHEAD;
    memset(pt, 0, sizeof pt);
    return 0;
}

int store_open_identity(struct store *st, const char *case_id, long version,
                        int gen, const unsigned char *in, size_t len,
                        struct model_person *p, struct ctis_err *err)
{
    const struct seal_key *k = store_key_for(st, gen, err);
    unsigned char pt[MODEL_IDENTITY_PACK_MAX];
    unsigned char ad[STORE_AD_MAX];
    size_t adlen;
    int rc;

    if (k == NULL) {
        return CTIS_EKEY;
    }
    if (len < SEAL_OVERHEAD || len - SEAL_OVERHEAD > sizeof pt) {
        return ctis_err_set(err, CTIS_ECORRUPT,
                            "sealed identity of case '%s' is damaged",
                            case_id);
    }
    adlen = store_identity_ad(case_id, version, ad);
    rc = seal_open(k, in, len, ad, adlen, pt);
    st->opened++;
    if (rc == 0) {
        rc = model_identity_unpack(pt, len - SEAL_OVERHEAD, p);
    }
    memset(pt, 0, sizeof pt);
    if (rc != 0) {
        return ctis_err_set(err, CTIS_ECORRUPT,
                            "sealed identity of case '%s' does not open: "
                            "altered, damaged or moved from another row",
                            case_id);
    }
    return 0;
}

/* "TABLE|ID|VERSION" into ad (STORE_AD_MAX + the id's length bytes);
 * ctis_malloc'd, NULL on out of memory. */
static unsigned char *text_ad(const char *table, const char *id,
                              long version, size_t *len)
{
    size_t cap = strlen(table) + strlen(id) + 32;
    unsigned char *ad = ctis_malloc(cap);
    int n;

    if (ad == NULL) {
        return NULL;
    }
    n = snprintf((char *)ad, cap, "%s|%s|%ld", table, id, version);
    *len = n > 0 && (size_t)n < cap ? (size_t)n : cap - 1;
    return ad;
}

static size_t body_ad(const char *case_id, long version, unsigned char *ad)
{
    int n = snprintf((char *)ad, STORE_AD_MAX, "record_version|%s|%ld",
                     case_id, version);

    return n > 0 && n < STORE_AD_MAX ? (size_t)n : STORE_AD_MAX - 1;
}

/* gen (4 bytes, little-endian) || sealed value of n bytes of pt. */
static unsigned char *seal_gen(const struct seal_key *k,
                               struct seal_nonces *nn,
                               const unsigned char *pt, size_t n,
                               const unsigned char *ad, size_t adlen,
                               size_t *len)
{
    unsigned char *b = ctis_malloc(4 + n + SEAL_OVERHEAD);
    int gen = seal_key_gen(k);

    if (b == NULL) {
        return NULL;
    }
    b[0] = (unsigned char)gen;
    b[1] = (unsigned char)(gen >> 8);
    b[2] = (unsigned char)(gen >> 16);
    b[3] = (unsigned char)(gen >> 24);
    seal_value(k, nn, pt, n, ad, adlen, b + 4);
    *len = 4 + n + SEAL_OVERHEAD;
    return b;
}

static int gen_of(const unsigned char *in)
{
    return in[0] | (in[1] << 8) | (in[2] << 16) | ((in[3] & 0x7f) << 24);
}

int store_seal_body(struct store *st, const char *case_id, long version,
                    const char *body, unsigned char **out, size_t *len,
                    struct ctis_err *err)
{
    const struct seal_key *k = store_key_write(st);
    unsigned char ad[STORE_AD_MAX];
    size_t n = strlen(body);
    size_t adlen = body_ad(case_id, version, ad);
    unsigned char *b;

    *out = NULL;
    if (k == NULL) {
        return ctis_err_set(err, CTIS_EKEY,
                            "identities are sealed and no key was given "
                            "(--key-file, CTIS_KEY_FILE or a passphrase)");
    }
    b = seal_gen(k, store_nonces(st), (const unsigned char *)body, n, ad,
                 adlen, len);
    if (b == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    *out = b;
    return 0;
}

int store_open_body(struct store *st, const char *case_id, long version,
                    const unsigned char *in, size_t len, char **out,
                    struct ctis_err *err)
{
    unsigned char ad[STORE_AD_MAX];
    const struct seal_key *k;
    size_t adlen = body_ad(case_id, version, ad);
    char *b;
    int gen;

    *out = NULL;
    if (len < 4 + SEAL_OVERHEAD) {
        return ctis_err_set(err, CTIS_ECORRUPT,
                            "version %ld of case '%s' is damaged", version,
                            case_id);
    }
    gen = gen_of(in);
    k = store_key_for(st, gen, err);
    if (k == NULL) {
        return CTIS_EKEY;
    }
    b = ctis_malloc(len - 4 - SEAL_OVERHEAD + 1);
    if (b == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    st->opened++;
    if (seal_open(k, in + 4, len - 4, ad, adlen, (unsigned char *)b) != 0) {
        ctis_free(b);
        return ctis_err_set(err, CTIS_ECORRUPT,
                            "version %ld of case '%s' does not open: "
                            "altered, damaged or moved",
                            version, case_id);
    }
    b[len - 4 - SEAL_OVERHEAD] = '\0';
    *out = b;
    return 0;
}

/* ---- sealed text -------------------------------------------------------- */

#define TEXT_MARK "sealed:"

static const char hexd[] = "0123456789abcdef";

int store_hex(struct ctis_buf *b, const unsigned char *d, size_t n)
{
    size_t i;
    int rc = ctis_buf_reserve(b, 2 * n + 1);

    for (i = 0; rc == 0 && i < n; i++) {
        char two[2] = {hexd[d[i] >> 4], hexd[d[i] & 15]};

        rc = ctis_buf_append(b, two, 2);
    }
    return rc;
}

static int unhex1(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

long store_unhex(const char *s, unsigned char *dst, size_t cap)
{
    size_t n = strlen(s);
    size_t i;

    if (n % 2 != 0 || n / 2 > cap) {
        return -1;
    }
    for (i = 0; i < n / 2; i++) {
        int hi = unhex1(s[2 * i]);
        int lo = unhex1(s[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            return -1;
        }
        dst[i] = (unsigned char)(hi << 4 | lo);
    }
    return (long)(n / 2);
}

int store_text_is_sealed(const char *text)
{
    return text != NULL && strncmp(text, TEXT_MARK, strlen(TEXT_MARK)) == 0;
}

/* After "sealed:GEN:", the value in base64 (URL-safe, no padding):
 * two thirds of the hex that texts sealed before it carry (they still
 * open), so a sealed case version costs PostgreSQL less to write. */
#define B64_MARK "~"
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

static int put_base64(struct ctis_buf *t, const unsigned char *d, size_t n)
{
    size_t len = sodium_base64_ENCODED_LEN(n, B64);

    if (ctis_buf_reserve(t, len) != 0) {
        return CTIS_ENOMEM;
    }
    sodium_bin2base64(t->data + t->len, len, d, n, B64);
    t->len += len - 1;
    return 0;
}

/* The value after "sealed:GEN:" (base64 or hex) into dst: its length, or
 * -1 when malformed or longer than cap. */
static long get_sealed(const char *s, unsigned char *dst, size_t cap)
{
    size_t n = 0;

    if (strncmp(s, B64_MARK, strlen(B64_MARK)) != 0) {
        return store_unhex(s, dst, cap);
    }
    s += strlen(B64_MARK);
    if (sodium_base642bin(dst, cap, s, strlen(s), NULL, &n, NULL, B64) !=
        0) {
        return -1;
    }
    return (long)n;
}

int store_seal_text(struct store *st, const char *table, const char *id,
                    long version, const char *text, char **out,
                    struct ctis_err *err)
{
    const struct seal_key *k = store_key_write(st);
    unsigned char *ad;
    unsigned char *b = NULL;
    struct ctis_buf t;
    size_t adlen = 0;
    size_t len = 0;
    int rc = 0;

    *out = NULL;
    if (k == NULL) {
        return ctis_err_set(err, CTIS_EKEY,
                            "identities are sealed and no key was given "
                            "(--key-file, CTIS_KEY_FILE or a passphrase)");
    }
    ad = text_ad(table, id, version, &adlen);
    if (ad != NULL) {
        b = seal_gen(k, store_nonces(st), (const unsigned char *)text,
                     strlen(text), ad, adlen, &len);
    }
    ctis_buf_init(&t);
    if (b == NULL ||
        ctis_buf_printf(&t, TEXT_MARK "%d:" B64_MARK, seal_key_gen(k)) != 0 ||
        put_base64(&t, b, len) != 0) {
        ctis_buf_release(&t);
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    } else {
        *out = t.data; /* NUL-terminated, ctis_malloc'd */
    }
    ctis_free(ad);
    ctis_free(b);
    return rc;
}

int store_open_text(struct store *st, const char *table, const char *id,
                    long version, const char *text, char **out,
                    struct ctis_err *err)
{
    const char *hex = strchr(text + strlen(TEXT_MARK), ':');
    size_t cap = strlen(text) / 4 * 3 + 3; /* base64's, more than hex's */
    unsigned char *b = ctis_malloc(cap);
    unsigned char *ad = NULL;
    const struct seal_key *k = NULL;
    size_t adlen = 0;
    char *pt = NULL;
    long n;
    int rc = 0;

    *out = NULL;
    n = b != NULL && hex != NULL ? get_sealed(hex + 1, b, cap) : -1;
    if (b == NULL) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    } else if (n < 4 + SEAL_OVERHEAD) {
        rc = ctis_err_set(err, CTIS_ECORRUPT, "%s '%s' (%ld) is damaged",
                          table, id, version);
    } else {
        k = store_key_for(st, gen_of(b), err);
        rc = k == NULL ? CTIS_EKEY : 0;
    }
    if (rc == 0) {
        ad = text_ad(table, id, version, &adlen);
        pt = ctis_malloc((size_t)n - 4 - SEAL_OVERHEAD + 1);
        if (ad == NULL || pt == NULL) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
    }
    if (rc == 0 &&
        seal_open(k, b + 4, (size_t)n - 4, ad, adlen,
                  (unsigned char *)pt) != 0) {
        rc = ctis_err_set(err, CTIS_ECORRUPT,
                          "%s '%s' (%ld) does not open: altered, damaged "
                          "or moved",
                          table, id, version);
    }
    if (rc == 0) {
        pt[n - 4 - SEAL_OVERHEAD] = '\0';
        *out = pt;
    } else {
        ctis_free(pt);
    }
    ctis_free(ad);
    ctis_free(b);
    return rc;
}

/* Split a name into normalised parts (at most max). */
static size_t split_parts(const char *name, char parts[][STORE_PART_MAX],
                          size_t max)
{
    char norm[512];
    size_t n = 0;
    const char *s = norm;

    if (name == NULL || name[0] == '\0' ||
        model_name_normalise(name, norm, sizeof norm) != 0) {
        return 0;
    }
    while (*s != '\0' && n < max) {
        size_t len = strcspn(s, " ");

        if (len > 0 && len < STORE_PART_MAX) {
            memcpy(parts[n], s, len);
            parts[n][len] = '\0';
            n++;
        }
        s += len;
        s += strspn(s, " ");
    }
    return n;
}

size_t store_query_parts(const char *name, char parts[][STORE_PART_MAX],
                         char keys[][STORE_PART_MAX], size_t max)
{
    size_t n = split_parts(name, parts, max);
    size_t i;

    for (i = 0; i < n; i++) {
        model_name_phonetic_key(parts[i], keys[i], STORE_PART_MAX);
    }
    return n;
}

/* The keys of part `part` of name's other readings (a Khmer-script name,
 * model_name_readings), each unlike key and the others: at most
 * MODEL_NAME_READINGS - 1 into alt, the count. */
static size_t part_readings(const char *name, size_t part, const char *key,
                            char alt[][STORE_PART_MAX])
{
    char r[MODEL_NAME_READINGS][MODEL_READING_MAX];
    char parts[STORE_BLIND_MAX / 2][STORE_PART_MAX];
    char keys[STORE_BLIND_MAX / 2][STORE_PART_MAX];
    int nr = 0;
    int i;
    size_t n = 0;

    if (name == NULL || model_name_readings(name, r, &nr) != 0) {
        return 0;
    }
    for (i = 1; i < nr; i++) {
        size_t np = store_query_parts(r[i], parts, keys, STORE_BLIND_MAX / 2);
        size_t j;
        int seen;

        if (part >= np || keys[part][0] == '\0') {
            continue;
        }
        seen = strcmp(keys[part], key) == 0;
        for (j = 0; j < n && !seen; j++) {
            seen = strcmp(alt[j], keys[part]) == 0;
        }
        if (!seen) {
            memcpy(alt[n++], keys[part], STORE_PART_MAX);
        }
    }
    return n;
}

/* The name fields whose parts are indexed. */
static const char *const *name_fields(const struct model_person *p,
                                      const char *out[4])
{
    out[0] = p->given_name;
    out[1] = p->family_name;
    out[2] = p->given_name_km;
    out[3] = p->family_name_km;
    return out;
}

static int person_year(const struct model_person *p)
{
    return p->birth_date > 0 ? p->birth_date / 10000 : p->birth_year;
}

/* out[n] kept when no earlier value equals it: the count after it. A
 * person's Latin and romanised Khmer names often give the same part, and
 * one blind index row each is enough (PostgreSQL's batch inserts them
 * with no conflict clause, pg_seal.c). */
static size_t blind_keep(unsigned char out[][SEAL_BLIND_BYTES], size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (memcmp(out[i], out[n], SEAL_BLIND_BYTES) == 0) {
            return n;
        }
    }
    return n + 1;
}

size_t store_blind_names(const struct seal_key *k,
                         const struct model_person *p,
                         unsigned char out[][SEAL_BLIND_BYTES])
{
    char parts[STORE_BLIND_MAX / 2][STORE_PART_MAX];
    char keys[STORE_BLIND_MAX / 2][STORE_PART_MAX];
    const char *names[4];
    size_t n = 0;
    size_t f;

    name_fields(p, names);
    for (f = 0; f < 4; f++) {
        size_t room = (STORE_BLIND_MAX - 1 - n) / 2;
        size_t np = store_query_parts(names[f], parts, keys,
                                      room < STORE_BLIND_MAX / 2
                                          ? room
                                          : STORE_BLIND_MAX / 2);
        size_t i;

        for (i = 0; i < np; i++) {
            char alt[MODEL_NAME_READINGS - 1][STORE_PART_MAX];
            size_t na;
            size_t j;

            seal_blind(k, "name", parts[i], out[n]);
            n = blind_keep(out, n);
            if (keys[i][0] == '\0') {
                continue;
            }
            seal_blind(k, "phon", keys[i], out[n]);
            n = blind_keep(out, n);
            /* one more row per other reading of a Khmer part (name rule
             * 4), while the year's row still has room */
            na = part_readings(names[f], i, keys[i], alt);
            for (j = 0; j < na && n + 1 < STORE_BLIND_MAX; j++) {
                seal_blind(k, "phon", alt[j], out[n]);
                n = blind_keep(out, n);
            }
        }
    }
    return n;
}

const struct seal_key *store_blind_key(struct store *st)
{
    return st->sealed ? store_key_write(st) : NULL;
}

void store_prepare_person(const struct seal_key *k, const struct model_case *c,
                          struct store_blind *out)
{
    out->key = k;
    ctis_strlcpy(out->id, c->id, sizeof out->id);
    out->n = k != NULL ? store_blind_person(k, &c->person, out->h) : 0;
}

size_t store_blind_for_put(struct store *st, const struct model_case *c,
                           unsigned char out[][SEAL_BLIND_BYTES])
{
    const struct seal_key *k = store_key_write(st);
    const struct store_blind *b = st->blind;

    if (b != NULL && k != NULL && b->key == k && strcmp(b->id, c->id) == 0) {
        memcpy(out, b->h, b->n * SEAL_BLIND_BYTES);
        return b->n;
    }
    return store_blind_person(k, &c->person, out);
}

size_t store_blind_person(const struct seal_key *k,
                          const struct model_person *p,
                          unsigned char out[][SEAL_BLIND_BYTES])
{
    size_t n = store_blind_names(k, p, out);

    if (person_year(p) > 0) {
        char y[12];

        snprintf(y, sizeof y, "%d", person_year(p));
        seal_blind(k, "year", y, out[n++]);
    }
    return n;
}

int store_person_matches(const struct model_person *p,
                         const struct store_person_query *q)
{
    char qp[STORE_BLIND_MAX / 2][STORE_PART_MAX];
    char qk[STORE_BLIND_MAX / 2][STORE_PART_MAX];
    char pp[STORE_BLIND_MAX / 2][STORE_PART_MAX];
    char pk[STORE_BLIND_MAX / 2][STORE_PART_MAX];
    const char *names[4];
    size_t nq = store_query_parts(q->name, qp, qk, STORE_BLIND_MAX / 2);
    size_t i;

    if (q->birth_year > 0 && person_year(p) != q->birth_year) {
        return 0;
    }
    name_fields(p, names);
    for (i = 0; i < nq; i++) {
        size_t f;

        for (f = 0; f < 4; f++) {
            size_t np = store_query_parts(names[f], pp, pk,
                                          STORE_BLIND_MAX / 2);
            size_t j;

            for (j = 0; j < np; j++) {
                char qa[MODEL_NAME_READINGS][STORE_PART_MAX];
                char pa[MODEL_NAME_READINGS][STORE_PART_MAX];
                size_t nqa;
                size_t npa;
                size_t x;
                size_t y;

                if (strcmp(pp[j], qp[i]) == 0) {
                    return 1;
                }
                if (qk[i][0] == '\0') {
                    continue;
                }
                /* any reading's key against any (name rule 4) */
                memcpy(qa[0], qk[i], STORE_PART_MAX);
                memcpy(pa[0], pk[j], STORE_PART_MAX);
                nqa = 1 + part_readings(q->name, i, qk[i], qa + 1);
                npa = 1 + part_readings(names[f], j, pk[j], pa + 1);
                for (x = 0; x < nqa; x++) {
                    for (y = 0; y < npa; y++) {
                        if (strcmp(qa[x], pa[y]) == 0) {
                            return 1;
                        }
                    }
                }
            }
        }
    }
    return 0;
}

/* One query part's blind values (or the year's) under every key the
 * handle has: a rotation leaves rows under either. */
static size_t part_values(struct store *st, const char *kind1,
                          const char *v1, const char *kind2, const char *v2,
                          unsigned char h[][SEAL_BLIND_BYTES],
                          unsigned char *which, unsigned char part)
{
    const struct seal_key *keys[2] = {st->key, st->next};
    size_t n = 0;
    int i;

    for (i = 0; i < 2; i++) {
        if (keys[i] == NULL) {
            continue;
        }
        if (which != NULL) {
            which[n] = part;
        }
        seal_blind(keys[i], kind1, v1, h[n++]);
        if (v2 != NULL && v2[0] != '\0') {
            if (which != NULL) {
                which[n] = (unsigned char)(part | STORE_QUERY_PHON);
            }
            seal_blind(keys[i], kind2, v2, h[n++]);
        }
    }
    return n;
}

void store_query_blinds(struct store *st, const struct store_person_query *q,
                        unsigned char names[][SEAL_BLIND_BYTES],
                        unsigned char *which, size_t *n_names,
                        unsigned char year[][SEAL_BLIND_BYTES],
                        size_t *n_year)
{
    char parts[STORE_BLIND_MAX / 2][STORE_PART_MAX];
    char keys[STORE_BLIND_MAX / 2][STORE_PART_MAX];
    size_t np = store_query_parts(q->name, parts, keys, STORE_QUERY_PARTS);
    size_t i;

    *n_names = 0;
    *n_year = 0;
    for (i = 0; i < np; i++) {
        *n_names += part_values(st, "name", parts[i], "phon", keys[i],
                                names + *n_names,
                                which != NULL ? which + *n_names : NULL,
                                (unsigned char)i);
    }
    /* the other readings' keys of a Khmer query part, as the part's own
     * key (name rule 4), while there is room for all of a key's values */
    for (i = 0; i < np; i++) {
        char alt[MODEL_NAME_READINGS - 1][STORE_PART_MAX];
        size_t na = keys[i][0] != '\0'
                        ? part_readings(q->name, i, keys[i], alt)
                        : 0;
        size_t j;

        for (j = 0; j < na && *n_names + 2 <= STORE_QUERY_BLINDS; j++) {
            *n_names += part_values(st, "phon", alt[j], NULL, NULL,
                                    names + *n_names,
                                    which != NULL ? which + *n_names : NULL,
                                    (unsigned char)(i | STORE_QUERY_PHON));
        }
    }
    if (q->birth_year > 0) {
        char y[12];

        snprintf(y, sizeof y, "%d", q->birth_year);
        *n_year = part_values(st, "year", y, NULL, NULL, year, NULL, 0);
    }
}

char *store_strip_identity(const char *body)
{
    json_t *o = json_loads(body, 0, NULL);
    json_t *p = o != NULL ? json_object_get(o, "person") : NULL;
    char *out = NULL;
    size_t i;

    if (json_is_object(p)) {
        for (i = 0; i < MODEL_IDENTITY_FIELDS; i++) {
            json_object_del(p, model_identity_fields[i].name);
        }
    }
    if (o != NULL) {
        char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_malloc_t jm;
        json_free_t jf;

        json_get_alloc_funcs(&jm, &jf);
        if (text != NULL) {
            out = ctis_strdup(text);
            jf(text);
        }
        json_decref(o);
    }
    return out;
}

/* ---- the key table ------------------------------------------------------ */

static int unsupported(struct store *st, struct ctis_err *err)
{
    return ctis_err_set(err, CTIS_EUNSUPPORTED,
                        "sealed identities are not supported on %s yet",
                        st->ops->name);
}

#define NEED_OP(st, op, err)                                                \
    do {                                                                    \
        if ((st)->ops->op == NULL) {                                        \
            return unsupported((st), (err));                                \
        }                                                                   \
    } while (0)

/* Set st->sealed and st->gen from the key table (at open). */
int store_seal_state(struct store *st, struct ctis_err *err)
{
    struct seal_wrap *w = NULL;
    int n = 0;
    int i;
    int rc;

    st->sealed = 0;
    st->gen = 0;
    if (st->ops->load_wraps == NULL) {
        return 0;
    }
    rc = st->ops->load_wraps(st, &w, &n, err);
    for (i = 0; rc == 0 && i < n; i++) {
        if (w[i].kind != 0 && w[i].gen > st->gen) {
            st->gen = w[i].gen;
        }
    }
    st->sealed = st->gen > 0;
    ctis_free(w);
    return rc;
}

int store_is_sealed(const struct store *st)
{
    return st->sealed;
}

const struct seal_key *store_backup_key(const struct store *st)
{
    return st->key;
}

long store_identities_opened(const struct store *st)
{
    return st->opened;
}

int store_is_unlocked(const struct store *st)
{
    return st->key != NULL;
}

void store_set_batch_limit(struct store *st, long batches)
{
    st->batch_limit = batches;
}

/* The next key of a rotation in progress, wrapped by st->key. */
static int load_next(struct store *st, const struct seal_wrap *w, int n,
                     struct ctis_err *err)
{
    int i;

    for (i = 0; i < n; i++) {
        if (w[i].kind == 0 && w[i].gen == st->gen + 1 &&
            strcmp(w[i].kek_id, seal_key_id(st->key)) == 0) {
            return seal_unwrap_by_key(st->key, &w[i], &st->next, err);
        }
    }
    return 0;
}

int store_unlock(struct store *st, const struct seal_kek *kek,
                 struct ctis_err *err)
{
    struct seal_wrap *w = NULL;
    int n = 0;
    int tried = 0;
    int i;
    int rc;

    NEED_OP(st, load_wraps, err);
    if (!st->sealed) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "the database has no key yet (ctis key init)");
    }
    seal_key_free(st->key);
    seal_key_free(st->next);
    st->key = NULL;
    st->next = NULL;
    rc = st->ops->load_wraps(st, &w, &n, err);
    for (i = 0; rc == 0 && i < n && st->key == NULL; i++) {
        if (w[i].gen != st->gen || w[i].kind != seal_kek_kind(kek) ||
            (w[i].kind == SEAL_KEK_FILE &&
             strcmp(w[i].kek_id, seal_kek_id(kek)) != 0)) {
            continue;
        }
        tried++;
        if (seal_unwrap(kek, &w[i], &st->key, NULL) != 0) {
            st->key = NULL;
        }
    }
    if (rc == 0 && st->key == NULL) {
        rc = seal_kek_kind(kek) == SEAL_KEK_FILE
                 ? ctis_err_set(err, CTIS_EKEY,
                                "key file '%s' is not a key of this "
                                "database (ctis key list)",
                                seal_kek_id(kek))
                 : ctis_err_set(err, CTIS_EKEY,
                                "the passphrase opens none of the "
                                "database's %d passphrase slots",
                                tried);
    }
    if (rc == 0) {
        rc = load_next(st, w, n, err);
    }
    ctis_free(w);
    if (rc != 0) {
        seal_key_free(st->key);
        st->key = NULL;
    }
    return rc;
}

/* Run one key-table change in its own transaction. */
static int put_wrap_txn(struct store *st, const struct seal_wrap *w,
                        struct ctis_err *err)
{
    int rc = store_begin(st, err);

    if (rc == 0) {
        rc = st->ops->put_wrap(st, w, err);
    }
    if (rc == 0) {
        rc = store_commit(st, err);
    } else {
        store_rollback(st);
    }
    return rc;
}

typedef int (*batch_fn)(struct store *st, int gen, long batch, long *done,
                        struct ctis_err *err);

/* Run op (a re-seal or re-index batch of generation gen) in batches of
 * their own transactions until one does nothing. */
static int in_batches(struct store *st, batch_fn op, int gen, long batch,
                      long *total, struct ctis_err *err);

/* Re-seal rows of generation from_gen (0: clear) with the write key, in
 * batches of their own transactions. */
static int rewrite_answers(struct store *st, const char *case_id,
                           struct ctis_err *err);

static int reseal_all(struct store *st, int from_gen, long batch,
                      long *total, struct ctis_err *err)
{
    return in_batches(st, st->ops->reseal_batch, from_gen, batch, total,
                      err);
}

static int in_batches(struct store *st, batch_fn op, int gen, long batch,
                      long *total, struct ctis_err *err)
{
    long batches = 0;
    long done = 1;
    int rc = 0;

    *total = 0;
    while (rc == 0 && done > 0) {
        rc = store_begin(st, err);
        if (rc == 0) {
            rc = op(st, gen, batch, &done, err);
        }
        if (rc == 0) {
            rc = store_commit(st, err);
        } else {
            store_rollback(st);
        }
        if (rc == 0) {
            *total += done;
            batches++;
            if (st->batch_limit > 0 && batches >= st->batch_limit &&
                done > 0) {
                rc = ctis_err_set(err, CTIS_EINTERNAL,
                                  "stopped after %ld batches (test hook)",
                                  batches);
            }
        }
    }
    return rc;
}

int store_reindex_names(struct store *st, long batch, long *done,
                        struct ctis_err *err)
{
    NEED_OP(st, reindex_batch, err);
    *done = 0;
    if (st->key == NULL) {
        return ctis_err_set(err, CTIS_EKEY, "re-indexing needs the key");
    }
    if (st->next != NULL) {
        return ctis_err_set(err, CTIS_EBUSY,
                            "a rotation is in progress; finish it first "
                            "(ctis key rotate, which re-indexes too)");
    }
    return in_batches(st, st->ops->reindex_batch, st->gen, batch, done, err);
}

int store_upgrade_names(struct store *st, long *done, struct ctis_err *err)
{
    long n = 0;
    int stale = 0;
    int rc = store_names_stale(st, &stale, err);

    if (done != NULL) {
        *done = 0;
    }
    if (rc != 0 || !stale || st->key == NULL || st->next != NULL) {
        return rc;
    }
    rc = store_reindex_names(st, 1000, &n, err);
    if (done != NULL) {
        *done = n;
    }
    return rc;
}

int store_names_stale(struct store *st, int *out, struct ctis_err *err)
{
    *out = 0;
    if (!st->sealed || st->ops->names_stale == NULL) {
        return 0;
    }
    return st->ops->names_stale(st, out, err);
}

int store_seal_pending(struct store *st, long batch, long *done,
                       struct ctis_err *err)
{
    int rc;

    NEED_OP(st, reseal_batch, err);
    *done = 0;
    if (store_key_write(st) == NULL) {
        return ctis_err_set(err, CTIS_EKEY, "sealing needs the key");
    }
    rc = reseal_all(st, 0, batch, done, err);
    /* the answers kept for idempotency keys, in clear until now */
    if (rc == 0) {
        rc = store_begin(st, err);
        if (rc == 0) {
            rc = rewrite_answers(st, NULL, err);
            if (rc == 0) {
                rc = store_commit(st, err);
            } else {
                store_rollback(st);
            }
        }
    }
    return rc;
}

int store_key_init(struct store *st, const struct seal_kek *kek,
                   struct ctis_err *err)
{
    struct seal_wrap w;
    long done = 0;
    int rc;

    NEED_OP(st, put_wrap, err);
    if (st->sealed) {
        return ctis_err_set(err, CTIS_EEXIST,
                            "the database already has a key (ctis key add "
                            "adds another way to open it)");
    }
    rc = seal_key_new(&st->key, 1, err);
    if (rc == 0) {
        rc = seal_wrap(kek, st->key, &w, err);
    }
    if (rc == 0) {
        rc = put_wrap_txn(st, &w, err);
    }
    if (rc != 0) {
        seal_key_free(st->key);
        st->key = NULL;
        return rc;
    }
    st->sealed = 1;
    st->gen = 1;
    return store_seal_pending(st, 1000, &done, err);
}

int store_key_add(struct store *st, const struct seal_kek *kek,
                  struct ctis_err *err)
{
    struct seal_wrap w;
    int rc;

    NEED_OP(st, put_wrap, err);
    if (st->key == NULL) {
        return ctis_err_set(err, CTIS_EKEY, "adding a key needs the key");
    }
    if (st->next != NULL) {
        return ctis_err_set(err, CTIS_EBUSY,
                            "a rotation is in progress; finish it first "
                            "(ctis key rotate)");
    }
    rc = seal_wrap(kek, st->key, &w, err);
    return rc != 0 ? rc : put_wrap_txn(st, &w, err);
}

/* Counts the wraps of the current generation and whether kek_id is one. */
int store_key_remove(struct store *st, const char *kek_id,
                     struct ctis_err *err)
{
    struct seal_wrap *w = NULL;
    int n = 0;
    int found = 0;
    int others = 0;
    int i;
    int rc;

    NEED_OP(st, del_wraps, err);
    rc = st->ops->load_wraps(st, &w, &n, err);
    for (i = 0; rc == 0 && i < n; i++) {
        if (w[i].kind == 0 || w[i].gen != st->gen) {
            continue;
        }
        if (strcmp(w[i].kek_id, kek_id) == 0) {
            found = 1;
        } else {
            others++;
        }
    }
    ctis_free(w);
    if (rc != 0) {
        return rc;
    }
    if (!found) {
        return ctis_err_set(err, CTIS_ENOTFOUND, "no key has the id given (ctis key "
                                              "list)");
    }
    if (others == 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "key '%s' is the last one; removing it would "
                            "lose every identity",
                            kek_id);
    }
    rc = store_begin(st, err);
    if (rc == 0) {
        rc = st->ops->del_wraps(st, kek_id, st->gen, err);
    }
    if (rc == 0) {
        rc = store_commit(st, err);
    } else {
        store_rollback(st);
    }
    return rc;
}

int store_key_list(struct store *st, store_key_fn fn, void *ctx,
                   struct ctis_err *err)
{
    struct seal_wrap *w = NULL;
    int n = 0;
    int i;
    int rc;

    NEED_OP(st, load_wraps, err);
    rc = st->ops->load_wraps(st, &w, &n, err);
    for (i = 0; rc == 0 && i < n; i++) {
        struct store_key_row r;

        memset(&r, 0, sizeof r);
        ctis_strlcpy(r.kek_id, w[i].kek_id, sizeof r.kek_id);
        ctis_strlcpy(r.key_id, w[i].key_id, sizeof r.key_id);
        r.kind = w[i].kind;
        r.gen = w[i].gen;
        rc = fn(ctx, &r);
    }
    ctis_free(w);
    return rc;
}

int store_key_wraps(struct store *st, struct seal_wrap *out, int max,
                    int *n, struct ctis_err *err)
{
    struct seal_wrap *w = NULL;
    int all = 0;
    int i;
    int rc;

    NEED_OP(st, load_wraps, err);
    *n = 0;
    rc = st->ops->load_wraps(st, &w, &all, err);
    for (i = 0; rc == 0 && i < all; i++) {
        if (w[i].kind != 0 && w[i].gen == st->gen && *n < max) {
            out[(*n)++] = w[i];
        }
    }
    ctis_free(w);
    return rc;
}

/* Start a rotation: the next key, wrapped by the current one. */
static int rotation_start(struct store *st, struct ctis_err *err)
{
    struct seal_wrap w;
    int rc = seal_key_new(&st->next, st->gen + 1, err);

    if (rc == 0) {
        rc = seal_wrap_by_key(st->key, st->next, &w, err);
    }
    if (rc == 0) {
        rc = put_wrap_txn(st, &w, err);
    }
    if (rc != 0) {
        seal_key_free(st->next);
        st->next = NULL;
    }
    return rc;
}

/* The last step: only the new key remains, wrapped by kek; the answers
 * kept for idempotency keys are sealed again under it. */
static int rotation_finish(struct store *st, const struct seal_kek *kek,
                           struct ctis_err *err)
{
    struct seal_wrap w;
    int rc = seal_wrap(kek, st->next, &w, err);

    if (rc == 0) {
        rc = store_begin(st, err);
    }
    if (rc == 0) {
        rc = st->ops->put_wrap(st, &w, err);
        if (rc == 0) {
            rc = rewrite_answers(st, NULL, err);
        }
        if (rc == 0) {
            rc = st->ops->del_wraps(st, NULL, st->gen, err);
        }
        if (rc == 0) {
            rc = st->ops->del_wraps(st, seal_key_id(st->key), st->gen + 1,
                                    err);
        }
        if (rc == 0) {
            rc = store_commit(st, err);
        } else {
            store_rollback(st);
        }
    }
    if (rc == 0) {
        seal_key_free(st->key);
        st->key = st->next;
        st->next = NULL;
        st->gen++;
    }
    return rc;
}

int store_key_rotate(struct store *st, const struct seal_kek *kek,
                     long batch, long *resealed, struct ctis_err *err)
{
    int rc = 0;

    NEED_OP(st, reseal_batch, err);
    *resealed = 0;
    if (st->key == NULL) {
        return ctis_err_set(err, CTIS_EKEY, "rotation needs the key");
    }
    if (st->next == NULL) {
        rc = rotation_start(st, err);
    }
    if (rc == 0) {
        rc = reseal_all(st, st->gen, batch, resealed, err);
    }
    if (rc == 0) {
        long clear = 0;

        /* clear rows written by an old binary are sealed on the way */
        rc = reseal_all(st, 0, batch, &clear, err);
        *resealed += clear;
    }
    return rc != 0 ? rc : rotation_finish(st, kek, err);
}

/* ---- ranking a sealed search's candidates ------------------------------- */

/* How a query part met a candidate: the best of its values. */
enum { FIND_NONE, FIND_PHON, FIND_TEXT };

int store_hits_add(struct store_hits *h, long long rid, unsigned char which)
{
    if (h->n == h->cap) {
        size_t cap = h->cap * 2 + 256;
        struct store_hit *g = ctis_realloc(h->v, cap * sizeof *g);

        if (g == NULL) {
            return CTIS_ENOMEM;
        }
        h->v = g;
        h->cap = cap;
    }
    h->v[h->n].rid = rid;
    h->v[h->n].which = which;
    h->n++;
    return 0;
}

static int cmp_hit(const void *x, const void *y)
{
    const struct store_hit *a = x;
    const struct store_hit *b = y;

    return a->rid < b->rid ? -1 : a->rid > b->rid;
}

static int cmp_cand(const void *x, const void *y)
{
    const struct store_cand *a = x;
    const struct store_cand *b = y;

    if (a->bound != b->bound) {
        return a->bound > b->bound ? -1 : 1;
    }
    return a->rid < b->rid ? -1 : a->rid > b->rid;
}

int store_rank_hits(const struct store_person_query *q,
                    const unsigned char *which, size_t n_which,
                    struct store_hits *h, const long long *year,
                    size_t n_year, struct store_cand **out, size_t *n_out,
                    struct ctis_err *err)
{
    struct store_cand *v = NULL;
    size_t n = 0;
    size_t cap = 0;
    size_t nparts = 0;
    size_t i;
    size_t y = 0;

    *out = NULL;
    *n_out = 0;
    for (i = 0; i < n_which; i++) {
        size_t part = (size_t)(which[i] & ~STORE_QUERY_PHON);

        nparts = part + 1 > nparts ? part + 1 : nparts;
    }
    if (h->n > 1) {
        qsort(h->v, h->n, sizeof *h->v, cmp_hit);
    }
    for (i = 0; i < h->n;) {
        unsigned char level[STORE_QUERY_PARTS];
        long long rid = h->v[i].rid;
        double bound = q->w_bonus;
        size_t j;

        memset(level, FIND_NONE, sizeof level);
        for (j = i; j < h->n && h->v[j].rid == rid; j++) {
            unsigned char w = h->v[j].which;
            size_t part = (size_t)(w & ~STORE_QUERY_PHON);
            unsigned char l = (w & STORE_QUERY_PHON) != 0 ? FIND_PHON
                                                          : FIND_TEXT;

            if (part < STORE_QUERY_PARTS && l > level[part]) {
                level[part] = l;
            }
        }
        i = j;
        if (year != NULL) {
            while (y < n_year && year[y] < rid) {
                y++;
            }
            if (y == n_year || year[y] != rid) {
                continue;
            }
        }
        for (j = 0; j < nparts && j < STORE_QUERY_PARTS; j++) {
            bound += level[j] == FIND_TEXT   ? q->w_text
                     : level[j] == FIND_PHON ? q->w_phon
                                             : q->w_none;
        }
        if (n == cap) {
            size_t ncap = cap * 2 + 64;
            struct store_cand *g = ctis_realloc(v, ncap * sizeof *g);

            if (g == NULL) {
                ctis_free(v);
                return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
            }
            v = g;
            cap = ncap;
        }
        v[n].rid = rid;
        v[n].bound = bound;
        n++;
    }
    if (n > 1) {
        qsort(v, n, sizeof *v, cmp_cand);
    }
    *out = v;
    *n_out = n;
    return 0;
}

/* ---- dispatch ----------------------------------------------------------- */

int store_find_candidate(void *ctx, const struct model_case *c)
{
    struct store_find *s = ctx;

    if (s->q->agency != NULL && strcmp(c->agency, s->q->agency) != 0) {
        return 0;
    }
    return store_person_matches(&c->person, s->q) ? s->fn(s->ctx, c) : 0;
}

/* The blind index would miss names the rule now reads otherwise: a
 * search is refused rather than answered short. */
static int refuse_stale(struct store *st, struct ctis_err *err)
{
    int stale = 0;
    int rc = store_names_stale(st, &stale, err);

    if (rc == 0 && stale) {
        rc = ctis_err_set(err, CTIS_EBUSY,
                          "the search index of sealed names was made by an "
                          "older name rule; run 'ctis key reindex' first");
    }
    return rc;
}

int store_find_persons(struct store *st, const struct store_person_query *q,
                       store_case_fn fn, void *ctx, struct ctis_err *err)
{
    int rc;

    if ((st->ops->find == NULL || !st->sealed) && q != NULL &&
        q->name != NULL) {
        /* a clear database: the same rule over every person */
        struct store_case_filter all = {NULL, -1, 0, 0, NULL, 0, 0, 0};
        struct store_find sc = {q, fn, ctx};

        all.agency = q->agency;
        return st->ops->each_case(st, &all, store_find_candidate, &sc, err);
    }
    if (q == NULL || q->name == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "a search needs a name");
    }
    if (st->sealed && st->key == NULL) {
        return ctis_err_set(err, CTIS_EKEY,
                            "identities are sealed and no key was given "
                            "(--key-file, CTIS_KEY_FILE or a passphrase)");
    }
    rc = refuse_stale(st, err);
    return rc != 0 ? rc : st->ops->find(st, q, fn, ctx, err);
}

/* ---- the answers kept for idempotency keys: erasure, rotation -------- */

/* A kept answer that holds the erased case, rewritten without identity. */
struct kept_answer {
    char *user;
    char *key;
    char *location;
    char *etag;
    char *body; /* stripped, clear */
    long at;
    int status;
};

struct erase_answers {
    struct store *st;
    const char *case_id; /* NULL: every answer, sealed (again) */
    struct kept_answer *a;
    size_t n;
    size_t cap;
    struct ctis_err *err;
};

static void kept_free(struct kept_answer *k)
{
    ctis_free(k->user);
    ctis_free(k->key);
    ctis_free(k->location);
    ctis_free(k->etag);
    ctis_free(k->body);
}

/* Is text (a clear answer) the case case_id, as a create or an appended
 * event answers it? */
static int answer_is_case(const char *text, const char *case_id)
{
    json_t *o = json_loads(text, 0, NULL);
    const char *type = json_string_value(json_object_get(o, "type"));
    const char *id = json_string_value(json_object_get(o, "id"));
    int yes = type != NULL && id != NULL && strcmp(type, "case") == 0 &&
              strcmp(id, case_id) == 0;

    json_decref(o);
    return yes;
}

static int on_answer(void *arg, const char *user, const char *key, long at,
                     int status, const char *body, const char *location,
                     const char *etag)
{
    struct erase_answers *e = arg;
    struct kept_answer k;
    char *opened = NULL;
    const char *text = body;
    int rc = 0;

    if (body == NULL || body[0] == '\0') {
        return 0;
    }
    if (store_text_is_sealed(body)) {
        char *id = NULL;

        rc = store_idem_id(user, key, &id, e->err);
        if (rc != 0) {
            return rc;
        }
        rc = store_open_text(e->st, "idempotency", id, 0, body, &opened,
                             e->err);
        ctis_free(id);
        if (rc == CTIS_ECORRUPT || rc == CTIS_EKEY) {
            /* not openable with this key (an older generation): it holds
             * nobody we can tell; leave it to expire */
            return 0;
        }
        if (rc != 0) {
            return rc;
        }
        text = opened;
    }
    if (e->case_id != NULL && !answer_is_case(text, e->case_id)) {
        if (opened != NULL) {
            seal_wipe(opened, strlen(opened));
            ctis_free(opened);
        }
        return 0;
    }
    memset(&k, 0, sizeof k);
    k.at = at;
    k.status = status;
    k.user = ctis_strdup(user);
    k.key = ctis_strdup(key);
    k.location = location != NULL ? ctis_strdup(location) : NULL;
    k.etag = etag != NULL ? ctis_strdup(etag) : NULL;
    k.body = e->case_id != NULL ? store_strip_identity(text)
                                : ctis_strdup(text);
    if (opened != NULL) {
        seal_wipe(opened, strlen(opened));
        ctis_free(opened);
    }
    if (e->n == e->cap) {
        size_t cap = e->cap == 0 ? 8 : e->cap * 2;
        struct kept_answer *a = ctis_realloc(e->a, cap * sizeof *a);

        if (a == NULL) {
            kept_free(&k);
            return ctis_err_set(e->err, CTIS_ENOMEM, "out of memory");
        }
        e->a = a;
        e->cap = cap;
    }
    e->a[e->n++] = k;
    if (k.user == NULL || k.key == NULL || k.body == NULL ||
        (location != NULL && k.location == NULL) ||
        (etag != NULL && k.etag == NULL)) {
        return ctis_err_set(e->err, CTIS_ENOMEM, "out of memory");
    }
    return 0;
}

/* An answer kept for a retried create of the case (or of an event on it)
 * holds the person: it is kept without the identity, so a retry still
 * gets its answer and no name stays behind (tests/http/
 * test_erase_idem.sh). With case_id NULL, at the end of a rotation or of
 * the sealing of a clear database: every answer sealed under the key
 * that writes (they stayed under the old key, which the rotation
 * deletes, so a retry failed; or in clear, names included, after key
 * init). */
static int rewrite_answers(struct store *st, const char *case_id,
                           struct ctis_err *err)
{
    struct erase_answers e;
    size_t i;
    int rc;

    if (st->ops->each_idem == NULL) {
        return 0;
    }
    memset(&e, 0, sizeof e);
    e.st = st;
    e.case_id = case_id;
    e.err = err;
    rc = st->ops->each_idem(st, on_answer, &e, err);
    for (i = 0; rc == 0 && i < e.n; i++) {
        struct kept_answer *k = &e.a[i];
        char *sealed = NULL;

        if (st->sealed) {
            char *id = NULL;

            rc = store_idem_id(k->user, k->key, &id, err);
            if (rc == 0) {
                rc = store_seal_text(st, "idempotency", id, 0, k->body,
                                     &sealed, err);
            }
            ctis_free(id);
        }
        if (rc == 0) {
            rc = st->ops->idem_put(st, k->user, k->key, k->at, k->status,
                                   sealed != NULL ? sealed : k->body,
                                   k->location, k->etag, err);
        }
        ctis_free(sealed);
    }
    for (i = 0; i < e.n; i++) {
        kept_free(&e.a[i]);
    }
    ctis_free(e.a);
    return rc;
}

int store_erase_person(struct store *st, const char *case_id,
                       const char *by, const char *reason,
                       struct ctis_err *err)
{
    int rc;

    NEED_OP(st, erase, err);
    if (!st->in_txn) {
        return ctis_err_set(err, CTIS_EINVAL, "a write outside a transaction");
    }
    if (reason == NULL || reason[0] == '\0' || by == NULL || by[0] == '\0') {
        return ctis_err_set(err, CTIS_EINVAL,
                            "an erasure needs who and a reason");
    }
    rc = st->ops->erase(st, case_id, by, reason, err);
    return rc != 0 ? rc : rewrite_answers(st, case_id, err);
}

int store_snapshot(struct store *st, store_snapshot_fn fn, void *ctx,
                   struct ctis_err *err)
{
    if (st->ops->snapshot == NULL) {
        return ctis_err_set(err, CTIS_EUNSUPPORTED,
                            "ctis backup does not snapshot %s",
                            st->ops->name);
    }
    return st->ops->snapshot(st, fn, ctx, err);
}
