/*
 * jsonl_read.c - one JSON Lines line into a record.
 *
 * The line is tokenized by the strict tokenizer of io_int.h (no allocation
 * per value), then walked field by field: every key of the object must be
 * known for its type, every value of the right JSON type and, for codes,
 * one of the vocabulary's codes. Problems carry the field path and a reason
 * and never the value; a syntax error reports only its column. After the
 * walk the record's own rules run (model_*_validate).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "io.h"
#include "io_int.h"

struct walker {
    const struct jdoc *d;
    struct model_problems *problems;
    char prefix[48];  /* "person." or "events[3]." */
};

static void problem(struct walker *w, const char *key, const char *msg)
{
    char path[64];
    size_t n = ctis_strlcpy(path, w->prefix, sizeof path);

    if (n < sizeof path) {
        ctis_strlcpy(path + n, key, sizeof path - n);
    }
    model_problems_add(w->problems, path, msg);
}

static int known_key(const char *key, const char *const *keys)
{
    for (; *keys != NULL; keys++) {
        if (strcmp(key, *keys) == 0) {
            return 1;
        }
    }
    return 0;
}

static void check_keys(struct walker *w, int obj, const char *const *keys)
{
    int k = jdoc_first(w->d, obj);
    int i;

    for (i = 0; i < w->d->tok[obj].count; i++) {
        char key[40];

        if (jdoc_string(w->d, k, key, sizeof key) < 0 ||
            !known_key(key, keys)) {
            /* The key is not shown: a line written without its keys in
             * the right place may have a name or a date as a key. */
            char path[48];
            char msg[96];
            size_t n = ctis_strlcpy(path, w->prefix, sizeof path);

            if (n > 0 && n < sizeof path && path[n - 1] == '.') {
                path[n - 1] = '\0';
            }
            snprintf(msg, sizeof msg,
                     "key %d is not a known field (see docs/formats.md)",
                     i + 1);
            model_problems_add(w->problems, path, msg);
        }
        k = jdoc_skip(w->d, k + 1);
    }
}

static int is_null(const struct walker *w, int v)
{
    return v < 0 || w->d->tok[v].type == J_NULL;
}

static int is_type(const struct walker *w, int v, int type)
{
    return v >= 0 && w->d->tok[v].type == type;
}

/* A string field into dst; absent or null leaves dst alone. */
static void get_string(struct walker *w, int obj, const char *key,
                       char *dst, size_t size, int required)
{
    int v = jdoc_get(w->d, obj, key);
    char tmp[MODEL_TEXT_MAX];
    int n;

    if (is_null(w, v)) {
        if (required) {
            problem(w, key, "is required");
        }
        return;
    }
    if (!is_type(w, v, J_STRING)) {
        problem(w, key, "must be a string");
        return;
    }
    n = jdoc_string(w->d, v, tmp, size < sizeof tmp ? size : sizeof tmp);
    if (n == -2) {
        problem(w, key, "must not contain a NUL character");
        return;
    }
    if (n < 0) {
        char msg[64];

        snprintf(msg, sizeof msg, "is longer than %zu bytes", size - 1);
        problem(w, key, msg);
        return;
    }
    memcpy(dst, tmp, (size_t)n + 1);
}

/* A vocabulary code; *dst keeps its value when absent. */
static int code_of(const struct walker *w, int v,
                   const struct model_code *table)
{
    char buf[64];

    if (!is_type(w, v, J_STRING) ||
        jdoc_string(w->d, v, buf, sizeof buf) < 0) {
        return -1;
    }
    return model_code_parse(table, buf);
}

static void get_code(struct walker *w, int obj, const char *key,
                     const struct model_code *table, int *dst, int required)
{
    int v = jdoc_get(w->d, obj, key);
    int value;

    if (is_null(w, v)) {
        if (required) {
            problem(w, key, "is required");
        }
        return;
    }
    if (!is_type(w, v, J_STRING)) {
        problem(w, key, "must be a string");
        return;
    }
    value = code_of(w, v, table);
    if (value < 0) {
        char msg[288];

        model_code_problem(table, msg, sizeof msg);
        problem(w, key, msg);
        return;
    }
    *dst = value;
}

