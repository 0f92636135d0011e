/*
 * sqlite_put.c - the SQLite backend's writers: upserts by id.
 *
 * A put first does everything that can fail without writing (reference
 * checks, preparing statements); its first write is one upsert statement,
 * atomic on its own. A failure after that first write rolls the whole
 * transaction back (sq_abort), so a half-written record is never visible
 * and never committed.
 *
 * Counters: a put moves the aggregate counters (sqlite_count.c) from the
 * replaced version of the case, read back before the upsert, to the new
 * one; a failure after the first write drops them with the transaction.
 *
 * Speed (bench/store_put.c): the case upsert RETURNs its row's rid and a
 * revision counter that is 0 only for a fresh insert, so a new case costs
 * one lookup of its id (is there a version to replace?) and one INSERT per
 * row it owns, and no DELETE. The agency reference is
 * checked by the foreign key itself: a violation comes back as
 * SQLITE_CONSTRAINT_FOREIGNKEY before anything was written.
 */
#include <string.h>

#include "store_int.h"

#define IS_FK(rc) ((rc) == SQLITE_CONSTRAINT_FOREIGNKEY)

/* Step a write statement to its end; SQLITE_DONE becomes SQLITE_OK. */
static int step_done(sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);

    if (rc == SQLITE_DONE) {
        return SQLITE_OK;
    }
    sqlite3_reset(q);
    return rc;
}

/* Run an upsert ... RETURNING rid[, rev]: *rid and *rev (0 if new). The
 * statement is reset before returning so it never holds the transaction
 * open. */
static int step_returning(sqlite3_stmt *q, sqlite3_int64 *rid, int *rev)
{
    int rc = sqlite3_step(q);

    if (rc != SQLITE_ROW) {
        sqlite3_reset(q);
        return rc == SQLITE_DONE ? SQLITE_INTERNAL : rc;
    }
    *rid = sqlite3_column_int64(q, 0);
    *rev = sqlite3_column_count(q) > 1 ? sqlite3_column_int(q, 1) : 0;
    return sqlite3_reset(q);
}

static int missing(const char *kind, const char *id, const char *by_kind,
                   const char *by_id, struct ctis_err *err)
{
    return ctis_err_set(err, CTIS_ENOTFOUND,
                        "%s '%s' named by %s '%s' does not exist", kind, id,
                        by_kind, by_id);
}

/* Agencies are parents of cases and activities: update in place, never
 * replace (a REPLACE would delete the parent row). */
