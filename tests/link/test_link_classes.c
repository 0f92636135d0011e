/*
 * test_link_classes.c - the classes of pairs that an outside review found
 * missed or wrongly joined (issue 10), each on real link runs: generated
 * lists (link/gen.c) as the background population, and the records of the
 * class added to them. Public API only (link/link.h).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "link/link.h"
#include "tests/support/support.h"

struct gen_ctx {
    struct link_set *s;
};

static int gen_add(void *vctx, int list, const char *const *f,
                   uint32_t person)
{
    struct gen_ctx *g = vctx;
    struct ctis_err err;

    (void)list;
    (void)person;
    return link_set_add(g->s, f, "gen", &err);
}

struct gen_truth {
    struct link_set *s;
    uint32_t *truth;
    size_t cap;
};

/* Add a generated record and keep its person. */
static int gen_truth_add(void *vctx, int list, const char *const *f,
                         uint32_t person)
{
    struct gen_truth *g = vctx;
    struct ctis_err err;
    size_t n = link_set_size(g->s);

    (void)list;
    if (n >= g->cap) {
        return CTIS_EINVAL;
    }
    g->truth[n] = person;
    return link_set_add(g->s, f, "gen", &err);
}

/* A set of generated lists of `persons` persons. */
static struct link_set *background(long persons, uint64_t seed)
{
    struct link_gen_options o;
    struct gen_ctx g;
    struct ctis_err err;
    struct link_set *s;

    memset(&o, 0, sizeof o);
    o.persons = persons;
    o.lists = 3;
    o.dup_rate = 0.03;
    o.seed = seed;
    assert_int_equal(link_set_new(&s, &err), 0);
    g.s = s;
    assert_int_equal(link_generate(&o, gen_add, &g, &err), 0);
    return s;
}

/* Generated lists of `persons` persons in 3 lists with 3% duplicates;
 * truth[record] gets each record's person (cap records at most). */
static struct link_set *with_truth(long persons, uint64_t seed,
                                   uint32_t *truth, size_t cap)
{
    struct link_gen_options go;
    struct gen_truth gt;
    struct ctis_err err;
    struct link_set *s;

    memset(&go, 0, sizeof go);
    go.persons = persons;
    go.lists = 3;
    go.dup_rate = 0.03;
    go.seed = seed;
    assert_int_equal(link_set_new(&s, &err), 0);
    gt.s = s;
    gt.truth = truth;
    gt.cap = cap;
    assert_int_equal(link_generate(&go, gen_truth_add, &gt, &err), 0);
    return s;
}

/* Add a record: list, id, then field, value pairs ending with -1. */
static size_t add(struct link_set *s, const char *list, const char *id, ...)
{
    const char *f[LINK_F_COUNT];
    struct ctis_err err;
    va_list ap;
    int field;

    memset(f, 0, sizeof f);
    f[LINK_F_LIST] = list;
    f[LINK_F_RECORD_ID] = id;
    va_start(ap, id);
    while ((field = va_arg(ap, int)) >= 0) {
        f[field] = va_arg(ap, const char *);
    }
    va_end(ap);
    if (link_set_add(s, f, "t.csv:2", &err) != 0) {
        fail_msg("%s", err.msg);
    }
    return link_set_size(s) - 1;
}

static void run(struct link_set *s, struct link_options *o,
                struct link_result *res)
{
    struct ctis_err err;

    o->progress = -1;
    link_result_init(res);
    if (link_run(s, o, res, &err) != 0) {
        fail_msg("%s", err.msg);
    }
}

/* Near-certain pairs are not vetoed: Vichet Meas and Vichit Meah, born
 * the same day in the same village, are joined even when the set of one
 * of them already holds a record that disagrees with the other (here the
 * veto is made strict, min_weight 0, so that any disagreeing pair across
 * would have kept them apart before). */
static void test_near_certain_not_vetoed(void **state)
{
    struct link_set *s = background(600, 31);
    struct link_options o;
    struct link_result res;
    size_t a;
    size_t b;
    size_t d;

    (void)state;
    a = add(s, "police", "A1", LINK_F_GIVEN_NAME, "Vichet",
            LINK_F_FAMILY_NAME, "Meas", LINK_F_SEX, "m", LINK_F_BIRTH_DATE,
            "1990-04-07", LINK_F_HOME_PROVINCE, "KH-12", LINK_F_PLACE,
            "Prey Veng", LINK_F_PHONE, "012 345 678", -1);
    d = add(s, "ministry", "D1", LINK_F_GIVEN_NAME, "Vichet",
            LINK_F_FAMILY_NAME, "Meas", LINK_F_SEX, "m", LINK_F_BIRTH_DATE,
            "1990-04-07", LINK_F_HOME_PROVINCE, "KH-12", LINK_F_PHONE,
            "012 345 678", LINK_F_EMAIL, "vm@example.org", -1);
    b = add(s, "ngo", "B1", LINK_F_GIVEN_NAME, "VICHIT",
            LINK_F_FAMILY_NAME, "MEAH", LINK_F_SEX, "m", LINK_F_BIRTH_DATE,
            "1990-04-07", LINK_F_HOME_PROVINCE, "KH-12", LINK_F_PLACE,
            "Prey Veng", LINK_F_EMAIL, "other@example.org", -1);
    link_options_init(&o);
    o.min_weight = 0;
    run(s, &o, &res);
    assert_int_equal(res.cluster[a], res.cluster[d]);
    assert_int_equal(res.cluster[a], res.cluster[b]);
    link_result_release(&res);
    link_set_free(s);
}

