/*
 * jsonl_write.c - a record as one JSON line, "type" first, fields in a fixed
 * order and unknown values left out, so that export, import and export
 * again give the same bytes. Written by hand into a buffer: exporting a
 * million cases must not build a million jansson trees.
 */
#include <stdio.h>
#include <string.h>

#include "io.h"

struct writer {
    struct ctis_buf *b;
    int rc;       /* first error, sticky */
    int first;    /* no field written yet in the current object */
};

static void raw(struct writer *w, const char *s)
{
    if (w->rc == 0) {
        w->rc = ctis_buf_puts(w->b, s);
    }
}

/* A JSON string with the escapes RFC 8259 requires. */
static void string(struct writer *w, const char *s)
{
    const unsigned char *p;
    char esc[8];

    raw(w, "\"");
    for (p = (const unsigned char *)s; *p != '\0' && w->rc == 0; p++) {
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            esc[2] = '\0';
            raw(w, esc);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            raw(w, esc);
        } else {
            w->rc = ctis_buf_putc(w->b, (char)*p);
        }
    }
    raw(w, "\"");
}

static void key(struct writer *w, const char *k)
{
    raw(w, w->first ? "" : ",");
    w->first = 0;
    string(w, k);
    raw(w, ":");
}

static void open_obj(struct writer *w)
{
    raw(w, "{");
    w->first = 1;
}

static void close_obj(struct writer *w)
{
    raw(w, "}");
    w->first = 0;
}

static void field_str(struct writer *w, const char *k, const char *v)
{
    if (v[0] != '\0') {
        key(w, k);
        string(w, v);
    }
}

static void field_code(struct writer *w, const char *k,
                       const struct model_code *table, int v)
{
    const char *code = model_code_name(table, v);

    if (code != NULL) {
        key(w, k);
        string(w, code);
    }
}

static void field_set(struct writer *w, const char *k,
                      const struct model_code *table, unsigned set)
{
    const struct model_code *c;
    int first = 1;

    if (set == 0) {
        return;
    }
    key(w, k);
    raw(w, "[");
    for (c = table; c->code != NULL; c++) {
        if (set & (unsigned)c->value) {
            raw(w, first ? "" : ",");
            first = 0;
            string(w, c->code);
        }
    }
    raw(w, "]");
}

static void field_long(struct writer *w, const char *k, long v)
{
    char num[24];

    snprintf(num, sizeof num, "%ld", v);
    key(w, k);
    raw(w, num);
}

static void field_date(struct writer *w, const char *k, int date)
{
    char text[11];

    if (date != 0) {
        ctis_date_format(date, text);
        key(w, k);
        string(w, text);
    }
}

/* A public record leaves out exactly model/'s identifying fields. */
static void write_person(struct writer *w, const struct model_person *in,
                         int public_only)
{
    struct model_person copy;
    const struct model_person *p = in;

    if (public_only) {
        copy = *in;
        model_person_clear_identity(&copy);
        p = &copy;
    }
    key(w, "person");
    open_obj(w);
    field_str(w, "given_name", p->given_name);
    field_str(w, "family_name", p->family_name);
    field_str(w, "given_name_km", p->given_name_km);
    field_str(w, "family_name_km", p->family_name_km);
    if (p->sex != MODEL_SEX_UNKNOWN) {
        field_code(w, "sex", model_sex_codes, p->sex);
    }
    field_date(w, "birth_date", p->birth_date);
    if (p->birth_year != 0) {
        field_long(w, "birth_year", p->birth_year);
    }
    if (p->age >= 0) {
        field_long(w, "age", p->age);
    }
    field_str(w, "citizenship", p->citizenship);
    field_str(w, "home_province", p->home_province);
    field_str(w, "home_district", p->home_district);
    field_str(w, "home_commune", p->home_commune);
    field_str(w, "home_village", p->home_village);
    field_str(w, "phone", p->phone);
    field_str(w, "email", p->email);
    close_obj(w);
}

static void write_event(struct writer *w, const struct model_event *e)
{
    open_obj(w);
    if (e->id != 0) {
        field_long(w, "id", e->id);
    }
    if (e->supersedes != 0) {
        field_long(w, "supersedes", e->supersedes);
    }
    field_code(w, "type", model_event_type_codes, e->type);
    field_date(w, "date", e->date);
    if (e->type == MODEL_EV_REPATRIATION) {
        field_str(w, "from_country", e->from_country);
        field_str(w, "to_country", e->to_country);
        key(w, "official");
        raw(w, e->official ? "true" : "false");
    }
    if (e->service != MODEL_SVC_NONE) {
        field_code(w, "service", model_service_codes, e->service);
    }
    if (e->referral != MODEL_REF_NONE) {
        field_code(w, "to", model_referral_codes, e->referral);
    }
    close_obj(w);
}

