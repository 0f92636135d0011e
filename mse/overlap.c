/*
 * overlap.c - the overlap table parser: CSV rows, given as field strings,
 * into one mse_table per stratum.
 *
 * The header names the columns: "count" (any case) holds the number of
 * persons, the stratum column (when one is named) the stratum, and every
 * other column is a list whose values are 0 or 1. Each row is one capture
 * pattern of one stratum; patterns not given count 0. Every problem is
 * reported as "NAME:LINE: field 'COLUMN': reason" and stops the parse.
 * Values are never quoted in messages (a stratum could be identifying in
 * a small table).
 *
 * The parser takes fields rather than a file so that the CLI can feed it
 * from io_csv and the fuzz target from memory.
 */
#include <string.h>
#include <strings.h>

#include "mse.h"

#define MAX_STRATA 10000
/* Cells over all strata: bounds the memory (16 bytes a cell). */
#define MAX_CELLS ((size_t)1 << 22)

struct mse_overlap {
    char *name;
    char *strata_name;
    int have_header;
    long header_line;
    size_t ncols;
    int k;
    int count_col;
    int strata_col;              /* -1 without strata */
    int list_col[MSE_MAX_LISTS]; /* column of list i */
    char names[MSE_MAX_LISTS][MSE_NAME_MAX];
    size_t nstrata;
    size_t cap;
    char **strata;            /* values, owned */
    struct mse_table *tables; /* nstrata tables */
    long **lines;             /* per stratum, line of each pattern */
    long nrows;
};

/* Copies name and strata_column. */
int mse_overlap_new(struct mse_overlap **out, const char *name,
                    const char *strata_column, struct ctis_err *err)
{
    struct mse_overlap *p = ctis_calloc(1, sizeof *p);

    *out = NULL;
    if (p == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    p->name = ctis_strdup(name != NULL ? name : "-");
    p->strata_col = -1;
    p->count_col = -1;
    if (strata_column != NULL) {
        p->strata_name = ctis_strdup(strata_column);
    }
    if (p->name == NULL || (strata_column != NULL && p->strata_name == NULL)) {
        mse_overlap_free(p);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    *out = p;
    return 0;
}

/* Everything the parser holds. */
void mse_overlap_free(struct mse_overlap *p)
{
    size_t i;

    if (p == NULL) {
        return;
    }
    for (i = 0; i < p->nstrata; i++) {
        ctis_free(p->strata[i]);
        mse_table_release(&p->tables[i]);
        ctis_free(p->lines[i]);
    }
    ctis_free(p->strata);
    ctis_free(p->tables);
    ctis_free(p->lines);
    ctis_free(p->name);
    ctis_free(p->strata_name);
    ctis_free(p);
}

/* A column's display name: its header, or "column N" when empty. */
static const char *colname(const char *s, size_t i, char *buf, size_t n)
{
    if (s[0] != '\0') {
        return s;
    }
    snprintf(buf, n, "column %zu", i + 1);
    return buf;
}

/* Find the roles of the columns. */
int mse_overlap_header(struct mse_overlap *p, size_t nfields,
                       const char *const *fields, long line,
                       struct ctis_err *err)
{
    size_t i;
    size_t j;
    char buf[32];

    if (p->have_header) {
        return ctis_err_set(err, CTIS_EINTERNAL, "header given twice");
    }
    p->header_line = line;
    for (i = 0; i < nfields; i++) {
        const char *f = fields[i];

        if (f[0] == '\0') {
            return ctis_err_set(err, CTIS_EINVAL,
                                "%s:%ld: field '%s': the column has no name",
                                p->name, line, colname(f, i, buf, sizeof buf));
        }
        for (j = 0; j < i; j++) {
            if (strcmp(fields[j], f) == 0) {
                return ctis_err_set(err, CTIS_EINVAL,
                                    "%s:%ld: field '%.64s': duplicate column",
                                    p->name, line, f);
            }
        }
        if (p->strata_name != NULL && strcmp(f, p->strata_name) == 0) {
            p->strata_col = (int)i;
        } else if (strcasecmp(f, "count") == 0 && p->count_col < 0) {
            p->count_col = (int)i;
        } else {
            if (p->k == MSE_MAX_LISTS) {
                return ctis_err_set(err, CTIS_EINVAL,
                                    "%s:%ld: field '%.64s': more than %d "
                                    "lists",
                                    p->name, line, f, MSE_MAX_LISTS);
            }
            if (strlen(f) >= MSE_NAME_MAX) {
                return ctis_err_set(err, CTIS_EINVAL,
                                    "%s:%ld: field '%.64s...': list name "
                                    "longer than %d bytes",
                                    p->name, line, f, MSE_NAME_MAX - 1);
            }
            if (strpbrk(f, ":,") != NULL) {
                return ctis_err_set(err, CTIS_EINVAL,
                                    "%s:%ld: field '%s': a list name may not "
                                    "hold ':' or ','",
                                    p->name, line, f);
            }
            ctis_strlcpy(p->names[p->k], f, MSE_NAME_MAX);
            p->list_col[p->k] = (int)i;
            p->k++;
        }
    }
    if (p->strata_name != NULL && p->strata_col < 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: field '%.64s': no such column (named "
                            "as the stratum)",
                            p->name, line, p->strata_name);
    }
    if (p->count_col < 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: field 'count': missing column", p->name,
                            line);
    }
    if (p->k < 2) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: field '%s': fewer than two lists", p->name,
                            line, p->k == 1 ? p->names[0] : "count");
    }
    p->ncols = nfields;
    p->have_header = 1;
    return 0;
}

