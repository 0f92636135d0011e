/*
 * link.c - record linkage as an operation: the records of several
 * agencies' lists, or of the store's persons, linked into persons
 * (docs/linkage.md), for 'ctis link' and the server.
 *
 *   ctis link --input A.csv --input B.csv ... --output clusters.csv
 *             [--overlap overlap.csv] [--review review.csv]
 *             [--decisions FILE] [--map std=column,...] [--from-db]
 *   ctis link encode --secret-file KEY --input A.csv --output A.clk
 *   ctis link explain LIST:ID LIST:ID --input ...
 *
 * Inputs ending in .clk are encoded lists (link encode). Every output is
 * written whole to FILE.tmp and renamed: a failed run leaves none. Bad
 * input stops the run with "FILE:LINE: field 'NAME': reason".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io.h"
#include "link/link.h"
#include "model/model.h"
#include "ops_int.h"

#define opts ops_link_args
#define LINK_MAX_PROBLEMS 100

/* ---- helpers ------------------------------------------------------------ */

/* An output written whole into its temporary file (base's atomic writer)
 * and renamed into place only when every output and the --save to the
 * store have succeeded: a failed or killed run leaves none of them, and
 * no file that describes links the database does not have. */
struct staged {
    const char *path;
    struct ctis_atomic_file af;
    int open;
};

static int write_file(struct staged *out, const struct ctis_buf *b,
                      struct ctis_err *err)
{
    int rc = ctis_atomic_open(&out->af, out->path, err);

    if (rc != 0) {
        return rc;
    }
    out->open = 1;
    if (b->len > 0 && fwrite(b->data, 1, b->len, out->af.f) != b->len) {
        return ctis_err_set(err, CTIS_EFILE, "cannot write '%s'", out->path);
    }
    return 0;
}

/* Rename every staged output into place (commit) or drop them all. */
static int finish_outputs(struct staged *outs, size_t n, int commit,
                          struct ctis_err *err)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < n; i++) {
        if (!outs[i].open) {
            continue;
        }
        if (commit && rc == 0) {
            rc = ctis_atomic_commit(&outs[i].af, err);
        } else {
            ctis_atomic_abort(&outs[i].af);
        }
        outs[i].open = 0;
    }
    return rc;
}

/* "police.csv" -> "police" */
static void base_name(const char *path, char *out, size_t size)
{
    const char *b = strrchr(path, '/');
    char *dot;

    ctis_strlcpy(out, b != NULL ? b + 1 : path, size);
    dot = strrchr(out, '.');
    if (dot != NULL && dot != out) {
        *dot = '\0';
    }
}

/* ---- reading ------------------------------------------------------------ */