static void write_case(struct writer *w, const struct model_case *c,
                       int public_only)
{
    size_t i;

    field_str(w, "id", c->id);
    field_str(w, "agency", c->agency);
    write_person(w, &c->person, public_only);
    field_code(w, "trafficking_status", model_tstatus_codes,
               c->trafficking_status);
    if (c->movement != MODEL_MOV_UNKNOWN) {
        field_code(w, "movement", model_movement_codes, c->movement);
    }
    field_set(w, "exploitation", model_exploitation_codes, c->exploitation);
    if (c->labour_sector != MODEL_SECTOR_NONE) {
        field_code(w, "labour_sector", model_sector_codes, c->labour_sector);
    }
    field_set(w, "means", model_means_codes, c->means);
    if (c->recruiter_relationship != MODEL_REL_UNKNOWN) {
        field_code(w, "recruiter_relationship", model_relation_codes,
                   c->recruiter_relationship);
    }
    field_str(w, "destination_country", c->destination_country);
    field_str(w, "destination_province", c->destination_province);
    field_str(w, "destination_city", c->destination_city);
    field_code(w, "status", model_case_status_codes, c->status);
    key(w, "events");
    raw(w, "[");
    for (i = 0; i < c->n_events; i++) {
        raw(w, i > 0 ? "," : "");
        write_event(w, &c->events[i]);
    }
    raw(w, "]");
}

static void write_criminal_case(struct writer *w,
                                const struct model_criminal_case *cc)
{
    size_t i;

    field_str(w, "id", cc->id);
    field_code(w, "kind", model_crim_kind_codes, cc->kind);
    key(w, "offenders");
    raw(w, "[");
    for (i = 0; i < cc->n_offenders; i++) {
        const struct model_offender *o = &cc->offenders[i];

        raw(w, i > 0 ? "," : "");
        open_obj(w);
        field_str(w, "id", o->id);
        if (o->sex != MODEL_SEX_UNKNOWN) {
            field_code(w, "sex", model_sex_codes, o->sex);
        }
        field_str(w, "citizenship", o->citizenship);
        field_code(w, "role", model_role_codes, o->role);
        close_obj(w);
    }
    raw(w, "]");
    key(w, "victim_cases");
    raw(w, "[");
    for (i = 0; i < cc->n_victim_cases; i++) {
        raw(w, i > 0 ? "," : "");
        string(w, cc->victim_cases[i]);
    }
    raw(w, "]");
    key(w, "events");
    raw(w, "[");
    for (i = 0; i < cc->n_events; i++) {
        const struct model_crim_event *e = &cc->events[i];

        raw(w, i > 0 ? "," : "");
        open_obj(w);
        field_code(w, "type", model_crim_event_codes, e->type);
        field_date(w, "date", e->date);
        field_str(w, "offender", e->offender);
        if (e->sentence_months >= 0) {
            field_long(w, "sentence_months", e->sentence_months);
        }
        field_str(w, "law_articles", e->law_articles);
        close_obj(w);
    }
    raw(w, "]");
}

static void write_agency(struct writer *w, const struct model_agency *a)
{
    int n;
    int first = 1;

    field_str(w, "id", a->id);
    field_str(w, "name", a->name);
    field_code(w, "kind", model_agency_kind_codes, a->kind);
    field_set(w, "pillars", model_pillar_codes, a->pillars);
    if (a->provinces == 0) {
        return;
    }
    key(w, "provinces");
    raw(w, "[");
    for (n = 1; n <= MODEL_PROVINCES; n++) {
        if (a->provinces & (1UL << n)) {
            raw(w, first ? "" : ",");
            first = 0;
            string(w, model_province_at(n)->code);
        }
    }
    raw(w, "]");
}

static void write_activity(struct writer *w, const struct model_activity *a)
{
    field_str(w, "id", a->id);
    field_str(w, "agency", a->agency);
    field_code(w, "kind", model_activity_kind_codes, a->kind);
    field_str(w, "province", a->province);
    field_date(w, "start", a->start);
    field_date(w, "end", a->end);
    if (a->reached >= 0) {
        field_long(w, "reached", a->reached);
    }
}

static void write_instrument(struct writer *w,
                             const struct model_instrument *in)
{
    size_t i;

    field_str(w, "id", in->id);
    field_str(w, "title", in->title);
    field_code(w, "kind", model_instrument_kind_codes, in->kind);
    field_date(w, "date", in->date);
    if (in->n_parties == 0) {
        return;
    }
    key(w, "parties");
    raw(w, "[");
    for (i = 0; i < in->n_parties; i++) {
        raw(w, i > 0 ? "," : "");
        string(w, in->parties[i]);
    }
    raw(w, "]");
}

static const char *const type_names[] = {"agency", "case", "criminal_case",
                                         "activity", "instrument"};

/* One line; on out of memory b is restored to its length on entry. */
int io_jsonl_write(struct ctis_buf *b, const struct io_record *r,
                   int public_only)
{
    struct writer w = {b, 0, 1};
    size_t start = b->len;

    open_obj(&w);
    key(&w, "type");
    string(&w, type_names[r->type]);
    switch (r->type) {
    case IO_REC_AGENCY:
        write_agency(&w, &r->u.agency);
        break;
    case IO_REC_CASE:
        write_case(&w, &r->u.kase, public_only);
        break;
    case IO_REC_CRIMINAL_CASE:
        write_criminal_case(&w, &r->u.criminal_case);
        break;
    case IO_REC_ACTIVITY:
        write_activity(&w, &r->u.activity);
        break;
    default:
        write_instrument(&w, &r->u.instrument);
        break;
    }
    close_obj(&w);
    raw(&w, "\n");
    if (w.rc != 0) {
        b->len = start;
        if (b->cap > 0) {
            b->data[start] = '\0';
        }
    }
    return w.rc;
}
