/*
 * seal.c - data keys, key-encryption keys, wraps, sealed values and blind
 * indexes over libsodium (seal.h has the scheme).
 *
 * Every secret sits in sodium_malloc'd memory (guard pages, mlock'd,
 * wiped by sodium_free): struct seal_key and struct seal_kek are never on
 * the stack or in ctis_malloc'd memory. Temporary copies on the stack
 * (a derived passphrase key) are wiped with sodium_memzero before return.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seal_int.h"

#define KDF_CONTEXT "ctisseal"
#define SUB_VALUE 1
#define SUB_BLIND 2
#define SUB_STREAM 3
#define SUB_ID 4

struct seal_key {
    /* keyed BLAKE2b of the blind subkey, as crypto_generichash_init left
     * it: seal_blind starts each value from a copy (the key block is
     * prepared once per key, not once per value) */
    crypto_generichash_state blind_init;
    unsigned char dk[SEAL_KEY_BYTES];
    unsigned char value[SEAL_KEY_BYTES];
    unsigned char blind[SEAL_KEY_BYTES];
    unsigned char stream[SEAL_KEY_BYTES];
    char id[SEAL_ID_MAX];
    int gen;
};

/* sodium_malloc puts a block against a guard page: a size that is a
 * multiple of the state's alignment keeps blind_init aligned. */
_Static_assert(sizeof(struct seal_key) % 64 == 0,
               "struct seal_key must be a multiple of 64 bytes");

struct seal_kek {
    int kind;
    unsigned char key[SEAL_KEY_BYTES];  /* key file */
    char id[SEAL_ID_MAX];
    char pass[1024];                    /* passphrase */
    size_t pass_len;
};

void seal_wipe(void *p, size_t n)
{
    sodium_memzero(p, n);
}

/* libsodium is safe to initialise more than once. */
int seal_init(struct ctis_err *err)
{
    if (sodium_init() < 0) {
        return ctis_err_set(err, CTIS_EINTERNAL, "libsodium failed to start");
    }
    return 0;
}

static void hex_id(const unsigned char *b, char *out)
{
    sodium_bin2hex(out, SEAL_ID_MAX, b, (SEAL_ID_MAX - 1) / 2);
}

/* ---- key-encryption keys ----------------------------------------------- */

static int kek_alloc(struct seal_kek **out, int kind, struct ctis_err *err)
{
    struct seal_kek *k;

    if (seal_init(err) != 0) {
        return CTIS_EINTERNAL;
    }
    k = sodium_malloc(sizeof *k);
    if (k == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of locked memory");
    }
    sodium_memzero(k, sizeof *k);
    k->kind = kind;
    *out = k;
    return 0;
}

/* A key file id: a keyed hash of the key, so printing it tells nothing. */
static void file_id(const unsigned char *key, char *out)
{
    unsigned char h[8];

    crypto_generichash(h, sizeof h, (const unsigned char *)"ctis-kek-id", 11,
                       key, SEAL_KEY_BYTES);
    hex_id(h, out);
}

#define KEYFILE_MAGIC "ctis-key-1 "

/* "ctis-key-1 " then 64 hex digits, an optional newline, nothing else. */
int seal_keyfile_parse(const char *text, size_t len, unsigned char *out)
{
    size_t mlen = sizeof KEYFILE_MAGIC - 1;
    size_t bin_len = 0;

    if (len > 0 && text[len - 1] == '\n') {
        len--;
    }
    if (len != mlen + 2 * SEAL_KEY_BYTES ||
        memcmp(text, KEYFILE_MAGIC, mlen) != 0) {
        return CTIS_EKEY;
    }
    if (sodium_hex2bin(out, SEAL_KEY_BYTES, text + mlen, 2 * SEAL_KEY_BYTES,
                       NULL, &bin_len, NULL) != 0 ||
        bin_len != SEAL_KEY_BYTES) {
        sodium_memzero(out, SEAL_KEY_BYTES);
        return CTIS_EKEY;
    }
    return 0;
}