/* An array of codes into a bit set. */
static void get_set(struct walker *w, int obj, const char *key,
                    const struct model_code *table, unsigned *dst)
{
    int v = jdoc_get(w->d, obj, key);
    int i;
    int item;

    if (is_null(w, v)) {
        return;
    }
    if (!is_type(w, v, J_ARRAY)) {
        problem(w, key, "must be an array of strings");
        return;
    }
    for (i = 0, item = v + 1; i < w->d->tok[v].count;
         i++, item = jdoc_skip(w->d, item)) {
        char path[96];
        int value = code_of(w, item, table);

        if (value < 0) {
            char msg[288];

            model_code_problem(table, msg, sizeof msg);
            snprintf(path, sizeof path, "%s[%d]", key, i);
            problem(w, path, msg);
            continue;
        }
        *dst |= (unsigned)value;
    }
}

static void get_date(struct walker *w, int obj, const char *key, int *dst,
                     int required)
{
    int v = jdoc_get(w->d, obj, key);
    char buf[16];

    if (is_null(w, v)) {
        if (required) {
            problem(w, key, "is required");
        }
        return;
    }
    if (!is_type(w, v, J_STRING) ||
        jdoc_string(w->d, v, buf, sizeof buf) < 0 ||
        ctis_date_parse(buf, dst)) {
        problem(w, key, "must be a date YYYY-MM-DD between 1900 and 2100");
    }
}

static void get_int(struct walker *w, int obj, const char *key, long min,
                    long max, long *dst)
{
    int v = jdoc_get(w->d, obj, key);
    char msg[80];
    long value;

    if (is_null(w, v)) {
        return;
    }
    if (jdoc_long(w->d, v, &value) != 0 || value < min || value > max) {
        snprintf(msg, sizeof msg, "must be a whole number from %ld to %ld",
                 min, max);
        problem(w, key, msg);
        return;
    }
    *dst = value;
}

/* A country code in any case, kept upper case; an unknown one is left for
 * the record's rules to report. */
static void get_country(struct walker *w, int obj, const char *key,
                        char dst[3])
{
    get_string(w, obj, key, dst, 3, 0);
    model_country_parse(dst, dst);
}

/* A province as people write it (model_province_parse), kept as its ISO
 * code. */
static void get_province(struct walker *w, int obj, const char *key,
                         char dst[6])
{
    char text[64] = "";
    int n;

    get_string(w, obj, key, text, sizeof text, 0);
    if (text[0] == '\0') {
        return;
    }
    n = model_province_parse(text);
    if (n == 0) {
        problem(w, key, "must be " MODEL_PROVINCE_ALLOWED);
        return;
    }
    ctis_strlcpy(dst, model_province_at(n)->code, 6);
}

static const char *const person_keys[] = {
    "given_name", "family_name", "given_name_km", "family_name_km", "sex",
    "birth_date", "birth_year", "age", "citizenship", "home_province",
    "home_district", "home_commune", "home_village", "phone", "email", NULL};

static void read_person(struct walker *w, int obj, struct model_person *p)
{
    long n;

    check_keys(w, obj, person_keys);
    get_string(w, obj, "given_name", p->given_name, sizeof p->given_name, 0);
    get_string(w, obj, "family_name", p->family_name, sizeof p->family_name,
               0);
    get_string(w, obj, "given_name_km", p->given_name_km,
               sizeof p->given_name_km, 0);
    get_string(w, obj, "family_name_km", p->family_name_km,
               sizeof p->family_name_km, 0);
    get_code(w, obj, "sex", model_sex_codes, &p->sex, 0);
    get_date(w, obj, "birth_date", &p->birth_date, 0);
    n = 0;
    get_int(w, obj, "birth_year", 1900, 2100, &n);
    p->birth_year = (int)n;
    n = -1;
    get_int(w, obj, "age", 0, 120, &n);
    p->age = (int)n;
    get_country(w, obj, "citizenship", p->citizenship);
    get_province(w, obj, "home_province", p->home_province);
    get_string(w, obj, "home_district", p->home_district,
               sizeof p->home_district, 0);
    get_string(w, obj, "home_commune", p->home_commune,
               sizeof p->home_commune, 0);
    get_string(w, obj, "home_village", p->home_village,
               sizeof p->home_village, 0);
    get_string(w, obj, "phone", p->phone, sizeof p->phone, 0);
    get_string(w, obj, "email", p->email, sizeof p->email, 0);
}

static const char *const event_keys[] = {
    "id", "supersedes", "type", "date", "from_country", "to_country", "official", "service",
    "to", NULL};

