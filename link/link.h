/*
 * link.h - cross-agency record linkage: the same person registered by
 * several agencies under different spellings is found and the records are
 * grouped into persons (docs/linkage.md).
 *
 * A computation module: it takes records as field strings (one row of an
 * agency's list), never a file or a database handle. The flow is
 *
 *   link_set_new -> link_set_add (each row) -> link_run -> read the
 *   clusters, the review pairs and the model -> link_set_free
 *
 * Names are normalised with utf8proc (NFKC, case folding, marks removed),
 * Khmer script is romanised with our own UNGEGN-based table, and a phonetic
 * key absorbs the usual spelling variants of romanised Khmer names. Pairs
 * of records meet through several blocking keys at once; each pair is
 * compared once, field by field, into levels; Fellegi-Sunter weights come
 * from m probabilities fitted by EM and u probabilities measured on random
 * pairs, with term-frequency adjustment of exact name agreement. Accepted
 * pairs are clustered into persons; two records of one list are joined only
 * on strong evidence.
 *
 * The privacy-preserving mode encodes each record on the agency's machine
 * into a keyed Bloom filter (CLK) plus keyed blocking tokens; such records
 * are linked on Dice similarity without any name being seen.
 *
 * Errors follow STYLE.md: 0 or a negative CTIS_E* code, the message in the
 * caller's struct ctis_err, never quoting an identifying value.
 */
#ifndef CTIS_LINK_H
#define CTIS_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "model/model.h"

/* Input fields, by their column names in a linkage CSV. */
enum link_field {
    LINK_F_LIST, LINK_F_RECORD_ID, LINK_F_GIVEN_NAME, LINK_F_FAMILY_NAME,
    LINK_F_FULL_NAME, LINK_F_GIVEN_NAME_KM, LINK_F_FAMILY_NAME_KM,
    LINK_F_SEX, LINK_F_BIRTH_DATE, LINK_F_BIRTH_YEAR, LINK_F_AGE,
    LINK_F_AGE_AT, LINK_F_HOME_PROVINCE, LINK_F_PLACE, LINK_F_PHONE,
    LINK_F_EMAIL,
    LINK_F_COUNT
};

/* Fields of a CLK (encoded) row: list, record_id, the filter (its column
 * named LINK_CLK_COLUMN), then the keyed blocking tokens b1..bN. The
 * column's name is the version of the filter's layout: files of version 1
 * (column "clk", one birth segment of year, month and day tokens) cannot
 * be compared with those of version 2 (birth as intervals) and are
 * refused. */
#define LINK_CLK_COLUMN "clk_v2"
#define LINK_CLK_COLUMN_V1 "clk"
#define LINK_CLK_BITS 1024
#define LINK_BLOCK_KEYS 16
/* A blocking token as text: up to 4 values of 16 hex digits joined by
 * ';' */
#define LINK_TOKEN_TEXT 72

/* The column name of a field ("given_name"); NULL when out of range. */
const char *link_field_name(int field);
/* The field named s, or -1 when s names none. */
int link_field_parse(const char *s);

/* Compared fields of the clear mode, in the order of link_explain. */
enum link_cmp {
    LINK_C_GIVEN, LINK_C_FAMILY, LINK_C_BIRTH, LINK_C_SEX, LINK_C_PROVINCE,
    LINK_C_PLACE, LINK_C_PHONE, LINK_C_EMAIL,
    LINK_C_COUNT
};
/* Compared fields of the encoded mode. */
enum link_cmp_clk { LINK_CK_NAMES, LINK_CK_BIRTH, LINK_CK_SEX,
                    LINK_CK_PROVINCE, LINK_CK_PLACE, LINK_CK_CONTACT,
                    LINK_CK_COUNT };
#define LINK_LEVELS 8      /* levels per compared field, at most */
#define LINK_LEVEL_NULL 7  /* the field is missing on either side */

/* ---- Text: normalisation, romanisation, phonetic key, similarity ----- */

/* Normalisation, Khmer romanisation and phonetic keys are model/'s
 * (model_name_normalise, model_name_romanise_khmer,
 * model_name_phonetic_key): the blind indexes of the store use the same. */

/* The consonant skeleton of a phonetic key (docs/linkage.md): vowel
 * classes and a final S dropped, repeats written once. Writes a
 * NUL-terminated skeleton into out; returns its consonants counting a
 * dropped final S. */
int link_skeleton(const char *key, char *out, size_t outsize);

/* Jaro-Winkler similarity of two byte strings, in [0, 1]. */
double link_jaro_winkler(const char *a, const char *b);

/* Dice similarity of two bit sets of `words` 64-bit words, in [0, 1]. */
double link_dice(const uint64_t *a, const uint64_t *b, size_t words);

/* ---- Records ------------------------------------------------------------ */

struct link_set;

