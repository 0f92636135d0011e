/*
 * htcds.c - cases as records of the Human Trafficking Case Data Standard
 * 2.0 (IOM, CC BY 4.0; docs/htcds.md has the mapping): one record per
 * case, as a JSON object per line or a CSV row, with HTCDS field names
 * (prs_ person, vic_ victim context, hte_ the exploitation event, cas_
 * case, spl_ support plans). What HTCDS has no field for is carried in
 * ctis_ fields, so that ctis -> HTCDS -> ctis loses nothing; a file from
 * another system without them imports through the HTCDS fields alone.
 *
 * Both forms go through one flat list of (field, text) pairs: lists are
 * JSON arrays or ';'-separated cells; numbers and booleans are JSON
 * numbers and booleans or their text in CSV.
 */
#include <jansson.h>
#include <string.h>

#include "io_int.h"

enum kind { K_TEXT, K_INT, K_DATE, K_BOOL, K_LIST };

enum fld {
    F_CASE_ID,
    F_AGENCY,
    F_FIRST,
    F_SECOND,
    F_FIRST_KM,
    F_SECOND_KM,
    F_BIRTHDATE,
    F_BIRTH_YEAR,
    F_AGE,
    F_GENDER,
    F_CITIZENSHIP,
    F_STATE,
    F_CITY,
    F_COMMUNE,
    F_VILLAGE,
    F_PHONE,
    F_EMAIL,
    F_TSTATUS,
    F_RELATIONSHIP,
    F_X_RELATION,
    F_CONTROL,
    F_X_MEANS,
    F_EXPLOITATION,
    F_INDUSTRY,
    F_X_SECTOR,
    F_X_MOVEMENT,
    F_HTE_TYPE,
    F_HTE_COUNTRY,
    F_HTE_STATE,
    F_HTE_CITY,
    F_STATUS,
    F_SPL_TYPE,
    F_SPL_END,
    F_CONSENT,
    F_X_EVENTS,
    N_FLD
};

static const struct {
    const char *name;
    int kind;
} fields[N_FLD] = {
    {"ctis_CaseId", K_TEXT},
    {"ctis_Agency", K_TEXT},
    {"prs_FirstName", K_TEXT},
    {"prs_SecondName", K_TEXT},
    {"ctis_FirstNameKm", K_TEXT},
    {"ctis_SecondNameKm", K_TEXT},
    {"prs_Birthdate", K_DATE},
    {"ctis_BirthYear", K_INT},
    {"ctis_AgeAtIdentification", K_INT},
    {"prs_Gender", K_TEXT},
    {"prs_Citizenship", K_LIST},
    {"prs_MailingState", K_TEXT},
    {"prs_MailingCity", K_TEXT},
    {"ctis_HomeCommune", K_TEXT},
    {"ctis_HomeVillage", K_TEXT},
    {"prs_MobilePhone", K_TEXT},
    {"prs_Email", K_TEXT},
    {"vic_TraffickingStatus", K_TEXT},
    {"vic_RelationshipToTrafficker", K_TEXT},
    {"ctis_RecruiterRelationship", K_TEXT},
    {"vic_MethodsOfControl", K_LIST},
    {"ctis_Means", K_LIST},
    {"vic_TypeOfExploitation", K_LIST},
    {"vic_ForcedLabourIndustry", K_TEXT},
    {"ctis_LabourSector", K_TEXT},
    {"ctis_Movement", K_TEXT},
    {"hte_Type", K_TEXT},
    {"hte_Country", K_TEXT},
    {"hte_State", K_TEXT},
    {"hte_City", K_TEXT},
    {"cas_Status", K_TEXT},
    {"spl_Type", K_LIST},
    {"spl_ActualEndDate", K_LIST},
    {"con_Consent", K_BOOL},
    {"ctis_Events", K_LIST},
};

/* HTCDS picklist values for our codes (index = our enum value). */
static const char *const gender_v[] = {"NonSpecifiedUnknown", "Feminine",
                                       "Masculine", "NonConforming"};
static const char *const tstatus_v[] = {"PossibleVictimOfTrafficking",
                                        "ActualVictimOfTrafficking",
                                        "NotAVictimOfTrafficking"};
static const char *const status_v[] = {"Active", "FollowUp", "Closed",
                                       "ClosedReferred"};
/* By enum model_relation. */
static const char *const relation_v[] = {
    "",           "Familial",   "Acquainted",  "Acquainted",
    "Acquainted", "Acquainted", "Unaquainted", ""};
/* By bit of enum model_means. */
static const char *const control_v[] = {"PhysicalAbuse", "PhysicalThreats",
                                        "Other",         "FalsePromises",
                                        "FalsePromises", "Other",
                                        "DebtBondage",   "WithholdsDocuments",
                                        "Other",         "Other"};
