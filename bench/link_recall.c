/*
 * link_recall.c - blocking recall of ctis link against exhaustive
 * comparison: generated lists (link/gen.c) of about N records, or the
 * linkage CSV files given (bench/link_cam's lists), are linked with the
 * default options; then every pair is compared under the fitted model,
 * and the pairs it accepts that blocking never produced are the pairs
 * lost to blocking. With --encoded the records are first encoded (keyed
 * Bloom filters and tokens, as `ctis link encode` writes them, with a
 * fixed bench secret) and the encodings are linked and compared instead.
 * Files with a person_id column (the truth) also give the true pairs that
 * blocking never produced, whether or not the model would accept them.
 *
 *   link_recall [--encoded] [--records 20000] [--seed 3]
 *   link_recall [--encoded] FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/link_csv.h"

struct sink {
    struct link_set *s;
    struct ctis_err *err;
};

/* Usage on stderr; exit status 2. */
static int usage(void)
{
    fprintf(stderr, "usage: link_recall [--encoded] [--records N] "
                    "[--seed S] | [--encoded] FILE...\n");
    return 2;
}

/* The encodings of every record of clear set c into the empty set *out:
 * what `ctis link encode` writes, read back as `ctis link` reads it. */
static int encode_set(const struct link_set *c, struct link_set **out,
                      struct ctis_err *err)
{
    static const char secret[] = "ctis-bench-shared-secret-0001";
    struct link_clk_key key;
    size_t i;
    int rc;

    rc = link_clk_key_derive(&key, secret, sizeof secret - 1, err);
    if (rc == 0) {
        rc = link_set_new(out, err);
    }
    for (i = 0; rc == 0 && i < link_set_size(c); i++) {
        char clk[256];
        char tok[LINK_BLOCK_KEYS][LINK_TOKEN_TEXT];
        const char *t[LINK_BLOCK_KEYS];
        size_t k;

        link_clk_encode(c, i, &key, clk, sizeof clk, tok, LINK_BLOCK_KEYS);
        for (k = 0; k < LINK_BLOCK_KEYS; k++) {
            t[k] = tok[k];
        }
        rc = link_set_add_clk(*out,
                              link_set_list_name(c, link_set_record_list(c, i)),
                              link_set_record_id(c, i), clk, t,
                              LINK_BLOCK_KEYS, "encoded", err);
    }
    return rc;
}

/* The truth: person_id of each record, hashed (0 unknown). */
struct truth {
    uint32_t *person;
    size_t n, cap;
    uint64_t found; /* candidate pairs of one person */
};

static int truth_row(void *vctx, size_t rec, const char *const *extra,
                     struct ctis_err *err)
{
    struct truth *t = vctx;
    uint32_t h = 2166136261u;
    const char *p;

