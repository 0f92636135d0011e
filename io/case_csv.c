/*
 * case_csv.c - the flat CSV case list: one case per row, the first event of
 * each of four kinds as date columns (identification, rescue, referral,
 * repatriation). Sets (exploitation, means) are ';'-separated codes.
 * Columns may come in any order; the header names them.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "io.h"

enum column {
    COL_ID, COL_AGENCY, COL_GIVEN, COL_FAMILY, COL_GIVEN_KM, COL_FAMILY_KM,
    COL_SEX, COL_BIRTH_DATE, COL_BIRTH_YEAR, COL_AGE, COL_CITIZENSHIP,
    COL_HOME_PROVINCE, COL_HOME_DISTRICT, COL_HOME_COMMUNE,
    COL_HOME_VILLAGE, COL_PHONE, COL_EMAIL, COL_TSTATUS, COL_MOVEMENT,
    COL_EXPLOITATION, COL_SECTOR, COL_MEANS, COL_RELATION, COL_DEST_COUNTRY,
    COL_DEST_PROVINCE, COL_DEST_CITY, COL_STATUS, COL_IDENT_DATE,
    COL_RESCUE_DATE, COL_REFERRAL_TO, COL_REFERRAL_DATE, COL_REPAT_FROM,
    COL_REPAT_TO, COL_REPAT_DATE, COL_REPAT_OFFICIAL, N_COLUMNS
};

/* Which columns identify a person is model/'s list
 * (model_field_identifies). */
static const struct {
    const char *name;
} columns[N_COLUMNS] = {
    {"id"}, {"agency"}, {"given_name"}, {"family_name"},
    {"given_name_km"}, {"family_name_km"}, {"sex"},
    {"birth_date"}, {"birth_year"}, {"age"}, {"citizenship"},
    {"home_province"}, {"home_district"}, {"home_commune"},
    {"home_village"}, {"phone"}, {"email"},
    {"trafficking_status"}, {"movement"}, {"exploitation"},
    {"labour_sector"}, {"means"}, {"recruiter_relationship"},
    {"destination_country"}, {"destination_province"},
    {"destination_city"}, {"status"}, {"identification_date"},
    {"rescue_date"}, {"referral_to"}, {"referral_date"},
    {"repatriation_from"}, {"repatriation_to"},
    {"repatriation_date"}, {"repatriation_official"},
};

struct io_case_csv {
    int col_of_field[256];  /* column of each field index, -1 none */
    size_t nfields;
};

/* Map header names to columns. */
int io_case_csv_header(struct io_case_csv **out, const struct io_csv *r,
                       struct ctis_err *err)
{
    struct io_case_csv *h;
    int seen[N_COLUMNS] = {0};
    size_t i;
    int c;

    if (io_csv_nfields(r) > 256) {
        return ctis_err_set(err, CTIS_EINVAL, "%s:%ld: more than 256 columns",
                            io_csv_name(r), io_csv_line(r));
    }
    h = ctis_calloc(1, sizeof *h);
    if (h == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    h->nfields = io_csv_nfields(r);
    for (i = 0; i < h->nfields; i++) {
        const char *name = io_csv_field(r, i);

        h->col_of_field[i] = -1;
        for (c = 0; c < N_COLUMNS; c++) {
            if (strcasecmp(name, columns[c].name) == 0) {
                break;
            }
        }
        if (c == N_COLUMNS || seen[c]) {
            /* The cell is not shown: without a header row it is a
             * person's name or birth date. */
            ctis_free(h);
            return ctis_err_set(err, CTIS_EINVAL,
                                "%s:%ld: column %zu of the header %s",
                                io_csv_name(r), io_csv_line(r), i + 1,
                                c == N_COLUMNS
                                    ? "is not a known column (is the "
                                      "header row missing? the columns "
                                      "are listed in docs/formats.md)"
                                    : "names a column a second time");
        }
        seen[c] = 1;
        h->col_of_field[i] = c;
    }
    if (!seen[COL_ID] || !seen[COL_AGENCY]) {
        ctis_free(h);
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: column '%s': is required",
                            io_csv_name(r), io_csv_line(r),
                            seen[COL_ID] ? "agency" : "id");
    }
    *out = h;
    return 0;
}

