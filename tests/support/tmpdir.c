/*
 * tmpdir.c - a scratch folder per test group, for the real database files
 * the tests write.
 */
#include <stdio.h>
#include <stdlib.h>

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