/* The stratum with value v, created on first sight. OUT: *idx. */
static int stratum(struct mse_overlap *p, const char *v, long line, size_t *idx,
                   struct ctis_err *err)
{
    size_t i;
    size_t n = (size_t)1 << p->k;
    int rc;
    int j;

    for (i = 0; i < p->nstrata; i++) {
        if (strcmp(p->strata[i], v) == 0) {
            *idx = i;
            return 0;
        }
    }
    if (p->nstrata == MAX_STRATA || (p->nstrata + 1) * n > MAX_CELLS) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: field '%s': too many strata (%zu) for "
                            "%d lists",
                            p->name, line, p->strata_name, p->nstrata + 1,
                            p->k);
    }
    if (p->nstrata == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 4;
        char **s = ctis_realloc(p->strata, cap * sizeof *s);
        struct mse_table *t;
        long **l;

        if (s == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        p->strata = s;
        t = ctis_realloc(p->tables, cap * sizeof *t);
        if (t == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        p->tables = t;
        l = ctis_realloc(p->lines, cap * sizeof *l);
        if (l == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        p->lines = l;
        p->cap = cap;
    }
    i = p->nstrata;
    p->strata[i] = ctis_strdup(v);
    p->lines[i] = ctis_calloc(n, sizeof *p->lines[i]);
    rc = mse_table_init(&p->tables[i], p->k, err);
    if (rc != 0 || p->strata[i] == NULL || p->lines[i] == NULL) {
        ctis_free(p->strata[i]);
        ctis_free(p->lines[i]);
        if (rc == 0) {
            mse_table_release(&p->tables[i]);
        }
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (j = 0; j < p->k; j++) {
        memcpy(p->tables[i].names[j], p->names[j], MSE_NAME_MAX);
    }
    p->nstrata++;
    *idx = i;
    return 0;
}

/* A whole number of persons. */
static int parse_count(const struct mse_overlap *p, const char *s, long line,
                       double *out, struct ctis_err *err)
{
    const char *c;
    double v = 0;

    if (s[0] == '-' && s[1] >= '0' && s[1] <= '9') {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: field 'count': negative count", p->name,
                            line);
    }
    if (s[0] == '\0') {
        return ctis_err_set(err, CTIS_EINVAL, "%s:%ld: field 'count': empty",
                            p->name, line);
    }
    for (c = s; *c != '\0'; c++) {
        if (*c < '0' || *c > '9') {
            return ctis_err_set(err, CTIS_EINVAL,
                                "%s:%ld: field 'count': not a whole number",
                                p->name, line);
        }
        v = v * 10 + (*c - '0');
        if (v > MSE_MAX_COUNT) {
            return ctis_err_set(err, CTIS_EINVAL,
                                "%s:%ld: field 'count': larger than %.0f",
                                p->name, line, MSE_MAX_COUNT);
        }
    }
    *out = v;
    return 0;
}

/* One pattern and its count. */
int mse_overlap_row(struct mse_overlap *p, size_t nfields,
                    const char *const *fields, long line, struct ctis_err *err)
{
    size_t pattern = 0;
    size_t s = 0;
    double count = 0;
    int i;
    int rc;

    if (!p->have_header) {
        return ctis_err_set(err, CTIS_EINTERNAL, "row before the header");
    }
    if (nfields != p->ncols) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: field '%s': %zu fields where the header "
                            "has %zu",
                            p->name, line,
                            nfields < p->ncols ? "count" : "(extra)", nfields,
                            p->ncols);
    }
    for (i = 0; i < p->k; i++) {
        const char *v = fields[p->list_col[i]];

        if (strcmp(v, "1") == 0) {
            pattern |= (size_t)1 << i;
        } else if (strcmp(v, "0") != 0) {
            return ctis_err_set(
                err, CTIS_EINVAL, "%s:%ld: field '%s': not 0 or 1%s", p->name,
                line, p->names[i],
                p->strata_col < 0 ? " (a stratum column? name it with "
                                    "--strata)"
                                  : "");
        }
    }
    rc = parse_count(p, fields[p->count_col], line, &count, err);
    if (rc != 0) {
        return rc;
    }
    if (pattern == 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: field '%s': the pattern has no list "
                            "(all zero)",
                            p->name, line, p->names[0]);
    }
    if (p->strata_col >= 0 && fields[p->strata_col][0] == '\0') {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: field '%s': empty stratum", p->name, line,
                            p->strata_name);
    }
    rc = stratum(p, p->strata_col >= 0 ? fields[p->strata_col] : "", line, &s,
                 err);
    if (rc != 0) {
        return rc;
    }
    if (p->lines[s][pattern] != 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: field 'count': duplicate pattern (first "
                            "on line %ld)",
                            p->name, line, p->lines[s][pattern]);
    }
    p->lines[s][pattern] = line > 0 ? line : 1;
    p->tables[s].count[pattern] = count;
    p->nrows++;
    return 0;
}