static void read_event(struct walker *w, int obj, struct model_event *e)
{
    int v;

    long n = 0;

    memset(e, 0, sizeof *e);
    check_keys(w, obj, event_keys);
    get_int(w, obj, "id", 1, 1000000, &n);
    e->id = (int)n;
    n = 0;
    get_int(w, obj, "supersedes", 1, 1000000, &n);
    e->supersedes = (int)n;
    get_code(w, obj, "type", model_event_type_codes, &e->type, 1);
    get_date(w, obj, "date", &e->date, 1);
    get_country(w, obj, "from_country", e->from_country);
    get_country(w, obj, "to_country", e->to_country);
    v = jdoc_get(w->d, obj, "official");
    if (!is_null(w, v)) {
        if (!is_type(w, v, J_TRUE) && !is_type(w, v, J_FALSE)) {
            problem(w, "official", "must be true or false");
        } else {
            e->official = is_type(w, v, J_TRUE);
        }
    }
    get_code(w, obj, "service", model_service_codes, &e->service, 0);
    get_code(w, obj, "to", model_referral_codes, &e->referral, 0);
}

static const char *const case_keys[] = {
    "type", "id", "agency", "person", "trafficking_status", "movement",
    "exploitation", "labour_sector", "means", "recruiter_relationship",
    "destination_country", "destination_province", "destination_city",
    "status", "events", NULL};

static int read_case(struct walker *w, int obj, struct model_case *c)
{
    int v;
    int i;
    int item;

    check_keys(w, obj, case_keys);
    get_string(w, obj, "id", c->id, sizeof c->id, 1);
    get_string(w, obj, "agency", c->agency, sizeof c->agency, 1);
    v = jdoc_get(w->d, obj, "person");
    if (!is_null(w, v)) {
        if (!is_type(w, v, J_OBJECT)) {
            problem(w, "person", "must be an object");
        } else {
            struct walker pw = *w;

            ctis_strlcpy(pw.prefix, "person.", sizeof pw.prefix);
            read_person(&pw, v, &c->person);
        }
    }
    get_code(w, obj, "trafficking_status", model_tstatus_codes,
             &c->trafficking_status, 0);
    get_code(w, obj, "movement", model_movement_codes, &c->movement, 0);
    get_set(w, obj, "exploitation", model_exploitation_codes,
            &c->exploitation);
    get_code(w, obj, "labour_sector", model_sector_codes, &c->labour_sector,
             0);
    get_set(w, obj, "means", model_means_codes, &c->means);
    get_code(w, obj, "recruiter_relationship", model_relation_codes,
             &c->recruiter_relationship, 0);
    get_country(w, obj, "destination_country", c->destination_country);
    get_province(w, obj, "destination_province", c->destination_province);
    get_string(w, obj, "destination_city", c->destination_city,
               sizeof c->destination_city, 0);
    get_code(w, obj, "status", model_case_status_codes, &c->status, 0);
    v = jdoc_get(w->d, obj, "events");
    if (is_null(w, v)) {
        return 0;
    }
    if (!is_type(w, v, J_ARRAY)) {
        problem(w, "events", "must be an array of objects");
        return 0;
    }
    for (i = 0, item = v + 1; i < w->d->tok[v].count;
         i++, item = jdoc_skip(w->d, item)) {
        struct walker ew = *w;
        struct model_event e;

        snprintf(ew.prefix, sizeof ew.prefix, "events[%d].", i);
        if (!is_type(w, item, J_OBJECT)) {
            ew.prefix[strlen(ew.prefix) - 1] = '\0';
            problem(&ew, "", "must be an object");
            continue;
        }
        read_event(&ew, item, &e);
        if (model_case_add_event(c, &e) != 0) {
            return CTIS_ENOMEM;
        }
    }
    return 0;
}

static const char *const offender_keys[] = {"id", "sex", "citizenship",
                                            "role", NULL};
static const char *const crim_event_keys[] = {
    "type", "date", "offender", "sentence_months", "law_articles", NULL};
static const char *const criminal_case_keys[] = {
    "type", "id", "kind", "offenders", "victim_cases", "events", NULL};

/* Allocate an array for a JSON array's items; an empty one is NULL. */
static void *alloc_items(const struct walker *w, int arr, size_t item_size,
                         size_t *n)
{
    *n = 0;
    if (w->d->tok[arr].count == 0) {
        return NULL;
    }
    return ctis_calloc((size_t)w->d->tok[arr].count, item_size);
}

