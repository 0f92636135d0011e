/*
 * seal.h - sealing at rest: the data key, the key-encryption keys that
 * wrap it, sealed values, blind indexes and sealed streams (backups).
 * libsodium only; seal/ knows bytes and keys, not records (store/ decides
 * what it seals, model/ which fields identify a person).
 *
 * Keys (docs/security.md):
 * - The data key (DK) is 32 random bytes made once per database (and again
 *   by each rotation). It never leaves memory unwrapped: it lives in
 *   sodium_malloc'd pages (guarded, locked, wiped on free). Three subkeys
 *   are derived from it with crypto_kdf: one seals values, one keys the
 *   blind indexes, one seals backups. Its id is a keyed hash of the key
 *   (16 hex digits), safe to print.
 * - A key-encryption key (KEK) wraps the DK: XChaCha20-Poly1305 with the
 *   DK's id and generation as associated data. A KEK is a key file (32
 *   random bytes, hex, mode 0600; its id is a hash of it) or a passphrase
 *   stretched by argon2id (crypto_pwhash, at least the interactive limits,
 *   a random salt per wrap).
 * - A wrap (struct seal_wrap) is what the database stores: public bytes.
 *
 * Sealed values: nonce (24 random bytes) || XChaCha20-Poly1305 ciphertext
 * and tag, with caller-given associated data (store/ passes table, record
 * id and version), so a value copied to another row does not open.
 */
#ifndef CTIS_SEAL_H
#define CTIS_SEAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/base.h"

#define SEAL_KEY_BYTES 32
#define SEAL_ID_MAX 17       /* 16 hex digits and a NUL */
#define SEAL_OVERHEAD 40     /* nonce 24 + tag 16 */
#define SEAL_BLIND_BYTES 16  /* a blind index value */
#define SEAL_SALT_BYTES 16
#define SEAL_WRAPPED_BYTES 48

/* Overwrite n bytes at p with zeros in a way the compiler keeps. */
void seal_wipe(void *p, size_t n);

/* Start libsodium (idempotent). 0 or CTIS_EINTERNAL. */
int seal_init(struct ctis_err *err);

/* ---- key-encryption keys ----------------------------------------------- */

enum seal_kek_kind { SEAL_KEK_FILE = 1, SEAL_KEK_PASSPHRASE = 2 };

/* A key-encryption key in sodium_malloc'd memory: from a key file, or a
 * passphrase (stretched only when a wrap's salt is known). */
struct seal_kek;

/* Create a new key file at path (O_EXCL, mode 0600, fsync'd) holding 32
 * random bytes as hex. CTIS_EEXIST if the file exists, CTIS_EIO. */
int seal_keyfile_create(const char *path, struct ctis_err *err);
/* Read a key file. CTIS_ENOTFOUND, CTIS_EKEY (not a key file, or readable
 * by group or others: the message says which, never the content), CTIS_EIO.
 * *out is the caller's (seal_kek_free). */
int seal_kek_from_file(struct seal_kek **out, const char *path,
                       struct ctis_err *err);
/* Parse the text of a key file (len bytes) into out (32 bytes). 0 or
 * CTIS_EKEY. The fuzzed parser behind seal_kek_from_file. */
int seal_keyfile_parse(const char *text, size_t len, unsigned char *out);
/* A passphrase (copied into locked memory; the caller wipes its own). */
int seal_kek_from_passphrase(struct seal_kek **out, const char *pass,
                             size_t len, struct ctis_err *err);
/* The kind and, for a key file, its id ("" for a passphrase). */
int seal_kek_kind(const struct seal_kek *k);
const char *seal_kek_id(const struct seal_kek *k);
/* Wipe and free. Accepts NULL. */
void seal_kek_free(struct seal_kek *k);

/* ---- the data key ------------------------------------------------------ */

struct seal_key;

/* A new random data key of generation gen. */
int seal_key_new(struct seal_key **out, int gen, struct ctis_err *err);
/* Its id (16 hex digits) and generation. */
const char *seal_key_id(const struct seal_key *k);
int seal_key_gen(const struct seal_key *k);
/* Wipe and free. Accepts NULL. */
void seal_key_free(struct seal_key *k);

/* A wrapped data key, as the database keeps it. Public bytes. */
struct seal_wrap {
    int kind;                   /* enum seal_kek_kind */
    char kek_id[SEAL_ID_MAX];   /* key file id, or "pass-" + 10 hex */
    char key_id[SEAL_ID_MAX];   /* the data key's id */
    int gen;                    /* the data key's generation */
    unsigned char salt[SEAL_SALT_BYTES];  /* passphrase */
    uint64_t opslimit;          /* passphrase */
    uint64_t memlimit;          /* passphrase */
    unsigned char nonce[24];
    unsigned char wrapped[SEAL_WRAPPED_BYTES];
};

/* Wrap dk under kek into out (a passphrase is stretched with a new salt at
 * the interactive limits). */
int seal_wrap(const struct seal_kek *kek, const struct seal_key *dk,
              struct seal_wrap *out, struct ctis_err *err);
/* Unwrap: 0 with *out the caller's; CTIS_EKEY when kek does not open w
 * (a key file whose id differs fails at once, without trying). */
