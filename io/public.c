/*
 * public.c - the public view of cases and its disclosure control.
 *
 * A public export (ctis export --public, and every CTDC file published
 * with it) holds one row per case with no id, name, contact, exact date or
 * place finer than a province. Its quasi-identifiers (identification
 * year, sex, age, citizenship, country of exploitation, home province)
 * are made k-anonymous by stats_kanon_apply: age bands widen and
 * provinces become zones before any value is suppressed, and a value is
 * suppressed (written -99 or empty) before a row is dropped.
 */
#include <string.h>

#include "io_int.h"
#include "stats/stats.h"

/* Codes of each quasi-identifier at level 0:
 *  year: year - 1900 (0..255); sex: enum model_sex - 1; age: fine band;
 *  countries: (A..Z)*26 + (A..Z); province: number - 1. */

static int age_up(int code, int level)
{
    return model_age_band_up(code, level);
}

static int province_up(int code, int level)
{
    (void)level;
    return model_province_region(code + 1);
}

static const struct stats_qi qis[IO_QI_N] = {
    {"year", 0, NULL, 8},     {"sex", 0, NULL, 2},
    {"age", 2, age_up, 4},    {"citizenship", 0, NULL, 10},
    {"country", 0, NULL, 10}, {"province", 1, province_up, 5},
};

static int country_code(const char *cc)
{
    if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z') {
        return STATS_QI_SUPPRESSED;
    }
    return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

/* The country where the person was exploited: the destination abroad, or
 * Cambodia for internal and inward trafficking. */
static void exploitation_country(const struct model_case *c, char out[3])
{
    if (c->destination_country[0] != '\0') {
        ctis_strlcpy(out, c->destination_country, 3);
    } else if (c->movement == MODEL_MOV_INTERNAL ||
               c->movement == MODEL_MOV_CROSS_BORDER_IN) {
        ctis_strlcpy(out, "KH", 3);
    } else {
        out[0] = '\0';
    }
}

/* Exact codes; see the table above. */
int io_pub_add(struct io_pub_set *s, const struct model_case *c)
{
    struct io_pub *r;
    int ident = model_case_first_date(c, MODEL_EV_IDENTIFICATION);
    int age = model_age_at(&c->person, ident);
    char country[3];

    if (s->n == s->cap) {
        size_t cap = s->cap > 0 ? s->cap * 2 : 1024;

        r = ctis_realloc(s->rows, cap * sizeof *r);
        if (r == NULL) {
            return CTIS_ENOMEM;
        }
        s->rows = r;
        s->cap = cap;
    }
    r = &s->rows[s->n++];
    r->qi[IO_QI_YEAR] = ident / 10000 >= 1900 && ident / 10000 < 2156
                            ? ident / 10000 - 1900
                            : STATS_QI_SUPPRESSED;
    r->qi[IO_QI_SEX] = c->person.sex == MODEL_SEX_UNKNOWN ? STATS_QI_SUPPRESSED
                                                          : c->person.sex - 1;
    r->qi[IO_QI_AGE] = age >= 0 ? model_age_band(age) : STATS_QI_SUPPRESSED;
    r->qi[IO_QI_CITIZENSHIP] = country_code(c->person.citizenship);
    exploitation_country(c, country);
    r->qi[IO_QI_COUNTRY] = country_code(country);
    r->qi[IO_QI_PROVINCE] =
        model_province_number(c->person.home_province) > 0
            ? model_province_number(c->person.home_province) - 1
            : STATS_QI_SUPPRESSED;
    r->tstatus = c->trafficking_status;
    r->movement = c->movement;
    r->exploitation = c->exploitation;
    r->sector = c->labour_sector;
    r->means = c->means;
    r->relation = c->recruiter_relationship;
    r->status = c->status;
    return 0;
}

void io_pub_set_release(struct io_pub_set *s)
{
    if (s == NULL) {
        return;
    }
    ctis_free(s->rows);
    ctis_free(s->dropped);
    memset(s, 0, sizeof *s);
}

static const char *level_name(int qi, int level)
{
    if (level == 0) {
        return "exact";
    }
    if (qi == IO_QI_AGE) {
        return level == 1 ? "wide band" : "minor or adult";
    }
    return "zone";
}

/* Copy codes out, protect, copy back; see io_int.h. */
int io_pub_protect(struct io_pub_set *s, size_t n_qi, long k,
                   struct io_export_stats *st, struct ctis_err *err)
{
    struct stats_kanon ka;
    int *codes;
    size_t i;
    size_t j;
    /* Suppress the finest detail first: age, then the places, sex and
     * year last. */
    static const int order[IO_QI_N] = {IO_QI_AGE,         IO_QI_PROVINCE,
                                       IO_QI_CITIZENSHIP, IO_QI_COUNTRY,
                                       IO_QI_SEX,         IO_QI_YEAR};
    int sorder[IO_QI_N];
    struct io_export_stats local;
    size_t m = 0;
    int rc;

