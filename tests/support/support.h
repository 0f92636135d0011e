/*
 * support.h - helpers shared by the unit tests: every .c file of
 * tests/support is linked into every test binary.
 */
#ifndef CTIS_TEST_SUPPORT_H
#define CTIS_TEST_SUPPORT_H

#include <stddef.h>

struct store;

/* Make a new empty folder /tmp/ctis-NAME-XXXXXX into dir (size bytes).
 * 0, or -1 when it cannot be made. */
int test_tmpdir_make(char *dir, size_t size, const char *name);
/* Remove dir and everything in it. 0 or -1. */
int test_tmpdir_remove(const char *dir);
/* The URL of a database NAME of this process on the test PostgreSQL
 * cluster ($CTIS_TEST_PG/ctis_NAME_PID) into url (size bytes). 0, or -1
 * when CTIS_TEST_PG is not set (the test then fails, never skips). */
int test_pg_url(char *url, size_t size, const char *name);

/* Agency ngo-1 and, in one transaction, a case of it for each row of
 * people {case id, given name, family name}, with one identification
 * event: a given name that starts with a byte of Khmer script (0xE1)
 * goes into given_name_km; born[i] is row i's birth, a date YYYYMMDD
 * (over 9999) or a year. 0, or the error of the store or the model
 * (rolled back). */
int test_put_people(struct store *st, const char *const people[][3],
                    size_t n, const int *born);

/* A new set of the keyed Bloom-filter encodings of every record of s
 * (same lists and ids), under the tests' one secret; NULL on an error. */
struct link_set;
struct link_set *test_link_encoded(const struct link_set *s);

#endif
