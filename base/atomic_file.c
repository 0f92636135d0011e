/*
 * atomic_file.c - output files that appear whole or not at all: a reader
 * (or a crash) never sees half an export, a half list of rejected lines or
 * half a report.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

/* Open PATH.tmp beside the target, so the rename stays on one file
 * system. */
int ctis_atomic_open(struct ctis_atomic_file *a, const char *path,
                     struct ctis_err *err)
{
    a->f = NULL;
    if (ctis_strlcpy(a->path, path, sizeof a->path) >= sizeof a->path) {
        return ctis_err_set(err, CTIS_EINVAL, "output path is too long");
    }
    snprintf(a->tmp, sizeof a->tmp, "%s.tmp", path);
    a->f = fopen(a->tmp, "w");
    if (a->f == NULL) {
        return ctis_err_set(err, CTIS_EIO, "cannot create '%s'", path);
    }
    return 0;
}

/* Every step must succeed for the rename to happen. */
int ctis_atomic_commit(struct ctis_atomic_file *a, struct ctis_err *err)
{
    int failed = fflush(a->f) != 0 || fsync(fileno(a->f)) != 0;

    failed |= fclose(a->f) != 0;
    a->f = NULL;
    if (failed || rename(a->tmp, a->path) != 0) {
        unlink(a->tmp);
        return ctis_err_set(err, CTIS_EIO, "cannot write '%s'", a->path);
    }
    return 0;
}

/* Drop the temporary file. */
void ctis_atomic_abort(struct ctis_atomic_file *a)
{
    if (a->f == NULL) {
        return;
    }
    fclose(a->f);
    a->f = NULL;
    unlink(a->tmp);
}

/* One buffer as the file's whole content. */
int ctis_write_file(const char *path, const void *data, size_t len,
                    struct ctis_err *err)
{
    struct ctis_atomic_file a;
    int rc = ctis_atomic_open(&a, path, err);

    if (rc != 0) {
        return rc;
    }
    if (len > 0 && fwrite(data, 1, len, a.f) != len) {
        ctis_atomic_abort(&a);
        return ctis_err_set(err, CTIS_EIO, "cannot write '%s'", path);
    }
    return ctis_atomic_commit(&a, err);
}
