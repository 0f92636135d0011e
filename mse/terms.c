/*
 * terms.c - overlap tables, the numbering of two-list terms, model names
 * and the normal distribution helpers.
 */
#include <math.h>
#include <string.h>

#include "mse.h"

/* A table of k empty lists; counts are indexed by pattern. */
int mse_table_init(struct mse_table *t, int k, struct ctis_err *err)
{
    int i;

    memset(t, 0, sizeof *t);
    if (k < 2 || k > MSE_MAX_LISTS) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%d lists: between 2 and %d are supported", k,
                            MSE_MAX_LISTS);
    }
    t->count = ctis_calloc((size_t)1 << k, sizeof *t->count);
    if (t->count == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    t->k = k;
    for (i = 0; i < k; i++) {
        snprintf(t->names[i], sizeof t->names[i], "L%d", i + 1);
    }
    return 0;
}

/* Counts are the only allocation. */
void mse_table_release(struct mse_table *t)
{
    if (t == NULL) {
        return;
    }
    ctis_free(t->count);
    t->count = NULL;
}

/* Names are copied with the struct; the counts are duplicated. */
int mse_table_copy(struct mse_table *dst, const struct mse_table *src,
                   struct ctis_err *err)
{
    size_t n = (size_t)1 << src->k;

    *dst = *src;
    dst->count = ctis_malloc(n * sizeof *dst->count);
    if (dst->count == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    memcpy(dst->count, src->count, n * sizeof *dst->count);
    return 0;
}

/* Sum over the observable patterns. */
double mse_table_observed(const struct mse_table *t)
{
    size_t n = (size_t)1 << t->k;
    size_t c;
    double s = 0;

    for (c = 1; c < n; c++) {
        s += t->count[c];
    }
    return s;
}

/* k(k-1)/2. */
int mse_npairs(int k)
{
    return k * (k - 1) / 2;
}

/* Pairs in the order (0,1) (0,2) ... (0,k-1) (1,2) ...: the pairs before
 * row i number i*k - i(i+1)/2. */
int mse_pair_index(int k, int i, int j)
{
    if (i > j) {
        int s = i;

        i = j;
        j = s;
    }
    return i * k - i * (i + 1) / 2 + (j - i - 1);
}

/* The inverse of mse_pair_index by walking the rows. */
void mse_pair_lists(int k, int idx, int *i, int *j)
{
    int a = 0;

    while (idx >= k - 1 - a) {
        idx -= k - 1 - a;
        a++;
    }
    *i = a;
    *j = a + 1 + idx;
}

/* Sum over the patterns that hold both lists of the pair. */
double mse_pair_overlap(const struct mse_table *t, int q)
{
    size_t n = (size_t)1 << t->k;
    size_t both;
    size_t c;
    int i;
    int j;
    double s = 0;

    mse_pair_lists(t->k, q, &i, &j);
    both = ((size_t)1 << i) | ((size_t)1 << j);
    for (c = 1; c < n; c++) {
        if ((c & both) == both) {
            s += t->count[c];
        }
    }
    return s;
}

/* Sum over the patterns that hold the list. */
double mse_list_size(const struct mse_table *t, int i)
{
    size_t n = (size_t)1 << t->k;
    size_t c;
    double s = 0;

    for (c = 1; c < n; c++) {
        if (c >> i & 1) {
            s += t->count[c];
        }
    }
    return s;
}

/* A pair has no overlap when every pattern holding both lists is 0. */
uint64_t mse_zero_overlaps(const struct mse_table *t)
{
    uint64_t zero = 0;
    int q;
    int np = mse_npairs(t->k);

    for (q = 0; q < np; q++) {
        if (mse_pair_overlap(t, q) == 0) {
            zero |= (uint64_t)1 << q;
        }
    }
    return zero;
}

/* "A:B,A:C" in pair order. */
size_t mse_model_format(const struct mse_table *t, uint64_t pairs, char *out,
                        size_t n)
{
    int np = mse_npairs(t->k);
    int q;
    size_t len = 0;

    if (n > 0) {
        out[0] = '\0';
    }
    for (q = 0; q < np; q++) {
        int i;
        int j;
        int w;

        if (!(pairs & ((uint64_t)1 << q))) {
            continue;
        }
        mse_pair_lists(t->k, q, &i, &j);
        w = snprintf(len < n ? out + len : NULL, len < n ? n - len : 0,
                     "%s%s:%s", len > 0 ? "," : "", t->names[i], t->names[j]);
        if (w > 0) {
            len += (size_t)w;
        }
    }
    if (n > 0 && len >= n) {
        out[n - 1] = '\0';
    }
    return len;
}

static int find_list(const struct mse_table *t, const char *s, size_t len)
{
    int i;

    for (i = 0; i < t->k; i++) {
        if (strlen(t->names[i]) == len && memcmp(t->names[i], s, len) == 0) {
            return i;
        }
    }
    return -1;
}

/* Terms separated by commas, each NAME:NAME. */
int mse_model_parse(const struct mse_table *t, const char *s, uint64_t *pairs,
                    struct ctis_err *err)
{
    uint64_t m = 0;
    const char *p = s;

    if (strcmp(s, "main") == 0 || s[0] == '\0') {
        *pairs = 0;
        return 0;
    }
    while (*p != '\0') {
        const char *end = strchr(p, ',');
        const char *colon;
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        int i;
        int j;

        colon = memchr(p, ':', len);
        if (colon == NULL) {
            return ctis_err_set(err, CTIS_EINVAL,
                                "model term '%.*s' is not LIST:LIST", (int)len,
                                p);
        }
        i = find_list(t, p, (size_t)(colon - p));
        j = find_list(t, colon + 1, len - (size_t)(colon - p) - 1);
        if (i < 0 || j < 0 || i == j) {
            return ctis_err_set(err, CTIS_EINVAL,
                                "model term '%.*s' does not name two lists "
                                "of the table",
                                (int)len, p);
        }
        if (m & ((uint64_t)1 << mse_pair_index(t->k, i, j))) {
            return ctis_err_set(err, CTIS_EINVAL,
                                "model term '%.*s' is given twice", (int)len,
                                p);
        }
        m |= (uint64_t)1 << mse_pair_index(t->k, i, j);
        p += len;
        if (*p == ',') {
            p++;
        }
    }
    *pairs = m;
    return 0;
}

/* Phi(x) through erfc, accurate in both tails. */
double mse_pnorm(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

/* Acklam's rational approximation, then one Newton step on erfc for
 * full double precision. */
double mse_qnorm(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                               2.445134137142996e+00, 3.754408661907416e+00};
    double q;
    double r;
    double x;
    double e;

    if (!(p > 0 && p < 1)) {
        return p <= 0 ? -INFINITY : INFINITY;
    }
    if (p < 0.02425) {
        q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q +
             c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p > 1 - 0.02425) {
        q = sqrt(-2 * log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q +
              c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else {
        q = p - 0.5;
        r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r +
             a[5]) *
            q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
    e = mse_pnorm(x) - p;
    r = e * sqrt(2 * M_PI) * exp(x * x / 2);
    return x - r / (1 + x * r / 2);
}
