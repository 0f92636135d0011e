/*
 * pg_get.c - the PostgreSQL backend's readers and the datasheet
 * aggregates, computed by the server.
 *
 * Every read first flushes the transaction's buffered writes (pg_put.c),
 * so it sees them; store_exists needs no flush, it looks at the buffered
 * ids first. A read outside a transaction that finds the connection lost
 * reconnects and runs once more; inside one it replays the transaction
 * first (pg_recover).
 *
 * Iterations read pages of rows in id order (keyset pagination, "id > the
 * last one") with the child rows of a page in one more query, so memory
 * stays bounded and a callback may call back into the store. Text sorts
 * by bytes (COLLATE "C"), as in SQLite, so both backends give the same
 * order.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "pg_int.h"

#define PAGE 500


/* The event of row `row` of r, whose columns 1 to 9 are type, date,
 * from_country, to_country, official, service, referral, eid and
 * supersedes (column 0 is the case's rid). */
void pg_event_at(PGresult *r, int row, struct model_event *e)
{
    memset(e, 0, sizeof *e);
    e->type = (int)pg_long(r, row, 1, 0);
    e->date = (int)pg_long(r, row, 2, 0);
    pg_text(r, row, 3, e->from_country, sizeof e->from_country);
    pg_text(r, row, 4, e->to_country, sizeof e->to_country);
    e->official = (int)pg_long(r, row, 5, 0);
    e->service = (int)pg_long(r, row, 6, 0);
    e->referral = (int)pg_long(r, row, 7, 0);
    e->id = (int)pg_long(r, row, 8, 0);
    e->supersedes = (int)pg_long(r, row, 9, 0);
}

/* Flush, run, and on a lost connection recover and run once more. */
static int read_query(struct store_pg *p, const char *sql, int n,
                      const char *const *params, PGresult **out,
                      const char *what, struct ctis_err *err)
{
    int rc = 0;

    *out = NULL;
    if (p->base.in_txn) {
        rc = pg_flush(p, err);
        if (rc != 0) {
            return pg_abort(p, rc, err);
        }
    }
    rc = pg_query(p, sql, n, params, out, what, err);
    if (rc == CTIS_ECONN) {
        rc = pg_recover(p, err);
        if (rc == 0) {
            rc = pg_query(p, sql, n, params, out, what, err);
        }
        if (rc != 0 && p->base.in_txn) {
            rc = pg_abort(p, rc, err);
        }
    }
    return rc;
}

static const char *const table_of[] = {
    [STORE_AGENCY] = "agency", [STORE_CASE] = "cases",
    [STORE_CRIMINAL_CASE] = "criminal_case", [STORE_OFFENDER] = "offender",
    [STORE_ACTIVITY] = "activity", [STORE_INSTRUMENT] = "instrument",
    [STORE_EVENT] = "event"};

static const char letter_of[] = {
    [STORE_AGENCY] = 'a', [STORE_CASE] = 'c', [STORE_CRIMINAL_CASE] = 'k',
    [STORE_OFFENDER] = 'o', [STORE_ACTIVITY] = 't',
    [STORE_INSTRUMENT] = 'i', [STORE_EVENT] = 0};

#define N_KINDS ((int)(sizeof table_of / sizeof table_of[0]))

/* Buffered ids first, then agencies known to exist; no flush needed
 * since nothing is ever deleted. */
int pg_exists(struct store *st, enum store_kind kind, const char *id,
              struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    const char *params[1] = {id};
    char sql[96];
    PGresult *r = NULL;
    int rc;

    if ((int)kind < 0 || (int)kind >= N_KINDS || letter_of[kind] == 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "records of kind %d have no id", (int)kind);
    }
    if (pg_set_has(&p->pending, letter_of[kind], id) ||
        (kind == STORE_AGENCY && pg_set_has(&p->agencies, 'a', id))) {
        return 1;
    }
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = $1",
             table_of[kind]);
    rc = pg_query(p, sql, 1, params, &r, "cannot read", err);
    if (rc == CTIS_ECONN) {
        rc = pg_recover(p, err);
        if (rc == 0) {
            rc = pg_query(p, sql, 1, params, &r, "cannot read", err);
        }
    }
    if (rc == 0) {
        rc = PQntuples(r) > 0;
    }
    PQclear(r);
    /* Agencies are never deleted: remember one seen (a rollback forgets
     * them all, in case it was this transaction's). */
    if (rc == 1 && kind == STORE_AGENCY &&
        pg_set_add(&p->agencies, 'a', id) != 0) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    return rc;
}

/* count(*) of the kind's table. */
int pg_count(struct store *st, enum store_kind kind, long *out,
             struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char sql[64];
    PGresult *r = NULL;
    int rc;

    if ((int)kind < 0 || (int)kind >= N_KINDS) {
        return ctis_err_set(err, CTIS_EINVAL, "unknown record kind %d",
                            (int)kind);
    }
    *out = 0;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table_of[kind]);
    rc = read_query(p, sql, 0, NULL, &r, "cannot read", err);
    if (rc == 0) {
        *out = pg_long(r, 0, 0, 0);
    }
    PQclear(r);
    return rc;
}