/* Namesakes with no birth information on one side are not joined through
 * a chain: among forty women of the same names, three of one province,
 * one born 1975, one with no birth, one born 2001; the one with no birth
 * shares a phone with the first and an email with the third (a family's
 * contacts). Each birthless pair is accepted on its own, the pair with
 * births years apart is not; the second join would put them in one. */
static void test_no_chain_of_namesakes(void **state)
{
    struct link_set *s = background(600, 32);
    struct link_options o;
    struct link_result res;
    size_t x;
    size_t z;
    int i;

    (void)state;
    /* forty other women of these names, born 1960-1999 elsewhere */
    for (i = 0; i < 40; i++) {
        char id[16];
        char birth[16];
        char prov[8];

        snprintf(id, sizeof id, "S%d", i);
        snprintf(birth, sizeof birth, "%d-%02d-%02d", 1960 + i,
                 1 + i % 12, 1 + i % 28);
        snprintf(prov, sizeof prov, "KH-%d", 10 + i % 10);
        add(s, i % 2 ? "police" : "ngo", id, LINK_F_GIVEN_NAME, "Sokha",
            LINK_F_FAMILY_NAME, "Chan", LINK_F_SEX, "f", LINK_F_BIRTH_DATE,
            birth, LINK_F_HOME_PROVINCE, prov, -1);
    }
    x = add(s, "police", "X1", LINK_F_GIVEN_NAME, "Sokha",
            LINK_F_FAMILY_NAME, "Chan", LINK_F_SEX, "f", LINK_F_BIRTH_DATE,
            "1975-03-02", LINK_F_HOME_PROVINCE, "KH-5", LINK_F_PHONE,
            "012 555 019", -1);
    add(s, "ngo", "Y1", LINK_F_GIVEN_NAME, "Sokha", LINK_F_FAMILY_NAME,
            "Chan", LINK_F_SEX, "f", LINK_F_HOME_PROVINCE, "KH-5",
            LINK_F_PHONE, "012 555 019", LINK_F_EMAIL, "sc@example.org", -1);
    z = add(s, "ministry", "Z1", LINK_F_GIVEN_NAME, "Sokha",
            LINK_F_FAMILY_NAME, "Chan", LINK_F_SEX, "f", LINK_F_BIRTH_DATE,
            "2001-11-20", LINK_F_HOME_PROVINCE, "KH-5", LINK_F_EMAIL,
            "sc@example.org", -1);
    link_options_init(&o);
    run(s, &o, &res);
    assert_int_not_equal(res.cluster[x], res.cluster[z]);
    link_result_release(&res);
    link_set_free(s);
}

/* The number at the end of the line of link explain's output for pair
 * (a, b) that begins with label: "prior", "match probability". */
static double explained(const struct link_set *s, size_t a, size_t b,
                        const char *label)
{
    struct ctis_err err;
    struct ctis_buf out;
    const char *p;
    const char *end;
    double v;

    ctis_buf_init(&out);
    assert_int_equal(link_explain(s, a, b, &out, &err), 0);
    p = strstr(out.data, label);
    assert_non_null(p);
    end = strchr(p, '\n');
    assert_non_null(end);
    while (end > p && end[-1] != ' ') {
        end--;
    }
    v = atof(end);
    ctis_buf_release(&out);
    return v;
}

/* Competing namesakes: a record is one person, so it has one match in
 * another list. A woman of the NGO list with no birth and no province,
 * and two women of the police list with her names and sex, born 1975 and
 * 2001 in two provinces: each police record alone is a likely match
 * (above one half), but both cannot be, so they share the probability
 * and neither reaches one half; at --accept 0.5 she is joined to neither, where before she
 * was joined to whichever came first. */
