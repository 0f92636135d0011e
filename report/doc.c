/*
 * doc.c - the datasheet as a document: headings, paragraphs, tables and
 * charts in the seed's order, with every text in English or Khmer. The
 * PDF (pdf.c), the charts alone (svg.c) and the workbook (xlsx.c) are
 * drawn from it, so the three show the same figures in the same places.
 *
 * Khmer texts are ours (the seed is in English); province names come
 * from model/ and keep their Khmer spelling. A suppressed count is "*",
 * a repatriation year without records "N/A".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report_int.h"

/* English -> Khmer for the fixed texts; English stays where there is no
 * row (numbers, codes). */
static const char *const km_table[][2] = {
    {"Human trafficking in and from Cambodia: datasheet",
     "ការជួញដូរមនុស្សនៅក្នុង និងពីប្រទេសកម្ពុជា៖ សន្លឹកទិន្នន័យ"},
    {"Who is being trafficked in Cambodia?", "តើនរណាខ្លះត្រូវបានជួញដូរនៅកម្ពុជា?"},
    {"Where do trafficked persons come from and how are they exploited?",
     "តើជនរងគ្រោះមកពីណា ហើយត្រូវបានកេងប្រវ័ញ្ចយ៉ាងដូចម្តេច?"},
    {"What is the scale of human trafficking in and from Cambodia?",
     "តើការជួញដូរមនុស្សនៅក្នុង និងពីប្រទេសកម្ពុជាមានទំហំប៉ុណ្ណា?"},
    {"Who is working against human trafficking in Cambodia?",
     "តើនរណាខ្លះកំពុងធ្វើការប្រឆាំងនឹងការជួញដូរមនុស្សនៅកម្ពុជា?"},
    {"How many trafficking victims are repatriated each year?",
     "តើជនរងគ្រោះប៉ុន្មាននាក់ត្រូវបានបញ្ជូនមកវិញជារៀងរាល់ឆ្នាំ?"},
    {"What is happening to the traffickers in Cambodia?",
     "តើមានអ្វីកើតឡើងចំពោះជនល្មើសជួញដូរមនុស្សនៅកម្ពុជា?"},
    {"What are the guiding principles behind counter-trafficking efforts "
     "in Cambodia?",
     "តើគោលការណ៍ណែនាំអ្វីខ្លះនៅពីក្រោយកិច្ចប្រឹងប្រែងប្រឆាំងការជួញដូរ"
     "មនុស្សនៅកម្ពុជា?"},
    {"Persons by sex and age group", "ជនរងគ្រោះតាមភេទ និងក្រុមអាយុ"},
    {"Sex", "ភេទ"},
    {"Age group", "ក្រុមអាយុ"},
    {"Cases", "ករណី"},
    {"female", "ស្រី"},
    {"male", "ប្រុស"},
    {"other", "ផ្សេងទៀត"},
    {"unknown", "មិនដឹង"},
    {"child", "កុមារ"},
    {"adult", "មនុស្សពេញវ័យ"},
    {"Forms of exploitation", "ទម្រង់នៃការកេងប្រវ័ញ្ច"},
    {"Exploitation", "ការកេងប្រវ័ញ្ច"},
    {"Forced labour by sector", "ពលកម្មដោយបង្ខំតាមវិស័យ"},
    {"Sector", "វិស័យ"},
    {"Source provinces", "ខេត្តប្រភព"},
    {"Destination provinces", "ខេត្តគោលដៅ"},
    {"Province", "ខេត្ត"},
    {"Cases by movement", "ករណីតាមប្រភេទនៃការធ្វើដំណើរ"},
    {"Movement", "ការធ្វើដំណើរ"},
    {"Destination countries", "ប្រទេសគោលដៅ"},
    {"Country", "ប្រទេស"},
    {"Cases identified by year", "ករណីដែលបានកំណត់អត្តសញ្ញាណតាមឆ្នាំ"},
    {"Year", "ឆ្នាំ"},
    {"Number repatriated", "ចំនួនដែលបានបញ្ជូនមកវិញ"},
    {"Agencies by kind and pillar", "ស្ថាប័នតាមប្រភេទ និងសសរស្តម្ភ"},
    {"Agencies", "ស្ថាប័ន"},
    {"Number", "ចំនួន"},
    {"Prevention", "ការបង្ការ"},
    {"Protection", "ការការពារ"},
    {"Prosecution", "ការកាត់ទោស"},
    {"Policy", "គោលនយោបាយ"},
    {"Government", "រដ្ឋាភិបាល"},
    {"UN agencies", "ទីភ្នាក់ងារអង្គការសហប្រជាជាតិ"},
    {"Non-governmental organisations", "អង្គការមិនមែនរដ្ឋាភិបាល"},
    {"Activities in the period", "សកម្មភាពក្នុងអំឡុងពេលនេះ"},
    {"Activity", "សកម្មភាព"},
    {"People reached", "ចំនួនមនុស្សដែលបានទទួល"},
    {"Rescues by first referral", "ការជួយសង្គ្រោះតាមការបញ្ជូនបន្តដំបូង"},
    {"Rescued", "បានជួយសង្គ្រោះ"},
    {"To family", "ទៅគ្រួសារ"},
    {"To NGOs", "ទៅអង្គការ"},
    {"To the ministry", "ទៅក្រសួង"},
    {"No referral", "គ្មានការបញ្ជូន"},
    {"Official repatriations", "ការបញ្ជូនមកវិញជាផ្លូវការ"},
    {"Official repatriations by year", "ការបញ្ជូនមកវិញជាផ្លូវការតាមឆ្នាំ"},
    {"Criminal cases", "សំណុំរឿងព្រហ្មទណ្ឌ"},
    {"Kind", "ប្រភេទ"},
    {"Investigated", "បានស៊ើបអង្កេត"},
    {"Offenders", "ជនល្មើស"},
    {"Convicted", "បានផ្តន្ទាទោស"},
    {"Offenders convicted", "ជនល្មើសដែលត្រូវបានផ្តន្ទាទោស"},
    {"domestic", "ក្នុងស្រុក"},
    {"cross border", "ឆ្លងដែន"},
    {"Policy instruments", "ឯកសារគោលនយោបាយ"},
    {"Title", "ចំណងជើង"},
    {"internal", "ក្នុងស្រុក"},
    {"cross-border, out of Cambodia", "ឆ្លងដែនចេញពីកម្ពុជា"},
    {"cross-border, into Cambodia", "ឆ្លងដែនចូលកម្ពុជា"},
    {"transit", "ឆ្លងកាត់"},
    {"Cambodia", "កម្ពុជា"},
    {"Thailand", "ថៃ"},
    {"Vietnam", "វៀតណាម"},
    {"Malaysia", "ម៉ាឡេស៊ី"},
    {"Period", "រយៈពេល"},
    {"all years", "គ្រប់ឆ្នាំ"},
    {"suppressed", "បានលាក់"},
};

