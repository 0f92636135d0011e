/*
 * test_seal.c - seal/ and the store's sealed identities on real SQLite
 * files: values open only with their key and associated data, key files,
 * wraps, sealed streams (whole, truncated, altered), packed identities,
 * and store_find_persons giving the same candidates on a sealed store as
 * on a clear one (blind indexes against the clear rule), with
 * out-of-memory failures clean; sealed texts (case version bodies) in
 * base64, and the hex of older ones still opening; the nonce pool's
 * nonces all differ, open, and a forked child never repeats its parent's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "seal/seal.h"
#include "store/store.h"
#include "store/store_int.h"
#include "tests/support/support.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    return test_tmpdir_make(dir, sizeof dir, "seal");
}

static int teardown(void **state)
{
    (void)state;
    return test_tmpdir_remove(dir);
}

static void test_values(void **state)
{
    struct seal_key *k = NULL;
    struct seal_key *other = NULL;
    unsigned char pt[] = "Sokha Chan";
    unsigned char ct[sizeof pt + SEAL_OVERHEAD];
    unsigned char ct2[sizeof pt + SEAL_OVERHEAD];
    unsigned char out[sizeof pt];
    unsigned char b1[SEAL_BLIND_BYTES];
    unsigned char b2[SEAL_BLIND_BYTES];

    (void)state;
    assert_int_equal(seal_key_new(&k, 1, NULL), 0);
    assert_int_equal(seal_key_new(&other, 1, NULL), 0);
    seal_value(k, NULL, pt, sizeof pt, (const unsigned char *)"a", 1,
               ct);
    seal_value(k, NULL, pt, sizeof pt, (const unsigned char *)"a", 1,
               ct2);
    assert_memory_not_equal(ct, ct2, sizeof ct); /* a fresh nonce */
    assert_int_equal(seal_open(k, ct, sizeof ct, (const unsigned char *)"a",
                               1, out),
                     0);
    assert_memory_equal(out, pt, sizeof pt);
    assert_int_equal(seal_open(k, ct, sizeof ct, (const unsigned char *)"b",
                               1, out),
                     CTIS_ECORRUPT);
    assert_int_equal(seal_open(other, ct, sizeof ct,
                               (const unsigned char *)"a", 1, out),
                     CTIS_ECORRUPT);
    ct[30] ^= 1;
    assert_int_equal(seal_open(k, ct, sizeof ct, (const unsigned char *)"a",
                               1, out),
                     CTIS_ECORRUPT);
    seal_blind(k, "name", "sokha", b1);
    seal_blind(k, "name", "sokha", b2);
    assert_memory_equal(b1, b2, sizeof b1);
    seal_blind(k, "phon", "sokha", b2);
    assert_memory_not_equal(b1, b2, sizeof b1);
    seal_blind(other, "name", "sokha", b2);
    assert_memory_not_equal(b1, b2, sizeof b1);
    seal_key_free(k);
    seal_key_free(other);
}

static int nonce_cmp(const void *a, const void *b)
{
    return memcmp(a, b, 24);
}

/* Nonces from the pool: over several refills all differ and seal values
 * that open; after a fork the child's next nonce is not the parent's
 * next (without the wipe at fork both hand out the same bytes). */