static void test_competing_namesakes(void **state)
{
    struct link_set *s = background(600, 35);
    struct link_options o;
    struct link_result res;
    size_t x;
    size_t y;
    size_t z;

    (void)state;
    x = add(s, "police", "X1", LINK_F_GIVEN_NAME, "Sreymom",
            LINK_F_FAMILY_NAME, "Touch", LINK_F_SEX, "f", LINK_F_BIRTH_DATE,
            "1975-03-02", LINK_F_HOME_PROVINCE, "KH-5", -1);
    z = add(s, "police", "Z1", LINK_F_GIVEN_NAME, "Sreymom",
            LINK_F_FAMILY_NAME, "Touch", LINK_F_SEX, "f", LINK_F_BIRTH_DATE,
            "2001-11-20", LINK_F_HOME_PROVINCE, "KH-8", -1);
    y = add(s, "ngo", "Y1", LINK_F_GIVEN_NAME, "Sreymom",
            LINK_F_FAMILY_NAME, "Touch", LINK_F_SEX, "f", -1);
    link_options_init(&o);
    o.accept_prob = 0.5;
    run(s, &o, &res);
    /* each pair alone is above one half */
    assert_true(explained(s, x, y, "match probability ") > 0.5);
    assert_true(explained(s, z, y, "match probability ") > 0.5);
    assert_int_not_equal(res.cluster[y], res.cluster[x]);
    assert_int_not_equal(res.cluster[y], res.cluster[z]);
    assert_int_not_equal(res.cluster[x], res.cluster[z]);
    link_result_release(&res);
    link_set_free(s);
}

/* A birth date on one record and an age at a stated date on the other
 * that agree within a year, and a birth date against a year one off: the
 * pairs are joined (with names in common spellings, same province). */
static void test_partial_birth_joined(void **state)
{
    struct link_set *s = background(600, 33);
    struct link_options o;
    struct link_result res;
    size_t a;
    size_t b;
    size_t c;
    size_t d;

    (void)state;
    a = add(s, "police", "P1", LINK_F_GIVEN_NAME, "Chenda",
            LINK_F_FAMILY_NAME, "Touch", LINK_F_SEX, "f", LINK_F_BIRTH_DATE,
            "1994-09-12", LINK_F_HOME_PROVINCE, "KH-1", LINK_F_PLACE,
            "Poipet", -1);
    b = add(s, "ngo", "N1", LINK_F_GIVEN_NAME, "Chinda", LINK_F_FAMILY_NAME,
            "Tuch", LINK_F_SEX, "f", LINK_F_AGE, "25", LINK_F_AGE_AT,
            "2019-03-01", LINK_F_HOME_PROVINCE, "KH-1", LINK_F_PLACE,
            "Poipet", -1);
    c = add(s, "police", "P2", LINK_F_GIVEN_NAME, "Piseth",
            LINK_F_FAMILY_NAME, "Nhim", LINK_F_SEX, "m", LINK_F_BIRTH_DATE,
            "1988-02-20", LINK_F_HOME_PROVINCE, "KH-2", LINK_F_PLACE,
            "Bavel", -1);
    d = add(s, "ministry", "M2", LINK_F_GIVEN_NAME, "Piset",
            LINK_F_FAMILY_NAME, "Nhem", LINK_F_SEX, "m", LINK_F_BIRTH_YEAR,
            "1989", LINK_F_HOME_PROVINCE, "KH-2", LINK_F_PLACE, "Bavel", -1);
    link_options_init(&o);
    run(s, &o, &res);
    assert_int_equal(res.cluster[a], res.cluster[b]);
    assert_int_equal(res.cluster[c], res.cluster[d]);
    link_result_release(&res);
    link_set_free(s);
}

/* Issue 10, missed class: an age in Khmer reckoning (a person is 1 at
 * birth, so an age is a year more than the years since birth) against a
 * birth date, and 1 January written for an unknown day. Lists whose ages
 * are often so counted (here 40 persons of an NGO list, each with a date
 * on the police list) teach EM that level. Sreytha Soun, 20 on
 * 2023-02-15 in Khmer reckoning, has two namesakes on the police list:
 * the girl born 2003-04-12 (Khmer reckoning) and one born 2001-03-01
 * (352 days older than the age's interval). Before, both were "at most a
 * year apart" and she was joined to the first of the two, the wrong one;
 * now the Khmer reading weighs 2.5 bits more and wins. A 1 January for
 * one born 2001-06-05 is joined (its levels: test_birth_intervals in
 * test_link.c; this half was joined before too). */
