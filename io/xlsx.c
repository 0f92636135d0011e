/*
 * xlsx.c - the store as an Excel workbook (libxlsxwriter): one sheet per
 * record type (agencies, cases, events, criminal cases, offenders,
 * activities, instruments), a bold header row frozen above the data,
 * dates as Excel dates (yyyy-mm-dd), numbers as numbers. The workbook is
 * written beside the target and renamed when complete (base's atomic
 * file), so a half-written workbook never takes the target's name.
 */
#include <string.h>
#include <xlsxwriter.h>

#include "io_int.h"

struct book {
    lxw_workbook *wb;
    lxw_worksheet *ws[7];
    lxw_row_t row[7];
    lxw_format *bold;
    lxw_format *date;
    struct ctis_err *err;
};

enum {
    S_AGENCIES,
    S_CASES,
    S_EVENTS,
    S_CRIMINAL,
    S_OFFENDERS,
    S_ACTIVITIES,
    S_INSTRUMENTS
};

static const char *const sheet_names[7] = {
    "agencies",  "cases",      "events",     "criminal_cases",
    "offenders", "activities", "instruments"};

static const char *const headers[7][16] = {
    {"id", "name", "kind", "pillars", "provinces", NULL},
    {"id", "agency", "given_name", "family_name", "given_name_km",
     "family_name_km", "sex", "birth_date", "birth_year", "age", "citizenship",
     "home_province", "trafficking_status", "movement", "exploitation", NULL},
    {"case", "type", "date", "from_country", "to_country", "official",
     "service", "referral", NULL},
    {"id", "kind", "victim_cases", NULL},
    {"criminal_case", "id", "sex", "citizenship", "role", NULL},
    {"id", "agency", "kind", "province", "start", "end", "reached", NULL},
    {"id", "title", "kind", "date", "parties", NULL},
};

/* The remaining case columns (after exploitation). */
static const char *const case_more[] = {"labour_sector",
                                        "means",
                                        "recruiter_relationship",
                                        "destination_country",
                                        "destination_province",
                                        "destination_city",
                                        "status",
                                        NULL};

static void text(struct book *b, int s, int col, const char *v)
{
    if (v != NULL && v[0] != '\0') {
        worksheet_write_string(b->ws[s], b->row[s], (lxw_col_t)col, v, NULL);
    }
}

static void num(struct book *b, int s, int col, double v)
{
    worksheet_write_number(b->ws[s], b->row[s], (lxw_col_t)col, v, NULL);
}

static void date(struct book *b, int s, int col, int ymd)
{
    lxw_datetime dt;

    if (ymd == 0) {
        return;
    }
    memset(&dt, 0, sizeof dt);
    dt.year = ymd / 10000;
    dt.month = ymd / 100 % 100;
    dt.day = ymd % 100;
    worksheet_write_datetime(b->ws[s], b->row[s], (lxw_col_t)col, &dt, b->date);
}

static void set_text(char *out, size_t size, const struct model_code *t,
                     unsigned long bits)
{
    out[0] = '\0';
    for (; t->code != NULL; t++) {
        if (bits & (unsigned long)t->value) {
            if (out[0] != '\0') {
                ctis_strlcpy(out + strlen(out), ";", size - strlen(out));
            }
            ctis_strlcpy(out + strlen(out), t->code, size - strlen(out));
        }
    }
}

static const char *code(const struct model_code *t, int v, int none)
{
    return v == none ? NULL : model_code_name(t, v);
}

static int on_agency(void *ctx, const struct model_agency *a)
{
    struct book *b = ctx;
    char list[256];
    char prov[256] = "";
    int n;

    b->row[S_AGENCIES]++;
    text(b, S_AGENCIES, 0, a->id);
    text(b, S_AGENCIES, 1, a->name);
    text(b, S_AGENCIES, 2, model_code_name(model_agency_kind_codes, a->kind));
    set_text(list, sizeof list, model_pillar_codes, a->pillars);
    text(b, S_AGENCIES, 3, list);
    for (n = 1; n <= MODEL_PROVINCES; n++) {
        if (a->provinces & (1ul << n)) {
            snprintf(prov + strlen(prov), sizeof prov - strlen(prov), "%sKH-%d",
                     prov[0] != '\0' ? ";" : "", n);
        }
    }
    text(b, S_AGENCIES, 4, prov);
    return 0;
}