static void test_nonce_pool(void **state)
{
    enum { N = 1000 };
    static unsigned char v[N][24];
    struct seal_nonces *nn = seal_nonces_new();
    struct seal_key *k = NULL;
    unsigned char pt[] = "Sokha Chan";
    unsigned char ct[sizeof pt + SEAL_OVERHEAD];
    unsigned char out[sizeof pt];
    unsigned char mine[24];
    unsigned char child[24];
    int fd[2];
    pid_t pid;
    int status = 0;
    size_t i;

    (void)state;
    assert_non_null(nn);
    assert_int_equal(seal_key_new(&k, 1, NULL), 0);
    for (i = 0; i < N; i++) {
        seal_nonce(nn, v[i]);
    }
    qsort(v, N, sizeof v[0], nonce_cmp);
    for (i = 1; i < N; i++) {
        assert_memory_not_equal(v[i - 1], v[i], 24);
    }
    seal_value(k, nn, pt, sizeof pt, (const unsigned char *)"a", 1, ct);
    assert_int_equal(seal_open(k, ct, sizeof ct, (const unsigned char *)"a",
                               1, out),
                     0);
    assert_memory_equal(out, pt, sizeof pt);
    assert_int_equal(pipe(fd), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        seal_nonce(nn, child);
        _exit(write(fd[1], child, sizeof child) == (ssize_t)sizeof child
                  ? 0
                  : 1);
    }
    seal_nonce(nn, mine);
    assert_int_equal(read(fd[0], child, sizeof child), (int)sizeof child);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(status, 0);
    assert_memory_not_equal(mine, child, sizeof mine);
    close(fd[0]);
    close(fd[1]);
    seal_nonces_free(nn);
    seal_key_free(k);
}

static void test_keyfile_and_wraps(void **state)
{
    char path[512];
    char path2[512];
    struct seal_kek *kek = NULL;
    struct seal_kek *kek2 = NULL;
    struct seal_kek *pass = NULL;
    struct seal_key *dk = NULL;
    struct seal_key *back = NULL;
    struct seal_wrap w;
    struct seal_wrap wp;
    struct ctis_err err;
    struct stat sb;
    unsigned char key[SEAL_KEY_BYTES];

    (void)state;
    snprintf(path, sizeof path, "%s/k", dir);
    snprintf(path2, sizeof path2, "%s/k2", dir);
    assert_int_equal(seal_keyfile_create(path, &err), 0);
    assert_int_equal(seal_keyfile_create(path, &err), CTIS_EEXIST);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(seal_kek_from_file(&kek, path, &err), 0);
    assert_int_equal(seal_keyfile_create(path2, &err), 0);
    assert_int_equal(seal_kek_from_file(&kek2, path2, &err), 0);
    assert_int_equal(seal_keyfile_parse("ctis-key-1 zz", 13, key), CTIS_EKEY);
    assert_int_equal(seal_key_new(&dk, 3, &err), 0);
    assert_int_equal(seal_wrap(kek, dk, &w, &err), 0);
    assert_int_equal(seal_unwrap(kek, &w, &back, &err), 0);
    assert_string_equal(seal_key_id(back), seal_key_id(dk));
    assert_int_equal(seal_key_gen(back), 3);
    seal_key_free(back);
    assert_int_equal(seal_unwrap(kek2, &w, &back, &err), CTIS_EKEY);
    w.wrapped[5] ^= 1;
    assert_int_equal(seal_unwrap(kek, &w, &back, &err), CTIS_EKEY);
    assert_int_equal(seal_kek_from_passphrase(&pass, "pw", 2, &err), 0);
    assert_int_equal(seal_wrap(pass, dk, &wp, &err), 0);
    assert_true(wp.opslimit >= 2 && wp.memlimit >= 64u << 20);
    assert_int_equal(seal_unwrap(pass, &wp, &back, &err), 0);
    seal_key_free(back);
    /* A wrap (of a planted backup header, say) asking for argon2id's
     * sensitive limits, 1 GiB a try, is refused before any stretching:
     * ctis writes interactive limits and accepts up to moderate ones. */
    wp.opslimit = crypto_pwhash_OPSLIMIT_SENSITIVE;
    wp.memlimit = crypto_pwhash_MEMLIMIT_SENSITIVE;
    assert_int_equal(seal_unwrap(pass, &wp, &back, &err), CTIS_ECORRUPT);
    assert_non_null(strstr(err.msg, "limits out of range"));
    wp.opslimit = crypto_pwhash_OPSLIMIT_MODERATE + 1;
    wp.memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    assert_int_equal(seal_unwrap(pass, &wp, &back, &err), CTIS_ECORRUPT);
    chmod(path, 0640);
    seal_kek_free(kek2);
    assert_int_equal(seal_kek_from_file(&kek2, path, &err), CTIS_EKEY);
    assert_non_null(strstr(err.msg, "readable by others"));
    seal_kek_free(kek);
    seal_kek_free(pass);
    seal_key_free(dk);
}