static long file_size(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* --truth-column: the true person of each record, as a hash of its value
 * (0 when empty). */
struct truth {
    const char *col;
    uint64_t *h;
    size_t n_truth, cap_truth;
};

/* Keep the truth value of the record just added (--truth-column). */
static int truth_push(struct truth *o, const char *v, struct ctis_err *err)
{
    uint64_t h = 0;
    const char *p;

    if (o->n_truth == o->cap_truth) {
        size_t cap = o->cap_truth == 0 ? 1024 : o->cap_truth * 2;
        uint64_t *t = ctis_realloc(o->h, cap * sizeof *t);

        if (t == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        o->h = t;
        o->cap_truth = cap;
    }
    if (v != NULL && v[0] != '\0') {
        /* FNV-1a, 64 bits: distinct persons collide with chance 2^-64 */
        h = 1469598103934665603ULL;
        for (p = v; *p != '\0'; p++) {
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        }
        h = h == 0 ? 1 : h;
    }
    o->h[o->n_truth++] = h;
    return 0;
}

struct truth_ix {
    uint64_t h;
    size_t rec;
};

static int cmp_truth(const void *x, const void *y)
{
    const struct truth_ix *a = x;
    const struct truth_ix *b = y;

    if (a->h != b->h) {
        return a->h < b->h ? -1 : 1;
    }
    return a->rec < b->rec ? -1 : a->rec > b->rec;
}

/* Pairwise precision and recall of the clusters against the truth column
 * (a record with an empty truth value is a person of its own). */
static int print_truth(const struct truth *o, const struct link_result *res,
                       struct ctis_err *err)
{
    size_t n = o->n_truth;
    struct truth_ix *ix = ctis_malloc((n > 0 ? n : 1) * sizeof *ix);
    uint32_t *id = ctis_malloc((n > 0 ? n : 1) * sizeof *id);
    struct link_eval ev;
    uint32_t next = 0;
    size_t i;
    int rc;

    if (ix == NULL || id == NULL) {
        ctis_free(ix);
        ctis_free(id);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (i = 0; i < n; i++) {
        ix[i].h = o->h[i];
        ix[i].rec = i;
    }
    qsort(ix, n, sizeof *ix, cmp_truth);
    for (i = 0; i < n; i++) {
        if (i == 0 || ix[i].h == 0 || ix[i].h != ix[i - 1].h) {
            next++;
        }
        id[ix[i].rec] = next - 1;
    }
    rc = link_evaluate(res->cluster, id, n, &ev, err);
    if (rc == 0) {
        fprintf(stderr,
                "link: against '%s': precision %.4f, recall %.4f, F1 %.4f "
                "(%llu true pairs, %llu found, %llu correct)\n",
                o->col, ev.precision, ev.recall, ev.f1,
                (unsigned long long)ev.true_pairs,
                (unsigned long long)ev.found_pairs,
                (unsigned long long)ev.correct_pairs);
    }
    ctis_free(ix);
    ctis_free(id);
    return rc;
}

/* Say how many birth dates after tomorrow were set aside (link_set_add
 * keeps the record, without that birth information), and where the first
 * one is; never the value. */
static void warn_future_dates(const struct link_set *s)
{
    const char *first;
    size_t n = link_set_future_dates(s, &first);

    if (n > 0) {
        fprintf(stderr,
                "ctis: warning: %s: a birth date after tomorrow; %zu such "
                "record(s) linked with their birth unknown\n",
                first, n);
    }
}

/* Read one linkage CSV (clear or encoded) into s; with truth->col, keep
 * that column's value of every record. */
static int read_input(const struct opts *o, struct link_set *s,
                      const char *path, struct truth *truth,
                      struct ctis_err *err)
{
    struct io_csv *r = NULL;
    int col[LINK_F_COUNT];
    int mapped[LINK_F_COUNT];
    int clk_col[3 + LINK_BLOCK_KEYS];
    int truth_col = -1;
    char list[256];
    char where[512];
    int clk = ctis_ends_with_ci(path, ".clk");
    struct ctis_progress prog;
    long bad_lines = 0;
    int old_clk = 0;
    size_t i;
    int f;
    int rc;

    rc = io_csv_open(&r, path, err);
    if (rc != 0) {
        return rc;
    }
    rc = io_csv_next(r, err);
    if (rc <= 0) {
        io_csv_close(r);
        if (rc == 0) {
            return ctis_err_set(err, CTIS_EINVAL,
                                "%s:1: field 'record_id': missing column "
                                "(empty file)", path);
        }
        return rc;
    }
    for (f = 0; f < LINK_F_COUNT; f++) {
        col[f] = -1;
        mapped[f] = 0;
    }
    for (i = 0; i < 3 + LINK_BLOCK_KEYS; i++) {
        clk_col[i] = -1;
    }
    for (i = 0; i < io_csv_nfields(r); i++) {
        const char *name = io_csv_field(r, i);

        if (truth->col != NULL && strcmp(name, truth->col) == 0) {
            truth_col = (int)i;
        }
        if (clk) {
            static const char *const names[] = {"list", "record_id",
                                                LINK_CLK_COLUMN};
            size_t k;
            long b;

            for (k = 0; k < 3; k++) {
                if (strcmp(name, names[k]) == 0) {
                    clk_col[k] = (int)i;
                }
            }
            if (strcmp(name, LINK_CLK_COLUMN_V1) == 0) {
                old_clk = 1;
            }
            if (name[0] == 'b' &&
                ctis_parse_long(name + 1, 1, LINK_BLOCK_KEYS, &b) == 0) {
                clk_col[2 + b] = (int)i;
            }
            continue;
        }
        for (f = 0; f < LINK_F_COUNT; f++) {
            if (o->map[f] >= 0 && strcmp(name, o->map_cols[f]) == 0) {
                col[f] = (int)i;
                mapped[f] = 1;
            } else if (!mapped[f] && strcmp(name, link_field_name(f)) == 0) {
                col[f] = (int)i;
            }
        }
    }
    if (clk && clk_col[2] < 0 && old_clk) {
        io_csv_close(r);
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:1: field '" LINK_CLK_COLUMN_V1 "': encoded "
                            "by an earlier version of ctis (filter version "
                            "1), which this one cannot compare; encode every "
                            "list again with this version",
                            path);
    }
    if ((clk && (clk_col[1] < 0 || clk_col[2] < 0)) ||
        (!clk && col[LINK_F_RECORD_ID] < 0)) {
        io_csv_close(r);
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:1: field '%s': missing column", path,
                            clk && clk_col[1] >= 0 ? LINK_CLK_COLUMN
                                                   : "record_id");
    }
    if (truth->col != NULL && truth_col < 0) {
        io_csv_close(r);
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:1: field '%s': missing column", path,
                            truth->col);
    }
    base_name(path, list, sizeof list);
    ctis_progress_start(&prog, "link: reading", (uint64_t)file_size(path),
                        o->lo.progress);
    for (;;) {
        rc = io_csv_next(r, err);
        if (rc < 0 && io_csv_recoverable(r)) {
            if (++bad_lines <= LINK_MAX_PROBLEMS) {
                fprintf(stderr, "ctis: %s\n", err->msg);
            }
            continue;
        }
        if (rc <= 0) {
            break;
        }
        snprintf(where, sizeof where, "%s:%ld", path, io_csv_line(r));
        if (clk) {
            const char *tok[LINK_BLOCK_KEYS];
            const char *l = clk_col[0] >= 0 ? io_csv_field(r, (size_t)
                                                           clk_col[0])
                                            : list;

            for (i = 0; i < LINK_BLOCK_KEYS; i++) {
                tok[i] = clk_col[3 + i] >= 0
                             ? io_csv_field(r, (size_t)clk_col[3 + i])
                             : NULL;
            }
            rc = link_set_add_clk(s, l[0] != '\0' ? l : list,
                                  io_csv_field(r, (size_t)clk_col[1]),
                                  io_csv_field(r, (size_t)clk_col[2]), tok,
                                  LINK_BLOCK_KEYS, where, err);
        } else {
            const char *fields[LINK_F_COUNT];

            for (f = 0; f < LINK_F_COUNT; f++) {
                fields[f] = col[f] >= 0 ? io_csv_field(r, (size_t)col[f])
                                        : NULL;
            }
            if (o->list != NULL) {
                fields[LINK_F_LIST] = o->list;
            } else if (fields[LINK_F_LIST] == NULL ||
                       fields[LINK_F_LIST][0] == '\0') {
                fields[LINK_F_LIST] = list;
            }
            rc = link_set_add(s, fields, where, err);
        }
        if (rc == CTIS_EINVAL) {
            /* Every bad line is reported, up to LINK_MAX_PROBLEMS, as
             * import does; nothing is linked while any is bad. */
            if (++bad_lines <= LINK_MAX_PROBLEMS) {
                fprintf(stderr, "ctis: %s\n", err->msg);
            }
            rc = 0;
            continue;
        }
        if (rc == 0 && truth_col >= 0) {
            rc = truth_push(truth, io_csv_field(r, (size_t)truth_col), err);
        }
        if (rc != 0) {
            break;
        }
        ctis_progress_update(&prog, io_csv_offset(r));
    }
    ctis_progress_finish(&prog);
    io_csv_close(r);
    if (rc >= 0 && bad_lines > 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%ld invalid line(s) in '%s'%s; nothing linked",
                            bad_lines, path,
                            bad_lines > LINK_MAX_PROBLEMS
                                ? " (the first 100 shown)"
                                : "");
    }
    return rc < 0 ? rc : 0;
}

