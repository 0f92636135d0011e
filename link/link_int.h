/*
 * link_int.h - what the files of link/ share and nobody else sees: the
 * compact record, the set, the fitted model.
 */
#ifndef CTIS_LINK_INT_H
#define CTIS_LINK_INT_H

#include "link.h"

#define LINK_NAME_MAX 96
#define LINK_KEY_MAX 32
#define LINK_CLK_WORDS (LINK_CLK_BITS / 64)
#define LINK_KEY_VALUES 4 /* values per blocking key and record */
#define LINK_KEY_TEXT 96
#define LINK_READINGS_ALT (MODEL_NAME_READINGS - 1) /* other readings kept */
/* CLK segments, one per compared field (64-bit aligned): names, birth,
 * sex, province, place, contacts; LINK_CLK_BITS ends the last. */
#define LINK_SEG_NAMES 0
#define LINK_SEG_BIRTH 512
#define LINK_SEG_SEX 768
#define LINK_SEG_PROVINCE 832
#define LINK_SEG_PLACE 896
#define LINK_SEG_CONTACT 960
#define LINK_SEGS 6
/* The birth segment's words (first bit, size): the years of the birth
 * interval (64 bits), its month and day (64), its years and the next
 * (128: two births at most a year apart share one). */
#define LINK_BIRTH_YEARS LINK_SEG_BIRTH
#define LINK_BIRTH_DAY (LINK_SEG_BIRTH + 64)
#define LINK_BIRTH_NEAR (LINK_SEG_BIRTH + 128)
/* Bits of the day word of a full date at least (month, day and both
 * unordered, 6 bits each in 64, about 16; a month alone sets 6). */
#define CLK_FULL_DATE_BITS 11
/* Bits set by each birth year in the years word (distinct: double
 * hashing with an odd step in 64 bits). */
#define CLK_K_YEAR 8

/* First bit of segment i (LINK_SEGS: the end of the filter). */
static inline int link_seg_start(int i)
{
    static const int start[LINK_SEGS + 1] = {
        LINK_SEG_NAMES, LINK_SEG_BIRTH, LINK_SEG_SEX, LINK_SEG_PROVINCE,
        LINK_SEG_PLACE, LINK_SEG_CONTACT, LINK_CLK_BITS};

    return start[i];
}

/* One record, normalised. Strings live in the set's arena; NULL when
 * absent. Hashes are 0 when absent. */
struct link_rec {
    const char *id;
    const char *given; /* normalised, romanised, spaces removed */
    const char *family;
    const char *gkey; /* phonetic keys */
    const char *fkey;
    const char *place;
    const char *email;
    uint64_t *bloom; /* CLK mode: LINK_CLK_WORDS words */
    uint32_t tok[LINK_BLOCK_KEYS]
                [LINK_KEY_VALUES]; /* blocking key
                                    * values (hashed or keyed, 32 bits:
                                    * a collision only merges two
                                    * blocks), 0 none */
    uint64_t phone;                /* hash of the last 8 digits */
    uint32_t gh, fh;         /* hashes of given / family, for frequencies */
    uint32_t gkh, fkh;       /* hashes of their phonetic keys */
    /* hashes of the keys of the names' other readings (a name in Khmer
     * script: model_name_readings), 0 none: a name's key meets the other
     * record's when any of its readings' does */
    uint32_t gka[LINK_READINGS_ALT];
    uint32_t fka[LINK_READINGS_ALT];
    uint32_t wh[2];          /* whole name, given+family and family+given */
    uint32_t wk[2];          /* phonetic keys of the whole name, both orders */
    uint32_t placeh, emailh; /* hashes of place and email */
    uint8_t glen, flen, plen, elen; /* lengths (at most 255) */
    uint32_t prov;                  /* hash of the province code or name */
    uint32_t list;
    uint32_t gsk, fsk; /* hashes of the names' consonant skeletons */
    uint32_t ckh;      /* hash of both phonetic keys, order-free: the
                        * name combination, for its frequency */
    int32_t blo, bhi;  /* birth as an interval of days (link_day), 0 0
                        * unknown: a date is one day, a year or a month
                        * its days, an age at a date the year before it */
    uint32_t sortkey;  /* order inside a block too large to enumerate
                        * whole: birth (16 bits of days), province,
                        * place; encoded: the first birth bits */
    int16_t by;        /* birth year, 0 unknown */
    int16_t ylo, yhi;  /* birth year range (from age or year) */
    int8_t bm, bd;     /* month, day; 0 unknown */
    uint8_t sex;       /* 0 unknown, 1 female, 2 male, 3 other */
    uint8_t kage;      /* 1: the interval is a stated age's (which may
                        * be in Khmer reckoning, a year more) */
    uint16_t pop[LINK_SEGS]; /* CLK: bits set per segment */
};