static void test_khmer_age_and_january_joined(void **state)
{
    static const char *const cons[] = {"K", "Ch", "P", "S", "V", "R",
                                       "L", "M", "N", "Th"};
    static const char *const vow[] = {"a", "o", "e", "ou", "ea"};
    static const char *const fin[] = {"k", "n", "ng", "t", "m"};
    struct link_set *s = background(600, 35);
    struct link_options o;
    struct link_result res;
    size_t a;
    size_t b;
    size_t c;
    size_t d;
    size_t e;
    int i;

    (void)state;
    for (i = 0; i < 40; i++) {
        char g[24];
        char f[24];
        char id[16];
        char date[16];
        char age[8];

        snprintf(g, sizeof g, "%s%s%s%s", cons[i % 10], vow[i / 10 % 5],
                 cons[(i + 3) % 10], fin[i % 5]);
        snprintf(f, sizeof f, "%s%s%s", cons[(i + 7) % 10], vow[i % 5],
                 fin[(i / 5) % 5]);
        snprintf(date, sizeof date, "%d-%02d-%02d", 1995 + i % 10,
                 1 + i % 12, 1 + i % 28);
        /* asked on 2022-12-31: Khmer reckoning counts one more */
        snprintf(age, sizeof age, "%d", 2022 - (1995 + i % 10) + 1);
        snprintf(id, sizeof id, "KP%d", i);
        add(s, "police", id, LINK_F_GIVEN_NAME, g, LINK_F_FAMILY_NAME, f,
            LINK_F_SEX, "f", LINK_F_BIRTH_DATE, date, -1);
        snprintf(id, sizeof id, "KN%d", i);
        add(s, "ngo", id, LINK_F_GIVEN_NAME, g, LINK_F_FAMILY_NAME, f,
            LINK_F_SEX, "f", LINK_F_AGE, age, LINK_F_AGE_AT, "2022-12-31",
            -1);
    }
    e = add(s, "police", "P3", LINK_F_GIVEN_NAME, "Sreytha",
            LINK_F_FAMILY_NAME, "Soun", LINK_F_SEX, "f", LINK_F_BIRTH_DATE,
            "2001-03-01", -1);
    a = add(s, "police", "P1", LINK_F_GIVEN_NAME, "Sreytha",
            LINK_F_FAMILY_NAME, "Soun", LINK_F_SEX, "f", LINK_F_BIRTH_DATE,
            "2003-04-12", -1);
    b = add(s, "ngo", "N1", LINK_F_GIVEN_NAME, "Sreytha", LINK_F_FAMILY_NAME,
            "Soun", LINK_F_SEX, "f", LINK_F_AGE, "20", LINK_F_AGE_AT,
            "2023-02-15", -1);
    c = add(s, "police", "P2", LINK_F_GIVEN_NAME, "Bopha",
            LINK_F_FAMILY_NAME, "Keov", LINK_F_SEX, "f", LINK_F_BIRTH_DATE,
            "2001-06-05", -1);
    d = add(s, "ministry", "M2", LINK_F_GIVEN_NAME, "Bopha",
            LINK_F_FAMILY_NAME, "Kaev", LINK_F_SEX, "f", LINK_F_BIRTH_DATE,
            "2001-01-01", -1);
    link_options_init(&o);
    run(s, &o, &res);
    assert_int_equal(res.cluster[a], res.cluster[b]);
    assert_int_not_equal(res.cluster[e], res.cluster[b]);
    assert_int_equal(res.cluster[c], res.cluster[d]);
    link_result_release(&res);
    link_set_free(s);
}

/* Khmer script on one record, the common romanisation on the other, for
 * names the table used to get wrong (Sanskrit and Pali spellings, the
 * inherent vowel): joined. Issue 10: the yuukaleapintu and aa with
 * nikahit before ng (វីរៈ តាំង Vireak Taing: read vir tamngo before), a
 * compound's Sanskrit final (ចន្ទមុនី Chanmony: chantomuni) and the
 * toandakhiat (ល័ក្ខណ៍ Leak: leakkhan). */