/* Every list must have someone on it, over all strata. */
int mse_overlap_finish(struct mse_overlap *p, struct ctis_err *err)
{
    size_t n;
    size_t s;
    size_t c;
    int i;

    if (!p->have_header) {
        return ctis_err_set(err, CTIS_EINVAL, "%s: empty file, no header",
                            p->name);
    }
    if (p->nstrata == 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: field 'count': no data rows", p->name,
                            p->header_line);
    }
    n = (size_t)1 << p->k;
    for (i = 0; i < p->k; i++) {
        double sum = 0;

        for (s = 0; s < p->nstrata; s++) {
            for (c = 1; c < n; c++) {
                if (c & ((size_t)1 << i)) {
                    sum += p->tables[s].count[c];
                }
            }
        }
        if (sum == 0) {
            return ctis_err_set(err, CTIS_EINVAL,
                                "%s:%ld: field '%s': no one is on this list",
                                p->name, p->header_line, p->names[i]);
        }
    }
    return 0;
}

/* Accessors. */
size_t mse_overlap_nstrata(const struct mse_overlap *p)
{
    return p->nstrata;
}

/* Borrowed. */
const char *mse_overlap_stratum(const struct mse_overlap *p, size_t i)
{
    return p->strata[i];
}

/* Borrowed. */
const struct mse_table *mse_overlap_table(const struct mse_overlap *p, size_t i)
{
    return &p->tables[i];
}
