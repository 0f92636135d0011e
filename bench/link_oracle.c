/*
 * link_oracle.c - the ceiling of ctis link's comparison features: the
 * lists (bench/link_cam's, with their person_id truth) are linked with
 * the default options; then a logistic regression is fitted *with the
 * truth* on ctis's own candidate pairs (level indicators of each field,
 * the names' term-frequency-adjusted weights, log name frequencies, the
 * class of pair) and its pairs are decided and clustered by ctis's own
 * rules (link_cluster_scored). Its best F1 over thresholds is what these
 * features allow; ctis's F1 is printed next to it. A supervised fit on
 * the list it is measured on: an upper bound, not a method.
 *
 *   link_oracle [--truth person_id] [--dump PAIRS.tsv] FILE...
 *
 * --dump writes each candidate pair (record indexes in the order read,
 * the truth, the oracle's and ctis's log2 odds, the levels): for looking
 * at what the oracle too gets wrong.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/link_csv.h"

#define NF_MAX 44

static const int clear_levels[LINK_C_COUNT] = {6, 6, 6, 2, 2, 3, 2, 3};

struct data {
    size_t n, cap;
    int nf;
    float *x;      /* n rows of nf features */
    uint8_t *y;    /* 1: the same person */
    uint32_t *a, *b;
    float *ctis;   /* ctis's weight + prior */
    float *prior;
    const uint32_t *truth;
    const uint32_t *names; /* NULL unless --perfect-names */
};

/* What is kept of each record besides its fields: the truth, and the
 * generator's name ids (t_given << 16 | t_family) for --perfect-names. */
struct records {
    uint32_t *truth;
    uint32_t *names;
    size_t cap;
};

static const char *const extra_cols[] = {NULL, "t_given", "t_family"};

static int keep_row(void *ctx, size_t n, const char *const *x,
                    struct ctis_err *err)
{
    struct records *rs = ctx;