static void test_khmer_against_romanised(void **state)
{
    struct link_set *s = background(600, 34);
    struct link_options o;
    struct link_result res;
    size_t a;
    size_t b;
    size_t c;
    size_t d;
    size_t e;
    size_t f;
    size_t g;
    size_t h;

    (void)state;
    /* សម្បត្តិ ពេជ្រ: Sambath Pich */
    a = add(s, "ministry", "K1", LINK_F_GIVEN_NAME_KM,
            "\u179F\u1798\u17D2\u1794\u178F\u17D2\u178F\u17B7",
            LINK_F_FAMILY_NAME_KM, "\u1796\u17C1\u1787\u17D2\u179A",
            LINK_F_SEX, "m", LINK_F_BIRTH_YEAR, "1983", LINK_F_HOME_PROVINCE,
            "KH-17", -1);
    b = add(s, "police", "L1", LINK_F_GIVEN_NAME, "SAMBATH",
            LINK_F_FAMILY_NAME, "PICH", LINK_F_SEX, "m", LINK_F_BIRTH_DATE,
            "1983-05-30", LINK_F_HOME_PROVINCE, "KH-17", -1);
    /* រតនា វង្ស: Ratana Vong */
    c = add(s, "ministry", "K2", LINK_F_GIVEN_NAME_KM,
            "\u179A\u178F\u1793\u17B6", LINK_F_FAMILY_NAME_KM,
            "\u179C\u1784\u17D2\u179F", LINK_F_SEX, "f", LINK_F_BIRTH_YEAR,
            "1997", LINK_F_HOME_PROVINCE, "KH-21", -1);
    d = add(s, "ngo", "L2", LINK_F_GIVEN_NAME, "Ratana", LINK_F_FAMILY_NAME,
            "Vong", LINK_F_SEX, "f", LINK_F_BIRTH_DATE, "1997-12-01",
            LINK_F_HOME_PROVINCE, "KH-21", -1);
    /* វីរៈ តាំង */
    e = add(s, "ministry", "K3", LINK_F_GIVEN_NAME_KM,
            "\u179C\u17B8\u179A\u17C8", LINK_F_FAMILY_NAME_KM,
            "\u178F\u17B6\u17C6\u1784", LINK_F_SEX, "m", LINK_F_BIRTH_YEAR,
            "1989", LINK_F_HOME_PROVINCE, "KH-3", -1);
    f = add(s, "police", "L3", LINK_F_GIVEN_NAME, "Vireak", LINK_F_FAMILY_NAME,
            "TAING", LINK_F_SEX, "m", LINK_F_BIRTH_DATE, "1989-08-14",
            LINK_F_HOME_PROVINCE, "KH-3", -1);
    /* ចន្ទមុនី ល័ក្ខណ៍ */
    g = add(s, "ministry", "K4", LINK_F_GIVEN_NAME_KM,
            "\u1785\u1793\u17D2\u1791\u1798\u17BB\u1793\u17B8",
            LINK_F_FAMILY_NAME_KM,
            "\u179B\u17D0\u1780\u17D2\u1781\u178E\u17CD", LINK_F_SEX, "f",
            LINK_F_BIRTH_YEAR, "2001", LINK_F_HOME_PROVINCE, "KH-8", -1);
    h = add(s, "ngo", "L4", LINK_F_GIVEN_NAME, "Chanmony", LINK_F_FAMILY_NAME,
            "Leak", LINK_F_SEX, "f", LINK_F_BIRTH_DATE, "2001-02-19",
            LINK_F_HOME_PROVINCE, "KH-8", -1);
    link_options_init(&o);
    run(s, &o, &res);
    assert_int_equal(res.cluster[a], res.cluster[b]);
    assert_int_equal(res.cluster[c], res.cluster[d]);
    assert_int_equal(res.cluster[e], res.cluster[f]);
    assert_int_equal(res.cluster[g], res.cluster[h]);
    link_result_release(&res);
    link_set_free(s);
}

/* Blocks over the cap are not skipped: with a small cap (so that most
 * name blocks are over it) blocking still finds nearly every pair that
 * exhaustive comparison accepts. */
static void test_blocks_over_cap_kept(void **state)
{
    struct link_set *s = background(1500, 35);
    struct link_options o;
    struct link_result res;
    struct ctis_err err;
    uint64_t accepted = 0;
    uint64_t lost = 0;

    (void)state;
    link_options_init(&o);
    o.block_cap = 8;
    run(s, &o, &res);
    assert_true(res.n_skipped_blocks > 50);
    assert_int_equal(link_blocking_recall(s, &o, res.accept_weight,
                                          &accepted, &lost, &err),
                     0);
    assert_true(accepted > 500);
    print_message("accepted %llu, lost to blocking %llu\n",
                  (unsigned long long)accepted, (unsigned long long)lost);
    assert_true(lost * 20 < accepted);
    link_result_release(&res);
    link_set_free(s);
}

/* A pair inside huge blocks of namesakes is kept: Dara Sok born
 * 1990-05-01 and Dara Sok with no birth, both of KH-05 and of a village
 * Phum Thmei, among fourteen other Dara Soks of KH-05 (other villages)
 * and fourteen of villages named Phum Thmei in other provinces. With the
 * cap at 10 every block the pair shares is over it: names (alone, with
 * the province, with the place); ordered by birth, the record with none
 * sorts far from the other, so the windows never meet them. Split by
 * place, the names-and-province block holds the two alone, and they are
 * compared, and joined. */
static struct link_set *huge_block_pair(size_t *a, size_t *b)
{
    struct link_set *s = background(1500, 41);
    char id[16];
    char place[32];
    char prov[8];
    char date[16];
    int i;

