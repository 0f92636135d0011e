/*
 * input.c - the set of records to link: adding rows given as field
 * strings (parsed, validated and normalised into compact records), the
 * (list, id) index, reviewers' decisions.
 *
 * Validation errors name the place and field, "FILE:LINE: field 'NAME':
 * reason", and never quote a value: names, birth dates and contacts are
 * identifying.
 */
#include <stdlib.h>
#include <string.h>

#include "link_int.h"
#include "model/model.h"

static const char *const field_names[LINK_F_COUNT] = {
    "list", "record_id", "given_name", "family_name", "full_name",
    "given_name_km", "family_name_km", "sex", "birth_date", "birth_year",
    "age", "age_at", "home_province", "place", "phone", "email",
};

/* Column name of a field. */
const char *link_field_name(int field)
{
    if (field < 0 || field >= LINK_F_COUNT) {
        return NULL;
    }
    return field_names[field];
}

/* Field of a column name. */
int link_field_parse(const char *s)
{
    int i;

    for (i = 0; i < LINK_F_COUNT; i++) {
        if (strcmp(s, field_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

/* Defaults chosen on the generated lists and fake_1000 (docs/linkage.md). */
void link_options_init(struct link_options *o)
{
    memset(o, 0, sizeof *o);
    o->accept_prob = 0.2;
    o->review_low = 0.1;
    o->review_high = 0.9;
    o->strong_weight = 5.0;
    o->mean_offset = -3.0;
    o->min_weight = -10.0;
    o->block_cap = 200;
    o->block_window = 4;
    o->u_samples = 300000;
    o->em_max_iter = 200;
    o->threads = 2;
    o->progress = 0;
    o->seed = 42;
}

/* Empty set. */
int link_set_new(struct link_set **out, struct ctis_err *err)
{
    struct link_set *s = ctis_calloc(1, sizeof *s);

    *out = NULL;
    if (s == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    ctis_arena_init(&s->arena, 1 << 20);
    *out = s;
    return 0;
}

/* Free everything. */
void link_set_free(struct link_set *s)
{
    size_t i;

    if (s == NULL) {
        return;
    }
    for (i = 0; i < s->n_lists; i++) {
        ctis_free(s->lists[i]);
    }
    ctis_free(s->lists);
    ctis_free(s->recs);
    ctis_free(s->ids);
    ctis_free(s->decisions);
    ctis_free(s->model.tf_key);
    ctis_free(s->model.tf_count);
    ctis_free(s->model.tf_rec);
    ctis_arena_release(&s->arena);
    ctis_free(s);
}

/* Records added so far. */
size_t link_set_size(const struct link_set *s)
{
    return s->n;
}

/* Lists met so far, in order of first appearance. */
size_t link_set_lists(const struct link_set *s)
{
    return s->n_lists;
}

/* The name of a list, NULL past the end. */
const char *link_set_list_name(const struct link_set *s, size_t list)
{
    return list < s->n_lists ? s->lists[list] : NULL;
}

/* The list a record belongs to. */
size_t link_set_record_list(const struct link_set *s, size_t rec)
{
    return s->recs[rec].list;
}

/* A record's id in its list. */
const char *link_set_record_id(const struct link_set *s, size_t rec)
{
    return s->recs[rec].id;
}

/* Encoded records are linked on their Bloom filters only. */
int link_set_is_clk(const struct link_set *s)
{
    return s->mode == 2;
}

static uint64_t id_hash(uint32_t list, const char *id)
{
    return link_hash(id, strlen(id), (uint64_t)list * 0x9E3779B97F4A7C15ULL);
}

/* Slot of (list, id) in the id table: holding it, or the empty slot where
 * it would go. */
static size_t id_slot(const struct link_set *s, uint32_t list,
                      const char *id)
{
    size_t mask = s->ids_cap - 1;
    size_t i = (size_t)id_hash(list, id) & mask;

    while (s->ids[i] != 0) {
        const struct link_rec *r = &s->recs[s->ids[i] - 1];

        if (r->list == list && strcmp(r->id, id) == 0) {
            return i;
        }
        i = (i + 1) & mask;
    }
    return i;
}

static int ids_grow(struct link_set *s)
{
    size_t cap = s->ids_cap == 0 ? 1024 : s->ids_cap * 2;
    uint32_t *old = s->ids;
    size_t old_cap = s->ids_cap;
    size_t i;

    s->ids = ctis_calloc(cap, sizeof *s->ids);
    if (s->ids == NULL) {
        s->ids = old;
        return CTIS_ENOMEM;
    }
    s->ids_cap = cap;
    for (i = 0; i < old_cap; i++) {
        if (old[i] != 0) {
            const struct link_rec *r = &s->recs[old[i] - 1];

            s->ids[id_slot(s, r->list, r->id)] = old[i];
        }
    }
    ctis_free(old);
    return 0;
}

/* Index of a list by name, or -1. */
static long list_find(const struct link_set *s, const char *name)
{
    size_t i;

    for (i = 0; i < s->n_lists; i++) {
        if (strcmp(s->lists[i], name) == 0) {
            return (long)i;
        }
    }
    return -1;
}

static long list_add(struct link_set *s, const char *name)
{
    long i = list_find(s, name);

    if (i >= 0) {
        return i;
    }
    if (s->n_lists == s->cap_lists) {
        size_t cap = s->cap_lists == 0 ? 8 : s->cap_lists * 2;
        char **p = ctis_realloc(s->lists, cap * sizeof *p);

        if (p == NULL) {
            return -1;
        }
        s->lists = p;
        s->cap_lists = cap;
    }
    s->lists[s->n_lists] = ctis_strdup(name);
    if (s->lists[s->n_lists] == NULL) {
        return -1;
    }
    return (long)s->n_lists++;
}

/* The record of a list and id. */
long link_set_find(const struct link_set *s, const char *list,
                   const char *id)
{
    long l = list_find(s, list);
    size_t i;

    if (l < 0 || s->ids_cap == 0) {
        return -1;
    }
    i = id_slot(s, (uint32_t)l, id);
    return s->ids[i] == 0 ? -1 : (long)s->ids[i] - 1;
}

/* Room for one more record and its id slot. */
static int reserve_record(struct link_set *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap == 0 ? 1024 : s->cap * 2;
        struct link_rec *p = ctis_realloc(s->recs, cap * sizeof *p);

        if (p == NULL) {
            return CTIS_ENOMEM;
        }
        s->recs = p;
        s->cap = cap;
    }
    if ((s->n + 1) * 2 > s->ids_cap) {
        return ids_grow(s);
    }
    return 0;
}

static int nonempty(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* Copy of s into the arena, or NULL for "" (and on out of memory, which
 * the caller detects through *oom). */
static const char *keep(struct link_set *s, const char *v, int *oom)
{
    char *p;

    if (v == NULL || v[0] == '\0') {
        return NULL;
    }
    p = ctis_arena_strdup(&s->arena, v);
    if (p == NULL) {
        *oom = 1;
    }
    return p;
}

static void remove_spaces(char *s)
{
    char *w = s;

    for (; *s != '\0'; s++) {
        if (*s != ' ') {
            *w++ = *s;
        }
    }
    *w = '\0';
}

#define DATE_RULE "not a date (YYYY-MM-DD, YYYY-MM or YYYY), 1900 to today"

/* Parse YYYY-MM-DD, YYYY-MM or YYYY. 0 or CTIS_EINVAL. */
static int parse_partial_date_raw(const char *s, int *y, int *m, int *d)
{
    size_t n = strlen(s);
    long v;
    char buf[8];

    *y = 0;
    *m = 0;
    *d = 0;
    if (n == 10) {
        int date;

        if (ctis_date_parse(s, &date) != 0) {
            return CTIS_EINVAL;
        }
        *y = date / 10000;
        *m = date / 100 % 100;
        *d = date % 100;
        return 0;
    }
    if (n != 4 && n != 7) {
        return CTIS_EINVAL;
    }
    memcpy(buf, s, 4);
    buf[4] = '\0';
    if (ctis_parse_long(buf, 1900, 2100, &v) != 0) {
        return CTIS_EINVAL;
    }
    *y = (int)v;
    if (n == 7) {
        if (s[4] != '-' || s[5] < '0' || s[5] > '9' || s[6] < '0' ||
            s[6] > '9') {
            return CTIS_EINVAL;
        }
        memcpy(buf, s + 5, 2);
        buf[2] = '\0';
        if (ctis_parse_long(buf, 1, 12, &v) != 0) {
            return CTIS_EINVAL;
        }
        *m = (int)v;
    }
    return 0;
}

/* A partial date: 0, CTIS_EINVAL when malformed, or LINK_FUTURE when it
 * is after tomorrow (a mistyped year such as 2099). */
#define LINK_FUTURE 1
static int parse_partial_date(const char *s, int *y, int *m, int *d)
{
    int latest = ctis_date_from_days(ctis_date_days(ctis_date_today()) + 1);

    if (parse_partial_date_raw(s, y, m, d) != 0) {
        return CTIS_EINVAL;
    }
    if (*y * 10000 + *m * 100 + *d > latest) {
        return LINK_FUTURE;
    }
    return 0;
}

/* A date after tomorrow on another agency's list is a typing mistake in
 * one field, not a reason to refuse the whole list: the birth information
 * of that record is set aside as unknown, and counted. */
static void set_aside_future(struct link_set *s, const char *where)
{
    if (s->n_future++ == 0) {
        ctis_strlcpy(s->first_future, where, sizeof s->first_future);
    }
}

size_t link_set_future_dates(const struct link_set *s, const char **first)
{
    *first = s->first_future;
    return s->n_future;
}

static int parse_sex(const char *v, uint8_t *out)
{
    static const struct {
        const char *code;
        uint8_t sex;
    } codes[] = {
        {"f", 1}, {"female", 1}, {"woman", 1}, {"girl", 1},
        {"\xe1\x9e\x9f\xe1\x9f\x92\xe1\x9e\x9a\xe1\x9e\xb8", 1},
        {"m", 2}, {"male", 2}, {"man", 2}, {"boy", 2},
        {"\xe1\x9e\x94\xe1\x9f\x92\xe1\x9e\x9a\xe1\x9e\xbb\xe1\x9e\x9f", 2},
        {"other", 3}, {"x", 3}, {"u", 0}, {"unknown", 0}, {"-99", 0},
    };
    char low[32];
    size_t i;

    for (i = 0; v[i] != '\0' && i + 1 < sizeof low; i++) {
        char c = v[i];

        low[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    low[i] = '\0';
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        if (strcmp(low, codes[i].code) == 0) {
            *out = codes[i].sex;
            return 0;
        }
    }
    return CTIS_EINVAL;
}

/* Province number 1..25 for a code or a name (Latin or Khmer), else a
 * hash of the normalised text. */
static uint32_t province_value(const char *v)
{
    char norm[LINK_NAME_MAX];
    char pn[LINK_NAME_MAX];
    int i;
    int num = model_province_parse(v);

    /* The one province table of model/: codes, Latin spellings and
     * Khmer names all give the province's number. */
    if (num > 0) {
        return (uint32_t)num;
    }
    if (model_name_normalise(v, norm, sizeof norm) != 0 || norm[0] == '\0') {
        return 0;
    }
    remove_spaces(norm);
    if (norm[0] == 'k' && norm[1] == 'h' && norm[2] >= '0' &&
        norm[2] <= '9') {
        long n;

        if (ctis_parse_long(norm + 2, 1, 25, &n) == 0) {
            return (uint32_t)n;
        }
    }
    for (i = 1; i <= MODEL_PROVINCES; i++) {
        const struct model_province *p = model_province_at(i);

        if (p == NULL) {
            continue;
        }
        if (model_name_normalise(p->name, pn, sizeof pn) == 0) {
            remove_spaces(pn);
            if (strcmp(pn, norm) == 0) {
                return (uint32_t)i;
            }
        }
    }
    return (uint32_t)(link_hash_str(norm) | 0x80000000u);
}

static uint64_t phone_value(const char *v)
{
    char d[32];
    size_t n = 0;
    size_t i;
    const char *p;

    for (i = 0; v[i] != '\0' && n + 1 < sizeof d; i++) {
        if (v[i] >= '0' && v[i] <= '9') {
            d[n++] = v[i];
        }
    }
    d[n] = '\0';
    if (n < 6) {
        return 0;
    }
    p = n > 8 ? d + n - 8 : d;
    while (*p == '0') {
        p++;
    }
    return link_hash_str(p);
}

/* Split a full name into given and family: Khmer order (family first)
 * when it holds Khmer script, else the last word is the family name. */
static void split_full(const char *raw, const char *norm, char *given,
                       char *family, size_t size)
{
    const char *sp;
    int khmer = strstr(raw, "\xe1\x9e") != NULL ||
                strstr(raw, "\xe1\x9f") != NULL;

    given[0] = '\0';
    family[0] = '\0';
    if (khmer) {
        sp = strchr(norm, ' ');
        if (sp == NULL) {
            ctis_strlcpy(family, norm, size);
            return;
        }
        ctis_strlcpy(family, norm,
                     (size_t)(sp - norm) + 1 < size ? (size_t)(sp - norm) + 1
                                                    : size);
        ctis_strlcpy(given, sp + 1, size);
        return;
    }
    sp = strrchr(norm, ' ');
    if (sp == NULL) {
        ctis_strlcpy(family, norm, size);
        return;
    }
    ctis_strlcpy(family, sp + 1, size);
    ctis_strlcpy(given, norm,
                 (size_t)(sp - norm) + 1 < size ? (size_t)(sp - norm) + 1
                                                : size);
}

static int bad(struct ctis_err *err, const char *where, int field,
               const char *reason)
{
    return ctis_err_set(err, CTIS_EINVAL, "%s: field '%s': %s", where,
                        field_names[field], reason);
}

/* Normalise a name field (Latin or Khmer); "" when absent. The keys of
 * the other readings of a Khmer name, with the Latin spellings made one,
 * into alt (n_alt of them, each unlike key and the others). */
static void name_of(const char *latin, const char *km, char *out,
                    size_t size, char *key, char alt[][LINK_KEY_MAX],
                    int *n_alt)
{
    char r[MODEL_NAME_READINGS][MODEL_READING_MAX];
    char sp[LINK_NAME_MAX];
    int n = 0;
    int i;
    int j;

    out[0] = '\0';
    *n_alt = 0;
    if (nonempty(latin)) {
        model_name_normalise(latin, out, size);
    }
    if (out[0] == '\0' && nonempty(km) &&
        model_name_readings(km, r, &n) == 0) {
        ctis_strlcpy(out, r[0], size);
    }
    remove_spaces(out);
    ctis_strlcpy(sp, out, sizeof sp);
    model_name_spelling(sp);
    model_name_phonetic_key(sp, key, LINK_KEY_MAX);
    for (i = 1; i < n && *n_alt < LINK_READINGS_ALT; i++) {
        int seen = 0;

        remove_spaces(r[i]);
        ctis_strlcpy(sp, r[i], sizeof sp);
        model_name_spelling(sp);
        model_name_phonetic_key(sp, alt[*n_alt], LINK_KEY_MAX);
        seen = strcmp(alt[*n_alt], key) == 0;
        for (j = 0; j < *n_alt && !seen; j++) {
            seen = strcmp(alt[j], alt[*n_alt]) == 0;
        }
        if (!seen) {
            (*n_alt)++;
        }
    }
}

/* Add the other readings' keys (alt, n of them) to the free values of the
 * blocking keys that take a name key (9, 11, 13: compare.c), so a Khmer
 * name meets a Latin one that spells another reading there too. */
static void alt_blocks(const struct link_rec *r, char alt[][LINK_KEY_MAX],
                       int n, char keys[][LINK_KEY_VALUES][LINK_KEY_TEXT])
{
    int i;

    for (i = 0; i < n; i++) {
        int v;

        for (v = 0; v < LINK_KEY_VALUES; v++) {
            if (keys[9][v][0] == '\0' && r->ylo != 0) {
                snprintf(keys[9][v], LINK_KEY_TEXT, "9|%s|%d", alt[i],
                         r->yhi);
                break;
            }
        }
        for (v = 0; v < LINK_KEY_VALUES && r->prov != 0; v++) {
            if (keys[11][v][0] == '\0') {
                snprintf(keys[11][v], LINK_KEY_TEXT, "11|%s|%u", alt[i],
                         (unsigned)r->prov);
                break;
            }
        }
        for (v = 0; v < LINK_KEY_VALUES && r->place != NULL; v++) {
            if (keys[13][v][0] == '\0') {
                snprintf(keys[13][v], LINK_KEY_TEXT, "13|%s|%.60s", alt[i],
                         r->place);
                break;
            }
        }
    }
}

/* Parse, validate and add one row. */
int link_set_add(struct link_set *s, const char *const *f,
                 const char *where, struct ctis_err *err)
{
    struct link_rec r;
    char given[LINK_NAME_MAX];
    char family[LINK_NAME_MAX];
    char gkey[LINK_KEY_MAX];
    char gsp[LINK_NAME_MAX];
    char fsp[LINK_NAME_MAX];
    char fkey[LINK_KEY_MAX];
    char place[LINK_NAME_MAX];
    char email[LINK_NAME_MAX];
    char keys[LINK_BLOCK_KEYS][LINK_KEY_VALUES][LINK_KEY_TEXT];
    char galt[LINK_READINGS_ALT][LINK_KEY_MAX];
    char falt[LINK_READINGS_ALT][LINK_KEY_MAX];
    int n_galt = 0;
    int n_falt = 0;
    int v;
    long list;
    int i;
    int oom = 0;
    int future = 0;
    int rc;
    size_t slot;

    if (s->mode == 2) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s: clear and encoded records cannot be "
                            "linked together", where);
    }
    for (i = 0; i < LINK_F_COUNT; i++) {
        if (f[i] != NULL && !ctis_utf8_valid(f[i], strlen(f[i]))) {
            return bad(err, where, i, "invalid UTF-8");
        }
    }
    if (!nonempty(f[LINK_F_LIST])) {
        return bad(err, where, LINK_F_LIST, "missing");
    }
    if (!nonempty(f[LINK_F_RECORD_ID])) {
        return bad(err, where, LINK_F_RECORD_ID, "missing");
    }
    memset(&r, 0, sizeof r);

    /* names */
    name_of(f[LINK_F_GIVEN_NAME], f[LINK_F_GIVEN_NAME_KM], given,
            sizeof given, gkey, galt, &n_galt);
    name_of(f[LINK_F_FAMILY_NAME], f[LINK_F_FAMILY_NAME_KM], family,
            sizeof family, fkey, falt, &n_falt);
    if (given[0] == '\0' && family[0] == '\0' &&
        nonempty(f[LINK_F_FULL_NAME])) {
        char norm[LINK_NAME_MAX];

        model_name_normalise(f[LINK_F_FULL_NAME], norm, sizeof norm);
        split_full(f[LINK_F_FULL_NAME], norm, given, family, sizeof given);
        remove_spaces(given);
        remove_spaces(family);
    }
    /* the keys are of the names with the Latin spellings of one sound
     * made one; the names themselves stay as written (exact agreement,
     * Jaro-Winkler) */
    ctis_strlcpy(gsp, given, sizeof gsp);
    ctis_strlcpy(fsp, family, sizeof fsp);
    model_name_spelling(gsp);
    model_name_spelling(fsp);
    model_name_phonetic_key(gsp, gkey, sizeof gkey);
    model_name_phonetic_key(fsp, fkey, sizeof fkey);

    /* sex */
    if (nonempty(f[LINK_F_SEX]) && parse_sex(f[LINK_F_SEX], &r.sex) != 0) {
        return bad(err, where, LINK_F_SEX,
                   "unknown code (f, female, m, male, other, unknown)");
    }

    /* birth */
    if (nonempty(f[LINK_F_BIRTH_DATE])) {
        int y;
        int m;
        int d;

        rc = parse_partial_date(f[LINK_F_BIRTH_DATE], &y, &m, &d);
        if (rc == CTIS_EINVAL) {
            return bad(err, where, LINK_F_BIRTH_DATE, DATE_RULE);
        }
        if (rc == LINK_FUTURE) {
            set_aside_future(s, where);
            future = 1;
        } else {
            r.by = (int16_t)y;
            r.bm = (int8_t)m;
            r.bd = (int8_t)d;
        }
    }
    if (nonempty(f[LINK_F_BIRTH_YEAR])) {
        long y;

        if (ctis_parse_long(f[LINK_F_BIRTH_YEAR], 1900, 2100, &y) != 0) {
            return bad(err, where, LINK_F_BIRTH_YEAR,
                       "not a year between 1900 and 2100");
        }
        if (y > ctis_date_today() / 10000 + 1) {
            if (!future) {
                set_aside_future(s, where);
                future = 1;
            }
        } else if (r.by == 0) {
            r.by = (int16_t)y;
        }
    }
    if (nonempty(f[LINK_F_AGE])) {
        long age;
        int ay;
        int am;
        int ad;

        if (ctis_parse_long(f[LINK_F_AGE], 0, 130, &age) != 0) {
            return bad(err, where, LINK_F_AGE,
                       "not a whole number of years (0..130)");
        }
        if (!nonempty(f[LINK_F_AGE_AT])) {
            return bad(err, where, LINK_F_AGE_AT, "required with 'age'");
        }
        rc = parse_partial_date(f[LINK_F_AGE_AT], &ay, &am, &ad);
        if (rc == CTIS_EINVAL) {
            return bad(err, where, LINK_F_AGE_AT, DATE_RULE);
        }
        if (rc == LINK_FUTURE) {
            if (!future) {
                set_aside_future(s, where);
            }
        } else {
            link_birth_interval(&r, age, ay, am, ad);
        }
    } else if (nonempty(f[LINK_F_AGE_AT])) {
        int ay;
        int am;
        int ad;

        if (parse_partial_date(f[LINK_F_AGE_AT], &ay, &am, &ad) ==
            CTIS_EINVAL) {
            return bad(err, where, LINK_F_AGE_AT, DATE_RULE);
        }
    }
    if (r.ylo == 0) {
        link_birth_interval(&r, -1, 0, 0, 0);
    }

    /* places and contacts */
    if (nonempty(f[LINK_F_HOME_PROVINCE])) {
        r.prov = province_value(f[LINK_F_HOME_PROVINCE]);
    }
    place[0] = '\0';
    if (nonempty(f[LINK_F_PLACE])) {
        /* a village as written: Phum or not, either script, spellings */
        model_place_key(f[LINK_F_PLACE], place, sizeof place);
    }
    if (nonempty(f[LINK_F_PHONE])) {
        r.phone = phone_value(f[LINK_F_PHONE]);
    }
    email[0] = '\0';
    if (nonempty(f[LINK_F_EMAIL])) {
        const char *e = f[LINK_F_EMAIL];
        size_t n = 0;

        while (*e == ' ') {
            e++;
        }
        for (; *e != '\0' && *e != ' ' && n + 1 < sizeof email; e++) {
            char c = *e;

            email[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
        email[n] = '\0';
    }

    /* the list and the id */
    list = list_add(s, f[LINK_F_LIST]);
    if (list < 0) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = reserve_record(s);
    if (rc != 0) {
        return ctis_err_set(err, rc, "out of memory");
    }
    slot = id_slot(s, (uint32_t)list, f[LINK_F_RECORD_ID]);
    if (s->ids[slot] != 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s: field 'record_id': duplicate id in list "
                            "'%s'", where, s->lists[list]);
    }
    r.list = (uint32_t)list;
    r.id = keep(s, f[LINK_F_RECORD_ID], &oom);
    r.given = keep(s, given, &oom);
    r.family = keep(s, family, &oom);
    r.gkey = keep(s, gkey, &oom);
    r.fkey = keep(s, fkey, &oom);
    r.place = keep(s, place, &oom);
    r.email = keep(s, email, &oom);
    if (oom) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    r.gh = (uint32_t)link_hash_str(given);
    r.fh = (uint32_t)link_hash_str(family);
    r.glen = (uint8_t)(strlen(given) > 255 ? 255 : strlen(given));
    r.flen = (uint8_t)(strlen(family) > 255 ? 255 : strlen(family));
    r.plen = (uint8_t)(strlen(place) > 255 ? 255 : strlen(place));
    r.elen = (uint8_t)(strlen(email) > 255 ? 255 : strlen(email));
    r.placeh = (uint32_t)link_hash_str(place);
    r.emailh = (uint32_t)link_hash_str(email);
    r.gkh = (uint32_t)link_hash_str(gkey);
    r.fkh = (uint32_t)link_hash_str(fkey);
    for (i = 0; i < n_galt; i++) {
        r.gka[i] = (uint32_t)link_hash_str(galt[i]);
    }
    for (i = 0; i < n_falt; i++) {
        r.fka[i] = (uint32_t)link_hash_str(falt[i]);
    }
    if (given[0] != '\0' && family[0] != '\0') {
        char w[2 * LINK_NAME_MAX];
        char k[2 * LINK_KEY_MAX];

        snprintf(w, sizeof w, "%s%s", given, family);
        r.wh[0] = (uint32_t)link_hash_str(w);
        snprintf(w, sizeof w, "%s%s", gsp, fsp);
        model_name_phonetic_key(w, k, sizeof k);
        r.wk[0] = (uint32_t)link_hash_str(k);
        snprintf(w, sizeof w, "%s%s", family, given);
        r.wh[1] = (uint32_t)link_hash_str(w);
        snprintf(w, sizeof w, "%s%s", fsp, gsp);
        model_name_phonetic_key(w, k, sizeof k);
        r.wk[1] = (uint32_t)link_hash_str(k);
    }
    link_rec_finish(&r);
    link_block_strings(&r, keys);
    if (r.given != NULL) {
        alt_blocks(&r, galt, n_galt, keys);
    }
    if (r.family != NULL) {
        alt_blocks(&r, falt, n_falt, keys);
    }
    for (i = 0; i < LINK_BLOCK_KEYS; i++) {
        int n = 0;

        for (v = 0; v < LINK_KEY_VALUES; v++) {
            uint32_t h = (uint32_t)link_hash_str(keys[i][v]);
            int k;

            if (h == 0 && keys[i][v][0] != '\0') {
                h = 1;
            }
            for (k = 0; k < n && h != 0; k++) {
                if (r.tok[i][k] == h) {
                    h = 0;
                }
            }
            if (h != 0) {
                r.tok[i][n++] = h;
            }
        }
    }
    s->recs[s->n] = r;
    s->ids[slot] = (uint32_t)(s->n + 1);
    s->n++;
    s->mode = 1;
    return 0;
}

/* Remember a reviewer's decision. */
int link_set_decide(struct link_set *s, size_t a, size_t b, int match,
                    struct ctis_err *err)
{
    size_t i;

    if (a == b || a >= s->n || b >= s->n) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "a decision needs two different records");
    }
    /* The same pair decided both ways is a reviewer's mistake to be
     * resolved, not a coin to toss; the same decision twice is kept once. */
    for (i = 0; i < s->n_decisions; i++) {
        const struct link_decision *d = &s->decisions[i];

        if (d->a == (uint32_t)(a < b ? a : b) &&
            d->b == (uint32_t)(a < b ? b : a)) {
            if (d->match != (match != 0)) {
                return ctis_err_set(err, CTIS_EINVAL,
                                    "field 'decision': contradicts an "
                                    "earlier decision on the same pair");
            }
            return 0;
        }
    }
    if (s->n_decisions == s->cap_decisions) {
        size_t cap = s->cap_decisions == 0 ? 64 : s->cap_decisions * 2;
        struct link_decision *p = ctis_realloc(s->decisions,
                                               cap * sizeof *p);

        if (p == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        s->decisions = p;
        s->cap_decisions = cap;
    }
    s->decisions[s->n_decisions].a = (uint32_t)(a < b ? a : b);
    s->decisions[s->n_decisions].b = (uint32_t)(a < b ? b : a);
    s->decisions[s->n_decisions].match = match != 0;
    s->n_decisions++;
    return 0;
}

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Union-find over the match decisions, then every non_match checked. */
int link_set_check_decisions(const struct link_set *s, struct ctis_err *err)
{
    uint32_t *parent;
    size_t i;
    int rc = 0;

    if (s->n_decisions == 0) {
        return 0;
    }
    parent = ctis_malloc(s->n * sizeof *parent);
    if (parent == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (i = 0; i < s->n; i++) {
        parent[i] = (uint32_t)i;
    }
    for (i = 0; i < s->n_decisions; i++) {
        if (s->decisions[i].match) {
            uint32_t x = uf_find(parent, s->decisions[i].a);
            uint32_t y = uf_find(parent, s->decisions[i].b);

            parent[x] = y;
        }
    }
    for (i = 0; i < s->n_decisions && rc == 0; i++) {
        if (!s->decisions[i].match &&
            uf_find(parent, s->decisions[i].a) ==
                uf_find(parent, s->decisions[i].b)) {
            rc = ctis_err_set(err, CTIS_EINVAL,
                              "the decisions contradict each other: match "
                              "decisions join two records that a non_match "
                              "decision separates");
        }
    }
    ctis_free(parent);
    return rc;
}

/* Pairwise evaluation: pairs counted per cluster and per intersection, by
 * sorting (pred, truth) pairs. */
static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x;
    uint64_t b = *(const uint64_t *)y;

    return a < b ? -1 : a > b;
}

static uint64_t pairs_of_runs(uint64_t *v, size_t n)
{
    uint64_t total = 0;
    size_t i = 0;

    qsort(v, n, sizeof *v, cmp_u64);
    while (i < n) {
        size_t j = i;

        while (j < n && v[j] == v[i]) {
            j++;
        }
        total += (uint64_t)(j - i) * (j - i - 1) / 2;
        i = j;
    }
    return total;
}

/* Precision, recall and F1 over pairs of records. */
int link_evaluate(const uint32_t *pred, const uint32_t *truth, size_t n,
                  struct link_eval *out, struct ctis_err *err)
{
    uint64_t *v = ctis_malloc((n > 0 ? n : 1) * sizeof *v);
    size_t i;

    memset(out, 0, sizeof *out);
    if (v == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (i = 0; i < n; i++) {
        v[i] = pred[i];
    }
    out->found_pairs = pairs_of_runs(v, n);
    for (i = 0; i < n; i++) {
        v[i] = truth[i];
    }
    out->true_pairs = pairs_of_runs(v, n);
    for (i = 0; i < n; i++) {
        v[i] = ((uint64_t)pred[i] << 32) | truth[i];
    }
    out->correct_pairs = pairs_of_runs(v, n);
    ctis_free(v);
    out->precision = out->found_pairs > 0
                         ? (double)out->correct_pairs /
                               (double)out->found_pairs
                         : 1.0;
    out->recall = out->true_pairs > 0 ? (double)out->correct_pairs /
                                            (double)out->true_pairs
                                      : 1.0;
    out->f1 = out->precision + out->recall > 0
                  ? 2 * out->precision * out->recall /
                        (out->precision + out->recall)
                  : 0.0;
    return 0;
}