const char *report_tr(int km, const char *en)
{
    size_t i;

    if (!km) {
        return en;
    }
    for (i = 0; i < sizeof km_table / sizeof km_table[0]; i++) {
        if (strcmp(km_table[i][0], en) == 0) {
            return km_table[i][1];
        }
    }
    return en;
}

/* ---- building ----------------------------------------------------------- */

struct builder {
    struct report_doc *d;
    int km;
    int rc;
};

static char *dup(struct builder *b, const char *s)
{
    char *p = ctis_arena_strdup(&b->d->arena, s != NULL ? s : "");

    if (p == NULL) {
        b->rc = CTIS_ENOMEM;
    }
    return p;
}

static struct report_block *block(struct builder *b, int kind)
{
    struct report_doc *d = b->d;
    struct report_block *bl;

    if (b->rc != 0) {
        return NULL;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap > 0 ? d->cap * 2 : 64;
        void *p = ctis_realloc(d->blocks, cap * sizeof *d->blocks);

        if (p == NULL) {
            b->rc = CTIS_ENOMEM;
            return NULL;
        }
        d->blocks = p;
        d->cap = cap;
    }
    bl = &d->blocks[d->n++];
    memset(bl, 0, sizeof *bl);
    bl->kind = kind;
    return bl;
}