static void test_stream(void **state)
{
    struct seal_key *dk = NULL;
    struct seal_kek *kek = NULL;
    struct seal_wrap w;
    struct seal_stream_header h;
    struct ctis_err err;
    static unsigned char data[200000];
    static char sealed[300000];
    size_t sealed_len = 0;
    uint64_t bytes = 0;
    size_t i;
    FILE *in;
    FILE *out;
    char kpath[512];

    (void)state;
    for (i = 0; i < sizeof data; i++) {
        data[i] = (unsigned char)(i * 7);
    }
    snprintf(kpath, sizeof kpath, "%s/ks", dir);
    assert_int_equal(seal_keyfile_create(kpath, &err), 0);
    assert_int_equal(seal_kek_from_file(&kek, kpath, &err), 0);
    assert_int_equal(seal_key_new(&dk, 1, &err), 0);
    assert_int_equal(seal_wrap(kek, dk, &w, &err), 0);
    in = fmemopen(data, sizeof data, "rb");
    out = tmpfile();
    assert_non_null(out);
    assert_int_equal(seal_stream_write(in, out, dk, &w, 1, &bytes, &err), 0);
    fclose(in);
    rewind(out);
    sealed_len = fread(sealed, 1, sizeof sealed, out);
    fclose(out);
    assert_int_equal(bytes, sizeof data);
    /* whole */
    in = fmemopen(sealed, sealed_len, "rb");
    assert_int_equal(seal_stream_read_header(in, &h, &err), 0);
    assert_string_equal(h.key_id, seal_key_id(dk));
    assert_int_equal(seal_stream_open(in, NULL, dk, &h, &bytes, &err), 0);
    assert_int_equal(bytes, sizeof data);
    fclose(in);
    /* truncated at a chunk boundary and inside a chunk; one byte altered */
    {
        size_t cuts[] = {sealed_len - (sealed_len - h.raw_len) / 4 * 1,
                         h.raw_len + 65536 + 17, sealed_len - 1};

        for (i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
            in = fmemopen(sealed, cuts[i], "rb");
            assert_int_equal(seal_stream_read_header(in, &h, &err), 0);
            assert_int_equal(seal_stream_open(in, NULL, dk, &h, &bytes, &err),
                             CTIS_ECORRUPT);
            fclose(in);
        }
    }
    sealed[sealed_len / 2] ^= 1;
    in = fmemopen(sealed, sealed_len, "rb");
    assert_int_equal(seal_stream_read_header(in, &h, &err), 0);
    assert_int_equal(seal_stream_open(in, NULL, dk, &h, &bytes, &err),
                     CTIS_ECORRUPT);
    fclose(in);
    sealed[sealed_len / 2] ^= 1;
    sealed[20] ^= 1; /* in the header: the first chunk's associated data */
    in = fmemopen(sealed, sealed_len, "rb");
    if (seal_stream_read_header(in, &h, &err) == 0) {
        assert_int_not_equal(seal_stream_open(in, NULL, dk, &h, &bytes, &err),
                             0);
    }
    fclose(in);
    seal_key_free(dk);
    seal_kek_free(kek);
}

static void test_identity_pack(void **state)
{
    struct model_person p;
    struct model_person q;
    unsigned char buf[MODEL_IDENTITY_PACK_MAX];
    size_t n;

    (void)state;
    memset(&p, 0, sizeof p);
    memset(&q, 0, sizeof q);
    ctis_strlcpy(p.given_name, "Sokha", sizeof p.given_name);
    memcpy(p.family_name_km, "\xe1\x9e\x85\xe1\x9e\xb6", 7);
    p.birth_date = 19950412;
    memcpy(p.phone, "+855 12", 8);
    p.sex = MODEL_SEX_FEMALE;
    n = model_identity_pack(&p, buf);
    q.sex = MODEL_SEX_MALE;
    assert_int_equal(model_identity_unpack(buf, n, &q), 0);
    assert_string_equal(q.given_name, "Sokha");
    assert_string_equal(q.family_name_km, p.family_name_km);
    assert_int_equal(q.birth_date, 19950412);
    assert_string_equal(q.phone, "+855 12");
    assert_int_equal(q.sex, MODEL_SEX_MALE); /* not an identity field */
    assert_true(model_field_identifies("home_village"));
    assert_false(model_field_identifies("home_province"));
    assert_false(model_field_identifies("birth_year"));
    buf[2] = 200; /* a length past the end */
    assert_int_equal(model_identity_unpack(buf, n, &q), CTIS_ECORRUPT);
    assert_false(model_person_has_identity(&q));
}

