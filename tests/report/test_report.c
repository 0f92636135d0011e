/*
 * test_report.c - the datasheet end to end below the CLI: hand-made
 * records written through the real store into a temporary SQLite file,
 * gathered with report_gather, rendered as JSON and read back with
 * jansson. Every table's numbers are checked exactly: the rescue referral
 * rule, the not_a_victim exclusion, period bounds, age groups from birth
 * date, birth year and stated age, sorting, distinct offenders; then
 * disclosure control in the JSON, and the Markdown and HTML renderings
 * (sections, N/A cells, escaping).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/support/support.h"
#include <jansson.h>

#include "report/report.h"

static char dir[64];
static int serial;

static int group_setup(void **state)
{
    (void)state;
    return test_tmpdir_make(dir, sizeof dir, "report");
}

static int group_teardown(void **state)
{
    (void)state;
    return test_tmpdir_remove(dir);
}

/* ---- building records ---------------------------------------------------- */

static void ev(struct model_case *c, int type, int date)
{
    struct model_event e;

    memset(&e, 0, sizeof e);
    e.type = type;
    e.date = date;
    assert_int_equal(model_case_add_event(c, &e), 0);
}

static void referral(struct model_case *c, int date, int to)
{
    struct model_event e;

    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_REFERRAL;
    e.date = date;
    e.referral = to;
    assert_int_equal(model_case_add_event(c, &e), 0);
}

static void repat(struct model_case *c, int date, const char *from,
                  const char *to, int official)
{
    struct model_event e;

    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_REPATRIATION;
    e.date = date;
    e.official = official;
    ctis_strlcpy(e.from_country, from, sizeof e.from_country);
    ctis_strlcpy(e.to_country, to, sizeof e.to_country);
    assert_int_equal(model_case_add_event(c, &e), 0);
}

/* A case identified on `ident` (0: no identification event). */
static void start(struct model_case *c, const char *id, int status,
                  int movement, int ident)
{
    model_case_release(c);
    model_case_init(c);
    ctis_strlcpy(c->id, id, sizeof c->id);
    ctis_strlcpy(c->agency, "A1", sizeof c->agency);
    c->trafficking_status = status;
    c->movement = movement;
    if (ident != 0) {
        ev(c, MODEL_EV_IDENTIFICATION, ident);
    }
}

static void put(struct store *st, struct model_case *c)
{
    struct ctis_err err;
    struct model_problems p;

    model_problems_clear(&p);
    assert_int_equal(model_case_validate(c, &p), 0);
    if (store_put_case(st, c, &err) != 0) {
        fail_msg("store_put_case %s: %s", c->id, err.msg);
    }
}

static void person(struct model_case *c, int sex, const char *home)
{
    c->person.sex = sex;
    ctis_strlcpy(c->person.home_province, home,
                 sizeof c->person.home_province);
}

static const int ACT = MODEL_TS_ACTUAL;
static const int POS = MODEL_TS_POSSIBLE;
static const int NAV = MODEL_TS_NOT_A_VICTIM;

/* Repatriations: R1 and R2 TH->KH official 2005; R2 has a second
 * official TH->KH event the same year (still one case); R3 non-official
 * (not counted); R4 not_a_victim (not counted); R5 official VN->KH 2004
 * (outside 2005-2008); R6 official KH->VN 2007, possible (counted); R7
 * official MY->KH 2009 (outside). */
