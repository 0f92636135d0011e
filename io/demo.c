/*
 * demo.c - the synthetic demo data set: agencies, cases, criminal cases,
 * prevention activities and policy instruments consistent with every
 * figure of the UNIAP Cambodia datasheet (shared/seed).
 *
 * Design notes.
 *  1. Deterministic: every random choice comes from one ctis_rng seeded
 *     with the caller's seed, in a fixed order, so the same seed gives the
 *     same records on every machine.
 *  2. The seed's figures hold by construction, whatever the seed; only the
 *     details (names, dates, provinces, sectors) change with it:
 *     - official repatriations (events with official set) per corridor and
 *       year: TH->KH 186 252 160 105, VN->KH 93 113 224 745, MY->KH 19 6 3
 *       18, KH->VN 12 5 8 and none in 2008, each a distinct case whose
 *       identification is in the same year;
 *     - rescues: exactly 854 cases have a rescue event in 2008 and no other
 *       case has a rescue event at all; the first referral on or after the
 *       rescue goes to family (580), an NGO (89) or the ministry (185);
 *       some are later referred on, which must not change the figures;
 *     - criminal cases: 58 domestic with 91 distinct offenders and 43
 *       cross-border with 70, first investigation in 2006-2008; a few
 *       offenders appear in two cases of the same kind, so the distinct
 *       count is not the number of offender slots.
 *  3. No other case carries an official repatriation event. Cases marked
 *     not_a_victim never carry a rescue or an official repatriation, but
 *     they do carry home provinces and destinations, so a table that
 *     forgot to exclude them would show it.
 *  4. Names are drawn from small tables of common Khmer (with Khmer
 *     script), Vietnamese and Chinese names, combined at random: they are
 *     synthetic, never real people.
 *  5. Every record is checked with model_*_validate before it is handed to
 *     the sink; a failure is a bug (CTIS_EINTERNAL).
 */
#include <stdio.h>
#include <string.h>

#include "io.h"

#define FIRST_YEAR 2005
#define N_YEARS 4

/* The four official repatriation tables of the seed. */
static const int repat_th[N_YEARS] = {186, 252, 160, 105};
static const int repat_vn[N_YEARS] = {93, 113, 224, 745};
static const int repat_my[N_YEARS] = {19, 6, 3, 18};
static const int repat_kh_vn[N_YEARS] = {12, 5, 8, 0};

#define RESCUED_2008 854
#define RESCUED_FAMILY 580
#define RESCUED_NGO 89
#define RESCUED_MINISTRY 185

#define CRIM_DOMESTIC 58
#define CRIM_DOMESTIC_OFFENDERS 91
#define CRIM_CROSS 43
#define CRIM_CROSS_OFFENDERS 70

#define N_NGOS 105

struct name {
    const char *latin;
    const char *khmer;
};

static const struct name kh_family[] = {
    {"Sok", "សុខ"}, {"Chan", "ចាន់"}, {"Kim", "គីម"}, {"Heng", "ហេង"},
    {"Meas", "មាស"}, {"Ly", "លី"}, {"Chea", "ជា"}, {"Keo", "កែវ"},
    {"Phan", "ផាន"}, {"Sam", "សំ"}, {"Pich", "ពេជ្រ"}, {"Prak", "ប្រាក់"},
    {"Som", "សោម"}, {"Touch", "ទូច"}, {"Mao", "ម៉ៅ"}, {"Seng", "សេង"},
    {"Ouk", "អ៊ុក"}, {"Nget", "ង៉ែត"}, {"Chhim", "ឈិម"}, {"Long", "ឡុង"},
};

static const struct name kh_female[] = {
    {"Sophea", "សុភា"}, {"Chenda", "ចិន្តា"}, {"Bopha", "បុប្ផា"},
    {"Sreymom", "ស្រីមុំ"}, {"Channary", "ចន្ទនារី"}, {"Dalin", "ដាលីន"},
    {"Kanha", "កញ្ញា"}, {"Phalla", "ផល្លា"}, {"Raksmey", "រស្មី"},
    {"Thida", "ធីតា"}, {"Sreyneang", "ស្រីនាង"}, {"Malis", "ម្លិះ"},
};

static const struct name kh_male[] = {
    {"Dara", "ដារ៉ា"}, {"Sovann", "សុវណ្ណ"}, {"Visal", "វិសាល"},
    {"Kosal", "កុសល"}, {"Sambath", "សម្បត្តិ"}, {"Rithy", "រិទ្ធី"},
    {"Vibol", "វិបុល"}, {"Piseth", "ពិសិដ្ឋ"}, {"Veasna", "វាសនា"},
    {"Chantha", "ចន្ថា"}, {"Bunthoeun", "ប៊ុនធឿន"}, {"Vannak", "វណ្ណៈ"},
};

static const char *const vn_family[] = {"Nguyễn", "Trần", "Lê", "Phạm",
                                        "Hoàng", "Võ", "Đặng", "Bùi"};
static const char *const vn_female[] = {"Thị Lan", "Thị Hoa", "Thị Mai",
                                        "Thị Hương", "Thị Thu", "Ngọc Anh"};
static const char *const vn_male[] = {"Văn Nam", "Văn Hùng", "Minh Tuấn",
                                      "Đức Anh"};
static const char *const cn_family[] = {"Wang", "Li", "Zhang", "Liu",
                                        "Chen"};
static const char *const cn_female[] = {"Mei", "Fang", "Li Na",
                                        "Xiu Ying"};
