/*
 * stats.h - computation on aggregates: disclosure control of small counts
 * and the country datasheet assembled from the store's aggregate tables.
 *
 * Disclosure control (DESIGN.md; CTDC publishes with k = 11):
 *  - primary suppression marks every cell with 0 < n < k; zeros are shown
 *    (an empty cell identifies no one) and k <= 1 suppresses nothing;
 *  - complementary suppression: cells bound by one linear relation (a
 *    total and its parts, or two partitions of the same cases) form a
 *    group; a group with exactly one suppressed cell would give that cell
 *    away by subtraction, so the smallest shown non-zero cell of the group
 *    is suppressed too, repeated over all groups until nothing changes.
 *  A suppressed cell keeps its row: it is marked, never dropped, and its
 *  count is withheld by the renderers.
 *
 * Nothing here reads a database: the datasheet is built from plain
 * store_table rows and records handed in by the caller.
 */
#ifndef CTIS_STATS_H
#define CTIS_STATS_H

#include <stddef.h>

#include "base/base.h"
#include "model/model.h"
#include "store/store.h"

/* CTDC's k for record-level data (k-anonymity). */
#define STATS_K_PUBLIC 11
/* The smallest k an output marked public may ask for explicitly. */
#define STATS_K_PUBLIC_MIN 5

/* The threshold an output uses, whatever order its options came in:
 * public output uses at least STATS_K_PUBLIC (a larger requested k is
 * kept; one from STATS_K_PUBLIC_MIN up to STATS_K_PUBLIC - 1 is raised), and
 * asking for a k below STATS_K_PUBLIC_MIN for a public output is refused
 * (CTIS_EARG), since it can only be a mistake. k_given < 0 means none was
 * asked for. Internal output uses k_given (0 when none). 0 or CTIS_EARG. */
int stats_k_for(int public_out, long k_given, long *out,
                struct ctis_err *err);
/* The threshold below which a published table cell is suppressed
 * ('ctis report --public'). */
#define STATS_CELL_PUBLIC 5

enum stats_supp {
    STATS_SHOWN = 0,
    STATS_PRIMARY = 1,      /* 0 < n < k */
    STATS_COMPLEMENTARY = 2 /* would let a primary cell be recovered */
};

/* One published count. */
struct stats_cell {
    long n;
    int suppressed; /* enum stats_supp */
};

/* Cells bound by one linear relation: the totals' sum equals the parts'
 * sum. The first n_totals cells are the totals (the last ones when
 * totals_last is set). The pointers are borrowed. */
struct stats_group {
    struct stats_cell **cells;
    size_t n;
    size_t n_totals;
    int totals_last;
};

/* Mark every cell of cells[0..len) with 0 < n < k as STATS_PRIMARY.
 * Returns the number of cells newly marked. */
size_t stats_suppress_primary(struct stats_cell *cells, size_t len, long k);

/* Complementary suppression over the groups until stable (see above).
 * A group whose one suppressed cell has no shown non-zero partner is left
 * as it is (its other cells are all zero, so nothing is recoverable that
 * a zero does not already say). Returns the number of cells newly
 * marked STATS_COMPLEMENTARY. */
size_t stats_suppress_complementary(struct stats_group *groups,
                                    size_t n_groups);

/* Secondary suppression that no combination of relations defeats: while
 * some suppressed cell is determined by the groups' equations taken
 * together (its unit vector lies in their row space over the suppressed
 * cells), suppress the smallest shown non-zero cell of a group holding it.
 * stats_suppress_complementary sees one group at a time; three groups
 * x + y = a, x + z = b, y + z = c each hide two cells and still give all
 * three away, which this catches. A suppressed cell with a positive count
 * that is not determined can take a range of values, so it cannot be
 * recovered. Returns the number of cells newly marked, or -1 when out of
 * memory (marks made so far stay). */
long stats_suppress_audit(struct stats_group *groups, size_t n_groups);

/* ---- k-anonymity of record-level exports ------------------------------
 * Each row holds one value per quasi-identifier (a small non-negative
 * code, or STATS_QI_SUPPRESSED for a missing or suppressed value). A row is
 * safe when at least k rows share its exact combination of published
 * values; a suppressed value is compared as a value of its own (as -99 is
 * in a CTDC file), never as a wildcard, so anyone can check the result by
 * counting combinations.
 *
 * stats_kanon works in three steps, each only as far as needed:
 *  1. generalisation (global recoding): while more than max_unsafe rows
 *     are unsafe, raise by one level the quasi-identifier whose next level
 *     leaves the fewest unsafe rows (an age band to a wider band, a
 *     province to its region), if that helps at all;
 *  2. local suppression: for the rows still unsafe, suppress one
 *     quasi-identifier at a time, in the order given by suppress_order,
 *     until each such row is safe;
 *  3. rows still unsafe with every value suppressed (fewer than k rows
 *     that say nothing) are dropped.
 * A safe combination never loses rows in steps 2 and 3, so the result is
 * k-anonymous by construction; tests check it by counting. */