/* Options of a run. link_options_init gives the defaults. */
struct link_options {
    double accept_prob;   /* accept a pair at this match probability */
    double review_low;    /* review band: probabilities in */
    double review_high;   /*   [review_low, review_high) */
    double strong_weight; /* extra weight (bits) over the acceptance
                           * threshold needed to join two records of the
                           * same list */
    double mean_offset;   /* joining two groups of records needs the
                           * mean weight of the pairs across them to reach
                           * the acceptance threshold plus this (bits) */
    double min_weight;    /* ... and no pair across them below this */
    long block_cap;       /* a block of more records than this is
                           * enumerated by windows: */
    long block_window;    /* each record with this many next records in
                           * the order of birth, province and place */
    long u_samples;       /* random pairs for u */
    int em_max_iter;
    int threads;          /* 1 or 2 */
    int progress;         /* -1 off, 0 on a terminal, 1 forced */
    uint64_t seed;
};

/* Fill o with the defaults. */
void link_options_init(struct link_options *o);

/* A new empty set of records. *out owned by the caller (link_set_free).
 * 0 or CTIS_ENOMEM. */
int link_set_new(struct link_set **out, struct ctis_err *err);
/* Free the set and everything it holds. Accepts NULL. */
void link_set_free(struct link_set *s);

/* Number of records / lists. */
size_t link_set_size(const struct link_set *s);
size_t link_set_lists(const struct link_set *s);
/* Name of list i and record i's list index and id; borrowed until
 * link_set_free. */
const char *link_set_list_name(const struct link_set *s, size_t list);
size_t link_set_record_list(const struct link_set *s, size_t rec);
const char *link_set_record_id(const struct link_set *s, size_t rec);
/* The record of that list and id: its index, or -1 when none. */
long link_set_find(const struct link_set *s, const char *list,
                   const char *id);

/* Add one record. fields[LINK_F_COUNT] are the field strings (NULL or ""
 * for absent; fields[LINK_F_LIST] must be set). `where` ("FILE:LINE") starts
 * error messages: "FILE:LINE: field 'NAME': reason". Errors: CTIS_EINVAL for
 * a missing record_id, an id already in that list, broken UTF-8, a
 * malformed date, age or code; CTIS_ENOMEM. The strings are copied. */
int link_set_add(struct link_set *s, const char *const *fields,
                 const char *where, struct ctis_err *err);

/* How many records had a birth date, birth year or age reference date
 * after tomorrow (a mistyped year): link_set_add sets that birth
 * information aside as unknown instead of refusing the list. *first is
 * the "FILE:LINE" of the first ("" when none). */
size_t link_set_future_dates(const struct link_set *s, const char **first);

/* Add one encoded record: list, id, the CLK in base64 and up to
 * LINK_BLOCK_KEYS blocking tokens (link_clk_encode's text, "" when
 * absent). A set holds clear
 * records or encoded ones, never both (CTIS_EINVAL). */
int link_set_add_clk(struct link_set *s, const char *list, const char *id,
                     const char *clk_b64, const char *const *tokens,
                     size_t n_tokens, const char *where,
                     struct ctis_err *err);

/* Nonzero when the set holds encoded records. */
int link_set_is_clk(const struct link_set *s);

/* A reviewer's decision on a pair of records: match (1) or not (0). A
 * match joins them whatever the weights; a non-match keeps them apart.
 * 0 or CTIS_ENOMEM / CTIS_EINVAL (same record twice). */
int link_set_decide(struct link_set *s, size_t a, size_t b, int match,
                    struct ctis_err *err);
/* 0 when the decisions agree with each other; CTIS_EINVAL when match
 * decisions join, directly or through other records, two records that a
 * non_match decision separates. CTIS_ENOMEM. */
int link_set_check_decisions(const struct link_set *s, struct ctis_err *err);

/* ---- Linking -- */

/* A compared pair. */
struct link_pair {
    uint32_t a, b;       /* record indexes, a < b */
    float weight;        /* match weight, bits (log2 Bayes factor) */
    float prob;          /* match probability */
};

/* What a run found. Arrays owned by the result (link_result_release). */
struct link_result {
    uint32_t *cluster;      /* per record: cluster id, 0.. in record order */
    float *match_weight;    /* per record: weight of the pair that joined it
                             * to its cluster, NAN for a lone record */
    size_t n_clusters;
    struct link_pair *review;  /* pairs in the review band, descending */
    size_t n_review;
    /* figures for stderr */
    uint64_t n_candidates;  /* pairs compared */
    uint64_t n_accepted;
    uint64_t n_skipped_blocks;
    int em_iterations;
    double lambda;          /* share of matches among candidate pairs */
    double prior_weight;    /* log2 prior odds of a random pair */
    double accept_weight;   /* weight threshold of acceptance */
    double review_low_weight, review_high_weight;
    double seconds[5];      /* u sampling, blocking and comparing, EM,
                             * scoring, clustering */
};

/* Empty result. */
void link_result_init(struct link_result *r);
/* Free the arrays and re-initialise. Accepts NULL. */
void link_result_release(struct link_result *r);

/* Link the records of s: blocking, comparison, EM, scoring, clustering.
 * The fitted model stays in s for link_explain. Fills res (initialised).
 * When no two records share a blocking key every record is its own person
 * (and there is no model to explain). 0, CTIS_EINVAL (fewer than two
 * records), CTIS_ENOMEM. */
int link_run(struct link_set *s, const struct link_options *o,
             struct link_result *res, struct ctis_err *err);

