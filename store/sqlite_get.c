/*
 * sqlite_get.c - the SQLite backend's readers: existence, counts, one case
 * by id, and iteration in id order.
 *
 * Iterations prepare their own outer statement per call (not the cached
 * one), so a callback may call back into the store, even start another
 * iteration. The record handed to a callback is reused from row to row:
 * it is valid only during the call, as store.h says.
 */
#include <string.h>

#include "store_int.h"

/* The cached statement that looks an id up, per kind; SQ_COUNT: none. */
static const enum sq_stmt exists_stmt[] = {
    [STORE_AGENCY] = SQ_AGENCY_EXISTS,
    [STORE_CASE] = SQ_CASE_EXISTS,
    [STORE_CRIMINAL_CASE] = SQ_EXISTS_CC,
    [STORE_OFFENDER] = SQ_EXISTS_OFFENDER,
    [STORE_ACTIVITY] = SQ_EXISTS_ACTIVITY,
    [STORE_INSTRUMENT] = SQ_EXISTS_INS,
    [STORE_EVENT] = SQ_COUNT};

static const char *const count_sql[] = {
    [STORE_AGENCY] = "SELECT count(*) FROM agency",
    [STORE_CASE] = "SELECT count(*) FROM cases",
    [STORE_CRIMINAL_CASE] = "SELECT count(*) FROM criminal_case",
    [STORE_OFFENDER] = "SELECT count(*) FROM offender",
    [STORE_ACTIVITY] = "SELECT count(*) FROM activity",
    [STORE_INSTRUMENT] = "SELECT count(*) FROM instrument",
    [STORE_EVENT] = "SELECT count(*) FROM event"};

#define N_KINDS ((int)(sizeof count_sql / sizeof count_sql[0]))

/* Run a one-row SELECT: 1 and *v on a row, 0 on none, negative on
 * error. */
static int one_row(struct store_sqlite *s, const char *sql, long *v,
                   struct ctis_err *err)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(q);
    }
    if (rc == SQLITE_ROW) {
        *v = (long)sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
        return 1;
    }
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE) {
        return 0;
    }
    return sq_fail(s, rc, "cannot read", err);
}

/* Events have no id of their own. Cached statements: importers call this
 * once per record. */
int sq_exists(struct store *st, enum store_kind kind, const char *id,
              struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q;
    int rc;

    if ((int)kind < 0 || (int)kind >= N_KINDS ||
        exists_stmt[kind] == SQ_COUNT) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "records of kind %d have no id", (int)kind);
    }
    q = sq_stmt(s, exists_stmt[kind], err);
    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        return rc == SQLITE_ROW;
    }
    return sq_fail(s, rc, "cannot look up id", err);
}

/* count(*) of the kind's table. */
int sq_count(struct store *st, enum store_kind kind, long *out,
             struct ctis_err *err)
{
    int rc;

    if ((int)kind < 0 || (int)kind >= N_KINDS) {
        return ctis_err_set(err, CTIS_EINVAL, "unknown record kind %d",
                            (int)kind);
    }
    *out = 0;
    rc = one_row((struct store_sqlite *)st, count_sql[kind], out, err);
    return rc < 0 ? rc : 0;
}

/* ---- cases ------------------------------------------------------------- */

/* Columns of SQ_CASE_GET and of the iteration, in this order. */
#define CASE_COLUMNS                                                        \
    "SELECT c.rid, c.id, c.agency, c.trafficking_status, c.movement,"      \
    " c.exploitation, c.labour_sector, c.means,"                           \
    " c.recruiter_relationship, c.destination_country,"                    \
    " c.destination_province, c.destination_city, c.status, c.sex,"        \
    " c.citizenship, c.home_province, c.home_district, p.given_name,"      \
    " p.family_name, p.given_name_km, p.family_name_km, p.birth_date,"     \
    " p.birth_year, p.age, p.home_commune, p.home_village, p.phone,"       \
    " p.email, p.sealed, p.key_gen, c.rev, c.age_at_identification"        \
    " FROM cases c LEFT JOIN person_identity p ON p.case_rid = c.rid"

/* The identifying fields: in clear columns, or sealed (opened with the
 * handle's key) when the row has a sealed value. */