#define STATS_QI_MAX 8
#define STATS_QI_SUPPRESSED (-1)

struct stats_qi {
    const char *name;
    int levels; /* generalisation levels above the exact value, 0: none */
    /* The code at level (1..levels) of a level-0 code; never called with
     * STATS_QI_SUPPRESSED. May return STATS_QI_SUPPRESSED. */
    int (*generalise)(int code, int level);
    int bits; /* codes at every level are below 1 << bits; bits <= 16 */
};

struct stats_kanon {
    long k;                /* threshold; <= 1: nothing to do */
    long max_unsafe;       /* generalise while more rows are unsafe */
    int level[STATS_QI_MAX]; /* OUT: level chosen per quasi-identifier */
    long values_generalised; /* OUT: values published at a level > 0 */
    long values_suppressed;  /* OUT: values suppressed by step 2 */
    long rows_suppressed;    /* OUT: rows with a value suppressed */
    long rows_dropped;       /* OUT: rows dropped by step 3 */
};

/* Make rows k-anonymous in place. codes holds n_rows rows of n_qi codes
 * each (row-major); on return it holds the published codes (generalised or
 * STATS_QI_SUPPRESSED). dropped[i] is set to 1 for each dropped row, 0
 * otherwise (caller-owned, n_rows long). suppress_order lists the
 * quasi-identifier indexes in the order they are suppressed (NULL: last
 * first). 0, CTIS_EINVAL (n_qi out of range, too many bits) or
 * CTIS_ENOMEM (codes unchanged). */
int stats_kanon_apply(struct stats_kanon *ka, const struct stats_qi *qi,
                      size_t n_qi, int *codes, size_t n_rows,
                      const int *suppress_order, unsigned char *dropped,
                      struct ctis_err *err);

/* ---- the country datasheet --------------------------------------------
 * Built in three steps: stats_datasheet_init, then each store table
 * (stats_datasheet_put_table) and each agency, activity and instrument
 * (stats_datasheet_add_*), then stats_datasheet_finish, which sorts,
 * totals and applies disclosure control with the datasheet's k. */

#define STATS_REFERRALS 5 /* family, ngo, ministry, other, none */

/* Official repatriations of one corridor in one year. */
struct stats_repatriation {
    char from[3];
    char to[3];
    int year;
    struct stats_cell persons;
};

/* One corridor's total over the period. */
struct stats_corridor {
    char from[3];
    char to[3];
    struct stats_cell persons;
};

/* Cases rescued in a year by where the first referral after the rescue
 * sent them; referred[] follows stats_referral_keys. */
struct stats_rescue {
    int year;
    struct stats_cell persons;
    struct stats_cell referred[STATS_REFERRALS];
};

/* Criminal cases of one kind and their distinct offenders. */
struct stats_crim {
    char kind[STORE_KEY_MAX];
    struct stats_cell cases;
    struct stats_cell offenders;
};

/* One row of a case table: up to two keys (a code, a province, a country,
 * a sex and age group) or a year. */
struct stats_count {
    char key[STORE_KEY_MAX];
    char key2[STORE_KEY_MAX];
    int year;
    struct stats_cell cases;
};

struct stats_counts {
    struct stats_count *rows;
    size_t len;
    size_t cap;
};

/* Prevention and policy activities of one kind. */
struct stats_activity {
    long count;
    long reached; /* people reached, where known */
};

#define STATS_AGENCY_KINDS 4 /* enum model_agency_kind */
#define STATS_PILLARS 4      /* prevention, protection, prosecution, policy */
#define STATS_ACTIVITY_KINDS (MODEL_ACT_OTHER + 1)

/* The estimated total: multiple systems estimation over the agencies'
 * lists as linked by 'ctis link --from-db --save' (report/gather.c). The
 * agencies with the most linked persons serve as the lists, at most
 * STATS_ESTIMATE_LISTS of them. */