static void put_repatriations(struct store *st, struct model_case *c)
{
    start(c, "R1", ACT, MODEL_MOV_CROSS_BORDER_OUT, 20050110);
    person(c, MODEL_SEX_MALE, "KH-1");
    ctis_strlcpy(c->destination_country, "TH", 3);
    repat(c, 20050301, "TH", "KH", 1);
    put(st, c);
    start(c, "R2", ACT, MODEL_MOV_CROSS_BORDER_OUT, 20050110);
    person(c, MODEL_SEX_FEMALE, "KH-1");
    ctis_strlcpy(c->destination_country, "TH", 3);
    repat(c, 20050301, "TH", "KH", 1);
    repat(c, 20051201, "TH", "KH", 1);
    put(st, c);
    start(c, "R3", ACT, MODEL_MOV_CROSS_BORDER_OUT, 20050110);
    person(c, MODEL_SEX_MALE, "KH-2");
    ctis_strlcpy(c->destination_country, "TH", 3);
    repat(c, 20050301, "TH", "KH", 0);
    put(st, c);
    start(c, "R4", NAV, MODEL_MOV_CROSS_BORDER_OUT, 20050110);
    person(c, MODEL_SEX_MALE, "KH-2");
    ctis_strlcpy(c->destination_country, "TH", 3);
    repat(c, 20050301, "TH", "KH", 1);
    put(st, c);
    start(c, "R5", ACT, MODEL_MOV_CROSS_BORDER_OUT, 20041101);
    person(c, MODEL_SEX_MALE, "KH-20");
    ctis_strlcpy(c->destination_country, "VN", 3);
    repat(c, 20041231, "VN", "KH", 1);
    put(st, c);
    start(c, "R6", POS, MODEL_MOV_CROSS_BORDER_IN, 20070105);
    person(c, MODEL_SEX_FEMALE, "");
    ctis_strlcpy(c->person.citizenship, "VN", 3);
    ctis_strlcpy(c->destination_province, "KH-12", 6);
    repat(c, 20070601, "KH", "VN", 1);
    put(st, c);
    start(c, "R7", ACT, MODEL_MOV_CROSS_BORDER_OUT, 20081201);
    person(c, MODEL_SEX_FEMALE, "KH-3");
    ctis_strlcpy(c->destination_country, "MY", 3);
    repat(c, 20090115, "MY", "KH", 1);
    put(st, c);
}

/* Rescues, all internal from KH-14 to KH-12 unless said:
 * S1 2008 rescue, referral to NGO before it, family after: family;
 * S2 2008 rescue, ministry same day then family later: ministry;
 * S3 2008 rescue, no referral: none;
 * S4 2008 rescue, referral to other: other;
 * S5 2008 rescue, not_a_victim, family: not counted;
 * S6 2006 rescue, NGO: 2006 ngo;
 * S7 2009 rescue: outside;
 * S8 two rescues in 2008, referral between them (family) and after the
 *    second (ngo): first rescue rules, family. */
static void put_rescues(struct store *st, struct model_case *c)
{
    static const char *const ids[] = {"S1", "S2", "S3", "S4",
                                      "S5", "S6", "S7", "S8"};
    size_t i;

    for (i = 0; i < 8; i++) {
        int year = i == 5 ? 2006 : i == 6 ? 2009 : 2008;
        int date = year * 10000 + 301;

        start(c, ids[i], i == 4 ? NAV : ACT, MODEL_MOV_INTERNAL, date);
        person(c, MODEL_SEX_FEMALE, "KH-14");
        c->exploitation = MODEL_EXP_SEXUAL;
        ctis_strlcpy(c->destination_province, "KH-12", 6);
        ev(c, MODEL_EV_RESCUE, date);
        switch (i) {
        case 0:
            referral(c, 20080201, MODEL_REF_NGO);
            referral(c, 20080305, MODEL_REF_FAMILY);
            break;
        case 1:
            referral(c, 20080301, MODEL_REF_MINISTRY);
            referral(c, 20080901, MODEL_REF_FAMILY);
            break;
        case 3:
            referral(c, 20080302, MODEL_REF_OTHER);
            break;
        case 4:
            referral(c, 20080302, MODEL_REF_FAMILY);
            break;
        case 5:
            referral(c, 20060310, MODEL_REF_NGO);
            break;
        case 7:
            referral(c, 20080401, MODEL_REF_FAMILY);
            ev(c, MODEL_EV_RESCUE, 20080501);
            referral(c, 20080502, MODEL_REF_NGO);
            break;
        default:
            break;
        }
        put(st, c);
    }
}

/* Age groups at identification on 2008-05-31 / 2008-06-01:
 * A1 born 1990-06-01, identified 2008-05-31: 17, child;
 * A2 born 1990-06-01, identified 2008-06-01: 18, adult;
 * A3 birth year 1990, identified 2008: 18, adult;
 * A4 birth year 1991, identified 2008: 17, child;
 * A5 stated age 17: child; A6 stated age 30: adult; A7 nothing: unknown.
 * All male, movement cross_border_out to TH from KH-2, forced labour
 * (fishing) and A1 also sexual. */