static int get_array(struct walker *w, int obj, const char *key)
{
    int v = jdoc_get(w->d, obj, key);

    if (is_null(w, v)) {
        return -1;
    }
    if (!is_type(w, v, J_ARRAY)) {
        problem(w, key, "must be an array");
        return -1;
    }
    return v;
}

static int read_offenders(struct walker *w, int arr,
                          struct model_criminal_case *cc)
{
    int i;
    int item;

    cc->offenders = alloc_items(w, arr, sizeof *cc->offenders,
                                &cc->n_offenders);
    if (w->d->tok[arr].count > 0 && cc->offenders == NULL) {
        return CTIS_ENOMEM;
    }
    for (i = 0, item = arr + 1; i < w->d->tok[arr].count;
         i++, item = jdoc_skip(w->d, item)) {
        struct walker ow = *w;
        struct model_offender *o = &cc->offenders[cc->n_offenders++];

        snprintf(ow.prefix, sizeof ow.prefix, "offenders[%d].", i);
        if (!is_type(w, item, J_OBJECT)) {
            problem(&ow, "id", "offender must be an object");
            continue;
        }
        check_keys(&ow, item, offender_keys);
        get_string(&ow, item, "id", o->id, sizeof o->id, 1);
        get_code(&ow, item, "sex", model_sex_codes, &o->sex, 0);
        get_country(&ow, item, "citizenship", o->citizenship);
        o->role = MODEL_ROLE_OTHER;
        get_code(&ow, item, "role", model_role_codes, &o->role, 0);
    }
    return 0;
}

static int read_victims(struct walker *w, int arr,
                        struct model_criminal_case *cc)
{
    int i;
    int item;

    cc->victim_cases = alloc_items(w, arr, sizeof *cc->victim_cases,
                                   &cc->n_victim_cases);
    if (w->d->tok[arr].count > 0 && cc->victim_cases == NULL) {
        return CTIS_ENOMEM;
    }
    for (i = 0, item = arr + 1; i < w->d->tok[arr].count;
         i++, item = jdoc_skip(w->d, item)) {
        char path[64];

        snprintf(path, sizeof path, "victim_cases[%d]", i);
        if (!is_type(w, item, J_STRING) ||
            jdoc_string(w->d, item, cc->victim_cases[cc->n_victim_cases],
                        MODEL_ID_MAX) < 0) {
            problem(w, path, "must be a case id");
            continue;
        }
        cc->n_victim_cases++;
    }
    return 0;
}

static int read_crim_events(struct walker *w, int arr,
                            struct model_criminal_case *cc)
{
    int i;
    int item;

    cc->events = alloc_items(w, arr, sizeof *cc->events, &cc->n_events);
    if (w->d->tok[arr].count > 0 && cc->events == NULL) {
        return CTIS_ENOMEM;
    }
    for (i = 0, item = arr + 1; i < w->d->tok[arr].count;
         i++, item = jdoc_skip(w->d, item)) {
        struct walker ew = *w;
        struct model_crim_event *e = &cc->events[cc->n_events++];
        long months = -1;

        snprintf(ew.prefix, sizeof ew.prefix, "events[%d].", i);
        e->sentence_months = -1;
        if (!is_type(w, item, J_OBJECT)) {
            problem(&ew, "type", "event must be an object");
            continue;
        }
        check_keys(&ew, item, crim_event_keys);
        get_code(&ew, item, "type", model_crim_event_codes, &e->type, 1);
        get_date(&ew, item, "date", &e->date, 1);
        get_string(&ew, item, "offender", e->offender, sizeof e->offender,
                   0);
        get_int(&ew, item, "sentence_months", 0, 1200, &months);
        e->sentence_months = (int)months;
        get_string(&ew, item, "law_articles", e->law_articles,
                   sizeof e->law_articles, 0);
    }
    return 0;
}

static int read_criminal_case(struct walker *w, int obj,
                              struct model_criminal_case *cc)
{
    int arr;
    int rc;