int sq_put_agency(struct store *st, const struct model_agency *a,
                  struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = sq_stmt(s, SQ_AGENCY_PUT, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_text(q, 1, a->id, -1, SQLITE_STATIC);
    sq_bind_text(q, 2, a->name);
    sqlite3_bind_int(q, 3, a->kind);
    sqlite3_bind_int64(q, 4, a->pillars);
    sqlite3_bind_int64(q, 5, (sqlite3_int64)a->provinces);
    rc = step_done(q);
    if (rc != SQLITE_OK) {
        return sq_abort(s, sq_fail(s, rc, "cannot store agency", err), err);
    }
    return 0;
}

/* ---- cases ------------------------------------------------------------- */

static void bind_case(sqlite3_stmt *q, const struct model_case *c)
{
    const struct model_person *p = &c->person;
    int ident = model_case_first_date(c, MODEL_EV_IDENTIFICATION);

    sqlite3_bind_text(q, 1, c->id, -1, SQLITE_STATIC);
    sq_bind_text(q, 2, c->agency);
    sqlite3_bind_int(q, 3, c->trafficking_status);
    sqlite3_bind_int(q, 4, c->movement);
    sqlite3_bind_int64(q, 5, c->exploitation);
    sqlite3_bind_int(q, 6, c->labour_sector);
    sqlite3_bind_int64(q, 7, c->means);
    sqlite3_bind_int(q, 8, c->recruiter_relationship);
    sq_bind_text(q, 9, c->destination_country);
    sq_bind_text(q, 10, c->destination_province);
    sq_bind_text(q, 11, c->destination_city);
    sqlite3_bind_int(q, 12, c->status);
    sqlite3_bind_int(q, 13, p->sex);
    sq_bind_text(q, 14, p->citizenship);
    sq_bind_text(q, 15, p->home_province);
    sq_bind_text(q, 16, p->home_district);
    sq_bind_int_or_null(q, 17, model_age_at(p, ident));
    sqlite3_bind_text(q, 18, model_age_group(p, ident), -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 19, ident);
    sqlite3_bind_text(q, 20, model_case_stage(c), -1, SQLITE_STATIC);
}

/* A sealed database binds the identifying columns NULL and the sealed
 * value (sealed, len) with the write key's generation; a clear one binds
 * them as they are. */
static void bind_person(sqlite3_stmt *q, sqlite3_int64 rid,
                        const struct model_person *p,
                        const unsigned char *sealed, size_t len, int gen,
                        const unsigned char *h, size_t nh)
{
    sqlite3_bind_int64(q, 1, rid);
    sq_bind_int_or_null(q, 7, p->birth_year > 0 ? p->birth_year : -1);
    sq_bind_int_or_null(q, 8, p->age);
    if (sealed != NULL) {
        sqlite3_bind_blob(q, 13, sealed, (int)len, SQLITE_STATIC);
        sqlite3_bind_int(q, 14, gen);
        sqlite3_bind_int(q, 15, MODEL_NAME_RULE);
        sqlite3_bind_blob(q, 16, h, (int)(nh * SEAL_BLIND_BYTES),
                          SQLITE_STATIC);
        return;
    }
    sq_bind_text(q, 2, p->given_name);
    sq_bind_text(q, 3, p->family_name);
    sq_bind_text(q, 4, p->given_name_km);
    sq_bind_text(q, 5, p->family_name_km);
    sq_bind_int_or_null(q, 6, p->birth_date > 0 ? p->birth_date : -1);
    sq_bind_text(q, 9, p->home_commune);
    sq_bind_text(q, 10, p->home_village);
    sq_bind_text(q, 11, p->phone);
    sq_bind_text(q, 12, p->email);
}

/* Prepare the statements put_events will use for n events. */
static int prepare_events(struct store_sqlite *s, size_t n,
                          struct ctis_err *err)
{
    if (n >= SQ_ROWS_MAX &&
        sq_rows_stmt(s, SQ_ROWS_EVENT, SQ_ROWS_MAX, err) == NULL) {
        return sq_errcode(err);
    }
    if (n % SQ_ROWS_MAX != 0 &&
        sq_rows_stmt(s, SQ_ROWS_EVENT, n % SQ_ROWS_MAX, err) == NULL) {
        return sq_errcode(err);
    }
    return 0;
}

static int put_events(struct store_sqlite *s, sqlite3_int64 rid,
                      const struct model_case *c, struct ctis_err *err)
{
    size_t i = 0;

    while (i < c->n_events) {
        size_t n = c->n_events - i < SQ_ROWS_MAX ? c->n_events - i
                                                 : SQ_ROWS_MAX;
        sqlite3_stmt *q = sq_rows_stmt(s, SQ_ROWS_EVENT, n, err);
        size_t k;
        int rc;

        if (q == NULL) {
            return sq_errcode(err);
        }
        for (k = 0; k < n; k++, i++) {
            const struct model_event *e = &c->events[i];
            int b = (int)k * sq_rows_columns(SQ_ROWS_EVENT);

            sqlite3_bind_int64(q, b + 1, rid);
            sqlite3_bind_int64(q, b + 2, (sqlite3_int64)i);
            sqlite3_bind_int(q, b + 3, e->type);
            sqlite3_bind_int(q, b + 4, e->date);
            sq_bind_text(q, b + 5, e->from_country);
            sq_bind_text(q, b + 6, e->to_country);
            sqlite3_bind_int(q, b + 7, e->official != 0);
            sqlite3_bind_int(q, b + 8, e->service);
            sqlite3_bind_int(q, b + 9, e->referral);
            sqlite3_bind_int(q, b + 10, e->id);
            sqlite3_bind_int(q, b + 11, e->supersedes);
        }
        rc = step_done(q);
        if (rc != SQLITE_OK) {
            return sq_fail(s, rc, "cannot store event", err);
        }
    }
    return 0;
}

/* Delete the events of a case about to be replaced. */
static int delete_owned(struct store_sqlite *s, sqlite3_int64 rid,
                        struct ctis_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, SQ_CASE_DEL_EVENTS, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int64(q, 1, rid);
    rc = step_done(q);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot replace case", err);
    }
    return 0;
}