struct link_decision {
    uint32_t a, b;
    int match;
};

struct link_model {
    int fitted;
    int clk;
    int n_fields;
    int n_levels[LINK_C_COUNT];
    double m[LINK_C_COUNT][LINK_LEVELS];
    double u[LINK_C_COUNT][LINK_LEVELS];
    double w[LINK_C_COUNT][LINK_LEVELS]; /* log2(m/u) */
    double lambda; /* share of matches among candidate pairs */
    double prior;  /* log2 prior odds of a random pair */
    double prior_pair[2]; /* the same for a pair of two lists [0] and of
                           * one list [1] (a duplicate inside a list) */
    /* term frequencies of names and keys: open-addressing table */
    uint32_t *tf_key;
    uint32_t *tf_count;
    size_t tf_cap;
    size_t n_records;
    double tf_n[5];  /* records with a given, family, given key, family
                      * key */
    double tf_sq[5]; /* sum of squared relative frequencies */
    int tf_self;     /* units of a pair's own in a combination's count:
                      * 2 records, or 1 person */
    float *tf_rec;   /* per record: the four frequencies above and
                      * that of its name combination (tag 4) */
};

struct link_set {
    struct ctis_arena arena;
    struct link_rec *recs;
    size_t n;
    size_t cap;
    char **lists;
    size_t n_lists;
    size_t cap_lists;
    /* (list, id) -> record index + 1; open addressing */
    uint32_t *ids;
    size_t ids_cap;
    int mode; /* 0 empty, 1 clear, 2 clk */
    struct link_decision *decisions;
    size_t n_decisions;
    size_t cap_decisions;
    struct link_model model;
    /* birth dates (and age reference dates) after tomorrow, set aside as
     * unknown: how many, and where the first one is ("FILE:LINE") */
    size_t n_future;
    char first_future[96];
};

uint64_t link_hash(const void *p, size_t n, uint64_t seed);
/* link_jaro_winkler with the lengths given. */
double link_jw_n(const char *a, size_t la, const char *b, size_t lb);
uint64_t link_hash_str(const char *s);

/* Build the blocking key strings of record r: up to LINK_KEY_VALUES
 * values per key, "" when absent. */
void link_block_strings(
    const struct link_rec *r,
    char keys[LINK_BLOCK_KEYS][LINK_KEY_VALUES][LINK_KEY_TEXT]);

/* Days since 1 January 1900 of a date (proleptic Gregorian). */
int32_t link_day(int y, int m, int d);

/* Set r's birth interval (blo, bhi) and year range (ylo, yhi) from its
 * birth date parts (by, bm, bd; zeros when unknown) or, when it has no
 * birth year, from a stated age at a date (age < 0: none; am, ad zero
 * when the date is partial). */
void link_birth_interval(struct link_rec *r, long age, int ay, int am, int ad);

/* Fill what is derived from r's normalised fields: skeleton hashes and
 * the sort key. */
void link_rec_finish(struct link_rec *r);

/* Comparison levels of a clear pair into lv[LINK_C_COUNT]. */
void link_compare(const struct link_rec *a, const struct link_rec *b, int *lv);
/* Levels of an encoded pair (Dice of each segment) into
 * lv[LINK_CK_COUNT]. */
void link_compare_clk(const struct link_rec *a, const struct link_rec *b,
                      int *lv);

/* Weight of a pair under the fitted model, with the term-frequency
 * adjustment; lv gets the levels. */