/* Write all of buf to fd. */
static int write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* O_EXCL so an existing key is never replaced; 0600 from the start. */
int seal_keyfile_create(const char *path, struct ctis_err *err)
{
    unsigned char key[SEAL_KEY_BYTES];
    char text[sizeof KEYFILE_MAGIC + 2 * SEAL_KEY_BYTES + 2];
    size_t mlen = sizeof KEYFILE_MAGIC - 1;
    int fd;
    int bad;

    if (seal_init(err) != 0) {
        return CTIS_EINTERNAL;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return ctis_err_set(err, errno == EEXIST ? CTIS_EEXIST : CTIS_EIO,
                            "cannot create key file '%s': %s", path,
                            strerror(errno));
    }
    randombytes_buf(key, sizeof key);
    memcpy(text, KEYFILE_MAGIC, mlen);
    sodium_bin2hex(text + mlen, 2 * SEAL_KEY_BYTES + 1, key, sizeof key);
    text[mlen + 2 * SEAL_KEY_BYTES] = '\n';
    bad = fchmod(fd, 0600) != 0 ||
          write_all(fd, text, mlen + 2 * SEAL_KEY_BYTES + 1) != 0 ||
          fsync(fd) != 0;
    sodium_memzero(key, sizeof key);
    sodium_memzero(text, sizeof text);
    if (close(fd) != 0 || bad) {
        unlink(path);
        return ctis_err_set(err, CTIS_EIO, "cannot write key file '%s'",
                            path);
    }
    return 0;
}

/* Refuses a key file that others can read, as ssh does. */
int seal_kek_from_file(struct seal_kek **out, const char *path,
                       struct ctis_err *err)
{
    struct seal_kek *k = NULL;
    struct stat st;
    char text[256];
    ssize_t n;
    int fd;
    int rc;

    *out = NULL;
    /* another user's key file: a data key wrapped by it (key add) would
     * be theirs to unwrap; a missing one is a missing key (exit 8) */
    fd = ctis_open_own_file(path, "key file", CTIS_EKEY, &st, err);
    if (fd < 0) {
        return CTIS_EKEY;
    }
    if ((st.st_mode & 077) != 0) {
        close(fd);
        return ctis_err_set(err, CTIS_EKEY,
                            "key file '%s' is readable by others or writable by them (mode %03o); "
                            "chmod 600 it",
                            path, (unsigned)(st.st_mode & 0777));
    }
    n = read(fd, text, sizeof text);
    close(fd);
    if (n < 0) {
        return ctis_err_set(err, CTIS_EIO, "cannot read key file '%s'", path);
    }
    rc = kek_alloc(&k, SEAL_KEK_FILE, err);
    if (rc != 0) {
        sodium_memzero(text, sizeof text);
        return rc;
    }
    rc = seal_keyfile_parse(text, (size_t)n, k->key);
    sodium_memzero(text, sizeof text);
    if (rc != 0) {
        seal_kek_free(k);
        return ctis_err_set(err, CTIS_EKEY, "'%s' is not a ctis key file",
                            path);
    }
    file_id(k->key, k->id);
    *out = k;
    return 0;
}

int seal_kek_from_passphrase(struct seal_kek **out, const char *pass,
                             size_t len, struct ctis_err *err)
{
    struct seal_kek *k = NULL;
    int rc;

    *out = NULL;
    if (len == 0 || len >= sizeof k->pass) {
        return ctis_err_set(err, CTIS_EKEY,
                            "a passphrase must have 1 to 1023 bytes");
    }
    rc = kek_alloc(&k, SEAL_KEK_PASSPHRASE, err);
    if (rc != 0 || k == NULL) {
        return rc != 0 ? rc : CTIS_EINTERNAL;
    }
    memcpy(k->pass, pass, len);
    k->pass_len = len;
    *out = k;
    return 0;
}

int seal_kek_kind(const struct seal_kek *k)
{
    return k->kind;
}

