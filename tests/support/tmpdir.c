/*
 * tmpdir.c - a scratch folder per test group, for the real database files
 * the tests write, and the names of the databases they write on the test
 * PostgreSQL cluster.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "support.h"

/* mkdtemp under /tmp. */
int test_tmpdir_make(char *dir, size_t size, const char *name)
{
    if ((size_t)snprintf(dir, size, "/tmp/ctis-%s-XXXXXX", name) >= size) {
        return -1;
    }
    return mkdtemp(dir) == NULL ? -1 : 0;
}

/* rm -rf: the folder holds databases with their -wal and -shm files. */
int test_tmpdir_remove(const char *dir)
{
    char cmd[256];

    if ((size_t)snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir) >=
        sizeof cmd) {
        return -1;
    }
    return system(cmd) == 0 ? 0 : -1;
}

int test_pg_url(char *url, size_t size, const char *name)
{
    const char *base = getenv("CTIS_TEST_PG");

    if (base == NULL || base[0] == '\0') {
        return -1;
    }
    snprintf(url, size, "%s/ctis_%s_%d", base, name, (int)getpid());
    return 0;
}
