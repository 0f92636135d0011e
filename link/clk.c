/*
 * clk.c - the privacy-preserving encoding: a cryptographic long-term key
 * (CLK, Schnell et al. 2011) per record, built on the agency's machine.
 *
 * Each record becomes a 1024-bit Bloom filter. Tokens are the bigrams of
 * the normalised, romanised given and family names (untagged, so swapped
 * names still meet; "_" pads both ends), the phonetic keys of both names
 * and their consonant skeletons,
 * the birth years of the interval (every year of an age range), those
 * years and the next, month, day and both unordered, sex, province,
 * the bigrams of the place, the email and the phone. Each field has its
 * own segment of the filter (link_int.h: names 512 bits, birth 256, sex,
 * province, place and contacts 64 each), so that each is compared on its
 * own as in the clear. Each token sets k bits of its segment (CLK_K_*
 * below) at positions h1 + i * h2 (double hashing), h1 and h2 being two
 * halves of
 * a keyed BLAKE2b hash (crypto_generichash with a key derived from the
 * agencies' shared secret). Without the secret nobody can build the
 * filter of a guessed name; with it, frequency attacks on the bits remain
 * the known risk (docs/linkage.md).
 *
 * Blocking tokens are the clear mode's blocking key strings (compare.c)
 * hashed with a second derived key to 64 bits, written as 16 hex digits.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "link_int.h"

/* Segments of the filter: first bit and size. */
#define NAMES LINK_SEG_NAMES, (LINK_SEG_BIRTH - LINK_SEG_NAMES)
#define BIRTH_YEARS LINK_SEG_BIRTH, 64
#define BIRTH_DAY (LINK_SEG_BIRTH + 64), 64
#define BIRTH_NEAR (LINK_SEG_BIRTH + 128), 128
#define SEX LINK_SEG_SEX, (LINK_SEG_PROVINCE - LINK_SEG_SEX)
#define PROVINCE LINK_SEG_PROVINCE, (LINK_SEG_PLACE - LINK_SEG_PROVINCE)
#define PLACE LINK_SEG_PLACE, (LINK_SEG_CONTACT - LINK_SEG_PLACE)
#define CONTACT LINK_SEG_CONTACT, (LINK_CLK_BITS - LINK_SEG_CONTACT)

/* Bits set per token, by field (docs/linkage.md). */
#ifndef CLK_K_NAME
#define CLK_K_NAME 4       /* bigrams of the names */
#define CLK_K_KEYGRAM 4    /* bigrams of the phonetic keys */
#define CLK_K_KEY 10       /* the phonetic keys whole */
#define CLK_K_SKEL 6       /* the consonant skeletons whole */
#define CLK_K_DAY 6        /* birth month, day, both unordered, 64 bits */
#define CLK_K_NEAR 8       /* each year of the interval and the next, 128 */
#define CLK_K_SEX 6        /* in a segment of 64 bits */
#define CLK_K_PROVINCE 10  /* 64 bits */
#define CLK_K_PLACE 2      /* bigrams of the place, 64 bits */
#define CLK_K_CONTACT 10   /* email, phone, 64 bits */
#endif

/* Keys from the shared secret. */
int link_clk_key_derive(struct link_clk_key *k, const void *secret,
                        size_t len, struct ctis_err *err)
{
    unsigned char master[32];
    static const unsigned char bloom_ctx[] = "ctis link clk bloom v1";
    static const unsigned char block_ctx[] = "ctis link clk block v1";

    if (len < 16) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "the secret must be at least 16 bytes");
    }
    if (sodium_init() < 0) {
        return ctis_err_set(err, CTIS_EINTERNAL, "libsodium did not start");
    }
    crypto_generichash(master, sizeof master, secret, len, NULL, 0);
    crypto_generichash(k->bloom, sizeof k->bloom, bloom_ctx,
                       sizeof bloom_ctx - 1, master, sizeof master);
    crypto_generichash(k->block, sizeof k->block, block_ctx,
                       sizeof block_ctx - 1, master, sizeof master);
    sodium_memzero(master, sizeof master);
    return 0;
}