static void put_ages(struct store *st, struct model_case *c)
{
    static const char *const ids[] = {"A1", "A2", "A3", "A4",
                                      "A5", "A6", "A7"};
    size_t i;

    for (i = 0; i < 7; i++) {
        start(c, ids[i], ACT, MODEL_MOV_CROSS_BORDER_OUT,
              i == 0 ? 20080531 : 20080601);
        person(c, MODEL_SEX_MALE, "KH-2");
        ctis_strlcpy(c->destination_country, "TH", 3);
        c->exploitation = MODEL_EXP_FORCED_LABOUR;
        c->labour_sector = MODEL_SECTOR_FISHING;
        if (i == 0) {
            c->exploitation |= MODEL_EXP_SEXUAL;
        }
        if (i <= 1) {
            c->person.birth_date = 19900601;
            c->person.birth_year = 1990;
        } else if (i == 2) {
            c->person.birth_year = 1990;
        } else if (i == 3) {
            c->person.birth_year = 1991;
        } else if (i == 4) {
            c->person.age = 17;
        } else if (i == 5) {
            c->person.age = 30;
        }
        put(st, c);
    }
}

/* Criminal cases: K1 domestic, investigated 2006, offenders O1 O2; K2
 * domestic, investigated 2007 and 2004 (first 2004: outside), O3; K3
 * domestic, investigated 2008, O2 (again) and O4; K4 cross-border 2008,
 * O5, convicted 2008 (O5). */
static void put_criminal(struct store *st)
{
    static const char *const ids[] = {"K1", "K2", "K3", "K4"};
    static const char *const offs[4][2] = {
        {"O1", "O2"}, {"O3", NULL}, {"O2", "O4"}, {"O5", NULL}};
    static const int inv[4] = {20060101, 20070101, 20080101, 20080101};
    struct model_offender o[2];
    struct model_crim_event e[3];
    char victims[1][MODEL_ID_MAX];
    struct ctis_err err;
    size_t i;

    for (i = 0; i < 4; i++) {
        struct model_criminal_case cc;
        size_t k;

        model_criminal_case_init(&cc);
        ctis_strlcpy(cc.id, ids[i], sizeof cc.id);
        cc.kind = i == 3 ? MODEL_CK_CROSS_BORDER : MODEL_CK_DOMESTIC;
        memset(o, 0, sizeof o);
        for (k = 0; k < 2 && offs[i][k] != NULL; k++) {
            ctis_strlcpy(o[k].id, offs[i][k], sizeof o[k].id);
            ctis_strlcpy(o[k].citizenship, "KH", 3);
            o[k].sex = MODEL_SEX_MALE;
        }
        cc.offenders = o;
        cc.n_offenders = k;
        memset(e, 0, sizeof e);
        e[0].type = MODEL_CE_INVESTIGATION;
        e[0].date = inv[i];
        e[0].sentence_months = -1;
        cc.events = e;
        cc.n_events = 1;
        if (i == 1) {
            e[1] = e[0];
            e[1].date = 20041001;
            cc.n_events = 2;
        }
        if (i == 3) {
            e[1].type = MODEL_CE_CONVICTION;
            e[1].date = 20080601;
            e[1].sentence_months = -1;
            ctis_strlcpy(e[1].offender, "O5", sizeof e[1].offender);
            cc.n_events = 2;
            ctis_strlcpy(victims[0], "R1", MODEL_ID_MAX);
            cc.victim_cases = victims;
            cc.n_victim_cases = 1;
        }
        if (store_put_criminal_case(st, &cc, &err) != 0) {
            fail_msg("store_put_criminal_case %s: %s", cc.id, err.msg);
        }
    }
}