/* The person row: sealed with version rev in a sealed database, with
 * its blind values listed in it and its blind index rows replaced (the
 * old ones, those its old row lists, out first), in clear otherwise. */
static int put_person(struct store_sqlite *s, sqlite3_int64 rid, int rev,
                      const struct model_case *c, struct ctis_err *err)
{
    unsigned char sealed[MODEL_IDENTITY_PACK_MAX + SEAL_OVERHEAD];
    unsigned char h[STORE_BLIND_MAX][SEAL_BLIND_BYTES];
    size_t nh = 0;
    size_t len = 0;
    sqlite3_stmt *q;
    int rc;

    if (s->base.sealed) {
        rc = store_seal_identity(&s->base, c->id, rev, &c->person, sealed,
                                 &len, err);
        if (rc == 0 && rev > 0) {
            rc = sq_bidx_drop(s, rid, err);
        }
        if (rc != 0) {
            return rc;
        }
        nh = store_blind_for_put(&s->base, c, h);
    }
    q = sq_stmt(s, SQ_PERSON_PUT, err);
    if (q == NULL) {
        return sq_errcode(err);
    }
    bind_person(q, rid, &c->person, s->base.sealed ? sealed : NULL, len,
                s->base.sealed ? seal_key_gen(store_key_write(&s->base)) : 0,
                h[0], nh);
    rc = step_done(q);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot store person", err);
    }
    return s->base.sealed ? sq_bidx_add(s, rid, h[0], nh, err) : 0;
}

/* Everything after the case row: old events out (only if the case
 * existed), person and events in. */
static int put_case_rest(struct store_sqlite *s, sqlite3_int64 rid, int rev,
                         const struct model_case *c, struct ctis_err *err)
{
    int rc;

    if (rev > 0) {
        rc = delete_owned(s, rid, err);
        if (rc != 0) {
            return rc;
        }
    }
    rc = put_person(s, rid, rev, c, err);
    return rc != 0 ? rc : put_events(s, rid, c, err);
}

/* Prepare every statement put_case_rest needs, before the first write:
 * nothing is written if one fails. */
static int prepare_rest(struct store_sqlite *s, const struct model_case *c,
                        struct ctis_err *err)
{
    if (sq_stmt(s, SQ_PERSON_PUT, err) == NULL ||
        sq_stmt(s, SQ_CASE_DEL_EVENTS, err) == NULL ||
        (s->base.sealed && (sq_stmt(s, SQ_BIDX_DEL, err) == NULL ||
                            sq_stmt(s, SQ_BIDX_LIST, err) == NULL ||
                            sq_stmt(s, SQ_BIDX_PUT, err) == NULL))) {
        return sq_errcode(err);
    }
    return prepare_events(s, c->n_events, err);
}

/* The rows of a case; the first write is one statement, atomic alone. */
static int write_case(struct store_sqlite *s, const struct model_case *c,
                      struct ctis_err *err)
{
    sqlite3_stmt *q;
    sqlite3_int64 rid = 0;
    int rev = 0;
    int rc;