/* Persons of the store, one list per agency. */
struct db_ctx {
    struct link_set *s;
    struct ctis_err *err;
};

static int add_case(void *vctx, const struct model_case *c)
{
    struct db_ctx *d = vctx;
    const struct model_person *p = &c->person;
    const char *f[LINK_F_COUNT];
    char birth[16];
    char year[16];
    char age[16];
    char age_at[16];
    char place[2 * MODEL_PLACE_MAX + 2];
    char where[128];
    int ident = model_case_first_date(c, MODEL_EV_IDENTIFICATION);

    memset(f, 0, sizeof f);
    f[LINK_F_LIST] = c->agency;
    f[LINK_F_RECORD_ID] = c->id;
    f[LINK_F_GIVEN_NAME] = p->given_name;
    f[LINK_F_FAMILY_NAME] = p->family_name;
    f[LINK_F_GIVEN_NAME_KM] = p->given_name_km;
    f[LINK_F_FAMILY_NAME_KM] = p->family_name_km;
    if (p->sex == MODEL_SEX_FEMALE) {
        f[LINK_F_SEX] = "female";
    } else if (p->sex == MODEL_SEX_MALE) {
        f[LINK_F_SEX] = "male";
    } else if (p->sex == MODEL_SEX_OTHER) {
        f[LINK_F_SEX] = "other";
    }
    if (p->birth_date != 0) {
        ctis_date_format(p->birth_date, birth);
        f[LINK_F_BIRTH_DATE] = birth;
    }
    if (p->birth_year > 0) {
        snprintf(year, sizeof year, "%d", p->birth_year);
        f[LINK_F_BIRTH_YEAR] = year;
    }
    if (p->age >= 0 && ident != 0) {
        snprintf(age, sizeof age, "%d", p->age);
        ctis_date_format(ident, age_at);
        f[LINK_F_AGE] = age;
        f[LINK_F_AGE_AT] = age_at;
    }
    f[LINK_F_HOME_PROVINCE] = p->home_province;
    snprintf(place, sizeof place, "%s %s", p->home_village,
             p->home_commune);
    f[LINK_F_PLACE] = place;
    f[LINK_F_PHONE] = p->phone;
    f[LINK_F_EMAIL] = p->email[0] != '\0' ? p->email : NULL;
    snprintf(where, sizeof where, "case '%s'", c->id);
    return link_set_add(d->s, f, where, d->err);
}