static void put_reference(struct store *st)
{
    struct model_agency a;
    struct model_instrument in;
    struct model_activity act;
    struct ctis_err err;

    model_agency_init(&a);
    ctis_strlcpy(a.id, "A1", sizeof a.id);
    ctis_strlcpy(a.name, "NGO 001", sizeof a.name);
    a.kind = MODEL_AK_NGO;
    a.pillars = MODEL_PILLAR_PROTECTION | MODEL_PILLAR_PREVENTION;
    assert_int_equal(store_put_agency(st, &a, &err), 0);
    model_instrument_init(&in);
    ctis_strlcpy(in.id, "I1", sizeof in.id);
    ctis_strlcpy(in.title, "Law <script>alert(1)</script> & *MOU* | x",
                 sizeof in.title);
    in.kind = MODEL_INS_LAW;
    in.date = 20080215;
    ctis_strlcpy(in.parties[0], "KH", 3);
    in.n_parties = 1;
    assert_int_equal(store_put_instrument(st, &in, &err), 0);
    model_activity_init(&act);
    ctis_strlcpy(act.id, "ACT1", sizeof act.id);
    ctis_strlcpy(act.agency, "A1", sizeof act.agency);
    act.kind = MODEL_ACT_AWARENESS;
    act.start = 20060101;
    act.end = 20060301;
    act.reached = 120;
    assert_int_equal(store_put_activity(st, &act, &err), 0);
    ctis_strlcpy(act.id, "ACT2", sizeof act.id);
    act.start = 20010101; /* ended before the period */
    act.end = 20010301;
    assert_int_equal(store_put_activity(st, &act, &err), 0);
}

static struct store *build_store(void)
{
    struct store *st = NULL;
    struct model_case c;
    struct ctis_err err;
    char path[128];

    snprintf(path, sizeof path, "%s/r%d.db", dir, ++serial);
    if (store_open(&st, path, STORE_OPEN_CREATE, &err) != 0) {
        fail_msg("store_open: %s", err.msg);
    }
    assert_int_equal(store_begin(st, &err), 0);
    model_case_init(&c);
    put_reference(st);
    put_repatriations(st, &c);
    put_rescues(st, &c);
    put_ages(st, &c);
    model_case_release(&c);
    put_criminal(st);
    if (store_commit(st, &err) != 0) {
        fail_msg("store_commit: %s", err.msg);
    }
    return st;
}

/* ---- reading the JSON ---------------------------------------------------- */

static json_t *report_json(struct store *st, int from, int to, long k)
{
    struct stats_datasheet ds;
    struct ctis_buf b;
    struct ctis_err err;
    json_error_t jerr;
    json_t *root;

    stats_datasheet_init(&ds, from, to, k);
    ctis_buf_init(&b);
    if (report_gather(st, &ds, &err) != 0) {
        fail_msg("report_gather: %s", err.msg);
    }
    assert_int_equal(report_render(&ds, REPORT_JSON, &b, &err), 0);
    root = json_loads(b.data, 0, &jerr);
    if (root == NULL) {
        fail_msg("bad JSON: %s", jerr.text);
    }
    ctis_buf_release(&b);
    stats_datasheet_release(&ds);
    return root;
}

static json_int_t num(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    if (!json_is_integer(v)) {
        fail_msg("'%s' is not an integer", key);
    }
    return json_integer_value(v);
}

static const char *str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    if (!json_is_string(v)) {
        fail_msg("'%s' is not a string", key);
    }
    return json_string_value(v);
}

/* The row of array `table` whose `key` is `value` (and `key2` value2). */
static json_t *find(json_t *root, const char *table, const char *key,
                    const char *value, const char *key2, const char *value2)
{
    json_t *arr = json_object_get(root, table);
    size_t i;

    assert_true(json_is_array(arr));
    for (i = 0; i < json_array_size(arr); i++) {
        json_t *r = json_array_get(arr, i);

        if (strcmp(str(r, key), value) == 0 &&
            (key2 == NULL || strcmp(str(r, key2), value2) == 0)) {
            return r;
        }
    }
    return NULL;
}

static json_int_t cases_of(json_t *root, const char *table, const char *key,
                           const char *value)
{
    json_t *r = find(root, table, key, value, NULL, NULL);

    return r != NULL ? num(r, "cases") : 0;
}

static json_int_t sex_age(json_t *root, const char *sex, const char *age)
{
    json_t *r = find(root, "persons_by_sex_age", "sex", sex, "age_group",
                     age);

    return r != NULL ? num(r, "cases") : 0;
}

/* ---- the tests ------------------------------------------------------------- */

