/*
 * validate.c - the rules a record must satisfy on its own. Each problem is
 * recorded with the field path and a reason that never quotes the value of
 * an identifying field. Rules that need other records (an agency named by
 * a case exists) belong to the importer and the store.
 */
#include <stdio.h>
#include <string.h>

#include "model.h"

struct checker {
    struct model_problems *out;
    int found;
};

static void bad(struct checker *ck, const char *path, const char *msg)
{
    model_problems_add(ck->out, path, msg);
    ck->found++;
}

static void check_id(struct checker *ck, const char *path, const char *id)
{
    if (id[0] == '\0') {
        bad(ck, path, "is required");
    } else if (!model_id_valid(id)) {
        bad(ck, path, "must be 1-63 characters of A-Z a-z 0-9 . _ : -");
    }
}

static void check_country(struct checker *ck, const char *path,
                          const char *code)
{
    if (code[0] != '\0' && model_country_find(code) == NULL) {
        bad(ck, path, "is not an ISO 3166-1 alpha-2 country code");
    }
}

static void check_province(struct checker *ck, const char *path,
                           const char *code)
{
    if (code[0] != '\0' && model_province_find(code) == NULL) {
        bad(ck, path, "is not a province code KH-1 to KH-25");
    }
}

/* The latest date a record may hold: tomorrow (UTC), so that a date
 * entered anywhere in the world today is accepted and a mistyped year
 * (2099 for 2009) is not. */
static int latest_date(void)
{
    return ctis_date_from_days(ctis_date_days(ctis_date_today()) + 1);
}

static void check_date(struct checker *ck, const char *path, int date,
                       int required)
{
    if (date == 0) {
        if (required) {
            bad(ck, path, "is required");
        }
    } else if (!ctis_date_valid(date / 10000, (date / 100) % 100,
                                date % 100)) {
        bad(ck, path, "is not a calendar date between 1900 and 2100");
    } else if (date > latest_date()) {
        bad(ck, path, "is in the future (after tomorrow)");
    }
}

/* A planned date (an activity's end) may lie ahead. */
static void check_planned_date(struct checker *ck, const char *path,
                               int date)
{
    if (date != 0 && !ctis_date_valid(date / 10000, (date / 100) % 100,
                                      date % 100)) {
        bad(ck, path, "is not a calendar date between 1900 and 2100");
    }
}

static void check_person(struct checker *ck, const struct model_case *c)
{
    const struct model_person *p = &c->person;
    int ident = model_case_first_date(c, MODEL_EV_IDENTIFICATION);

    check_date(ck, "person.birth_date", p->birth_date, 0);
    if (p->birth_year != 0 && (p->birth_year < 1900 || p->birth_year > 2100)) {
        bad(ck, "person.birth_year", "must be between 1900 and 2100");
    } else if (p->birth_year > latest_date() / 10000) {
        bad(ck, "person.birth_year", "is in the future");
    }
    if (p->birth_date != 0 && p->birth_year != 0 &&
        p->birth_date / 10000 != p->birth_year) {
        bad(ck, "person.birth_year", "disagrees with person.birth_date");
    }
    if (p->age < -1 || p->age > 120) {
        bad(ck, "person.age", "must be between 0 and 120");
    }
    if (p->birth_date != 0 && ident != 0 && p->birth_date > ident) {
        bad(ck, "person.birth_date", "is after the identification date");
    }
    check_country(ck, "person.citizenship", p->citizenship);
    check_province(ck, "person.home_province", p->home_province);
}

/* Ids are unique within the case; a correction names another event of
 * the case, and no event is corrected twice. */
static void check_event_ids(struct checker *ck, const struct model_case *c,
                            size_t i)
{
    const struct model_event *e = &c->events[i];
    char path[64];
    size_t j;
    int found = 0;

    for (j = 0; j < i && e->id != 0; j++) {
        if (c->events[j].id == e->id) {
            snprintf(path, sizeof path, "events[%zu].id", i);
            bad(ck, path, "is the id of an earlier event of the case");
            break;
        }
    }
    if (e->supersedes == 0) {
        return;
    }
    snprintf(path, sizeof path, "events[%zu].supersedes", i);
    for (j = 0; j < c->n_events; j++) {
        if (j != i && c->events[j].id == e->supersedes) {
            found = 1;
        }
        if (j < i && c->events[j].supersedes == e->supersedes) {
            bad(ck, path, "names an event another correction supersedes");
            return;
        }
    }
    if (!found || e->supersedes == e->id) {
        bad(ck, path, "names no other event of the case");
    }
}

static void check_event(struct checker *ck, const struct model_case *c,
                        size_t i)
{
    const struct model_event *e = &c->events[i];
    char path[64];

    snprintf(path, sizeof path, "events[%zu].date", i);
    check_date(ck, path, e->date, 1);
    if (e->type == MODEL_EV_REPATRIATION) {
        snprintf(path, sizeof path, "events[%zu].from_country", i);
        if (e->from_country[0] == '\0') {
            bad(ck, path, "is required for a repatriation");
        }
        check_country(ck, path, e->from_country);
        snprintf(path, sizeof path, "events[%zu].to_country", i);
        if (e->to_country[0] == '\0') {
            bad(ck, path, "is required for a repatriation");
        }
        check_country(ck, path, e->to_country);
        if (e->from_country[0] != '\0' &&
            strcmp(e->from_country, e->to_country) == 0) {
            bad(ck, path, "must differ from from_country");
        }
    }
    if (e->type == MODEL_EV_REFERRAL && e->referral == MODEL_REF_NONE) {
        snprintf(path, sizeof path, "events[%zu].to", i);
        bad(ck, path, "is required for a referral");
    }
    if (e->type == MODEL_EV_SERVICE && e->service == MODEL_SVC_NONE) {
        snprintf(path, sizeof path, "events[%zu].service", i);
        bad(ck, path, "is required for a service");
    }
    if (e->date != 0 && c->person.birth_date != 0 &&
        e->date < c->person.birth_date) {
        snprintf(path, sizeof path, "events[%zu].date", i);
        bad(ck, path, "is before the person's birth date");
    }
    check_event_ids(ck, c, i);
}