    for (i = 0; i < 28; i++) {
        const char *list = i % 3 == 0 ? "police" : i % 3 == 1 ? "ngo"
                                                             : "ministry";
        int p_group = i < 14;

        snprintf(id, sizeof id, "N%d", i);
        snprintf(place, sizeof place, "Phum Other %d", i);
        snprintf(prov, sizeof prov, "KH-%02d", p_group ? 5 : 6 + i % 14);
        snprintf(date, sizeof date, "%d-%02d-%02d", 1983 + i % 14, 1 + i % 12,
                 1 + i % 28);
        add(s, list, id, LINK_F_GIVEN_NAME, "Dara", LINK_F_FAMILY_NAME,
            "Sok", LINK_F_SEX, "f", LINK_F_HOME_PROVINCE, prov, LINK_F_PLACE,
            p_group ? place : "Phum Thmei", LINK_F_BIRTH_DATE,
            i % 7 < 2 ? "" : date, -1);
    }
    *a = add(s, "police", "A", LINK_F_GIVEN_NAME, "Dara", LINK_F_FAMILY_NAME,
             "Sok", LINK_F_SEX, "f", LINK_F_BIRTH_DATE, "1990-05-01",
             LINK_F_HOME_PROVINCE, "KH-05", LINK_F_PLACE, "Phum Thmei", -1);
    *b = add(s, "ngo", "B", LINK_F_GIVEN_NAME, "Dara", LINK_F_FAMILY_NAME,
             "Sok", LINK_F_SEX, "f", LINK_F_HOME_PROVINCE, "KH-05",
             LINK_F_PLACE, "Phum Thmei", -1);
    return s;
}

/* Link the huge-block pair, clear or from its encodings (with the cap at
 * 10), and check it is joined. */
static void huge_block_joined(int encoded)
{
    struct link_options o;
    struct link_result res;
    size_t a;
    size_t b;
    struct link_set *s = huge_block_pair(&a, &b);
    struct link_set *c = encoded ? test_link_encoded(s) : s;

    assert_non_null(c);
    link_options_init(&o);
    o.block_cap = 10;
    run(c, &o, &res);
    if (!encoded) {
        struct ctis_buf out;
        struct ctis_err err;

        ctis_buf_init(&out);
        assert_int_equal(link_explain(s, a, b, &out, &err), 0);
        print_message("%s", out.data);
        ctis_buf_release(&out);
    }
    assert_true(res.n_skipped_blocks > 0);
    assert_int_equal(res.cluster[a], res.cluster[b]);
    link_result_release(&res);
    if (encoded) {
        link_set_free(c);
    }
    link_set_free(s);
}

static void test_pair_in_huge_block_kept(void **state)
{
    (void)state;
    huge_block_joined(0);
}

/* The same pair from its encodings: the sub-blocks of a huge encoded
 * block come from the filter (the words of the birth years, the
 * province, the place), so the two are compared and joined. Before,
 * encoded blocks over the cap had no sub-blocks and the pair was never
 * a candidate. */
static void test_encoded_pair_in_huge_block_kept(void **state)
{
    (void)state;
    huge_block_joined(1);
}

/* Latin spellings of one sound (ck and k, ee and i, a final v and u, an
 * r before a final n) on one record, the other spelling or Khmer script
 * on the other: Leena Sock and សុខ លីណា born 1996 in KH-20 (a pair the
 * review lists missed: given name met only at the skeleton, family name
 * at Jaro-Winkler), Mony Mav and Mony Mao, Thoeurn Suorn and Thoeun
 * Suon. */
static void test_spelling_variants(void **state)
{
    struct link_set *s = background(600, 36);
    struct link_options o;
    struct link_result res;
    size_t a;
    size_t b;
    size_t c;
    size_t d;
    size_t e;
    size_t f;

    (void)state;
    a = add(s, "ngo", "N1", LINK_F_GIVEN_NAME, "Leena", LINK_F_FAMILY_NAME,
            "Sock", LINK_F_SEX, "f", LINK_F_BIRTH_DATE, "1996-04-30",
            LINK_F_HOME_PROVINCE, "KH-20", -1);
    /* សុខ លីណា */
    b = add(s, "ministry", "M1", LINK_F_FULL_NAME,
            "\u179F\u17BB\u1781 \u179B\u17B8\u178E\u17B6", LINK_F_SEX, "f",
            LINK_F_BIRTH_YEAR, "1996", LINK_F_HOME_PROVINCE, "KH-20",
            LINK_F_PLACE, "Malai", -1);
    c = add(s, "police", "P2", LINK_F_GIVEN_NAME, "Mony", LINK_F_FAMILY_NAME,
            "Mav", LINK_F_SEX, "m", LINK_F_BIRTH_YEAR, "1993",
            LINK_F_HOME_PROVINCE, "KH-2", -1);
    d = add(s, "ngo", "N2", LINK_F_GIVEN_NAME, "Mony", LINK_F_FAMILY_NAME,
            "Mao", LINK_F_SEX, "m", LINK_F_BIRTH_DATE, "1993-06-11",
            LINK_F_HOME_PROVINCE, "KH-2", -1);
    e = add(s, "police", "P3", LINK_F_GIVEN_NAME, "THOEURN", LINK_F_FAMILY_NAME,
            "SUORN", LINK_F_SEX, "m", LINK_F_AGE, "40", LINK_F_AGE_AT,
            "2020-05-01", LINK_F_HOME_PROVINCE, "KH-22", -1);
    f = add(s, "ministry", "M3", LINK_F_GIVEN_NAME, "Thoeun",
            LINK_F_FAMILY_NAME, "Suon", LINK_F_SEX, "m", LINK_F_BIRTH_DATE,
            "1979-11-02", LINK_F_HOME_PROVINCE, "KH-22", -1);
    link_options_init(&o);
    run(s, &o, &res);
    assert_int_equal(res.cluster[a], res.cluster[b]);
    assert_int_equal(res.cluster[c], res.cluster[d]);
    assert_int_equal(res.cluster[e], res.cluster[f]);
    link_result_release(&res);
    link_set_free(s);
}