double link_pair_weight(const struct link_set *s, uint32_t a, uint32_t b,
                        int *lv, double *fw);

/* ---- what the pipeline's files share (run.c drives them) ---- */

/* Term-frequency tags: given, family, their keys, the combination. */
#define LINK_TF_TAGS 5

/* A distinct pattern of levels and how many candidates have it. */
struct link_pattern {
    uint32_t lv;
    double count;
};

/* A candidate pair and its packed levels (3 bits a field). */
struct link_cand {
    uint32_t a, b;
    uint32_t lv;
};

struct link_cands {
    struct link_cand *v;
    size_t n;
    size_t cap;
    int oom;
};

/* A candidate met only in a block compared by windows: sorted by birth,
 * its pairs are blocked on near births and teach EM nothing (the bit is
 * above the packed levels). */
#define LINK_WINDOWED (1u << 31)
/* A candidate that shares a block compared whole of a key without birth
 * (names and province, names alone, contacts, place): a population of
 * pairs not selected by their births, from which EM learns birth. */
#define LINK_NOT_BY_BIRTH (1u << 30)

static inline uint32_t link_pack(const int *lv, int nf)
{
    uint32_t p = 0;
    int f;

    for (f = 0; f < nf; f++) {
        p |= (uint32_t)lv[f] << (3 * f);
    }
    return p;
}

static inline int link_level_of(uint32_t p, int f)
{
    return (int)((p >> (3 * f)) & 7);
}

/* block.c: every candidate pair of s, compared, into c; *skipped gets
 * the number of blocks compared by windows. */
int link_candidates(struct link_set *s, const struct link_options *o,
                    struct link_cands *c, uint64_t *skipped,
                    struct ctis_err *err);

/* em.c: u from random pairs; the distinct patterns of c; the EM fit
 * (strict: the sessions for an encoded fit that found nothing), the
 * weights log2(m/u), the expected number of matches among all pairs. */
void link_estimate_u(struct link_set *s, const struct link_options *o);
int link_patterns(const struct link_cands *c, struct link_pattern **out,
                  size_t *n_out);
int link_fit(struct link_model *md, const struct link_pattern *p, size_t np,
             int max_iter, int strict, int *rc);
int link_fit_failed(const struct link_model *md, double matches);
void link_set_weights(struct link_model *md);
double link_expected_matches(const struct link_model *md,
                             const struct link_pattern *p, size_t np,
                             double n_all);
/* The prior of pairs of two lists and of one list apart, each the fixed
 * point of its own expected matches, into md->prior_pair (a class with no
 * pairs gets md->prior). 0 or CTIS_ENOMEM. */
int link_class_priors(const struct link_set *s, const struct link_cands *c,
                      struct link_model *md);
/* The prior of pair (a, b): of one list or of two. */
static inline double link_prior_of(const struct link_set *s, uint32_t a,
                                   uint32_t b)
{
    return s->model.prior_pair[s->recs[a].list == s->recs[b].list];
}

/* weight.c: levels of any pair; name frequencies counted per record
 * (cluster NULL) or per person of cluster[]; the weight of a pair of
 * packed levels p (fw: each field's, or NULL). */
void link_compare_any(const struct link_set *s, uint32_t a, uint32_t b,
                      int *lv);
int link_build_tf(struct link_set *s, const uint32_t *cluster);
double link_weight_of(const struct link_set *s, uint32_t a, uint32_t b,
                      uint32_t p, double *fw);
int link_weight_uses_tf(const struct link_set *s, uint32_t p);

/* cluster.c: accepted pairs into res->cluster (see docs/linkage.md,
 * "Clustering"); the order of pairs, strongest first. */
int link_cluster(const struct link_set *s, struct link_pair *acc, size_t n_acc,
                 double strong, double dup_floor, double mean_floor,
                 double min_floor, struct link_result *res);
int link_cmp_pair_desc(const void *x, const void *y);
/* cluster.c: the pairs v[*n] (weight at least that of the review band)
 * scored as competing candidates; those that reach probability accept
 * are kept, in place. */
int link_compete(const struct link_set *s, struct link_pair *v, size_t *n,
                 double accept);

#endif