static const char *const cn_male[] = {"Wei", "Jun", "Hao"};
static const char *const eu_family[] = {"Ivanova", "Petrova", "Kovalenko"};
static const char *const eu_female[] = {"Olga", "Natalia", "Irina"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A weighted choice of a province number (KH-n) or a small integer. */
struct weighted {
    int value;
    int weight;
};

/* Border provinces the children repatriated from Thailand come from. */
static const struct weighted th_border[] = {
    {1, 35}, {2, 20}, {22, 15}, {24, 10}, {9, 5}, {15, 5}, {13, 5}, {17, 5},
};
/* Border provinces the children repatriated from Vietnam come from. */
static const struct weighted vn_border[] = {
    {20, 35}, {14, 25}, {21, 15}, {7, 10}, {8, 5}, {25, 5}, {23, 5},
};
/* Source provinces of domestic trafficking (the first six most common). */
static const struct weighted domestic_source[] = {
    {3, 18}, {14, 17}, {8, 14}, {21, 13}, {2, 11}, {12, 10}, {5, 3},
    {4, 3}, {6, 3}, {15, 2}, {17, 2}, {10, 1}, {7, 1}, {20, 1}, {25, 1},
};
/* Provinces migrants to Malaysia and further abroad come from. */
static const struct weighted abroad_source[] = {
    {3, 15}, {14, 15}, {12, 12}, {5, 10}, {4, 10}, {8, 10}, {21, 8},
    {6, 7}, {2, 7}, {25, 6},
};

/* Internal destinations and the exploitation the seed names for each. */
struct destination {
    int province;
    const char *city;
    int weight;
    int kinds[4];  /* exploitation kinds, see enum below; 0 ends */
};

enum { K_END, K_SEXUAL, K_BEGGING, K_DOMESTIC, K_LABOUR, K_FISHING,
       K_CONSTRUCTION };

static const struct destination destinations[] = {
    {12, "Phnom Penh", 38, {K_SEXUAL, K_BEGGING, K_DOMESTIC, K_LABOUR}},
    {9, "Koh Kong", 10, {K_FISHING, K_CONSTRUCTION, K_SEXUAL, K_END}},
    {18, "Sihanoukville", 12, {K_BEGGING, K_SEXUAL, K_END, K_END}},
    {17, "Siem Reap", 18, {K_SEXUAL, K_BEGGING, K_DOMESTIC, K_CONSTRUCTION}},
    {1, "Poipet", 12, {K_BEGGING, K_SEXUAL, K_END, K_END}},
    {2, "Battambang", 10, {K_SEXUAL, K_END, K_END, K_END}},
};

/* A pool of case numbers a criminal case can name as victims. */
struct pool {
    int *num;
    int *date;
    size_t len;
    size_t cap;
};

struct gen {
    struct ctis_rng rng;
    const struct io_demo_sink *sink;
    struct ctis_err *err;
    struct model_case c;
    int next_case;
    struct pool domestic;   /* internal victims */
    struct pool cross;      /* cross-border victims */
};

static int below(struct gen *g, int n)
{
    return (int)ctis_rng_below(&g->rng, (uint64_t)n);
}

static int range(struct gen *g, int lo, int hi)
{
    return lo + below(g, hi - lo + 1);
}

static int chance(struct gen *g, int percent)
{
    return below(g, 100) < percent;
}

static int pick(struct gen *g, const struct weighted *w, size_t n)
{
    int total = 0;
    int x;
    size_t i;

    for (i = 0; i < n; i++) {
        total += w[i].weight;
    }
    x = below(g, total);
    for (i = 0; i < n; i++) {
        if (x < w[i].weight) {
            return w[i].value;
        }
        x -= w[i].weight;
    }
    return w[n - 1].value;
}

static int add_days(int date, long days)
{
    return ctis_date_from_days(ctis_date_days(date) + days);
}

/* A day of the year: January 1 plus lo..hi days. */
static int day_of(struct gen *g, int year, int lo, int hi)
{
    return add_days(year * 10000 + 101, range(g, lo, hi));
}

static int pool_add(struct pool *p, int num, int date)
{
    if (p->len == p->cap) {
        size_t cap = p->cap > 0 ? p->cap * 2 : 256;
        int *n = ctis_realloc(p->num, cap * sizeof *n);
        int *d;

        if (n == NULL) {
            return CTIS_ENOMEM;
        }
        p->num = n;
        d = ctis_realloc(p->date, cap * sizeof *d);
        if (d == NULL) {
            return CTIS_ENOMEM;
        }
        p->date = d;
        p->cap = cap;
    }
    p->num[p->len] = num;
    p->date[p->len] = date;
    p->len++;
    return 0;
}

static void pool_release(struct pool *p)
{
    ctis_free(p->num);
    ctis_free(p->date);
    memset(p, 0, sizeof *p);
}

/* ---- cases ------------------------------------------------------------ */

/* Start a new case owned by agency; ts_possible is the percentage of
 * cases left as possible (the rest are actual). */
static void case_start(struct gen *g, const char *agency, int ts_possible)
{
    struct model_case *c = &g->c;

    model_case_release(c);
    g->next_case++;
    snprintf(c->id, sizeof c->id, "C-%06d", g->next_case);
    ctis_strlcpy(c->agency, agency, sizeof c->agency);
    c->trafficking_status =
        chance(g, ts_possible) ? MODEL_TS_POSSIBLE : MODEL_TS_ACTUAL;
}

static void set_name(char *dst, const char *src)
{
    ctis_strlcpy(dst, src, MODEL_NAME_MAX);
}

/* The person: synthetic names for the citizenship, sex, home province
 * (0: none) and a birth recorded as a date, a year, a stated age or not
 * at all, consistent with an age of `age` years at ident. */
static void person_set(struct gen *g, int sex, int age, int ident,
                       const char *citizenship, int province)
{
    struct model_person *p = &g->c.person;
    int female = sex == MODEL_SEX_FEMALE;
    int mode;

    if (strcmp(citizenship, "KH") == 0) {
        const struct name *fam = &kh_family[below(g, COUNT(kh_family))];
        const struct name *giv =
            female ? &kh_female[below(g, COUNT(kh_female))]
                   : &kh_male[below(g, COUNT(kh_male))];

        set_name(p->family_name, fam->latin);
        set_name(p->family_name_km, fam->khmer);
        set_name(p->given_name, giv->latin);
        set_name(p->given_name_km, giv->khmer);
    } else if (strcmp(citizenship, "VN") == 0) {
        set_name(p->family_name, vn_family[below(g, COUNT(vn_family))]);
        set_name(p->given_name,
                 female ? vn_female[below(g, COUNT(vn_female))]
                        : vn_male[below(g, COUNT(vn_male))]);
    } else if (strcmp(citizenship, "CN") == 0) {
        set_name(p->family_name, cn_family[below(g, COUNT(cn_family))]);
        set_name(p->given_name,
                 female ? cn_female[below(g, COUNT(cn_female))]
                        : cn_male[below(g, COUNT(cn_male))]);
    } else {
        set_name(p->family_name, eu_family[below(g, COUNT(eu_family))]);
        set_name(p->given_name, eu_female[below(g, COUNT(eu_female))]);
    }
    p->sex = sex;
    ctis_strlcpy(p->citizenship, citizenship, sizeof p->citizenship);
    if (province > 0) {
        ctis_strlcpy(p->home_province, model_province_at(province)->code,
                     sizeof p->home_province);
    }
    mode = below(g, 100);
    if (mode < 40) {
        long days = ctis_date_days(ident) - (long)age * 365 - age / 4 -
                    range(g, 1, 360);

        p->birth_date = ctis_date_from_days(days);
        p->birth_year = p->birth_date / 10000;
    } else if (mode < 70) {
        p->birth_year = ident / 10000 - age;
    } else if (mode < 96) {
        p->age = age;
    }
}

static int add_event(struct gen *g, int type, int date)
{
    struct model_event e;

    memset(&e, 0, sizeof e);
    e.type = type;
    e.date = date;
    return model_case_add_event(&g->c, &e);
}

static int add_referral(struct gen *g, int to, int date)
{
    struct model_event e;

    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_REFERRAL;
    e.date = date;
    e.referral = to;
    return model_case_add_event(&g->c, &e);
}

static int add_service(struct gen *g, int service, int date)
{
    struct model_event e;

    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_SERVICE;
    e.date = date;
    e.service = service;
    return model_case_add_event(&g->c, &e);
}

static int add_repatriation(struct gen *g, const char *from, const char *to,
                            int official, int date)
{
    struct model_event e;

    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_REPATRIATION;
    e.date = date;
    e.official = official;
    ctis_strlcpy(e.from_country, from, sizeof e.from_country);
    ctis_strlcpy(e.to_country, to, sizeof e.to_country);
    return model_case_add_event(&g->c, &e);
}

/* A few services after date, then follow-up; sets the case status. */
static int add_aftercare(struct gen *g, int date, int family_referral)
{
    static const int services[] = {MODEL_SVC_MEDICAL, MODEL_SVC_PSYCHOSOCIAL,
                                   MODEL_SVC_LEGAL, MODEL_SVC_EDUCATION,
                                   MODEL_SVC_VOCATIONAL, MODEL_SVC_SHELTER};
    int n = range(g, 0, 3);
    int rc = 0;
    int i;
    int d = date;

    for (i = 0; i < n && rc == 0; i++) {
        d = add_days(d, range(g, 1, 20));
        rc = add_service(g, services[below(g, COUNT(services))], d);
    }
    if (rc == 0 && chance(g, 70)) {
        d = add_days(d, range(g, 5, 30));
        rc = add_event(g, MODEL_EV_FAMILY_TRACING, d);
        if (rc == 0) {
            d = add_days(d, range(g, 3, 20));
            rc = add_event(g, MODEL_EV_FAMILY_ASSESSMENT, d);
        }
        if (rc == 0 && family_referral) {
            rc = add_referral(g, MODEL_REF_FAMILY, add_days(d, 1));
        }
        if (rc == 0 && chance(g, 80)) {
            d = add_days(d, range(g, 10, 60));
            rc = add_event(g, MODEL_EV_REINTEGRATION, d);
            if (rc == 0 && chance(g, 60)) {
                d = add_days(d, range(g, 60, 120));
                rc = add_event(g, MODEL_EV_MONITORING_VISIT, d);
            }
            if (rc == 0 && chance(g, 50)) {
                d = add_days(d, range(g, 30, 200));
                rc = add_event(g, MODEL_EV_CLOSURE, d);
                g->c.status = MODEL_CS_CLOSED;
            } else {
                g->c.status = MODEL_CS_FOLLOW_UP;
            }
        }
    }
    return rc;
}

/* Validate the case and hand it to the sink. */
static int case_emit(struct gen *g)
{
    struct model_problems probs;
    int rc;

    model_case_sort_events(&g->c);
    model_problems_clear(&probs);
    if (model_case_validate(&g->c, &probs) != 0) {
        return ctis_err_set(g->err, CTIS_EINTERNAL,
                            "demo case '%s' is invalid: field '%s': %s",
                            g->c.id, probs.items[0].path,
                            probs.items[0].msg);
    }
    rc = g->sink->kase != NULL ? g->sink->kase(g->sink->ctx, &g->c) : 0;
    if (rc != 0 && g->err != NULL && g->err->code == 0) {
        ctis_err_set(g->err, rc < 0 ? rc : CTIS_EINVAL,
                     "demo sink refused case '%s'", g->c.id);
    }
    return rc;
}

static void set_exploitation(struct model_case *c, int kind)
{
    switch (kind) {
    case K_SEXUAL:
        c->exploitation = MODEL_EXP_SEXUAL;
        c->labour_sector = MODEL_SECTOR_NONE;
        break;
    case K_BEGGING:
        c->exploitation = MODEL_EXP_FORCED_LABOUR;
        c->labour_sector = MODEL_SECTOR_BEGGING;
        break;
    case K_DOMESTIC:
        c->exploitation = MODEL_EXP_FORCED_LABOUR;
        c->labour_sector = MODEL_SECTOR_DOMESTIC_WORK;
        break;
    case K_FISHING:
        c->exploitation = MODEL_EXP_FORCED_LABOUR;
        c->labour_sector = MODEL_SECTOR_FISHING;
        break;
    case K_CONSTRUCTION:
        c->exploitation = MODEL_EXP_FORCED_LABOUR;
        c->labour_sector = MODEL_SECTOR_CONSTRUCTION;
        break;
    default:
        c->exploitation = MODEL_EXP_FORCED_LABOUR;
        c->labour_sector = MODEL_SECTOR_FACTORY;
        break;
    }
}

static unsigned pick_means(struct gen *g)
{
    static const unsigned means[] = {
        MODEL_MEANS_DECEPTION, MODEL_MEANS_FRAUD, MODEL_MEANS_DEBT_BONDAGE,
        MODEL_MEANS_THREATS, MODEL_MEANS_FORCE, MODEL_MEANS_PAYMENTS,
        MODEL_MEANS_ABUSE_OF_POWER, MODEL_MEANS_WITHHOLDING_DOCUMENTS};
    unsigned m = MODEL_MEANS_DECEPTION;
    int n = range(g, 0, 2);
    int i;

    for (i = 0; i < n; i++) {
        m |= means[below(g, COUNT(means))];
    }
    return m;
}

static int pick_relation(struct gen *g)
{
    static const struct weighted rel[] = {
        {MODEL_REL_ACQUAINTANCE, 30}, {MODEL_REL_FAMILY, 20},
        {MODEL_REL_STRANGER, 20}, {MODEL_REL_FRIEND, 10},
        {MODEL_REL_EMPLOYER, 10}, {MODEL_REL_UNKNOWN, 10}};

    return pick(g, rel, COUNT(rel));
}

/* An internal trafficking case as the seed describes it: from a source
 * province to an urban destination, with the exploitation named for that
 * destination; the person's sex and age follow the exploitation. */
static void internal_profile(struct gen *g, int ident)
{
    struct model_case *c = &g->c;
    const struct destination *d;
    int total = 0;
    int x;
    int nk = 0;
    int kind;
    int src;
    int sex;
    int age;
    size_t i;

    for (i = 0; i < COUNT(destinations); i++) {
        total += destinations[i].weight;
    }
    x = below(g, total);
    for (i = 0; i + 1 < COUNT(destinations); i++) {
        if (x < destinations[i].weight) {
            break;
        }
        x -= destinations[i].weight;
    }
    d = &destinations[i];
    while (nk < 4 && d->kinds[nk] != K_END) {
        nk++;
    }
    /* Sexual exploitation predominates wherever the seed names it. */
    kind = d->kinds[0];
    if (nk > 1 && !chance(g, 45)) {
        kind = d->kinds[range(g, 1, nk - 1)];
    }
    do {
        src = pick(g, domestic_source, COUNT(domestic_source));
    } while (src == d->province && src != 12);
    switch (kind) {
    case K_SEXUAL:
        sex = MODEL_SEX_FEMALE;
        age = chance(g, 25) ? range(g, 13, 17) : range(g, 18, 30);
        break;
    case K_BEGGING:
        sex = chance(g, 50) ? MODEL_SEX_FEMALE : MODEL_SEX_MALE;
        age = range(g, 6, 15);
        break;
    case K_DOMESTIC:
        sex = chance(g, 85) ? MODEL_SEX_FEMALE : MODEL_SEX_MALE;
        age = chance(g, 50) ? range(g, 12, 17) : range(g, 18, 35);
        break;
    default:
        sex = chance(g, 80) ? MODEL_SEX_MALE : MODEL_SEX_FEMALE;
        age = chance(g, 10) ? range(g, 15, 17) : range(g, 18, 40);
        break;
    }
    set_exploitation(c, kind);
    c->movement = MODEL_MOV_INTERNAL;
    ctis_strlcpy(c->destination_country, "KH", sizeof c->destination_country);
    ctis_strlcpy(c->destination_province, model_province_at(d->province)->code,
                 sizeof c->destination_province);
    ctis_strlcpy(c->destination_city, d->city, sizeof c->destination_city);
    c->means = pick_means(g);
    c->recruiter_relationship = pick_relation(g);
    person_set(g, sex, age, ident, "KH", src);
}

/* Vietnamese (or Chinese) women and children brought into Cambodia for
 * sexual exploitation. */
static void inbound_profile(struct gen *g, int ident, const char *from)
{
    static const struct weighted dest[] = {{12, 50}, {17, 15}, {18, 15},
                                           {1, 10}, {2, 10}};
    struct model_case *c = &g->c;
    int prov = pick(g, dest, COUNT(dest));
    int age = chance(g, 30) ? range(g, 13, 17) : range(g, 18, 30);

    c->movement = MODEL_MOV_CROSS_BORDER_IN;
    c->exploitation = MODEL_EXP_SEXUAL;
    ctis_strlcpy(c->destination_country, "KH", sizeof c->destination_country);
    ctis_strlcpy(c->destination_province, model_province_at(prov)->code,
                 sizeof c->destination_province);
    c->means = pick_means(g);
    c->recruiter_relationship = pick_relation(g);
    person_set(g, MODEL_SEX_FEMALE, age, ident, from, 0);
}

static const char *const child_agencies[] = {"GOV-MOSVY", "GOV-MOSVY",
                                             "GOV-MOSVY", "UN-IOM"};

/* Officially repatriated to Cambodia from Thailand or Vietnam: almost all
 * children in begging or street selling from the border provinces. */
static int gen_repat_children(struct gen *g, const char *from, int year,
                              int count)
{
    int i;
    int rc = 0;
    int th = strcmp(from, "TH") == 0;

    for (i = 0; i < count && rc == 0; i++) {
        struct model_case *c = &g->c;
        int ident = day_of(g, year, 0, 270);
        int repat = add_days(ident, range(g, 14, 90));
        int prov = th ? pick(g, th_border, COUNT(th_border))
                      : pick(g, vn_border, COUNT(vn_border));
        int sex = chance(g, 55) ? MODEL_SEX_MALE : MODEL_SEX_FEMALE;

        case_start(g, child_agencies[below(g, COUNT(child_agencies))], 5);
        c->movement = MODEL_MOV_CROSS_BORDER_OUT;
        ctis_strlcpy(c->destination_country, from,
                     sizeof c->destination_country);
        ctis_strlcpy(c->destination_city, th ? "Bangkok" : "Ho Chi Minh City",
                     sizeof c->destination_city);
        c->recruiter_relationship = pick_relation(g);
        c->means = pick_means(g);
        if (chance(g, 95)) {
            set_exploitation(c, K_BEGGING);
            if (chance(g, 40)) {
                c->labour_sector = MODEL_SECTOR_STREET_SELLING;
            }
            person_set(g, sex, range(g, 5, 16), ident, "KH", prov);
        } else {
            int k = chance(g, 50) ? K_DOMESTIC : K_SEXUAL;

            set_exploitation(c, k);
            person_set(g, MODEL_SEX_FEMALE, range(g, 18, 30), ident, "KH",
                       prov);
        }
        rc = add_event(g, MODEL_EV_IDENTIFICATION, ident);
        if (rc == 0) {
            rc = add_event(g, MODEL_EV_SHELTER_ADMISSION,
                           add_days(ident, range(g, 0, 5)));
        }
        if (rc == 0) {
            rc = add_repatriation(g, from, "KH", 1, repat);
        }
        if (rc == 0) {
            rc = add_aftercare(g, repat, 1);
        }
        if (rc == 0) {
            rc = case_emit(g);
        }
        if (rc == 0 && year >= 2006 && c->trafficking_status ==
                                           MODEL_TS_ACTUAL) {
            rc = pool_add(&g->cross, g->next_case, ident);
        }
    }
    return rc;
}

/* Officially repatriated from Malaysia: all women, sexual exploitation. */
static int gen_repat_malaysia(struct gen *g, int year, int count)
{
    int i;
    int rc = 0;

    for (i = 0; i < count && rc == 0; i++) {
        struct model_case *c = &g->c;
        int ident = day_of(g, year, 0, 250);
        int repat = add_days(ident, range(g, 20, 100));
        int prov;
        int age;

        case_start(g, chance(g, 50) ? "GOV-MOSVY" : "UN-IOM", 5);
        c->movement = MODEL_MOV_CROSS_BORDER_OUT;
        ctis_strlcpy(c->destination_country, "MY",
                     sizeof c->destination_country);
        ctis_strlcpy(c->destination_city, "Kuala Lumpur",
                     sizeof c->destination_city);
        set_exploitation(c, K_SEXUAL);
        c->means = pick_means(g) | MODEL_MEANS_WITHHOLDING_DOCUMENTS;
        c->recruiter_relationship = pick_relation(g);
        /* one draw a statement: the order of a call's arguments is the
         * compiler's, and the demo must not depend on it */
        prov = pick(g, abroad_source, COUNT(abroad_source));
        age = range(g, 18, 32);
        person_set(g, MODEL_SEX_FEMALE, age, ident, "KH", prov);
        rc = add_event(g, MODEL_EV_IDENTIFICATION, ident);
        if (rc == 0) {
            rc = add_repatriation(g, "MY", "KH", 1, repat);
        }
        if (rc == 0) {
            rc = add_aftercare(g, repat, 1);
        }
        if (rc == 0) {
            rc = case_emit(g);
        }
        if (rc == 0 && year >= 2006 && c->trafficking_status ==
                                           MODEL_TS_ACTUAL) {
            rc = pool_add(&g->cross, g->next_case, ident);
        }
    }
    return rc;
}

/* Vietnamese women officially repatriated from Cambodia to Vietnam. */
static int gen_repat_vietnamese(struct gen *g, int year, int count)
{
    int i;
    int rc = 0;

    for (i = 0; i < count && rc == 0; i++) {
        int ident = day_of(g, year, 0, 250);
        int repat = add_days(ident, range(g, 20, 100));

        case_start(g, "GOV-MOSVY", 5);
        inbound_profile(g, ident, "VN");
        /* All of them women: no children among these. */
        if (g->c.person.age >= 0 && g->c.person.age < 18) {
            g->c.person.age = 19;
        }
        if (g->c.person.birth_year != 0 &&
            ident / 10000 - g->c.person.birth_year < 19) {
            g->c.person.birth_year = ident / 10000 - 19;
            g->c.person.birth_date = 0;
        }
        rc = add_event(g, MODEL_EV_IDENTIFICATION, ident);
        if (rc == 0) {
            rc = add_event(g, MODEL_EV_SHELTER_ADMISSION, ident);
        }
        if (rc == 0) {
            rc = add_repatriation(g, "KH", "VN", 1, repat);
        }
        if (rc == 0) {
            g->c.status = MODEL_CS_CLOSED_REFERRED;
            rc = case_emit(g);
        }
    }
    return rc;
}

/* Fisher-Yates shuffle of n ints. */
static void shuffle(struct gen *g, int *a, int n)
{
    int i;

    for (i = n - 1; i > 0; i--) {
        int j = below(g, i + 1);
        int t = a[i];

        a[i] = a[j];
        a[j] = t;
    }
}

/* The 854 persons rescued in 2008, each with its first referral after the
 * rescue to family, an NGO or the ministry. */
static int gen_rescued(struct gen *g)
{
    static const char *const agencies[] = {"GOV-AHTJP", "GOV-AHTJP",
                                           "GOV-AHTJP", "NGO-001", "NGO-002",
                                           "NGO-003", "NGO-004"};
    int to[RESCUED_2008];
    int i;
    int rc = 0;

    for (i = 0; i < RESCUED_2008; i++) {
        to[i] = i < RESCUED_FAMILY ? MODEL_REF_FAMILY
                : i < RESCUED_FAMILY + RESCUED_NGO ? MODEL_REF_NGO
                                                   : MODEL_REF_MINISTRY;
    }
    shuffle(g, to, RESCUED_2008);
    for (i = 0; i < RESCUED_2008 && rc == 0; i++) {
        struct model_case *c = &g->c;
        int rescue = day_of(g, 2008, 0, 364);
        int ref = add_days(rescue, range(g, 0, 10));
        int inbound = to[i] != MODEL_REF_FAMILY && chance(g, 40);

        case_start(g, agencies[below(g, COUNT(agencies))], 5);
        if (inbound) {
            inbound_profile(g, rescue, chance(g, 90) ? "VN" : "CN");
        } else {
            internal_profile(g, rescue);
        }
        rc = add_event(g, MODEL_EV_IDENTIFICATION, rescue);
        if (rc == 0) {
            rc = add_event(g, MODEL_EV_RESCUE, rescue);
        }
        if (rc == 0) {
            rc = add_referral(g, to[i], ref);
        }
        if (rc == 0 && to[i] != MODEL_REF_FAMILY && !inbound &&
            chance(g, 50)) {
            /* Later sent home after rehabilitation: not the first
             * referral, so it must not move the case in the figures. */
            rc = add_event(g, MODEL_EV_SHELTER_ADMISSION, ref);
            if (rc == 0) {
                rc = add_aftercare(g, ref, 1);
            }
        } else if (rc == 0) {
            rc = add_aftercare(g, ref, 0);
        }
        if (rc == 0) {
            rc = case_emit(g);
        }
        if (rc == 0 && c->trafficking_status == MODEL_TS_ACTUAL) {
            rc = pool_add(inbound ? &g->cross : &g->domestic, g->next_case,
                          rescue);
        }
    }
    return rc;
}

static const char *ngo_id(char out[16], int n)
{
    snprintf(out, 16, "NGO-%03d", n);
    return out;
}

/* Internal trafficking identified without a rescue (referred by
 * communities, self-reported, found by outreach). */
static int gen_internal(struct gen *g, int year, int count)
{
    int i;
    int rc = 0;
    char ngo[16];

    for (i = 0; i < count && rc == 0; i++) {
        int ident = day_of(g, year, 0, 364);

        case_start(g, ngo_id(ngo, range(g, 1, N_NGOS)), 12);
        internal_profile(g, ident);
        rc = add_event(g, MODEL_EV_IDENTIFICATION, ident);
        if (rc == 0 && chance(g, 60)) {
            rc = add_event(g, MODEL_EV_SHELTER_ADMISSION,
                           add_days(ident, range(g, 0, 3)));
        }
        if (rc == 0) {
            rc = add_aftercare(g, ident, chance(g, 50));
        }
        if (rc == 0) {
            rc = case_emit(g);
        }
        if (rc == 0 && year >= 2006 &&
            g->c.trafficking_status == MODEL_TS_ACTUAL) {
            rc = pool_add(&g->domestic, g->next_case, ident);
        }
    }
    return rc;
}

/* One kind of cross-border case outside the official tables. */
struct abroad {
    const char *country;   /* destination (out) or origin (in, transit) */
    int movement;
    int kind;              /* K_* or K_END for a special kind */
    unsigned special;      /* exploitation when kind is K_END */
    int sex;
    int age_lo;
    int age_hi;
    int counts[N_YEARS];
    int not_a_victim;      /* screened out: counts as not_a_victim */
};

static const struct abroad abroad[] = {
    /* Men to Thailand for fishing: rising complaints to NGOs. */
    {"TH", MODEL_MOV_CROSS_BORDER_OUT, K_FISHING, 0, MODEL_SEX_MALE, 18, 45,
     {5, 12, 25, 40}, 0},
    {"TH", MODEL_MOV_CROSS_BORDER_OUT, K_DOMESTIC, 0, MODEL_SEX_FEMALE, 18,
     35, {3, 4, 5, 6}, 0},
    {"TH", MODEL_MOV_CROSS_BORDER_OUT, K_SEXUAL, 0, MODEL_SEX_FEMALE, 18, 30,
     {3, 4, 4, 5}, 0},
    /* Vietnam: children for begging, outside official repatriation. */
    {"VN", MODEL_MOV_CROSS_BORDER_OUT, K_BEGGING, 0, MODEL_SEX_UNKNOWN, 6, 14,
     {4, 5, 6, 8}, 0},
    /* Malaysia: men, women and children; sex, factory, construction,
     * domestic work. */
    {"MY", MODEL_MOV_CROSS_BORDER_OUT, K_LABOUR, 0, MODEL_SEX_MALE, 18, 40,
     {3, 4, 5, 6}, 0},
    {"MY", MODEL_MOV_CROSS_BORDER_OUT, K_CONSTRUCTION, 0, MODEL_SEX_MALE, 18,
     40, {2, 3, 4, 5}, 0},
    {"MY", MODEL_MOV_CROSS_BORDER_OUT, K_DOMESTIC, 0, MODEL_SEX_FEMALE, 16,
     35, {4, 6, 8, 10}, 0},
    /* Further abroad. */
    {"SA", MODEL_MOV_CROSS_BORDER_OUT, K_DOMESTIC, 0, MODEL_SEX_FEMALE, 20,
     40, {2, 3, 5, 6}, 0},
    {"TW", MODEL_MOV_CROSS_BORDER_OUT, K_END, MODEL_EXP_FORCED_MARRIAGE,
     MODEL_SEX_FEMALE, 18, 28, {8, 6, 5, 4}, 0},
    {"KR", MODEL_MOV_CROSS_BORDER_OUT, K_END, MODEL_EXP_FORCED_MARRIAGE,
     MODEL_SEX_FEMALE, 18, 28, {3, 5, 8, 10}, 0},
    {"US", MODEL_MOV_CROSS_BORDER_OUT, K_END, MODEL_EXP_ILLEGAL_ADOPTION,
     MODEL_SEX_UNKNOWN, 0, 2, {2, 1, 1, 0}, 0},
    {"SO", MODEL_MOV_CROSS_BORDER_OUT, K_FISHING, 0, MODEL_SEX_MALE, 18, 40,
     {0, 0, 2, 6}, 0},
    /* Into Cambodia from Vietnam, China and Eastern Europe. */
    {"VN", MODEL_MOV_CROSS_BORDER_IN, K_SEXUAL, 0, MODEL_SEX_FEMALE, 14, 28,
     {15, 15, 20, 20}, 0},
    {"CN", MODEL_MOV_CROSS_BORDER_IN, K_SEXUAL, 0, MODEL_SEX_FEMALE, 18, 28,
     {2, 3, 3, 4}, 0},
    {"RU", MODEL_MOV_CROSS_BORDER_IN, K_SEXUAL, 0, MODEL_SEX_FEMALE, 19, 28,
     {1, 0, 1, 1}, 0},
    /* Vietnamese and Chinese through Cambodia to further abroad. */
    {"VN", MODEL_MOV_TRANSIT, K_SEXUAL, 0, MODEL_SEX_FEMALE, 18, 28,
     {2, 2, 3, 3}, 0},
    {"CN", MODEL_MOV_TRANSIT, K_LABOUR, 0, MODEL_SEX_MALE, 20, 35,
     {1, 1, 2, 2}, 0},
    /* Migrants deported from Thailand and screened: not victims. */
    {"TH", MODEL_MOV_CROSS_BORDER_OUT, K_CONSTRUCTION, 0, MODEL_SEX_MALE, 18,
     40, {6, 8, 10, 9}, 1},
    {"MY", MODEL_MOV_CROSS_BORDER_OUT, K_LABOUR, 0, MODEL_SEX_FEMALE, 18, 35,
     {2, 2, 3, 3}, 1},
};

static int gen_abroad_one(struct gen *g, const struct abroad *a, int year)
{
    struct model_case *c = &g->c;
    int ident = day_of(g, year, 0, 300);
    int sex = a->sex;
    int out = a->movement == MODEL_MOV_CROSS_BORDER_OUT;
    char ngo[16];
    int rc;

    case_start(g, ngo_id(ngo, range(g, 1, N_NGOS)), 15);
    if (a->not_a_victim) {
        c->trafficking_status = MODEL_TS_NOT_A_VICTIM;
    }
    if (sex == MODEL_SEX_UNKNOWN) {
        sex = chance(g, 50) ? MODEL_SEX_FEMALE : MODEL_SEX_MALE;
    }
    if (a->kind != K_END) {
        set_exploitation(c, a->kind);
    } else {
        c->exploitation = a->special;
    }
    c->movement = a->movement;
    c->means = pick_means(g);
    c->recruiter_relationship = pick_relation(g);
    if (out) {
        int prov = pick(g, abroad_source, COUNT(abroad_source));
        int age = range(g, a->age_lo, a->age_hi);

        ctis_strlcpy(c->destination_country, a->country,
                     sizeof c->destination_country);
        person_set(g, sex, age, ident, "KH", prov);
    } else if (a->movement == MODEL_MOV_CROSS_BORDER_IN) {
        static const struct weighted dest[] = {{12, 60}, {17, 15}, {18, 15},
                                               {9, 10}};

        ctis_strlcpy(c->destination_country, "KH",
                     sizeof c->destination_country);
        ctis_strlcpy(c->destination_province,
                     model_province_at(pick(g, dest, COUNT(dest)))->code,
                     sizeof c->destination_province);
        person_set(g, sex, range(g, a->age_lo, a->age_hi), ident,
                   a->country, 0);
    } else {
        ctis_strlcpy(c->destination_country, chance(g, 50) ? "MY" : "TH",
                     sizeof c->destination_country);
        person_set(g, sex, range(g, a->age_lo, a->age_hi), ident,
                   a->country, 0);
    }
    rc = add_event(g, MODEL_EV_IDENTIFICATION, ident);
    if (rc == 0 && out && chance(g, 70)) {
        /* Came home outside the government-to-government channel. */
        rc = add_repatriation(g, a->country, "KH", 0,
                              add_days(ident, range(g, 7, 60)));
    }
    if (rc == 0 && !a->not_a_victim) {
        rc = add_aftercare(g, add_days(ident, 60), out && chance(g, 50));
    } else if (rc == 0) {
        rc = add_event(g, MODEL_EV_CLOSURE, add_days(ident, range(g, 1, 30)));
        c->status = MODEL_CS_CLOSED;
    }
    if (rc == 0) {
        rc = case_emit(g);
    }
    if (rc == 0 && year >= 2006 && c->trafficking_status == MODEL_TS_ACTUAL) {
        rc = pool_add(&g->cross, g->next_case, ident);
    }
    return rc;
}

static int gen_cases(struct gen *g)
{
    static const int internal[N_YEARS] = {120, 140, 160, 100};
    int rc = 0;
    int y;
    size_t i;

    for (y = 0; y < N_YEARS && rc == 0; y++) {
        int year = FIRST_YEAR + y;

        rc = gen_repat_children(g, "TH", year, repat_th[y]);
        if (rc == 0) {
            rc = gen_repat_children(g, "VN", year, repat_vn[y]);
        }
        if (rc == 0) {
            rc = gen_repat_malaysia(g, year, repat_my[y]);
        }
        if (rc == 0) {
            rc = gen_repat_vietnamese(g, year, repat_kh_vn[y]);
        }
        if (rc == 0) {
            rc = gen_internal(g, year, internal[y]);
        }
        for (i = 0; i < COUNT(abroad) && rc == 0; i++) {
            int n;

            for (n = 0; n < abroad[i].counts[y] && rc == 0; n++) {
                rc = gen_abroad_one(g, &abroad[i], year);
            }
        }
    }
    if (rc == 0) {
        rc = gen_rescued(g);
    }
    return rc;
}

/* ---- criminal cases ----------------------------------------------------- */

/* The offender numbers of each criminal case of one kind: every case gets
 * one new offender, the rest of the distinct offenders go to random cases,
 * and `shared` offenders are added to a second case as well. */
struct crim_plan {
    int (*off)[8];
    int *n_off;
};

static int plan_offenders(struct gen *g, int cases, int offenders,
                          int shared, int first, struct crim_plan *p)
{
    int i;
    int next = first;

    p->off = ctis_calloc((size_t)cases, sizeof *p->off);
    p->n_off = ctis_calloc((size_t)cases, sizeof *p->n_off);
    if (p->off == NULL || p->n_off == NULL) {
        return CTIS_ENOMEM;
    }
    for (i = 0; i < cases; i++) {
        p->off[i][p->n_off[i]++] = next++;
    }
    while (next < first + offenders) {
        int k = below(g, cases);

        if (p->n_off[k] < 5) {
            p->off[k][p->n_off[k]++] = next++;
        }
    }
    while (shared > 0) {
        int a = below(g, cases);
        int b = below(g, cases);
        int who = p->off[b][0];
        int j;
        int dup = a == b || p->n_off[a] >= 8;

        for (j = 0; j < p->n_off[a]; j++) {
            dup |= p->off[a][j] == who;
        }
        if (!dup) {
            p->off[a][p->n_off[a]++] = who;
            shared--;
        }
    }
    return 0;
}

static void plan_release(struct crim_plan *p)
{
    ctis_free(p->off);
    ctis_free(p->n_off);
}

static int add_crim_event(struct model_criminal_case *cc, size_t *cap,
                          int type, int date, const char *offender,
                          int months, const char *law)
{
    struct model_crim_event *e;

    if (cc->n_events == *cap) {
        size_t ncap = *cap > 0 ? *cap * 2 : 8;
        struct model_crim_event *p =
            ctis_realloc(cc->events, ncap * sizeof *p);

        if (p == NULL) {
            return CTIS_ENOMEM;
        }
        cc->events = p;
        *cap = ncap;
    }
    e = &cc->events[cc->n_events++];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->date = date;
    e->sentence_months = months;
    ctis_strlcpy(e->offender, offender, sizeof e->offender);
    ctis_strlcpy(e->law_articles, law, sizeof e->law_articles);
    return 0;
}

/* The law in force on a date: the 2008 law from its promulgation. */
static const char *law_on(int date)
{
    return date >= 20080215 ? "LSHTSE 2008 art. 15"
                            : "Law on Kidnapping and Trafficking 1996 art. 3";
}

/* One criminal case: investigation in `year`, then arrests, charges,
 * trials and verdicts for some offenders; 1-3 linked victim cases. */
static int gen_crim_one(struct gen *g, int kind, int num, int year,
                        const int *off, int n_off, struct pool *victims)
{
    static const char *const foreign[] = {"TH", "VN", "MY"};
    struct model_criminal_case cc;
    struct model_problems probs;
    size_t cap = 0;
    int inv = day_of(g, year, 0, 330);
    int nv = range(g, 1, 3);
    int i;
    int rc = 0;

    model_criminal_case_init(&cc);
    snprintf(cc.id, sizeof cc.id, "CC-%04d", num);
    cc.kind = kind;
    cc.offenders = ctis_calloc((size_t)n_off, sizeof *cc.offenders);
    cc.victim_cases = ctis_calloc(3, sizeof *cc.victim_cases);
    if (cc.offenders == NULL || cc.victim_cases == NULL) {
        rc = CTIS_ENOMEM;
    }
    for (i = 0; i < n_off && rc == 0; i++) {
        struct model_offender *o = &cc.offenders[i];
        /* An offender's attributes follow from the number, so one shared
         * by two cases is described alike in both. */
        unsigned h = (unsigned)off[i] * 2654435761u;

        snprintf(o->id, sizeof o->id, "OF-%04d", off[i]);
        o->sex = (h >> 8) % 10 < 7 ? MODEL_SEX_MALE : MODEL_SEX_FEMALE;
        o->role = (int)((h >> 12) % 6);
        ctis_strlcpy(o->citizenship,
                     kind == MODEL_CK_CROSS_BORDER && (h >> 16) % 3 == 0
                         ? foreign[(h >> 20) % 3]
                         : "KH",
                     sizeof o->citizenship);
        cc.n_offenders++;
    }
    for (i = 0; i < nv && rc == 0 && victims->len > 0; i++) {
        int tries;

        for (tries = 0; tries < 30; tries++) {
            size_t k = (size_t)below(g, (int)victims->len);
            char id[MODEL_ID_MAX];
            size_t j;
            int dup = victims->date[k] > inv;

            snprintf(id, sizeof id, "C-%06d", victims->num[k]);
            for (j = 0; j < cc.n_victim_cases; j++) {
                dup |= strcmp(cc.victim_cases[j], id) == 0;
            }
            if (!dup) {
                ctis_strlcpy(cc.victim_cases[cc.n_victim_cases++], id,
                             MODEL_ID_MAX);
                break;
            }
        }
    }
    if (rc == 0) {
        rc = add_crim_event(&cc, &cap, MODEL_CE_INVESTIGATION, inv, "", -1,
                            "");
    }
    for (i = 0; i < n_off && rc == 0; i++) {
        const char *who = cc.offenders[i].id;
        int d = add_days(inv, range(g, 3, 60));

        if (!chance(g, 70)) {
            continue;
        }
        rc = add_crim_event(&cc, &cap, MODEL_CE_ARREST, d, who, -1, "");
        if (rc != 0 || !chance(g, 70)) {
            continue;
        }
        d = add_days(d, range(g, 10, 90));
        rc = add_crim_event(&cc, &cap, MODEL_CE_CHARGE, d, who, -1,
                            law_on(d));
        if (rc != 0 || !chance(g, 75)) {
            continue;
        }
        d = add_days(d, range(g, 60, 240));
        rc = add_crim_event(&cc, &cap, MODEL_CE_TRIAL, d, who, -1, "");
        if (rc == 0 && chance(g, 85)) {
            rc = add_crim_event(&cc, &cap, MODEL_CE_CONVICTION, d, who, -1,
                                law_on(d));
            if (rc == 0) {
                rc = add_crim_event(&cc, &cap, MODEL_CE_SENTENCE, d, who,
                                    12 * range(g, 5, 20), "");
            }
        } else if (rc == 0) {
            rc = add_crim_event(&cc, &cap, MODEL_CE_ACQUITTAL, d, who, -1,
                                "");
        }
    }
    if (rc == 0) {
        model_problems_clear(&probs);
        if (model_criminal_case_validate(&cc, &probs) != 0) {
            rc = ctis_err_set(g->err, CTIS_EINTERNAL,
                              "demo criminal case '%s' is invalid: "
                              "field '%s': %s",
                              cc.id, probs.items[0].path,
                              probs.items[0].msg);
        }
    }
    if (rc == 0 && g->sink->criminal_case != NULL) {
        rc = g->sink->criminal_case(g->sink->ctx, &cc);
        if (rc != 0 && g->err != NULL && g->err->code == 0) {
            ctis_err_set(g->err, rc < 0 ? rc : CTIS_EINVAL,
                         "demo sink refused criminal case '%s'", cc.id);
        }
    }
    if (rc == CTIS_ENOMEM) {
        ctis_err_set(g->err, rc, "out of memory generating demo data");
    }
    model_criminal_case_release(&cc);
    return rc;
}

static int gen_crim_kind(struct gen *g, int kind, const int per_year[3],
                         int offenders, int shared, int *num, int *first_off)
{
    struct crim_plan plan = {NULL, NULL};
    int cases = per_year[0] + per_year[1] + per_year[2];
    int y;
    int k = 0;
    int rc;

    rc = plan_offenders(g, cases, offenders, shared, *first_off, &plan);
    for (y = 0; y < 3 && rc == 0; y++) {
        int i;

        for (i = 0; i < per_year[y] && rc == 0; i++, k++) {
            rc = gen_crim_one(g, kind, ++*num, 2006 + y, plan.off[k],
                              plan.n_off[k],
                              kind == MODEL_CK_DOMESTIC ? &g->domestic
                                                        : &g->cross);
        }
    }
    plan_release(&plan);
    *first_off += offenders;
    return rc;
}

static int gen_criminal_cases(struct gen *g)
{
    static const int domestic[3] = {15, 20, 23};
    static const int cross[3] = {10, 15, 18};
    int num = 0;
    int first_off = 1;
    int rc;

    rc = gen_crim_kind(g, MODEL_CK_DOMESTIC, domestic,
                       CRIM_DOMESTIC_OFFENDERS, 3, &num, &first_off);
    if (rc == 0) {
        rc = gen_crim_kind(g, MODEL_CK_CROSS_BORDER, cross,
                           CRIM_CROSS_OFFENDERS, 2, &num, &first_off);
    }
    return rc;
}

/* ---- agencies, activities, instruments --------------------------------- */

struct agency_def {
    const char *id;
    const char *name;
    int kind;
    unsigned pillars;
};

#define P_PREV MODEL_PILLAR_PREVENTION
#define P_PROT MODEL_PILLAR_PROTECTION
#define P_PROS MODEL_PILLAR_PROSECUTION
#define P_POL MODEL_PILLAR_POLICY

static const struct agency_def agency_defs[] = {
    {"GOV-LTF",
     "Leading Task Force to Fight Human Trafficking, Smuggling, Exploitation "
     "and Sexual Exploitation of Women and Children",
     MODEL_AK_GOVERNMENT, P_PREV | P_PROT | P_PROS | P_POL},
    {"GOV-COMMIT", "COMMIT Task Force", MODEL_AK_GOVERNMENT, P_POL | P_PREV},
    {"GOV-MOWA", "Ministry of Women's Affairs", MODEL_AK_GOVERNMENT,
     P_PREV | P_POL},
    {"GOV-MOSVY", "Ministry of Social Affairs, Veterans and Youth "
                  "Rehabilitation",
     MODEL_AK_GOVERNMENT, P_PROT | P_POL},
    {"GOV-AHTJP", "Anti-Human Trafficking and Juvenile Protection Police "
                  "Department",
     MODEL_AK_GOVERNMENT, P_PROS | P_PROT},
    {"UN-IOM", "International Organization for Migration (IOM)", MODEL_AK_UN,
     P_PREV | P_PROT},
    {"UN-UNICEF", "United Nations Children's Fund (UNICEF)", MODEL_AK_UN,
     P_PREV | P_PROT | P_POL},
    {"UN-ILO-IPEC", "International Labour Organization, International "
                    "Programme on the Elimination of Child Labour (ILO/IPEC)",
     MODEL_AK_UN, P_PREV | P_POL},
    {"UN-UNFPA", "United Nations Population Fund (UNFPA)", MODEL_AK_UN,
     P_PREV},
    {"UN-UNIFEM", "United Nations Development Fund for Women (UNIFEM)",
     MODEL_AK_UN, P_PREV | P_POL},
    {"UN-UNDP", "United Nations Development Programme (UNDP)", MODEL_AK_UN,
     P_PREV | P_POL},
    {"UN-UNODC", "United Nations Office on Drugs and Crime (UNODC)",
     MODEL_AK_UN, P_PROS | P_POL},
    {"UN-UNIAP", "United Nations Inter-Agency Project on Human Trafficking "
                 "(UNIAP)",
     MODEL_AK_UN, P_POL | P_PREV | P_PROS},
};

static unsigned long all_provinces(void)
{
    return ((1UL << MODEL_PROVINCES) - 1) << 1;
}

static int emit_agency(struct gen *g, const struct model_agency *a)
{
    struct model_problems probs;
    int rc;

    model_problems_clear(&probs);
    if (model_agency_validate(a, &probs) != 0) {
        return ctis_err_set(g->err, CTIS_EINTERNAL,
                            "demo agency '%s' is invalid: field '%s': %s",
                            a->id, probs.items[0].path, probs.items[0].msg);
    }
    rc = g->sink->agency != NULL ? g->sink->agency(g->sink->ctx, a) : 0;
    if (rc != 0 && g->err != NULL && g->err->code == 0) {
        ctis_err_set(g->err, rc < 0 ? rc : CTIS_EINVAL,
                     "demo sink refused agency '%s'", a->id);
    }
    return rc;
}

static int gen_agencies(struct gen *g)
{
    struct model_agency a;
    size_t i;
    int n;
    int rc = 0;

    for (i = 0; i < COUNT(agency_defs) && rc == 0; i++) {
        model_agency_init(&a);
        ctis_strlcpy(a.id, agency_defs[i].id, sizeof a.id);
        ctis_strlcpy(a.name, agency_defs[i].name, sizeof a.name);
        a.kind = agency_defs[i].kind;
        a.pillars = agency_defs[i].pillars;
        if (a.kind == MODEL_AK_GOVERNMENT) {
            a.provinces = all_provinces();
        } else {
            int k = range(g, 5, 15);

            a.provinces = 1UL << 12;
            while (k-- > 0) {
                a.provinces |= 1UL << range(g, 1, MODEL_PROVINCES);
            }
        }
        rc = emit_agency(g, &a);
    }
    for (n = 1; n <= N_NGOS && rc == 0; n++) {
        int k = range(g, 1, 6);

        model_agency_init(&a);
        ngo_id(a.id, n);
        snprintf(a.name, sizeof a.name, "NGO %03d", n);
        a.kind = MODEL_AK_NGO;
        /* The first four NGOs run shelters for rescued persons. */
        a.pillars = n <= 4 ? (P_PROT | P_PREV)
                           : chance(g, 65) ? P_PREV : P_PROT;
        if (chance(g, 30)) {
            a.pillars |= chance(g, 50) ? P_PROT : P_PREV;
        }
        if (chance(g, 8)) {
            a.pillars |= chance(g, 50) ? P_PROS : P_POL;
        }
        while (k-- > 0) {
            a.provinces |= 1UL << pick(g, domestic_source,
                                       COUNT(domestic_source));
        }
        rc = emit_agency(g, &a);
    }
    return rc;
}

/* A kind of prevention or policy activity with where and by whom. */
struct activity_def {
    int kind;
    const char *agency;    /* NULL: a random NGO */
    int count;
    int border_only;       /* the 5 key border provinces */
};

static const struct activity_def activity_defs[] = {
    {MODEL_ACT_AWARENESS, NULL, 90, 0},
    {MODEL_ACT_SAFE_MIGRATION, NULL, 40, 0},
    {MODEL_ACT_SAFE_MIGRATION, "UN-IOM", 10, 0},
    {MODEL_ACT_EDUCATION, NULL, 30, 0},
    {MODEL_ACT_CAPACITY_BUILDING, "UN-UNIAP", 10, 0},
    {MODEL_ACT_CHILD_PROTECTION_NETWORK, "UN-UNICEF", 20, 0},
    {MODEL_ACT_MICRO_CREDIT, NULL, 25, 0},
    {MODEL_ACT_JOB_CREATION, "UN-ILO-IPEC", 8, 0},
    {MODEL_ACT_LABOUR_RECRUITMENT, "UN-ILO-IPEC", 6, 0},
    {MODEL_ACT_CHILD_SAFE_TOURISM, "GOV-MOWA", 6, 0},
    {MODEL_ACT_COMMUNITY_MOBILISATION, "UN-UNDP", 15, 1},
    {MODEL_ACT_TRAINING_POLICE, "UN-UNODC", 8, 0},
    {MODEL_ACT_TRAINING_JUDGES, "UN-UNODC", 5, 0},
    {MODEL_ACT_POLICY, "GOV-COMMIT", 6, 0},
    {MODEL_ACT_OTHER, NULL, 10, 0},
};

static int gen_activities(struct gen *g)
{
    static const int border5[] = {1, 2, 20, 14, 21};
    struct model_activity a;
    struct model_problems probs;
    size_t i;
    int n = 0;
    int rc = 0;

    for (i = 0; i < COUNT(activity_defs) && rc == 0; i++) {
        const struct activity_def *d = &activity_defs[i];
        int k;

        for (k = 0; k < d->count && rc == 0; k++) {
            int prov = d->border_only
                           ? border5[below(g, COUNT(border5))]
                           : pick(g, domestic_source, COUNT(domestic_source));

            model_activity_init(&a);
            snprintf(a.id, sizeof a.id, "ACT-%04d", ++n);
            if (d->agency != NULL) {
                ctis_strlcpy(a.agency, d->agency, sizeof a.agency);
            } else {
                ngo_id(a.agency, range(g, 1, N_NGOS));
            }
            a.kind = d->kind;
            ctis_strlcpy(a.province, model_province_at(prov)->code,
                         sizeof a.province);
            a.start = day_of(g, range(g, 2005, 2008), 0, 300);
            a.end = add_days(a.start, range(g, 1, 400));
            a.reached = d->kind == MODEL_ACT_POLICY ? -1
                                                    : range(g, 20, 5000);
            model_problems_clear(&probs);
            if (model_activity_validate(&a, &probs) != 0) {
                return ctis_err_set(g->err, CTIS_EINTERNAL,
                                    "demo activity '%s' is invalid: "
                                    "field '%s': %s",
                                    a.id, probs.items[0].path,
                                    probs.items[0].msg);
            }
            if (g->sink->activity != NULL) {
                rc = g->sink->activity(g->sink->ctx, &a);
                if (rc != 0 && g->err != NULL && g->err->code == 0) {
                    ctis_err_set(g->err, rc < 0 ? rc : CTIS_EINVAL,
                                 "demo sink refused activity '%s'", a.id);
                }
            }
        }
    }
    return rc;
}

/* The 13 policy instruments of the seed. Only the year is given there;
 * the day is set to 1 January (0 when the seed gives no year). */
struct instrument_def {
    const char *id;
    const char *title;
    int kind;
    int year;
    const char *parties;  /* alpha-2 codes joined with spaces */
};

static const struct instrument_def instrument_defs[] = {
    {"INS-NPA-2009", "Second National Plan of Action on Trafficking in "
                     "Persons and Sexual Exploitation (NPA TIPSE 2009-2013)",
     MODEL_INS_PLAN, 2009, "KH"},
    {"INS-CONST-1993", "Cambodian Constitution", MODEL_INS_CONSTITUTION, 1993,
     "KH"},
    {"INS-LABOUR-1997", "Labor Law", MODEL_INS_LAW, 1997, "KH"},
    {"INS-IMMIGRATION-1994", "Immigration Law", MODEL_INS_LAW, 1994, "KH"},
    {"INS-LSHTSE-2008", "Law on the Suppression of Human Trafficking and "
                        "Sexual Exploitation",
     MODEL_INS_LAW, 2008, "KH"},
    {"INS-CAMPAIGN-2007", "Campaigning Plan to Combat Human Trafficking, "
                          "Smuggling, Exploitation and Sexual Exploitation "
                          "of Women and Children",
     MODEL_INS_PLAN, 2007, "KH"},
    {"INS-JSOP-KH-VN-2009", "Joint Standard Operating Procedures for "
                            "Identification and Repatriation of Victims of "
                            "Human Trafficking between Cambodia and Vietnam",
     MODEL_INS_SOP, 2009, "KH VN"},
    {"INS-MARRIAGE-SUBDECREE", "Sub-decree on Process and Legal Procedure "
                               "of Marriage Between Cambodian Citizens and "
                               "Foreign Nationals",
     MODEL_INS_SUB_DECREE, 0, "KH"},
    {"INS-KH-TH-MOU-2003", "Cambodia-Thai Trafficking MOU", MODEL_INS_MOU,
     2003, "KH TH"},
    {"INS-KH-TH-EMPLOY-2003", "Cambodia-Thai Employment Cooperation MOU",
     MODEL_INS_MOU, 2003, "KH TH"},
    {"INS-KH-VN-2005", "Cambodia-Vietnam Trafficking Agreement",
     MODEL_INS_AGREEMENT, 2005, "KH VN"},
    {"INS-COMMIT-MOU-2004", "The COMMIT MOU", MODEL_INS_MOU, 2004,
     "KH CN LA MM TH VN"},
    {"INS-COMMIT-SPA2-2008", "The Second COMMIT Sub-regional Plan of Action "
                             "(2008-2010)",
     MODEL_INS_PLAN, 2008, "KH CN LA MM TH VN"},
};

static int gen_instruments(struct gen *g)
{
    struct model_instrument in;
    struct model_problems probs;
    size_t i;
    int rc = 0;

    for (i = 0; i < COUNT(instrument_defs) && rc == 0; i++) {
        const struct instrument_def *d = &instrument_defs[i];
        const char *p = d->parties;

        model_instrument_init(&in);
        ctis_strlcpy(in.id, d->id, sizeof in.id);
        ctis_strlcpy(in.title, d->title, sizeof in.title);
        in.kind = d->kind;
        in.date = d->year > 0 ? d->year * 10000 + 101 : 0;
        while (*p != '\0' && in.n_parties < MODEL_PARTIES_MAX) {
            in.parties[in.n_parties][0] = p[0];
            in.parties[in.n_parties][1] = p[1];
            in.parties[in.n_parties][2] = '\0';
            in.n_parties++;
            p += p[2] == ' ' ? 3 : 2;
        }
        model_problems_clear(&probs);
        if (model_instrument_validate(&in, &probs) != 0) {
            return ctis_err_set(g->err, CTIS_EINTERNAL,
                                "demo instrument '%s' is invalid: "
                                "field '%s': %s",
                                in.id, probs.items[0].path,
                                probs.items[0].msg);
        }
        if (g->sink->instrument != NULL) {
            rc = g->sink->instrument(g->sink->ctx, &in);
            if (rc != 0 && g->err != NULL && g->err->code == 0) {
                ctis_err_set(g->err, rc < 0 ? rc : CTIS_EINVAL,
                             "demo sink refused instrument '%s'", in.id);
            }
        }
    }
    return rc;
}

/* Generate everything in the order the sink contract promises: agencies,
 * cases, criminal cases (which name cases), activities, instruments. Each
 * part draws from the same generator, so the whole is a function of the
 * seed alone. */
int io_demo_generate(uint64_t seed, const struct io_demo_sink *sink,
                     struct ctis_err *err)
{
    struct gen g;
    int rc;

    memset(&g, 0, sizeof g);
    ctis_rng_seed(&g.rng, seed);
    g.sink = sink;
    g.err = err;
    if (err != NULL) {
        ctis_err_clear(err);
    }
    model_case_init(&g.c);
    rc = gen_agencies(&g);
    if (rc == 0) {
        rc = gen_cases(&g);
    }
    if (rc == 0) {
        rc = gen_criminal_cases(&g);
    }
    if (rc == 0) {
        rc = gen_activities(&g);
    }
    if (rc == 0) {
        rc = gen_instruments(&g);
    }
    if (rc == CTIS_ENOMEM && (err == NULL || err->code == 0)) {
        ctis_err_set(err, rc, "out of memory generating demo data");
    }
    model_case_release(&g.c);
    pool_release(&g.domestic);
    pool_release(&g.cross);
    return rc;
}

/* Synthetic records must never replace or mix with real ones. */
int io_demo_check_empty(struct store *st, struct ctis_err *err)
{
    static const enum store_kind kinds[] = {
        STORE_AGENCY, STORE_CASE, STORE_CRIMINAL_CASE, STORE_ACTIVITY,
        STORE_INSTRUMENT};
    long total = 0;
    size_t i;

    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        long n = 0;
        int rc = store_count(st, kinds[i], &n, err);

        if (rc != 0) {
            return rc;
        }
        total += n;
    }
    if (total > 0) {
        return ctis_err_set(err, CTIS_EEXIST,
                            "the database already holds %ld record(s); "
                            "'ctis demo' only fills an empty database "
                            "(use a new --db)",
                            total);
    }
    return 0;
}