    check_keys(w, obj, criminal_case_keys);
    get_string(w, obj, "id", cc->id, sizeof cc->id, 1);
    get_code(w, obj, "kind", model_crim_kind_codes, &cc->kind, 1);
    arr = get_array(w, obj, "offenders");
    rc = arr >= 0 ? read_offenders(w, arr, cc) : 0;
    if (rc == 0) {
        arr = get_array(w, obj, "victim_cases");
        rc = arr >= 0 ? read_victims(w, arr, cc) : 0;
    }
    if (rc == 0) {
        arr = get_array(w, obj, "events");
        rc = arr >= 0 ? read_crim_events(w, arr, cc) : 0;
    }
    return rc;
}

static const char *const agency_keys[] = {"type", "id", "name", "kind",
                                          "pillars", "provinces", NULL};

static void read_agency(struct walker *w, int obj, struct model_agency *a)
{
    int arr;
    int i;
    int item;

    check_keys(w, obj, agency_keys);
    get_string(w, obj, "id", a->id, sizeof a->id, 1);
    get_string(w, obj, "name", a->name, sizeof a->name, 1);
    get_code(w, obj, "kind", model_agency_kind_codes, &a->kind, 1);
    get_set(w, obj, "pillars", model_pillar_codes, &a->pillars);
    arr = get_array(w, obj, "provinces");
    for (i = 0, item = arr + 1; arr >= 0 && i < w->d->tok[arr].count;
         i++, item = jdoc_skip(w->d, item)) {
        char code[64];
        int n = is_type(w, item, J_STRING) &&
                        jdoc_string(w->d, item, code, sizeof code) >= 0
                    ? model_province_parse(code)
                    : 0;

        if (n == 0) {
            char path[64];

            snprintf(path, sizeof path, "provinces[%d]", i);
            problem(w, path, "must be " MODEL_PROVINCE_ALLOWED);
            continue;
        }
        a->provinces |= 1UL << n;
    }
}

static const char *const activity_keys[] = {
    "type", "id", "agency", "kind", "province", "start", "end", "reached",
    NULL};

static void read_activity(struct walker *w, int obj,
                          struct model_activity *a)
{
    check_keys(w, obj, activity_keys);
    get_string(w, obj, "id", a->id, sizeof a->id, 1);
    get_string(w, obj, "agency", a->agency, sizeof a->agency, 1);
    get_code(w, obj, "kind", model_activity_kind_codes, &a->kind, 1);
    get_province(w, obj, "province", a->province);
    get_date(w, obj, "start", &a->start, 0);
    get_date(w, obj, "end", &a->end, 0);
    get_int(w, obj, "reached", 0, 1000000000L, &a->reached);
}

static const char *const instrument_keys[] = {"type", "id", "title", "kind",
                                              "date", "parties", NULL};

static void read_instrument(struct walker *w, int obj,
                            struct model_instrument *in)
{
    int arr;
    int i;
    int item;

    check_keys(w, obj, instrument_keys);
    get_string(w, obj, "id", in->id, sizeof in->id, 1);
    get_string(w, obj, "title", in->title, sizeof in->title, 1);
    get_code(w, obj, "kind", model_instrument_kind_codes, &in->kind, 1);
    get_date(w, obj, "date", &in->date, 0);
    arr = get_array(w, obj, "parties");
    for (i = 0, item = arr + 1; arr >= 0 && i < w->d->tok[arr].count;
         i++, item = jdoc_skip(w->d, item)) {
        char path[64];

        snprintf(path, sizeof path, "parties[%d]", i);
        if (in->n_parties >= MODEL_PARTIES_MAX) {
            problem(w, path, "too many parties (at most 8)");
            break;
        }
        if (!is_type(w, item, J_STRING) ||
            jdoc_string(w->d, item, in->parties[in->n_parties], 3) != 2) {
            problem(w, path, "must be an ISO 3166-1 alpha-2 country code");
            continue;
        }
        in->n_parties++;
    }
}

static const struct model_code record_type_codes[] = {
    {IO_REC_AGENCY, "agency"}, {IO_REC_CASE, "case"},
    {IO_REC_CRIMINAL_CASE, "criminal_case"}, {IO_REC_ACTIVITY, "activity"},
    {IO_REC_INSTRUMENT, "instrument"}, {0, NULL}};

static void set_type(struct io_record *out, int type)
{
    io_record_release(out);
    out->type = type;
    switch (type) {
    case IO_REC_AGENCY:
        model_agency_init(&out->u.agency);
        break;
    case IO_REC_CASE:
        model_case_init(&out->u.kase);
        break;
    case IO_REC_CRIMINAL_CASE:
        model_criminal_case_init(&out->u.criminal_case);
        break;
    case IO_REC_ACTIVITY:
        model_activity_init(&out->u.activity);
        break;
    default:
        model_instrument_init(&out->u.instrument);
        break;
    }
}