/* ---- cases ------------------------------------------------------------- */

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

/* The identity of row i: opened when sealed (CTIS_EKEY without the key),
 * or closed when the caller asked for none: identifying fields empty,
 * the stored age at identification as the stated age, no birth year (as
 * sqlite_get.c's closed_identity). */
static int read_identity(struct store_pg *p, PGresult *r, int i,
                         int closed, struct model_case *c,
                         struct ctis_err *err)
{
    if (closed) {
        model_person_clear_identity(&c->person);
        c->person.birth_year = 0;
        c->person.age = (int)pg_long(r, i, 31, -1);
        return 0;
    }
    return pg_open_identity(p, r, i, 28, c->id, &c->person, err);
}

static void read_case(PGresult *r, int i, struct model_case *c)
{
    struct model_person *q = &c->person;

    pg_text(r, i, 1, c->id, sizeof c->id);
    pg_text(r, i, 2, c->agency, sizeof c->agency);
    c->trafficking_status = (int)pg_long(r, i, 3, 0);
    c->movement = (int)pg_long(r, i, 4, 0);
    c->exploitation = (unsigned)pg_long(r, i, 5, 0);
    c->labour_sector = (int)pg_long(r, i, 6, 0);
    c->means = (unsigned)pg_long(r, i, 7, 0);
    c->recruiter_relationship = (int)pg_long(r, i, 8, 0);
    pg_text(r, i, 9, c->destination_country, sizeof c->destination_country);
    pg_text(r, i, 10, c->destination_province,
            sizeof c->destination_province);
    pg_text(r, i, 11, c->destination_city, sizeof c->destination_city);
    c->status = (int)pg_long(r, i, 12, 0);
    q->sex = (int)pg_long(r, i, 13, 0);
    pg_text(r, i, 14, q->citizenship, sizeof q->citizenship);
    pg_text(r, i, 15, q->home_province, sizeof q->home_province);
    pg_text(r, i, 16, q->home_district, sizeof q->home_district);
    pg_text(r, i, 17, q->given_name, sizeof q->given_name);
    pg_text(r, i, 18, q->family_name, sizeof q->family_name);
    pg_text(r, i, 19, q->given_name_km, sizeof q->given_name_km);
    pg_text(r, i, 20, q->family_name_km, sizeof q->family_name_km);
    q->birth_date = (int)pg_long(r, i, 21, 0);
    q->birth_year = (int)pg_long(r, i, 22, 0);
    q->age = (int)pg_long(r, i, 23, -1);
    pg_text(r, i, 24, q->home_commune, sizeof q->home_commune);
    pg_text(r, i, 25, q->home_village, sizeof q->home_village);
    pg_text(r, i, 26, q->phone, sizeof q->phone);
    pg_text(r, i, 27, q->email, sizeof q->email);
}

/* "{1,2,3}" of column 0 (rids) of r, for = ANY($1). */
static int rid_array(PGresult *r, struct ctis_buf *b)
{
    int i;
    int rc = ctis_buf_putc(b, '{');

    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        rc = ctis_buf_printf(b, i > 0 ? ",%s" : "%s", PQgetvalue(r, i, 0));
    }
    return rc != 0 ? rc : ctis_buf_putc(b, '}');
}

/* First row of children (sorted by column 0) whose column 0 is rid, or
 * the row count when none. */