static int read_db(struct ops *ctx, struct link_set *s,
                   struct ctis_err *err)
{
    struct store *st = ctx->st;
    struct db_ctx d;
    long opened = 0;
    long named = 0;
    int rc = ops_allow(ctx, OPS_LINK, NULL, NULL, err);

    if (rc != 0) {
        return rc;
    }
    if (st == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "--from-db needs a database");
    }
    d.s = s;
    d.err = err;
    /* blocking by blind index: only persons who share a name value with
     * another are read with their identity (store_each_linkable_case) */
    opened = store_identities_opened(st);
    rc = store_each_linkable_case(st, add_case, &d, &named, err);
    if (rc == 0) {
        fprintf(stderr,
                "link: %ld of %zu persons share a name with another and "
                "were read with their identity (%ld sealed identities "
                "opened)\n",
                named, link_set_size(s),
                store_identities_opened(st) - opened);
    }
    return rc;
}

static int decision_value(const char *v)
{
    static const char *const yes[] = {"match", "same"};
    static const char *const no[] = {"non_match", "different"};
    size_t i;
    int b;

    for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            return 1;
        }
        if (strcasecmp(v, no[i]) == 0) {
            return 0;
        }
    }
    if (strcasecmp(v, "non-match") == 0) {
        return 0;
    }
    if (strcasecmp(v, "y") == 0 || strcasecmp(v, "n") == 0) {
        return v[0] == 'y' || v[0] == 'Y';
    }
    b = model_bool_parse(v);
    if (b >= 0) {
        return b;
    }
    return v[0] == '\0' ? -1 : -2;
}

/* Read reviewers' decisions (the review file with its decision column
 * filled in). */
static int read_decisions(const char *path, struct link_set *s,
                          struct ctis_err *err)
{
    static const char *const names[5] = {"list_a", "record_id_a", "list_b",
                                         "record_id_b", "decision"};
    struct io_csv *r = NULL;
    int col[5] = {-1, -1, -1, -1, -1};
    size_t i;
    int k;
    int rc = io_csv_open(&r, path, err);

    if (rc != 0) {
        return rc;
    }
    rc = io_csv_next(r, err);
    for (i = 0; rc > 0 && i < io_csv_nfields(r); i++) {
        for (k = 0; k < 5; k++) {
            if (strcmp(io_csv_field(r, i), names[k]) == 0) {
                col[k] = (int)i;
            }
        }
    }
    for (k = 0; rc >= 0 && k < 5; k++) {
        if (col[k] < 0) {
            io_csv_close(r);
            return ctis_err_set(err, CTIS_EINVAL,
                                "%s:1: field '%s': missing column", path,
                                names[k]);
        }
    }
    while (rc >= 0) {
        long a;
        long b;
        int d;

        rc = io_csv_next(r, err);
        if (rc <= 0) {
            break;
        }
        a = link_set_find(s, io_csv_field(r, (size_t)col[0]),
                          io_csv_field(r, (size_t)col[1]));
        b = link_set_find(s, io_csv_field(r, (size_t)col[2]),
                          io_csv_field(r, (size_t)col[3]));
        d = decision_value(io_csv_field(r, (size_t)col[4]));
        if (d == -1) {
            continue;
        }
        if (d == -2) {
            rc = ctis_err_set(err, CTIS_EINVAL,
                              "%s:%ld: field 'decision': not match or "
                              "non_match", path, io_csv_line(r));
            break;
        }
        if (a < 0 || b < 0) {
            rc = ctis_err_set(err, CTIS_EINVAL,
                              "%s:%ld: field '%s': no such record", path,
                              io_csv_line(r),
                              a < 0 ? "record_id_a" : "record_id_b");
            break;
        }
        rc = link_set_decide(s, (size_t)a, (size_t)b, d, err);
        if (rc != 0) {
            ctis_err_prefix(err, "%s:%ld", path, io_csv_line(r));
            break;
        }
        rc = 1;
    }
    io_csv_close(r);
    return rc < 0 ? rc : 0;
}

static int load(struct ops *ctx, const struct opts *o, struct link_set *s,
                struct truth *truth, struct ctis_err *err)
{
    int i;
    int rc = 0;

    if (o->from_db) {
        rc = read_db(ctx, s, err);
    }
    for (i = 0; rc == 0 && i < o->n_inputs; i++) {
        rc = read_input(o, s, o->inputs[i], truth, err);
    }
    if (rc == 0 && o->decisions != NULL) {
        rc = read_decisions(o->decisions, s, err);
        if (rc == 0 && link_set_check_decisions(s, err) != 0) {
            rc = ctis_err_prefix(err, "%s", o->decisions);
        }
    }
    return rc;
}