    rc = prepare_rest(s, c, err);
    if (rc != 0) {
        return rc;
    }
    q = sq_stmt(s, SQ_CASE_PUT, err);
    if (q == NULL) {
        return sq_errcode(err);
    }
    bind_case(q, c);
    rc = step_returning(q, &rid, &rev);
    if (IS_FK(rc)) {
        return missing("agency", c->agency, "case", c->id, err);
    }
    if (rc != SQLITE_OK) {
        return sq_abort(s, sq_fail(s, rc, "cannot store case", err), err);
    }
    rc = put_case_rest(s, rid, rev, c, err);
    if (rc != 0) {
        return sq_abort(s, rc, err);
    }
    return 0;
}

/* 1 if the case exists, 0 if not, negative on error. */
static int case_exists(struct store_sqlite *s, const char *id,
                       struct ctis_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, SQ_CASE_EXISTS, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_ROW) {
        return 1;
    }
    if (rc == SQLITE_DONE) {
        return 0;
    }
    return sq_fail(s, rc, "cannot look up case", err);
}

/* Read the stored version of case id into old (for its counters): 1 if
 * there is one, 0 if not, negative on error. */
static int load_old(struct store_sqlite *s, const char *id,
                    struct model_case *old, struct ctis_err *err)
{
    int rc = case_exists(s, id, err);

    if (rc <= 0) {
        return rc;
    }
    rc = sq_get_case_ex(&s->base, id, old, 0, err);
    return rc < 0 ? rc : 1;
}

/* Move the counters from the old version (if any) to the new one. */
static int move_counts(struct store_sqlite *s, const struct model_case *old,
                       int had_old, const struct model_case *c,
                       struct ctis_err *err)
{
    int rc = had_old ? sq_counts_case(s, old, -1, err) : 0;

    return rc != 0 ? rc : sq_counts_case(s, c, 1, err);
}

static int need_write_key(struct store *st, struct ctis_err *err)
{
    if (st->sealed && store_key_write(st) == NULL) {
        return ctis_err_set(err, CTIS_EKEY,
                            "identities are sealed and no key was given "
                            "(--key-file, CTIS_KEY_FILE or a passphrase)");
    }
    return 0;
}

/* A case whose id is not in the store: one INSERT OR IGNORE of its row
 * (no lookup first, no RETURNING), then person, events and counters. 1
 * when written; 0 when the id exists, and nothing was written. */
int sq_put_new_case(struct store *st, const struct model_case *c,
                    struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q;
    int rc = need_write_key(st, err);

    if (rc == 0) {
        rc = prepare_rest(s, c, err);
    }
    if (rc != 0) {
        return rc;
    }
    q = sq_stmt(s, SQ_CASE_ADD, err);
    if (q == NULL) {
        return sq_errcode(err);
    }
    bind_case(q, c);
    rc = step_done(q);
    if (IS_FK(rc)) {
        return missing("agency", c->agency, "case", c->id, err);
    }
    if (rc != SQLITE_OK) {
        return sq_abort(s, sq_fail(s, rc, "cannot store case", err), err);
    }
    if (sqlite3_changes(s->db) == 0) {
        return 0;
    }
    rc = put_case_rest(s, sqlite3_last_insert_rowid(s->db), 0, c, err);
    if (rc == 0) {
        rc = sq_counts_case(s, c, 1, err);
    }
    return rc != 0 ? sq_abort(s, rc, err) : 1;
}

/* Upsert the case row, then its person, events and counters. */
int sq_put_case(struct store *st, const struct model_case *c,
                struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    struct model_case old;
    int had_old;
    int rc = need_write_key(st, err);

    if (rc != 0) {
        return rc;
    }
    model_case_init(&old);
    had_old = load_old(s, c->id, &old, err);
    rc = had_old < 0 ? had_old : write_case(s, c, err);
    if (rc == 0) {
        rc = move_counts(s, &old, had_old, c, err);
        if (rc != 0) {
            rc = sq_abort(s, rc, err);
        }
    }
    model_case_release(&old);
    return rc;
}

