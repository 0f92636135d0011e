/*
 * support.h - helpers shared by the unit tests: every .c file of
 * tests/support is linked into every test binary.
 */
#ifndef CTIS_TEST_SUPPORT_H
#define CTIS_TEST_SUPPORT_H

#include <stddef.h>

/* Make a new empty folder /tmp/ctis-NAME-XXXXXX into dir (size bytes).
 * 0, or -1 when it cannot be made. */
int test_tmpdir_make(char *dir, size_t size, const char *name);
/* Remove dir and everything in it. 0 or -1. */
int test_tmpdir_remove(const char *dir);
/* The URL of a database NAME of this process on the test PostgreSQL
 * cluster ($CTIS_TEST_PG/ctis_NAME_PID) into url (size bytes). 0, or -1
 * when CTIS_TEST_PG is not set (the test then fails, never skips). */
int test_pg_url(char *url, size_t size, const char *name);

#endif
