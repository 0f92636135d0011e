/*
 * record.c - initialising, releasing and querying records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Empty case: everything unknown, no events. */
void model_case_init(struct model_case *c)
{
    memset(c, 0, sizeof *c);
    c->person.age = -1;
    c->trafficking_status = MODEL_TS_POSSIBLE;
    c->status = MODEL_CS_OPEN;
}

/* Empty criminal case. */
void model_criminal_case_init(struct model_criminal_case *cc)
{
    memset(cc, 0, sizeof *cc);
}

/* Empty agency. */
void model_agency_init(struct model_agency *a)
{
    memset(a, 0, sizeof *a);
    a->kind = MODEL_AK_OTHER;
}

/* Empty activity. */
void model_activity_init(struct model_activity *a)
{
    memset(a, 0, sizeof *a);
    a->reached = -1;
}

/* Empty instrument. */
void model_instrument_init(struct model_instrument *in)
{
    memset(in, 0, sizeof *in);
    in->kind = MODEL_INS_OTHER;
}

/* Free the events array and start over. */
void model_case_release(struct model_case *c)
{
    if (c == NULL) {
        return;
    }
    ctis_free(c->events);
    model_case_init(c);
}

/* Free the three arrays and start over. */
void model_criminal_case_release(struct model_criminal_case *cc)
{
    if (cc == NULL) {
        return;
    }
    ctis_free(cc->offenders);
    ctis_free(cc->victim_cases);
    ctis_free(cc->events);
    model_criminal_case_init(cc);
}

/* Amortised growth of the events array. */
int model_case_add_event(struct model_case *c, const struct model_event *e)
{
    if (c->n_events == c->cap_events) {
        size_t cap = c->cap_events > 0 ? c->cap_events * 2 : 8;
        struct model_event *p = ctis_realloc(c->events, cap * sizeof *p);

        if (p == NULL) {
            return CTIS_ENOMEM;
        }
        c->events = p;
        c->cap_events = cap;
    }
    c->events[c->n_events++] = *e;
    return 0;
}

/* Insertion sort: stable, and event lists are short. */
void model_case_sort_events(struct model_case *c)
{
    size_t i;

    for (i = 1; i < c->n_events; i++) {
        struct model_event e = c->events[i];
        size_t j = i;

        while (j > 0 && c->events[j - 1].date > e.date) {
            c->events[j] = c->events[j - 1];
            j--;
        }
        c->events[j] = e;
    }
}

/* Earliest date among events of one type. */
int model_case_first_date(const struct model_case *c, int type)
{
    int best = 0;
    size_t i;

    for (i = 0; i < c->n_events; i++) {
        if (c->events[i].type == type &&
            (best == 0 || c->events[i].date < best) &&
            model_event_live(c, i)) {
            best = c->events[i].date;
        }
    }
    return best;
}

/* The most precise data given wins. The year-only rule counts the person
 * a child when the year of identification minus the birth year is under
 * 18 (the birthday is unknown). */
int model_age_at(const struct model_person *p, int ident_date)
{
    if (p->birth_date != 0 && ident_date != 0) {
        return ctis_date_age(p->birth_date, ident_date);
    }
    if (p->birth_year != 0 && ident_date != 0) {
        return ident_date / 10000 - p->birth_year;
    }
    return p->age >= 0 ? p->age : -1;
}

/* Child under 18 at identification. */
const char *model_age_group(const struct model_person *p, int ident_date)
{
    int age = model_age_at(p, ident_date);

    if (age < 0) {
        return "unknown";
    }
    return age < 18 ? "child" : "adult";
}

/* Ids are printable ASCII of a safe alphabet, so they can appear in
 * messages, file names and URLs unescaped. */
int model_id_valid(const char *id)
{
    size_t n = 0;

    for (; id[n] != '\0'; n++) {
        char ch = id[n];

        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
              (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
              ch == ':' || ch == '-')) {
            return 0;
        }
    }
    return n >= 1 && n < MODEL_ID_MAX;
}

/* Start an empty problem list. */
void model_problems_clear(struct model_problems *p)
{
    p->n = 0;
    p->dropped = 0;
}