/* Append by reading the case, adding the event and putting it back: the
 * identification date and age group are recomputed as in any put. */
int sq_add_event(struct store *st, const char *case_id,
                 const struct model_event *e, struct ctis_err *err)
{
    struct model_case c;
    int rc;

    model_case_init(&c);
    rc = sq_get_case(st, case_id, &c, err);
    if (rc == 0 && model_case_add_event(&c, e) != 0) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    if (rc == 0) {
        rc = sq_put_case(st, &c, err);
    }
    model_case_release(&c);
    return rc;
}

/* ---- criminal cases ---------------------------------------------------- */

static int check_victims(struct store_sqlite *s,
                         const struct model_criminal_case *cc,
                         struct ctis_err *err)
{
    size_t i;

    for (i = 0; i < cc->n_victim_cases; i++) {
        int rc = case_exists(s, cc->victim_cases[i], err);

        if (rc < 0) {
            return rc;
        }
        if (rc == 0) {
            return missing("case", cc->victim_cases[i], "criminal case",
                           cc->id, err);
        }
    }
    return 0;
}

static int del_children(struct store_sqlite *s, sqlite3_int64 rid,
                        struct ctis_err *err)
{
    static const enum sq_stmt dels[] = {SQ_CC_DEL_OFF, SQ_CC_DEL_VIC,
                                        SQ_CC_DEL_EV};
    size_t i;

    for (i = 0; i < sizeof dels / sizeof dels[0]; i++) {
        sqlite3_stmt *q = sq_stmt(s, dels[i], err);
        int rc;

        if (q == NULL) {
            return sq_errcode(err);
        }
        sqlite3_bind_int64(q, 1, rid);
        rc = step_done(q);
        if (rc != SQLITE_OK) {
            return sq_fail(s, rc, "cannot replace criminal case", err);
        }
    }
    return 0;
}

static int put_offender(struct store_sqlite *s, sqlite3_int64 rid,
                        size_t seq, const struct model_offender *o,
                        struct ctis_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, SQ_OFFENDER_PUT, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_text(q, 1, o->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, o->sex);
    sq_bind_text(q, 3, o->citizenship);
    sqlite3_bind_int(q, 4, o->role);
    rc = step_done(q);
    if (rc == SQLITE_OK) {
        q = sq_stmt(s, SQ_CC_OFF_PUT, err);
        if (q == NULL) {
            return sq_errcode(err);
        }
        sqlite3_bind_int64(q, 1, rid);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)seq);
        sqlite3_bind_text(q, 3, o->id, -1, SQLITE_STATIC);
        rc = step_done(q);
    }
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot store offender", err);
    }
    return 0;
}

static int put_victim(struct store_sqlite *s, sqlite3_int64 rid, size_t seq,
                      const char *case_id, struct ctis_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, SQ_CC_VIC_PUT, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int64(q, 1, rid);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)seq);
    sqlite3_bind_text(q, 3, case_id, -1, SQLITE_STATIC);
    rc = step_done(q);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot store victim link", err);
    }
    return 0;
}

static int put_crim_event(struct store_sqlite *s, sqlite3_int64 rid,
                          size_t seq, const struct model_crim_event *e,
                          struct ctis_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, SQ_CE_PUT, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int64(q, 1, rid);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)seq);
    sqlite3_bind_int(q, 3, e->type);
    sqlite3_bind_int(q, 4, e->date);
    sq_bind_text(q, 5, e->offender);
    sq_bind_int_or_null(q, 6, e->sentence_months);
    sq_bind_text(q, 7, e->law_articles);
    rc = step_done(q);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot store criminal case event", err);
    }
    return 0;
}

static int put_cc_rest(struct store_sqlite *s, sqlite3_int64 rid, int rev,
                       const struct model_criminal_case *cc,
                       struct ctis_err *err)
{
    int rc = rev > 0 ? del_children(s, rid, err) : 0;
    size_t i;

