/*
 * sql_queries.c - the aggregate SQL of the datasheet (STORE_Q_*), in one
 * place so that store_query runs exactly what a benchmark prints for the
 * sqlite3 shell.
 *
 * Every query takes ?1 and ?2, the first and last YYYYMMDD date of the
 * period (store_query_bounds), and returns k0, k1, k2, year, n0, n1. The
 * case and event aggregates sum the counters of case_count (maintained by
 * every put, sqlite_count.c), so each reads a few hundred rows whatever
 * the number of cases; q there is the STORE_Q_* number. The criminal case
 * aggregates run over the criminal case tables directly. Codes in those
 * are the model's integer enum values, pinned by the assertions below.
 */
#include "store_int.h"

_Static_assert(STORE_Q_REPATRIATIONS == 0 && STORE_Q_RESCUES == 1 &&
                   STORE_Q_SOURCE_PROVINCES == 4 && STORE_Q_SEX_AGE == 7 &&
                   STORE_Q_SECTORS == 11,
               "case_count.q holds the STORE_Q_* numbers");
_Static_assert(MODEL_CE_INVESTIGATION == 0 && MODEL_CE_CONVICTION == 4,
               "sql uses 0, 4");

/* The rows of one counter query in the period (store_query_bounds): a
 * year of 0 (unknown identification date) only when unbounded. */
#define COUNTS(q)                                                           \
    " FROM case_count WHERE q = " q                                         \
    " AND year BETWEEN ?1 / 10000 AND ?2 / 10000 AND (year > 0 OR ?1 = 0)"

static const char *const query_sql[STORE_QUERY_COUNT] = {
    [STORE_Q_REPATRIATIONS] =
        "SELECT k0, k1, NULL, year, sum(n), 0" COUNTS("0")
        " GROUP BY year, k0, k1 HAVING sum(n) > 0 ORDER BY year, k0, k1",
    [STORE_Q_RESCUES] =
        "SELECT k0, NULL, NULL, year, sum(n), 0" COUNTS("1")
        " GROUP BY year, k0 HAVING sum(n) > 0 ORDER BY year, min(s0)",
    [STORE_Q_INVESTIGATIONS] =
        "WITH f AS (SELECT cc_rid, min(date) AS d FROM crim_event"
        " WHERE type = 0 GROUP BY cc_rid),"
        " c AS MATERIALIZED (SELECT k.rid, k.kind FROM criminal_case k"
        " JOIN f ON f.cc_rid = k.rid WHERE f.d BETWEEN ?1 AND ?2)"
        " SELECT c.kind, NULL, NULL, 0, count(*),"
        " (SELECT count(DISTINCT x.offender_id)"
        " FROM criminal_case_offender x JOIN c AS c2 ON c2.rid = x.cc_rid"
        " WHERE c2.kind = c.kind)"
        " FROM c GROUP BY c.kind ORDER BY c.kind",
    [STORE_Q_CONVICTIONS] =
        "WITH v AS MATERIALIZED (SELECT cc_rid, offender FROM crim_event"
        " WHERE type = 4 AND date BETWEEN ?1 AND ?2),"
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
        "SELECT k0, NULL, NULL, 0, sum(n), 0" COUNTS("4")
        " GROUP BY k0 HAVING sum(n) > 0 ORDER BY 5 DESC, 1",
    [STORE_Q_DEST_PROVINCES] =
        "SELECT k0, NULL, NULL, 0, sum(n), 0" COUNTS("5")
        " GROUP BY k0 HAVING sum(n) > 0 ORDER BY 5 DESC, 1",
    [STORE_Q_DEST_COUNTRIES] =
        "SELECT k0, NULL, NULL, 0, sum(n), 0" COUNTS("6")
        " GROUP BY k0 HAVING sum(n) > 0 ORDER BY 5 DESC, 1",
    [STORE_Q_SEX_AGE] =
        "SELECT k0, k1, NULL, 0, sum(n), 0" COUNTS("7")
        " GROUP BY k0, k1 HAVING sum(n) > 0 ORDER BY min(s0), min(s1)",
    [STORE_Q_EXPLOITATION] =
        "SELECT k0, NULL, NULL, 0, sum(n), 0" COUNTS("8")
        " GROUP BY k0 HAVING sum(n) > 0 ORDER BY min(s0)",
    [STORE_Q_MOVEMENT] =
        "SELECT k0, NULL, NULL, 0, sum(n), 0" COUNTS("9")
        " GROUP BY k0 HAVING sum(n) > 0 ORDER BY min(s0)",
    [STORE_Q_CASES_BY_YEAR] =
        "SELECT NULL, NULL, NULL, year, sum(n), 0" COUNTS("10")
        " GROUP BY year HAVING sum(n) > 0 ORDER BY year",
    [STORE_Q_SECTORS] =
        "SELECT k0, NULL, NULL, 0, sum(n), 0" COUNTS("11")
        " GROUP BY k0 HAVING sum(n) > 0 ORDER BY min(s0)"};

/* The SQL of one query; NULL for an unknown one. */
const char *store_query_sql(enum store_query q)
{
    if ((int)q < 0 || (int)q >= STORE_QUERY_COUNT) {
        return NULL;
    }
    return query_sql[q];
}

/* Which code table decodes key column i of query q. */
const struct model_code *store_query_keys(enum store_query q, int i)
{
    if (i != 0) {
        return NULL; /* only key 0 is ever a code; others are text */
    }
    if (q == STORE_Q_INVESTIGATIONS || q == STORE_Q_CONVICTIONS) {
        return model_crim_kind_codes;
    }
    return NULL; /* the counters hold string codes already */
}

/* A wholly unbounded period includes date 0 (unknown); any bound
 * excludes it. */
void store_query_bounds(int from_year, int to_year, int *lo, int *hi)
{
    if (from_year == 0 && to_year == 0) {
        *lo = 0;
        *hi = 99999999;
        return;
    }
    *lo = from_year != 0 ? from_year * 10000 + 101 : 1;
    *hi = to_year != 0 ? to_year * 10000 + 1231 : 99999999;
}