static void test_repatriations(void **state)
{
    struct store *st = build_store();
    json_t *root = report_json(st, 2005, 2008, 0);
    json_t *arr = json_object_get(root, "repatriations");
    json_t *r;

    (void)state;
    assert_int_equal(json_array_size(arr), 2);
    r = json_array_get(arr, 0);
    assert_string_equal(str(r, "from"), "TH");
    assert_string_equal(str(r, "to"), "KH");
    assert_int_equal(num(r, "year"), 2005);
    assert_int_equal(num(r, "persons"), 2);
    r = json_array_get(arr, 1);
    assert_string_equal(str(r, "from"), "KH");
    assert_string_equal(str(r, "to"), "VN");
    assert_int_equal(num(r, "year"), 2007);
    assert_int_equal(num(r, "persons"), 1);
    assert_int_equal(num(root, "repatriated"), 3);
    json_decref(root);
    /* Unbounded: R5 (2004) and R7 (2009) come in. */
    root = report_json(st, 0, 0, 0);
    arr = json_object_get(root, "repatriations");
    assert_int_equal(json_array_size(arr), 4);
    assert_int_equal(num(root, "repatriated"), 5);
    json_decref(root);
    /* One year only. */
    root = report_json(st, 2007, 2007, 0);
    assert_int_equal(json_array_size(json_object_get(root,
                                                     "repatriations")),
                     1);
    json_decref(root);
    store_close(st);
}

static void test_rescues(void **state)
{
    struct store *st = build_store();
    json_t *root = report_json(st, 2005, 2008, 0);
    json_t *arr = json_object_get(root, "rescues");
    json_t *r;
    json_t *to;

    (void)state;
    assert_int_equal(json_array_size(arr), 2);
    r = json_array_get(arr, 0);
    assert_int_equal(num(r, "year"), 2006);
    assert_int_equal(num(r, "persons"), 1);
    to = json_object_get(r, "referred_to");
    assert_int_equal(num(to, "ngo"), 1);
    assert_int_equal(num(to, "family"), 0);
    r = json_array_get(arr, 1);
    assert_int_equal(num(r, "year"), 2008);
    assert_int_equal(num(r, "persons"), 5);
    to = json_object_get(r, "referred_to");
    assert_int_equal(num(to, "family"), 2);   /* S1, S8 */
    assert_int_equal(num(to, "ngo"), 0);
    assert_int_equal(num(to, "ministry"), 1); /* S2 */
    assert_int_equal(num(to, "other"), 1);    /* S4 */
    assert_int_equal(num(to, "none"), 1);     /* S3 */
    json_decref(root);
    root = report_json(st, 2009, 2009, 0);
    arr = json_object_get(root, "rescues");
    assert_int_equal(json_array_size(arr), 1);
    assert_int_equal(num(json_object_get(json_array_get(arr, 0),
                                         "referred_to"),
                         "none"),
                     1);
    json_decref(root);
    store_close(st);
}

static void test_investigations(void **state)
{
    struct store *st = build_store();
    json_t *root = report_json(st, 2005, 2008, 0);
    json_t *r;

    (void)state;
    /* K1 and K3: 2 cases, offenders O1 O2 O4 (O2 once). K2's first
     * investigation is in 2004. */
    r = find(root, "investigations", "kind", "domestic", NULL, NULL);
    assert_non_null(r);
    assert_int_equal(num(r, "cases"), 2);
    assert_int_equal(num(r, "offenders"), 3);
    r = find(root, "investigations", "kind", "cross_border", NULL, NULL);
    assert_int_equal(num(r, "cases"), 1);
    assert_int_equal(num(r, "offenders"), 1);
    r = find(root, "convictions", "kind", "cross_border", NULL, NULL);
    assert_int_equal(num(r, "cases"), 1);
    assert_int_equal(num(r, "offenders"), 1);
    r = find(root, "convictions", "kind", "domestic", NULL, NULL);
    assert_int_equal(num(r, "cases"), 0);
    json_decref(root);
    root = report_json(st, 2004, 2008, 0);
    r = find(root, "investigations", "kind", "domestic", NULL, NULL);
    assert_int_equal(num(r, "cases"), 3);
    assert_int_equal(num(r, "offenders"), 4);
    json_decref(root);
    root = report_json(st, 2007, 2007, 0);
    r = find(root, "investigations", "kind", "domestic", NULL, NULL);
    assert_int_equal(num(r, "cases"), 0);
    assert_int_equal(num(r, "offenders"), 0);
    json_decref(root);
    store_close(st);
}

