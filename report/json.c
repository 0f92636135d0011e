/*
 * json.c - the datasheet as one JSON object (jansson). Keys and meanings
 * are documented in docs/datasheet.md; the tables required by the core
 * issue (repatriations, rescues, investigations, source_provinces,
 * destination_provinces, destination_countries, persons_by_sex_age,
 * exploitation) keep their names and row shapes. A suppressed count is
 * null and its field is named in the row's "suppressed" array; rows are
 * never dropped.
 *
 * jansson reports out of memory as a NULL value or a -1 return: every
 * call below goes through set() or add(), which remember the first
 * failure, so the builder reads straight and fails once at the end.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "report.h"
#include "report_int.h"

struct jb {
    int failed;
};

static void set(struct jb *j, json_t *obj, const char *key, json_t *v)
{
    if (v == NULL || obj == NULL || json_object_set_new(obj, key, v) != 0) {
        j->failed = 1;
    }
}

static void add(struct jb *j, json_t *arr, json_t *v)
{
    if (v == NULL || arr == NULL || json_array_append_new(arr, v) != 0) {
        j->failed = 1;
    }
}

static json_t *str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

/* Set obj[name] to the cell's count, or null and name it in supp. */
static void cell(struct jb *j, json_t *obj, const char *name,
                 const struct stats_cell *c, json_t *supp)
{
    if (c->suppressed != STATS_SHOWN) {
        set(j, obj, name, json_null());
        add(j, supp, json_string(name));
    } else {
        set(j, obj, name, json_integer(c->n));
    }
}

/* Attach the list of suppressed fields to a row when it is not empty. */
static void close_row(struct jb *j, json_t *row, json_t *supp)
{
    if (supp != NULL && json_array_size(supp) > 0) {
        set(j, row, "suppressed", supp);
    } else {
        json_decref(supp);
    }
}

static json_t *period_year(int y)
{
    return y != 0 ? json_integer(y) : json_null();
}

static json_t *repatriations(struct jb *j, const struct stats_datasheet *ds)
{
    json_t *arr = json_array();
    size_t i;

    for (i = 0; i < ds->n_repatriations; i++) {
        const struct stats_repatriation *r = &ds->repatriations[i];
        json_t *row = json_object();
        json_t *supp = json_array();

        set(j, row, "from", json_string(r->from));
        set(j, row, "to", json_string(r->to));
        set(j, row, "year", json_integer(r->year));
        cell(j, row, "persons", &r->persons, supp);
        close_row(j, row, supp);
        add(j, arr, row);
    }
    return arr;
}

static json_t *rescues(struct jb *j, const struct stats_datasheet *ds)
{
    json_t *arr = json_array();
    size_t i;
    int k;

    for (i = 0; i < ds->n_rescues; i++) {
        const struct stats_rescue *r = &ds->rescues[i];
        json_t *row = json_object();
        json_t *to = json_object();
        json_t *supp = json_array();

        set(j, row, "year", json_integer(r->year));
        cell(j, row, "persons", &r->persons, supp);
        for (k = 0; k < STATS_REFERRALS; k++) {
            const struct stats_cell *c = &r->referred[k];

            if (c->suppressed != STATS_SHOWN) {
                char name[48];

                snprintf(name, sizeof name, "referred_to.%s",
                         stats_referral_keys[k]);
                set(j, to, stats_referral_keys[k], json_null());
                add(j, supp, json_string(name));
            } else {
                set(j, to, stats_referral_keys[k], json_integer(c->n));
            }
        }
        set(j, row, "referred_to", to);
        close_row(j, row, supp);
        add(j, arr, row);
    }
    return arr;
}

static json_t *crim(struct jb *j, const struct stats_crim *c)
{
    json_t *arr = json_array();
    int i;

    for (i = 0; i < 2; i++) {
        json_t *row = json_object();
        json_t *supp = json_array();

        set(j, row, "kind", json_string(c[i].kind));
        cell(j, row, "cases", &c[i].cases, supp);
        cell(j, row, "offenders", &c[i].offenders, supp);
        close_row(j, row, supp);
        add(j, arr, row);
    }
    return arr;
}

