/*
 * test_migrate.c - opening databases at other schema versions: an empty
 * SQLite file is migrated on a read-write open and refused read-only; a
 * newer schema is refused; migrations do not run twice; migration 8
 * rebuilds person_bidx without its foreign key and keeps its rows;
 * migration 9 writes each person row's list of its blind index rows and
 * drops the index by case_rid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/support.h"
#include <sqlite3.h>

#include "store/store.h"

static char dir[64];

static int group_setup(void **state)
{
    (void)state;
    return test_tmpdir_make(dir, sizeof dir, "migrate");
}

static int group_teardown(void **state)
{
    (void)state;
    return test_tmpdir_remove(dir);
}

/* Create a SQLite file with SQL run by plain sqlite3. */
static void raw_db(const char *path, const char *sql)
{
    sqlite3 *db = NULL;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_empty_file_is_migrated(void **state)
{
    struct store *st = NULL;
    struct ctis_err err;
    char path[128];
    long n = -1;

    (void)state;
    snprintf(path, sizeof path, "%s/empty.db", dir);
    raw_db(path, "CREATE TABLE other(x); DROP TABLE other;");
    assert_int_equal(store_open(&st, path, STORE_OPEN_READONLY, &err),
                     CTIS_EUNSUPPORTED);
    assert_null(st);
    assert_non_null(strstr(err.msg, path));
    assert_int_equal(store_open(&st, path, 0, &err), 0);
    assert_int_equal(store_schema_version(st), 9);
    assert_int_equal(store_count(st, STORE_CASE, &n, &err), 0);
    assert_int_equal(n, 0);
    store_close(st);
    /* Reopening runs nothing again (a rerun would fail: tables exist). */
    assert_int_equal(store_open(&st, path, STORE_OPEN_READONLY, &err), 0);
    assert_int_equal(store_schema_version(st), 9);
    store_close(st);
}

/* One integer from SQL run by plain sqlite3. */
static long raw_long(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    long v;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    v = (long)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static void test_bidx_foreign_key_dropped(void **state)
{
    struct store *st = NULL;
    struct ctis_err err;
    char path[128];

    (void)state;
    snprintf(path, sizeof path, "%s/bidx6.db", dir);
    assert_int_equal(store_open(&st, path, STORE_OPEN_CREATE, &err), 0);
    store_close(st);
    /* back to schema 7: the table as migration 5 made it, two rows; the
     * person rows without migration 9's list */
    raw_db(path, "ALTER TABLE person_identity DROP COLUMN bidx;"
                 "DROP TABLE person_bidx;"
                 "CREATE TABLE person_bidx (h BLOB NOT NULL,"
                 " case_rid INTEGER NOT NULL REFERENCES cases(rid)"
                 " ON DELETE CASCADE, PRIMARY KEY (h, case_rid))"
                 " WITHOUT ROWID;"
                 "CREATE INDEX person_bidx_case ON person_bidx(case_rid);"
                 "INSERT INTO person_bidx VALUES (x'01', 7), (x'02', 8);"
                 "PRAGMA user_version = 7;");
    assert_int_equal(raw_long(path, "SELECT count(*) FROM"
                                    " pragma_foreign_key_list('person_bidx')"),
                     1);
    assert_int_equal(store_open(&st, path, 0, &err), 0);
    assert_int_equal(store_schema_version(st), 9);
    store_close(st);
    assert_int_equal(raw_long(path, "SELECT count(*) FROM"
                                    " pragma_foreign_key_list('person_bidx')"),
                     0);
    assert_int_equal(raw_long(path, "SELECT count(*) FROM person_bidx"
                                    " WHERE (h, case_rid) IN (VALUES"
                                    " (x'01', 7), (x'02', 8))"),
                     2);
    assert_int_equal(raw_long(path, "SELECT count(*) FROM sqlite_master"
                                    " WHERE name = 'person_bidx_case'"),
                     0);
    assert_int_equal(raw_long(path, "SELECT count(*) FROM sqlite_master"
                                    " WHERE name = 'person_bidx_8'"),
                     0);
}

static void test_newer_schema_refused(void **state)
{
    struct store *st = NULL;
    struct ctis_err err;
    char path[128];

    (void)state;
    snprintf(path, sizeof path, "%s/newer.db", dir);
    raw_db(path, "PRAGMA user_version = 99");
    assert_int_equal(store_open(&st, path, 0, &err), CTIS_EUNSUPPORTED);
    assert_null(st);
    assert_non_null(strstr(err.msg, "schema version 99"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_file_is_migrated),
        cmocka_unit_test(test_newer_schema_refused),
        cmocka_unit_test(test_bidx_foreign_key_dropped),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
