/*
 * datasheet.c - the country datasheet assembled from the store's aggregate
 * tables, agencies, activities and instruments, then totalled and put
 * through disclosure control (stats.h).
 *
 * Design notes.
 *  1. Counting happens in the store; here rows are only copied, merged
 *     (rescues: one row per year from one row per year and referral),
 *     sorted and totalled.
 *  2. Disclosure control sees every count the renderers print, and every
 *     relation between printed counts the renderers make visible: a
 *     total and its parts (a rescue year and its referrals, a corridor and
 *     its years, all repatriations and the corridors, the cases of the
 *     period and their years, movements and sexes and ages), and two
 *     partitions of the same cases (source provinces against internal
 *     plus outward movement, destination provinces against internal plus
 *     inward, destination countries against outward, labour sectors
 *     against forced labour).
 */
#include <stdlib.h>
#include <string.h>

#include "stats.h"

const char *const stats_referral_keys[STATS_REFERRALS] = {
    "family", "ngo", "ministry", "other", "none"};

static const char *const crim_kinds[2] = {"domestic", "cross_border"};

/* Empty datasheet for a period. */
void stats_datasheet_init(struct stats_datasheet *ds, int from_year,
                          int to_year, long k)
{
    int i;

    memset(ds, 0, sizeof *ds);
    ds->from_year = from_year;
    ds->to_year = to_year;
    ds->k = k;
    for (i = 0; i < 2; i++) {
        ctis_strlcpy(ds->investigations[i].kind, crim_kinds[i],
                     STORE_KEY_MAX);
        ctis_strlcpy(ds->convictions[i].kind, crim_kinds[i], STORE_KEY_MAX);
    }
}

static void counts_release(struct stats_counts *c)
{
    ctis_free(c->rows);
    c->rows = NULL;
    c->len = 0;
    c->cap = 0;
}

/* Free every array. */
void stats_datasheet_release(struct stats_datasheet *ds)
{
    if (ds == NULL) {
        return;
    }
    ctis_free(ds->repatriations);
    ctis_free(ds->corridors);
    ctis_free(ds->rescues);
    counts_release(&ds->source_provinces);
    counts_release(&ds->destination_provinces);
    counts_release(&ds->destination_countries);
    counts_release(&ds->sex_age);
    counts_release(&ds->exploitation);
    counts_release(&ds->movement);
    counts_release(&ds->sectors);
    counts_release(&ds->cases_by_year);
    ctis_free(ds->instruments);
    stats_datasheet_init(ds, ds->from_year, ds->to_year, ds->k);
}

/* Grow an array of elements of size `size` to hold one more. */
static int grow(void **arr, size_t len, size_t *cap, size_t size)
{
    if (len == *cap) {
        size_t ncap = *cap > 0 ? *cap * 2 : 16;
        void *p = ctis_realloc(*arr, ncap * size);

        if (p == NULL) {
            return CTIS_ENOMEM;
        }
        *arr = p;
        *cap = ncap;
    }
    return 0;
}

static int counts_add(struct stats_counts *c, const struct store_row *r,
                      int two_keys)
{
    struct stats_count *row;
    void *p = c->rows;

    if (grow(&p, c->len, &c->cap, sizeof *c->rows) != 0) {
        return CTIS_ENOMEM;
    }
    c->rows = p;
    row = &c->rows[c->len++];
    memset(row, 0, sizeof *row);
    ctis_strlcpy(row->key, r->key[0], sizeof row->key);
    if (two_keys) {
        ctis_strlcpy(row->key2, r->key[1], sizeof row->key2);
    }
    row->year = r->year;
    row->cases.n = r->n[0];
    return 0;
}

static int referral_index(const char *key)
{
    int i;

    for (i = 0; i < STATS_REFERRALS; i++) {
        if (strcmp(stats_referral_keys[i], key) == 0) {
            return i;
        }
    }
    return -1;
}

static int crim_index(const char *key)
{
    return strcmp(key, "domestic") == 0       ? 0
           : strcmp(key, "cross_border") == 0 ? 1
                                              : -1;
}