static int on_case(void *ctx, const struct model_case *c)
{
    struct book *b = ctx;
    const struct model_person *p = &c->person;
    char list[256];
    size_t i;

    b->row[S_CASES]++;
    text(b, S_CASES, 0, c->id);
    text(b, S_CASES, 1, c->agency);
    text(b, S_CASES, 2, p->given_name);
    text(b, S_CASES, 3, p->family_name);
    text(b, S_CASES, 4, p->given_name_km);
    text(b, S_CASES, 5, p->family_name_km);
    text(b, S_CASES, 6, code(model_sex_codes, p->sex, MODEL_SEX_UNKNOWN));
    date(b, S_CASES, 7, p->birth_date);
    if (p->birth_year != 0) {
        num(b, S_CASES, 8, p->birth_year);
    }
    if (p->age >= 0) {
        num(b, S_CASES, 9, p->age);
    }
    text(b, S_CASES, 10, p->citizenship);
    text(b, S_CASES, 11, p->home_province);
    text(b, S_CASES, 12,
         model_code_name(model_tstatus_codes, c->trafficking_status));
    text(b, S_CASES, 13,
         code(model_movement_codes, c->movement, MODEL_MOV_UNKNOWN));
    set_text(list, sizeof list, model_exploitation_codes, c->exploitation);
    text(b, S_CASES, 14, list);
    text(b, S_CASES, 15,
         code(model_sector_codes, c->labour_sector, MODEL_SECTOR_NONE));
    set_text(list, sizeof list, model_means_codes, c->means);
    text(b, S_CASES, 16, list);
    text(b, S_CASES, 17,
         code(model_relation_codes, c->recruiter_relationship,
              MODEL_REL_UNKNOWN));
    text(b, S_CASES, 18, c->destination_country);
    text(b, S_CASES, 19, c->destination_province);
    text(b, S_CASES, 20, c->destination_city);
    text(b, S_CASES, 21, model_code_name(model_case_status_codes, c->status));
    for (i = 0; i < c->n_events; i++) {
        const struct model_event *e = &c->events[i];

        b->row[S_EVENTS]++;
        text(b, S_EVENTS, 0, c->id);
        text(b, S_EVENTS, 1, model_code_name(model_event_type_codes, e->type));
        date(b, S_EVENTS, 2, e->date);
        text(b, S_EVENTS, 3, e->from_country);
        text(b, S_EVENTS, 4, e->to_country);
        if (e->type == MODEL_EV_REPATRIATION) {
            worksheet_write_boolean(b->ws[S_EVENTS], b->row[S_EVENTS], 5,
                                    e->official, NULL);
        }
        text(b, S_EVENTS, 6,
             code(model_service_codes, e->service, MODEL_SVC_NONE));
        text(b, S_EVENTS, 7,
             code(model_referral_codes, e->referral, MODEL_REF_NONE));
    }
    return 0;
}

static int on_criminal_case(void *ctx, const struct model_criminal_case *cc)
{
    struct book *b = ctx;
    char list[1024] = "";
    size_t i;

    b->row[S_CRIMINAL]++;
    text(b, S_CRIMINAL, 0, cc->id);
    text(b, S_CRIMINAL, 1, model_code_name(model_crim_kind_codes, cc->kind));
    for (i = 0; i < cc->n_victim_cases; i++) {
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                 i > 0 ? ";" : "", cc->victim_cases[i]);
    }
    text(b, S_CRIMINAL, 2, list);
    for (i = 0; i < cc->n_offenders; i++) {
        const struct model_offender *o = &cc->offenders[i];

        b->row[S_OFFENDERS]++;
        text(b, S_OFFENDERS, 0, cc->id);
        text(b, S_OFFENDERS, 1, o->id);
        text(b, S_OFFENDERS, 2,
             code(model_sex_codes, o->sex, MODEL_SEX_UNKNOWN));
        text(b, S_OFFENDERS, 3, o->citizenship);
        text(b, S_OFFENDERS, 4, model_code_name(model_role_codes, o->role));
    }
    return 0;
}

