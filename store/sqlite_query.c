/*
 * sqlite_query.c - store_query on SQLite: run the SQL of sql_queries.c and
 * turn its rows into store_rows, decoding integer codes to the model's
 * string codes. A NULL or empty key is "unknown".
 */
#include <string.h>

#include "store_int.h"

static void fill_key(sqlite3_stmt *q, int col, const struct model_code *t,
                     char *dst)
{
    const char *name = NULL;

    switch (sqlite3_column_type(q, col)) {
    case SQLITE_NULL:
        name = col == 0 && t == model_referral_codes ? "none" : "unknown";
        break;
    case SQLITE_INTEGER:
        if (t != NULL) {
            name = model_code_name(t, sqlite3_column_int(q, col));
        }
        if (name == NULL) {
            name = "unknown";
        }
        break;
    default:
        name = (const char *)sqlite3_column_text(q, col);
        if (name != NULL && name[0] == '\0') {
            name = "unknown";
        }
        break;
    }
    ctis_strlcpy(dst, name != NULL ? name : "unknown", STORE_KEY_MAX);
}

/* Key columns 1 and 2 are only ever filled by queries that select them;
 * a NULL there (not selected) stays an empty string. */
static int add_row(sqlite3_stmt *q, enum store_query which,
                   struct store_table *out)
{
    struct store_row *r = store_table_add(out);
    int i;

    if (r == NULL) {
        return CTIS_ENOMEM;
    }
    for (i = 0; i < 3; i++) {
        int used = i == 0 || which == STORE_Q_SEX_AGE ||
                   (i == 1 && which == STORE_Q_REPATRIATIONS);

        if (used && which != STORE_Q_CASES_BY_YEAR) {
            fill_key(q, i, store_query_keys(which, i), r->key[i]);
        }
    }
    r->year = sqlite3_column_int(q, 3);
    r->n[0] = (long)sqlite3_column_int64(q, 4);
    r->n[1] = (long)sqlite3_column_int64(q, 5);
    return 0;
}

/* Rows are appended to out; on failure out keeps the rows added so far.
 * Inside a transaction the pending counter deltas are written first so
 * the answer includes the transaction's own puts. */
int sq_query(struct store *st, enum store_query which, int from_year,
             int to_year, struct store_table *out, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int lo;
    int hi;
    int rc = st->in_txn ? sq_counts_flush(s, err) : 0;

    if (rc != 0) {
        return sq_abort(s, rc, err);
    }
    rc = sqlite3_prepare_v2(s->db, store_query_sql(which), -1, &q, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(q);
        return sq_fail(s, rc, "cannot prepare query", err);
    }
    store_query_bounds(from_year, to_year, &lo, &hi);
    sqlite3_bind_int(q, 1, lo);
    sqlite3_bind_int(q, 2, hi);
    for (rc = sqlite3_step(q); rc == SQLITE_ROW; rc = sqlite3_step(q)) {
        if (add_row(q, which, out) != 0) {
            sqlite3_finalize(q);
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        return sq_fail(s, rc, "query failed", err);
    }
    return 0;
}