    if (rec >= t->cap) {
        size_t cap = t->cap == 0 ? 4096 : t->cap * 2;
        uint32_t *v = ctis_realloc(t->person, cap * sizeof *v);

        if (v == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        t->person = v;
        t->cap = cap;
    }
    for (p = extra[0] != NULL ? extra[0] : ""; *p != '\0'; p++) {
        h = (h ^ (unsigned char)*p) * 16777619u;
    }
    t->person[rec] = extra[0] != NULL && extra[0][0] != '\0' ? h | 1 : 0;
    t->n = rec + 1;
    return 0;
}

/* Counts the candidate pairs of one person. */
static int true_candidate(void *vctx, const struct link_candidate_view *v)
{
    struct truth *t = vctx;

    if (t->person[v->a] != 0 && t->person[v->a] == t->person[v->b]) {
        t->found++;
    }
    return 0;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x;
    uint32_t b = *(const uint32_t *)y;

    return a < b ? -1 : a > b;
}

/* The pairs of records of one person. */
static uint64_t true_pairs(const struct truth *t)
{
    uint32_t *v = ctis_malloc((t->n > 0 ? t->n : 1) * sizeof *v);
    uint64_t pairs = 0;
    size_t i = 0;

    if (v == NULL) {
        return 0;
    }
    memcpy(v, t->person, t->n * sizeof *v);
    qsort(v, t->n, sizeof *v, cmp_u32);
    while (i < t->n) {
        size_t j = i;

        while (j < t->n && v[j] == v[i]) {
            j++;
        }
        if (v[i] != 0) {
            pairs += (uint64_t)(j - i) * (j - i - 1) / 2;
        }
        i = j;
    }
    ctis_free(v);
    return pairs;
}

static int add(void *vctx, int list, const char *const *f, uint32_t person)
{
    struct sink *k = vctx;

    (void)list;
    (void)person;
    return link_set_add(k->s, f, "generated", k->err);
}

int main(int argc, char **argv)
{
    struct link_gen_options g;
    struct link_options o;
    struct link_result res;
    struct link_set *s = NULL;
    struct link_set *clear = NULL;
    struct ctis_err err;
    struct sink k;
    struct truth truth;
    static const char *const truth_col[] = {"person_id"};
    uint64_t accepted = 0;
    uint64_t lost = 0;
    long records = 20000;
    int encoded = 0;
    int rc;
    double t0;
    int i;

    memset(&g, 0, sizeof g);
    memset(&truth, 0, sizeof truth);
    g.lists = 3;
    g.dup_rate = 0.03;
    g.seed = 3;
    int files = 0;

    for (i = 1; i < argc; i += 2) {
        long v;

        if (argv[i][0] != '-') {
            files = i;
            break;
        }
        if (strcmp(argv[i], "--encoded") == 0) {
            encoded = 1;
            i--;
            continue;
        }
        if (i + 1 >= argc) {
            return usage();
        }
        if (strcmp(argv[i], "--records") == 0 &&
            ctis_parse_long(argv[i + 1], 100, 200000, &v) == 0) {
            records = v;
        } else if (strcmp(argv[i], "--seed") == 0 &&
                   ctis_parse_long(argv[i + 1], 0, 1L << 30, &v) == 0) {
            g.seed = (uint64_t)v;
        } else {
            return usage();
        }
    }
    g.persons = (long)((double)records / 1.55);
    link_options_init(&o);
    o.progress = -1;
    link_result_init(&res);
    if (link_set_new(&s, &err) != 0) {
        return 1;
    }
    k.s = s;
    k.err = &err;
    if (files > 0) {
        for (i = files; i < argc; i++) {
            if (bench_link_csv(s, argv[i], truth_col, 1, 0, truth_row,
                               &truth, &err) != 0) {
                fprintf(stderr, "link_recall: %s\n", err.msg);
                return 1;
            }
        }
    } else if (link_generate(&g, add, &k, &err) != 0) {
        fprintf(stderr, "link_recall: %s\n", err.msg);
        return 1;
    }
    if (encoded) {
        clear = s;
        s = NULL;
        rc = encode_set(clear, &s, &err);
        link_set_free(clear);
        if (rc != 0) {
            fprintf(stderr, "link_recall: %s\n", err.msg);
            link_set_free(s);
            return 1;
        }
    }
    if (link_run(s, &o, &res, &err) != 0) {
        fprintf(stderr, "link_recall: %s\n", err.msg);
        return 1;
    }
    t0 = ctis_now();
    if (link_blocking_recall(s, &o, res.accept_weight, &accepted, &lost,
                             &err) != 0) {
        fprintf(stderr, "link_recall: %s\n", err.msg);
        return 1;
    }
    printf("blocking recall on %zu %srecords: %llu candidate pairs; "
           "exhaustive comparison (%.0f s) accepts %llu pairs, %llu of them "
           "not produced by blocking: %.3f%% lost\n",
           link_set_size(s), encoded ? "encoded " : "",
           (unsigned long long)res.n_candidates,
           ctis_now() - t0, (unsigned long long)accepted,
           (unsigned long long)lost,
           accepted > 0 ? 100.0 * (double)lost / (double)accepted : 0.0);
    if (truth.n == link_set_size(s) && truth.n > 0) {
        uint64_t all = true_pairs(&truth);

        if (link_each_candidate(s, &o, true_candidate, &truth, &err) != 0) {
            fprintf(stderr, "link_recall: %s\n", err.msg);
            return 1;
        }
        printf("true pairs (column person_id): %llu, %llu of them not "
               "produced by blocking: %.3f%% lost\n",
               (unsigned long long)all,
               (unsigned long long)(all - truth.found),
               all > 0 ? 100.0 * (double)(all - truth.found) / (double)all
                       : 0.0);
    }
    ctis_free(truth.person);
    link_result_release(&res);
    link_set_free(s);
    return 0;
}