/* The levels of a pair do not depend on which record comes first: a
 * full name cut at another word ("Seng Sokh-Ly" read given name Seng)
 * meets "SokhLy Sieng" as a whole name in one order of the records, and
 * did not in the other (the whole names of the first record in its own
 * order only were compared with both orders of the second), so a pair met
 * in a block in that order was scored with both names disagreeing
 * (-17 and -6 bits) and its person split. Found by the oracle of
 * bench/link_oracle. */
static void test_levels_symmetric(void **state)
{
    struct link_set *s = background(600, 37);
    struct link_options o;
    struct link_result res;
    struct ctis_err err;
    struct ctis_buf ab;
    struct ctis_buf ba;
    size_t a;
    size_t b;
    size_t c;
    size_t d;

    (void)state;
    a = add(s, "ngo", "N1", LINK_F_FULL_NAME, "Seng Sokh-Ly", LINK_F_SEX, "m",
            LINK_F_BIRTH_DATE, "1984-02-11", LINK_F_HOME_PROVINCE, "KH-3",
            -1);
    b = add(s, "ministry", "M1", LINK_F_GIVEN_NAME, "SokhLy",
            LINK_F_FAMILY_NAME, "Sieng", LINK_F_SEX, "m", LINK_F_BIRTH_YEAR,
            "1984", LINK_F_HOME_PROVINCE, "KH-3", -1);
    c = add(s, "police", "P1", LINK_F_GIVEN_NAME, "Chan Ra", LINK_F_FAMILY_NAME,
            "Hor", LINK_F_SEX, "f", LINK_F_BIRTH_DATE, "1990-07-03",
            LINK_F_HOME_PROVINCE, "KH-17", -1);
    d = add(s, "ngo", "N2", LINK_F_FULL_NAME, "HUOR CHANN RAH", LINK_F_SEX,
            "f", LINK_F_BIRTH_DATE, "1990-07-03", LINK_F_HOME_PROVINCE,
            "KH-17", -1);
    link_options_init(&o);
    run(s, &o, &res);
    ctis_buf_init(&ab);
    ctis_buf_init(&ba);
    assert_int_equal(link_explain(s, a, b, &ab, &err), 0);
    assert_int_equal(link_explain(s, b, a, &ba, &err), 0);
    assert_string_equal(ab.data, ba.data);
    ctis_buf_reset(&ab);
    ctis_buf_reset(&ba);
    assert_int_equal(link_explain(s, c, d, &ab, &err), 0);
    assert_int_equal(link_explain(s, d, c, &ba, &err), 0);
    assert_string_equal(ab.data, ba.data);
    assert_int_equal(res.cluster[a], res.cluster[b]);
    assert_int_equal(res.cluster[c], res.cluster[d]);
    ctis_buf_release(&ab);
    ctis_buf_release(&ba);
    link_result_release(&res);
    link_set_free(s);
}

/* A duplicate inside a list joins its person when the two records of the
 * list agree strongly themselves, though the pair that joins the second
 * of them is not near-certain: Chana Hen and Chan Na Hieng of the NGO
 * list (day and month swapped, one province), Channa Heng of the ministry
 * with a birth year. Before, that join needed the joining pair to exceed
 * the acceptance threshold by --strong bits. */
