/*
 * atomic_file.c - the one way ctis creates a file, and the one way it
 * opens a named input.
 *
 * Output appears whole or not at all, and no other local user can read it
 * or steer it:
 *   1. the temporary file is created in the destination's own directory
 *      (so the rename stays on one file system) under a random name with
 *      O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600, then fchmod'ed to 0600, so
 *      neither a pre-created file nor a symlink planted under a guessable
 *      name can receive the data, and the umask cannot widen it;
 *   2. on commit the data is flushed and fsynced, the file renamed over the
 *      destination (rename replaces a symlink there, never its target) and
 *      the directory fsynced, so the new name survives a power cut;
 *   3. on abort or any failure the temporary file is removed.
 * An output path that is empty, too long, a directory, or the same file as
 * one of the command's inputs is refused before anything is created
 * (ctis_output_check). "-" is standard output, and an existing terminal,
 * pipe or character device (/dev/null) is written as it is: a rename
 * would replace the device node itself; so is a name of one of the
 * process's descriptors (/dev/stdout, /dev/fd/N, /proc/self/fd/N, or a
 * link to one), appended to, whatever file it is: a rename would replace
 * the link in /dev.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"

/* The directory part of path ("." when there is none) into dir. */
static void dir_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL) {
        ctis_strlcpy(dir, ".", n);
    } else if (slash == path) {
        ctis_strlcpy(dir, "/", n);
    } else {
        size_t len = (size_t)(slash - path);

        if (len >= n) {
            len = n - 1;
        }
        memcpy(dir, path, len);
        dir[len] = '\0';
    }
}

/* Same device and inode: the two names are one file. */
int ctis_same_file(const char *a, const char *b)
{
    struct stat sa;
    struct stat sb;

    if (a == NULL || b == NULL || stat(a, &sa) != 0 || stat(b, &sb) != 0) {
        return 0;
    }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The same name: the same file, or, when either is absent, the same
 * last component in the same directory (after symlinks). */
int ctis_same_name(const char *a, const char *b)
{
    char da[CTIS_PATH_MAX];
    char db[CTIS_PATH_MAX];
    char ra[CTIS_PATH_MAX];
    char rb[CTIS_PATH_MAX];
    const char *ba = strrchr(a, '/');
    const char *bb = strrchr(b, '/');

    if (ctis_same_file(a, b)) {
        return 1;
    }
    ba = ba != NULL ? ba + 1 : a;
    bb = bb != NULL ? bb + 1 : b;
    if (strcmp(ba, bb) != 0) {
        return 0;
    }
    dir_of(a, da, sizeof da);
    dir_of(b, db, sizeof db);
    return realpath(da, ra) != NULL && realpath(db, rb) != NULL &&
           strcmp(ra, rb) == 0;
}

/* Checks shared by every output path, before anything is created. */
int ctis_output_check(const char *path, const char *const *inputs,
                      size_t n_inputs, struct ctis_err *err)
{
    struct stat st;
    size_t i;

    if (path == NULL || path[0] == '\0') {
        return ctis_err_set(err, CTIS_EARG, "the output file name is empty");
    }
    if (strcmp(path, "-") == 0) {
        return 0;
    }
    if (strlen(path) >= CTIS_PATH_MAX) {
        return ctis_err_set(err, CTIS_EARG,
                            "output path is longer than %d bytes",
                            CTIS_PATH_MAX - 1);
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        return ctis_err_set(err, CTIS_EARG,
                            "output '%s' is a directory, not a file", path);
    }
    for (i = 0; i < n_inputs; i++) {
        if (inputs[i] != NULL && ctis_same_file(path, inputs[i])) {
            return ctis_err_set(err, CTIS_EARG,
                                "output '%s' is one of the command's inputs "
                                "('%s'); it would be overwritten",
                                path, inputs[i]);
        }
    }
    return 0;
}

/* A random temporary name beside the target. */
static int make_tmp_name(struct ctis_atomic_file *a)
{
    unsigned char rnd[8];
    char dir[CTIS_PATH_MAX];
    const char *base = strrchr(a->path, '/');
    size_t i;
    int n;

    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
        return -1;
    }
    base = base != NULL ? base + 1 : a->path;
    dir_of(a->path, dir, sizeof dir);
    n = snprintf(a->tmp, sizeof a->tmp, "%s/.%.64s.", dir, base);
    for (i = 0; i < sizeof rnd && n > 0 && (size_t)n + 2 < sizeof a->tmp;
         i++) {
        n += snprintf(a->tmp + n, sizeof a->tmp - (size_t)n, "%02x", rnd[i]);
    }
    if (n < 0 || (size_t)n + 5 >= sizeof a->tmp) {
        return -1;
    }
    memcpy(a->tmp + n, ".tmp", 5);
    return 0;
}

