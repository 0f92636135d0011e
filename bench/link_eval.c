/*
 * link_eval.c - pairwise precision, recall and F1 of a clusters file
 * (ctis link --output) against the truth of generated lists, next to a
 * crude baseline and an information ceiling, with per-class counts of
 * the pairs ctis misses and of the false pairs it makes.
 *
 *   link_eval [--clusters C.csv] [--classes] [--rule 0|1|2]
 *             [--id-column record_id] [--truth-column person_id] FILE...
 *
 * A record is named by its list (the file's base name) and id.
 *
 * The baseline is a crude rule with perfect name normalisation, of the
 * kind an outside reviewer used: two records are one person when their
 * persons' (given, family) name ids are the same (the hidden t_given,
 * t_family columns of bench/link_cam: typos, spellings, swapped order and
 * script do not matter), the provinces, when both are written (an ISO
 * code, or a name model_province_parse reads), agree,
 * and both births are written and compatible: two full dates the same,
 * with day and month swapped, or with the same day and month a year
 * apart; else (a year, an age A at a date D: the year before D - A years)
 * intervals at most 366 days apart. --rule 1 drops the province test,
 * --rule 0 also lets a missing birth be compatible. It is scored on its
 * pairs, and on the clusters of their transitive closure ("closed").
 *
 * The ceiling ("blind pairs"): the share of true pairs with a record that has
 * no birth at all while the person has a namesake (same name ids) in the same
 * province: names, birth and province cannot tell those apart; only
 * village, sex or phone can.
 *
 * Lists without t_given/t_family (bench/link_gen) get no baseline and no
 * classes. Records are matched by a 64-bit hash of list and id.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io.h"
#include "link/link.h"
#include "model/model.h"

enum { B_DATE, B_YEAR, B_AGE, B_NONE };

static const char *const bform[4] = {"date", "year", "age", "none"};

struct rec {
    uint64_t key;
    uint32_t truth;
    uint32_t pred;
    int32_t lo, hi; /* birth interval, days since 1900-01-01 */
    int given, family;
    int16_t y;
    int8_t m, d; /* a full birth date as written */
    uint16_t list;
    uint8_t prov;
    uint8_t wprov;   /* the province as written, 0 none */
    uint8_t birth;   /* B_* as written */
    uint8_t km;      /* Khmer script only */
    uint8_t var;     /* a spelling other than the most common */
    uint8_t typo;    /* a typo in a name */
    uint8_t swap;    /* given and family name swapped */
    uint8_t full;    /* one full name */
    uint8_t dup;     /* a second record of the person in its list */
    uint8_t berr[8]; /* birth error as written: -, dm, year, age */
    uint8_t seen;    /* in the clusters file */
};

struct set {
    struct rec *r;
    size_t n, cap;
    size_t *slot; /* hash index: 1 + record index, 0 empty */
    size_t nslot;
    int truth_names; /* the lists carry t_given, t_family */
    int rule;        /* of the baseline, see compatible() */
};

/* The baseline's figures. */
struct base {
    double p, r, f1, f1_closed, blind;
};

static uint64_t hash(const char *list, const char *id)
{
    uint64_t h = 1469598103934665603ULL;
    const char *p;

    for (p = list; *p != '\0'; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    }
    h = (h ^ 0x1f) * 1099511628211ULL;
    for (p = id; *p != '\0'; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    }
    return h;
}