static void test_duplicate_in_list_joined(void **state)
{
    struct link_set *s = background(600, 38);
    struct link_options o;
    struct link_result res;
    size_t a;
    size_t b;
    size_t m;

    (void)state;
    a = add(s, "ngo", "N1", LINK_F_GIVEN_NAME, "Chana", LINK_F_FAMILY_NAME,
            "Hen", LINK_F_SEX, "m", LINK_F_BIRTH_DATE, "1991-12-09",
            LINK_F_HOME_PROVINCE, "KH-14", -1);
    b = add(s, "ngo", "N2", LINK_F_FULL_NAME, "Chan Na Hieng", LINK_F_SEX, "m",
            LINK_F_BIRTH_DATE, "1991-09-12", LINK_F_HOME_PROVINCE, "KH-14", -1);
    m = add(s, "ministry", "M1", LINK_F_GIVEN_NAME, "Channa",
            LINK_F_FAMILY_NAME, "Heng", LINK_F_SEX, "m", LINK_F_BIRTH_YEAR,
            "1991", -1);
    link_options_init(&o);
    run(s, &o, &res);
    assert_int_equal(res.cluster[a], res.cluster[b]);
    assert_int_equal(res.cluster[a], res.cluster[m]);
    link_result_release(&res);
    link_set_free(s);
}

/* The encoded mode learns from the same evidence as the clear one: one
 * filter segment per compared field (names, birth, sex, province, place,
 * contacts), so that a province or a village that disagrees counts as in
 * the clear. Before, sex, province, place and contacts were one
 * similarity: encoded F1 was 0.045 below the clear one on these lists
 * (0.914 against 0.959), now 0.008. */
static void test_encoded_like_clear(void **state)
{
    static uint32_t truth[8000];
    struct link_set *s;
    struct link_set *c;
    struct link_options o;
    struct link_result res;
    struct link_eval clear;
    struct link_eval enc;
    struct ctis_err err;

    (void)state;
    s = with_truth(2500, 40, truth, sizeof truth / sizeof truth[0]);
    link_options_init(&o);
    run(s, &o, &res);
    assert_int_equal(link_evaluate(res.cluster, truth, link_set_size(s),
                                   &clear, &err), 0);
    link_result_release(&res);
    c = test_link_encoded(s);
    assert_non_null(c);
    run(c, &o, &res);
    assert_int_equal(link_evaluate(res.cluster, truth, link_set_size(c),
                                   &enc, &err), 0);
    print_message("F1 clear %.3f, encoded %.3f\n", clear.f1, enc.f1);
    assert_true(enc.f1 > clear.f1 - 0.03);
    link_result_release(&res);
    link_set_free(c);
    link_set_free(s);
}

/* Two records of one list are one person less often than two of two
 * lists (a duplicate inside a list is rare): each class of pair has its
 * own prior, the fixed point of its own expected matches. On generated
 * lists with 3% duplicates both are within a bit and a half of the truth
 * (log2 of the true matching pairs of the class over its other pairs),
 * where one prior for all pairs put one-list pairs 2 to 3 bits too high
 * and decided them with a constant (3 bits) instead. */
static void test_prior_by_class(void **state)
{
    static uint32_t truth[8000];
    struct link_set *s;
    struct link_options o;
    struct link_result res;
    double pairs[2] = {0, 0};
    double matches[2] = {0, 0};
    double prior[2];
    size_t same[2] = {SIZE_MAX, SIZE_MAX};
    size_t n;
    size_t i;
    size_t j;
    int k;

    (void)state;
    s = with_truth(2500, 41, truth, sizeof truth / sizeof truth[0]);
    n = link_set_size(s);
    for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++) {
            k = link_set_record_list(s, i) == link_set_record_list(s, j);
            pairs[k] += 1;
            matches[k] += truth[i] == truth[j];
            if (same[k] == SIZE_MAX) {
                same[k] = i * n + j;
            }
        }
    }
    link_options_init(&o);
    run(s, &o, &res);
    for (k = 0; k < 2; k++) {
        double want = log2(matches[k] / (pairs[k] - matches[k]));

        prior[k] = explained(s, same[k] / n, same[k] % n, "prior");
        print_message("prior of %s pairs %.2f, truth %.2f\n",
                      k ? "one-list" : "two-list", prior[k], want);
        assert_true(fabs(prior[k] - want) < 1.5);
    }
    assert_true(prior[1] < prior[0] - 1);
    link_result_release(&res);
    link_set_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_near_certain_not_vetoed),
        cmocka_unit_test(test_no_chain_of_namesakes),
        cmocka_unit_test(test_competing_namesakes),
        cmocka_unit_test(test_partial_birth_joined),
        cmocka_unit_test(test_khmer_age_and_january_joined),
        cmocka_unit_test(test_khmer_against_romanised),
        cmocka_unit_test(test_blocks_over_cap_kept),
        cmocka_unit_test(test_pair_in_huge_block_kept),
        cmocka_unit_test(test_encoded_pair_in_huge_block_kept),
        cmocka_unit_test(test_spelling_variants),
        cmocka_unit_test(test_levels_symmetric),
        cmocka_unit_test(test_duplicate_in_list_joined),
        cmocka_unit_test(test_encoded_like_clear),
        cmocka_unit_test(test_prior_by_class),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