static int put_rescue(struct stats_datasheet *ds, const struct store_row *r,
                      struct ctis_err *err)
{
    int k = referral_index(r->key[0]);
    struct stats_rescue *row = NULL;
    size_t i;

    if (k < 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "rescue row has unknown referral '%s'",
                            r->key[0]);
    }
    for (i = 0; i < ds->n_rescues; i++) {
        if (ds->rescues[i].year == r->year) {
            row = &ds->rescues[i];
        }
    }
    if (row == NULL) {
        void *p = ds->rescues;

        if (grow(&p, ds->n_rescues, &ds->cap_rescues,
                 sizeof *ds->rescues) != 0) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        ds->rescues = p;
        row = &ds->rescues[ds->n_rescues++];
        memset(row, 0, sizeof *row);
        row->year = r->year;
    }
    row->referred[k].n += r->n[0];
    row->persons.n += r->n[0];
    return 0;
}

static int put_repatriation(struct stats_datasheet *ds,
                            const struct store_row *r, struct ctis_err *err)
{
    struct stats_repatriation *row;
    void *p = ds->repatriations;

    if (grow(&p, ds->n_repatriations, &ds->cap_repatriations,
             sizeof *ds->repatriations) != 0) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    ds->repatriations = p;
    row = &ds->repatriations[ds->n_repatriations++];
    memset(row, 0, sizeof *row);
    ctis_strlcpy(row->from, r->key[0], sizeof row->from);
    ctis_strlcpy(row->to, r->key[1], sizeof row->to);
    row->year = r->year;
    row->persons.n = r->n[0];
    return 0;
}

static struct stats_counts *counts_for(struct stats_datasheet *ds,
                                       enum store_query q)
{
    switch (q) {
    case STORE_Q_SOURCE_PROVINCES:
        return &ds->source_provinces;
    case STORE_Q_DEST_PROVINCES:
        return &ds->destination_provinces;
    case STORE_Q_DEST_COUNTRIES:
        return &ds->destination_countries;
    case STORE_Q_SEX_AGE:
        return &ds->sex_age;
    case STORE_Q_EXPLOITATION:
        return &ds->exploitation;
    case STORE_Q_MOVEMENT:
        return &ds->movement;
    case STORE_Q_CASES_BY_YEAR:
        return &ds->cases_by_year;
    case STORE_Q_SECTORS:
        return &ds->sectors;
    default:
        return NULL;
    }
}

/* Copy or merge the rows of one aggregate. */
int stats_datasheet_put_table(struct stats_datasheet *ds, enum store_query q,
                              const struct store_table *t,
                              struct ctis_err *err)
{
    size_t i;