static int first_child(PGresult *k, long long rid)
{
    int lo = 0;
    int hi = PQntuples(k);

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;

        if (strtoll(PQgetvalue(k, mid, 0), NULL, 10) < rid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static long long rid_at(PGresult *r, int i)
{
    return strtoll(PQgetvalue(r, i, 0), NULL, 10);
}

/* The child rows of the parents in r (column 0 rid): sql takes $1, an
 * array of rids, and returns rows sorted by rid first. */
static int children(struct store_pg *p, PGresult *r, const char *sql,
                    PGresult **out, struct ctis_err *err)
{
    struct ctis_buf ids;
    const char *params[1];
    int rc;

    ctis_buf_init(&ids);
    if (rid_array(r, &ids) != 0) {
        ctis_buf_release(&ids);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    params[0] = ids.data;
    rc = read_query(p, sql, 1, params, out, "cannot read", err);
    ctis_buf_release(&ids);
    return rc;
}

static int add_events(PGresult *k, long long rid, struct model_case *c,
                      struct ctis_err *err)
{
    int i;

    for (i = first_child(k, rid); i < PQntuples(k) && rid_at(k, i) == rid;
         i++) {
        struct model_event e;

        pg_event_at(k, i, &e);
        if (model_case_add_event(c, &e) != 0) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
    }
    return 0;
}

static const char events_sql[] =
    "SELECT case_rid, type, date, from_country, to_country, official,"
    " service, referral, eid, supersedes FROM event"
    " WHERE case_rid = ANY($1::bigint[])"
    " ORDER BY case_rid, date, seq";

/* Reads into out after releasing what it held. */
int pg_get_case(struct store *st, const char *id, struct model_case *out,
                struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    const char *params[1] = {id};
    PGresult *r = NULL;
    PGresult *k = NULL;
    int rc;

    model_case_release(out);
    rc = read_query(p, CASE_COLUMNS " WHERE c.id = $1", 1, params, &r,
                    "cannot read case", err);
    if (rc == 0 && PQntuples(r) == 0) {
        rc = ctis_err_set(err, CTIS_ENOTFOUND, "no case has the id given");
    }
    if (rc == 0) {
        read_case(r, 0, out);
        rc = read_identity(p, r, 0, 0, out, err);
    }
    if (rc == 0) {
        rc = children(p, r, events_sql, &k, err);
    }
    if (rc == 0) {
        rc = add_events(k, rid_at(r, 0), out, err);
    }
    if (rc != 0) {
        model_case_release(out);
    }
    PQclear(r);
    PQclear(k);
    return rc;
}

int pg_each_case_of_rids(struct store *st, const long long *rids, size_t n,
                         int (*go)(void *ctx, size_t i), store_case_fn fn,
                         void *ctx, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    struct model_case c;
    struct ctis_buf ids;
    const char *params[1];
    PGresult *r = NULL;
    PGresult *k = NULL;
    size_t j = 0;
    size_t i;
    int rc = 0;

    assert(n <= PG_FIND_BATCH);
    ctis_buf_init(&ids);
    rc = ctis_buf_putc(&ids, '{');
    for (i = 0; rc == 0 && i < n; i++) {
        rc = ctis_buf_printf(&ids, i > 0 ? ",%lld" : "%lld", rids[i]);
    }
    if (rc == 0) {
        rc = ctis_buf_putc(&ids, '}');
    }
    if (rc != 0) {
        ctis_buf_release(&ids);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    params[0] = ids.data;
    rc = read_query(p,
                    CASE_COLUMNS " JOIN unnest($1::bigint[]) WITH ORDINALITY"
                                 " u(rid, ord) ON u.rid = c.rid"
                                 " ORDER BY u.ord",
                    1, params, &r, "cannot search", err);
    ctis_buf_release(&ids);
    if (rc == 0) {
        rc = children(p, r, events_sql, &k, err);
    }
    model_case_init(&c);
    for (i = 0; rc == 0 && i < (size_t)PQntuples(r); i++) {
        long long rid = rid_at(r, (int)i);

        while (j < n && rids[j] != rid) {
            j++;
        }
        if (j == n || go(ctx, j) == 0) {
            break;
        }
        c.n_events = 0;
        read_case(r, (int)i, &c);
        rc = read_identity(p, r, (int)i, 0, &c, err);
        if (rc == 0) {
            rc = add_events(k, rid, &c, err);
        }
        if (rc == 0) {
            rc = fn(ctx, &c);
        }
    }
    model_case_release(&c);
    PQclear(r);
    PQclear(k);
    return rc;
}

/* Pages of cases in id order; one reused record. */
int pg_each_case(struct store *st, const struct store_case_filter *f,
                 store_case_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char last[MODEL_ID_MAX] = "";
    char status[16];
    char limit[24];
    long left = f != NULL && f->limit > 0 ? f->limit : -1;
    struct model_case c;
    int rc = 0;

    char movement[16];
    char year[16];
    char offset[24];

    snprintf(status, sizeof status, "%d", f != NULL ? f->status : -1);
    snprintf(movement, sizeof movement, "%d", f != NULL ? f->movement : 0);
    snprintf(year, sizeof year, "%d", f != NULL ? f->year : 0);
    snprintf(offset, sizeof offset, "%ld",
             f != NULL && f->offset > 0 ? f->offset : 0);
    model_case_init(&c);
    while (rc == 0 && left != 0) {
        const char *params[8];
        PGresult *r = NULL;
        PGresult *k = NULL;
        int i;
        int n;

        snprintf(limit, sizeof limit, "%ld",
                 left > 0 && left < PAGE ? left : (long)PAGE);
        params[0] = last;
        params[1] = f != NULL ? f->agency : NULL;
        params[2] = status;
        params[3] = limit;
        params[4] = movement;
        params[5] = f != NULL ? f->province : NULL;
        params[6] = year;
        /* The offset applies to the first page; later pages go on from
         * the last id. */
        params[7] = last[0] == '\0' ? offset : "0";
        rc = read_query(
            p,
            CASE_COLUMNS " WHERE c.id > $1"
                         " AND ($2::text IS NULL OR c.agency = $2)"
                         " AND ($3::int < 0 OR c.status = $3)"
                         " AND ($5::int = 0 OR c.movement = $5::int - 1)"
                         " AND ($6::text IS NULL OR c.home_province = $6)"
                         " AND ($7::int = 0 OR c.identification_date"
                         " BETWEEN $7::int * 10000 AND $7::int * 10000 + 9999)"
                         " ORDER BY c.id LIMIT $4::bigint OFFSET $8::bigint",
            8, params, &r, "cannot list cases", err);
        if (rc == 0) {
            rc = children(p, r, events_sql, &k, err);
        }
        n = rc == 0 ? PQntuples(r) : 0;
        for (i = 0; rc == 0 && i < n; i++) {
            c.n_events = 0;
            read_case(r, i, &c);
            /* closed when asked, or when store_each_linkable_case
             * found that this person meets nobody */
            rc = read_identity(p, r, i,
                               (f != NULL && f->no_identity) ||
                                   !store_wants_identity(st, c.id),
                               &c, err);
            if (rc == 0) {
                rc = add_events(k, rid_at(r, i), &c, err);
            }
            if (rc == 0) {
                rc = fn(ctx, &c);
            }
        }
        if (n > 0) {
            pg_text(r, n - 1, 1, last, sizeof last);
        }
        if (left > 0) {
            left -= n;
        }
        if (n < PAGE) {
            left = 0;
        }
        PQclear(r);
        PQclear(k);
    }
    model_case_release(&c);
    return rc;
}

/* ---- agencies, activities ---------------------------------------------- */

/* Agencies have no child rows. */
int pg_each_agency(struct store *st, store_agency_fn fn, void *ctx,
                   struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    PGresult *r = NULL;
    int rc = read_query(p,
                        "SELECT id, name, kind, pillars, provinces"
                        " FROM agency ORDER BY id",
                        0, NULL, &r, "cannot list agencies", err);
    int i;

    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        struct model_agency a;

        model_agency_init(&a);
        pg_text(r, i, 0, a.id, sizeof a.id);
        pg_text(r, i, 1, a.name, sizeof a.name);
        a.kind = (int)pg_long(r, i, 2, 0);
        a.pillars = (unsigned)pg_long(r, i, 3, 0);
        a.provinces = (unsigned long)pg_long(r, i, 4, 0);
        rc = fn(ctx, &a);
    }
    PQclear(r);
    return rc;
}

/* Activities have no child rows. */
int pg_each_activity(struct store *st, store_activity_fn fn, void *ctx,
                     struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    PGresult *r = NULL;
    int rc = read_query(p,
                        "SELECT id, agency, kind, province, start, \"end\","
                        " reached FROM activity ORDER BY id",
                        0, NULL, &r, "cannot list activities", err);
    int i;

    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        struct model_activity a;

        model_activity_init(&a);
        pg_text(r, i, 0, a.id, sizeof a.id);
        pg_text(r, i, 1, a.agency, sizeof a.agency);
        a.kind = (int)pg_long(r, i, 2, 0);
        pg_text(r, i, 3, a.province, sizeof a.province);
        a.start = (int)pg_long(r, i, 4, 0);
        a.end = (int)pg_long(r, i, 5, 0);
        a.reached = pg_long(r, i, 6, a.reached);
        rc = fn(ctx, &a);
    }
    PQclear(r);
    return rc;
}

/* Instruments with their parties. */
int pg_each_instrument(struct store *st, store_instrument_fn fn, void *ctx,
                       struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    PGresult *r = NULL;
    PGresult *k = NULL;
    int rc = read_query(p,
                        "SELECT rid, id, title, kind, date FROM instrument"
                        " ORDER BY id",
                        0, NULL, &r, "cannot list instruments", err);
    int i;

    if (rc == 0) {
        rc = children(p, r,
                      "SELECT ins_rid, country FROM instrument_party"
                      " WHERE ins_rid = ANY($1::bigint[])"
                      " ORDER BY ins_rid, seq",
                      &k, err);
    }
    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        struct model_instrument in;
        long long rid = rid_at(r, i);
        int j;

        model_instrument_init(&in);
        pg_text(r, i, 1, in.id, sizeof in.id);
        pg_text(r, i, 2, in.title, sizeof in.title);
        in.kind = (int)pg_long(r, i, 3, 0);
        in.date = (int)pg_long(r, i, 4, 0);
        for (j = first_child(k, rid);
             j < PQntuples(k) && rid_at(k, j) == rid &&
             in.n_parties < MODEL_PARTIES_MAX;
             j++) {
            pg_text(k, j, 1, in.parties[in.n_parties++],
                    sizeof in.parties[0]);
        }
        rc = fn(ctx, &in);
    }
    PQclear(r);
    PQclear(k);
    return rc;
}

/* ---- criminal cases ---------------------------------------------------- */

static void *grow(void *q, size_t n, size_t sz)
{
    return ctis_realloc(q, (n + 1) * sz);
}

static int read_cc(PGresult *r, int i, PGresult *ko, PGresult *kv,
                   PGresult *ke, struct model_criminal_case *cc,
                   struct ctis_err *err)
{
    long long rid = rid_at(r, i);
    int j;

    model_criminal_case_release(cc);
    pg_text(r, i, 1, cc->id, sizeof cc->id);
    cc->kind = (int)pg_long(r, i, 2, 0);
    for (j = first_child(ko, rid); j < PQntuples(ko) && rid_at(ko, j) == rid;
         j++) {
        struct model_offender *o =
            grow(cc->offenders, cc->n_offenders, sizeof *o);

        if (o == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        cc->offenders = o;
        o = &cc->offenders[cc->n_offenders++];
        memset(o, 0, sizeof *o);
        pg_text(ko, j, 1, o->id, sizeof o->id);
        o->sex = (int)pg_long(ko, j, 2, 0);
        pg_text(ko, j, 3, o->citizenship, sizeof o->citizenship);
        o->role = (int)pg_long(ko, j, 4, 0);
    }
    for (j = first_child(kv, rid); j < PQntuples(kv) && rid_at(kv, j) == rid;
         j++) {
        char(*v)[MODEL_ID_MAX] =
            grow(cc->victim_cases, cc->n_victim_cases, sizeof *v);

        if (v == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        cc->victim_cases = v;
        pg_text(kv, j, 1, cc->victim_cases[cc->n_victim_cases++],
                MODEL_ID_MAX);
    }
    for (j = first_child(ke, rid); j < PQntuples(ke) && rid_at(ke, j) == rid;
         j++) {
        struct model_crim_event *e = grow(cc->events, cc->n_events,
                                          sizeof *e);

        if (e == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        cc->events = e;
        e = &cc->events[cc->n_events++];
        memset(e, 0, sizeof *e);
        e->type = (int)pg_long(ke, j, 1, 0);
        e->date = (int)pg_long(ke, j, 2, 0);
        pg_text(ke, j, 3, e->offender, sizeof e->offender);
        e->sentence_months = (int)pg_long(ke, j, 4, -1);
        pg_text(ke, j, 5, e->law_articles, sizeof e->law_articles);
    }
    return 0;
}

/* Pages of criminal cases with their offenders, victims and events. */
int pg_each_criminal_case(struct store *st, store_criminal_case_fn fn,
                          void *ctx, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    struct model_criminal_case cc;
    char last[MODEL_ID_MAX] = "";
    int more = 1;
    int rc = 0;

    model_criminal_case_init(&cc);
    while (rc == 0 && more) {
        const char *params[1] = {last};
        PGresult *r = NULL;
        PGresult *ko = NULL;
        PGresult *kv = NULL;
        PGresult *ke = NULL;
        int i;
        int n = 0;

        rc = read_query(p,
                        "SELECT rid, id, kind FROM criminal_case"
                        " WHERE id > $1 ORDER BY id LIMIT 500",
                        1, params, &r, "cannot list criminal cases", err);
        if (rc == 0) {
            rc = children(p, r,
                          "SELECT x.cc_rid, o.id, o.sex, o.citizenship,"
                          " o.role FROM criminal_case_offender x"
                          " JOIN offender o ON o.id = x.offender_id"
                          " WHERE x.cc_rid = ANY($1::bigint[])"
                          " ORDER BY x.cc_rid, x.seq",
                          &ko, err);
        }
        if (rc == 0) {
            rc = children(p, r,
                          "SELECT cc_rid, case_id FROM criminal_case_victim"
                          " WHERE cc_rid = ANY($1::bigint[])"
                          " ORDER BY cc_rid, seq",
                          &kv, err);
        }
        if (rc == 0) {
            rc = children(p, r,
                          "SELECT cc_rid, type, date, offender,"
                          " sentence_months, law_articles FROM crim_event"
                          " WHERE cc_rid = ANY($1::bigint[])"
                          " ORDER BY cc_rid, seq",
                          &ke, err);
        }
        n = rc == 0 ? PQntuples(r) : 0;
        for (i = 0; rc == 0 && i < n; i++) {
            rc = read_cc(r, i, ko, kv, ke, &cc, err);
            if (rc == 0) {
                rc = fn(ctx, &cc);
            }
        }
        if (n > 0) {
            pg_text(r, n - 1, 1, last, sizeof last);
        }
        more = n == PAGE;
        PQclear(r);
        PQclear(ko);
        PQclear(kv);
        PQclear(ke);
    }
    model_criminal_case_release(&cc);
    return rc;
}

/* ---- aggregates -------------------------------------------------------- */

/*
 * The STORE_Q_* queries in PostgreSQL's dialect, over this backend's
 * schema, returning the table shape of sql_queries.c: k0, k1, k2, year,
 * n0, n1, with $1 and $2 the first and last YYYYMMDD date of the period.
 * Codes are the model's integer values (pinned by sql_queries.c's static
 * assertions). NULLS FIRST keeps SQLite's order of unknown keys. The
 * rescue and repatriation tables read the facts a put derives from the
 * events (pg_put.c); a year period's bounds are whole years, so filtering
 * the facts' year is filtering the events' date.
 */
#define CASES_IN_PERIOD                                                     \
    " FROM cases WHERE trafficking_status <> 2"                             \
    " AND identification_date BETWEEN $1 AND $2"

static const char *const agg_sql[STORE_QUERY_COUNT] = {
    [STORE_Q_REPATRIATIONS] =
        "SELECT from_country, to_country, NULL, year, count(*), 0"
        " FROM repatriation_fact"
        " WHERE year BETWEEN $1::int / 10000 AND $2::int / 10000"
        " GROUP BY year, from_country, to_country"
        " ORDER BY year, from_country NULLS FIRST, to_country NULLS FIRST",
    [STORE_Q_RESCUES] =
        "SELECT referred_to, NULL, NULL, year, count(*), 0 FROM rescue_fact"
        " WHERE year BETWEEN $1::int / 10000 AND $2::int / 10000"
        " GROUP BY year, referred_to ORDER BY year, referred_to",
    [STORE_Q_INVESTIGATIONS] =
        "WITH f AS (SELECT cc_rid, min(date) AS d FROM crim_event"
        " WHERE type = 0 GROUP BY cc_rid),"
        " c AS MATERIALIZED (SELECT k.rid, k.kind FROM criminal_case k"
        " JOIN f ON f.cc_rid = k.rid WHERE f.d BETWEEN $1 AND $2)"
        " SELECT c.kind, NULL, NULL, 0, count(*),"
        " (SELECT count(DISTINCT x.offender_id)"
        " FROM criminal_case_offender x JOIN c AS c2 ON c2.rid = x.cc_rid"
        " WHERE c2.kind = c.kind)"
        " FROM c GROUP BY c.kind ORDER BY c.kind",
    [STORE_Q_CONVICTIONS] =
        "WITH v AS MATERIALIZED (SELECT cc_rid, offender FROM crim_event"
        " WHERE type = 4 AND date BETWEEN $1 AND $2),"
        " c AS MATERIALIZED (SELECT k.rid, k.kind FROM criminal_case k"
        " WHERE k.rid IN (SELECT cc_rid FROM v)),"
        " o AS MATERIALIZED (SELECT v.cc_rid AS rid, v.offender AS oid"
        " FROM v WHERE v.offender IS NOT NULL"
        " UNION SELECT x.cc_rid, x.offender_id FROM v"
        " JOIN criminal_case_offender x ON x.cc_rid = v.cc_rid"
        " WHERE v.offender IS NULL)"
        " SELECT c.kind, NULL, NULL, 0, count(*),"
        " (SELECT count(DISTINCT o.oid) FROM o JOIN c AS c2"
        " ON c2.rid = o.rid WHERE c2.kind = c.kind)"
        " FROM c GROUP BY c.kind ORDER BY c.kind",
    [STORE_Q_SOURCE_PROVINCES] =
        "SELECT home_province, NULL, NULL, 0, count(*), 0" CASES_IN_PERIOD
        " AND movement IN (1, 2) GROUP BY 1 ORDER BY 5 DESC, 1 NULLS FIRST",
    [STORE_Q_DEST_PROVINCES] =
        "SELECT destination_province, NULL, NULL, 0, count(*), 0"
        CASES_IN_PERIOD
        " AND movement IN (1, 3) GROUP BY 1 ORDER BY 5 DESC, 1 NULLS FIRST",
    [STORE_Q_DEST_COUNTRIES] =
        "SELECT destination_country, NULL, NULL, 0, count(*), 0"
        CASES_IN_PERIOD
        " AND movement = 2 GROUP BY 1 ORDER BY 5 DESC, 1 NULLS FIRST",
    [STORE_Q_SEX_AGE] =
        "SELECT sex, age_group, NULL, 0, count(*), 0" CASES_IN_PERIOD
        " GROUP BY 1, 2 ORDER BY 1,"
        " CASE age_group WHEN 'child' THEN 0 WHEN 'adult' THEN 1 ELSE 2 END",
    [STORE_Q_EXPLOITATION] =
        "SELECT b.k, NULL, NULL, 0, count(*), 0"
        " FROM (VALUES (1), (2), (4), (8), (16), (32)) AS b(k)"
        " JOIN cases c ON (c.exploitation & b.k) <> 0"
        " WHERE c.trafficking_status <> 2"
        " AND c.identification_date BETWEEN $1 AND $2"
        " GROUP BY b.k ORDER BY b.k",
    [STORE_Q_MOVEMENT] =
        "SELECT movement, NULL, NULL, 0, count(*), 0" CASES_IN_PERIOD
        " GROUP BY 1 ORDER BY 1",
    [STORE_Q_CASES_BY_YEAR] =
        "SELECT NULL, NULL, NULL, identification_date / 10000, count(*), 0"
        CASES_IN_PERIOD " GROUP BY 4 ORDER BY 4",
    [STORE_Q_SECTORS] =
        "SELECT labour_sector, NULL, NULL, 0, count(*), 0" CASES_IN_PERIOD
        " AND (exploitation & 2) <> 0 GROUP BY 1 ORDER BY 1"};

/* The code table of key column 0, NULL when it is text. */
static const struct model_code *key_codes(enum store_query q)
{
    switch (q) {
    case STORE_Q_RESCUES:
        return model_referral_codes;
    case STORE_Q_INVESTIGATIONS:
    case STORE_Q_CONVICTIONS:
        return model_crim_kind_codes;
    case STORE_Q_SEX_AGE:
        return model_sex_codes;
    case STORE_Q_EXPLOITATION:
        return model_exploitation_codes;
    case STORE_Q_MOVEMENT:
        return model_movement_codes;
    case STORE_Q_SECTORS:
        return model_sector_codes;
    default:
        return NULL;
    }
}

static void fill_key(PGresult *r, int i, int col,
                     const struct model_code *t, char *dst)
{
    const char *name = NULL;

    if (PQgetisnull(r, i, col)) {
        name = t == model_referral_codes ? "none" : "unknown";
    } else if (t != NULL) {
        name = model_code_name(t, (int)pg_long(r, i, col, -1));
    } else {
        name = PQgetvalue(r, i, col);
    }
    ctis_strlcpy(dst, name != NULL ? name : "unknown", STORE_KEY_MAX);
}

/*
 * The eight tables over cases in one scan: GROUPING SETS, one per table,
 * then each table's rows in its own order, tagged with its query number
 * (column 0) and ranked (last column). Columns 1..6 are the table shape
 * of agg_sql. The GROUPING() flags tell a set's NULL key (unknown) from a
 * column the set does not group by.
 */
_Static_assert(STORE_Q_SOURCE_PROVINCES == 4 && STORE_Q_DEST_PROVINCES == 5 &&
                   STORE_Q_DEST_COUNTRIES == 6 && STORE_Q_SEX_AGE == 7 &&
                   STORE_Q_EXPLOITATION == 8 && STORE_Q_MOVEMENT == 9 &&
                   STORE_Q_CASES_BY_YEAR == 10 && STORE_Q_SECTORS == 11,
               "cases_agg_sql numbers the tables");
static const char cases_agg_sql[] =
    "WITH g AS MATERIALIZED (SELECT sex, age_group, movement,"
    " home_province AS hp, destination_province AS dp,"
    " destination_country AS dc, labour_sector AS ls, exploitation AS ex,"
    " identification_date / 10000 AS y, count(*) AS n,"
    " GROUPING(sex) AS gs, GROUPING(movement) AS gm,"
    " GROUPING(home_province) AS gh, GROUPING(destination_province) AS gd,"
    " GROUPING(destination_country) AS gc, GROUPING(labour_sector) AS gl,"
    " GROUPING(exploitation) AS ge,"
    " GROUPING(identification_date / 10000) AS gy" CASES_IN_PERIOD
    " GROUP BY GROUPING SETS ((sex, age_group), (movement),"
    " (movement, home_province), (movement, destination_province),"
    " (movement, destination_country), (labour_sector, exploitation),"
    " (exploitation), (identification_date / 10000)))"
    " SELECT 7 AS q, sex::text, age_group, NULL,"
    " 0, n, 0, row_number() OVER (ORDER BY sex, CASE age_group"
    " WHEN 'child' THEN 0 WHEN 'adult' THEN 1 ELSE 2 END)"
    " FROM g WHERE gs = 0"
    " UNION ALL SELECT 9, movement::text, NULL, NULL,"
    " 0, n, 0, row_number() OVER (ORDER BY movement) FROM g"
    " WHERE gm = 0 AND gh = 1 AND gd = 1 AND gc = 1"
    " UNION ALL SELECT 4, hp, NULL, NULL, 0,"
    " sum(n), 0, row_number() OVER (ORDER BY sum(n) DESC, hp NULLS FIRST)"
    " FROM g WHERE gm = 0 AND gh = 0 AND movement IN (1, 2) GROUP BY hp"
    " UNION ALL SELECT 5, dp, NULL, NULL, 0,"
    " sum(n), 0, row_number() OVER (ORDER BY sum(n) DESC, dp NULLS FIRST)"
    " FROM g WHERE gm = 0 AND gd = 0 AND movement IN (1, 3) GROUP BY dp"
    " UNION ALL SELECT 6, dc, NULL, NULL, 0,"
    " sum(n), 0, row_number() OVER (ORDER BY sum(n) DESC, dc NULLS FIRST)"
    " FROM g WHERE gm = 0 AND gc = 0 AND movement = 2 GROUP BY dc"
    " UNION ALL SELECT 11, ls::text, NULL, NULL, 0,"
    " sum(n), 0, row_number() OVER (ORDER BY ls) FROM g"
    " WHERE gl = 0 AND (ex & 2) <> 0 GROUP BY ls"
    " UNION ALL SELECT 8, b.k::text, NULL, NULL,"
    " 0, sum(g.n), 0, row_number() OVER (ORDER BY b.k)"
    " FROM (VALUES (1), (2), (4), (8), (16), (32)) AS b(k)"
    " JOIN g ON g.ge = 0 AND g.gl = 1 AND (g.ex & b.k) <> 0 GROUP BY b.k"
    " UNION ALL SELECT 10, NULL, NULL, NULL, y,"
    " n, 0, row_number() OVER (ORDER BY y) FROM g WHERE gy = 0"
    " ORDER BY 1, 8";

/* Tables served from cases_agg_sql. */
static int is_case_table(enum store_query q)
{
    return q == STORE_Q_SEX_AGE || q == STORE_Q_MOVEMENT ||
           q == STORE_Q_SOURCE_PROVINCES || q == STORE_Q_DEST_PROVINCES ||
           q == STORE_Q_DEST_COUNTRIES || q == STORE_Q_SECTORS ||
           q == STORE_Q_EXPLOITATION || q == STORE_Q_CASES_BY_YEAR;
}

/* Append rows [from, to) of r, whose table shape starts at column c. */
static int add_rows(PGresult *r, int from, int to, int c,
                    enum store_query which, struct store_table *out,
                    struct ctis_err *err)
{
    int i;

    for (i = from; i < to; i++) {
        struct store_row *row = store_table_add(out);
        int k;

        if (row == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        for (k = 0; k < 3; k++) {
            int used = k == 0 || which == STORE_Q_SEX_AGE ||
                       (k == 1 && which == STORE_Q_REPATRIATIONS);

            if (used && which != STORE_Q_CASES_BY_YEAR) {
                fill_key(r, i, c + k, k == 0 ? key_codes(which) : NULL,
                         row->key[k]);
            }
        }
        row->year = (int)pg_long(r, i, c + 3, 0);
        row->n[0] = pg_long(r, i, c + 4, 0);
        row->n[1] = pg_long(r, i, c + 5, 0);
    }
    return 0;
}

/* The case tables of a report share one scan: outside a transaction the
 * result is kept for the next tables of the same period, for a few
 * seconds (the time a report takes); a transaction drops it. */
static int case_table(struct store_pg *p, enum store_query which, int lo,
                      int hi, const char *const *params,
                      struct store_table *out, struct ctis_err *err)
{
    PGresult *r = p->cases_agg;
    int i;
    int rc = 0;

    if (r == NULL || p->base.in_txn || p->agg_lo != lo || p->agg_hi != hi ||
        ctis_now() - p->agg_at > 5.0) {
        PQclear(p->cases_agg);
        p->cases_agg = NULL;
        rc = read_query(p, cases_agg_sql, 2, params, &r, "query failed",
                        err);
        if (rc != 0) {
            return rc;
        }
        if (!p->base.in_txn) {
            p->cases_agg = r;
            p->agg_lo = lo;
            p->agg_hi = hi;
            p->agg_at = ctis_now();
        }
    }
    for (i = 0; i < PQntuples(r) && pg_long(r, i, 0, -1) != (long)which;
         i++) {
    }
    rc = i;
    while (rc < PQntuples(r) && pg_long(r, rc, 0, -1) == (long)which) {
        rc++;
    }
    rc = add_rows(r, i, rc, 1, which, out, err);
    if (r != p->cases_agg) {
        PQclear(r);
    }
    return rc;
}

/* Rows are appended to out, as the SQLite backend does. */
int pg_query_agg(struct store *st, enum store_query which, int from_year,
                 int to_year, struct store_table *out, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char lo_s[16];
    char hi_s[16];
    const char *params[2] = {lo_s, hi_s};
    PGresult *r = NULL;
    int lo;
    int hi;
    int rc;

    store_query_bounds(from_year, to_year, &lo, &hi);
    snprintf(lo_s, sizeof lo_s, "%d", lo);
    snprintf(hi_s, sizeof hi_s, "%d", hi);
    if (is_case_table(which)) {
        return case_table(p, which, lo, hi, params, out, err);
    }
    rc = read_query(p, agg_sql[which], 2, params, &r, "query failed", err);
    if (rc == 0) {
        rc = add_rows(r, 0, PQntuples(r), 0, which, out, err);
    }
    PQclear(r);
    return rc;
}