static int read_record(struct walker *w, int obj, struct io_record *out)
{
    int type = -1;
    int before = w->problems->n;
    int rc = 0;

    get_code(w, obj, "type", record_type_codes, &type, 1);
    if (type < 0) {
        return CTIS_EINVAL;
    }
    set_type(out, type);
    switch (type) {
    case IO_REC_AGENCY:
        read_agency(w, obj, &out->u.agency);
        break;
    case IO_REC_CASE:
        rc = read_case(w, obj, &out->u.kase);
        break;
    case IO_REC_CRIMINAL_CASE:
        rc = read_criminal_case(w, obj, &out->u.criminal_case);
        break;
    case IO_REC_ACTIVITY:
        read_activity(w, obj, &out->u.activity);
        break;
    default:
        read_instrument(w, obj, &out->u.instrument);
        break;
    }
    if (rc != 0) {
        return rc;
    }
    return w->problems->n > before ? CTIS_EINVAL : 0;
}

static int validate(const struct io_record *r, struct model_problems *p)
{
    int found;

    switch (r->type) {
    case IO_REC_AGENCY:
        found = model_agency_validate(&r->u.agency, p);
        break;
    case IO_REC_CASE:
        found = model_case_validate(&r->u.kase, p);
        break;
    case IO_REC_CRIMINAL_CASE:
        found = model_criminal_case_validate(&r->u.criminal_case, p);
        break;
    case IO_REC_ACTIVITY:
        found = model_activity_validate(&r->u.activity, p);
        break;
    default:
        found = model_instrument_validate(&r->u.instrument, p);
        break;
    }
    return found > 0 ? CTIS_EINVAL : 0;
}

/* Parse, walk, validate. */
int io_jsonl_parse(const char *line, size_t len, struct io_record *out,
                   struct model_problems *problems)
{
    struct walker w;
    struct jdoc doc;
    int rc;

    memset(&w, 0, sizeof w);
    w.problems = problems;
    w.d = &doc;
    io_record_release(out);
    if (jdoc_parse(&doc, line, len) != 0) {
        char msg[96];

        jdoc_release(&doc);
        if (doc.oom) {
            return CTIS_ENOMEM;
        }
        snprintf(msg, sizeof msg,
                 doc.error_duplicate
                     ? "an object repeats a key (the object ending at "
                       "column %d)"
                     : "is not valid JSON (at column %d)",
                 doc.error_column > 0 ? doc.error_column : 1);
        model_problems_add(problems, "", msg);
        return CTIS_EINVAL;
    }
    if (doc.tok[0].type != J_OBJECT) {
        model_problems_add(problems, "", "must be a JSON object");
        jdoc_release(&doc);
        return CTIS_EINVAL;
    }
    rc = read_record(&w, 0, out);
    jdoc_release(&doc);
    if (rc == CTIS_ENOMEM) {
        return rc;
    }
    if (rc == 0) {
        rc = validate(out, problems);
    }
    return rc;
}

/* Empty record of the first type. */
void io_record_init(struct io_record *r)
{
    memset(r, 0, sizeof *r);
    r->type = IO_REC_AGENCY;
    model_agency_init(&r->u.agency);
}

/* Free the arrays the record's type owns. */
void io_record_release(struct io_record *r)
{
    if (r == NULL) {
        return;
    }
    if (r->type == IO_REC_CASE) {
        model_case_release(&r->u.kase);
    } else if (r->type == IO_REC_CRIMINAL_CASE) {
        model_criminal_case_release(&r->u.criminal_case);
    }
    io_record_init(r);
}

/* The id field of whichever record it is. */
const char *io_record_id(const struct io_record *r)
{
    switch (r->type) {
    case IO_REC_AGENCY:
        return r->u.agency.id;
    case IO_REC_CASE:
        return r->u.kase.id;
    case IO_REC_CRIMINAL_CASE:
        return r->u.criminal_case.id;
    case IO_REC_ACTIVITY:
        return r->u.activity.id;
    default:
        return r->u.instrument.id;
    }
}

/* jansson's allocator is process-global; main sets it once. */
void io_init(void)
{
    json_set_alloc_funcs(ctis_malloc, ctis_free);
}