#define STATS_ESTIMATE_LISTS 6
#define STATS_ESTIMATE_WARNINGS 3
struct stats_estimate {
    int present;          /* links from at least three agencies */
    int suppressed;       /* observed below k: no figures published */
    int agencies_linked;  /* agencies with linked cases */
    int lists;            /* agencies used as lists */
    char list_names[STATS_ESTIMATE_LISTS][MODEL_ID_MAX];
    char existence[24];   /* ok, mle_does_not_exist, not_identifiable */
    char model[256];      /* "A:B, C:D", or "main effects" */
    double observed;      /* persons on at least one of the lists */
    double estimate;      /* NaN unless existence is ok */
    double se;
    double normal_lower, normal_upper;   /* 95% */
    double profile_lower, profile_upper; /* 95%; upper may be infinite */
    /* The next-best model (docs/mse.md, "Stability"): next_model is ""
     * when there is none; next_term the term it adds or removes ("" for
     * none), with its p-value at that decision. */
    char next_model[256];
    char next_term[2 * MODEL_ID_MAX];
    int next_added;       /* 1: next_term added; 0: removed */
    double next_p;
    double next_estimate; /* NaN when the next-best model has none */
    double shift;         /* (next_estimate - estimate) / se, or NaN */
    int stable;           /* 1 stable, 0 unstable, -1 not assessed */
    int n_warnings;       /* few lists, small lists, unstable */
    struct stats_estimate_warning {
        char code[16];  /* few_lists, small_list, unstable */
        char text[256]; /* in words, with the figures */
    } warnings[STATS_ESTIMATE_WARNINGS];
};

struct stats_datasheet {
    int from_year; /* 0: unbounded */
    int to_year;   /* 0: unbounded */
    long k;        /* disclosure threshold; 0 or 1: none */

    struct stats_repatriation *repatriations; /* by corridor, then year */
    size_t n_repatriations;
    size_t cap_repatriations;
    struct stats_corridor *corridors; /* in the seed's order */
    size_t n_corridors;
    struct stats_cell repatriated; /* all official repatriations */

    struct stats_rescue *rescues; /* by year */
    size_t n_rescues;
    size_t cap_rescues;

    struct stats_crim investigations[2]; /* domestic, cross_border */
    struct stats_crim convictions[2];

    struct stats_counts source_provinces;      /* descending */
    struct stats_counts destination_provinces; /* descending */
    struct stats_counts destination_countries; /* descending */
    struct stats_counts sex_age;      /* key sex, key2 age group */
    struct stats_counts exploitation; /* descending */
    struct stats_counts movement;
    struct stats_counts sectors;      /* forced labour cases by sector */
    struct stats_counts cases_by_year;
    struct stats_cell cases; /* cases identified in the period */

    long agencies[STATS_AGENCY_KINDS];
    long agencies_pillar[STATS_AGENCY_KINDS][STATS_PILLARS];
    struct stats_activity activities[STATS_ACTIVITY_KINDS];
    struct model_instrument *instruments; /* by date, undated last */
    size_t n_instruments;
    size_t cap_instruments;

    struct stats_estimate estimate;

    long suppressed; /* cells suppressed by finish */
};

/* The referral keys in the order of stats_rescue.referred. */
extern const char *const stats_referral_keys[STATS_REFERRALS];

/* Fill ds as an empty datasheet for the period (years inclusive, 0 for
 * unbounded) and threshold k. Allocates nothing. */
void stats_datasheet_init(struct stats_datasheet *ds, int from_year,
                          int to_year, long k);
/* Free everything ds holds and leave it empty. Accepts NULL. */
void stats_datasheet_release(struct stats_datasheet *ds);

/* Take the rows of one aggregate (store_query's output for q) into ds; the
 * table is only read. Putting the same query twice adds the rows again.
 * 0, CTIS_EINVAL (a query the datasheet does not use, or a row whose
 * referral key is unknown) or CTIS_ENOMEM. */
int stats_datasheet_put_table(struct stats_datasheet *ds, enum store_query q,
                              const struct store_table *t,
                              struct ctis_err *err);
/* Count one agency under its kind and each of its pillars. */
void stats_datasheet_add_agency(struct stats_datasheet *ds,
                                const struct model_agency *a);
/* Count one activity under its kind, with the people it reached. */
void stats_datasheet_add_activity(struct stats_datasheet *ds,
                                  const struct model_activity *a);
/* Copy one instrument into ds. 0 or CTIS_ENOMEM. */
int stats_datasheet_add_instrument(struct stats_datasheet *ds,
                                   const struct model_instrument *in,
                                   struct ctis_err *err);
/* Sort the tables, compute the totals and apply disclosure control with
 * ds->k (primary, then complementary over every relation the renderers
 * show). Call once, after every table was put. 0 or CTIS_ENOMEM. */
int stats_datasheet_finish(struct stats_datasheet *ds, struct ctis_err *err);

/* The rank of a repatriation corridor in the seed's order (TH->KH,
 * VN->KH, MY->KH, then other corridors into Cambodia, then those out of
 * it); lower first. */
int stats_corridor_rank(const char *from, const char *to);

#endif