/* Free the header map. */
void io_case_csv_free(struct io_case_csv *h)
{
    ctis_free(h);
}

static void text(struct model_problems *p, int col, const char *v, char *dst,
                 size_t size)
{
    if (strlen(v) >= size) {
        model_problems_add(p, columns[col].name, "is too long");
        return;
    }
    memcpy(dst, v, strlen(v) + 1);
}

static void code(struct model_problems *p, int col, const char *v,
                 const struct model_code *table, int *dst)
{
    int value = model_code_parse(table, v);

    if (value < 0) {
        char msg[288];

        model_code_problem(table, msg, sizeof msg);
        model_problems_add(p, columns[col].name, msg);
        return;
    }
    *dst = value;
}

static void set(struct model_problems *p, int col, const char *v,
                const struct model_code *table, unsigned *dst)
{
    char item[64];

    while (*v != '\0') {
        size_t n = strcspn(v, ";");
        int value;

        if (n >= sizeof item) {
            n = sizeof item - 1;
        }
        memcpy(item, v, n);
        item[n] = '\0';
        value = model_code_parse(table, item);
        if (value < 0) {
            char msg[288];

            model_code_problem(table, msg, sizeof msg);
            model_problems_add(p, columns[col].name, msg);
            return;
        }
        *dst |= (unsigned)value;
        v += strcspn(v, ";");
        if (*v == ';') {
            v++;
        }
    }
}

/* A country code in any case, kept upper case; an unknown one is left for
 * the record's rules to report. */
static void country(struct model_problems *p, int col, const char *v,
                    char dst[3])
{
    text(p, col, v, dst, 3);
    model_country_parse(dst, dst);
}

/* A province as people write it, kept as its ISO code. */
static void province(struct model_problems *p, int col, const char *v,
                     char dst[6])
{
    int n;

    if (v[0] == '\0') {
        return;
    }
    n = model_province_parse(v);
    if (n == 0) {
        model_problems_add(p, columns[col].name,
                           "must be " MODEL_PROVINCE_ALLOWED);
        return;
    }
    ctis_strlcpy(dst, model_province_at(n)->code, 6);
}

static void date(struct model_problems *p, int col, const char *v, int *dst)
{
    if (ctis_date_parse(v, dst) != 0) {
        model_problems_add(p, columns[col].name,
                           "must be a date YYYY-MM-DD between 1900 and 2100");
    }
}

static void number(struct model_problems *p, int col, const char *v,
                   long min, long max, int *dst)
{
    long n;

    if (ctis_parse_long(v, min, max, &n) != 0) {
        char msg[64];

        snprintf(msg, sizeof msg, "must be a whole number from %ld to %ld",
                 min, max);
        model_problems_add(p, columns[col].name, msg);
        return;
    }
    *dst = (int)n;
}

struct flat_events {
    int ident;
    int rescue;
    int referral_date;
    int referral_to;
    int repat_date;
    char repat_from[3];
    char repat_to[3];
    int official;
};

static void field(struct model_problems *p, int col, const char *v,
                  struct model_case *c, struct flat_events *ev)
{
    struct model_person *ps = &c->person;