    for (i = 0; rc == 0 && i < cc->n_offenders; i++) {
        rc = put_offender(s, rid, i, &cc->offenders[i], err);
    }
    for (i = 0; rc == 0 && i < cc->n_victim_cases; i++) {
        rc = put_victim(s, rid, i, cc->victim_cases[i], err);
    }
    for (i = 0; rc == 0 && i < cc->n_events; i++) {
        rc = put_crim_event(s, rid, i, &cc->events[i], err);
    }
    return rc;
}

/* Victims are checked before anything is written; offenders are upserted
 * with the criminal case (an offender id names one person across cases). */
int sq_put_criminal_case(struct store *st,
                         const struct model_criminal_case *cc,
                         struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q;
    sqlite3_int64 rid = 0;
    int rev = 0;
    int rc = check_victims(s, cc, err);

    if (rc != 0) {
        return rc;
    }
    q = sq_stmt(s, SQ_CC_PUT, err);
    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_text(q, 1, cc->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, cc->kind);
    rc = step_returning(q, &rid, &rev);
    if (rc != SQLITE_OK) {
        return sq_abort(s, sq_fail(s, rc, "cannot store criminal case", err),
                        err);
    }
    rc = put_cc_rest(s, rid, rev, cc, err);
    if (rc != 0) {
        return sq_abort(s, rc, err);
    }
    return 0;
}

/* ---- activities and instruments ---------------------------------------- */

/* One row; the agency reference is the foreign key. */
int sq_put_activity(struct store *st, const struct model_activity *a,
                    struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = sq_stmt(s, SQ_ACTIVITY_PUT, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_text(q, 1, a->id, -1, SQLITE_STATIC);
    sq_bind_text(q, 2, a->agency);
    sqlite3_bind_int(q, 3, a->kind);
    sq_bind_text(q, 4, a->province);
    sqlite3_bind_int(q, 5, a->start);
    sqlite3_bind_int(q, 6, a->end);
    sq_bind_int_or_null(q, 7, a->reached);
    rc = step_done(q);
    if (IS_FK(rc)) {
        return missing("agency", a->agency, "activity", a->id, err);
    }
    if (rc != SQLITE_OK) {
        return sq_abort(s, sq_fail(s, rc, "cannot store activity", err), err);
    }
    return 0;
}

static int put_parties(struct store_sqlite *s, sqlite3_int64 rid,
                       const struct model_instrument *in,
                       struct ctis_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, SQ_INS_DEL_PARTIES, err);
    size_t i;
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int64(q, 1, rid);
    rc = step_done(q);
    for (i = 0; rc == SQLITE_OK && i < in->n_parties; i++) {
        q = sq_stmt(s, SQ_INS_PARTY_PUT, err);
        if (q == NULL) {
            return sq_errcode(err);
        }
        sqlite3_bind_int64(q, 1, rid);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)i);
        sqlite3_bind_text(q, 3, in->parties[i], -1, SQLITE_STATIC);
        rc = step_done(q);
    }
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot store instrument parties", err);
    }
    return 0;
}

/* The instrument row, then its parties replaced. */
int sq_put_instrument(struct store *st, const struct model_instrument *in,
                      struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = sq_stmt(s, SQ_INS_PUT, err);
    sqlite3_int64 rid = 0;
    int rev = 0;
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_text(q, 1, in->id, -1, SQLITE_STATIC);
    sq_bind_text(q, 2, in->title);
    sqlite3_bind_int(q, 3, in->kind);
    sqlite3_bind_int(q, 4, in->date);
    rc = step_returning(q, &rid, &rev);
    if (rc != SQLITE_OK) {
        return sq_abort(s, sq_fail(s, rc, "cannot store instrument", err),
                        err);
    }
    rc = put_parties(s, rid, in, err);
    if (rc != 0) {
        return sq_abort(s, rc, err);
    }
    return 0;
}
