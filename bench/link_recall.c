/*
 * link_recall.c - blocking recall of ctis link against exhaustive
 * comparison: generated lists (link/gen.c) of about N records, or the
 * linkage CSV files given (bench/link_cam's lists), are linked with the
 * default options; then every pair is compared under the fitted model,
 * and the pairs it accepts that blocking never produced are the pairs
 * lost to blocking.
 *
 *   link_recall [--records 20000] [--seed 3]
 *   link_recall FILE...
 */
#include <stdio.h>
#include <string.h>

#include "bench/link_csv.h"

struct sink {
    struct link_set *s;
    struct ctis_err *err;
};

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
    struct ctis_err err;
    struct sink k;
    uint64_t accepted = 0;
    uint64_t lost = 0;
    long records = 20000;
    double t0;
    int i;

    memset(&g, 0, sizeof g);
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
        if (i + 1 >= argc) {
            fprintf(stderr, "usage: link_recall [--records N] [--seed S] "
                            "| FILE...\n");
            return 2;
        }
        if (strcmp(argv[i], "--records") == 0 &&
            ctis_parse_long(argv[i + 1], 100, 200000, &v) == 0) {
            records = v;
        } else if (strcmp(argv[i], "--seed") == 0 &&
                   ctis_parse_long(argv[i + 1], 0, 1L << 30, &v) == 0) {
            g.seed = (uint64_t)v;
        } else {
            fprintf(stderr, "usage: link_recall [--records N] [--seed S] "
                            "| FILE...\n");
            return 2;
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
            if (bench_link_csv(s, argv[i], NULL, 0, 0, NULL, NULL, &err) != 0) {
                fprintf(stderr, "link_recall: %s\n", err.msg);
                return 1;
            }
        }
    } else if (link_generate(&g, add, &k, &err) != 0) {
        fprintf(stderr, "link_recall: %s\n", err.msg);
        return 1;
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
    printf("blocking recall on %zu records: %llu candidate pairs; "
           "exhaustive comparison (%.0f s) accepts %llu pairs, %llu of them "
           "not produced by blocking: %.3f%% lost\n",
           link_set_size(s), (unsigned long long)res.n_candidates,
           ctis_now() - t0, (unsigned long long)accepted,
           (unsigned long long)lost,
           accepted > 0 ? 100.0 * (double)lost / (double)accepted : 0.0);
    link_result_release(&res);
    link_set_free(s);
    return 0;
}