const char *seal_kek_id(const struct seal_kek *k)
{
    return k->id;
}

void seal_kek_free(struct seal_kek *k)
{
    if (k != NULL) {
        sodium_free(k);
    }
}

/* ---- data keys ---------------------------------------------------------- */

static int key_alloc(struct seal_key **out, const unsigned char *dk, int gen,
                     struct ctis_err *err)
{
    struct seal_key *k;
    unsigned char idb[crypto_kdf_BYTES_MIN];

    if (seal_init(err) != 0) {
        return CTIS_EINTERNAL;
    }
    k = sodium_malloc(sizeof *k);
    if (k == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of locked memory");
    }
    memcpy(k->dk, dk, SEAL_KEY_BYTES);
    crypto_kdf_derive_from_key(k->value, SEAL_KEY_BYTES, SUB_VALUE,
                               KDF_CONTEXT, k->dk);
    crypto_kdf_derive_from_key(k->blind, SEAL_KEY_BYTES, SUB_BLIND,
                               KDF_CONTEXT, k->dk);
    crypto_generichash_init(&k->blind_init, k->blind, SEAL_KEY_BYTES,
                            SEAL_BLIND_BYTES);
    crypto_kdf_derive_from_key(k->stream, SEAL_KEY_BYTES, SUB_STREAM,
                               KDF_CONTEXT, k->dk);
    crypto_kdf_derive_from_key(idb, sizeof idb, SUB_ID, KDF_CONTEXT, k->dk);
    hex_id(idb, k->id);
    k->gen = gen;
    *out = k;
    return 0;
}

int seal_key_new(struct seal_key **out, int gen, struct ctis_err *err)
{
    unsigned char dk[SEAL_KEY_BYTES];
    int rc;

    if (seal_init(err) != 0) {
        return CTIS_EINTERNAL;
    }
    crypto_kdf_keygen(dk);
    rc = key_alloc(out, dk, gen, err);
    sodium_memzero(dk, sizeof dk);
    return rc;
}

const char *seal_key_id(const struct seal_key *k)
{
    return k->id;
}

int seal_key_gen(const struct seal_key *k)
{
    return k->gen;
}

void seal_key_free(struct seal_key *k)
{
    if (k != NULL) {
        sodium_free(k);
    }
}

/* ---- wraps ------------------------------------------------------------- */

/* Associated data of a wrap: what it claims to hold. */
static size_t wrap_ad(const struct seal_wrap *w, unsigned char *ad)
{
    int n = snprintf((char *)ad, 64, "ctis-wrap|%s|%d|%d", w->key_id, w->gen,
                     w->kind);

    return n > 0 ? (size_t)n : 0;
}

static int wrap_with(const unsigned char *kek, const struct seal_key *dk,
                     struct seal_wrap *w)
{
    unsigned char ad[64];
    size_t adlen;

    ctis_strlcpy(w->key_id, dk->id, sizeof w->key_id);
    w->gen = dk->gen;
    randombytes_buf(w->nonce, sizeof w->nonce);
    adlen = wrap_ad(w, ad);
    crypto_aead_xchacha20poly1305_ietf_encrypt(w->wrapped, NULL, dk->dk,
                                               SEAL_KEY_BYTES, ad, adlen,
                                               NULL, w->nonce, kek);
    return 0;
}

static int unwrap_with(const unsigned char *kek, const struct seal_wrap *w,
                       struct seal_key **out, struct ctis_err *err)
{
    unsigned char ad[64];
    unsigned char dk[SEAL_KEY_BYTES];
    size_t adlen = wrap_ad(w, ad);
    int rc;

    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            dk, NULL, NULL, w->wrapped, SEAL_WRAPPED_BYTES, ad, adlen,
            w->nonce, kek) != 0) {
        return ctis_err_set(err, CTIS_EKEY, "the key does not open data key "
                            "'%s'", w->key_id);
    }
    rc = key_alloc(out, dk, w->gen, err);
    sodium_memzero(dk, sizeof dk);
    if (rc == 0 && strcmp((*out)->id, w->key_id) != 0) {
        seal_key_free(*out);
        *out = NULL;
        return ctis_err_set(err, CTIS_ECORRUPT, "data key '%s' is damaged",
                            w->key_id);
    }
    return rc;
}