static void chart(struct builder *b, int which)
{
    struct report_block *bl = block(b, REPORT_B_CHART);

    if (bl != NULL) {
        bl->chart = which;
    }
}

static void heading(struct builder *b, int level, const char *en)
{
    struct report_block *bl = block(b, REPORT_B_HEADING);

    if (bl != NULL) {
        bl->level = level;
        bl->text = dup(b, report_tr(b->km, en));
    }
}

static void para(struct builder *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void para(struct builder *b, const char *fmt, ...)
{
    struct report_block *bl = block(b, REPORT_B_PARA);
    char s[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(s, sizeof s, fmt, ap);
    va_end(ap);
    if (bl != NULL) {
        bl->text = dup(b, s);
    }
}

/* Start a table; cells follow with cell(). */
static struct report_table *table(struct builder *b, const char *sheet,
                                  const char *caption, int ncols,
                                  const char *const *heads, int pair)
{
    struct report_block *bl = block(b, REPORT_B_TABLE);
    struct report_table *t;
    int c;

    if (bl == NULL) {
        return NULL;
    }
    t = ctis_arena_alloc(&b->d->arena, sizeof *t);
    if (t == NULL) {
        b->rc = CTIS_ENOMEM;
        return NULL;
    }
    memset(t, 0, sizeof *t);
    bl->table = t;
    bl->pair = pair;
    ctis_strlcpy(t->sheet, sheet, sizeof t->sheet);
    t->caption = dup(b, caption);
    t->ncols = ncols;
    for (c = 0; c < ncols; c++) {
        t->heads[c] = dup(b, report_tr(b->km, heads[c]));
    }
    return t;
}

static void cell(struct builder *b, struct report_table *t, const char *s,
                 const struct stats_cell *n)
{
    struct report_cell *c;

    if (t == NULL || b->rc != 0) {
        return;
    }
    if (t->ncells == t->cap) {
        size_t cap = t->cap > 0 ? t->cap * 2 : 32;
        struct report_cell *p = ctis_arena_alloc(&b->d->arena, cap * sizeof *p);

        if (p == NULL) {
            b->rc = CTIS_ENOMEM;
            return;
        }
        if (t->ncells > 0) {
            memcpy(p, t->cells, t->ncells * sizeof *p);
        }
        t->cells = p;
        t->cap = cap;
    }
    c = &t->cells[t->ncells++];
    memset(c, 0, sizeof *c);
    if (n != NULL) {
        c->is_number = 1;
        c->suppressed = n->suppressed != STATS_SHOWN;
        c->n = n->n;
        if (c->suppressed) {
            c->text = dup(b, "*");
        } else {
            char v[24];

            snprintf(v, sizeof v, "%ld", n->n);
            c->text = dup(b, v);
        }
    } else {
        c->text = dup(b, s);
    }
    t->nrows = t->ncols > 0 ? t->ncells / (size_t)t->ncols : 0;
}

/* A count that is never suppressed (agencies, activities). */
static void cell_long(struct builder *b, struct report_table *t, long n)
{
    struct stats_cell c = {n, STATS_SHOWN};

    cell(b, t, NULL, &c);
}

static const char *country_name(int km, const char *code)
{
    const struct model_country *c = model_country_find(code);

    return c != NULL ? report_tr(km, c->name) : code;
}

static const char *province_name(int km, const char *code)
{
    const struct model_province *p = model_province_find(code);

    if (p == NULL) {
        return report_tr(km, code);
    }
    return km ? p->name_km : p->name;
}

static void human(char *out, size_t size, const char *code)
{
    size_t i;

    ctis_strlcpy(out, code, size);
    for (i = 0; out[i] != '\0'; i++) {
        out[i] = out[i] == '_' ? ' ' : out[i];
    }
}

static const char *movement_name(int km, const char *code)
{
    if (strcmp(code, "cross_border_out") == 0) {
        return report_tr(km, "cross-border, out of Cambodia");
    }
    if (strcmp(code, "cross_border_in") == 0) {
        return report_tr(km, "cross-border, into Cambodia");
    }
    return report_tr(km, code);
}

enum { L_PROVINCE, L_COUNTRY, L_CODE, L_MOVEMENT };

static void counts(struct builder *b, const char *sheet, const char *caption,
                   const char *head, const struct stats_counts *c, int label,
                   int pair)
{
    const char *heads[2] = {head, "Cases"};
    struct report_table *t =
        table(b, sheet, report_tr(b->km, caption), 2, heads, pair);
    size_t i;

    for (i = 0; i < c->len; i++) {
        char h[96];
        const char *k = c->rows[i].key;

        switch (label) {
        case L_PROVINCE:
            cell(b, t, province_name(b->km, k), NULL);
            break;
        case L_COUNTRY:
            cell(b, t, country_name(b->km, k), NULL);
            break;
        case L_MOVEMENT:
            cell(b, t, movement_name(b->km, k), NULL);
            break;
        default:
            human(h, sizeof h, k);
            cell(b, t, report_tr(b->km, h), NULL);
            break;
        }
        cell(b, t, NULL, &c->rows[i].cases);
    }
}

static const char *numtext(const struct stats_cell *c, char out[24])
{
    if (c->suppressed != STATS_SHOWN) {
        return "*";
    }
    snprintf(out, 24, "%ld", c->n);
    return out;
}

/* The repatriation years, the charts' at most REPORT_CHART_MAX. */
static int repat_years(const struct stats_datasheet *ds, int *lo, int *hi)
{
    if (!report_repat_years(ds, lo, hi)) {
        return 0;
    }
    if (*hi - *lo > REPORT_CHART_MAX - 1) {
        *lo = *hi - (REPORT_CHART_MAX - 1);
    }
    return 1;
}

static const struct stats_cell *repat(const struct stats_datasheet *ds,
                                      const char *from, const char *to,
                                      int year)
{
    size_t i;

    for (i = 0; i < ds->n_repatriations; i++) {
        const struct stats_repatriation *r = &ds->repatriations[i];

        if (r->year == year && strcmp(r->from, from) == 0 &&
            strcmp(r->to, to) == 0) {
            return &r->persons;
        }
    }
    return NULL;
}

static const char *const seed_corridors[4][2] = {
    {"TH", "KH"}, {"VN", "KH"}, {"MY", "KH"}, {"KH", "VN"}};

/* The charts: official repatriations by year and corridor, cases by
 * year, persons by sex and age group. */
static void charts(struct builder *b, const struct stats_datasheet *ds)
{
    struct report_doc *d = b->d;
    struct report_chart *c;
    int lo;
    int hi;
    int y;
    size_t i;
    int s;

    c = &d->charts[REPORT_CHART_REPATRIATIONS];
    ctis_strlcpy(c->name, "repatriations", sizeof c->name);
    ctis_strlcpy(c->title, report_tr(b->km, "Official repatriations by year"),
                 sizeof c->title);
    if (repat_years(ds, &lo, &hi)) {
        for (y = lo; y <= hi; y++) {
            snprintf(c->cat[c->ncat++], sizeof c->cat[0], "%d", y);
        }
        for (s = 0; s < 4; s++) {
            snprintf(c->series[s], sizeof c->series[0], "%s → %s",
                     country_name(b->km, seed_corridors[s][0]),
                     country_name(b->km, seed_corridors[s][1]));
            for (y = lo; y <= hi; y++) {
                const struct stats_cell *v =
                    repat(ds, seed_corridors[s][0], seed_corridors[s][1], y);

                c->v[s][y - lo] = v != NULL ? v->n : 0;
                c->hidden[s][y - lo] = v != NULL && v->suppressed;
            }
        }
        c->nseries = 4;
    }
    c = &d->charts[REPORT_CHART_YEARS];
    ctis_strlcpy(c->name, "cases_by_year", sizeof c->name);
    ctis_strlcpy(c->title, report_tr(b->km, "Cases identified by year"),
                 sizeof c->title);
    c->nseries = 1;
    ctis_strlcpy(c->series[0], report_tr(b->km, "Cases"), sizeof c->series[0]);
    for (i = 0; i < ds->cases_by_year.len && c->ncat < REPORT_CHART_MAX; i++) {
        const struct stats_count *r = &ds->cases_by_year.rows[i];

        snprintf(c->cat[c->ncat], sizeof c->cat[0], "%d", r->year);
        c->v[0][c->ncat] = r->cases.n;
        c->hidden[0][c->ncat] = r->cases.suppressed != STATS_SHOWN;
        c->ncat++;
    }
    c = &d->charts[REPORT_CHART_SEX_AGE];
    ctis_strlcpy(c->name, "sex_age", sizeof c->name);
    ctis_strlcpy(c->title, report_tr(b->km, "Persons by sex and age group"),
                 sizeof c->title);
    {
        static const char *const ages[3] = {"child", "adult", "unknown"};
        static const char *const sexes[3] = {"female", "male", "unknown"};
        int a;

        c->ncat = 3;
        c->nseries = 3;
        for (a = 0; a < 3; a++) {
            ctis_strlcpy(c->cat[a], report_tr(b->km, ages[a]),
                         sizeof c->cat[0]);
        }
        for (s = 0; s < 3; s++) {
            ctis_strlcpy(c->series[s], report_tr(b->km, sexes[s]),
                         sizeof c->series[0]);
        }
        for (i = 0; i < ds->sex_age.len; i++) {
            const struct stats_count *r = &ds->sex_age.rows[i];

            for (s = 0; s < 3 && strcmp(sexes[s], r->key) != 0; s++) {
            }
            for (a = 0; a < 3 && strcmp(ages[a], r->key2) != 0; a++) {
            }
            if (s < 3 && a < 3) {
                c->v[s][a] += r->cases.n;
                c->hidden[s][a] |= r->cases.suppressed != STATS_SHOWN;
            }
        }
    }
}

static void sections(struct builder *b, const struct stats_datasheet *ds)
{
    static const char *const kinds[STATS_AGENCY_KINDS] = {
        "Government", "UN agencies", "Non-governmental organisations", "Other"};
    int km = b->km;
    struct report_table *t;
    char v[4][24];
    char s[512];
    size_t i;
    int k;
    int lo;
    int hi;
    int y;

    heading(b, 1, REPORT_TITLE);
    if (ds->from_year != 0 && ds->to_year != 0) {
        snprintf(s, sizeof s, "%d–%d", ds->from_year, ds->to_year);
    } else {
        ctis_strlcpy(s, report_tr(km, "all years"), sizeof s);
    }
    para(b, "%s: %s. %s", report_tr(km, "Period"), s,
         ds->k > 1 ? ""
         : km      ? "របាយការណ៍ផ្ទៃក្នុង៖ គ្មានការគ្រប់គ្រងការលាតត្រដាង "
                     "មិនត្រូវផ្សព្វផ្សាយទេ។"
                   : "Internal report: no disclosure control; do not "
                     "publish.");
    if (ds->k > 1) {
        para(b,
             km ? "ការគ្រប់គ្រងការលាតត្រដាង៖ ចំនួនពី 1 ដល់ %ld "
                  "និងចំនួនដែលអាចគណនាឡើងវិញពីចំនួនសរុប ត្រូវបានលាក់ (*)៖ "
                  "%ld ក្រឡា។"
                : "Disclosure control: counts from 1 to %ld and any count "
                  "that the totals would give away are suppressed (*); %ld "
                  "cells.",
             ds->k - 1, ds->suppressed);
    }
    heading(b, 2, "Who is being trafficked in Cambodia?");
    para(b,
         km ? "ករណីចំនួន %s ត្រូវបានកំណត់អត្តសញ្ញាណក្នុងអំឡុងពេលនេះ។"
            : "%s cases were identified in the period.",
         numtext(&ds->cases, v[0]));
    {
        const char *heads[3] = {"Sex", "Age group", "Cases"};

        t = table(b, "sex_age", report_tr(km, "Persons by sex and age group"),
                  3, heads, 0);
        for (i = 0; i < ds->sex_age.len; i++) {
            cell(b, t, report_tr(km, ds->sex_age.rows[i].key), NULL);
            cell(b, t, report_tr(km, ds->sex_age.rows[i].key2), NULL);
            cell(b, t, NULL, &ds->sex_age.rows[i].cases);
        }
    }
    chart(b, REPORT_CHART_SEX_AGE);
    counts(b, "exploitation", "Forms of exploitation", "Exploitation",
           &ds->exploitation, L_CODE, 1);
    counts(b, "labour_sectors", "Forced labour by sector", "Sector",
           &ds->sectors, L_CODE, 2);
    heading(b, 2,
            "Where do trafficked persons come from and how are they "
            "exploited?");
    counts(b, "source_provinces", "Source provinces", "Province",
           &ds->source_provinces, L_PROVINCE, 1);
    counts(b, "destination_provinces", "Destination provinces", "Province",
           &ds->destination_provinces, L_PROVINCE, 2);
    counts(b, "movement", "Cases by movement", "Movement", &ds->movement,
           L_MOVEMENT, 1);
    counts(b, "destination_countries", "Destination countries", "Country",
           &ds->destination_countries, L_COUNTRY, 2);
    heading(b, 2,
            "What is the scale of human trafficking in and from "
            "Cambodia?");
    para(b,
         km ? "ជនរងគ្រោះចំនួន %s នាក់ត្រូវបានបញ្ជូនមកវិញជាផ្លូវការ"
              "ពីរដ្ឋាភិបាលទៅរដ្ឋាភិបាលក្នុងអំឡុងពេលនេះ។"
            : "%s victims of human trafficking were officially "
              "repatriated in government-to-government repatriations "
              "in the period.",
         numtext(&ds->repatriated, v[0]));
    {
        const char *heads[2] = {"Year", "Cases"};

        t = table(b, "cases_by_year", report_tr(km, "Cases identified by year"),
                  2, heads, 0);
        for (i = 0; i < ds->cases_by_year.len; i++) {
            snprintf(v[0], sizeof v[0], "%d", ds->cases_by_year.rows[i].year);
            cell(b, t, v[0], NULL);
            cell(b, t, NULL, &ds->cases_by_year.rows[i].cases);
        }
    }
    chart(b, REPORT_CHART_YEARS);
    heading(b, 2, "Who is working against human trafficking in Cambodia?");
    {
        const char *heads[6] = {"Agencies",   "Number",      "Prevention",
                                "Protection", "Prosecution", "Policy"};
        const char *aheads[3] = {"Activity", "Number", "People reached"};

        t = table(b, "agencies", report_tr(km, "Agencies by kind and pillar"),
                  6, heads, 0);
        for (k = 0; k < STATS_AGENCY_KINDS; k++) {
            int p;

            if (ds->agencies[k] == 0) {
                continue;
            }
            cell(b, t, report_tr(km, kinds[k]), NULL);
            cell_long(b, t, ds->agencies[k]);
            for (p = 0; p < STATS_PILLARS; p++) {
                cell_long(b, t, ds->agencies_pillar[k][p]);
            }
        }
        t = table(b, "activities", report_tr(km, "Activities in the period"), 3,
                  aheads, 0);
        for (k = 0; k < STATS_ACTIVITY_KINDS; k++) {
            char h[64];

            if (ds->activities[k].count == 0) {
                continue;
            }
            human(h, sizeof h, model_code_name(model_activity_kind_codes, k));
            cell(b, t, h, NULL);
            cell_long(b, t, ds->activities[k].count);
            cell_long(b, t, ds->activities[k].reached);
        }
    }
    heading(b, 2, "How many trafficking victims are repatriated each year?");
    for (i = 0; i < ds->n_rescues; i++) {
        const struct stats_rescue *r = &ds->rescues[i];

        para(b,
             km ? "នៅឆ្នាំ %d ជនរងគ្រោះចំនួន %s នាក់ត្រូវបានជួយសង្គ្រោះ៖ %s "
                  "នាក់ត្រូវបានបញ្ជូនទៅគ្រួសារ %s នាក់ទៅអង្គការ និង %s "
                  "នាក់ទៅក្រសួង។"
                : "In %d, %s trafficking victims were rescued; %s were sent "
                  "back to their families, %s were sent to NGOs and %s were "
                  "sent to the Ministry of Social Affairs for "
                  "rehabilitation.",
             r->year, numtext(&r->persons, v[0]),
             numtext(&r->referred[0], v[1]), numtext(&r->referred[1], v[2]),
             numtext(&r->referred[2], v[3]));
    }
    {
        const char *heads[7] = {"Year",       "Rescued",         "To family",
                                "To NGOs",    "To the ministry", "other",
                                "No referral"};

        t = table(b, "rescues", report_tr(km, "Rescues by first referral"), 7,
                  heads, 0);
        for (i = 0; i < ds->n_rescues; i++) {
            snprintf(v[0], sizeof v[0], "%d", ds->rescues[i].year);
            cell(b, t, v[0], NULL);
            cell(b, t, NULL, &ds->rescues[i].persons);
            for (k = 0; k < STATS_REFERRALS; k++) {
                cell(b, t, NULL, &ds->rescues[i].referred[k]);
            }
        }
    }
    chart(b, REPORT_CHART_REPATRIATIONS);
    if (repat_years(ds, &lo, &hi)) {
        const char *heads[2] = {"Year", "Number repatriated"};

        for (k = 0; k < 4; k++) {
            char sheet[32];

            snprintf(sheet, sizeof sheet, "repatriations_%s_%s",
                     seed_corridors[k][0], seed_corridors[k][1]);
            snprintf(s, sizeof s, "%s: %s → %s",
                     report_tr(km, "Official repatriations"),
                     country_name(km, seed_corridors[k][0]),
                     country_name(km, seed_corridors[k][1]));
            t = table(b, sheet, s, 2, heads, k % 2 + 1);
            for (y = lo; y <= hi; y++) {
                const struct stats_cell *c =
                    repat(ds, seed_corridors[k][0], seed_corridors[k][1], y);

                snprintf(v[0], sizeof v[0], "%d", y);
                cell(b, t, v[0], NULL);
                cell(b, t, c != NULL ? NULL : "N/A", c);
            }
        }
    }
    heading(b, 2, "What is happening to the traffickers in Cambodia?");
    para(b,
         km ? "ករណីជួញដូរក្នុងស្រុកចំនួន %s ត្រូវបានស៊ើបអង្កេត ពាក់ព័ន្ធនឹង"
              "ជនល្មើស %s នាក់ និងករណីជួញដូរឆ្លងដែនចំនួន %s "
              "ពាក់ព័ន្ធនឹងជនល្មើស %s នាក់។"
            : "In the period, %s cases of domestic trafficking were "
              "investigated involving %s offenders, and %s cases of "
              "cross-border trafficking were investigated involving %s "
              "offenders.",
         numtext(&ds->investigations[0].cases, v[0]),
         numtext(&ds->investigations[0].offenders, v[1]),
         numtext(&ds->investigations[1].cases, v[2]),
         numtext(&ds->investigations[1].offenders, v[3]));
    {
        const char *heads[5] = {"Kind", "Investigated", "Offenders",
                                "Convicted", "Offenders convicted"};

        t = table(b, "criminal_cases", report_tr(km, "Criminal cases"), 5,
                  heads, 0);
        for (k = 0; k < 2; k++) {
            char h[32];

            human(h, sizeof h, ds->investigations[k].kind);
            cell(b, t, report_tr(km, h), NULL);
            cell(b, t, NULL, &ds->investigations[k].cases);
            cell(b, t, NULL, &ds->investigations[k].offenders);
            cell(b, t, NULL, &ds->convictions[k].cases);
            cell(b, t, NULL, &ds->convictions[k].offenders);
        }
    }
    heading(b, 2,
            "What are the guiding principles behind counter-trafficking "
            "efforts in Cambodia?");
    {
        const char *heads[2] = {"Title", "Year"};

        t = table(b, "instruments", report_tr(km, "Policy instruments"), 2,
                  heads, 0);
        for (i = 0; i < ds->n_instruments; i++) {
            const struct model_instrument *in = &ds->instruments[i];

            cell(b, t, in->title, NULL);
            if (in->date != 0) {
                snprintf(v[0], sizeof v[0], "%d", in->date / 10000);
            } else {
                ctis_strlcpy(v[0], "–", sizeof v[0]);
            }
            cell(b, t, v[0], NULL);
        }
    }
}

/* Build the document; see report_int.h. */
int report_doc_build(const struct stats_datasheet *ds, int km,
                     struct report_doc *d, struct ctis_err *err)
{
    struct builder b;

    memset(d, 0, sizeof *d);
    ctis_arena_init(&d->arena, 16384);
    d->km = km;
    b.d = d;
    b.km = km;
    b.rc = 0;
    sections(&b, ds);
    if (b.rc == 0) {
        charts(&b, ds);
    }
    if (b.rc != 0) {
        report_doc_release(d);
        return ctis_err_set(err, CTIS_ENOMEM,
                            "out of memory building the "
                            "datasheet");
    }
    return 0;
}

void report_doc_release(struct report_doc *d)
{
    if (d == NULL) {
        return;
    }
    ctis_free(d->blocks);
    ctis_arena_release(&d->arena);
    memset(d, 0, sizeof *d);
}

/* Build the document, then draw it. */
int report_render_doc(const struct stats_datasheet *ds, int format,
                      const struct report_doc_opts *o, struct ctis_buf *out,
                      struct ctis_err *err)
{
    struct report_doc d;
    int rc = report_doc_build(ds, o->km, &d, err);

    if (rc != 0) {
        return rc;
    }
    if (format == REPORT_PDF) {
        rc = report_render_pdf(&d, out, err);
    } else if (format == REPORT_SVG) {
        rc = report_render_svg(&d, o->chart, out, err);
    } else {
        rc = ctis_err_set(err, CTIS_EINVAL, "not a document format");
    }
    report_doc_release(&d);
    return rc;
}

int report_write_workbook(const struct stats_datasheet *ds,
                          const struct report_doc_opts *o, const char *path,
                          struct ctis_err *err)
{
    struct report_doc d;
    int rc = report_doc_build(ds, o->km, &d, err);

    if (rc == 0) {
        rc = report_write_xlsx(&d, path, err);
    }
    report_doc_release(&d);
    return rc;
}