/* A case table; name_of gives a display name for the key (or NULL). */
static json_t *counts(struct jb *j, const struct stats_counts *c,
                      const char *key, const char *key2,
                      const char *(*name_of)(const char *))
{
    json_t *arr = json_array();
    size_t i;

    for (i = 0; i < c->len; i++) {
        const struct stats_count *r = &c->rows[i];
        json_t *row = json_object();
        json_t *supp = json_array();

        if (key != NULL) {
            set(j, row, key, json_string(r->key));
        } else {
            /* Cases without an identification date: year null, never 0. */
            set(j, row, "year",
                r->year > 0 ? json_integer(r->year) : json_null());
        }
        if (name_of != NULL) {
            set(j, row, "name", str_or_null(name_of(r->key)));
        }
        if (key2 != NULL) {
            set(j, row, key2, json_string(r->key2));
        }
        cell(j, row, "cases", &r->cases, supp);
        close_row(j, row, supp);
        add(j, arr, row);
    }
    return arr;
}

static json_t *agencies(struct jb *j, const struct stats_datasheet *ds)
{
    json_t *obj = json_object();
    json_t *arr = json_array();
    long total = 0;
    int k;
    int p;

    for (k = 0; k < STATS_AGENCY_KINDS; k++) {
        json_t *row = json_object();
        json_t *pil = json_object();

        total += ds->agencies[k];
        set(j, row, "kind", json_string(model_code_name(
                                model_agency_kind_codes, k)));
        set(j, row, "agencies", json_integer(ds->agencies[k]));
        for (p = 0; p < STATS_PILLARS; p++) {
            set(j, pil, model_code_name(model_pillar_codes, 1 << p),
                json_integer(ds->agencies_pillar[k][p]));
        }
        set(j, row, "pillars", pil);
        add(j, arr, row);
    }
    set(j, obj, "total", json_integer(total));
    set(j, obj, "by_kind", arr);
    return obj;
}

static json_t *activities(struct jb *j, const struct stats_datasheet *ds)
{
    json_t *arr = json_array();
    int k;

    for (k = 0; k < STATS_ACTIVITY_KINDS; k++) {
        json_t *row;

        if (ds->activities[k].count == 0) {
            continue;
        }
        row = json_object();
        set(j, row, "kind",
            json_string(model_code_name(model_activity_kind_codes, k)));
        set(j, row, "activities", json_integer(ds->activities[k].count));
        set(j, row, "reached", json_integer(ds->activities[k].reached));
        add(j, arr, row);
    }
    return arr;
}

static json_t *instruments(struct jb *j, const struct stats_datasheet *ds)
{
    json_t *arr = json_array();
    size_t i;
    size_t p;

    for (i = 0; i < ds->n_instruments; i++) {
        const struct model_instrument *in = &ds->instruments[i];
        json_t *row = json_object();
        json_t *parties = json_array();
        const char *kind = model_code_name(model_instrument_kind_codes,
                                           in->kind);

        set(j, row, "id", json_string(in->id));
        set(j, row, "title", json_string(in->title));
        set(j, row, "kind", json_string(kind != NULL ? kind : "other"));
        set(j, row, "year", period_year(in->date / 10000));
        for (p = 0; p < in->n_parties; p++) {
            add(j, parties, json_string(in->parties[p]));
        }
        set(j, row, "parties", parties);
        add(j, arr, row);
    }
    return arr;
}

static const char *province_name(const char *code)
{
    const struct model_province *p = model_province_find(code);

    return p != NULL ? p->name : NULL;
}

static const char *country_name(const char *code)
{
    const struct model_country *c = model_country_find(code);

    return c != NULL ? c->name : NULL;
}