/* ---- outputs -- */

static int put_row(struct ctis_buf *b, const char *const *fields, size_t n)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < n && rc == 0; i++) {
        if (i > 0) {
            rc = ctis_buf_putc(b, ',');
        }
        if (rc == 0) {
            rc = io_csv_put_field(b, fields[i]);
        }
    }
    return rc == 0 ? ctis_buf_putc(b, '\n') : rc;
}

static int write_clusters(struct staged *path, const struct link_set *s,
                          const struct link_result *res,
                          struct ctis_err *err)
{
    struct ctis_buf b;
    size_t i;
    int rc;

    ctis_buf_init(&b);
    rc = ctis_buf_puts(&b, "list,record_id,cluster_id,match_weight\n");
    for (i = 0; rc == 0 && i < link_set_size(s); i++) {
        const char *f[4];
        char cid[24];
        char w[32];

        snprintf(cid, sizeof cid, "%u", (unsigned)res->cluster[i] + 1);
        if (isnan(res->match_weight[i])) {
            w[0] = '\0';
        } else {
            snprintf(w, sizeof w, "%.2f", (double)res->match_weight[i]);
        }
        f[0] = link_set_list_name(s, link_set_record_list(s, i));
        f[1] = link_set_record_id(s, i);
        f[2] = cid;
        f[3] = w;
        rc = put_row(&b, f, 4);
    }
    if (rc != 0) {
        ctis_buf_release(&b);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = write_file(path, &b, err);
    ctis_buf_release(&b);
    return rc;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

struct list_size {
    size_t list;
    size_t n;
    const char *name;
};

/* Largest first; equal sizes by name, so the choice is reproducible. */
static int cmp_size(const void *x, const void *y)
{
    const struct list_size *a = x;
    const struct list_size *b = y;

    if (a->n != b->n) {
        return a->n > b->n ? -1 : 1;
    }
    return strcmp(a->name, b->name);
}

/* The overlap's column of each list into col[] (one per list); *ncols
 * gets the number of columns. With max > 0 and more lists than max, the
 * max - 1 lists with the most records keep a column each and the others
 * share the last, OPS_LINK_POOLED: a person on any of them is on the
 * pooled list (a union of lists is a list to MSE), so 'ctis estimate'
 * takes the table. The linkage is not changed. */
static int overlap_columns(const struct link_set *s, size_t max,
                           size_t *col, size_t *ncols, struct ctis_err *err)
{
    size_t nl = link_set_lists(s);
    struct list_size *ls;
    size_t pooled = 0;
    size_t i;

    for (i = 0; i < nl; i++) {
        col[i] = i;
    }
    *ncols = nl;
    if (max < 2 || nl <= max) {
        return 0;
    }
    ls = ctis_calloc(nl, sizeof *ls);
    if (ls == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (i = 0; i < nl; i++) {
        ls[i].list = i;
        ls[i].name = link_set_list_name(s, i);
    }
    for (i = 0; i < link_set_size(s); i++) {
        ls[link_set_record_list(s, i)].n++;
    }
    qsort(ls, nl, sizeof *ls, cmp_size);
    for (i = 0; i < nl; i++) {
        col[ls[i].list] = i < max - 1 ? i : max - 1;
        if (i >= max - 1) {
            pooled += ls[i].n;
        }
    }
    fprintf(stderr,
            "link: overlap: %zu lists; the %zu largest have a column each, "
            "the other %zu (%zu records) are pooled as '%s' "
            "(--overlap-lists)\n",
            nl, max - 1, nl - (max - 1), pooled, OPS_LINK_POOLED);
    ctis_free(ls);
    *ncols = max;
    return 0;
}

/* Capture histories: one 0/1 column per list (or per overlap_columns's
 * column), then the count of persons with that history. Each person's
 * history is a string of '0' and '1', one per column, so any number of
 * lists works. */
static int write_overlap(struct staged *path, const struct link_set *s,
                         const struct link_result *res, size_t max,
                         struct ctis_err *err)
{
    size_t nl = link_set_lists(s);
    size_t nc = res->n_clusters;
    size_t *col;
    size_t ncols = 0;
    char *text;
    char **hist;
    const char **names;
    struct ctis_buf b;
    size_t i;
    int rc = 0;

    col = ctis_calloc(nl > 0 ? nl : 1, sizeof *col);
    names = ctis_calloc(nl > 0 ? nl : 1, sizeof *names);
    if (col == NULL || names == NULL) {
        ctis_free(col);
        ctis_free(names);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = overlap_columns(s, max, col, &ncols, err);
    if (rc != 0) {
        ctis_free(col);
        ctis_free(names);
        return rc;
    }
    for (i = 0; i < nl; i++) {
        names[col[i]] = ncols < nl && col[i] == ncols - 1
                            ? OPS_LINK_POOLED
                            : link_set_list_name(s, i);
    }
    text = ctis_malloc((nc > 0 ? nc : 1) * (ncols + 1));
    hist = ctis_malloc((nc > 0 ? nc : 1) * sizeof *hist);
    if (text == NULL || hist == NULL) {
        ctis_free(text);
        ctis_free(hist);
        ctis_free(col);
        ctis_free(names);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (i = 0; i < nc; i++) {
        hist[i] = text + i * (ncols + 1);
        memset(hist[i], '0', ncols);
        hist[i][ncols] = '\0';
    }
    for (i = 0; i < link_set_size(s); i++) {
        hist[res->cluster[i]][col[link_set_record_list(s, i)]] = '1';
    }
    qsort(hist, nc, sizeof *hist, cmp_str);
    ctis_buf_init(&b);
    for (i = 0; rc == 0 && i < ncols; i++) {
        rc = io_csv_put_field(&b, names[i]);
        if (rc == 0) {
            rc = ctis_buf_putc(&b, ',');
        }
    }
    if (rc == 0) {
        rc = ctis_buf_puts(&b, "count\n");
    }
    i = 0;
    while (rc == 0 && i < nc) {
        size_t j = i;
        size_t l;

        while (j < nc && strcmp(hist[j], hist[i]) == 0) {
            j++;
        }
        for (l = 0; rc == 0 && l < ncols; l++) {
            rc = ctis_buf_putc(&b, hist[i][l]);
            if (rc == 0) {
                rc = ctis_buf_putc(&b, ',');
            }
        }
        if (rc == 0) {
            rc = ctis_buf_printf(&b, "%zu\n", j - i);
        }
        i = j;
    }
    ctis_free(hist);
    ctis_free(text);
    ctis_free(col);
    ctis_free(names);
    if (rc != 0) {
        ctis_buf_release(&b);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = write_file(path, &b, err);
    ctis_buf_release(&b);
    return rc;
}

static int write_review(struct staged *path, const struct link_set *s,
                        const struct link_result *res,
                        struct ctis_err *err)
{
    struct ctis_buf b;
    size_t i;
    int rc;

    ctis_buf_init(&b);
    rc = ctis_buf_puts(&b, "list_a,record_id_a,list_b,record_id_b,"
                           "match_weight,match_probability,decision\n");
    for (i = 0; rc == 0 && i < res->n_review; i++) {
        const struct link_pair *p = &res->review[i];
        const char *f[7];
        char w[32];
        char pr[32];

        snprintf(w, sizeof w, "%.2f", (double)p->weight);
        snprintf(pr, sizeof pr, "%.4f", (double)p->prob);
        f[0] = link_set_list_name(s, link_set_record_list(s, p->a));
        f[1] = link_set_record_id(s, p->a);
        f[2] = link_set_list_name(s, link_set_record_list(s, p->b));
        f[3] = link_set_record_id(s, p->b);
        f[4] = w;
        f[5] = pr;
        f[6] = "";
        rc = put_row(&b, f, 7);
    }
    if (rc != 0) {
        ctis_buf_release(&b);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = write_file(path, &b, err);
    ctis_buf_release(&b);
    return rc;
}

/* Peak resident memory of this process in MiB (0 when unknown). */
static double peak_mib(void)
{
    struct rusage ru;

    if (getrusage(RUSAGE_SELF, &ru) != 0) {
        return 0;
    }
    return (double)ru.ru_maxrss / 1024.0;  /* kilobytes on Linux */
}

static void print_figures(const struct link_set *s,
                          const struct link_result *res)
{
    fprintf(stderr,
            "link: %zu records in %zu lists%s\n"
            "link: %llu candidate pairs compared (%llu blocks over the cap "
            "compared by windows)\n"
            "link: EM converged in %d iterations, matches among candidates "
            "%.4f, prior %.2f bits\n"
            "link: thresholds: accept at weight %.2f, review band "
            "[%.2f, %.2f)\n"
            "link: %llu pairs joined, %zu persons, %zu pairs to review\n"
            "link: seconds: u %.1f, blocking and comparing %.1f, EM %.1f, "
            "scoring %.1f, clustering %.1f\n",
            link_set_size(s), link_set_lists(s),
            link_set_is_clk(s) ? " (encoded)" : "",
            (unsigned long long)res->n_candidates,
            (unsigned long long)res->n_skipped_blocks, res->em_iterations,
            res->lambda, res->prior_weight, res->accept_weight,
            res->review_low_weight, res->review_high_weight,
            (unsigned long long)res->n_accepted, res->n_clusters,
            res->n_review, res->seconds[0], res->seconds[1],
            res->seconds[2], res->seconds[3], res->seconds[4]);
    fprintf(stderr, "link: peak memory %.0f MiB\n", peak_mib());
}

/* --save: the person (cluster) of every case into the store, replacing
 * the links of an earlier run, in one transaction. */
static int save_links(struct ops *ctx, const struct link_set *s,
                      const struct link_result *res, struct ctis_err *err)
{
    size_t n = link_set_size(s);
    const char **ids = ctis_calloc(n > 0 ? n : 1, sizeof *ids);
    long *persons = ctis_calloc(n > 0 ? n : 1, sizeof *persons);
    struct store *st = ctx->st;
    size_t i;
    int rc = ops_allow(ctx, OPS_LINK, NULL, NULL, err);

    if (rc == 0 && (ids == NULL || persons == NULL)) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (i = 0; rc == 0 && i < n; i++) {
        ids[i] = link_set_record_id(s, i);
        persons[i] = (long)res->cluster[i];
    }
    if (rc == 0) {
        rc = store_put_person_links(st, ids, persons, n, err);
    }
    if (rc == 0) {
        fprintf(stderr, "link: %zu cases linked to %zu persons saved\n", n,
                res->n_clusters);
    }
    ctis_free(ids);
    ctis_free(persons);
    return rc;
}

/* Every output must differ from every input (the lists, the decisions,
 * the secret) and from the other outputs; the caller checks the
 * database (cli_output_check). */
static int check_outputs(struct ops *ctx, const struct opts *o,
                         const struct staged *outs, size_t n,
                         struct ctis_err *err)
{
    const char *inputs[OPS_LINK_MAX_INPUTS + 2];
    size_t k = 0;
    size_t i;
    int j;
    int rc = 0;

    for (j = 0; j < o->n_inputs; j++) {
        inputs[k++] = o->inputs[j];
    }
    inputs[k++] = o->decisions;
    inputs[k++] = o->secret;
    (void)ctx;
    for (i = 0; rc == 0 && i < n; i++) {
        size_t m;

        if (outs[i].path == NULL) {
            continue;
        }
        rc = ctis_output_check(outs[i].path, inputs, k, err);
        for (m = 0; rc == 0 && m < i; m++) {
            if (outs[m].path != NULL &&
                strcmp(outs[m].path, outs[i].path) == 0) {
                rc = ctis_err_set(err, CTIS_EARG, "output '%s' is named twice",
                                  outs[i].path);
            }
        }
    }
    return rc;
}

/* ---- subcommands -- */

/* Link, write the outputs, save the links (with --save: a writer, else
 * a reader of the store). */
int ops_link(struct ops *ctx, const struct ops_link_args *o,
             struct ctis_err *err)
{
    struct staged outs[3];
    struct link_set *s = NULL;
    struct link_result res;
    struct truth truth;
    double t0;
    int rc;

    memset(&truth, 0, sizeof truth);
    truth.col = o->truth_col;
    memset(outs, 0, sizeof outs);
    outs[0].path = o->output;
    outs[1].path = o->overlap;
    outs[2].path = o->review;
    rc = check_outputs(ctx, o, outs, 3, err);
    if (rc != 0) {
        return rc;
    }
    t0 = ctis_now();
    link_result_init(&res);
    rc = link_set_new(&s, err);
    if (rc == 0) {
        rc = load(ctx, o, s, &truth, err);
    }
    if (rc == 0) {
        warn_future_dates(s);
        fprintf(stderr, "link: read in %.1f s\n", ctis_now() - t0);
        rc = link_run(s, &o->lo, &res, err);
    }
    if (rc == 0) {
        print_figures(s, &res);
        if (truth.col != NULL) {
            rc = print_truth(&truth, &res, err);
        }
    }
    if (rc == 0) {
        rc = write_clusters(&outs[0], s, &res, err);
    }
    if (rc == 0 && o->overlap != NULL) {
        rc = write_overlap(&outs[1], s, &res, o->overlap_lists, err);
    }
    if (rc == 0 && o->review != NULL) {
        rc = write_review(&outs[2], s, &res, err);
    }
    /* The store first, the files after: the links are committed before
     * any output is renamed into place (a new, empty transaction is left
     * for the caller to end), so a kill in between leaves the links saved
     * and no file describing links the store does not have. */
    if (rc == 0 && o->save) {
        rc = save_links(ctx, s, &res, err);
        if (rc == 0) {
            rc = store_commit(ctx->st, err);
        }
        if (rc == 0) {
            rc = store_begin(ctx->st, err);
        }
    }
    rc = finish_outputs(outs, 3, rc == 0, err) != 0 && rc == 0 ? err->code
                                                                : rc;
    link_result_release(&res);
    link_set_free(s);
    ctis_free(truth.h);
    return rc;
}

static int read_secret(const char *path, unsigned char *buf, size_t size,
                       size_t *len, struct ctis_err *err)
{
    FILE *f = NULL;
    int rc = ctis_open_input(path, &f, err);

    if (rc != 0) {
        return ctis_err_prefix(err, "the secret file");
    }
    *len = fread(buf, 1, size, f);
    if (f != stdin) {
        fclose(f);
    }
    return 0;
}

/* Encode one list into keyed Bloom filters (needs no store). */
int ops_link_encode(struct ops *ctx, const struct ops_link_args *o,
                    struct ctis_err *err)
{
    struct link_set *s = NULL;
    struct link_clk_key key;
    unsigned char secret[4096];
    size_t slen = 0;
    struct ctis_buf b;
    struct truth truth;
    size_t i;
    int rc;

    (void)ctx;
    rc = read_secret(o->secret, secret, sizeof secret, &slen, err);
    if (rc == 0) {
        rc = link_clk_key_derive(&key, secret, slen, err);
    }
    memset(secret, 0, sizeof secret);
    if (rc != 0) {
        return rc;
    }
    ctis_buf_init(&b);
    memset(&truth, 0, sizeof truth);  /* no truth column here */
    rc = link_set_new(&s, err);
    if (rc == 0) {
        rc = read_input(o, s, o->inputs[0], &truth, err);
    }
    if (rc == 0) {
        int k;

        warn_future_dates(s);
        rc = ctis_buf_puts(&b, "list,record_id," LINK_CLK_COLUMN);
        for (k = 1; rc == 0 && k <= LINK_BLOCK_KEYS; k++) {
            rc = ctis_buf_printf(&b, ",b%d", k);
        }
        if (rc == 0) {
            rc = ctis_buf_putc(&b, '\n');
        }
        if (rc != 0) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
    }
    for (i = 0; rc == 0 && i < link_set_size(s); i++) {
        char clk[256];
        char tok[LINK_BLOCK_KEYS][LINK_TOKEN_TEXT];
        const char *f[3 + LINK_BLOCK_KEYS];
        size_t k;

        link_clk_encode(s, i, &key, clk, sizeof clk, tok, LINK_BLOCK_KEYS);
        f[0] = link_set_list_name(s, link_set_record_list(s, i));
        f[1] = link_set_record_id(s, i);
        f[2] = clk;
        for (k = 0; k < LINK_BLOCK_KEYS; k++) {
            f[3 + k] = tok[k];
        }
        if (put_row(&b, f, 3 + LINK_BLOCK_KEYS) != 0) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
    }
    if (rc == 0) {
        struct staged out;

        memset(&out, 0, sizeof out);
        out.path = o->output;
        rc = check_outputs(ctx, o, &out, 1, err);
        if (rc == 0) {
            rc = write_file(&out, &b, err);
        }
        rc = finish_outputs(&out, 1, rc == 0, err) != 0 && rc == 0
                 ? err->code
                 : rc;
    }
    if (rc == 0) {
        fprintf(stderr, "link encode: %zu records encoded\n",
                link_set_size(s));
    }
    memset(&key, 0, sizeof key);
    ctis_buf_release(&b);
    link_set_free(s);
    return rc;
}

static long find_ref(struct link_set *s, const char *ref)
{
    char list[256];
    const char *colon = strchr(ref, ':');

    if (colon == NULL || (size_t)(colon - ref) >= sizeof list) {
        return -1;
    }
    memcpy(list, ref, (size_t)(colon - ref));
    list[colon - ref] = '\0';
    return link_set_find(s, list, colon + 1);
}

/* The fields' levels and weights of one pair, printed to out. */
int ops_link_explain(struct ops *ctx, const struct ops_link_args *o,
                     FILE *out, struct ctis_err *err)
{
    struct link_set *s = NULL;
    struct link_result res;
    struct ctis_buf b;
    struct truth truth;
    long a = -1;
    long c = -1;
    int rc;

    memset(&truth, 0, sizeof truth);  /* no truth column here */
    link_result_init(&res);
    ctis_buf_init(&b);
    rc = link_set_new(&s, err);
    if (rc == 0) {
        rc = load(ctx, o, s, &truth, err);
    }
    if (rc == 0) {
        a = find_ref(s, o->pair[0]);
        c = find_ref(s, o->pair[1]);
        if (a < 0 || c < 0) {
            rc = ctis_err_set(err, CTIS_ENOTFOUND,
                              "no record has the %s id given",
                              a < 0 ? "first" : "second");
        }
    }
    if (rc == 0) {
        rc = link_run(s, &o->lo, &res, err);
    }
    if (rc == 0) {
        rc = link_explain(s, (size_t)a, (size_t)c, &b, err);
    }
    if (rc == 0) {
        fprintf(out, "%s and %s: %s\n%s", o->pair[0], o->pair[1],
                res.cluster[a] == res.cluster[c] ? "same person"
                                                 : "different persons",
                b.data);
    }
    ctis_buf_release(&b);
    link_result_release(&res);
    link_set_free(s);
    return rc;
}