/* Append one problem, counting those past the cap. */
void model_problems_add(struct model_problems *p, const char *path,
                        const char *msg)
{
    if (p->n >= MODEL_PROBLEMS_MAX) {
        p->dropped++;
        return;
    }
    ctis_strlcpy(p->items[p->n].path, path, sizeof p->items[p->n].path);
    ctis_strlcpy(p->items[p->n].msg, msg, sizeof p->items[p->n].msg);
    p->n++;
}

/* Superseded: some event names this one's id in supersedes. Cases hold
 * tens of events, so a scan is cheap. */
int model_event_live(const struct model_case *c, size_t i)
{
    int id = c->events[i].id;
    size_t j;

    if (id == 0) {
        return 1;
    }
    for (j = 0; j < c->n_events; j++) {
        if (j != i && c->events[j].supersedes == id) {
            return 0;
        }
    }
    return 1;
}

/* The first live referral (by date, then order) on or after date d: its
 * `to`, MODEL_REF_NONE when there is none. */
static int referral_after(const struct model_case *c, int d)
{
    const struct model_event *best = NULL;
    size_t i;

    for (i = 0; i < c->n_events; i++) {
        const struct model_event *e = &c->events[i];

        if (e->type == MODEL_EV_REFERRAL && e->date >= d &&
            (best == NULL || e->date < best->date) &&
            model_event_live(c, i)) {
            best = e;
        }
    }
    return best != NULL ? best->referral : MODEL_REF_NONE;
}

/* The earliest live rescue date of the year of live rescue k when k is
 * the first live rescue of that year in record order; 0 otherwise. */
static int first_rescue_of_year(const struct model_case *c, size_t k)
{
    int year = c->events[k].date / 10000;
    int d = c->events[k].date;
    size_t i;

    for (i = 0; i < c->n_events; i++) {
        const struct model_event *e = &c->events[i];

        if (e->type != MODEL_EV_RESCUE || e->date / 10000 != year ||
            !model_event_live(c, i)) {
            continue;
        }
        if (i < k) {
            return 0;
        }
        if (e->date < d) {
            d = e->date;
        }
    }
    return d;
}

/* 1 when live official repatriation k is the first of its year and
 * corridor in record order. */
static int first_corridor(const struct model_case *c, size_t k)
{
    const struct model_event *e = &c->events[k];
    size_t i;

    for (i = 0; i < k; i++) {
        const struct model_event *o = &c->events[i];

        if (o->type == MODEL_EV_REPATRIATION && o->official &&
            o->date / 10000 == e->date / 10000 &&
            strcmp(o->from_country, e->from_country) == 0 &&
            strcmp(o->to_country, e->to_country) == 0 &&
            model_event_live(c, i)) {
            return 0;
        }
    }
    return 1;
}

int model_case_facts(const struct model_case *c, model_fact_fn fn, void *ctx)
{
    size_t i;
    int rc = 0;

    for (i = 0; rc == 0 && i < c->n_events; i++) {
        const struct model_event *e = &c->events[i];
        struct model_fact f;

        if ((e->type != MODEL_EV_RESCUE &&
             (e->type != MODEL_EV_REPATRIATION || !e->official)) ||
            !model_event_live(c, i)) {
            continue;
        }
        memset(&f, 0, sizeof f);
        f.year = e->date / 10000;
        if (e->type == MODEL_EV_RESCUE) {
            f.kind = MODEL_FACT_RESCUE;
            f.date = first_rescue_of_year(c, i);
            if (f.date == 0) {
                continue;
            }
            f.year = f.date / 10000;
            f.referral = referral_after(c, f.date);
        } else {
            if (!first_corridor(c, i)) {
                continue;
            }
            f.kind = MODEL_FACT_REPATRIATION;
            f.date = e->date;
            f.from_country = e->from_country;
            f.to_country = e->to_country;
        }
        rc = fn(ctx, &f);
    }
    return rc;
}