/* Cases with names that match a query by text, by phonetic key, by
 * Khmer script, or not at all. */
static void put_people(struct store *st)
{
    static const char *const names[][3] = {
        {"F-1", "Sokha", "Chan"},      {"F-2", "Sokhar", "Chann"},
        {"F-3", "Dara", "Sok"},        {"F-4", "Bopha", "Chea"},
        {"F-5", "\xe1\x9e\x9f\xe1\x9e\xbb\xe1\x9e\x81\xe1\x9e\xb6", ""},
        {"F-6", "Vannak", "Kim"}};
    static const int born[] = {1990, 1991, 1990, 1991, 1990, 1991};

    assert_int_equal(test_put_people(st, names, 6, born), 0);
}

struct found {
    char ids[16][MODEL_ID_MAX];
    int n;
};

static int on_found(void *ctx, const struct model_case *c)
{
    struct found *f = ctx;

    if (f->n < 16) {
        ctis_strlcpy(f->ids[f->n++], c->id, MODEL_ID_MAX);
    }
    return 0;
}

static void find(struct store *st, const char *name, int year,
                 struct found *out)
{
    struct store_person_query q = {name, year, NULL, 0, 0, 0, 0, NULL};
    struct ctis_err err;

    memset(out, 0, sizeof *out);
    assert_int_equal(store_find_persons(st, &q, on_found, out, &err), 0);
}

static void test_find_same_sealed_and_clear(void **state)
{
    static const struct {
        const char *name;
        int year;
    } queries[] = {{"sokha", 0},   {"SOKHA chan", 0}, {"Sokha", 1990},
                   {"sok", 0},     {"Kim Vannak", 0}, {"nobody", 0},
                   {"\xe1\x9e\x9f\xe1\x9e\xbb\xe1\x9e\x81\xe1\x9e\xb6", 0},
                   {"chea", 1991}};
    char clear[512];
    char sealed[512];
    char kpath[512];
    struct store *a = NULL;
    struct store *b = NULL;
    struct seal_kek *kek = NULL;
    struct ctis_err err;
    size_t i;

    (void)state;
    snprintf(clear, sizeof clear, "%s/clear.db", dir);
    snprintf(sealed, sizeof sealed, "%s/sealed.db", dir);
    snprintf(kpath, sizeof kpath, "%s/kf", dir);
    assert_int_equal(seal_keyfile_create(kpath, &err), 0);
    assert_int_equal(seal_kek_from_file(&kek, kpath, &err), 0);
    assert_int_equal(store_open(&a, clear, STORE_OPEN_CREATE, &err), 0);
    assert_int_equal(store_open(&b, sealed, STORE_OPEN_CREATE, &err), 0);
    assert_int_equal(store_key_init(b, kek, &err), 0);
    assert_true(store_is_sealed(b));
    put_people(a);
    put_people(b);
    for (i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        struct found fa;
        struct found fb;
        int j;

        find(a, queries[i].name, queries[i].year, &fa);
        find(b, queries[i].name, queries[i].year, &fb);
        assert_int_equal(fa.n, fb.n);
        for (j = 0; j < fa.n; j++) {
            assert_string_equal(fa.ids[j], fb.ids[j]);
        }
        if (i == 0) {
            /* Sokha by text, Sokhar by phonetic key, the Khmer spelling */
            assert_int_equal(fa.n, 3);
        }
    }
    store_close(b);
    /* without the key, the sealed store cannot be searched */
    assert_int_equal(store_open(&b, sealed, 0, &err), 0);
    {
        struct store_person_query q = {"sokha", 0, NULL, 0, 0, 0, 0, NULL};
        struct found f;

        memset(&f, 0, sizeof f);
        assert_int_equal(store_find_persons(b, &q, on_found, &f, &err),
                         CTIS_EKEY);
        assert_int_equal(store_unlock(b, kek, &err), 0);
        assert_int_equal(store_find_persons(b, &q, on_found, &f, &err), 0);
        assert_int_equal(f.n, 3);
    }
    store_close(a);
    store_close(b);
    seal_kek_free(kek);
}