    for (i = 0; i < t->len; i++) {
        const struct store_row *r = &t->rows[i];
        struct stats_counts *c;
        int rc = 0;
        int k;

        switch (q) {
        case STORE_Q_REPATRIATIONS:
            rc = put_repatriation(ds, r, err);
            break;
        case STORE_Q_RESCUES:
            rc = put_rescue(ds, r, err);
            break;
        case STORE_Q_INVESTIGATIONS:
        case STORE_Q_CONVICTIONS:
            k = crim_index(r->key[0]);
            if (k < 0) {
                return ctis_err_set(err, CTIS_EINVAL,
                                    "criminal case row has unknown kind "
                                    "'%s'",
                                    r->key[0]);
            }
            if (q == STORE_Q_INVESTIGATIONS) {
                ds->investigations[k].cases.n += r->n[0];
                ds->investigations[k].offenders.n += r->n[1];
            } else {
                ds->convictions[k].cases.n += r->n[0];
                ds->convictions[k].offenders.n += r->n[1];
            }
            break;
        default:
            c = counts_for(ds, q);
            if (c == NULL) {
                return ctis_err_set(err, CTIS_EINVAL,
                                    "query %d is not part of the datasheet",
                                    (int)q);
            }
            if (counts_add(c, r, q == STORE_Q_SEX_AGE) != 0) {
                rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
            }
            break;
        }
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* Agencies by kind and pillar. */
void stats_datasheet_add_agency(struct stats_datasheet *ds,
                                const struct model_agency *a)
{
    int kind = a->kind >= 0 && a->kind < STATS_AGENCY_KINDS ? a->kind
                                                            : MODEL_AK_OTHER;
    int p;

    ds->agencies[kind]++;
    for (p = 0; p < STATS_PILLARS; p++) {
        if (a->pillars & (1u << p)) {
            ds->agencies_pillar[kind][p]++;
        }
    }
}

/* Activities by kind. */
void stats_datasheet_add_activity(struct stats_datasheet *ds,
                                  const struct model_activity *a)
{
    int kind = a->kind >= 0 && a->kind < STATS_ACTIVITY_KINDS
                   ? a->kind
                   : MODEL_ACT_OTHER;

    ds->activities[kind].count++;
    if (a->reached > 0) {
        ds->activities[kind].reached += a->reached;
    }
}

/* Keep a copy of the instrument. */
int stats_datasheet_add_instrument(struct stats_datasheet *ds,
                                   const struct model_instrument *in,
                                   struct ctis_err *err)
{
    void *p = ds->instruments;

    if (grow(&p, ds->n_instruments, &ds->cap_instruments,
             sizeof *ds->instruments) != 0) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    ds->instruments = p;
    ds->instruments[ds->n_instruments++] = *in;
    return 0;
}

/* ---- ordering ----------------------------------------------------------- */

/* The seed's order: Thailand, Vietnam, Malaysia into Cambodia, then any
 * other corridor into Cambodia, then out of it (Vietnamese sent home). */
int stats_corridor_rank(const char *from, const char *to)
{
    static const char *const first[] = {"TH", "VN", "MY"};
    int i;

    if (strcmp(to, "KH") == 0) {
        for (i = 0; i < 3; i++) {
            if (strcmp(from, first[i]) == 0) {
                return i;
            }
        }
        return 3;
    }
    return strcmp(from, "KH") == 0 ? 4 : 5;
}

static int cmp_repat(const void *a, const void *b)
{
    const struct stats_repatriation *x = a;
    const struct stats_repatriation *y = b;
    int rx = stats_corridor_rank(x->from, x->to);
    int ry = stats_corridor_rank(y->from, y->to);
    int c;

    if (rx != ry) {
        return rx < ry ? -1 : 1;
    }
    c = strcmp(x->from, y->from);
    if (c == 0) {
        c = strcmp(x->to, y->to);
    }
    if (c == 0) {
        c = (x->year > y->year) - (x->year < y->year);
    }
    return c;
}

static int cmp_rescue(const void *a, const void *b)
{
    const struct stats_rescue *x = a;
    const struct stats_rescue *y = b;

    return (x->year > y->year) - (x->year < y->year);
}

/* Descending count, then key, then second key: a total order, so the
 * output never depends on qsort's stability. */
static int cmp_desc(const void *a, const void *b)
{
    const struct stats_count *x = a;
    const struct stats_count *y = b;
    int c;

    if (x->cases.n != y->cases.n) {
        return x->cases.n > y->cases.n ? -1 : 1;
    }
    c = strcmp(x->key, y->key);
    return c != 0 ? c : strcmp(x->key2, y->key2);
}

static int rank_of(const char *const *order, const char *key)
{
    int i;

    for (i = 0; order[i] != NULL; i++) {
        if (strcmp(order[i], key) == 0) {
            return i;
        }
    }
    return i;
}

static int cmp_sex_age(const void *a, const void *b)
{
    static const char *const sexes[] = {"female", "male", "other", "unknown",
                                        NULL};
    static const char *const ages[] = {"child", "adult", "unknown", NULL};
    const struct stats_count *x = a;
    const struct stats_count *y = b;
    int c = rank_of(sexes, x->key) - rank_of(sexes, y->key);

    if (c == 0) {
        c = strcmp(x->key, y->key);
    }
    if (c == 0) {
        c = rank_of(ages, x->key2) - rank_of(ages, y->key2);
    }
    return c != 0 ? c : strcmp(x->key2, y->key2);
}

static int cmp_year(const void *a, const void *b)
{
    const struct stats_count *x = a;
    const struct stats_count *y = b;

    return (x->year > y->year) - (x->year < y->year);
}

static int cmp_instrument(const void *a, const void *b)
{
    const struct model_instrument *x = a;
    const struct model_instrument *y = b;
    int dx = x->date != 0 ? x->date : 99999999;
    int dy = y->date != 0 ? y->date : 99999999;

    if (dx != dy) {
        return dx < dy ? -1 : 1;
    }
    return strcmp(x->id, y->id);
}

static void sort_counts(struct stats_counts *c,
                        int (*cmp)(const void *, const void *))
{
    if (c->len > 1) {
        qsort(c->rows, c->len, sizeof *c->rows, cmp);
    }
}

/* Corridor totals in the order of the sorted repatriation rows. */
static int build_corridors(struct stats_datasheet *ds)
{
    size_t i;

    ds->corridors = NULL;
    ds->n_corridors = 0;
    ds->repatriated.n = 0;
    if (ds->n_repatriations == 0) {
        return 0;
    }
    ds->corridors = ctis_calloc(ds->n_repatriations, sizeof *ds->corridors);
    if (ds->corridors == NULL) {
        return CTIS_ENOMEM;
    }
    for (i = 0; i < ds->n_repatriations; i++) {
        const struct stats_repatriation *r = &ds->repatriations[i];
        struct stats_corridor *c = NULL;

        if (ds->n_corridors > 0) {
            c = &ds->corridors[ds->n_corridors - 1];
            if (strcmp(c->from, r->from) != 0 || strcmp(c->to, r->to) != 0) {
                c = NULL;
            }
        }
        if (c == NULL) {
            c = &ds->corridors[ds->n_corridors++];
            ctis_strlcpy(c->from, r->from, sizeof c->from);
            ctis_strlcpy(c->to, r->to, sizeof c->to);
        }
        c->persons.n += r->persons.n;
        ds->repatriated.n += r->persons.n;
    }
    return 0;
}

/* ---- disclosure control ------------------------------------------------- */

/* Groups under construction: each a slice of one pointer array. */
struct groups {
    struct stats_cell **cells;
    size_t n_cells;
    size_t cap_cells;
    size_t *start; /* group i is cells[start[i] .. start[i + 1]) */
    size_t *totals; /* how many of group i's cells are totals */
    size_t n;
    size_t cap;
};

static int g_cell(struct groups *g, struct stats_cell *c)
{
    void *p = g->cells;

    if (grow(&p, g->n_cells, &g->cap_cells, sizeof *g->cells) != 0) {
        return CTIS_ENOMEM;
    }
    g->cells = p;
    g->cells[g->n_cells++] = c;
    return 0;
}

/* Start a new group; the cells added next belong to it. */
static int g_open(struct groups *g)
{
    void *p = g->start;
    void *q = g->totals;
    size_t cap = g->cap;

    if (grow(&q, g->n, &cap, sizeof *g->totals) != 0) {
        return CTIS_ENOMEM;
    }
    g->totals = q;
    if (grow(&p, g->n, &g->cap, sizeof *g->start) != 0) {
        return CTIS_ENOMEM;
    }
    g->start = p;
    /* Totals first unless g_partition says otherwise. */
    g->totals[g->n] = 1;
    g->start[g->n++] = g->n_cells;
    return 0;
}

static int g_counts(struct groups *g, struct stats_counts *c)
{
    size_t i;

    for (i = 0; i < c->len; i++) {
        if (g_cell(g, &c->rows[i].cases) != 0) {
            return CTIS_ENOMEM;
        }
    }
    return 0;
}

static struct stats_cell *find_key(struct stats_counts *c, const char *key)
{
    size_t i;

    for (i = 0; i < c->len; i++) {
        if (strcmp(c->rows[i].key, key) == 0) {
            return &c->rows[i].cases;
        }
    }
    return NULL;
}

/* A partition of cases against the movement cells it adds up to. */
static int g_partition(struct groups *g, struct stats_counts *part,
                       struct stats_cell *a, struct stats_cell *b)
{
    int rc = g_open(g);

    if (rc == 0) {
        rc = g_counts(g, part);
    }
    if (rc == 0 && a != NULL) {
        rc = g_cell(g, a);
    }
    if (rc == 0 && b != NULL) {
        rc = g_cell(g, b);
    }
    if (rc == 0) {
        /* Parts first, then the (at most two) totals: stored as a
         * negative count, read back in disclosure(). */
        g->totals[g->n - 1] = (size_t)0 - (size_t)((a != NULL) + (b != NULL));
    }
    return rc;
}

static int build_groups(struct stats_datasheet *ds, struct groups *g)
{
    struct stats_cell *mi = find_key(&ds->movement, "internal");
    struct stats_cell *mo = find_key(&ds->movement, "cross_border_out");
    struct stats_cell *mn = find_key(&ds->movement, "cross_border_in");
    struct stats_cell *fl = find_key(&ds->exploitation, "forced_labour");
    size_t i;
    size_t j;
    int rc = 0;

    for (i = 0; i < ds->n_rescues && rc == 0; i++) {
        rc = g_open(g);
        if (rc == 0) {
            rc = g_cell(g, &ds->rescues[i].persons);
        }
        for (j = 0; j < STATS_REFERRALS && rc == 0; j++) {
            rc = g_cell(g, &ds->rescues[i].referred[j]);
        }
    }
    for (i = 0; i < ds->n_corridors && rc == 0; i++) {
        struct stats_corridor *c = &ds->corridors[i];

        rc = g_open(g);
        if (rc == 0) {
            rc = g_cell(g, &c->persons);
        }
        for (j = 0; j < ds->n_repatriations && rc == 0; j++) {
            struct stats_repatriation *r = &ds->repatriations[j];

            if (strcmp(r->from, c->from) == 0 && strcmp(r->to, c->to) == 0) {
                rc = g_cell(g, &r->persons);
            }
        }
    }
    if (rc == 0 && ds->n_corridors > 0) {
        rc = g_open(g);
        if (rc == 0) {
            rc = g_cell(g, &ds->repatriated);
        }
        for (i = 0; i < ds->n_corridors && rc == 0; i++) {
            rc = g_cell(g, &ds->corridors[i].persons);
        }
    }
    if (rc == 0) {
        rc = g_partition(g, &ds->cases_by_year, &ds->cases, NULL);
    }
    if (rc == 0) {
        rc = g_partition(g, &ds->movement, &ds->cases, NULL);
    }
    if (rc == 0) {
        rc = g_partition(g, &ds->sex_age, &ds->cases, NULL);
    }
    if (rc == 0) {
        rc = g_partition(g, &ds->source_provinces, mi, mo);
    }
    if (rc == 0) {
        rc = g_partition(g, &ds->destination_provinces, mi, mn);
    }
    if (rc == 0) {
        rc = g_partition(g, &ds->destination_countries, mo, NULL);
    }
    if (rc == 0) {
        rc = g_partition(g, &ds->sectors, fl, NULL);
    }
    return rc;
}

static size_t primary_counts(struct stats_counts *c, long k)
{
    size_t n = 0;
    size_t i;

    for (i = 0; i < c->len; i++) {
        n += stats_suppress_primary(&c->rows[i].cases, 1, k);
    }
    return n;
}

static size_t primary_all(struct stats_datasheet *ds)
{
    long k = ds->k;
    size_t n = 0;
    size_t i;

    for (i = 0; i < ds->n_repatriations; i++) {
        n += stats_suppress_primary(&ds->repatriations[i].persons, 1, k);
    }
    for (i = 0; i < ds->n_corridors; i++) {
        n += stats_suppress_primary(&ds->corridors[i].persons, 1, k);
    }
    n += stats_suppress_primary(&ds->repatriated, 1, k);
    for (i = 0; i < ds->n_rescues; i++) {
        n += stats_suppress_primary(&ds->rescues[i].persons, 1, k);
        n += stats_suppress_primary(ds->rescues[i].referred, STATS_REFERRALS,
                                    k);
    }
    for (i = 0; i < 2; i++) {
        n += stats_suppress_primary(&ds->investigations[i].cases, 1, k);
        n += stats_suppress_primary(&ds->investigations[i].offenders, 1, k);
        n += stats_suppress_primary(&ds->convictions[i].cases, 1, k);
        n += stats_suppress_primary(&ds->convictions[i].offenders, 1, k);
    }
    n += primary_counts(&ds->source_provinces, k);
    n += primary_counts(&ds->destination_provinces, k);
    n += primary_counts(&ds->destination_countries, k);
    n += primary_counts(&ds->sex_age, k);
    n += primary_counts(&ds->exploitation, k);
    n += primary_counts(&ds->movement, k);
    n += primary_counts(&ds->sectors, k);
    n += primary_counts(&ds->cases_by_year, k);
    n += stats_suppress_primary(&ds->cases, 1, k);
    return n;
}

static int disclosure(struct stats_datasheet *ds)
{
    struct groups g;
    struct stats_group *list = NULL;
    long audit;
    size_t i;
    int rc;

    memset(&g, 0, sizeof g);
    ds->suppressed = (long)primary_all(ds);
    if (ds->suppressed == 0) {
        return 0; /* nothing hidden: nothing to recover */
    }
    rc = build_groups(ds, &g);
    if (rc == 0 && g.n > 0) {
        list = ctis_calloc(g.n, sizeof *list);
        if (list == NULL) {
            rc = CTIS_ENOMEM;
        }
    }
    if (rc == 0 && g.n > 0) {
        for (i = 0; i < g.n; i++) {
            size_t end = i + 1 < g.n ? g.start[i + 1] : g.n_cells;

            list[i].cells = g.cells + g.start[i];
            list[i].n = end - g.start[i];
            list[i].totals_last = g.totals[i] > list[i].n;
            list[i].n_totals = list[i].totals_last ? (size_t)0 - g.totals[i]
                                                   : g.totals[i];
        }
        ds->suppressed += (long)stats_suppress_complementary(list, g.n);
        audit = stats_suppress_audit(list, g.n);
        if (audit < 0) {
            rc = CTIS_ENOMEM;
        } else {
            ds->suppressed += audit;
        }
    }
    ctis_free(list);
    ctis_free(g.cells);
    ctis_free(g.start);
    ctis_free(g.totals);
    return rc;
}

/* Sort, total, suppress. */
int stats_datasheet_finish(struct stats_datasheet *ds, struct ctis_err *err)
{
    size_t i;

    if (ds->n_repatriations > 1) {
        qsort(ds->repatriations, ds->n_repatriations,
              sizeof *ds->repatriations, cmp_repat);
    }
    if (ds->n_rescues > 1) {
        qsort(ds->rescues, ds->n_rescues, sizeof *ds->rescues, cmp_rescue);
    }
    sort_counts(&ds->source_provinces, cmp_desc);
    sort_counts(&ds->destination_provinces, cmp_desc);
    sort_counts(&ds->destination_countries, cmp_desc);
    sort_counts(&ds->exploitation, cmp_desc);
    sort_counts(&ds->movement, cmp_desc);
    sort_counts(&ds->sectors, cmp_desc);
    sort_counts(&ds->sex_age, cmp_sex_age);
    sort_counts(&ds->cases_by_year, cmp_year);
    if (ds->n_instruments > 1) {
        qsort(ds->instruments, ds->n_instruments, sizeof *ds->instruments,
              cmp_instrument);
    }
    ctis_free(ds->corridors);
    if (build_corridors(ds) != 0) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    ds->cases.n = 0;
    for (i = 0; i < ds->cases_by_year.len; i++) {
        ds->cases.n += ds->cases_by_year.rows[i].cases.n;
    }
    if (disclosure(ds) != 0) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    return 0;
}