    switch (col) {
    case COL_ID: text(p, col, v, c->id, sizeof c->id); break;
    case COL_AGENCY: text(p, col, v, c->agency, sizeof c->agency); break;
    case COL_GIVEN: text(p, col, v, ps->given_name, MODEL_NAME_MAX); break;
    case COL_FAMILY: text(p, col, v, ps->family_name, MODEL_NAME_MAX); break;
    case COL_GIVEN_KM:
        text(p, col, v, ps->given_name_km, MODEL_NAME_MAX);
        break;
    case COL_FAMILY_KM:
        text(p, col, v, ps->family_name_km, MODEL_NAME_MAX);
        break;
    case COL_SEX: code(p, col, v, model_sex_codes, &ps->sex); break;
    case COL_BIRTH_DATE: date(p, col, v, &ps->birth_date); break;
    case COL_BIRTH_YEAR:
        number(p, col, v, 1900, 2100, &ps->birth_year);
        break;
    case COL_AGE: number(p, col, v, 0, 120, &ps->age); break;
    case COL_CITIZENSHIP: country(p, col, v, ps->citizenship); break;
    case COL_HOME_PROVINCE: province(p, col, v, ps->home_province); break;
    case COL_HOME_DISTRICT:
        text(p, col, v, ps->home_district, MODEL_PLACE_MAX);
        break;
    case COL_HOME_COMMUNE:
        text(p, col, v, ps->home_commune, MODEL_PLACE_MAX);
        break;
    case COL_HOME_VILLAGE:
        text(p, col, v, ps->home_village, MODEL_PLACE_MAX);
        break;
    case COL_PHONE: text(p, col, v, ps->phone, sizeof ps->phone); break;
    case COL_EMAIL: text(p, col, v, ps->email, MODEL_PLACE_MAX); break;
    case COL_TSTATUS:
        code(p, col, v, model_tstatus_codes, &c->trafficking_status);
        break;
    case COL_MOVEMENT:
        code(p, col, v, model_movement_codes, &c->movement);
        break;
    case COL_EXPLOITATION:
        set(p, col, v, model_exploitation_codes, &c->exploitation);
        break;
    case COL_SECTOR:
        code(p, col, v, model_sector_codes, &c->labour_sector);
        break;
    case COL_MEANS: set(p, col, v, model_means_codes, &c->means); break;
    case COL_RELATION:
        code(p, col, v, model_relation_codes, &c->recruiter_relationship);
        break;
    case COL_DEST_COUNTRY: country(p, col, v, c->destination_country); break;
    case COL_DEST_PROVINCE:
        province(p, col, v, c->destination_province);
        break;
    case COL_DEST_CITY:
        text(p, col, v, c->destination_city, MODEL_PLACE_MAX);
        break;
    case COL_STATUS: code(p, col, v, model_case_status_codes, &c->status);
        break;
    case COL_IDENT_DATE: date(p, col, v, &ev->ident); break;
    case COL_RESCUE_DATE: date(p, col, v, &ev->rescue); break;
    case COL_REFERRAL_TO:
        code(p, col, v, model_referral_codes, &ev->referral_to);
        break;
    case COL_REFERRAL_DATE: date(p, col, v, &ev->referral_date); break;
    case COL_REPAT_FROM: country(p, col, v, ev->repat_from); break;
    case COL_REPAT_TO: country(p, col, v, ev->repat_to); break;
    case COL_REPAT_DATE: date(p, col, v, &ev->repat_date); break;
    case COL_REPAT_OFFICIAL:
        if (v[0] != '\0') {
            int b = model_bool_parse(v);

            if (b < 0) {
                model_problems_add(p, columns[col].name,
                                   "must be " MODEL_BOOL_ALLOWED);
            }
            ev->official = b == 1;
        }
        break;
    default:
        break;
    }
}

static int add_event(struct model_case *c, int type, int date_value)
{
    struct model_event e;

    memset(&e, 0, sizeof e);
    e.type = type;
    e.date = date_value;
    return model_case_add_event(c, &e);
}

static int make_events(struct model_case *c, const struct flat_events *ev,
                       struct model_problems *p)
{
    struct model_event e;

