/*
 * test_iofault.c - I/O faults (STYLE.md section 9): a shim SQLite VFS over
 * the default one fails the Nth write or sync after it is armed. Each run
 * puts a case and commits with the fault armed, closes, reopens without
 * faults and checks the case is wholly there (every event, the counters
 * agreeing) or wholly absent, and there whenever commit said yes.
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

/* Test-only fault state (STYLE.md 5 allows test counters). */
static sqlite3_vfs *real;
static long fault_at = -1; /* fail the call with this number; -1 off */
static long io_calls;
static int faulted;
static char dir[64];

struct shim_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same block */
};

static int fault(void)
{
    if (fault_at < 0) {
        return 0;
    }
    if (io_calls++ == fault_at) {
        faulted = 1;
        return 1;
    }
    return 0;
}

#define REAL(f) (((struct shim_file *)(f))->real)

static int x_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}

static int x_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}

static int x_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    if (fault()) {
        return SQLITE_IOERR_WRITE;
    }
    return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}

static int x_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int x_sync(sqlite3_file *f, int flags)
{
    if (fault()) {
        return SQLITE_IOERR_FSYNC;
    }
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int x_size(sqlite3_file *f, sqlite3_int64 *out)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), out);
}

static int x_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}

static int x_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}

static int x_check(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int x_fcntl(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int x_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int x_devchar(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int x_shm_map(sqlite3_file *f, int pg, int sz, int ext,
                     void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}

static int x_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void x_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int x_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int x_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int x_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods shim_io = {
    3, x_close, x_read, x_write, x_truncate, x_sync, x_size, x_lock,
    x_unlock, x_check, x_fcntl, x_sector, x_devchar, x_shm_map,
    x_shm_lock, x_shm_barrier, x_shm_unmap, x_fetch, x_unfetch};

static int x_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
                  int flags, int *out_flags)
{
    struct shim_file *s = (struct shim_file *)f;
    int rc;

    (void)vfs;
    s->real = (sqlite3_file *)(s + 1);
    rc = real->xOpen(real, name, s->real, flags, out_flags);
    s->base.pMethods = s->real->pMethods != NULL ? &shim_io : NULL;
    return rc;
}

static int x_delete(sqlite3_vfs *v, const char *name, int sync)
{
    (void)v;
    return real->xDelete(real, name, sync);
}

static int x_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return real->xAccess(real, name, flags, out);
}

static int x_full(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return real->xFullPathname(real, name, n, out);
}

static int x_random(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real->xRandomness(real, n, out);
}

static int x_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return real->xSleep(real, us);
}

static int x_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return real->xCurrentTime(real, out);
}

static int x_lasterr(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real->xGetLastError(real, n, out);
}

static int x_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return real->xCurrentTimeInt64(real, out);
}

static sqlite3_vfs shim_vfs = {
    2, 0, 0, NULL, "ctis_fault", NULL, x_open, x_delete, x_access, x_full,
    NULL, NULL, NULL, NULL, x_random, x_sleep, x_time, x_lasterr, x_time64,
    NULL, NULL, NULL};

static int group_setup(void **state)
{
    (void)state;
    if (test_tmpdir_make(dir, sizeof dir, "iofault") != 0) {
        return -1;
    }
    /* This initialises SQLite before store_open can route its allocator
     * through ctis_malloc; this binary tests I/O, not memory. */
    real = sqlite3_vfs_find(NULL);
    if (real == NULL) {
        return -1;
    }
    shim_vfs.szOsFile = (int)sizeof(struct shim_file) + real->szOsFile;
    shim_vfs.mxPathname = real->mxPathname;
    return sqlite3_vfs_register(&shim_vfs, 1) == SQLITE_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    sqlite3_vfs_unregister(&shim_vfs);
    return test_tmpdir_remove(dir);
}

static void make_case(struct model_case *c, int i)
{
    struct model_event e;
    int k;

    model_case_init(c);
    snprintf(c->id, sizeof c->id, "C-%d", i);
    ctis_strlcpy(c->agency, "ngo-1", sizeof c->agency);
    c->movement = MODEL_MOV_INTERNAL;
    ctis_strlcpy(c->person.given_name, "Name", sizeof c->person.given_name);
    for (k = 0; k < 5; k++) {
        memset(&e, 0, sizeof e);
        e.type = k == 0 ? MODEL_EV_IDENTIFICATION : MODEL_EV_SERVICE;
        e.date = 20100101 + k;
        assert_int_equal(model_case_add_event(c, &e), 0);
    }
}

static long cases_counted(struct store *st)
{
    struct store_table t;
    struct ctis_err err;
    long n = 0;
    size_t i;

    store_table_init(&t);
    assert_int_equal(store_query(st, STORE_Q_CASES_BY_YEAR, 0, 0, &t, &err),
                     0);
    for (i = 0; i < t.len; i++) {
        n += t.rows[i].n[0];
    }
    store_table_release(&t);
    return n;
}

/* After reopening: C-i wholly there (5 events) or wholly absent, and the
 * counters agree with the number of cases. */
static int check_reopened(const char *path, int i, long *present)
{
    struct store *st = NULL;
    struct model_case got;
    struct ctis_err err;
    char id[32];
    long n;
    int rc;

    assert_int_equal(store_open(&st, path, 0, &err), 0);
    model_case_init(&got);
    snprintf(id, sizeof id, "C-%d", i);
    rc = store_get_case(st, id, &got, &err);
    if (rc == 0) {
        assert_int_equal(got.n_events, 5);
        (*present)++;
    } else {
        assert_int_equal(rc, CTIS_ENOTFOUND);
    }
    assert_int_equal(store_count(st, STORE_CASE, &n, &err), 0);
    assert_int_equal(n, *present);
    assert_int_equal(cases_counted(st), *present);
    model_case_release(&got);
    store_close(st);
    return rc == 0;
}

static void test_io_faults(void **state)
{
    struct store *st = NULL;
    struct model_agency a;
    struct model_case c;
    struct ctis_err err;
    char path[128];
    long present = 0;
    int i;

    (void)state;
    snprintf(path, sizeof path, "%s/io.db", dir);
    assert_int_equal(store_open(&st, path, STORE_OPEN_CREATE, &err), 0);
    model_agency_init(&a);
    ctis_strlcpy(a.id, "ngo-1", sizeof a.id);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_put_agency(st, &a, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    store_close(st);
    for (i = 0; i < 1000; i++) {
        int rc;

        make_case(&c, i);
        assert_int_equal(store_open(&st, path, 0, &err), 0);
        io_calls = 0;
        faulted = 0;
        fault_at = i;
        rc = store_begin(st, &err);
        if (rc == 0) {
            rc = store_put_case(st, &c, &err);
        }
        if (rc == 0) {
            rc = store_commit(st, &err);
        }
        if (rc != 0) {
            assert_true(rc == CTIS_EIO || rc == CTIS_ECORRUPT);
            store_rollback(st);
        }
        store_close(st);
        fault_at = -1;
        model_case_release(&c);
        if (check_reopened(path, i, &present) == 0) {
            assert_int_not_equal(rc, 0);
        }
        if (!faulted) {
            break;
        }
    }
    print_message("# %d runs, %ld committed\n", i + 1, present);
    assert_true(i > 2);
    assert_true(i < 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io_faults),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