static int read_identity(struct store_sqlite *s, sqlite3_stmt *q,
                         const char *case_id, struct model_person *p,
                         struct ctis_err *err)
{
    if (sqlite3_column_type(q, 28) == SQLITE_NULL) {
        return 0;
    }
    return store_open_identity(&s->base, case_id, sqlite3_column_int64(q, 30),
                               sqlite3_column_int(q, 29),
                               sqlite3_column_blob(q, 28),
                               (size_t)sqlite3_column_bytes(q, 28), p, err);
}

/* No identity: the identifying fields empty, the stored age at
 * identification as the stated age and no birth year, so that
 * model_age_at gives what it gave with the birth date. */
static int closed_identity(sqlite3_stmt *q, struct model_person *p)
{
    model_person_clear_identity(p);
    p->birth_year = 0;
    p->age = sqlite3_column_type(q, 31) == SQLITE_NULL
                 ? -1
                 : sqlite3_column_int(q, 31);
    return 0;
}

static void read_person(sqlite3_stmt *q, struct model_person *p)
{
    sq_column_text(q, 17, p->given_name, sizeof p->given_name);
    sq_column_text(q, 18, p->family_name, sizeof p->family_name);
    sq_column_text(q, 19, p->given_name_km, sizeof p->given_name_km);
    sq_column_text(q, 20, p->family_name_km, sizeof p->family_name_km);
    p->birth_date = sqlite3_column_int(q, 21);
    p->birth_year = sqlite3_column_int(q, 22);
    p->age = sqlite3_column_type(q, 23) == SQLITE_NULL
                 ? -1
                 : sqlite3_column_int(q, 23);
    sq_column_text(q, 24, p->home_commune, sizeof p->home_commune);
    sq_column_text(q, 25, p->home_village, sizeof p->home_village);
    sq_column_text(q, 26, p->phone, sizeof p->phone);
    sq_column_text(q, 27, p->email, sizeof p->email);
}

/* Fill c (events excluded) from the current row; returns the rid. The
 * identity is left as the clear columns hold it (read_identity opens a
 * sealed one). */
static sqlite3_int64 read_case(sqlite3_stmt *q, struct model_case *c)
{
    struct model_person *p = &c->person;

    sq_column_text(q, 1, c->id, sizeof c->id);
    sq_column_text(q, 2, c->agency, sizeof c->agency);
    c->trafficking_status = sqlite3_column_int(q, 3);
    c->movement = sqlite3_column_int(q, 4);
    c->exploitation = (unsigned)sqlite3_column_int64(q, 5);
    c->labour_sector = sqlite3_column_int(q, 6);
    c->means = (unsigned)sqlite3_column_int64(q, 7);
    c->recruiter_relationship = sqlite3_column_int(q, 8);
    sq_column_text(q, 9, c->destination_country,
                   sizeof c->destination_country);
    sq_column_text(q, 10, c->destination_province,
                   sizeof c->destination_province);
    sq_column_text(q, 11, c->destination_city, sizeof c->destination_city);
    c->status = sqlite3_column_int(q, 12);
    p->sex = sqlite3_column_int(q, 13);
    sq_column_text(q, 14, p->citizenship, sizeof p->citizenship);
    sq_column_text(q, 15, p->home_province, sizeof p->home_province);
    sq_column_text(q, 16, p->home_district, sizeof p->home_district);
    read_person(q, p);
    return sqlite3_column_int64(q, 0);
}