    if (st == NULL) {
        st = &local;
    }
    for (i = 0; i < IO_QI_N; i++) {
        if ((size_t)order[i] < n_qi) {
            sorder[m++] = order[i];
        }
    }
    s->dropped = ctis_calloc(s->n > 0 ? s->n : 1, 1);
    codes = ctis_malloc((s->n > 0 ? s->n : 1) * n_qi * sizeof *codes);
    if (s->dropped == NULL || codes == NULL) {
        ctis_free(codes);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (i = 0; i < s->n; i++) {
        for (j = 0; j < n_qi; j++) {
            codes[i * n_qi + j] = s->rows[i].qi[j];
        }
    }
    memset(&ka, 0, sizeof ka);
    ka.k = k;
    /* Generalise while more than 1% of the rows would need suppression. */
    ka.max_unsafe = (long)(s->n / 100);
    rc =
        stats_kanon_apply(&ka, qis, n_qi, codes, s->n, sorder, s->dropped, err);
    if (rc != 0) {
        ctis_free(codes);
        return rc;
    }
    memset(st, 0, sizeof *st);
    st->rows = (long)s->n;
    st->k = k;
    st->n_qi = (int)n_qi;
    for (j = 0; j < IO_QI_N; j++) {
        s->level[j] = j < n_qi ? ka.level[j] : 0;
    }
    for (j = 0; j < n_qi; j++) {
        st->qi_names[j] = qis[j].name;
        st->qi_levels[j] = level_name((int)j, ka.level[j]);
    }
    for (i = 0; i < s->n; i++) {
        int gen = 0;

        for (j = 0; j < n_qi; j++) {
            int before = s->rows[i].qi[j];

            s->rows[i].qi[j] = codes[i * n_qi + j];
            if (s->dropped[i]) {
                continue;
            }
            if (before == STATS_QI_SUPPRESSED) {
                st->values_missing++;
            } else if (s->rows[i].qi[j] == STATS_QI_SUPPRESSED) {
                st->values_suppressed++;
            } else if (ka.level[j] > 0) {
                gen = 1;
            }
        }
        for (j = n_qi; j < IO_QI_N; j++) {
            s->rows[i].qi[j] = STATS_QI_SUPPRESSED;
        }
        if (!s->dropped[i]) {
            st->rows_generalised += gen;
            st->qi_values += (long)n_qi;
        }
    }
    st->values_generalised = ka.values_generalised;
    st->rows_suppressed = ka.rows_suppressed;
    st->rows_dropped = ka.rows_dropped;
    st->rows_written = st->rows - st->rows_dropped;
    ctis_free(codes);
    return 0;
}

/* See io_int.h. */
const char *io_pub_qi_text(const struct io_pub_set *s, const struct io_pub *r,
                           int qi, char *out, size_t size)
{
    int v = r->qi[qi];
    int lv = s->level[qi];
    const char *t = NULL;

    out[0] = '\0';
    if (v == STATS_QI_SUPPRESSED) {
        return out;
    }
    switch (qi) {
    case IO_QI_YEAR:
        snprintf(out, size, "%d", v + 1900);
        return out;
    case IO_QI_SEX:
        t = model_code_name(model_sex_codes, v + 1);
        break;
    case IO_QI_AGE:
        t = model_age_band_name(v, lv);
        break;
    case IO_QI_CITIZENSHIP:
    case IO_QI_COUNTRY:
        snprintf(out, size, "%c%c", 'A' + v / 26, 'A' + v % 26);
        return out;
    default:
        if (lv == 0) {
            snprintf(out, size, "KH-%d", v + 1);
            return out;
        }
        t = model_region_code(v);
        break;
    }
    ctis_strlcpy(out, t != NULL ? t : "", size);
    return out;
}

/* Minor or adult from the published age at its level. */
const char *io_pub_majority(const struct io_pub_set *s, const struct io_pub *r)
{
    int v = r->qi[IO_QI_AGE];
    int lv = s->level[IO_QI_AGE];

    if (v == STATS_QI_SUPPRESSED) {
        return NULL;
    }
    if (lv == 0) {
        v = model_age_band_up(v, 2);
    } else if (lv == 1) {
        v = v > 0;
    }
    return v ? "adult" : "minor";
}

/* ---- the public case list ---------------------------------------------- */

static const char *const pub_columns[] = {"year",
                                          "sex",
                                          "age_band",
                                          "majority",
                                          "citizenship",
                                          "country_of_exploitation",
                                          "home_area",
                                          "trafficking_status",
                                          "movement",
                                          "exploitation",
                                          "labour_sector",
                                          "means",
                                          "recruiter_relationship",
                                          "status"};
#define N_PUB (sizeof pub_columns / sizeof pub_columns[0])

static void set_codes(char *out, size_t size, const struct model_code *table,
                      unsigned bits)
{
    const struct model_code *t;

    out[0] = '\0';
    for (t = table; t->code != NULL; t++) {
        if (bits & (unsigned)t->value) {
            if (out[0] != '\0') {
                ctis_strlcpy(out + strlen(out), ";", size - strlen(out));
            }
            ctis_strlcpy(out + strlen(out), t->code, size - strlen(out));
        }
    }
}

static const char *code_or_empty(const struct model_code *table, int v,
                                 int empty_value)
{
    const char *s = model_code_name(table, v);

    return s == NULL || v == empty_value ? "" : s;
}

/* The cells of one public row, in pub_columns order; buffers are the
 * caller's. */
static void pub_cells(const struct io_pub_set *s, const struct io_pub *r,
                      const char *v[N_PUB], char q[IO_QI_N][16], char *expl,
                      char *means, size_t size)
{
    const char *maj = io_pub_majority(s, r);
    int i;

    for (i = 0; i < IO_QI_N; i++) {
        io_pub_qi_text(s, r, i, q[i], 16);
    }
    v[0] = q[IO_QI_YEAR];
    v[1] = q[IO_QI_SEX];
    v[2] = s->level[IO_QI_AGE] < 2 ? q[IO_QI_AGE] : "";
    v[3] = maj != NULL ? maj : "";
    v[4] = q[IO_QI_CITIZENSHIP];
    v[5] = q[IO_QI_COUNTRY];
    v[6] = q[IO_QI_PROVINCE];
    v[7] = code_or_empty(model_tstatus_codes, r->tstatus, -1);
    v[8] = code_or_empty(model_movement_codes, r->movement, MODEL_MOV_UNKNOWN);
    set_codes(expl, size, model_exploitation_codes, r->exploitation);
    v[9] = expl;
    v[10] = code_or_empty(model_sector_codes, r->sector, MODEL_SECTOR_NONE);
    set_codes(means, size, model_means_codes, r->means);
    v[11] = means;
    v[12] = code_or_empty(model_relation_codes, r->relation, MODEL_REL_UNKNOWN);
    v[13] = code_or_empty(model_case_status_codes, r->status, -1);
}

/* Header row of the public case list. */
int io_pub_csv_header(struct ctis_buf *b)
{
    size_t c;

    for (c = 0; c < N_PUB; c++) {
        if (ctis_buf_puts(b, pub_columns[c]) != 0 ||
            ctis_buf_putc(b, c + 1 < N_PUB ? ',' : '\n') != 0) {
            return CTIS_ENOMEM;
        }
    }
    return 0;
}

/* One row as CSV (json == 0) or as one JSON object line. */
int io_pub_write_row(struct ctis_buf *b, const struct io_pub_set *s,
                     const struct io_pub *r, int json)
{
    const char *v[N_PUB];
    char q[IO_QI_N][16];
    char expl[160];
    char means[256];
    size_t c;
    int rc = 0;

    pub_cells(s, r, v, q, expl, means, sizeof expl);
    if (json) {
        rc |= ctis_buf_puts(b, "{\"type\":\"public_case\"");
        for (c = 0; c < N_PUB; c++) {
            if (v[c][0] == '\0') {
                continue;
            }
            /* Every cell is a code, a year or a band: nothing to escape. */
            if (c == 0) {
                rc |= ctis_buf_printf(b, ",\"%s\":%s", pub_columns[c], v[c]);
            } else if (c == 9 || c == 11) {
                char *p;

                rc |= ctis_buf_printf(b, ",\"%s\":[\"", pub_columns[c]);
                for (p = (char *)v[c]; *p != '\0'; p++) {
                    rc |= *p == ';' ? ctis_buf_puts(b, "\",\"")
                                    : ctis_buf_putc(b, *p);
                }
                rc |= ctis_buf_puts(b, "\"]");
            } else {
                rc |=
                    ctis_buf_printf(b, ",\"%s\":\"%s\"", pub_columns[c], v[c]);
            }
        }
        rc |= ctis_buf_puts(b, "}\n");
        return rc != 0 ? CTIS_ENOMEM : 0;
    }
    for (c = 0; c < N_PUB; c++) {
        if (io_csv_put_field(b, v[c]) != 0 ||
            ctis_buf_putc(b, c + 1 < N_PUB ? ',' : '\n') != 0) {
            return CTIS_ENOMEM;
        }
    }
    return 0;
}