static json_t *real_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* The next-best model (as ctis estimate's next_best), or null. */
static json_t *next_best(struct jb *j, const struct stats_estimate *e)
{
    json_t *n;

    if (e->next_model[0] == '\0') {
        return json_null();
    }
    n = json_object();
    set(j, n, "model", json_string(e->next_model));
    if (e->next_term[0] != '\0') {
        set(j, n, "term", json_string(e->next_term));
        set(j, n, "change", json_string(e->next_added ? "add" : "remove"));
        set(j, n, "p", real_or_null(e->next_p));
    }
    set(j, n, "estimate", real_or_null(e->next_estimate));
    set(j, n, "shift_se", real_or_null(e->shift));
    return n;
}

/* The estimated total, or null when the store holds no links from three
 * agencies. */
static json_t *estimated_total(struct jb *j, const struct stats_datasheet *ds)
{
    const struct stats_estimate *e = &ds->estimate;
    json_t *o;
    json_t *lists;
    json_t *ci;
    json_t *profile;
    json_t *warnings;
    int i;

    if (!e->present) {
        return json_null();
    }
    o = json_object();
    lists = json_array();
    for (i = 0; i < e->lists; i++) {
        add(j, lists, json_string(e->list_names[i]));
    }
    set(j, o, "lists", lists);
    set(j, o, "agencies_linked", json_integer(e->agencies_linked));
    set(j, o, "suppressed", json_boolean(e->suppressed));
    if (e->suppressed) {
        return o;
    }
    set(j, o, "observed", real_or_null(e->observed));
    set(j, o, "estimate", real_or_null(e->estimate));
    set(j, o, "dark_figure", real_or_null(e->estimate - e->observed));
    set(j, o, "se", real_or_null(e->se));
    set(j, o, "model", json_string(e->model));
    set(j, o, "existence", json_string(e->existence));
    ci = json_object();
    set(j, ci, "method", json_string("normal"));
    set(j, ci, "level", json_real(0.95));
    set(j, ci, "lower", real_or_null(e->normal_lower));
    set(j, ci, "upper", real_or_null(e->normal_upper));
    set(j, o, "ci", ci);
    profile = json_object();
    set(j, profile, "method", json_string("profile"));
    set(j, profile, "level", json_real(0.95));
    set(j, profile, "lower", real_or_null(e->profile_lower));
    set(j, profile, "upper", real_or_null(e->profile_upper));
    set(j, o, "profile_ci", profile);
    set(j, o, "next_best", next_best(j, e));
    set(j, o, "stable", e->stable < 0 ? json_null() : json_boolean(e->stable));
    warnings = json_array();
    for (i = 0; i < e->n_warnings; i++) {
        json_t *w = json_object();

        set(j, w, "code", json_string(e->warnings[i].code));
        set(j, w, "message", json_string(e->warnings[i].text));
        add(j, warnings, w);
    }
    set(j, o, "warnings", warnings);
    return o;
}

static json_t *build(struct jb *j, const struct stats_datasheet *ds)
{
    json_t *root = json_object();
    json_t *period = json_object();
    json_t *disc = json_object();
    json_t *tot = json_array();

    set(j, root, "title", json_string(REPORT_TITLE));
    set(j, period, "from", period_year(ds->from_year));
    set(j, period, "to", period_year(ds->to_year));
    set(j, root, "period", period);
    set(j, disc, "k", json_integer(ds->k));
    set(j, disc, "suppressed_cells", json_integer(ds->suppressed));
    set(j, disc, "rule", json_string(REPORT_DISCLOSURE_RULE));
    set(j, root, "disclosure", disc);
    set(j, root, "repatriations", repatriations(j, ds));
    cell(j, root, "repatriated", &ds->repatriated, tot);
    set(j, root, "rescues", rescues(j, ds));
    set(j, root, "investigations", crim(j, ds->investigations));
    set(j, root, "convictions", crim(j, ds->convictions));
    cell(j, root, "cases", &ds->cases, tot);
    close_row(j, root, tot);
    set(j, root, "cases_by_year", counts(j, &ds->cases_by_year, NULL, NULL,
                                         NULL));
    set(j, root, "source_provinces",
        counts(j, &ds->source_provinces, "province", NULL, province_name));
    set(j, root, "destination_provinces",
        counts(j, &ds->destination_provinces, "province", NULL,
               province_name));
    set(j, root, "destination_countries",
        counts(j, &ds->destination_countries, "country", NULL,
               country_name));
    set(j, root, "persons_by_sex_age",
        counts(j, &ds->sex_age, "sex", "age_group", NULL));
    set(j, root, "exploitation",
        counts(j, &ds->exploitation, "exploitation", NULL, NULL));
    set(j, root, "labour_sectors",
        counts(j, &ds->sectors, "sector", NULL, NULL));
    set(j, root, "movement", counts(j, &ds->movement, "movement", NULL,
                                    NULL));
    set(j, root, "estimated_total", estimated_total(j, ds));
    set(j, root, "agencies", agencies(j, ds));
    set(j, root, "activities", activities(j, ds));
    set(j, root, "instruments", instruments(j, ds));
    return root;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
    return ctis_buf_append(data, buffer, size) == 0 ? 0 : -1;
}

/* Build the object, dump it indented with a final newline. */
int report_render_json(const struct stats_datasheet *ds,
                       struct ctis_buf *out, struct ctis_err *err)
{
    struct jb j = {0};
    json_t *root = build(&j, ds);
    size_t len = out->len;
    int rc = 0;

    if (j.failed || root == NULL ||
        json_dump_callback(root, dump_cb, out, JSON_INDENT(2)) != 0 ||
        ctis_buf_putc(out, '\n') != 0) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory rendering JSON");
        out->len = len;
        if (out->cap > 0) {
            out->data[len] = '\0';
        }
    }
    json_decref(root);
    return rc;
}