/* Append the case's events, sorted by date then insertion order. */
int sq_read_events(struct store_sqlite *s, sqlite3_int64 rid,
                   struct model_case *c, struct ctis_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, SQ_EVENTS_GET, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int64(q, 1, rid);
    for (rc = sqlite3_step(q); rc == SQLITE_ROW; rc = sqlite3_step(q)) {
        struct model_event e;

        memset(&e, 0, sizeof e);
        e.type = sqlite3_column_int(q, 0);
        e.date = sqlite3_column_int(q, 1);
        sq_column_text(q, 2, e.from_country, sizeof e.from_country);
        sq_column_text(q, 3, e.to_country, sizeof e.to_country);
        e.official = sqlite3_column_int(q, 4);
        e.service = sqlite3_column_int(q, 5);
        e.referral = sqlite3_column_int(q, 6);
        e.id = sqlite3_column_int(q, 7);
        e.supersedes = sqlite3_column_int(q, 8);
        if (model_case_add_event(c, &e) != 0) {
            sqlite3_reset(q);
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        return sq_fail(s, rc, "cannot read events", err);
    }
    return 0;
}

/* Reads into out after releasing what it held; with_identity 0 leaves
 * a sealed identity closed (identifying fields empty). */
int sq_get_case_ex(struct store *st, const char *id, struct model_case *out,
                   int with_identity, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = sq_stmt(s, SQ_CASE_GET, err);
    sqlite3_int64 rid;
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    model_case_release(out);
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(q);
        if (rc == SQLITE_DONE) {
            return ctis_err_set(err, CTIS_ENOTFOUND,
                                "no case has the id given");
        }
        return sq_fail(s, rc, "cannot read case", err);
    }
    rid = read_case(q, out);
    rc = with_identity ? read_identity(s, q, out->id, &out->person, err) : 0;
    sqlite3_reset(q);
    if (rc == 0) {
        rc = sq_read_events(s, rid, out, err);
    }
    if (rc != 0) {
        model_case_release(out);
    }
    return rc;
}

/* Every read of a whole case opens its identity. */
int sq_get_case(struct store *st, const char *id, struct model_case *out,
                struct ctis_err *err)
{
    return sq_get_case_ex(st, id, out, 1, err);
}

static int prepare_each_case(struct store_sqlite *s,
                             const struct store_case_filter *f,
                             sqlite3_stmt **q, struct ctis_err *err)
{
    int rc = sqlite3_prepare_v2(s->db,
                                CASE_COLUMNS
                                " WHERE (?1 IS NULL OR c.agency = ?1)"
                                " AND (?2 < 0 OR c.status = ?2)"
                                " AND (?4 = 0 OR c.movement = ?4 - 1)"
                                " AND (?5 IS NULL OR c.home_province = ?5)"
                                " AND (?6 = 0 OR c.identification_date"
                                " BETWEEN ?6 * 10000 AND ?6 * 10000 + 9999)"
                                " ORDER BY c.id LIMIT ?3 OFFSET ?7",
                                -1, q, NULL);

    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot list cases", err);
    }
    if (f != NULL && f->agency != NULL) {
        sqlite3_bind_text(*q, 1, f->agency, -1, SQLITE_STATIC);
    }
    sqlite3_bind_int(*q, 2, f != NULL ? f->status : -1);
    sqlite3_bind_int64(*q, 3, f != NULL && f->limit > 0 ? f->limit : -1);
    sqlite3_bind_int(*q, 4, f != NULL ? f->movement : 0);
    if (f != NULL && f->province != NULL) {
        sqlite3_bind_text(*q, 5, f->province, -1, SQLITE_STATIC);
    }
    sqlite3_bind_int(*q, 6, f != NULL ? f->year : 0);
    sqlite3_bind_int64(*q, 7, f != NULL && f->offset > 0 ? f->offset : 0);
    return 0;
}

/* One reused record for every row. */
int sq_each_case(struct store *st, const struct store_case_filter *f,
                 store_case_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    struct model_case c;
    sqlite3_stmt *q = NULL;
    int rc = prepare_each_case(s, f, &q, err);
    int step = SQLITE_DONE;

    model_case_init(&c);
    while (rc == 0) {
        sqlite3_int64 rid;

        step = sqlite3_step(q);
        if (step != SQLITE_ROW) {
            break;
        }
        c.n_events = 0;
        rid = read_case(q, &c);
        rc = (f != NULL && f->no_identity) ||
                     !store_wants_identity(st, c.id)
                 ? closed_identity(q, &c.person)
                 : read_identity(s, q, c.id, &c.person, err);
        if (rc == 0) {
            rc = sq_read_events(s, rid, &c, err);
        }
        if (rc == 0) {
            rc = fn(ctx, &c);
        }
    }
    if (rc == 0 && step != SQLITE_DONE) {
        rc = sq_fail(s, step, "cannot list cases", err);
    }
    sqlite3_finalize(q);
    model_case_release(&c);
    return rc;
}