static uint64_t le64(const unsigned char *p)
{
    uint64_t v = 0;
    int i;

    for (i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static void add_token(uint64_t *bits, const struct link_clk_key *k,
                      const char *tok, int nhash, size_t seg, size_t size)
{
    unsigned char h[16];
    uint64_t h1;
    uint64_t h2;
    int i;

    crypto_generichash(h, sizeof h, (const unsigned char *)tok, strlen(tok),
                       k->bloom, sizeof k->bloom);
    h1 = le64(h);
    h2 = le64(h + 8) | 1;
    for (i = 0; i < nhash; i++) {
        uint64_t pos = seg + (h1 + (uint64_t)i * h2) % size;

        bits[pos / 64] |= 1ULL << (pos % 64);
    }
}

static void add_bigrams(uint64_t *bits, const struct link_clk_key *k,
                        const char *tag, const char *s, int nhash,
                        size_t seg, size_t size)
{
    char pad[LINK_NAME_MAX + 4];
    char tok[16];
    size_t n;
    size_t i;

    if (s == NULL) {
        return;
    }
    snprintf(pad, sizeof pad, "_%s_", s);
    n = strlen(pad);
    for (i = 0; i + 1 < n; i++) {
        snprintf(tok, sizeof tok, "%s%c%c", tag, pad[i], pad[i + 1]);
        add_token(bits, k, tok, nhash, seg, size);
    }
}

/* Encode one record: see the file comment. */
void link_clk_encode(const struct link_set *s, size_t rec,
                     const struct link_clk_key *k, char *clk_b64,
                     size_t clk_size, char tokens[][LINK_TOKEN_TEXT],
                     size_t n_tokens)
{
    const struct link_rec *r = &s->recs[rec];
    uint64_t bits[LINK_CLK_WORDS];
    unsigned char bytes[LINK_CLK_BITS / 8];
    char keys[LINK_BLOCK_KEYS][LINK_KEY_VALUES][LINK_KEY_TEXT];
    char tok[128];
    size_t i;

    memset(bits, 0, sizeof bits);
    link_block_strings(r, keys);
    add_bigrams(bits, k, "n", r->given, CLK_K_NAME, NAMES);
    add_bigrams(bits, k, "n", r->family, CLK_K_NAME, NAMES);
    add_bigrams(bits, k, "q", r->gkey, CLK_K_KEYGRAM, NAMES);
    add_bigrams(bits, k, "q", r->fkey, CLK_K_KEYGRAM, NAMES);
    if (r->gkey != NULL) {
        snprintf(tok, sizeof tok, "k:%s", r->gkey);
        add_token(bits, k, tok, CLK_K_KEY, NAMES);
    }
    if (r->fkey != NULL) {
        snprintf(tok, sizeof tok, "k:%s", r->fkey);
        add_token(bits, k, tok, CLK_K_KEY, NAMES);
    }
    /* the consonant skeletons (the first blocking key's names, order
     * free): vowel spellings and the inherent vowel */
    if (keys[6][0][0] != '\0') {
        const char *sk = keys[6][0] + 2;  /* "6|first|second" */
        size_t len = strcspn(sk, "|");

        snprintf(tok, sizeof tok, "s:%.*s", (int)len, sk);
        add_token(bits, k, tok, CLK_K_SKEL, NAMES);
        if (sk[len] == '|') {
            snprintf(tok, sizeof tok, "s:%s", sk + len + 1);
            add_token(bits, k, tok, CLK_K_SKEL, NAMES);
        }
    }
    /* birth: four words of its segment (link_int.h), so that the
     * comparison can tell the clear mode's interval levels apart */
    if (r->ylo != 0) {
        int y;

        for (y = r->ylo; y <= r->yhi; y++) {
            snprintf(tok, sizeof tok, "y:%d", y);
            add_token(bits, k, tok, CLK_K_YEAR, BIRTH_YEARS);
        }
        for (y = r->ylo; y <= r->yhi + 1; y++) {
            snprintf(tok, sizeof tok, "w:%d", y);
            add_token(bits, k, tok, CLK_K_NEAR, BIRTH_NEAR);
        }
    }
    if (r->by != 0 && r->bm != 0) {
        snprintf(tok, sizeof tok, "m:%d", r->bm);
        add_token(bits, k, tok, CLK_K_DAY, BIRTH_DAY);
    }
    if (r->by != 0 && r->bd != 0) {
        snprintf(tok, sizeof tok, "d:%d", r->bd);
        add_token(bits, k, tok, CLK_K_DAY, BIRTH_DAY);
        if (r->bm != 0) {
            /* day and month, order-free: a swapped date shares it */
            snprintf(tok, sizeof tok, "u:%d:%d", r->bm < r->bd ? r->bm : r->bd,
                     r->bm < r->bd ? r->bd : r->bm);
            add_token(bits, k, tok, CLK_K_DAY, BIRTH_DAY);
        }
    }
    if (r->sex != 0) {
        snprintf(tok, sizeof tok, "s:%d", r->sex);
        add_token(bits, k, tok, CLK_K_SEX, SEX);
    }
    if (r->prov != 0) {
        snprintf(tok, sizeof tok, "p:%u", (unsigned)r->prov);
        add_token(bits, k, tok, CLK_K_PROVINCE, PROVINCE);
    }
    add_bigrams(bits, k, "l", r->place, CLK_K_PLACE, PLACE);
    if (r->email != NULL) {
        snprintf(tok, sizeof tok, "e:%s", r->email);
        add_token(bits, k, tok, CLK_K_CONTACT, CONTACT);
    }
    if (r->phone != 0) {
        snprintf(tok, sizeof tok, "t:%llx", (unsigned long long)r->phone);
        add_token(bits, k, tok, CLK_K_CONTACT, CONTACT);
    }
    for (i = 0; i < LINK_CLK_WORDS; i++) {
        int b;

        for (b = 0; b < 8; b++) {
            bytes[i * 8 + (size_t)b] = (unsigned char)(bits[i] >> (8 * b));
        }
    }
    sodium_bin2base64(clk_b64, clk_size, bytes, sizeof bytes,
                      sodium_base64_VARIANT_ORIGINAL);
    for (i = 0; i < n_tokens; i++) {
        size_t v;
        size_t len = 0;

        tokens[i][0] = '\0';
        for (v = 0; i < LINK_BLOCK_KEYS && v < LINK_KEY_VALUES; v++) {
            unsigned char h[8];

            if (keys[i][v][0] == '\0') {
                continue;
            }
            crypto_generichash(h, sizeof h,
                               (const unsigned char *)keys[i][v],
                               strlen(keys[i][v]), k->block,
                               sizeof k->block);
            snprintf(tokens[i] + len, LINK_TOKEN_TEXT - len, "%s%016llx",
                     len > 0 ? ";" : "", (unsigned long long)le64(h));
            len = strlen(tokens[i]);
        }
    }
}

static int parse_hex64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;

    if (n != 16) {
        return CTIS_EINVAL;
    }
    for (i = 0; i < 16; i++) {
        char c = s[i];
        int d;

        if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            d = c - 'a' + 10;
        } else {
            return CTIS_EINVAL;
        }
        v = (v << 4) | (uint64_t)d;
    }
    *out = v == 0 ? 1 : v;
    return 0;
}