static int on_activity(void *ctx, const struct model_activity *a)
{
    struct book *b = ctx;

    b->row[S_ACTIVITIES]++;
    text(b, S_ACTIVITIES, 0, a->id);
    text(b, S_ACTIVITIES, 1, a->agency);
    text(b, S_ACTIVITIES, 2,
         model_code_name(model_activity_kind_codes, a->kind));
    text(b, S_ACTIVITIES, 3, a->province);
    date(b, S_ACTIVITIES, 4, a->start);
    date(b, S_ACTIVITIES, 5, a->end);
    if (a->reached >= 0) {
        num(b, S_ACTIVITIES, 6, (double)a->reached);
    }
    return 0;
}

static int on_instrument(void *ctx, const struct model_instrument *in)
{
    struct book *b = ctx;
    char list[64] = "";
    size_t i;

    b->row[S_INSTRUMENTS]++;
    text(b, S_INSTRUMENTS, 0, in->id);
    text(b, S_INSTRUMENTS, 1, in->title);
    text(b, S_INSTRUMENTS, 2,
         model_code_name(model_instrument_kind_codes, in->kind));
    date(b, S_INSTRUMENTS, 3, in->date);
    for (i = 0; i < in->n_parties; i++) {
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                 i > 0 ? ";" : "", in->parties[i]);
    }
    text(b, S_INSTRUMENTS, 4, list);
    return 0;
}

/* Write the workbook at path; see io.h. Identifying fields are there: an
 * XLSX export stays inside the agency (it has no --public form). */
int io_xlsx_export(struct store *st, const char *path, struct ctis_err *err)
{
    struct store_case_filter all = {.status = -1};
    struct ctis_atomic_file af;
    lxw_workbook_options opt = {0};
    char name[64];
    char dir[CTIS_PATH_MAX];
    struct book b;
    int rc;
    int s;
    int c;

    if (path == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "an xlsx export needs a file");
    }
    rc = ctis_atomic_open(&af, path, err);
    if (rc != 0) {
        return rc;
    }
    memset(&b, 0, sizeof b);
    b.err = err;
    /* the library opens its output by name and keeps its sheets in
     * temporary files: it gets a name of our descriptor and the output's
     * folder (base.h) */
    if (ctis_atomic_fd_name(&af, name, sizeof name, err) != 0) {
        ctis_atomic_abort(&af);
        return CTIS_EARG;
    }
    ctis_atomic_dir(&af, dir, sizeof dir);
    opt.tmpdir = dir;
    b.wb = workbook_new_opt(name, &opt);
    if (b.wb == NULL) {
        ctis_atomic_abort(&af);
        return ctis_err_set(err, CTIS_EIO, "cannot create '%s'", path);
    }
    b.bold = workbook_add_format(b.wb);
    format_set_bold(b.bold);
    b.date = workbook_add_format(b.wb);
    format_set_num_format(b.date, "yyyy-mm-dd");
    for (s = 0; s < 7; s++) {
        b.ws[s] = workbook_add_worksheet(b.wb, sheet_names[s]);
        for (c = 0; headers[s][c] != NULL; c++) {
            worksheet_write_string(b.ws[s], 0, (lxw_col_t)c, headers[s][c],
                                   b.bold);
        }
        if (s == S_CASES) {
            int m;

            for (m = 0; case_more[m] != NULL; m++) {
                worksheet_write_string(b.ws[s], 0, (lxw_col_t)(c + m),
                                       case_more[m], b.bold);
            }
        }
        worksheet_freeze_panes(b.ws[s], 1, 1);
        worksheet_set_column(b.ws[s], 0, 30, 14, NULL);
    }
    rc = store_each_agency(st, on_agency, &b, err);
    if (rc == 0) {
        rc = store_each_case(st, &all, on_case, &b, err);
    }
    if (rc == 0) {
        rc = store_each_criminal_case(st, on_criminal_case, &b, err);
    }
    if (rc == 0) {
        rc = store_each_activity(st, on_activity, &b, err);
    }
    if (rc == 0) {
        rc = store_each_instrument(st, on_instrument, &b, err);
    }
    if (workbook_close(b.wb) != LXW_NO_ERROR && rc == 0) {
        rc = ctis_err_set(err, CTIS_EIO, "cannot write '%s'", path);
    }
    if (rc == 0) {
        return ctis_atomic_commit(&af, err);
    }
    ctis_atomic_abort(&af);
    return rc;
}