/* A name of an open descriptor of this process: /dev/stdout, /dev/stderr,
 * /dev/fd/N, /proc/self/fd/N, or a symlink to one of these. */
static int names_descriptor(const char *path)
{
    static const char *const prefixes[] = {"/dev/fd/", "/proc/self/fd/"};
    char target[64];
    ssize_t n;
    size_t i;

    if (strcmp(path, "/dev/stdout") == 0 || strcmp(path, "/dev/stderr") == 0) {
        return 1;
    }
    for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        if (strncmp(path, prefixes[i], strlen(prefixes[i])) == 0) {
            return 1;
        }
    }
    n = readlink(path, target, sizeof target - 1);
    if (n <= 0) {
        return 0;
    }
    target[n] = '\0';
    for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        if (strncmp(target, prefixes[i], strlen(prefixes[i])) == 0) {
            return 1;
        }
    }
    return 0;
}

/* a->path written as it is (a pipe, a device, a descriptor's name). */
static int open_as_is(struct ctis_atomic_file *a, int flags,
                      struct ctis_err *err)
{
    int fd = open(a->path, O_WRONLY | O_NOCTTY | O_CLOEXEC | flags);
    int e;

    if (fd < 0 || (a->f = fdopen(fd, "w")) == NULL) {
        e = errno;
        if (fd >= 0) {
            close(fd);
        }
        return ctis_err_set(err, CTIS_EFILE, "cannot open '%s': %s", a->path,
                            strerror(e));
    }
    a->is_stdout = 2;
    return 0;
}

/* Create the temporary file; see the file comment. */
int ctis_atomic_open(struct ctis_atomic_file *a, const char *path,
                     struct ctis_err *err)
{
    struct stat st;
    int tries;
    int fd = -1;
    int e = 0;
    int rc;

    a->f = NULL;
    a->tmp[0] = '\0';
    a->is_stdout = 0;
    if (path != NULL && strcmp(path, "-") == 0) {
        ctis_strlcpy(a->path, path, sizeof a->path);
        a->f = stdout;
        a->is_stdout = 1;
        return 0;
    }
    rc = ctis_output_check(path, NULL, 0, err);
    if (rc != 0) {
        return rc;
    }
    ctis_strlcpy(a->path, path, sizeof a->path);
    if (names_descriptor(path)) {
        /* /dev/stdout of a shell's "> FILE": the descriptor's file,
         * appended to; never a new file renamed over the link in /dev
         * (which, as root, replaced /dev/stdout for every process, and
         * left FILE empty) */
        return open_as_is(a, O_APPEND, err);
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A terminal, pipe or device (/dev/stdout, /dev/null) is written
         * as it is: renaming over it would replace the device node. */
        if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
            return ctis_err_set(err, CTIS_EARG,
                                "output '%s' is not a regular file, a "
                                "terminal or a pipe", path);
        }
        /* Only ours or root's: another user's pipe or terminal (planted
         * behind a symlink in a shared directory) would receive the
         * data. */
        if (st.st_uid != geteuid() && st.st_uid != 0) {
            return ctis_err_set(err, CTIS_EARG,
                                "output '%s' is a pipe or device of another "
                                "user", path);
        }
        return open_as_is(a, 0, err);
    }
    for (tries = 0; tries < 16 && fd < 0; tries++) {
        if (make_tmp_name(a) != 0) {
            return ctis_err_set(err, CTIS_EFILE, "cannot create '%s'", path);
        }
        fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0600);
        e = errno;
        if (fd < 0 && e != EEXIST) {
            break;
        }
    }
    if (fd < 0) {
        a->tmp[0] = '\0';
        return ctis_err_set(err, e == ENOENT ? CTIS_ENOTFOUND : CTIS_EFILE,
                            "cannot create '%s': %s", path, strerror(e));
    }
    if (fchmod(fd, 0600) != 0) {
        e = errno;
        close(fd);
        unlink(a->tmp);
        a->tmp[0] = '\0';
        return ctis_err_set(err, CTIS_EFILE, "cannot create '%s': %s", path,
                            strerror(e));
    }
    a->f = fdopen(fd, "w");
    if (a->f == NULL) {
        close(fd);
        unlink(a->tmp);
        a->tmp[0] = '\0';
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    return 0;
}