static int column(const struct io_csv *r, const char *name)
{
    size_t i;

    for (i = 0; i < io_csv_nfields(r); i++) {
        if (strcmp(io_csv_field(r, i), name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static const char *field(const struct io_csv *r, int c)
{
    return c >= 0 && (size_t)c < io_csv_nfields(r) ? io_csv_field(r, (size_t)c)
                                                   : "";
}

/* Days from 1900-01-01 to y-m-d (proleptic Gregorian). */
static long days(long y, long m, long d)
{
    long era;
    long yoe;
    long doy;
    long doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 693901;
}

/* "YYYY-MM-DD", "YYYY-MM" or "YYYY" into an interval of days. */
static int date_interval(const char *s, int32_t *lo, int32_t *hi)
{
    long y = 0;
    long m = 0;
    long d = 0;
    char buf[16];
    size_t n = strlen(s);

    if (n != 4 && n != 7 && n != 10) {
        return -1;
    }
    ctis_strlcpy(buf, s, sizeof buf);
    buf[4] = '\0';
    if (ctis_parse_long(buf, 1800, 2100, &y) != 0) {
        return -1;
    }
    if (n >= 7) {
        buf[7] = '\0';
        if (ctis_parse_long(buf + 5, 1, 12, &m) != 0) {
            return -1;
        }
    }
    if (n == 10 && ctis_parse_long(buf + 8, 1, 31, &d) != 0) {
        return -1;
    }
    if (n == 4) {
        *lo = (int32_t)days(y, 1, 1);
        *hi = (int32_t)days(y, 12, 31);
    } else if (n == 7) {
        *lo = (int32_t)days(y, m, 1);
        *hi = (int32_t)days(y + (m == 12), m == 12 ? 1 : m + 1, 1) - 1;
    } else {
        *lo = *hi = (int32_t)days(y, m, d);
    }
    return 0;
}

struct cols {
    int id, truth, bd, by, age, at, prov;
    int given, family, tprov, script, var, typo, swap, full, berr, dup;
};

static int add(struct set *s, uint16_t list, const char *listname,
               const struct io_csv *r, const struct cols *c)
{
    struct rec *x;
    long v = 0;
    const char *b;
    size_t i;

    if (s->n == s->cap) {
        size_t nc = s->cap > 0 ? 2 * s->cap : 65536;
        struct rec *nr = ctis_realloc(s->r, nc * sizeof *nr);

        if (nr == NULL) {
            return -1;
        }
        s->r = nr;
        s->cap = nc;
    }
    x = &s->r[s->n];
    memset(x, 0, sizeof *x);
    x->key = hash(listname, field(r, c->id));
    x->list = list;
    ctis_parse_long(field(r, c->truth), 0, 4000000000L, &v);
    x->truth = (uint32_t)v;
    x->birth = B_NONE;
    if (date_interval(field(r, c->bd), &x->lo, &x->hi) == 0) {
        const char *bd = field(r, c->bd);

        x->birth = strlen(bd) == 10 ? B_DATE : B_YEAR;
        x->y = (int16_t)strtol(bd, NULL, 10);
        if (x->birth == B_DATE) {
            x->m = (int8_t)((bd[5] - '0') * 10 + bd[6] - '0');
            x->d = (int8_t)((bd[8] - '0') * 10 + bd[9] - '0');
        }
    } else if (date_interval(field(r, c->by), &x->lo, &x->hi) == 0) {
        x->birth = B_YEAR;
    } else if (ctis_parse_long(field(r, c->age), 0, 130, &v) == 0 &&
               date_interval(field(r, c->at), &x->lo, &x->hi) == 0) {
        /* an age A stated during [lo, hi]: born after lo - (A+1) years,
         * by hi - A years */
        x->birth = B_AGE;
        x->lo = (int32_t)(x->lo - (v + 1) * 365.2425 + 1);
        x->hi = (int32_t)(x->hi - v * 365.2425);
    }
    /* As written: an ISO code, a Latin name in a common spelling or the
     * Khmer name (bench/link_alt writes all three). */
    x->wprov = (uint8_t)model_province_parse(field(r, c->prov));
    b = field(r, c->tprov);
    ctis_parse_long(b, 0, 255, &v);
    x->prov = (uint8_t)v;
    x->given = -1;
    x->family = -1;
    if (c->given >= 0 && c->family >= 0) {
        if (ctis_parse_long(field(r, c->given), 0, 1000000, &v) == 0) {
            x->given = (int)v;
        }
        if (ctis_parse_long(field(r, c->family), 0, 1000000, &v) == 0) {
            x->family = (int)v;
        }
    }
    x->km = strcmp(field(r, c->script), "km") == 0;
    x->var = strcmp(field(r, c->var), "1") == 0;
    x->typo = strcmp(field(r, c->typo), "1") == 0;
    x->swap = strcmp(field(r, c->swap), "1") == 0;
    x->full = strcmp(field(r, c->full), "1") == 0;
    x->dup = strcmp(field(r, c->dup), "1") == 0;
    ctis_strlcpy((char *)x->berr, field(r, c->berr), sizeof x->berr);
    if (x->berr[0] == '\0') {
        x->berr[0] = '-';
    }
    for (i = x->key & (s->nslot - 1); s->slot[i] != 0;
         i = (i + 1) & (s->nslot - 1)) {
        if (s->r[s->slot[i] - 1].key == x->key) {
            fprintf(stderr, "link_eval: a record id twice in a list\n");
            return -1;
        }
    }
    s->slot[i] = ++s->n;
    return 0;
}

static struct rec *find(struct set *s, uint64_t key)
{
    size_t i;

    for (i = key & (s->nslot - 1); s->slot[i] != 0;
         i = (i + 1) & (s->nslot - 1)) {
        if (s->r[s->slot[i] - 1].key == key) {
            return &s->r[s->slot[i] - 1];
        }
    }
    return NULL;
}

static void list_name(const char *path, char *out, size_t size)
{
    const char *b = strrchr(path, '/');
    char *dot;

    ctis_strlcpy(out, b != NULL ? b + 1 : path, size);
    dot = strrchr(out, '.');
    if (dot != NULL) {
        *dot = '\0';
    }
}

static int read_list(struct set *s, const char *path, uint16_t list,
                     const char *idc, const char *tc)
{
    struct io_csv *r;
    struct ctis_err err;
    struct cols c;
    char name[128];
    int rc = 0;

    list_name(path, name, sizeof name);
    if (io_csv_open(&r, path, &err) != 0 || io_csv_next(r, &err) <= 0) {
        fprintf(stderr, "link_eval: cannot read '%s'\n", path);
        io_csv_close(r);
        return -1;
    }
    c.id = column(r, idc);
    c.truth = column(r, tc);
    c.bd = column(r, "birth_date");
    c.by = column(r, "birth_year");
    c.age = column(r, "age");
    c.at = column(r, "age_at");
    c.prov = column(r, "home_province");
    c.given = column(r, "t_given");
    c.family = column(r, "t_family");
    c.tprov = column(r, "t_prov");
    c.script = column(r, "t_script");
    c.var = column(r, "t_var");
    c.typo = column(r, "t_typo");
    c.swap = column(r, "t_swap");
    c.full = column(r, "t_full");
    c.berr = column(r, "t_berr");
    c.dup = column(r, "t_dup");
    if (c.id < 0 || c.truth < 0) {
        fprintf(stderr, "link_eval: '%s' lacks %s or %s\n", path, idc, tc);
        io_csv_close(r);
        return -1;
    }
    s->truth_names = c.given >= 0 && c.family >= 0;
    while (rc == 0 && io_csv_next(r, &err) > 0) {
        rc = add(s, list, name, r, &c);
    }
    io_csv_close(r);
    return rc;
}

static int read_clusters(struct set *s, const char *path)
{
    struct io_csv *r;
    struct ctis_err err;

    if (io_csv_open(&r, path, &err) != 0 || io_csv_next(r, &err) <= 0) {
        fprintf(stderr, "link_eval: cannot read '%s'\n", path);
        io_csv_close(r);
        return -1;
    }
    while (io_csv_next(r, &err) > 0) {
        struct rec *x = find(s, hash(field(r, 0), field(r, 1)));
        long v = 0;

        if (x == NULL) {
            continue;
        }
        ctis_parse_long(field(r, 2), 0, 4000000000L, &v);
        x->pred = (uint32_t)v;
        x->seen = 1;
    }
    io_csv_close(r);
    return 0;
}

/* ---- the baseline -------------------------------------------------------- */

static long gap(const struct rec *a, const struct rec *b)
{
    if (a->hi < b->lo) {
        return (long)b->lo - a->hi;
    }
    if (b->hi < a->lo) {
        return (long)a->lo - b->hi;
    }
    return 0;
}

/* The rule: 0 a missing birth is compatible; 1 it is not; 2 (the
 * default) as 1, and two provinces written must agree. */
static int compatible(int rule, const struct rec *a, const struct rec *b)
{
    if (rule == 2 && a->wprov != 0 && b->wprov != 0 && a->wprov != b->wprov) {
        return 0;
    }
    if (a->birth == B_NONE || b->birth == B_NONE) {
        return rule == 0;
    }
    if (a->birth == B_DATE && b->birth == B_DATE) {
        int dy = a->y - b->y;

        return (a->m == b->m && a->d == b->d && dy >= -1 && dy <= 1) ||
               (dy == 0 && a->m == b->d && a->d == b->m);
    }
    return gap(a, b) <= 366;
}

static int by_names(const void *x, const void *y)
{
    const struct rec *const *a = x;
    const struct rec *const *b = y;

    if ((*a)->given != (*b)->given) {
        return (*a)->given < (*b)->given ? -1 : 1;
    }
    if ((*a)->family != (*b)->family) {
        return (*a)->family < (*b)->family ? -1 : 1;
    }
    if ((*a)->prov != (*b)->prov) {
        return (*a)->prov < (*b)->prov ? -1 : 1;
    }
    return (*a)->truth < (*b)->truth ? -1 : (*a)->truth > (*b)->truth;
}

static uint32_t root(uint32_t *up, uint32_t i)
{
    while (up[i] != i) {
        up[i] = up[up[i]];
        i = up[i];
    }
    return i;
}

static double f1(double p, double r)
{
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

/* The rule's pairwise figures and the F1 of its closure; the blind
 * pairs (a share of true pairs). */
static int baseline(struct set *s, uint64_t true_pairs, struct base *out)
{
    struct rec **v = ctis_malloc(s->n * sizeof *v);
    uint32_t *up = ctis_malloc(s->n * sizeof *up);
    uint32_t *pred = ctis_malloc(s->n * sizeof *pred);
    uint32_t *truth = ctis_malloc(s->n * sizeof *truth);
    uint64_t found = 0;
    uint64_t correct = 0;
    uint64_t blind = 0;
    struct link_eval ev;
    struct ctis_err err;
    size_t i;
    size_t j;

    if (v == NULL || up == NULL || pred == NULL || truth == NULL) {
        ctis_free(v);
        ctis_free(up);
        ctis_free(pred);
        ctis_free(truth);
        return -1;
    }
    for (i = 0; i < s->n; i++) {
        v[i] = &s->r[i];
        up[i] = (uint32_t)i;
    }
    qsort(v, s->n, sizeof *v, by_names);
    for (i = 0; i < s->n; i = j) {
        size_t a;
        size_t b;
        size_t p0;

        for (j = i + 1; j < s->n && v[j]->given == v[i]->given &&
                        v[j]->family == v[i]->family;
             j++) {
        }
        for (a = i; a < j; a++) {
            for (b = a + 1; b < j; b++) {
                if (compatible(s->rule, v[a], v[b])) {
                    uint32_t ra = root(up, (uint32_t)(v[a] - s->r));
                    uint32_t rb = root(up, (uint32_t)(v[b] - s->r));

                    found++;
                    correct += v[a]->truth == v[b]->truth;
                    up[ra] = rb;
                }
            }
        }
        /* the ceiling: within a name group, sorted by province then
         * person; a person shares its province with a namesake when its
         * province run holds another person */
        for (p0 = i; p0 < j;) {
            size_t p1;
            int persons = 1;

            for (p1 = p0 + 1; p1 < j && v[p1]->prov == v[p0]->prov; p1++) {
                persons += v[p1]->truth != v[p1 - 1]->truth;
            }
            if (persons > 1) {
                for (a = p0; a < p1; a++) {
                    for (b = a + 1; b < p1 && v[b]->truth == v[a]->truth; b++) {
                        blind += v[a]->birth == B_NONE || v[b]->birth == B_NONE;
                    }
                }
            }
            p0 = p1;
        }
    }
    for (i = 0; i < s->n; i++) {
        pred[i] = root(up, (uint32_t)i);
        truth[i] = s->r[i].truth;
    }
    {
        double p = found > 0 ? (double)correct / (double)found : 0;
        double r = true_pairs > 0 ? (double)correct / (double)true_pairs : 0;

        out->f1 = f1(p, r);
        out->p = p;
        out->r = r;
    }
    out->f1_closed = 0;
    if (link_evaluate(pred, truth, s->n, &ev, &err) == 0) {
        out->f1_closed = ev.f1;
    }
    out->blind = true_pairs > 0 ? (double)blind / (double)true_pairs : 0;
    ctis_free(v);
    ctis_free(up);
    ctis_free(pred);
    ctis_free(truth);
    return 0;
}

/* ---- classes ------------------------------------------------------------- */

#define MAX_CLASSES 64

struct tally {
    const char *dim;
    char name[MAX_CLASSES][48];
    uint64_t total[MAX_CLASSES];
    uint64_t hit[MAX_CLASSES];
    int n;
};

static void count(struct tally *t, const char *name, int hit)
{
    int i;

    for (i = 0; i < t->n && strcmp(t->name[i], name) != 0; i++) {
    }
    if (i == t->n) {
        if (t->n == MAX_CLASSES) {
            return;
        }
        ctis_strlcpy(t->name[t->n++], name, sizeof t->name[0]);
    }
    t->total[i]++;
    t->hit[i] += hit != 0;
}

static void print_tally(const struct tally *t, const char *what)
{
    int i;

    printf("  %s\n", t->dim);
    for (i = 0; i < t->n; i++) {
        if (what[0] == '\0') {
            printf("    %-40s %8llu pairs\n", t->name[i],
                   (unsigned long long)t->total[i]);
            continue;
        }
        printf("    %-40s %8llu pairs %8llu %s (%5.1f%%)\n", t->name[i],
               (unsigned long long)t->total[i], (unsigned long long)t->hit[i],
               what,
               t->total[i] > 0 ? 100.0 * (double)t->hit[i] / (double)t->total[i]
                               : 0.0);
    }
}

static void birth_pair(const struct rec *a, const struct rec *b, char *out,
                       size_t size)
{
    int x = a->birth < b->birth ? a->birth : b->birth;
    int y = a->birth < b->birth ? b->birth : a->birth;

    snprintf(out, size, "%s-%s", bform[x], bform[y]);
}

static const char *birth_agree(const struct rec *a, const struct rec *b)
{
    long g;

    if (a->birth == B_NONE || b->birth == B_NONE) {
        return "a side without birth";
    }
    g = gap(a, b);
    return g == 0 ? "intervals overlap" : g <= 366 ? "within a year" : "apart";
}

static int by_truth(const void *x, const void *y)
{
    const struct rec *const *a = x;
    const struct rec *const *b = y;

    return (*a)->truth < (*b)->truth ? -1 : (*a)->truth > (*b)->truth;
}

static int by_pred(const void *x, const void *y)
{
    const struct rec *const *a = x;
    const struct rec *const *b = y;

    return (*a)->pred < (*b)->pred ? -1 : (*a)->pred > (*b)->pred;
}

/* namesakes[i]: record i's person has a namesake in its province. */
static uint8_t *namesakes_in_province(struct set *s)
{
    struct rec **v = ctis_malloc(s->n * sizeof *v);
    uint8_t *ns = ctis_calloc(s->n, 1);
    size_t i;
    size_t j;

    if (v == NULL || ns == NULL) {
        ctis_free(v);
        ctis_free(ns);
        return NULL;
    }
    for (i = 0; i < s->n; i++) {
        v[i] = &s->r[i];
    }
    qsort(v, s->n, sizeof *v, by_names);
    for (i = 0; i < s->n; i = j) {
        int persons = 1;
        size_t a;

        for (j = i + 1;
             j < s->n && v[j]->given == v[i]->given &&
             v[j]->family == v[i]->family && v[j]->prov == v[i]->prov;
             j++) {
            persons += v[j]->truth != v[j - 1]->truth;
        }
        for (a = i; a < j; a++) {
            ns[v[a] - s->r] = persons > 1;
        }
    }
    ctis_free(v);
    return ns;
}

static void classes(struct set *s)
{
    static struct tally t[10];
    static struct tally ft[6];
    struct rec **v = ctis_malloc(s->n * sizeof *v);
    uint8_t *ns = namesakes_in_province(s);
    size_t i;
    size_t j;

    if (v == NULL || ns == NULL) {
        ctis_free(v);
        ctis_free(ns);
        return;
    }
    memset(t, 0, sizeof t);
    memset(ft, 0, sizeof ft);
    t[0].dim = "script";
    t[1].dim = "birth as written";
    t[2].dim = "births";
    t[3].dim = "birth error on a side";
    t[4].dim = "names as written";
    t[5].dim = "same list (within-list duplicate)";
    t[6].dim = "namesake in the province";
    t[7].dim = "birth x namesake in the province";
    t[8].dim = "where the records ended";
    t[9].dim = "names as written, when the births overlap";
    ft[0].dim = "names";
    ft[1].dim = "birth as written";
    ft[2].dim = "births";
    ft[3].dim = "province (true)";
    ft[4].dim = "cluster size";
    ft[5].dim = "script";
    for (i = 0; i < s->n; i++) {
        v[i] = &s->r[i];
    }
    /* missed true pairs */
    qsort(v, s->n, sizeof *v, by_truth);
    for (i = 0; i < s->n; i = j) {
        size_t a;
        size_t b;

        for (j = i + 1; j < s->n && v[j]->truth == v[i]->truth; j++) {
        }
        for (a = i; a < j; a++) {
            for (b = a + 1; b < j; b++) {
                const struct rec *x = v[a];
                const struct rec *y = v[b];
                int miss = x->pred != y->pred;
                char buf[64];
                const char *names;

                count(&t[0],
                      x->km && y->km   ? "khmer-khmer"
                      : x->km || y->km ? "khmer-latin"
                                       : "latin-latin",
                      miss);
                birth_pair(x, y, buf, sizeof buf);
                count(&t[1], buf, miss);
                count(&t[2], birth_agree(x, y), miss);
                snprintf(buf, sizeof buf, "%s / %s",
                         (const char *)(x->berr[0] != '-' ? x->berr : y->berr),
                         x->berr[0] != '-' && y->berr[0] != '-'
                             ? (const char *)y->berr
                             : "-");
                count(&t[3], buf, miss);
                names = x->swap != y->swap   ? "swapped on one side"
                        : x->typo || y->typo ? "typo"
                        : x->km != y->km     ? "khmer against latin"
                        : x->km              ? "both khmer"
                        : x->full || y->full ? "a full name"
                        : x->var || y->var   ? "other spellings"
                                             : "both most common spelling";
                count(&t[4], names, miss);
                if (x->birth != B_NONE && y->birth != B_NONE &&
                    gap(x, y) == 0) {
                    count(&t[9], names, miss);
                }
                count(&t[5], x->list == y->list ? "yes" : "no", miss);
                count(&t[6], ns[x - s->r] ? "yes" : "no", miss);
                snprintf(buf, sizeof buf, "%s, %s", birth_agree(x, y),
                         ns[x - s->r] ? "namesake" : "no namesake");
                count(&t[7], buf, miss);
            }
        }
    }
    /* where missed pairs ended: alone or with others */
    qsort(v, s->n, sizeof *v, by_pred);
    {
        uint32_t *size = ctis_calloc(s->n, sizeof *size);
        uint32_t *wrong = ctis_calloc(s->n, sizeof *wrong);

        if (size != NULL && wrong != NULL) {
            for (i = 0; i < s->n; i = j) {
                uint32_t other = 0;
                size_t a;

                for (j = i + 1; j < s->n && v[j]->pred == v[i]->pred; j++) {
                }
                for (a = i; a < j; a++) {
                    size_t b;

                    other = 0;
                    for (b = i; b < j && j - i <= 200; b++) {
                        other += v[b]->truth != v[a]->truth;
                    }
                    size[v[a] - s->r] = (uint32_t)(j - i);
                    wrong[v[a] - s->r] = other;
                }
            }
            qsort(v, s->n, sizeof *v, by_truth);
            for (i = 0; i < s->n; i = j) {
                size_t a;
                size_t b;

                for (j = i + 1; j < s->n && v[j]->truth == v[i]->truth; j++) {
                }
                for (a = i; a < j; a++) {
                    for (b = a + 1; b < j; b++) {
                        size_t x = (size_t)(v[a] - s->r);
                        size_t y = (size_t)(v[b] - s->r);
                        int wa = wrong[x] > 0;
                        int wb = wrong[y] > 0;

                        if (v[a]->pred == v[b]->pred) {
                            continue;
                        }
                        count(&t[8],
                              wa && wb   ? "both with other persons"
                              : wa || wb ? "one with another person"
                              : size[x] == 1 && size[y] == 1
                                  ? "both alone"
                                  : "apart, each with its own",
                              1);
                    }
                }
            }
        }
        ctis_free(size);
        ctis_free(wrong);
    }
    /* false pairs */
    qsort(v, s->n, sizeof *v, by_pred);
    for (i = 0; i < s->n; i = j) {
        size_t a;
        size_t b;
        char sz[16];

        for (j = i + 1; j < s->n && v[j]->pred == v[i]->pred; j++) {
        }
        snprintf(sz, sizeof sz, "%s",
                 j - i == 2     ? "2"
                 : j - i <= 5   ? "3-5"
                 : j - i <= 200 ? "6-200"
                                : "over 200");
        if (j - i > 200) {
            count(&ft[4], sz, 1);
            continue;
        }
        for (a = i; a < j; a++) {
            for (b = a + 1; b < j; b++) {
                const struct rec *x = v[a];
                const struct rec *y = v[b];
                char buf[64];

                if (x->truth == y->truth) {
                    continue;
                }
                count(&ft[0],
                      x->given == y->given && x->family == y->family
                          ? "namesakes (same names)"
                      : x->given == y->given || x->family == y->family
                          ? "one name the same"
                          : "different names",
                      1);
                birth_pair(x, y, buf, sizeof buf);
                count(&ft[1], buf, 1);
                count(&ft[2], birth_agree(x, y), 1);
                count(&ft[3], x->prov == y->prov ? "same" : "different", 1);
                count(&ft[4], sz, 1);
                count(&ft[5],
                      x->km && y->km   ? "khmer-khmer"
                      : x->km || y->km ? "khmer-latin"
                                       : "latin-latin",
                      1);
            }
        }
    }
    printf("true pairs by class (missed: in two clusters)\n");
    for (i = 0; i < 8; i++) {
        print_tally(&t[i], "missed");
    }
    print_tally(&t[9], "missed");
    printf("missed true pairs: where the two records ended\n");
    print_tally(&t[8], "");
    printf("false pairs (two persons in one cluster) by class\n");
    for (i = 0; i < 6; i++) {
        print_tally(&ft[i], "");
    }
    ctis_free(v);
    ctis_free(ns);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: link_eval [--clusters C.csv] [--classes] "
               "[--rule 0|1|2] [--id-column COL]\n"
               "                 [--truth-column COL] FILE...\n"
               "Pairwise precision, recall and F1 of ctis link's clusters "
               "against the truth\nof generated lists, the baseline with "
               "perfect names and the ceiling\n(docs/linkage.md).\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"clusters", required_argument, NULL, 'c'},
        {"classes", no_argument, NULL, 'C'},
        {"id-column", required_argument, NULL, 'i'},
        {"truth-column", required_argument, NULL, 't'},
        {"rule", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *clusters = NULL;
    const char *idc = "record_id";
    const char *tc = "person_id";
    int want_classes = 0;
    struct set s = {NULL, 0, 0, NULL, 0, 0, 2};
    struct link_eval ev;
    struct ctis_err err;
    uint32_t *pred = NULL;
    uint32_t *truth = NULL;
    int status = 1;
    size_t n = 0;
    size_t i;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            clusters = optarg;
            break;
        case 'C':
            want_classes = 1;
            break;
        case 'i':
            idc = optarg;
            break;
        case 't':
            tc = optarg;
            break;
        case 'r': {
            long v;

            if (ctis_parse_long(optarg, 0, 2, &v) != 0) {
                usage(stderr);
                return 2;
            }
            s.rule = (int)v;
        } break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind >= argc || argc - optind > 16) {
        usage(stderr);
        return 2;
    }
    s.nslot = 1 << 23; /* up to 4 million records */
    s.slot = ctis_calloc(s.nslot, sizeof *s.slot);
    if (s.slot == NULL) {
        goto out;
    }
    for (i = (size_t)optind; i < (size_t)argc; i++) {
        if (read_list(&s, argv[i], (uint16_t)(i - (size_t)optind), idc, tc) !=
            0) {
            goto out;
        }
        if (s.n > s.nslot / 2) {
            fprintf(stderr, "link_eval: too many records\n");
            goto out;
        }
    }
    if (clusters != NULL && read_clusters(&s, clusters) != 0) {
        goto out;
    }
    pred = ctis_malloc((s.n + 1) * sizeof *pred);
    truth = ctis_malloc((s.n + 1) * sizeof *truth);
    if (pred == NULL || truth == NULL) {
        goto out;
    }
    for (i = 0; i < s.n; i++) {
        /* a record missing from the clusters file is a person of its own */
        pred[n] = s.r[i].seen ? s.r[i].pred : 0x80000000u + (uint32_t)i;
        s.r[i].pred = pred[n];
        truth[n] = s.r[i].truth;
        n++;
    }
    if (link_evaluate(pred, truth, n, &ev, &err) != 0) {
        fprintf(stderr, "link_eval: %s\n", err.msg);
        goto out;
    }
    if (clusters != NULL) {
        printf("records %zu  true pairs %llu  found pairs %llu  correct "
               "%llu\n",
               n, (unsigned long long)ev.true_pairs,
               (unsigned long long)ev.found_pairs,
               (unsigned long long)ev.correct_pairs);
    }
    if (clusters != NULL && want_classes && s.truth_names) {
        classes(&s);
    }
    {
        char line[256];
        size_t len = 0;

        line[0] = '\0';
        if (clusters != NULL) {
            len += (size_t)snprintf(line, sizeof line,
                                    "precision %.3f recall %.3f F1 %.3f",
                                    ev.precision, ev.recall, ev.f1);
        }
        if (s.truth_names) {
            struct base b;

            if (baseline(&s, ev.true_pairs, &b) != 0) {
                goto out;
            }
            snprintf(line + len, sizeof line - len,
                     "%sbaseline P %.3f R %.3f F1 %.3f (closed %.3f); "
                     "blind pairs %.1f%%",
                     len > 0 ? "; " : "", b.p, b.r, b.f1, b.f1_closed,
                     100 * b.blind);
        }
        printf("%s\n", line);
    }
    status = 0;
out:
    ctis_free(s.r);
    ctis_free(s.slot);
    ctis_free(pred);
    ctis_free(truth);
    return status;
}
