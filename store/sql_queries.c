/*
 * sql_queries.c - the aggregate SQL of the datasheet (STORE_Q_*), in one
 * place so that store_query runs exactly what a benchmark prints for the
 * sqlite3 shell.
 *
 * Every query takes ?1 and ?2, the first and last YYYYMMDD date of the
 * period (store_query_bounds), and returns k0, k1, k2, year, n0, n1. Each
 * is meant to be one scan of a narrow covering index that leads with its
 * group key (migrate_sqlite.c), so no query sorts its input rows: keep the
 * WHERE terms identical to the partial indexes' or the planner cannot use
 * them. The event aggregates read the fact tables that a put derives from
 * the events (sqlite_put.c). Codes
 * are the model's integer enum values; the numbers written in the SQL are
 * pinned by the static assertions below. Case tables exclude
 * trafficking_status not_a_victim (2) and filter on the identification
 * date; event tables filter on the event's own date.
 */
#include "store_int.h"

_Static_assert(MODEL_TS_NOT_A_VICTIM == 2, "sql uses 2");
_Static_assert(MODEL_MOV_INTERNAL == 1 && MODEL_MOV_CROSS_BORDER_OUT == 2 &&
                   MODEL_MOV_CROSS_BORDER_IN == 3,
               "sql uses 1, 2, 3");
_Static_assert(MODEL_CE_INVESTIGATION == 0 && MODEL_CE_CONVICTION == 4,
               "sql uses 0, 4");
_Static_assert(MODEL_EXP_FORCED_LABOUR == 2, "sql uses 2");

/* FROM the partial covering index ix: INDEXED BY makes the plan fixed (an
 * error, not a slow plan, if the index cannot serve the query). */
#define CASES_IN_PERIOD(ix)                                                 \
    " FROM cases INDEXED BY " ix " WHERE trafficking_status <> 2"           \
    " AND identification_date BETWEEN ?1 AND ?2"

static const char *const query_sql[STORE_QUERY_COUNT] = {
    [STORE_Q_REPATRIATIONS] =
        "SELECT from_country, to_country, NULL, year, count(*), 0"
        " FROM repatriation_fact WHERE year BETWEEN ?1 / 10000 AND ?2 / 10000"
        " GROUP BY year, from_country, to_country"
        " ORDER BY year, from_country, to_country",
    [STORE_Q_RESCUES] =
        "SELECT referred_to, NULL, NULL, year, count(*), 0 FROM rescue_fact"
        " WHERE year BETWEEN ?1 / 10000 AND ?2 / 10000"
        " GROUP BY year, referred_to ORDER BY year, referred_to",
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
        "SELECT home_province, NULL, NULL, 0, count(*), 0" CASES_IN_PERIOD("cases_q_source")
        " AND movement IN (1, 2) GROUP BY 1 ORDER BY 5 DESC, 1",
    [STORE_Q_DEST_PROVINCES] =
        "SELECT destination_province, NULL, NULL, 0, count(*), 0"
        CASES_IN_PERIOD("cases_q_dest_province")
        " AND movement IN (1, 3) GROUP BY 1 ORDER BY 5 DESC, 1",
    [STORE_Q_DEST_COUNTRIES] =
        "SELECT destination_country, NULL, NULL, 0, count(*), 0"
        CASES_IN_PERIOD("cases_q_dest_country") " AND movement = 2 GROUP BY 1 ORDER BY 5 DESC, 1",
    [STORE_Q_SEX_AGE] =
        "SELECT sex, age_group, NULL, 0, count(*), 0" CASES_IN_PERIOD("cases_q_sex_age")
        " GROUP BY 1, 2 ORDER BY 1,"
        " CASE age_group WHEN 'child' THEN 0 WHEN 'adult' THEN 1 ELSE 2 END",
    [STORE_Q_EXPLOITATION] =
        "WITH g AS (SELECT exploitation AS x, count(*) AS n" CASES_IN_PERIOD("cases_q_exploitation")
        " GROUP BY exploitation),"
        " b(k) AS (VALUES (1), (2), (4), (8), (16), (32))"
        " SELECT b.k, NULL, NULL, 0, sum(g.n), 0 FROM b JOIN g"
        " ON (g.x & b.k) <> 0 GROUP BY b.k ORDER BY b.k",
    [STORE_Q_MOVEMENT] =
        "SELECT movement, NULL, NULL, 0, count(*), 0" CASES_IN_PERIOD("cases_q_movement")
        " GROUP BY 1 ORDER BY 1",
    [STORE_Q_CASES_BY_YEAR] =
        "SELECT NULL, NULL, NULL, identification_date / 10000, count(*), 0"
        CASES_IN_PERIOD("cases_q_year") " GROUP BY identification_date / 10000 ORDER BY 4",
    [STORE_Q_SECTORS] =
        "SELECT labour_sector, NULL, NULL, 0, count(*), 0" CASES_IN_PERIOD("cases_q_sector")
        " AND (exploitation & 2) <> 0 GROUP BY 1 ORDER BY 1"};

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