/* Parse "hex;hex;..." into out[LINK_KEY_VALUES] (zeros past the end). */
static int parse_token(const char *s, uint64_t *out)
{
    size_t v = 0;

    memset(out, 0, LINK_KEY_VALUES * sizeof *out);
    if (s == NULL || s[0] == '\0') {
        return 0;
    }
    for (;;) {
        const char *semi = strchr(s, ';');
        size_t n = semi != NULL ? (size_t)(semi - s) : strlen(s);

        if (v == LINK_KEY_VALUES || parse_hex64(s, n, &out[v]) != 0) {
            return CTIS_EINVAL;
        }
        v++;
        if (semi == NULL) {
            return 0;
        }
        s = semi + 1;
    }
}

/* Add an encoded record. */
int link_set_add_clk(struct link_set *s, const char *list, const char *id,
                     const char *clk_b64, const char *const *tokens,
                     size_t n_tokens, const char *where,
                     struct ctis_err *err)
{
    const char *fields[LINK_F_COUNT];
    unsigned char bytes[LINK_CLK_BITS / 8 + 8];
    size_t len = 0;
    uint64_t *bloom;
    struct link_rec *r;
    size_t i;
    int rc;
    int mode = s->mode;

    if (mode == 1) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s: clear and encoded records cannot be "
                            "linked together", where);
    }
    if (clk_b64 == NULL ||
        sodium_base642bin(bytes, sizeof bytes, clk_b64, strlen(clk_b64),
                          NULL, &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len != LINK_CLK_BITS / 8) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s: field '" LINK_CLK_COLUMN "': not a base64 "
                            "encoding of "
                            "%d bits", where, LINK_CLK_BITS);
    }
    for (i = 0; i < n_tokens && i < LINK_BLOCK_KEYS; i++) {
        uint64_t v[LINK_KEY_VALUES];

        if (parse_token(tokens[i], v) != 0) {
            return ctis_err_set(err, CTIS_EINVAL,
                                "%s: field 'b%zu': not 16 hex digits "
                                "(up to 4, joined by ';')",
                                where, i + 1);
        }
    }
    bloom = ctis_arena_alloc(&s->arena, LINK_CLK_WORDS * sizeof *bloom);
    if (bloom == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    /* the id checks and the list come from the clear path */
    memset(fields, 0, sizeof fields);
    fields[LINK_F_LIST] = list;
    fields[LINK_F_RECORD_ID] = id;
    s->mode = 0;
    rc = link_set_add(s, fields, where, err);
    if (rc != 0) {
        s->mode = mode;
        return rc;
    }
    s->mode = 2;
    r = &s->recs[s->n - 1];
    r->bloom = bloom;
    memset(r->pop, 0, sizeof r->pop);
    for (i = 0; i < LINK_CLK_WORDS; i++) {
        int seg = 0;

        while (seg + 1 < LINK_SEGS && (int)i * 64 >= link_seg_start(seg + 1)) {
            seg++;
        }

        bloom[i] = le64(bytes + i * 8);
        r->pop[seg] = (uint16_t)(r->pop[seg] +
                                 __builtin_popcountll(bloom[i]));
    }
    /* equal birth years set equal bits: they sort next to each other */
    r->sortkey = (uint32_t)(bloom[LINK_SEG_BIRTH / 64] >> 32);
    for (i = 0; i < LINK_BLOCK_KEYS; i++) {
        uint64_t v[LINK_KEY_VALUES];
        size_t x;

        parse_token(i < n_tokens ? tokens[i] : NULL, v);
        for (x = 0; x < LINK_KEY_VALUES; x++) {
            uint32_t t = (uint32_t)(v[x] ^ (v[x] >> 32));

            r->tok[i][x] = v[x] != 0 && t == 0 ? 1 : t;
        }
    }
    return 0;
}
