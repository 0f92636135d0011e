/*
 * sqlite_link.c - record linkage results in the SQLite backend: the
 * person_link table (migration 2), one row per linked case.
 */
#include "store_int.h"

/* Delete every link, then insert one row per case through its id; an id
 * naming no case abandons the transaction (something was written). */
int sq_put_person_links(struct store *st, const char *const *case_ids,
                        const long *persons, size_t n, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    size_t i;
    int rc = sq_exec(s, "DELETE FROM person_link", err);

    if (rc != 0) {
        return sq_abort(s, rc, err);
    }
    rc = sqlite3_prepare_v2(s->db,
                            "INSERT INTO person_link (case_rid, person)"
                            " SELECT rid, ?2 FROM cases WHERE id = ?1",
                            -1, &q, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(q);
        return sq_abort(s, sq_fail(s, rc, "cannot store links", err), err);
    }
    for (i = 0; i < n; i++) {
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, case_ids[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, persons[i]);
        rc = sqlite3_step(q);
        if (rc != SQLITE_DONE) {
            sqlite3_finalize(q);
            return sq_abort(s, sq_fail(s, rc, "cannot store links", err),
                            err);
        }
        if (sqlite3_changes(s->db) == 0) {
            sqlite3_finalize(q);
            rc = ctis_err_set(err, CTIS_ENOTFOUND,
                              "case '%s' named by a person link does not "
                              "exist", case_ids[i]);
            return sq_abort(s, rc, err);
        }
    }
    sqlite3_finalize(q);
    return 0;
}

/* One row per linked case, by person then agency. */
int sq_each_person_link(struct store *st, int from_year, int to_year,
                        store_link_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int lo;
    int hi;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT c.agency, l.person FROM person_link l"
                                " JOIN cases c ON c.rid = l.case_rid"
                                " WHERE c.identification_date"
                                " BETWEEN ?1 AND ?2"
                                " ORDER BY l.person, c.agency",
                                -1, &q, NULL);

    if (rc != SQLITE_OK) {
        sqlite3_finalize(q);
        return sq_fail(s, rc, "cannot read links", err);
    }
    store_query_bounds(from_year, to_year, &lo, &hi);
    sqlite3_bind_int(q, 1, lo);
    sqlite3_bind_int(q, 2, hi);
    for (rc = sqlite3_step(q); rc == SQLITE_ROW; rc = sqlite3_step(q)) {
        char agency[MODEL_ID_MAX];
        int stop;

        sq_column_text(q, 0, agency, sizeof agency);
        stop = fn(ctx, agency, (long)sqlite3_column_int64(q, 1));
        if (stop != 0) {
            sqlite3_finalize(q);
            return stop;
        }
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : sq_fail(s, rc, "cannot read links", err);
}
