/*
 * test_migrate.c - opening databases at other schema versions: an empty
 * SQLite file is migrated on a read-write open and refused read-only; a
 * newer schema is refused; migrations do not run twice.
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
    assert_int_equal(store_schema_version(st), 7);
    assert_int_equal(store_count(st, STORE_CASE, &n, &err), 0);
    assert_int_equal(n, 0);
    store_close(st);
    /* Reopening runs nothing again (a rerun would fail: tables exist). */
    assert_int_equal(store_open(&st, path, STORE_OPEN_READONLY, &err), 0);
    assert_int_equal(store_schema_version(st), 7);
    store_close(st);
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
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