/* The latest closure or re_trafficked decides; see model.h. */
void model_case_derive_status(struct model_case *c)
{
    const struct model_event *last = NULL;
    size_t i;
    size_t k = 0;

    for (i = 0; i < c->n_events; i++) {
        const struct model_event *e = &c->events[i];

        if ((e->type != MODEL_EV_CLOSURE &&
             e->type != MODEL_EV_RE_TRAFFICKED) ||
            !model_event_live(c, i)) {
            continue;
        }
        if (last == NULL || e->date >= last->date) {
            last = e;
            k = i;
        }
    }
    if (last == NULL) {
        return;
    }
    if (last->type == MODEL_EV_RE_TRAFFICKED) {
        c->status = MODEL_CS_OPEN;
        return;
    }
    c->status = MODEL_CS_CLOSED;
    for (i = 0; i < c->n_events; i++) {
        const struct model_event *e = &c->events[i];

        if (e->type == MODEL_EV_REFERRAL && model_event_live(c, i) &&
            (e->date < last->date || (e->date == last->date && i < k))) {
            c->status = MODEL_CS_CLOSED_REFERRED;
        }
    }
}

/* The largest id given so far. */
int model_case_max_event_id(const struct model_case *c)
{
    int max = 0;
    size_t i;

    for (i = 0; i < c->n_events; i++) {
        if (c->events[i].id > max) {
            max = c->events[i].id;
        }
    }
    return max;
}

/* Number the events that have no id yet. */
void model_case_number_events(struct model_case *c)
{
    int next = model_case_max_event_id(c) + 1;
    size_t i;

    for (i = 0; i < c->n_events; i++) {
        if (c->events[i].id == 0) {
            c->events[i].id = next++;
        }
    }
}

/* The latest stage-changing event wins; same-day events keep file order. */
const char *model_case_stage(const struct model_case *c)
{
    const struct model_event *last = NULL;
    size_t i;

    for (i = 0; i < c->n_events; i++) {
        const struct model_event *e = &c->events[i];

        if (e->type == MODEL_EV_SERVICE || e->type == MODEL_EV_REFERRAL ||
            !model_event_live(c, i)) {
            continue;
        }
        if (last == NULL || e->date >= last->date) {
            last = e;
        }
    }
    if (last == NULL) {
        return "registered";
    }
    return model_code_name(model_event_type_codes, last->type);
}

/* The key=value options of an event as a case worker types them (ctis case
 * event): countries in any case, supersedes an event number, booleans as model_bool_parse, codes as
 * model_code_parse. A bad value is named by its key, never quoted. */
int model_event_option(struct model_event *e, const char *key,
                       const char *value, char *msg, size_t n)
{
    char list[256];
    int x;

    if (strcmp(key, "from_country") == 0 || strcmp(key, "to_country") == 0) {
        char *dst = key[0] == 'f' ? e->from_country : e->to_country;

        if (model_country_parse(value, dst) == NULL) {
            snprintf(msg, n, "event option '%s' must be an ISO 3166-1 "
                     "alpha-2 country code (TH, VN, KH, ...)", key);
            return -1;
        }
        return 0;
    }
    if (strcmp(key, "official") == 0) {
        x = model_bool_parse(value);
        if (x < 0) {
            snprintf(msg, n, "event option 'official' must be "
                     MODEL_BOOL_ALLOWED);
            return -1;
        }
        e->official = x;
        return 0;
    }
    if (strcmp(key, "service") == 0 || strcmp(key, "to") == 0) {
        const struct model_code *table = key[0] == 's' ? model_service_codes
                                                        : model_referral_codes;

        x = model_code_parse(table, value);
        if (x <= 0) {
            /* Value 0 of both tables is "none", not a choice. */
            model_code_list(table + 1, list, sizeof list);
            snprintf(msg, n, "event option '%s' must be one of: %s", key,
                     list);
            return -1;
        }
        if (key[0] == 's') {
            e->service = x;
        } else {
            e->referral = x;
        }
        return 0;
    }
    if (strcmp(key, "supersedes") == 0) {
        long seq;

        if (ctis_parse_long(value, 1, 1000000, &seq) != 0) {
            snprintf(msg, n, "event option 'supersedes' must be the number "
                     "of an event of the case, 1 to 1000000");
            return -1;
        }
        e->supersedes = (int)seq;
        return 0;
    }
    snprintf(msg, n, "unknown event option '%s' (the options are "
             "from_country, to_country, official, service, to, supersedes)",
             key);
    return -1;
}