/* Append to out, one line per compared field, the level and weight of
 * the pair (a, b) under the model fitted by link_run, and the total. The
 * lines show levels and weights only, never values. 0 or CTIS_EINVAL
 * (no model) / CTIS_ENOMEM. */
int link_explain(const struct link_set *s, size_t a, size_t b,
                 struct ctis_buf *out, struct ctis_err *err);

/* Blocking recall, after link_run: compare every pair of s exhaustively
 * under the fitted model; *accepted gets the pairs whose weight reaches
 * accept_weight, *lost those of them that blocking does not enumerate.
 * Quadratic: for samples. 0, CTIS_EINVAL (no model), CTIS_ENOMEM. */
int link_blocking_recall(const struct link_set *s,
                         const struct link_options *o, double accept_weight,
                         uint64_t *accepted, uint64_t *lost,
                         struct ctis_err *err);

/* ---- A run looked at from outside (benchmarks: link/inspect.c) ---------- */

/* One candidate pair after link_run: levels (LINK_LEVEL_NULL when a side
 * lacks the field) and weights of each field under the fitted model with
 * the term frequencies of the last pass, the pair's prior, and the
 * relative frequencies of each side's given name, family name, their keys
 * and the name combination (0 unknown). No values. */
struct link_candidate_view {
    uint32_t a, b; /* a < b */
    int n_fields;
    int level[LINK_C_COUNT];
    double field_weight[LINK_C_COUNT];
    double weight, prior;
    int same_list;
    int birth_a, birth_b; /* the side has birth information */
    double freq_a[5], freq_b[5];
};
typedef int (*link_candidate_fn)(void *ctx,
                                 const struct link_candidate_view *v);

/* After link_run: the candidate pairs again (the same blocking), each
 * given to fn; a nonzero return of fn stops and is returned. 0,
 * CTIS_EINVAL (no model), CTIS_ENOMEM. */
int link_each_candidate(struct link_set *s, const struct link_options *o,
                        link_candidate_fn fn, void *ctx, struct ctis_err *err);

/* After link_run (res its result): pairs[n] scored by someone else
 * (weight: bits on top of each pair's class prior) decided and clustered
 * as link_run decides and clusters its own (the review band's floor,
 * competing candidates, the acceptance threshold, the clustering rules
 * with res's thresholds; reviewers' decisions are not applied);
 * res->cluster gets the persons. pairs is
 * reordered. 0, CTIS_EINVAL, CTIS_ENOMEM. */
int link_cluster_scored(struct link_set *s, const struct link_options *o,
                        struct link_pair *pairs, size_t n,
                        struct link_result *res, struct ctis_err *err);

/* ---- Pairwise evaluation (tests and benchmarks) ------------------------- */

/* Pairwise precision, recall and F1 of predicted clusters against true
 * ones (both per record, n records). */
struct link_eval {
    uint64_t true_pairs, found_pairs, correct_pairs;
    double precision, recall, f1;
};
int link_evaluate(const uint32_t *pred, const uint32_t *truth, size_t n,
                  struct link_eval *out, struct ctis_err *err);

/* ---- Privacy-preserving encoding (CLK) ----------------------------------- */

/* Key material for encoding, derived from a secret shared by the agencies
 * (never by the linker). */
struct link_clk_key {
    unsigned char bloom[32];
    unsigned char block[32];
};

/* Derive the keys from secret bytes (at least 16). 0 or CTIS_EINVAL. */
int link_clk_key_derive(struct link_clk_key *k, const void *secret,
                        size_t len, struct ctis_err *err);

/* Encode record rec of clear set s: the CLK as base64 into clk_b64 (at
 * least 180 bytes) and the keyed blocking tokens, each its values as 16
 * hex digits joined by ';' ("" when the key has no value), into tokens. */
void link_clk_encode(const struct link_set *s, size_t rec,
                     const struct link_clk_key *k, char *clk_b64,
                     size_t clk_size, char tokens[][LINK_TOKEN_TEXT],
                     size_t n_tokens);

/* ---- Generator of agency lists with ground truth (gen.c) -------------- */

struct link_gen_options {
    long persons;     /* persons in the population */
    int lists;        /* 1..4: police, ngo, ministry, iom */
    double dup_rate;  /* chance a listed person is listed twice */
    uint64_t seed;
};

/* Called once per generated record: list index, the field strings
 * (LINK_F_COUNT, NULL when absent; valid during the call only) and the
 * true person. A non-zero return stops generation and is returned. */
typedef int (*link_gen_fn)(void *ctx, int list, const char *const *fields,
                           uint32_t person);

/* Generate the lists (same options, same records). 0, CTIS_EINVAL,
 * CTIS_ENOMEM or the sink's return. */
int link_generate(const struct link_gen_options *o, link_gen_fn fn,
                  void *ctx, struct ctis_err *err);

/* Name i of the generator's pool p (0 female given, 1 male given, 2
 * family) in Khmer script (khmer != 0) or its common romanisation with
 * '|' between syllables; NULL past the end. */
const char *link_gen_pool(int p, size_t i, int khmer);

#endif