/* The passphrase's key for the wrap's salt and limits. ctis writes
 * interactive limits; up to moderate ones are accepted, not more: the
 * limits come from the file (a planted backup header may hold 16 wraps),
 * and sensitive ones would cost 1 GiB and seconds a wrap. */
static int stretch(const struct seal_kek *kek, const struct seal_wrap *w,
                   unsigned char *out, struct ctis_err *err)
{
    if (w->opslimit < crypto_pwhash_OPSLIMIT_INTERACTIVE ||
        w->memlimit < crypto_pwhash_MEMLIMIT_INTERACTIVE ||
        w->opslimit > crypto_pwhash_OPSLIMIT_MODERATE ||
        w->memlimit > crypto_pwhash_MEMLIMIT_MODERATE) {
        return ctis_err_set(err, CTIS_ECORRUPT,
                            "passphrase wrap '%s' has limits out of range",
                            w->kek_id);
    }
    if (crypto_pwhash(out, SEAL_KEY_BYTES, kek->pass, kek->pass_len, w->salt,
                      w->opslimit, (size_t)w->memlimit,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return ctis_err_set(err, CTIS_ENOMEM,
                            "out of memory stretching the passphrase");
    }
    return 0;
}

int seal_wrap(const struct seal_kek *kek, const struct seal_key *dk,
              struct seal_wrap *out, struct ctis_err *err)
{
    unsigned char k[SEAL_KEY_BYTES];
    unsigned char idb[6];
    int rc;

    memset(out, 0, sizeof *out);
    out->kind = kek->kind;
    if (kek->kind == SEAL_KEK_FILE) {
        ctis_strlcpy(out->kek_id, kek->id, sizeof out->kek_id);
        return wrap_with(kek->key, dk, out);
    }
    randombytes_buf(idb, sizeof idb);
    memcpy(out->kek_id, "pass-", 5);
    sodium_bin2hex(out->kek_id + 5, sizeof out->kek_id - 5, idb, 5);
    randombytes_buf(out->salt, sizeof out->salt);
    out->opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    out->memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    rc = stretch(kek, out, k, err);
    if (rc == 0) {
        rc = wrap_with(k, dk, out);
    }
    sodium_memzero(k, sizeof k);
    return rc;
}

int seal_unwrap(const struct seal_kek *kek, const struct seal_wrap *w,
                struct seal_key **out, struct ctis_err *err)
{
    unsigned char k[SEAL_KEY_BYTES];
    int rc;

    *out = NULL;
    if (kek->kind != w->kind) {
        return ctis_err_set(err, CTIS_EKEY, "wrap '%s' is for another kind "
                            "of key", w->kek_id);
    }
    if (kek->kind == SEAL_KEK_FILE) {
        if (strcmp(kek->id, w->kek_id) != 0) {
            return ctis_err_set(err, CTIS_EKEY, "key file '%s' is not key "
                                "'%s'", kek->id, w->kek_id);
        }
        return unwrap_with(kek->key, w, out, err);
    }
    rc = stretch(kek, w, k, err);
    if (rc == 0) {
        rc = unwrap_with(k, w, out, err);
    }
    sodium_memzero(k, sizeof k);
    return rc;
}

int seal_wrap_by_key(const struct seal_key *by, const struct seal_key *dk,
                     struct seal_wrap *out, struct ctis_err *err)
{
    (void)err;
    memset(out, 0, sizeof *out);
    ctis_strlcpy(out->kek_id, by->id, sizeof out->kek_id);
    return wrap_with(by->dk, dk, out);
}

int seal_unwrap_by_key(const struct seal_key *by, const struct seal_wrap *w,
                       struct seal_key **out, struct ctis_err *err)
{
    *out = NULL;
    if (w->kind != 0 || strcmp(by->id, w->kek_id) != 0) {
        return ctis_err_set(err, CTIS_EKEY, "data key '%s' is not wrapped by "
                            "'%s'", w->key_id, by->id);
    }
    return unwrap_with(by->dk, w, out, err);
}

/* ---- values and blind indexes ------------------------------------------ */

/* One page: what is left of buf is its last `left` bytes. A child after
 * fork sees the page zeroed (left 0) when the kernel wipes it; otherwise
 * the pid check refills it. */
#define NONCE_PAGE 4096
#define NONCE_BYTES 24

struct seal_nonces {
    size_t left;
    pid_t pid; /* the process that filled buf */
    int wiped; /* 1 when the kernel wipes the page at fork */
    unsigned char buf[NONCE_PAGE - 64];
};

_Static_assert(sizeof(struct seal_nonces) <= NONCE_PAGE,
               "the nonce pool is one page");

struct seal_nonces *seal_nonces_new(void)
{
    struct seal_nonces *nn;
    void *p;

    if (sodium_init() < 0) {
        return NULL;
    }
    p = mmap(NULL, NONCE_PAGE, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return NULL;
    }
    nn = p;
#ifdef MADV_DONTDUMP
    (void)madvise(p, NONCE_PAGE, MADV_DONTDUMP);
#endif
#ifdef MADV_WIPEONFORK
    nn->wiped = madvise(p, NONCE_PAGE, MADV_WIPEONFORK) == 0;
#endif
    nn->left = 0;
    return nn;
}

void seal_nonces_free(struct seal_nonces *nn)
{
    if (nn != NULL) {
        sodium_memzero(nn, sizeof *nn);
        munmap(nn, NONCE_PAGE);
    }
}

void seal_nonce(struct seal_nonces *nn, unsigned char *out)
{
    unsigned char *at;

    if (nn == NULL) {
        randombytes_buf(out, NONCE_BYTES);
        return;
    }
    if (nn->left < NONCE_BYTES || (!nn->wiped && nn->pid != getpid())) {
        randombytes_buf(nn->buf, sizeof nn->buf);
        nn->left = sizeof nn->buf - sizeof nn->buf % NONCE_BYTES;
        nn->pid = getpid();
    }
    at = nn->buf + sizeof nn->buf - nn->left;
    memcpy(out, at, NONCE_BYTES);
    sodium_memzero(at, NONCE_BYTES);
    nn->left -= NONCE_BYTES;
}

void seal_value(const struct seal_key *k, struct seal_nonces *nn,
                const unsigned char *pt, size_t n, const unsigned char *ad,
                size_t adlen, unsigned char *out)
{
    seal_nonce(nn, out);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + 24, NULL, pt, n, ad,
                                               adlen, NULL, out, k->value);
}

int seal_open(const struct seal_key *k, const unsigned char *in, size_t n,
              const unsigned char *ad, size_t adlen, unsigned char *out)
{
    if (n < SEAL_OVERHEAD ||
        crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, in + 24,
                                                   n - 24, ad, adlen, in,
                                                   k->value) != 0) {
        return CTIS_ECORRUPT;
    }
    return 0;
}

void seal_blind(const struct seal_key *k, const char *kind,
                const char *value, unsigned char *out)
{
    crypto_generichash_state st = k->blind_init;

    crypto_generichash_update(&st, (const unsigned char *)kind,
                              strlen(kind) + 1);
    crypto_generichash_update(&st, (const unsigned char *)value,
                              strlen(value));
    crypto_generichash_final(&st, out, SEAL_BLIND_BYTES);
    sodium_memzero(&st, sizeof st);
}

/* The stream subkey, for stream.c. */
const unsigned char *seal_key_stream(const struct seal_key *k)
{
    return k->stream;
}