/* ---- agencies ---------------------------------------------------------- */

/* Agencies have no child rows. */
int sq_each_agency(struct store *st, store_agency_fn fn, void *ctx,
                   struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT id, name, kind, pillars, provinces"
                                " FROM agency ORDER BY id",
                                -1, &q, NULL);
    int step = SQLITE_DONE;

    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot list agencies", err);
    }
    while (rc == 0) {
        struct model_agency a;

        step = sqlite3_step(q);
        if (step != SQLITE_ROW) {
            break;
        }
        model_agency_init(&a);
        sq_column_text(q, 0, a.id, sizeof a.id);
        sq_column_text(q, 1, a.name, sizeof a.name);
        a.kind = sqlite3_column_int(q, 2);
        a.pillars = (unsigned)sqlite3_column_int64(q, 3);
        a.provinces = (unsigned long)sqlite3_column_int64(q, 4);
        rc = fn(ctx, &a);
    }
    if (rc == 0 && step != SQLITE_DONE) {
        rc = sq_fail(s, step, "cannot list agencies", err);
    }
    sqlite3_finalize(q);
    return rc;
}

/* Activities have no child rows. */
int sq_each_activity(struct store *st, store_activity_fn fn, void *ctx,
                     struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT id, agency, kind, province, start,"
                                " end, reached FROM activity ORDER BY id",
                                -1, &q, NULL);
    int step = SQLITE_DONE;

    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot list activities", err);
    }
    while (rc == 0) {
        struct model_activity a;

        step = sqlite3_step(q);
        if (step != SQLITE_ROW) {
            break;
        }
        model_activity_init(&a);
        sq_column_text(q, 0, a.id, sizeof a.id);
        sq_column_text(q, 1, a.agency, sizeof a.agency);
        a.kind = sqlite3_column_int(q, 2);
        sq_column_text(q, 3, a.province, sizeof a.province);
        a.start = sqlite3_column_int(q, 4);
        a.end = sqlite3_column_int(q, 5);
        if (sqlite3_column_type(q, 6) != SQLITE_NULL) {
            a.reached = (long)sqlite3_column_int64(q, 6);
        }
        rc = fn(ctx, &a);
    }
    if (rc == 0 && step != SQLITE_DONE) {
        rc = sq_fail(s, step, "cannot list activities", err);
    }
    sqlite3_finalize(q);
    return rc;
}

/* ---- instruments ------------------------------------------------------- */

static int read_parties(struct store_sqlite *s, sqlite3_int64 rid,
                        struct model_instrument *in, struct ctis_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, SQ_INS_PARTIES_GET, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int64(q, 1, rid);
    for (rc = sqlite3_step(q); rc == SQLITE_ROW; rc = sqlite3_step(q)) {
        if (in->n_parties < MODEL_PARTIES_MAX) {
            sq_column_text(q, 0, in->parties[in->n_parties],
                           sizeof in->parties[0]);
            in->n_parties++;
        }
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        return sq_fail(s, rc, "cannot read instrument parties", err);
    }
    return 0;
}

/* Instruments with their parties. */
int sq_each_instrument(struct store *st, store_instrument_fn fn, void *ctx,
                       struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT rid, id, title, kind, date"
                                " FROM instrument ORDER BY id",
                                -1, &q, NULL);
    int step = SQLITE_DONE;

    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot list instruments", err);
    }
    while (rc == 0) {
        struct model_instrument in;

        step = sqlite3_step(q);
        if (step != SQLITE_ROW) {
            break;
        }
        model_instrument_init(&in);
        sq_column_text(q, 1, in.id, sizeof in.id);
        sq_column_text(q, 2, in.title, sizeof in.title);
        in.kind = sqlite3_column_int(q, 3);
        in.date = sqlite3_column_int(q, 4);
        rc = read_parties(s, sqlite3_column_int64(q, 0), &in, err);
        if (rc == 0) {
            rc = fn(ctx, &in);
        }
    }
    if (rc == 0 && step != SQLITE_DONE) {
        rc = sq_fail(s, step, "cannot list instruments", err);
    }
    sqlite3_finalize(q);
    return rc;
}