    if (ev->ident != 0 && add_event(c, MODEL_EV_IDENTIFICATION, ev->ident)) {
        return CTIS_ENOMEM;
    }
    if (ev->rescue != 0 && add_event(c, MODEL_EV_RESCUE, ev->rescue)) {
        return CTIS_ENOMEM;
    }
    if (ev->referral_date != 0 || ev->referral_to != MODEL_REF_NONE) {
        if (ev->referral_date == 0) {
            model_problems_add(p, "referral_date", "is required with "
                               "referral_to");
        }
        if (add_event(c, MODEL_EV_REFERRAL, ev->referral_date)) {
            return CTIS_ENOMEM;
        }
        c->events[c->n_events - 1].referral = ev->referral_to;
    }
    if (ev->repat_date != 0 || ev->repat_from[0] != '\0') {
        memset(&e, 0, sizeof e);
        e.type = MODEL_EV_REPATRIATION;
        e.date = ev->repat_date;
        memcpy(e.from_country, ev->repat_from, 3);
        memcpy(e.to_country, ev->repat_to, 3);
        e.official = ev->official;
        if (model_case_add_event(c, &e) != 0) {
            return CTIS_ENOMEM;
        }
    }
    return 0;
}

/* One row into a case, then the case's own rules. */
int io_case_csv_row(const struct io_case_csv *h, const struct io_csv *r,
                    struct model_case *out, struct model_problems *problems)
{
    struct flat_events ev;
    size_t i;
    int before = problems->n;
    int rc;

    memset(&ev, 0, sizeof ev);
    model_case_release(out);
    if (io_csv_nfields(r) != h->nfields) {
        model_problems_add(problems, "", "has a different number of fields "
                           "from the header");
        return CTIS_EINVAL;
    }
    for (i = 0; i < h->nfields; i++) {
        const char *v = io_csv_field(r, i);

        if (v[0] != '\0') {
            field(problems, h->col_of_field[i], v, out, &ev);
        }
    }
    rc = make_events(out, &ev, problems);
    if (rc != 0) {
        return rc;
    }
    if (problems->n == before) {
        model_case_validate(out, problems);
    }
    return problems->n > before ? CTIS_EINVAL : 0;
}

/* The header row, every column (identifying ones included). */
int io_case_csv_write_header(struct ctis_buf *b)
{
    int c;

    for (c = 0; c < N_COLUMNS; c++) {
        if (ctis_buf_puts(b, columns[c].name) != 0 ||
            ctis_buf_putc(b, c + 1 < N_COLUMNS ? ',' : '\n') != 0) {
            return CTIS_ENOMEM;
        }
    }
    return 0;
}

static const struct model_event *first_event(const struct model_case *c,
                                             int type)
{
    const struct model_event *best = NULL;
    size_t i;

    for (i = 0; i < c->n_events; i++) {
        if (c->events[i].type == type &&
            (best == NULL || c->events[i].date < best->date)) {
            best = &c->events[i];
        }
    }
    return best;
}

static void set_text(char *out, size_t size, const struct model_code *table,
                     unsigned bits)
{
    const struct model_code *t;
    size_t len = 0;

    out[0] = '\0';
    for (t = table; t->code != NULL; t++) {
        if (bits & (unsigned)t->value) {
            len += (size_t)snprintf(out + len, size - len, "%s%s",
                                    len > 0 ? ";" : "", t->code);
            if (len >= size) {
                break;
            }
        }
    }
}

static void date_text(char *out, int d)
{
    if (d == 0) {
        out[0] = '\0';
    } else {
        ctis_date_format(d, out);
    }
}

static const char *code_or_empty(const struct model_code *table, int v,
                                 int empty_value)
{
    const char *s = model_code_name(table, v);

    return s == NULL || v == empty_value ? "" : s;
}