static void test_case_tables(void **state)
{
    struct store *st = build_store();
    json_t *root = report_json(st, 2005, 2008, 0);
    json_t *arr;

    (void)state;
    /* Source: movement internal or out, identified 2005-2008, not
     * not_a_victim. KH-14: S1-S4, S8 (S6 is 2006: also) = 6; KH-2: R3 +
     * A1-A7 = 8 (R4 is not a victim); KH-1: R1 R2 = 2; KH-3: R7 = 1
     * (identified 2008). R5 (2004) and R6 (in) are not counted. */
    assert_int_equal(cases_of(root, "source_provinces", "province",
                              "KH-2"),
                     8);
    assert_int_equal(cases_of(root, "source_provinces", "province",
                              "KH-14"),
                     6);
    assert_int_equal(cases_of(root, "source_provinces", "province",
                              "KH-1"),
                     2);
    assert_int_equal(cases_of(root, "source_provinces", "province",
                              "KH-3"),
                     1);
    arr = json_object_get(root, "source_provinces");
    assert_int_equal(json_array_size(arr), 4);
    assert_string_equal(str(json_array_get(arr, 0), "province"), "KH-2");
    assert_string_equal(str(json_array_get(arr, 0), "name"), "Battambang");
    assert_string_equal(str(json_array_get(arr, 1), "province"), "KH-14");
    assert_string_equal(str(json_array_get(arr, 3), "province"), "KH-3");
    /* Destination provinces: internal S1-S4, S6, S8 and inward R6. */
    assert_int_equal(cases_of(root, "destination_provinces", "province",
                              "KH-12"),
                     7);
    assert_int_equal(json_array_size(json_object_get(
                         root, "destination_provinces")),
                     1);
    /* Destination countries: out only. TH: R1 R2 R3 A1-A7 = 10; MY: R7. */
    assert_int_equal(cases_of(root, "destination_countries", "country",
                              "TH"),
                     10);
    assert_int_equal(cases_of(root, "destination_countries", "country",
                              "MY"),
                     1);
    assert_string_equal(str(json_array_get(json_object_get(
                                               root,
                                               "destination_countries"),
                                           0),
                            "country"),
                        "TH");
    /* Sex and age: A1 A4 A5 child, A2 A3 A6 adult, A7 and R1 R3 unknown;
     * R7 unknown female; R2 R6 S1-S4 S6 S8 unknown female. */
    assert_int_equal(sex_age(root, "male", "child"), 3);
    assert_int_equal(sex_age(root, "male", "adult"), 3);
    assert_int_equal(sex_age(root, "male", "unknown"), 3);
    assert_int_equal(sex_age(root, "female", "unknown"), 9);
    assert_int_equal(sex_age(root, "female", "child"), 0);
    /* Exploitation: sexual S1-S4 S6 S8 and A1 = 7; forced labour A1-A7. */
    assert_int_equal(cases_of(root, "exploitation", "exploitation",
                              "sexual"),
                     7);
    assert_int_equal(cases_of(root, "exploitation", "exploitation",
                              "forced_labour"),
                     7);
    assert_int_equal(num(root, "cases"), 18);
    json_decref(root);
    /* 2008 only: the rescue cases of 2008, A1-A7, R7. */
    root = report_json(st, 2008, 2008, 0);
    assert_int_equal(cases_of(root, "source_provinces", "province",
                              "KH-14"),
                     5);
    assert_int_equal(num(root, "cases"), 13);
    json_decref(root);
    store_close(st);
}

static void test_public(void **state)
{
    struct store *st = build_store();
    json_t *root = report_json(st, 2005, 2008, STATS_K_PUBLIC);
    json_t *r;
    json_t *supp;

    (void)state;
    /* Every count here is under 11: suppressed, the row kept. */
    r = json_array_get(json_object_get(root, "repatriations"), 0);
    assert_non_null(r);
    assert_true(json_is_null(json_object_get(r, "persons")));
    supp = json_object_get(r, "suppressed");
    assert_string_equal(json_string_value(json_array_get(supp, 0)),
                        "persons");
    r = json_array_get(json_object_get(root, "rescues"), 1);
    assert_true(json_is_null(json_object_get(r, "persons")));
    assert_true(json_is_null(
        json_object_get(json_object_get(r, "referred_to"), "family")));
    /* Zeros are shown. */
    assert_int_equal(num(json_object_get(r, "referred_to"), "ngo"), 0);
    assert_int_equal(num(json_object_get(root, "disclosure"), "k"), 11);
    assert_true(num(json_object_get(root, "disclosure"),
                    "suppressed_cells") > 10);
    json_decref(root);
    store_close(st);
}