/* By bit of enum model_exploitation. */
static const char *const exploit_v[] = {"SexualExploitation", "ForcedLabour",
                                        "ForcedMarriage",     "ForcedAdoption",
                                        "OrganRemoval",       "Other"};
/* ISIC sections by enum model_sector. */
static const char *const industry_v[] = {
    "",
    "S_OtherServiceActivities",
    "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
    "A_AgricultureForestryAndFishing",
    "F_Construction",
    "C_Manufacturing",
    "A_AgricultureForestryAndFishing",
    "T_ActivitiesOfHouseholdsAsEmployers",
    "R_ArtsEntertainmentAndRecreation",
    "S_OtherServiceActivities"};
/* Support plan types by enum model_service. */
static const char *const spl_v[] = {"",           "Health",    "Legal",
                                    "SocialCare", "Education", "Livelihood",
                                    "SocialCare"};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static int find(const char *const *v, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (v[i][0] != '\0' && strcmp(v[i], s) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* ---- a record as (field, text) -------------------------------------- */

struct rec {
    char *v[N_FLD];       /* NULL: absent */
    struct ctis_buf text; /* backing store for v (offsets until done) */
    size_t off[N_FLD];
    int set[N_FLD];
};

static int put(struct rec *r, int f, const char *s)
{
    if (s == NULL || s[0] == '\0') {
        return 0;
    }
    r->off[f] = r->text.len;
    r->set[f] = 1;
    return ctis_buf_append(&r->text, s, strlen(s) + 1);
}

static void add_item(char *out, size_t size, const char *item)
{
    char probe[96];

    /* Lists hold each value once. */
    snprintf(probe, sizeof probe, ";%s;", item);
    {
        char hay[1024];

        snprintf(hay, sizeof hay, ";%s;", out);
        if (strstr(hay, probe) != NULL) {
            return;
        }
    }
    if (out[0] != '\0') {
        ctis_strlcpy(out + strlen(out), ";", size - strlen(out));
    }
    ctis_strlcpy(out + strlen(out), item, size - strlen(out));
}

static void event_text(const struct model_event *e, char *out, size_t size)
{
    char d[11];

    ctis_date_format(e->date, d);
    snprintf(out, size, "%s:%s",
             model_code_name(model_event_type_codes, e->type), d);
    if (e->type == MODEL_EV_REPATRIATION) {
        snprintf(out + strlen(out), size - strlen(out), ":%s:%s:%s",
                 e->from_country, e->to_country,
                 e->official ? "official" : "unofficial");
    } else if (e->type == MODEL_EV_SERVICE && e->service != MODEL_SVC_NONE) {
        snprintf(out + strlen(out), size - strlen(out), ":%s",
                 model_code_name(model_service_codes, e->service));
    } else if (e->type == MODEL_EV_REFERRAL && e->referral != MODEL_REF_NONE) {
        snprintf(out + strlen(out), size - strlen(out), ":%s",
                 model_code_name(model_referral_codes, e->referral));
    }
}

static const char *code(const struct model_code *t, int v, int none)
{
    return v == none ? NULL : model_code_name(t, v);
}

/* Fill r from c; see docs/htcds.md. */
static int from_case(struct rec *r, const struct model_case *c)
{
    const struct model_person *p = &c->person;
    char buf[32];
    char list[1024];
    char ends[1024];
    size_t i;
    unsigned b;
    int rc = 0;

    rc |= put(r, F_CASE_ID, c->id);
    rc |= put(r, F_AGENCY, c->agency);
    rc |= put(r, F_FIRST, p->given_name);
    rc |= put(r, F_SECOND, p->family_name);
    rc |= put(r, F_FIRST_KM, p->given_name_km);
    rc |= put(r, F_SECOND_KM, p->family_name_km);
    if (p->birth_date != 0) {
        ctis_date_format(p->birth_date, buf);
        rc |= put(r, F_BIRTHDATE, buf);
    }
    if (p->birth_year != 0) {
        snprintf(buf, sizeof buf, "%d", p->birth_year);
        rc |= put(r, F_BIRTH_YEAR, buf);
    }
    if (p->age >= 0) {
        snprintf(buf, sizeof buf, "%d", p->age);
        rc |= put(r, F_AGE, buf);
    }
    rc |= put(r, F_GENDER, gender_v[p->sex]);
    rc |= put(r, F_CITIZENSHIP, p->citizenship);
    rc |= put(r, F_STATE, p->home_province);
    rc |= put(r, F_CITY, p->home_district);
    rc |= put(r, F_COMMUNE, p->home_commune);
    rc |= put(r, F_VILLAGE, p->home_village);
    rc |= put(r, F_PHONE, p->phone);
    rc |= put(r, F_EMAIL, p->email);
    rc |= put(r, F_TSTATUS, tstatus_v[c->trafficking_status]);
    rc |= put(r, F_RELATIONSHIP, relation_v[c->recruiter_relationship]);
    rc |= put(r, F_X_RELATION,
              code(model_relation_codes, c->recruiter_relationship,
                   MODEL_REL_UNKNOWN));
    list[0] = '\0';
    for (b = 0; b < N_OF(control_v); b++) {
        if (c->means & (1u << b)) {
            add_item(list, sizeof list, control_v[b]);
        }
    }
    rc |= put(r, F_CONTROL, list);
    list[0] = '\0';
    for (b = 0; b < N_OF(control_v); b++) {
        if (c->means & (1u << b)) {
            add_item(list, sizeof list,
                     model_code_name(model_means_codes, (int)(1u << b)));
        }
    }
    rc |= put(r, F_X_MEANS, list);
    list[0] = '\0';
    for (b = 0; b < N_OF(exploit_v); b++) {
        if (c->exploitation & (1u << b)) {
            add_item(list, sizeof list, exploit_v[b]);
        }
    }
    if (c->labour_sector == MODEL_SECTOR_BEGGING) {
        add_item(list, sizeof list, "ForcedBegging");
    }
    rc |= put(r, F_EXPLOITATION, list);
    rc |= put(r, F_INDUSTRY, industry_v[c->labour_sector]);
    rc |= put(r, F_X_SECTOR,
              code(model_sector_codes, c->labour_sector, MODEL_SECTOR_NONE));
    rc |= put(r, F_X_MOVEMENT,
              code(model_movement_codes, c->movement, MODEL_MOV_UNKNOWN));
    if (c->destination_country[0] != '\0' ||
        c->destination_province[0] != '\0' || c->destination_city[0] != '\0') {
        rc |= put(r, F_HTE_TYPE, "Exploitation");
        rc |= put(r, F_HTE_COUNTRY, c->destination_country);
        rc |= put(r, F_HTE_STATE, c->destination_province);
        rc |= put(r, F_HTE_CITY, c->destination_city);
    }
    rc |= put(r, F_STATUS, status_v[c->status]);
    list[0] = '\0';
    ends[0] = '\0';
    for (i = 0; i < c->n_events; i++) {
        const struct model_event *e = &c->events[i];

        if (e->type == MODEL_EV_SERVICE && e->service != MODEL_SVC_NONE) {
            if (list[0] != '\0') {
                ctis_strlcpy(list + strlen(list), ";",
                             sizeof list - strlen(list));
                ctis_strlcpy(ends + strlen(ends), ";",
                             sizeof ends - strlen(ends));
            }
            ctis_strlcpy(list + strlen(list), spl_v[e->service],
                         sizeof list - strlen(list));
            ctis_date_format(e->date, buf);
            ctis_strlcpy(ends + strlen(ends), buf, sizeof ends - strlen(ends));
        }
    }
    rc |= put(r, F_SPL_TYPE, list);
    rc |= put(r, F_SPL_END, ends);
    if (c->n_events > 0) {
        struct ctis_buf ev;

        ctis_buf_init(&ev);
        for (i = 0; i < c->n_events; i++) {
            char one[128];

            event_text(&c->events[i], one, sizeof one);
            rc |= ctis_buf_puts(&ev, i > 0 ? ";" : "");
            rc |= ctis_buf_puts(&ev, one);
        }
        rc |= ctis_buf_putc(&ev, '\0');
        if (rc == 0) {
            rc |= put(r, F_X_EVENTS, ev.data);
        }
        ctis_buf_release(&ev);
    }
    for (i = 0; i < N_FLD; i++) {
        r->v[i] = r->set[i] ? r->text.data + r->off[i] : NULL;
    }
    return rc != 0 ? CTIS_ENOMEM : 0;
}

/* ---- writing ------------------------------------------------------------ */

/* The CSV header row. */
int io_htcds_csv_header(struct ctis_buf *b)
{
    int f;

    for (f = 0; f < N_FLD; f++) {
        if (ctis_buf_puts(b, fields[f].name) != 0 ||
            ctis_buf_puts(b, f + 1 < N_FLD ? "," : "\r\n") != 0) {
            return CTIS_ENOMEM;
        }
    }
    return 0;
}

static json_t *json_value(int kind, const char *s)
{
    if (kind == K_INT) {
        long v = 0;

        ctis_parse_long(s, -1000000, 1000000, &v);
        return json_integer(v);
    }
    if (kind == K_LIST) {
        json_t *a = json_array();
        const char *p = s;

        while (a != NULL) {
            const char *q = strchr(p, ';');
            size_t n = q != NULL ? (size_t)(q - p) : strlen(p);

            if (json_array_append_new(a, json_stringn(p, n)) != 0) {
                json_decref(a);
                return NULL;
            }
            if (q == NULL) {
                break;
            }
            p = q + 1;
        }
        return a;
    }
    return json_string(s);
}

/* One case as a JSON line (json) or a CSV row. public exports never come
 * here (HTCDS is for exchange between agencies under agreement). */
int io_htcds_write(struct ctis_buf *b, const struct model_case *c, int json)
{
    struct rec r;
    int rc;
    int f;

    memset(&r, 0, sizeof r);
    ctis_buf_init(&r.text);
    rc = from_case(&r, c);
    if (rc == 0 && json) {
        json_t *o = json_object();
        char *s = NULL;

        for (f = 0; o != NULL && f < N_FLD; f++) {
            if (r.v[f] != NULL &&
                json_object_set_new(o, fields[f].name,
                                    json_value(fields[f].kind, r.v[f])) != 0) {
                json_decref(o);
                o = NULL;
            }
        }
        s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (s == NULL || ctis_buf_puts(b, s) != 0 ||
            ctis_buf_putc(b, '\n') != 0) {
            rc = CTIS_ENOMEM;
        }
        ctis_free(s);
    } else if (rc == 0) {
        for (f = 0; rc == 0 && f < N_FLD; f++) {
            if (io_csv_put_field(b, r.v[f] != NULL ? r.v[f] : "") != 0 ||
                ctis_buf_puts(b, f + 1 < N_FLD ? "," : "\r\n") != 0) {
                rc = CTIS_ENOMEM;
            }
        }
    }
    ctis_buf_release(&r.text);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

struct io_htcds {
    int col_of[N_FLD]; /* CSV: file column of each field, -1 absent */
    char agency[MODEL_ID_MAX];
    char prefix[MODEL_ID_MAX];
};

static int field_of(const char *name)
{
    int f;

    for (f = 0; f < N_FLD; f++) {
        if (strcmp(fields[f].name, name) == 0) {
            return f;
        }
    }
    return -1;
}

static struct io_htcds *new_reader(const char *agency, const char *prefix)
{
    struct io_htcds *h = ctis_calloc(1, sizeof *h);
    int f;

    if (h == NULL) {
        return NULL;
    }
    for (f = 0; f < N_FLD; f++) {
        h->col_of[f] = -1;
    }
    ctis_strlcpy(h->agency, agency != NULL ? agency : "", sizeof h->agency);
    ctis_strlcpy(h->prefix, prefix != NULL ? prefix : "htcds-",
                 sizeof h->prefix);
    return h;
}

/* A JSON Lines reader needs no header. */
int io_htcds_open(struct io_htcds **out, const char *agency,
                  const char *id_prefix)
{
    *out = new_reader(agency, id_prefix);
    return *out != NULL ? 0 : CTIS_ENOMEM;
}

/* The CSV header: HTCDS or ctis_ fields, each once. */
int io_htcds_header(struct io_htcds **out, const struct io_csv *r,
                    const char *agency, const char *id_prefix,
                    struct ctis_err *err)
{
    struct io_htcds *h = new_reader(agency, id_prefix);
    size_t i;

    *out = NULL;
    if (h == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (i = 0; i < io_csv_nfields(r); i++) {
        int f = field_of(io_csv_field(r, i));

        if (f < 0 || h->col_of[f] >= 0) {
            ctis_free(h);
            return ctis_err_set(err, CTIS_EINVAL, "%s:%ld: column %zu: %s",
                                io_csv_name(r), io_csv_line(r), i + 1,
                                f < 0 ? "not an HTCDS 2.0 field ctis reads"
                                      : "given twice");
        }
        h->col_of[f] = (int)i;
    }
    if (h->col_of[F_TSTATUS] < 0 || h->col_of[F_GENDER] < 0) {
        int f = h->col_of[F_TSTATUS] < 0 ? F_TSTATUS : F_GENDER;

        ctis_free(h);
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: required column '%s' is missing",
                            io_csv_name(r), io_csv_line(r), fields[f].name);
    }
    *out = h;
    return 0;
}

void io_htcds_free(struct io_htcds *h)
{
    ctis_free(h);
}

/* Problem paths name the field and, in CSV, its column. */
static void problem(struct model_problems *p, const struct io_htcds *h, int f,
                    const char *msg)
{
    char path[64];

    if (h->col_of[f] >= 0) {
        snprintf(path, sizeof path, "%s (column %d)", fields[f].name,
                 h->col_of[f] + 1);
    } else {
        snprintf(path, sizeof path, "%s", fields[f].name);
    }
    model_problems_add(p, path, msg);
}

/* The next ';' item of *s into out; 0 at the end. */
static int next_item(const char **s, char *out, size_t size)
{
    const char *q;
    size_t n;

    if (*s == NULL || **s == '\0') {
        return 0;
    }
    q = strchr(*s, ';');
    n = q != NULL ? (size_t)(q - *s) : strlen(*s);
    if (n >= size) {
        n = size - 1;
    }
    memcpy(out, *s, n);
    out[n] = '\0';
    *s = q != NULL ? q + 1 : *s + strlen(*s);
    return 1;
}

static void copy_text(const struct io_htcds *h, struct rec *r, int f, char *out,
                      size_t size, struct model_problems *p)
{
    if (r->v[f] == NULL) {
        return;
    }
    if (strlen(r->v[f]) >= size) {
        problem(p, h, f, "too long");
        return;
    }
    ctis_strlcpy(out, r->v[f], size);
}

static int pick(const struct io_htcds *h, struct rec *r, int f,
                const char *const *v, size_t n, int dflt,
                struct model_problems *p)
{
    int i;

    if (r->v[f] == NULL) {
        return dflt;
    }
    i = find(v, n, r->v[f]);
    if (i < 0) {
        problem(p, h, f, "not a value of the HTCDS 2.0 picklist");
        return dflt;
    }
    return i;
}

static int parse_event(const char *s, struct model_event *e)
{
    char part[6][32];
    int n = 0;
    const char *p = s;

    memset(e, 0, sizeof e[0]);
    while (n < 6 && *p != '\0') {
        const char *q = strchr(p, ':');
        size_t len = q != NULL ? (size_t)(q - p) : strlen(p);

        if (len >= sizeof part[0]) {
            return -1;
        }
        memcpy(part[n], p, len);
        part[n][len] = '\0';
        n++;
        p = q != NULL ? q + 1 : p + len;
    }
    if (n < 2 || *p != '\0') {
        return -1;
    }
    e->type = model_code_parse(model_event_type_codes, part[0]);
    if (e->type < 0 || ctis_date_parse(part[1], &e->date) != 0) {
        return -1;
    }
    if (e->type == MODEL_EV_REPATRIATION) {
        if (n != 5 || strlen(part[2]) != 2 || strlen(part[3]) != 2) {
            return -1;
        }
        ctis_strlcpy(e->from_country, part[2], 3);
        ctis_strlcpy(e->to_country, part[3], 3);
        e->official = strcmp(part[4], "official") == 0;
        return e->official || strcmp(part[4], "unofficial") == 0 ? 0 : -1;
    }
    if (e->type == MODEL_EV_SERVICE && n == 3) {
        e->service = model_code_parse(model_service_codes, part[2]);
        return e->service > 0 ? 0 : -1;
    }
    if (e->type == MODEL_EV_REFERRAL && n == 3) {
        e->referral = model_code_parse(model_referral_codes, part[2]);
        return e->referral > 0 ? 0 : -1;
    }
    return n == 2 ? 0 : -1;
}

static void read_means(const struct io_htcds *h, struct rec *r,
                       struct model_case *c, struct model_problems *p)
{
    char item[64];
    const char *s;

    if (r->v[F_X_MEANS] != NULL) {
        s = r->v[F_X_MEANS];
        while (next_item(&s, item, sizeof item)) {
            int v = model_code_parse(model_means_codes, item);

            if (v < 0) {
                problem(p, h, F_X_MEANS, "not a ctis means code");
            } else {
                c->means |= (unsigned)v;
            }
        }
    }
    s = r->v[F_CONTROL];
    while (next_item(&s, item, sizeof item)) {
        static const char *const extra[] = {"ThreatsLawEnforcement",
                                            "ThreatensChildrenFamily",
                                            "SexualAbuse",
                                            "TakesEarnings",
                                            "RestrictsFinancialAccess",
                                            "RestrictsMedicalCare",
                                            "WithholdsNecessities",
                                            "PsychologicalAbuse",
                                            "PsychoactiveSubstance",
                                            "ExcessiveWorkingHours"};
        int b = find(control_v, N_OF(control_v), item);
        int x = find(extra, N_OF(extra), item);

        if (b < 0 && x < 0) {
            problem(p, h, F_CONTROL, "not a value of the HTCDS 2.0 picklist");
        } else if (r->v[F_X_MEANS] == NULL) {
            c->means |= b >= 0   ? 1u << b
                        : x <= 1 ? MODEL_MEANS_THREATS
                        : x == 2 ? MODEL_MEANS_FORCE
                                 : MODEL_MEANS_OTHER;
        }
    }
}

static void read_exploitation(const struct io_htcds *h, struct rec *r,
                              struct model_case *c, struct model_problems *p)
{
    static const char *const extra[] = {"ChildLabour", "Servitude",
                                        "ForcedMilitaryByNonStateActors",
                                        "ForcedBegging", "Surrogacy"};
    char item[64];
    const char *s = r->v[F_EXPLOITATION];
    int begging = 0;

    while (next_item(&s, item, sizeof item)) {
        int b = find(exploit_v, N_OF(exploit_v), item);
        int x = find(extra, N_OF(extra), item);

        if (b >= 0) {
            c->exploitation |= 1u << b;
        } else if (x == 0 || x == 3) {
            c->exploitation |= MODEL_EXP_FORCED_LABOUR;
            begging |= x == 3;
        } else if (x > 0) {
            c->exploitation |= MODEL_EXP_OTHER;
        } else {
            problem(p, h, F_EXPLOITATION,
                    "not a value of the HTCDS 2.0 picklist");
        }
    }
    if (r->v[F_X_SECTOR] != NULL) {
        c->labour_sector =
            model_code_parse(model_sector_codes, r->v[F_X_SECTOR]);
        if (c->labour_sector < 0) {
            problem(p, h, F_X_SECTOR, "not a ctis labour sector code");
            c->labour_sector = MODEL_SECTOR_NONE;
        }
    } else if (r->v[F_INDUSTRY] != NULL) {
        int i = find(industry_v, N_OF(industry_v), r->v[F_INDUSTRY]);

        if (i < 0 && strlen(r->v[F_INDUSTRY]) > 2 &&
            r->v[F_INDUSTRY][0] >= 'A' && r->v[F_INDUSTRY][0] <= 'U' &&
            r->v[F_INDUSTRY][1] == '_') {
            i = MODEL_SECTOR_OTHER; /* another ISIC section */
        }
        if (i < 0) {
            problem(p, h, F_INDUSTRY, "not an ISIC section of HTCDS 2.0");
        } else {
            c->labour_sector = i;
        }
    }
    if (begging && c->labour_sector == MODEL_SECTOR_NONE) {
        c->labour_sector = MODEL_SECTOR_BEGGING;
    }
}

static void read_events(const struct io_htcds *h, struct rec *r,
                        struct model_case *c, struct model_problems *p,
                        int *oom)
{
    char item[128];
    const char *s;

    if (r->v[F_X_EVENTS] != NULL) {
        s = r->v[F_X_EVENTS];
        while (next_item(&s, item, sizeof item)) {
            struct model_event e;

            if (parse_event(item, &e) != 0) {
                problem(p, h, F_X_EVENTS,
                        "not a ctis event "
                        "(type:YYYY-MM-DD[:detail])");
            } else if (model_case_add_event(c, &e) != 0) {
                *oom = 1;
            }
        }
        return;
    }
    /* A file from elsewhere: each support plan with an end date is a
     * service. */
    {
        const char *t = r->v[F_SPL_TYPE];
        const char *d = r->v[F_SPL_END];
        char date[32];

        while (next_item(&t, item, sizeof item)) {
            struct model_event e;
            int svc = find(spl_v, N_OF(spl_v), item);

            memset(&e, 0, sizeof e);
            if (svc < 0 &&
                find((const char *const[]){"Financial",
                                           "LabourExploitationRehabilitation",
                                           "RightsBasedTraining",
                                           "SexualExploitationRehabilitation"},
                     4, item) < 0) {
                problem(p, h, F_SPL_TYPE,
                        "not a value of the HTCDS 2.0 picklist");
                continue;
            }
            if (!next_item(&d, date, sizeof date)) {
                continue; /* a plan not carried out: no event */
            }
            if (ctis_date_parse(date, &e.date) != 0) {
                problem(p, h, F_SPL_END, "not a date (YYYY-MM-DD)");
                continue;
            }
            e.type = MODEL_EV_SERVICE;
            e.service = svc >= 0 ? svc : MODEL_SVC_PSYCHOSOCIAL;
            if (model_case_add_event(c, &e) != 0) {
                *oom = 1;
            }
        }
    }
}

/* (field, text) to a case; see docs/htcds.md. */
static int to_case(const struct io_htcds *h, struct rec *r, long line,
                   struct model_case *c, struct model_problems *p)
{
    struct model_person *ps = &c->person;
    long v;
    int oom = 0;
    int i;

    model_case_init(c);
    if (r->v[F_CASE_ID] != NULL) {
        copy_text(h, r, F_CASE_ID, c->id, sizeof c->id, p);
    } else if (snprintf(c->id, sizeof c->id, "%.48s%07ld", h->prefix, line) >=
               (int)sizeof c->id) {
        problem(p, h, F_CASE_ID, "the id prefix is too long");
    }
    if (r->v[F_AGENCY] != NULL) {
        copy_text(h, r, F_AGENCY, c->agency, sizeof c->agency, p);
    } else if (h->agency[0] != '\0') {
        ctis_strlcpy(c->agency, h->agency, sizeof c->agency);
    } else {
        problem(p, h, F_AGENCY, "no agency: give --agency");
    }
    copy_text(h, r, F_FIRST, ps->given_name, sizeof ps->given_name, p);
    copy_text(h, r, F_SECOND, ps->family_name, sizeof ps->family_name, p);
    copy_text(h, r, F_FIRST_KM, ps->given_name_km, sizeof ps->given_name_km, p);
    copy_text(h, r, F_SECOND_KM, ps->family_name_km, sizeof ps->family_name_km,
              p);
    if (r->v[F_BIRTHDATE] != NULL &&
        ctis_date_parse(r->v[F_BIRTHDATE], &ps->birth_date) != 0) {
        problem(p, h, F_BIRTHDATE, "not a date (YYYY-MM-DD)");
    }
    if (r->v[F_BIRTH_YEAR] != NULL) {
        if (ctis_parse_long(r->v[F_BIRTH_YEAR], 1900, 2100, &v) != 0) {
            problem(p, h, F_BIRTH_YEAR, "not a year from 1900 to 2100");
        } else {
            ps->birth_year = (int)v;
        }
    }
    if (r->v[F_AGE] != NULL) {
        if (ctis_parse_long(r->v[F_AGE], 0, 130, &v) != 0) {
            problem(p, h, F_AGE, "not a whole number from 0 to 130");
        } else {
            ps->age = (int)v;
        }
    }
    if (r->v[F_GENDER] != NULL &&
        strncmp(r->v[F_GENDER], "Transgender", 11) == 0 &&
        (strcmp(r->v[F_GENDER] + 11, "Feminine") == 0 ||
         strcmp(r->v[F_GENDER] + 11, "Masculine") == 0)) {
        /* Picklist values with no ctis counterpart of their own. */
        ps->sex = MODEL_SEX_OTHER;
    } else {
        ps->sex = pick(h, r, F_GENDER, gender_v, N_OF(gender_v), 0, p);
    }
    if (r->v[F_CITIZENSHIP] != NULL) {
        const char *s = r->v[F_CITIZENSHIP];
        char first[8];

        /* ctis holds one citizenship: the first listed. */
        next_item(&s, first, sizeof first);
        if (model_country_find(first) == NULL) {
            problem(p, h, F_CITIZENSHIP, "not an ISO 3166-1 alpha-2 code");
        } else {
            ctis_strlcpy(ps->citizenship, first, sizeof ps->citizenship);
        }
    }
    copy_text(h, r, F_STATE, ps->home_province, sizeof ps->home_province, p);
    copy_text(h, r, F_CITY, ps->home_district, sizeof ps->home_district, p);
    copy_text(h, r, F_COMMUNE, ps->home_commune, sizeof ps->home_commune, p);
    copy_text(h, r, F_VILLAGE, ps->home_village, sizeof ps->home_village, p);
    copy_text(h, r, F_PHONE, ps->phone, sizeof ps->phone, p);
    copy_text(h, r, F_EMAIL, ps->email, sizeof ps->email, p);
    if (r->v[F_TSTATUS] == NULL) {
        problem(p, h, F_TSTATUS, "required");
    }
    c->trafficking_status =
        pick(h, r, F_TSTATUS, tstatus_v, N_OF(tstatus_v), 0, p);
    if (r->v[F_X_RELATION] != NULL) {
        c->recruiter_relationship =
            model_code_parse(model_relation_codes, r->v[F_X_RELATION]);
        if (c->recruiter_relationship < 0) {
            problem(p, h, F_X_RELATION, "not a ctis relationship code");
            c->recruiter_relationship = 0;
        }
    } else if (r->v[F_RELATIONSHIP] != NULL) {
        i = pick(h, r, F_RELATIONSHIP, relation_v, N_OF(relation_v), 0, p);
        c->recruiter_relationship = i == 2 ? MODEL_REL_ACQUAINTANCE : i;
    }
    read_means(h, r, c, p);
    read_exploitation(h, r, c, p);
    if (r->v[F_X_MOVEMENT] != NULL) {
        c->movement =
            model_code_parse(model_movement_codes, r->v[F_X_MOVEMENT]);
        if (c->movement < 0) {
            problem(p, h, F_X_MOVEMENT, "not a ctis movement code");
            c->movement = 0;
        }
    }
    if (r->v[F_HTE_TYPE] != NULL &&
        strcmp(r->v[F_HTE_TYPE], "Exploitation") != 0 &&
        strcmp(r->v[F_HTE_TYPE], "Recruitment") != 0 &&
        strcmp(r->v[F_HTE_TYPE], "Transit") != 0) {
        problem(p, h, F_HTE_TYPE, "not a value of the HTCDS 2.0 picklist");
    }
    if (r->v[F_HTE_TYPE] == NULL ||
        strcmp(r->v[F_HTE_TYPE], "Exploitation") == 0) {
        copy_text(h, r, F_HTE_COUNTRY, c->destination_country,
                  sizeof c->destination_country, p);
        copy_text(h, r, F_HTE_STATE, c->destination_province,
                  sizeof c->destination_province, p);
        copy_text(h, r, F_HTE_CITY, c->destination_city,
                  sizeof c->destination_city, p);
    }
    c->status = pick(h, r, F_STATUS, status_v, N_OF(status_v), 0, p);
    if (r->v[F_CONSENT] != NULL && strcmp(r->v[F_CONSENT], "true") != 0 &&
        strcmp(r->v[F_CONSENT], "false") != 0) {
        problem(p, h, F_CONSENT, "must be true or false");
    }
    read_events(h, r, c, p, &oom);
    if (oom) {
        return CTIS_ENOMEM;
    }
    if (p->n > 0) {
        return CTIS_EINVAL;
    }
    return model_case_validate(c, p) > 0 ? CTIS_EINVAL : 0;
}

static void rec_done(struct rec *r)
{
    int f;

    for (f = 0; f < N_FLD; f++) {
        r->v[f] = r->set[f] ? r->text.data + r->off[f] : NULL;
    }
}

/* The current CSV row. */
int io_htcds_row(const struct io_htcds *h, const struct io_csv *csv,
                 struct model_case *out, struct model_problems *p)
{
    struct rec r;
    int f;
    int rc = 0;

    memset(&r, 0, sizeof r);
    ctis_buf_init(&r.text);
    for (f = 0; f < N_FLD && rc == 0; f++) {
        if (h->col_of[f] >= 0) {
            rc = put(&r, f, io_csv_field(csv, (size_t)h->col_of[f]));
        }
    }
    rec_done(&r);
    rc = rc != 0 ? CTIS_ENOMEM : to_case(h, &r, io_csv_line(csv), out, p);
    ctis_buf_release(&r.text);
    return rc;
}

/* One JSON line: an object of known fields with the right JSON types. */
int io_htcds_parse(const struct io_htcds *h, const char *line, size_t len,
                   long lineno, struct model_case *out,
                   struct model_problems *p)
{
    json_error_t je;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
    const char *key;
    json_t *val;
    struct rec r;
    int rc = 0;

    model_case_init(out);
    if (o == NULL || !json_is_object(o)) {
        char msg[160];

        snprintf(msg, sizeof msg, "not a JSON object (column %d)",
                 o == NULL ? je.column : 1);
        model_problems_add(p, "", msg);
        json_decref(o);
        return CTIS_EINVAL;
    }
    memset(&r, 0, sizeof r);
    ctis_buf_init(&r.text);
    json_object_foreach(o, key, val)
    {
        int f = field_of(key);
        char num[32];

        if (f < 0) {
            char path[64];

            snprintf(path, sizeof path, "%.63s", key);
            model_problems_add(p, path, "not an HTCDS 2.0 field ctis reads");
            continue;
        }
        if (fields[f].kind == K_LIST && json_is_array(val)) {
            size_t i;
            json_t *it;
            struct ctis_buf joined;

            ctis_buf_init(&joined);
            json_array_foreach(val, i, it)
            {
                if (!json_is_string(it) ||
                    strchr(json_string_value(it), ';') != NULL) {
                    problem(p, h, f, "list items must be strings without ';'");
                    break;
                }
                rc |= ctis_buf_puts(&joined, i > 0 ? ";" : "");
                rc |= ctis_buf_puts(&joined, json_string_value(it));
            }
            rc |= ctis_buf_putc(&joined, '\0');
            if (rc == 0 && joined.data[0] != '\0') {
                rc |= put(&r, f, joined.data);
            }
            ctis_buf_release(&joined);
        } else if (fields[f].kind == K_INT && json_is_integer(val)) {
            snprintf(num, sizeof num, "%lld",
                     (long long)json_integer_value(val));
            rc |= put(&r, f, num);
        } else if (fields[f].kind == K_BOOL && json_is_boolean(val)) {
            rc |= put(&r, f, json_is_true(val) ? "true" : "false");
        } else if ((fields[f].kind == K_TEXT || fields[f].kind == K_DATE) &&
                   json_is_string(val)) {
            if (json_string_value(val)[0] == '\0') {
                problem(p, h, f, "empty: leave the field out");
            }
            rc |= put(&r, f, json_string_value(val));
        } else {
            problem(p, h, f,
                    fields[f].kind == K_LIST   ? "must be an array of strings"
                    : fields[f].kind == K_INT  ? "must be a whole number"
                    : fields[f].kind == K_BOOL ? "must be true or false"
                                               : "must be a string");
        }
    }
    json_decref(o);
    rec_done(&r);
    if (rc != 0) {
        rc = CTIS_ENOMEM;
    } else if (p->n > 0) {
        rc = CTIS_EINVAL;
    } else {
        rc = to_case(h, &r, lineno, out, p);
    }
    ctis_buf_release(&r.text);
    return rc;
}