/* One row; identifying columns empty when public_only. */
int io_case_csv_write_row(struct ctis_buf *b, const struct model_case *c,
                          int public_only)
{
    const struct model_person *p = &c->person;
    const struct model_event *ident = first_event(c, MODEL_EV_IDENTIFICATION);
    const struct model_event *rescue = first_event(c, MODEL_EV_RESCUE);
    const struct model_event *ref = first_event(c, MODEL_EV_REFERRAL);
    const struct model_event *rep = first_event(c, MODEL_EV_REPATRIATION);
    char bdate[11], by[8], age[8], expl[128], means[256];
    char d_ident[11], d_rescue[11], d_ref[11], d_rep[11];
    const char *v[N_COLUMNS];
    int i;

    date_text(bdate, p->birth_date);
    snprintf(by, sizeof by, "%d", p->birth_year);
    snprintf(age, sizeof age, "%d", p->age);
    set_text(expl, sizeof expl, model_exploitation_codes, c->exploitation);
    set_text(means, sizeof means, model_means_codes, c->means);
    date_text(d_ident, ident != NULL ? ident->date : 0);
    date_text(d_rescue, rescue != NULL ? rescue->date : 0);
    date_text(d_ref, ref != NULL ? ref->date : 0);
    date_text(d_rep, rep != NULL ? rep->date : 0);
    v[COL_ID] = c->id;
    v[COL_AGENCY] = c->agency;
    v[COL_GIVEN] = p->given_name;
    v[COL_FAMILY] = p->family_name;
    v[COL_GIVEN_KM] = p->given_name_km;
    v[COL_FAMILY_KM] = p->family_name_km;
    v[COL_SEX] = code_or_empty(model_sex_codes, p->sex, MODEL_SEX_UNKNOWN);
    v[COL_BIRTH_DATE] = bdate;
    v[COL_BIRTH_YEAR] = p->birth_year != 0 ? by : "";
    v[COL_AGE] = p->age >= 0 ? age : "";
    v[COL_CITIZENSHIP] = p->citizenship;
    v[COL_HOME_PROVINCE] = p->home_province;
    v[COL_HOME_DISTRICT] = p->home_district;
    v[COL_HOME_COMMUNE] = p->home_commune;
    v[COL_HOME_VILLAGE] = p->home_village;
    v[COL_PHONE] = p->phone;
    v[COL_EMAIL] = p->email;
    v[COL_TSTATUS] = code_or_empty(model_tstatus_codes, c->trafficking_status,
                                   -1);
    v[COL_MOVEMENT] = code_or_empty(model_movement_codes, c->movement,
                                    MODEL_MOV_UNKNOWN);
    v[COL_EXPLOITATION] = expl;
    v[COL_SECTOR] = code_or_empty(model_sector_codes, c->labour_sector,
                                  MODEL_SECTOR_NONE);
    v[COL_MEANS] = means;
    v[COL_RELATION] = code_or_empty(model_relation_codes,
                                    c->recruiter_relationship,
                                    MODEL_REL_UNKNOWN);
    v[COL_DEST_COUNTRY] = c->destination_country;
    v[COL_DEST_PROVINCE] = c->destination_province;
    v[COL_DEST_CITY] = c->destination_city;
    v[COL_STATUS] = code_or_empty(model_case_status_codes, c->status, -1);
    v[COL_IDENT_DATE] = d_ident;
    v[COL_RESCUE_DATE] = d_rescue;
    v[COL_REFERRAL_TO] = ref != NULL ? code_or_empty(model_referral_codes,
                                                     ref->referral,
                                                     MODEL_REF_NONE) : "";
    v[COL_REFERRAL_DATE] = d_ref;
    v[COL_REPAT_FROM] = rep != NULL ? rep->from_country : "";
    v[COL_REPAT_TO] = rep != NULL ? rep->to_country : "";
    v[COL_REPAT_DATE] = d_rep;
    v[COL_REPAT_OFFICIAL] = rep == NULL ? "" : rep->official ? "true"
                                                             : "false";
    for (i = 0; i < N_COLUMNS; i++) {
        const char *value = public_only &&
                                    model_field_identifies(columns[i].name)
                                ? ""
                                : v[i];

        if (io_csv_put_field(b, value) != 0 ||
            ctis_buf_putc(b, i + 1 < N_COLUMNS ? ',' : '\n') != 0) {
            return CTIS_ENOMEM;
        }
    }
    return 0;
}