static void render(struct store *st, int format, struct ctis_buf *b)
{
    struct stats_datasheet ds;
    struct ctis_err err;

    stats_datasheet_init(&ds, 2005, 2008, 0);
    ctis_buf_init(b);
    assert_int_equal(report_gather(st, &ds, &err), 0);
    assert_int_equal(report_render(&ds, format, b, &err), 0);
    stats_datasheet_release(&ds);
}

static void test_text(void **state)
{
    static const char *const sections[] = {
        "Who is being trafficked?",
        "Where do trafficked persons come from",
        "Types of cross-border and internal trafficking",
        "What is the scale of human trafficking",
        "Who is working against human trafficking",
        "How many trafficking victims are rescued and repatriated",
        "What is happening to the traffickers",
        "guiding principles"};
    struct store *st = build_store();
    struct ctis_buf md;
    struct ctis_buf html;
    struct ctis_err err;
    size_t i;

    (void)state;
    render(st, REPORT_MD, &md);
    render(st, REPORT_HTML, &html);
    for (i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        assert_non_null(strstr(md.data, sections[i]));
        assert_non_null(strstr(html.data, sections[i]));
    }
    /* The seed's four corridors always, N/A where nothing is recorded. */
    assert_non_null(strstr(md.data, "Official repatriations from Malaysia "
                                    "to Cambodia"));
    assert_non_null(strstr(md.data, "| 2005 | N/A |"));
    assert_non_null(strstr(md.data, "| 2007 | 1 |"));
    assert_non_null(strstr(html.data, "<td class=\"n\">N/A</td>"));
    assert_non_null(strstr(html.data, "<svg"));
    /* Escaping: no markup from the data survives. */
    assert_null(strstr(html.data, "<script>"));
    assert_non_null(strstr(html.data, "Law &lt;script&gt;alert(1)&lt;/"
                                      "script&gt; &amp; *MOU* | x"));
    assert_null(strstr(md.data, "<script>"));
    assert_non_null(strstr(md.data, "Law \\<script\\>alert(1)\\</script\\> "
                                    "& \\*MOU\\* \\| x"));
    assert_non_null(strstr(html.data, "</html>\n"));
    /* Only the activity overlapping the period counts. */
    assert_non_null(strstr(md.data, "| awareness | 1 | 120 |"));
    ctis_buf_release(&md);
    ctis_buf_release(&html);
    assert_int_equal(report_format_parse("md"), REPORT_MD);
    assert_int_equal(report_format_parse("html"), REPORT_HTML);
    assert_int_equal(report_format_parse("json"), REPORT_JSON);
    assert_int_equal(report_format_parse("pdf"), REPORT_PDF);
    assert_int_equal(report_format_parse("svg"), REPORT_SVG);
    assert_int_equal(report_format_parse("xlsx"), REPORT_XLSX);
    assert_int_equal(report_format_parse("docx"), -1);
    ctis_buf_init(&md);
    assert_int_equal(report_render(NULL, 7, &md, &err), CTIS_EINVAL);
    ctis_buf_release(&md);
    store_close(st);
}

/* Rendering under out of memory: a clean CTIS_ENOMEM and an unchanged
 * buffer at every allocation count. */
static void test_render_oom(void **state)
{
    struct store *st = build_store();
    struct stats_datasheet ds;
    struct ctis_err err;
    int format;

    (void)state;
    stats_datasheet_init(&ds, 2005, 2008, STATS_K_PUBLIC);
    assert_int_equal(report_gather(st, &ds, &err), 0);
    for (format = REPORT_JSON; format <= REPORT_HTML; format++) {
        long n;

        for (n = 0;; n++) {
            struct ctis_buf b;
            int rc;

            ctis_buf_init(&b);
            ctis_alloc_fail_after(n);
            rc = report_render(&ds, format, &b, &err);
            ctis_alloc_fail_reset();
            if (rc == 0) {
                ctis_buf_release(&b);
                break;
            }
            assert_int_equal(rc, CTIS_ENOMEM);
            assert_true(b.len == 0);
            ctis_buf_release(&b);
        }
    }
    stats_datasheet_release(&ds);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repatriations),
        cmocka_unit_test(test_rescues),
        cmocka_unit_test(test_investigations),
        cmocka_unit_test(test_case_tables),
        cmocka_unit_test(test_public),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_render_oom),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