/* Rules of one case and its person and events. */
int model_case_validate(const struct model_case *c,
                        struct model_problems *out)
{
    struct checker ck = {out, 0};
    size_t i;

    check_id(&ck, "id", c->id);
    check_id(&ck, "agency", c->agency);
    check_person(&ck, c);
    check_country(&ck, "destination_country", c->destination_country);
    check_province(&ck, "destination_province", c->destination_province);
    if (c->movement == MODEL_MOV_CROSS_BORDER_OUT &&
        strcmp(c->destination_country, "KH") == 0) {
        bad(&ck, "destination_country",
            "must be outside Cambodia for movement cross_border_out");
    }
    if (c->labour_sector != MODEL_SECTOR_NONE &&
        !(c->exploitation & MODEL_EXP_FORCED_LABOUR)) {
        bad(&ck, "labour_sector", "needs forced_labour in exploitation");
    }
    for (i = 0; i < c->n_events; i++) {
        check_event(&ck, c, i);
    }
    return ck.found;
}

static int has_offender(const struct model_criminal_case *cc, const char *id)
{
    size_t i;

    for (i = 0; i < cc->n_offenders; i++) {
        if (strcmp(cc->offenders[i].id, id) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Rules of one criminal case: ids, offender references, dates. */
int model_criminal_case_validate(const struct model_criminal_case *cc,
                                 struct model_problems *out)
{
    struct checker ck = {out, 0};
    char path[64];
    size_t i;
    size_t j;

    check_id(&ck, "id", cc->id);
    for (i = 0; i < cc->n_offenders; i++) {
        snprintf(path, sizeof path, "offenders[%zu].id", i);
        check_id(&ck, path, cc->offenders[i].id);
        for (j = 0; j < i; j++) {
            if (strcmp(cc->offenders[i].id, cc->offenders[j].id) == 0) {
                bad(&ck, path, "appears twice in this case");
            }
        }
        snprintf(path, sizeof path, "offenders[%zu].citizenship", i);
        check_country(&ck, path, cc->offenders[i].citizenship);
    }
    for (i = 0; i < cc->n_victim_cases; i++) {
        snprintf(path, sizeof path, "victim_cases[%zu]", i);
        check_id(&ck, path, cc->victim_cases[i]);
    }
    for (i = 0; i < cc->n_events; i++) {
        const struct model_crim_event *e = &cc->events[i];

        snprintf(path, sizeof path, "events[%zu].date", i);
        check_date(&ck, path, e->date, 1);
        snprintf(path, sizeof path, "events[%zu].offender", i);
        if (e->offender[0] != '\0' && !has_offender(cc, e->offender)) {
            bad(&ck, path, "names no offender of this criminal case");
        }
        if (e->sentence_months < -1 || e->sentence_months > 1200) {
            snprintf(path, sizeof path, "events[%zu].sentence_months", i);
            bad(&ck, path, "must be between 0 and 1200");
        }
    }
    return ck.found;
}

/* Rules of an agency. */
int model_agency_validate(const struct model_agency *a,
                          struct model_problems *out)
{
    struct checker ck = {out, 0};

    check_id(&ck, "id", a->id);
    if (a->name[0] == '\0') {
        bad(&ck, "name", "is required");
    }
    if (a->provinces & ~(((1UL << MODEL_PROVINCES) - 1) << 1)) {
        bad(&ck, "provinces", "holds a province outside KH-1 to KH-25");
    }
    return ck.found;
}

/* Rules of a prevention or policy activity. */
int model_activity_validate(const struct model_activity *a,
                            struct model_problems *out)
{
    struct checker ck = {out, 0};

    check_id(&ck, "id", a->id);
    check_id(&ck, "agency", a->agency);
    check_province(&ck, "province", a->province);
    check_date(&ck, "start", a->start, 0);
    check_planned_date(&ck, "end", a->end);
    if (a->start != 0 && a->end != 0 && a->end < a->start) {
        bad(&ck, "end", "is before start");
    }
    if (a->reached < -1) {
        bad(&ck, "reached", "must not be negative");
    }
    return ck.found;
}

/* Rules of a legal or policy instrument. */
int model_instrument_validate(const struct model_instrument *in,
                              struct model_problems *out)
{
    struct checker ck = {out, 0};
    char path[64];
    size_t i;

    check_id(&ck, "id", in->id);
    if (in->title[0] == '\0') {
        bad(&ck, "title", "is required");
    }
    check_date(&ck, "date", in->date, 0);
    for (i = 0; i < in->n_parties; i++) {
        snprintf(path, sizeof path, "parties[%zu]", i);
        check_country(&ck, path, in->parties[i]);
    }
    return ck.found;
}