/* A sealed text is base64 after "sealed:GEN:~" (a third shorter than the
 * hex it replaced); the hex form written before still opens; an altered
 * character, another version or a cut text do not. */
static void test_sealed_text(void **state)
{
    const char *body = "{\"id\":\"K-1\",\"person\":{\"given_name\":"
                       "\"Sokha\"},\"events\":[]}";
    char path[512];
    char kpath[512];
    struct store *st = NULL;
    struct seal_kek *kek = NULL;
    struct ctis_err err;
    struct ctis_buf hex;
    unsigned char raw[512];
    char *sealed = NULL;
    char *open = NULL;
    const char *b64;
    size_t n = 0;

    (void)state;
    snprintf(path, sizeof path, "%s/text.db", dir);
    snprintf(kpath, sizeof kpath, "%s/kt", dir);
    assert_int_equal(seal_keyfile_create(kpath, &err), 0);
    assert_int_equal(seal_kek_from_file(&kek, kpath, &err), 0);
    assert_int_equal(store_open(&st, path, STORE_OPEN_CREATE, &err), 0);
    assert_int_equal(store_key_init(st, kek, &err), 0);
    assert_int_equal(store_seal_text(st, "record_version", "K-1", 2, body,
                                     &sealed, &err),
                     0);
    assert_true(store_text_is_sealed(sealed));
    assert_null(strstr(sealed, "Sokha"));
    b64 = strstr(sealed + strlen("sealed:"), ":~");
    assert_non_null(b64);
    b64 += 2;
    /* 4 bytes of generation, nonce and tag, in 4/3 the bytes */
    assert_int_equal(strlen(b64),
                     ((strlen(body) + 4 + SEAL_OVERHEAD) * 4 + 2) / 3);
    assert_int_equal(store_open_text(st, "record_version", "K-1", 2, sealed,
                                     &open, &err),
                     0);
    assert_string_equal(open, body);
    ctis_free(open);
    open = NULL;
    assert_int_equal(store_open_text(st, "record_version", "K-1", 3, sealed,
                                     &open, &err),
                     CTIS_ECORRUPT);
    assert_null(strstr(err.msg, "Sokha"));
    /* the same value as hex, the form of texts sealed before */
    assert_int_equal(sodium_base642bin(raw, sizeof raw, b64, strlen(b64),
                                       NULL, &n, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     0);
    ctis_buf_init(&hex);
    assert_int_equal(ctis_buf_append(&hex, sealed,
                                     (size_t)(b64 - 1 - sealed)),
                     0);
    assert_int_equal(store_hex(&hex, raw, n), 0);
    assert_int_equal(store_open_text(st, "record_version", "K-1", 2,
                                     hex.data, &open, &err),
                     0);
    assert_string_equal(open, body);
    ctis_free(open);
    open = NULL;
    ctis_buf_release(&hex);
    /* one character changed, then the text cut short */
    sealed[strlen(sealed) - 10] = sealed[strlen(sealed) - 10] == 'A' ? 'B'
                                                                     : 'A';
    assert_int_equal(store_open_text(st, "record_version", "K-1", 2, sealed,
                                     &open, &err),
                     CTIS_ECORRUPT);
    sealed[strlen(sealed) / 2] = '\0';
    assert_int_equal(store_open_text(st, "record_version", "K-1", 2, sealed,
                                     &open, &err),
                     CTIS_ECORRUPT);
    assert_null(open);
    ctis_free(sealed);
    store_close(st);
    seal_kek_free(kek);
}

/* Every allocation of a sealed put and a search failing in turn: a
 * clean CTIS_ENOMEM (nothing kept) until one succeeds. */
/* A new sealed store dir/NAME.db (its key file dir/NAME.key) holding
 * put_people's persons. */
static void sealed_store(const char *name, char path[512],
                         struct store **st, struct seal_kek **kek)
{
    char kpath[512];
    struct ctis_err err;

    snprintf(path, 512, "%s/%s.db", dir, name);
    snprintf(kpath, sizeof kpath, "%s/%s.key", dir, name);
    assert_int_equal(seal_keyfile_create(kpath, &err), 0);
    assert_int_equal(seal_kek_from_file(kek, kpath, &err), 0);
    assert_int_equal(store_open(st, path, STORE_OPEN_CREATE, &err), 0);
    assert_int_equal(store_key_init(*st, *kek, &err), 0);
    put_people(*st);
}

/* Case id of agency ngo-1, a person of that given name, identified. */
static void one_case(struct model_case *c, const char *id, const char *given)
{
    struct model_event e;

    model_case_init(c);
    ctis_strlcpy(c->id, id, sizeof c->id);
    ctis_strlcpy(c->agency, "ngo-1", sizeof c->agency);
    ctis_strlcpy(c->person.given_name, given, sizeof c->person.given_name);
    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_IDENTIFICATION;
    e.date = 20070301;
    assert_int_equal(model_case_add_event(c, &e), 0);
}

static void test_oom_sealed_put(void **state)
{
    char path[512];
    struct store *st = NULL;
    struct seal_kek *kek = NULL;
    struct ctis_err err;
    struct model_case c;
    struct model_case back;
    struct found f;
    long fail;
    long n = 0;
    int rc = -1;

    (void)state;
    sealed_store("oom", path, &st, &kek);
    one_case(&c, "O-1", "Sophal");
    for (fail = 0; rc != 0; fail++) {
        assert_true(fail < 100000);
        ctis_alloc_fail_after(fail);
        rc = store_begin(st, &err);
        if (rc == 0) {
            rc = store_put_case(st, &c, &err);
        }
        if (rc == 0) {
            rc = store_commit(st, &err);
        } else {
            store_rollback(st);
        }
        ctis_alloc_fail_reset();
        if (rc != 0) {
            assert_int_equal(rc, CTIS_ENOMEM);
            assert_int_equal(store_exists(st, STORE_CASE, "O-1", &err), 0);
        }
    }
    model_case_init(&back);
    assert_int_equal(store_get_case(st, "O-1", &back, &err), 0);
    assert_string_equal(back.person.given_name, "Sophal");
    model_case_release(&back);
    for (rc = -1, fail = 0; rc != 0; fail++) {
        ctis_alloc_fail_after(fail);
        memset(&f, 0, sizeof f);
        rc = store_find_persons(st, &(struct store_person_query){"sokha", 0, NULL, 0, 0, 0, 0, NULL},
                                on_found, &f, &err);
        ctis_alloc_fail_reset();
        if (rc != 0) {
            assert_int_equal(rc, CTIS_ENOMEM);
        }
    }
    assert_int_equal(f.n, 3);
    assert_int_equal(store_count(st, STORE_CASE, &n, &err), 0);
    assert_int_equal(n, 7);
    model_case_release(&c);
    store_close(st);
    seal_kek_free(kek);
}

#define MANY 4000

/* Whether a search gave the case id. */
struct want {
    const char *id;
    int hit;
};

static int on_want(void *ctx, const struct model_case *c)
{
    struct want *w = ctx;

    w->hit |= strcmp(c->id, w->id) == 0;
    return 0;
}

/* The number of person_bidx rows of the cases whose id is LIKE id, read
 * from the file. */
static long bidx_rows(const char *path, const char *id)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    long n = -1;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM person_bidx"
                                        " WHERE case_rid IN (SELECT rid FROM"
                                        " cases WHERE id LIKE ?1)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) {
        n = sqlite3_column_int(q, 0);
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

/* A sealed put's blind index rows wait in memory until the commit
 * (sq_bidx_add): a search, a second put of the same case and an erasure
 * in the same transaction still see them, a rollback drops them, and
 * many puts in one transaction (more than one INSERT of rows) keep them
 * all. */
static void test_pending_blind_rows(void **state)
{
    char path[512];
    char id[MODEL_ID_MAX];
    struct store *st = NULL;
    struct seal_kek *kek = NULL;
    struct ctis_err err;
    struct model_case c;
    struct found f;
    int i;

    (void)state;
    sealed_store("pending", path, &st, &kek);
    one_case(&c, "P-1", "Rithy");
    ctis_strlcpy(c.person.family_name, "Nhem", sizeof c.person.family_name);
    c.person.birth_year = 1993;

    /* found inside the transaction, gone with its rollback */
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    find(st, "rithy", 0, &f);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.ids[0], "P-1");
    store_rollback(st);
    find(st, "rithy", 0, &f);
    assert_int_equal(f.n, 0);
    assert_int_equal(bidx_rows(path, "P-1"), 0);

    /* the rows of one put alone, the reference */
    ctis_strlcpy(c.id, "R-1", sizeof c.id);
    ctis_strlcpy(c.person.given_name, "Pisey", sizeof c.person.given_name);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    ctis_strlcpy(c.id, "P-1", sizeof c.id);
    ctis_strlcpy(c.person.given_name, "Rithy", sizeof c.person.given_name);

    /* put twice in one transaction: only the second's rows are kept */
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    ctis_strlcpy(c.person.given_name, "Pisey", sizeof c.person.given_name);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    find(st, "rithy", 0, &f);
    assert_int_equal(f.n, 0);
    find(st, "pisey", 0, &f);
    assert_int_equal(f.n, 2);
    assert_true(bidx_rows(path, "R-1") >= 3);
    assert_int_equal(bidx_rows(path, "P-1"), bidx_rows(path, "R-1"));

    /* erased in the transaction that wrote it: no row left */
    assert_int_equal(store_begin(st, &err), 0);
    ctis_strlcpy(c.id, "P-2", sizeof c.id);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    assert_int_equal(store_erase_person(st, "P-2", "admin", "test", &err),
                     0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(bidx_rows(path, "P-2"), 0);
    assert_true(bidx_rows(path, "P-1") >= 3);

    /* MANY cases in one transaction, more rows than wait in memory
     * (SQ_BIDX_PENDING): every one has its rows, found by its name */
    assert_int_equal(store_begin(st, &err), 0);
    for (i = 0; i < MANY; i++) {
        snprintf(id, sizeof id, "M-%d", i);
        ctis_strlcpy(c.id, id, sizeof c.id);
        snprintf(c.person.given_name, sizeof c.person.given_name,
                 "Many%c%c%c", 'a' + i % 26, 'a' + i / 26 % 26,
                 'a' + i / 676);
        assert_int_equal(store_put_case(st, &c, &err), 0);
    }
    assert_int_equal(store_commit(st, &err), 0);
    assert_true(bidx_rows(path, "M-0") >= 3);
    assert_true(MANY * bidx_rows(path, "M-0") > SQ_BIDX_PENDING);
    assert_int_equal(bidx_rows(path, "M-%"), MANY * bidx_rows(path, "M-0"));
    for (i = 0; i < MANY; i += 397) {
        char name[32];
        struct want w = {id, 0};
        struct store_person_query q = {name, 0, NULL, 0, 0, 0, 0, NULL};

        snprintf(name, sizeof name, "many%c%c%c", 'a' + i % 26,
                 'a' + i / 26 % 26, 'a' + i / 676);
        snprintf(id, sizeof id, "M-%d", i);
        assert_int_equal(store_find_persons(st, &q, on_want, &w, &err), 0);
        assert_true(w.hit);
    }
    model_case_release(&c);
    store_close(st);
    seal_kek_free(kek);
}

/* The blind value list of case id's person row (migration 9) into out
 * (cap bytes): its length. */
static int bidx_list(const char *path, const char *id, unsigned char *out,
                     size_t cap)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int n = -1;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT p.bidx FROM person_identity p"
                                        " JOIN cases c ON c.rid = p.case_rid"
                                        " WHERE c.id = ?1",
                                        -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) {
        n = sqlite3_column_bytes(q, 0);
        assert_true((size_t)n <= cap);
        memcpy(out, sqlite3_column_blob(q, 0), (size_t)n);
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

/* Blind values made ahead of the put (store_prepare_person, as the
 * importer's parser thread does) give the rows a plain put gives; made
 * with another key, they are not used but made anew. */
static void test_prepared_blind(void **state)
{
    char path[512];
    struct store *st = NULL;
    struct seal_kek *kek = NULL;
    struct seal_key *other = NULL;
    struct store_blind *b = NULL;
    struct ctis_err err;
    struct model_case c;
    struct found f;
    unsigned char l1[STORE_BLIND_MAX * SEAL_BLIND_BYTES];
    unsigned char l2[STORE_BLIND_MAX * SEAL_BLIND_BYTES];
    unsigned char l3[STORE_BLIND_MAX * SEAL_BLIND_BYTES];
    int n;

    (void)state;
    sealed_store("prepared", path, &st, &kek);
    b = ctis_malloc(sizeof *b);
    assert_non_null(b);
    assert_non_null(store_blind_key(st));
    one_case(&c, "A-1", "Chanvy");
    ctis_strlcpy(c.person.family_name, "Leakhena", sizeof c.person.family_name);
    c.person.birth_year = 1994;
    store_prepare_person(store_blind_key(st), &c, b);
    assert_true(b->n >= 3);
    assert_int_equal(store_begin(st, &err), 0);
    store_use_blind(st, b);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    store_use_blind(st, NULL);
    ctis_strlcpy(c.id, "A-2", sizeof c.id);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    /* made with another key: not used */
    assert_int_equal(seal_key_new(&other, 1, NULL), 0);
    ctis_strlcpy(c.id, "A-3", sizeof c.id);
    store_prepare_person(other, &c, b);
    store_use_blind(st, b);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    /* made for another case: not used */
    store_prepare_person(store_blind_key(st), &c, b);
    ctis_strlcpy(c.id, "A-4", sizeof c.id);
    ctis_strlcpy(c.person.given_name, "Kunthea", sizeof c.person.given_name);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    store_use_blind(st, NULL);
    assert_int_equal(store_commit(st, &err), 0);
    n = bidx_list(path, "A-2", l2, sizeof l2);
    assert_int_equal(n, (int)(b->n * SEAL_BLIND_BYTES));
    assert_int_equal(bidx_list(path, "A-1", l1, sizeof l1), n);
    assert_memory_equal(l1, l2, (size_t)n);
    assert_int_equal(bidx_list(path, "A-3", l3, sizeof l3), n);
    assert_memory_equal(l3, l2, (size_t)n);
    assert_int_equal(bidx_rows(path, "A-1"), (long)b->n);
    assert_int_equal(bidx_rows(path, "A-3"), (long)b->n);
    find(st, "chanvy", 1994, &f);
    assert_int_equal(f.n, 3);
    find(st, "kunthea", 0, &f);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.ids[0], "A-4");
    /* a clear database: nothing made */
    store_prepare_person(NULL, &c, b);
    assert_int_equal(b->n, 0);
    assert_null(b->key);
    model_case_release(&c);
    seal_key_free(other);
    ctis_free(b);
    store_close(st);
    seal_kek_free(kek);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_nonce_pool),
        cmocka_unit_test(test_keyfile_and_wraps),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_identity_pack),
        cmocka_unit_test(test_find_same_sealed_and_clear),
        cmocka_unit_test(test_sealed_text),
        cmocka_unit_test(test_oom_sealed_put),
        cmocka_unit_test(test_pending_blind_rows),
        cmocka_unit_test(test_prepared_blind),
    };

    return cmocka_run_group_tests_name("seal", tests, setup, teardown);
}
