/*
 * estimate.c - the datasheet's estimated total: the persons that record
 * linkage found across agencies (store_each_person_link) become an
 * overlap table, one list per agency, and mse/ estimates how many persons
 * no list saw.
 *
 * With more agencies than STATS_ESTIMATE_LISTS, the agencies with the most
 * linked persons are the lists (ties by id): persons seen only by the
 * others count among those the lists missed, which is what the estimate
 * is about. Two passes over the links, which come ordered by person: the
 * first counts each agency's persons, the second builds every person's
 * capture pattern over the chosen lists. Memory: the agencies, not the
 * links.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mse/mse.h"
#include "report_int.h"

struct agency_count {
    char id[MODEL_ID_MAX];
    long persons;
    int list;  /* index among the chosen lists, or -1 */
};

struct pass {
    struct agency_count *a;
    size_t n;
    size_t cap;
    int last;           /* index of the last agency seen, or -1 */
    long person;        /* person of the previous link */
    int started;
    unsigned mask;      /* pattern of the current person */
    struct mse_table *t;
    struct ctis_err *err;
};

static int find_agency(struct pass *p, const char *id)
{
    size_t i;

    if (p->last >= 0 && strcmp(p->a[p->last].id, id) == 0) {
        return p->last;
    }
    for (i = 0; i < p->n; i++) {
        if (strcmp(p->a[i].id, id) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* Pass 1: persons per agency (a person's several cases in one agency count
 * once; links come ordered by person, then agency). */
static int count_link(void *ctx, const char *agency, long person)
{
    struct pass *p = ctx;
    int i = find_agency(p, agency);
    int same_person = p->started && person == p->person;

    if (i < 0) {
        if (p->n == p->cap) {
            size_t cap = p->cap > 0 ? p->cap * 2 : 16;
            struct agency_count *a = ctis_realloc(p->a, cap * sizeof *a);

            if (a == NULL) {
                return ctis_err_set(p->err, CTIS_ENOMEM, "out of memory");
            }
            p->a = a;
            p->cap = cap;
        }
        i = (int)p->n++;
        ctis_strlcpy(p->a[i].id, agency, MODEL_ID_MAX);
        p->a[i].persons = 0;
        p->a[i].list = -1;
    }
    if (!(same_person && i == p->last)) {
        p->a[i].persons++;
    }
    p->last = i;
    p->person = person;
    p->started = 1;
    return 0;
}

static void close_person(struct pass *p)
{
    if (p->started && p->mask != 0) {
        p->t->count[p->mask] += 1;
    }
    p->mask = 0;
}

/* Pass 2: each person's pattern over the chosen lists. */
static int pattern_link(void *ctx, const char *agency, long person)
{
    struct pass *p = ctx;
    int i = find_agency(p, agency);

    if (p->started && person != p->person) {
        close_person(p);
    }
    if (i >= 0) {
        p->last = i;
        if (p->a[i].list >= 0) {
            p->mask |= 1u << p->a[i].list;
        }
    }
    p->person = person;
    p->started = 1;
    return 0;
}

static int by_persons(const void *x, const void *y)
{
    const struct agency_count *a = x;
    const struct agency_count *b = y;

    if (a->persons != b->persons) {
        return a->persons > b->persons ? -1 : 1;
    }
    return strcmp(a->id, b->id);
}

static void model_text(const struct mse_table *t, uint64_t pairs, char *out,
                       size_t size)
{
    size_t len = 0;
    int idx;

    out[0] = '\0';
    for (idx = 0; idx < mse_npairs(t->k); idx++) {
        int i;
        int j;

        if (!(pairs & ((uint64_t)1 << idx))) {
            continue;
        }
        mse_pair_lists(t->k, idx, &i, &j);
        len += (size_t)snprintf(out + len, size - len, "%s%s:%s",
                                len > 0 ? ", " : "", t->names[i],
                                t->names[j]);
        if (len >= size) {
            return;
        }
    }
    if (len == 0) {
        ctis_strlcpy(out, "main effects", size);
    }
}

/* The next-best model, the stability verdict and the warnings of sum,
 * with list sizes under the disclosure threshold k hidden. */
static void checks(const struct mse_table *t, const struct mse_summary *sum,
                   long k, struct stats_estimate *out)
{
    unsigned bit;

    out->shift = sum->shift;
    out->stable = mse_stable(sum->shift);
    out->next_estimate = sum->next_estimate;
    if (sum->next.found) {
        model_text(t, sum->next.pairs, out->next_model,
                   sizeof out->next_model);
        if (sum->next.term >= 0) {
            int i;
            int j;

            mse_pair_lists(t->k, sum->next.term, &i, &j);
            snprintf(out->next_term, sizeof out->next_term, "%s:%s",
                     t->names[i], t->names[j]);
            out->next_added = sum->next.added;
            out->next_p = sum->next.p;
        }
    }
    for (bit = 1; bit <= MSE_WARN_UNSTABLE; bit <<= 1) {
        struct stats_estimate_warning *w;

        if (!(sum->warnings & bit) ||
            out->n_warnings == STATS_ESTIMATE_WARNINGS) {
            continue;
        }
        w = &out->warnings[out->n_warnings++];
        ctis_strlcpy(w->code, mse_warning_code(bit), sizeof w->code);
        mse_summary_warning_text(t, sum, bit, k > 1 ? (double)k : 0, w->text,
                                 sizeof w->text);
    }
}

static int estimate_lists(struct pass *p, struct store *st, int from,
                          int to, struct stats_estimate *out, long k,
                          struct ctis_err *err)
{
    struct mse_table t;
    struct mse_summary sum;
    size_t i;
    int rc;

    memset(&sum, 0, sizeof sum);
    qsort(p->a, p->n, sizeof *p->a, by_persons);
    out->lists = p->n < STATS_ESTIMATE_LISTS ? (int)p->n
                                             : STATS_ESTIMATE_LISTS;
    rc = mse_table_init(&t, out->lists, err);
    if (rc != 0) {
        return rc;
    }
    for (i = 0; i < (size_t)out->lists; i++) {
        p->a[i].list = (int)i;
        ctis_strlcpy(out->list_names[i], p->a[i].id, MODEL_ID_MAX);
        ctis_strlcpy(t.names[i], p->a[i].id, MSE_NAME_MAX);
    }
    p->last = -1;
    p->started = 0;
    p->mask = 0;
    p->t = &t;
    rc = store_each_person_link(st, from, to, pattern_link, p, err);
    if (rc == 0) {
        close_person(p);
        out->observed = mse_table_observed(&t);
        if (k > 1 && out->observed < (double)k) {
            out->suppressed = 1;
        } else {
            rc = mse_default_estimate(&t, &sum, err);
            if (rc == CTIS_ENUMERIC) {
                rc = 0; /* what could be computed is in sum */
            }
        }
    }
    if (rc == 0 && !out->suppressed) {
        ctis_strlcpy(out->existence, mse_existence_code(sum.existence),
                     sizeof out->existence);
        model_text(&t, sum.pairs, out->model, sizeof out->model);
        out->estimate = sum.estimate;
        out->se = sum.se;
        out->normal_lower = sum.normal_lower;
        out->normal_upper = sum.normal_upper;
        out->profile_lower = sum.profile_lower;
        out->profile_upper = sum.profile_upper;
        checks(&t, &sum, k, out);
    }
    mse_table_release(&t);
    return rc;
}

/* Fill out from the store's person links; out->present stays 0 with
 * fewer than three agencies linked. */
int report_gather_estimate(struct store *st, int from, int to,
                           struct stats_estimate *out, long k,
                           struct ctis_err *err)
{
    struct pass p;
    int rc;

    memset(out, 0, sizeof *out);
    out->estimate = NAN;
    out->se = NAN;
    out->normal_lower = out->normal_upper = NAN;
    out->profile_lower = out->profile_upper = NAN;
    out->next_p = NAN;
    out->next_estimate = NAN;
    out->shift = NAN;
    out->stable = -1;
    memset(&p, 0, sizeof p);
    p.last = -1;
    p.err = err;
    rc = store_each_person_link(st, from, to, count_link, &p, err);
    if (rc == 0) {
        out->agencies_linked = (int)p.n;
        out->present = p.n >= 3;
    }
    if (rc == 0 && out->present) {
        rc = estimate_lists(&p, st, from, to, out, k, err);
    }
    ctis_free(p.a);
    return rc;
}