int seal_unwrap(const struct seal_kek *kek, const struct seal_wrap *w,
                struct seal_key **out, struct ctis_err *err);
/* Wrap dk under another data key (during a rotation: the new key is kept
 * wrapped by the old one until every value is re-sealed). kind is 0. */
int seal_wrap_by_key(const struct seal_key *by, const struct seal_key *dk,
                     struct seal_wrap *out, struct ctis_err *err);
int seal_unwrap_by_key(const struct seal_key *by, const struct seal_wrap *w,
                       struct seal_key **out, struct ctis_err *err);

/* ---- values and blind indexes ------------------------------------------ */

/* A pool of random nonces: one randombytes_buf call fills a page and each
 * nonce is the next 24 bytes of it, handed out once and wiped from the
 * pool (a getrandom system call per nonce was 5% of a sealed import).
 * The bytes are libsodium's, so every nonce stays uniformly random and
 * independent. The page is wiped at fork (MADV_WIPEONFORK; without it,
 * a pid check), so a child never hands out its parent's nonces. One per
 * store handle, used by one thread at a time. NULL when no page can be
 * had: seal_value then draws each nonce by itself. */
struct seal_nonces;
struct seal_nonces *seal_nonces_new(void);
/* Wipe and release (NULL is fine). */
void seal_nonces_free(struct seal_nonces *nn);
/* The next 24 bytes of the pool into out (drawn alone if nn is NULL). */
void seal_nonce(struct seal_nonces *nn, unsigned char *out);

/* Seal n bytes of pt into out (n + SEAL_OVERHEAD bytes, caller's) with a
 * fresh random nonce (from nn, or drawn alone when nn is NULL) and ad as
 * associated data. */
void seal_value(const struct seal_key *k, struct seal_nonces *nn,
                const unsigned char *pt, size_t n, const unsigned char *ad,
                size_t adlen, unsigned char *out);
/* Open a sealed value of n bytes into out (n - SEAL_OVERHEAD bytes).
 * 0, or CTIS_ECORRUPT when it does not open with this key and ad (wrong
 * key, altered byte, other row). */
int seal_open(const struct seal_key *k, const unsigned char *in, size_t n,
              const unsigned char *ad, size_t adlen, unsigned char *out);

/* The blind index of a value: keyed BLAKE2b (a subkey of the data key)
 * of kind, a NUL and the value, SEAL_BLIND_BYTES into out. Equal inputs
 * give equal outputs; without the key nothing else is learnt. */
void seal_blind(const struct seal_key *k, const char *kind,
                const char *value, unsigned char *out);

/* ---- sealed streams (backups) ------------------------------------------ */

/*
 * A sealed stream: a header, then chunks of crypto_secretstream_xchacha20
 * poly1305 (64 KiB of plaintext each, the last tagged FINAL). The header:
 * "CTISBAK" and a NUL, format version (1 byte, 1), the data key's id (16
 * bytes) and generation (4 bytes), the number of wraps (1 byte), each
 * wrap (121 bytes), the secretstream header (24 bytes). The header is the
 * associated data of the first chunk, so altering it fails too.
 */
#define SEAL_STREAM_VERSION 1
#define SEAL_STREAM_WRAPS_MAX 16

struct seal_stream_header {
    int version;
    char key_id[SEAL_ID_MAX];
    int gen;
    struct seal_wrap wraps[SEAL_STREAM_WRAPS_MAX];
    int n_wraps;
    unsigned char ss_header[24];   /* secretstream header */
    unsigned char raw[2048];       /* the header as read */
    size_t raw_len;
};

/* Seal the whole of in (read to its end) into out with dk's backup
 * subkey; the header carries the wraps given (so a key file or passphrase
 * opens it later). *bytes gets the plaintext size. */
int seal_stream_write(FILE *in, FILE *out, const struct seal_key *dk,
                      const struct seal_wrap *wraps, int n_wraps,
                      uint64_t *bytes, struct ctis_err *err);
/* Read the header of a sealed stream. CTIS_EINVAL names what is wrong
 * with it (never a key). */
int seal_stream_read_header(FILE *in, struct seal_stream_header *h,
                            struct ctis_err *err);
/* Parse a header from memory (len bytes); *used gets its length. The
 * fuzzed parser behind seal_stream_read_header. */
int seal_stream_parse_header(const unsigned char *p, size_t len,
                             struct seal_stream_header *h, size_t *used);
/* After seal_stream_read_header: open every chunk with dk, writing the
 * plaintext to out (NULL: only check). CTIS_ECORRUPT names the chunk that
 * does not open or the truncation; CTIS_EKEY when dk is not the stream's
 * key. */
int seal_stream_open(FILE *in, FILE *out, const struct seal_key *dk,
                     const struct seal_stream_header *h, uint64_t *bytes,
                     struct ctis_err *err);
/* The same, also copying the plaintext's first head_len bytes (fewer
 * when it is shorter: *bytes says) into head: what the restore looks at
 * to name the database a backup holds. */
int seal_stream_open_head(FILE *in, FILE *out, const struct seal_key *dk,
                          const struct seal_stream_header *h,
                          uint64_t *bytes, unsigned char *head,
                          size_t head_len, struct ctis_err *err);

#endif