/* fsync the directory holding path, so a rename in it is durable. */
static int sync_dir(const char *path)
{
    char dir[CTIS_PATH_MAX];
    int fd;
    int rc;

    dir_of(path, dir, sizeof dir);
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* Every step must succeed for the rename to happen. */
/* Commit: flush, sync, close, then rename over the path (replace) or
 * link to it, failing when it exists (no replace). */
static int commit(struct ctis_atomic_file *a, int replace,
                  struct ctis_err *err);

int ctis_atomic_commit(struct ctis_atomic_file *a, struct ctis_err *err)
{
    return commit(a, 1, err);
}

int ctis_atomic_commit_new(struct ctis_atomic_file *a, struct ctis_err *err)
{
    return commit(a, 0, err);
}

static int commit(struct ctis_atomic_file *a, int replace,
                  struct ctis_err *err)
{
    int failed;

    if (a->f == NULL) {
        return ctis_err_set(err, CTIS_EINTERNAL, "output was not open");
    }
    if (a->is_stdout) {
        int failed = fflush(a->f) != 0;

        if (a->is_stdout == 2) {
            failed |= fclose(a->f) != 0;
        }
        a->f = NULL;
        if (failed) {
            return ctis_err_set(err, CTIS_EFILE, "cannot write '%s'",
                                a->path);
        }
        return 0;
    }
    failed = fflush(a->f) != 0 || fsync(fileno(a->f)) != 0;
    failed |= fclose(a->f) != 0;
    a->f = NULL;
    if (!failed && !replace) {
        /* link fails when the path exists, whatever appeared there since
         * the caller looked; then the temporary name goes */
        if (link(a->tmp, a->path) != 0) {
            int e = errno;

            unlink(a->tmp);
            a->tmp[0] = '\0';
            return ctis_err_set(err, e == EEXIST ? CTIS_EEXIST : CTIS_EFILE,
                                "cannot write '%s': %s", a->path,
                                strerror(e));
        }
        unlink(a->tmp);
    } else if (failed || rename(a->tmp, a->path) != 0) {
        int e = errno;

        unlink(a->tmp);
        a->tmp[0] = '\0';
        return ctis_err_set(err, CTIS_EFILE, "cannot write '%s': %s",
                            a->path, strerror(e));
    }
    a->tmp[0] = '\0';
    if (sync_dir(a->path) != 0) {
        return ctis_err_set(err, CTIS_EFILE, "cannot sync the directory of "
                            "'%s'", a->path);
    }
    return 0;
}

/* Drop the temporary file. */
void ctis_atomic_abort(struct ctis_atomic_file *a)
{
    if (a->f == NULL) {
        return;
    }
    if (a->is_stdout) {
        if (a->is_stdout == 2) {
            fclose(a->f);
        }
        a->f = NULL;
        return;
    }
    fclose(a->f);
    a->f = NULL;
    unlink(a->tmp);
    a->tmp[0] = '\0';
}

/* See base.h. */
int ctis_atomic_fd_name(const struct ctis_atomic_file *a, char *out,
                        size_t n, struct ctis_err *err)
{
    if (a->f == NULL || a->is_stdout) {
        return ctis_err_set(err, CTIS_EARG,
                            "output '%s' is not a file; this format is "
                            "written with seeks (give --output FILE)",
                            a->path);
    }
    snprintf(out, n, "/proc/self/fd/%d", fileno(a->f));
    return 0;
}

/* See base.h. */
void ctis_atomic_dir(const struct ctis_atomic_file *a, char *out, size_t n)
{
    dir_of(a->path, out, n);
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
        return ctis_err_set(err, CTIS_EFILE, "cannot write '%s'", path);
    }
    return ctis_atomic_commit(&a, err);
}

/* Create an empty file owner-only, for a database that a library (SQLite)
 * then opens by name; an existing file is left as it is. */
int ctis_create_private(const char *path, struct ctis_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0600);

    if (fd < 0) {
        if (errno == EEXIST) {
            return 0;
        }
        return ctis_err_set(err, errno == ENOENT ? CTIS_ENOTFOUND : CTIS_EFILE,
                            "cannot create '%s': %s", path, strerror(errno));
    }
    if (fchmod(fd, 0600) != 0 || fsync(fd) != 0) {
        int e = errno;

        close(fd);
        unlink(path);
        return ctis_err_set(err, CTIS_EFILE, "cannot create '%s': %s", path,
                            strerror(e));
    }
    close(fd);
    sync_dir(path);
    return 0;
}

/* The one way to open a named input: "-" is stdin, a directory is refused
 * as a bad argument, a missing file is not found. */
int ctis_open_input(const char *path, FILE **out, struct ctis_err *err)
{
    struct stat st;
    FILE *f;

    *out = NULL;
    if (path == NULL || path[0] == '\0') {
        return ctis_err_set(err, CTIS_EARG, "the input file name is empty");
    }
    if (strcmp(path, "-") == 0) {
        *out = stdin;
        return 0;
    }
    f = fopen(path, "rb");
    if (f == NULL) {
        int e = errno;

        return ctis_err_set(err, e == ENOENT ? CTIS_ENOTFOUND : CTIS_EFILE,
                            "cannot open '%s': %s", path, strerror(e));
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return ctis_err_set(err, CTIS_EARG,
                            "'%s' is a directory, not a file", path);
    }
    *out = f;
    return 0;
}