    if (n >= rs->cap) {
        size_t c = rs->cap ? rs->cap * 2 : 4096;
        uint32_t *q = ctis_realloc(rs->truth, c * sizeof *q);

        if (q == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        rs->truth = q;
        q = ctis_realloc(rs->names, c * sizeof *q);
        if (q == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        rs->names = q;
        rs->cap = c;
    }
    rs->truth[n] = (uint32_t)strtoul(x[0] != NULL ? x[0] : "0", NULL, 10);
    rs->names[n] = (x[1] != NULL ? (uint32_t)strtoul(x[1], NULL, 10) : 0)
                       << 16 |
                   (x[2] != NULL ? (uint32_t)strtoul(x[2], NULL, 10) : 0);
    return 0;
}

static double lg(double f)
{
    return log(f > 1e-7 ? f : 1e-7);
}

/* The features of one candidate; names (the generator's name ids) when
 * the features are to know the truth of the names. */
static int features(const struct link_candidate_view *v,
                    const uint32_t *names, float *x)
{
    int k = 0;
    int f;
    int l;
    int nb = !v->birth_a + !v->birth_b;

    x[k++] = 1;
    for (f = 0; f < LINK_C_COUNT; f++) {
        /* one indicator per level but the last (disagreement), and one
         * for a missing field */
        for (l = 0; l < clear_levels[f] - 1; l++) {
            x[k++] = v->level[f] == l;
        }
        x[k++] = v->level[f] == LINK_LEVEL_NULL;
    }
    x[k++] = (float)v->field_weight[LINK_C_GIVEN];
    x[k++] = (float)v->field_weight[LINK_C_FAMILY];
    /* log frequencies: of the rarer side's names, of the combination */
    x[k++] = (float)lg(fmin(v->freq_a[0], v->freq_b[0]));
    x[k++] = (float)lg(fmin(v->freq_a[1], v->freq_b[1]));
    x[k++] = (float)lg(sqrt(v->freq_a[4] * v->freq_b[4]));
    x[k++] = (float)v->same_list;
    x[k++] = nb == 1;
    x[k++] = nb == 2;
    /* a missing birth among namesakes: how common the combination is */
    x[k++] = (float)(nb > 0) * (float)lg(sqrt(v->freq_a[4] * v->freq_b[4]));
    x[k++] = (float)v->same_list * (float)(v->level[LINK_C_BIRTH] == 0);
    if (names != NULL) {
        /* the generator's name ids (the truth of the names, not of the
         * person): what a perfect comparison of names would know */
        uint32_t na = names[v->a];
        uint32_t nb2 = names[v->b];
        int both = na == nb2;
        int sw = (na >> 16) == (nb2 & 0xffff) && (nb2 >> 16) == (na & 0xffff);

        x[k++] = both || sw;
        x[k++] = !both && !sw && ((na >> 16) == (nb2 >> 16) ||
                                  (na & 0xffff) == (nb2 & 0xffff));
    }
    return k;
}

static int collect(void *ctx, const struct link_candidate_view *v)
{
    struct data *d = ctx;

    if (d->n == d->cap) {
        size_t c = d->cap ? d->cap * 2 : 65536;
        float *x = ctis_realloc(d->x, c * NF_MAX * sizeof *x);
        uint8_t *y = ctis_realloc(d->y, c);
        uint32_t *a = ctis_realloc(d->a, c * sizeof *a);
        uint32_t *b = ctis_realloc(d->b, c * sizeof *b);
        float *w = ctis_realloc(d->ctis, c * sizeof *w);
        float *p = ctis_realloc(d->prior, c * sizeof *p);

        if (x != NULL) {
            d->x = x;
        }
        if (y != NULL) {
            d->y = y;
        }
        if (a != NULL) {
            d->a = a;
        }
        if (b != NULL) {
            d->b = b;
        }
        if (w != NULL) {
            d->ctis = w;
        }
        if (p != NULL) {
            d->prior = p;
        }
        if (x == NULL || y == NULL || a == NULL || b == NULL || w == NULL ||
            p == NULL) {
            return CTIS_ENOMEM;
        }
        d->cap = c;
    }
    d->nf = features(v, d->names, d->x + d->n * NF_MAX);
    d->y[d->n] = d->truth[v->a] == d->truth[v->b];
    d->a[d->n] = v->a;
    d->b[d->n] = v->b;
    d->ctis[d->n] = (float)(v->weight + v->prior);
    d->prior[d->n] = (float)v->prior;
    d->n++;
    return 0;
}

/* Solve A x = r (p by p, A symmetric positive definite) in place by
 * Cholesky. */
static int solve(double *A, double *r, int p)
{
    int i, j, k;

    for (j = 0; j < p; j++) {
        double s = A[j * p + j];

        for (k = 0; k < j; k++) {
            s -= A[j * p + k] * A[j * p + k];
        }
        if (s <= 0) {
            return -1;
        }
        A[j * p + j] = sqrt(s);
        for (i = j + 1; i < p; i++) {
            double t = A[i * p + j];

            for (k = 0; k < j; k++) {
                t -= A[i * p + k] * A[j * p + k];
            }
            A[i * p + j] = t / A[j * p + j];
        }
    }
    for (i = 0; i < p; i++) {
        for (k = 0; k < i; k++) {
            r[i] -= A[i * p + k] * r[k];
        }
        r[i] /= A[i * p + i];
    }
    for (i = p - 1; i >= 0; i--) {
        for (k = i + 1; k < p; k++) {
            r[i] -= A[k * p + i] * r[k];
        }
        r[i] /= A[i * p + i];
    }
    return 0;
}

/* Logistic regression by Newton's method (a small ridge). */
static void fit(const struct data *d, double *beta)
{
    int p = d->nf;
    double *H = ctis_malloc((size_t)p * (size_t)p * sizeof *H);
    double g[NF_MAX];
    int it;

    memset(beta, 0, (size_t)p * sizeof *beta);
    for (it = 0; it < 25 && H != NULL; it++) {
        double ll = 0;
        double step = 0;
        size_t i;
        int j, k;

        memset(H, 0, (size_t)p * (size_t)p * sizeof *H);
        memset(g, 0, sizeof g);
        for (i = 0; i < d->n; i++) {
            const float *x = d->x + i * NF_MAX;
            double z = 0;
            double q;
            double wq;

            for (j = 0; j < p; j++) {
                z += beta[j] * x[j];
            }
            q = 1 / (1 + exp(-z));
            ll += d->y[i] ? log(fmax(q, 1e-300)) : log(fmax(1 - q, 1e-300));
            wq = q * (1 - q);
            for (j = 0; j < p; j++) {
                if (x[j] == 0) {
                    continue;
                }
                g[j] += (d->y[i] - q) * x[j];
                for (k = 0; k <= j; k++) {
                    H[j * p + k] += wq * x[j] * x[k];
                }
            }
        }
        for (j = 0; j < p; j++) {
            for (k = 0; k < j; k++) {
                H[k * p + j] = H[j * p + k];
            }
            H[j * p + j] += 1e-3;
            g[j] -= 1e-3 * beta[j];
        }
        if (solve(H, g, p) != 0) {
            break;
        }
        for (j = 0; j < p; j++) {
            beta[j] += g[j];
            step = fmax(step, fabs(g[j]));
        }
        fprintf(stderr, "oracle: Newton step %d, log-likelihood %.1f\n", it,
                ll);
        if (step < 1e-6) {
            break;
        }
    }
    ctis_free(H);
}

static uint32_t find(uint32_t *u, uint32_t x)
{
    while (u[x] != x) {
        u[x] = u[u[x]];
        x = u[x];
    }
    return x;
}

/* F1 of the pairs whose score (log2 odds) reaches t, alone (pairs) and
 * in their transitive closure (closed). */
static void at_threshold(const struct data *d, const float *score, double t,
                         size_t n_rec, uint64_t true_pairs, double *pairs,
                         double *closed)
{
    uint32_t *u = ctis_malloc(n_rec * sizeof *u);
    uint64_t found = 0;
    uint64_t ok = 0;
    size_t i;
    struct link_eval e;
    struct ctis_err err;

    for (i = 0; i < d->n; i++) {
        if (score[i] >= t) {
            found++;
            ok += d->y[i];
        }
    }
    *pairs = found > 0 ? 2.0 * (double)ok / (double)(found + true_pairs) : 0;
    *closed = 0;
    if (u == NULL) {
        return;
    }
    for (i = 0; i < n_rec; i++) {
        u[i] = (uint32_t)i;
    }
    for (i = 0; i < d->n; i++) {
        if (score[i] >= t) {
            uint32_t ra = find(u, d->a[i]);
            uint32_t rb = find(u, d->b[i]);

            if (ra != rb) {
                u[ra] = rb;
            }
        }
    }
    for (i = 0; i < n_rec; i++) {
        u[i] = find(u, (uint32_t)i);
    }
    if (link_evaluate(u, d->truth, n_rec, &e, &err) == 0) {
        *closed = e.f1;
    }
    ctis_free(u);
}

int main(int argc, char **argv)
{
    struct link_options o;
    struct link_result res;
    struct link_set *s = NULL;
    struct ctis_err err;
    struct link_eval e;
    struct data d;
    struct records rs = {NULL, NULL, 0};
    const char *cols[3];
    int perfect_names = 0;
    const char *tcol = "person_id";
    const char *dump = NULL;
    double beta[NF_MAX];
    float *score;
    struct link_pair *pv;
    uint64_t true_pairs;
    uint64_t cand_true = 0;
    double best = 0;
    double best_delta = 0;
    double ctis_f1;
    size_t i;
    int first = 1;
    int j;

    while (first + 1 < argc && argv[first][0] == '-') {
        if (strcmp(argv[first], "--truth") == 0) {
            tcol = argv[first + 1];
        } else if (strcmp(argv[first], "--perfect-names") == 0) {
            perfect_names = 1;
            first--;
        } else if (strcmp(argv[first], "--dump") == 0) {
            dump = argv[first + 1];
        } else {
            break;
        }
        first += 2;
    }
    if (first >= argc || argv[first][0] == '-') {
        fprintf(stderr, "usage: link_oracle [--truth COL] FILE...\n");
        return 2;
    }
    memcpy(cols, extra_cols, sizeof cols);
    cols[0] = tcol;
    link_options_init(&o);
    o.progress = -1;
    link_result_init(&res);
    memset(&d, 0, sizeof d);
    if (link_set_new(&s, &err) != 0) {
        return 1;
    }
    for (j = first; j < argc; j++) {
        if (bench_link_csv(s, argv[j], cols, 3, 1, keep_row, &rs, &err) !=
            0) {
            fprintf(stderr, "link_oracle: %s\n", err.msg);
            return 1;
        }
    }
    if (link_run(s, &o, &res, &err) != 0 ||
        link_evaluate(res.cluster, rs.truth, link_set_size(s), &e, &err) != 0) {
        fprintf(stderr, "link_oracle: %s\n", err.msg);
        return 1;
    }
    ctis_f1 = e.f1;
    true_pairs = e.true_pairs;
    printf("ctis: precision %.4f recall %.4f F1 %.4f (%llu true pairs)\n",
           e.precision, e.recall, e.f1, (unsigned long long)true_pairs);
    d.truth = rs.truth;
    d.names = perfect_names ? rs.names : NULL;
    if (link_each_candidate(s, &o, collect, &d, &err) != 0) {
        fprintf(stderr, "link_oracle: %s\n", err.msg);
        return 1;
    }
    for (i = 0; i < d.n; i++) {
        cand_true += d.y[i];
    }
    printf("candidates %zu, %llu of them true pairs (%.4f of all true "
           "pairs: the ceiling of blocking)\n",
           d.n, (unsigned long long)cand_true,
           (double)cand_true / (double)true_pairs);
    {
        /* calibration of ctis's own log2 odds: the truth against them and
         * indicators of a missing field, of a pair of one list; a
         * coefficient over that of the odds is what the class lacks (in
         * bits) */
        struct data c = d;
        static const char *const what[] = {
            "intercept",    "ctis log2 odds", "given missing",
            "family missing", "birth missing", "sex missing",
            "province missing", "place missing", "phone missing",
            "one list"};
        double cb[NF_MAX];
        size_t k;

        c.x = ctis_malloc(d.n * NF_MAX * sizeof *c.x);
        c.y = ctis_malloc(d.n);
        if (c.x == NULL || c.y == NULL) {
            return 1;
        }
        c.n = 0;
        for (k = 0; k < d.n; k++) {
            const float *x = d.x + k * NF_MAX;
            float *z = c.x + c.n * NF_MAX;

            /* near the decision only: far from it any calibration fits */
            if (fabs(d.ctis[k]) > 10) {
                continue;
            }
            c.y[c.n] = d.y[k];

            z[0] = 1;
            z[1] = d.ctis[k];
            z[2] = x[6];
            z[3] = x[12];
            z[4] = x[18];
            z[5] = x[20];
            z[6] = x[22];
            z[7] = x[25];
            z[8] = x[27];
            z[9] = x[36];
            c.n++;
        }
        c.nf = 10;
        fit(&c, cb);
        for (j = 0; j < c.nf; j++) {
            printf("calibration: %-16s %8.3f%s", what[j],
                   j < 2 ? cb[j] : cb[j] / cb[1], j < 2 ? "\n" : " bits\n");
        }
        printf("calibration on the %zu pairs within 10 bits of even odds\n",
               c.n);
        ctis_free(c.x);
        ctis_free(c.y);
    }
    fit(&d, beta);
    score = ctis_malloc(d.n * sizeof *score);
    pv = ctis_malloc(d.n * sizeof *pv);
    if (score == NULL || pv == NULL) {
        return 1;
    }
    for (i = 0; i < d.n; i++) {
        const float *x = d.x + i * NF_MAX;
        double z = 0;

        for (j = 0; j < d.nf; j++) {
            z += beta[j] * x[j];
        }
        score[i] = (float)(z / log(2.0));
    }
    if (dump != NULL) {
        FILE *fp = fopen(dump, "w");

        for (i = 0; fp != NULL && i < d.n; i++) {
            const float *x = d.x + i * NF_MAX;
            int f;

            fprintf(fp, "%u\t%u\t%d\t%.2f\t%.2f", d.a[i], d.b[i], d.y[i],
                    score[i], d.ctis[i]);
            for (f = 0; f < d.nf; f++) {
                fprintf(fp, "\t%g", x[f]);
            }
            fputc('\n', fp);
        }
        if (fp != NULL) {
            fclose(fp);
        }
    }
    printf("%-26s %9s %9s\n", "threshold (log2 odds)", "pairs", "closed");
    for (j = -4; j <= 6; j++) {
        double fp, fc, gp, gc;

        at_threshold(&d, score, j, link_set_size(s), true_pairs, &fp, &fc);
        at_threshold(&d, d.ctis, j, link_set_size(s), true_pairs, &gp, &gc);
        printf("%+4d  oracle %9.4f %9.4f   ctis weights %9.4f %9.4f\n", j, fp,
               fc, gp, gc);
    }
    /* the oracle's pairs through ctis's decision and clustering: the
     * weight on top of the class prior, shifted by delta bits */
    for (j = -6; j <= 6; j++) {
        size_t k;

        for (k = 0; k < d.n; k++) {
            pv[k].a = d.a[k];
            pv[k].b = d.b[k];
            pv[k].weight = score[k] - d.prior[k] + (float)j;
            pv[k].prob = 0;
        }
        if (link_cluster_scored(s, &o, pv, d.n, &res, &err) != 0 ||
            link_evaluate(res.cluster, rs.truth, link_set_size(s), &e, &err) !=
                0) {
            fprintf(stderr, "link_oracle: %s\n", err.msg);
            return 1;
        }
        printf("oracle through ctis's clustering, %+d bits: precision %.4f "
               "recall %.4f F1 %.4f\n",
               j, e.precision, e.recall, e.f1);
        if (e.f1 > best) {
            best = e.f1;
            best_delta = j;
        }
    }
    printf("ceiling of these features (oracle, ctis's clustering, best "
           "shift %+.0f bits): F1 %.4f; ctis %.4f\n",
           best_delta, best, ctis_f1);
    for (j = 0; j < d.nf; j++) {
        fprintf(stderr, "beta[%d] %.3f\n", j, beta[j]);
    }
    ctis_free(score);
    ctis_free(pv);
    ctis_free(d.x);
    ctis_free(d.y);
    ctis_free(d.a);
    ctis_free(d.b);
    ctis_free(d.ctis);
    ctis_free(d.prior);
    ctis_free(rs.truth);
    ctis_free(rs.names);
    link_result_release(&res);
    link_set_free(s);
    return 0;
}
