/*
 * pg_dump.c - snapshots of a PostgreSQL database for 'ctis backup' and
 * their restore: pg_dump's custom format (-Fc, one consistent snapshot
 * while others write) read from a pipe, and pg_restore fed through one
 * into a database that did not exist. Nothing is written to a temporary
 * file: the caller seals the dump as it streams (cmd_backup.c).
 *
 * The child gets the connection from the URL as libpq environment
 * variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE...), never on
 * its command line, and never a password: a URL with one is refused
 * before this (store_url_has_password), and pg_dump reads the password
 * file (~/.pgpass or PGPASSFILE) that ctis's libpq reads. Its messages go
 * to /dev/null (they may quote the server's); a failure is reported by
 * exit status. CTIS_PG_BIN names the folder of pg_dump and pg_restore
 * (default: found on PATH).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pg_int.h"

/* Set the child's libpq environment from url (never a password). */
static void child_env(const char *url)
{
    PQconninfoOption *opts = PQconninfoParse(url, NULL);
    PQconninfoOption *o;

    unsetenv("PGPASSWORD");
    for (o = opts; o != NULL && o->keyword != NULL; o++) {
        if (o->envvar != NULL && o->val != NULL && o->val[0] != '\0' &&
            strcmp(o->keyword, "password") != 0) {
            setenv(o->envvar, o->val, 1);
        }
    }
    PQconninfoFree(opts);
}

/* prog (pg_dump or pg_restore) with args, its stdout (to_child 0) or
 * stdin (to_child 1) on *fd. */
static int spawn(const char *prog, const char *const *args, const char *url,
                 int to_child, int *fd, pid_t *pid, struct ctis_err *err)
{
    const char *dir = getenv("CTIS_PG_BIN");
    char path[512];
    char *argv[16];
    int p[2];
    int i;

    if (dir != NULL && dir[0] != '\0') {
        snprintf(path, sizeof path, "%s/%s", dir, prog);
    } else {
        ctis_strlcpy(path, prog, sizeof path);
    }
    argv[0] = path;
    for (i = 0; args[i] != NULL && i < 14; i++) {
        argv[i + 1] = (char *)args[i];
    }
    argv[i + 1] = NULL;
    if (pipe(p) != 0) {
        return ctis_err_set(err, CTIS_EIO, "cannot start %s: %s", prog,
                            strerror(errno));
    }
    *pid = fork();
    if (*pid < 0) {
        close(p[0]);
        close(p[1]);
        return ctis_err_set(err, CTIS_EIO, "cannot start %s: %s", prog,
                            strerror(errno));
    }
    if (*pid == 0) {
        int null = open("/dev/null", O_RDWR);

        child_env(url);
        dup2(to_child ? p[0] : p[1], to_child ? 0 : 1);
        if (null >= 0) {
            dup2(null, 2);
            if (to_child) {
                dup2(null, 1);
            }
        }
        close(p[0]);
        close(p[1]);
        execvp(path, argv);
        _exit(127);
    }
    close(to_child ? p[0] : p[1]);
    *fd = to_child ? p[1] : p[0];
    return 0;
}

/* Wait for the child; 0 when it exited 0. */
static int reap(const char *prog, pid_t pid, int rc, struct ctis_err *err)
{
    int status = 0;

    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (rc != 0) {
        return rc;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        return ctis_err_set(err, CTIS_EUNSUPPORTED,
                            "%s was not found (install postgresql-client, "
                            "or set CTIS_PG_BIN)",
                            prog);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return ctis_err_set(err, CTIS_EIO,
                            "%s failed (status %d); run it by hand to see "
                            "why",
                            prog,
                            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    return 0;
}

int pg_snapshot(struct store *st, store_snapshot_fn fn, void *ctx,
                struct ctis_err *err)
{
    static const char *const args[] = {"--format=custom", "--no-owner",
                                       "--no-privileges", NULL};
    struct store_pg *p = (struct store_pg *)st;
    pid_t pid = 0;
    FILE *in;
    int fd = -1;
    int rc = spawn("pg_dump", args, p->url, 0, &fd, &pid, err);

    if (rc != 0) {
        return rc;
    }
    in = fdopen(fd, "rb");
    if (in == NULL) {
        close(fd);
        kill(pid, SIGTERM);
        return reap("pg_dump", pid,
                    ctis_err_set(err, CTIS_ENOMEM, "cannot read pg_dump"),
                    err);
    }
    rc = fn(ctx, in);
    if (rc != 0) {
        kill(pid, SIGTERM);
    }
    fclose(in);
    return reap("pg_dump", pid, rc, err);
}

int store_pg_restore(const char *url, store_restore_fn fn, void *ctx,
                     struct ctis_err *err)
{
    char dbname[256] = "";
    const char *args[] = {"--no-owner", "--no-privileges", "--exit-on-error",
                          "--single-transaction", "--dbname", dbname, NULL};
    PQconninfoOption *opts;
    PQconninfoOption *o;
    void (*old)(int);
    pid_t pid = 0;
    FILE *out;
    int fd = -1;
    int rc = store_pq_load(err);

    if (rc != 0) {
        return rc;
    }
    opts = PQconninfoParse(url, NULL);
    for (o = opts; o != NULL && o->keyword != NULL; o++) {
        if (strcmp(o->keyword, "dbname") == 0 && o->val != NULL) {
            ctis_strlcpy(dbname, o->val, sizeof dbname);
        }
    }
    PQconninfoFree(opts);
    if (dbname[0] == '\0') {
        return ctis_err_set(err, CTIS_EARG,
                            "no database name in the URL to restore into");
    }
    rc = pg_create_new(url, err);
    if (rc == 0) {
        rc = spawn("pg_restore", args, url, 1, &fd, &pid, err);
    }
    if (rc != 0) {
        return rc;
    }
    old = signal(SIGPIPE, SIG_IGN);
    out = fdopen(fd, "wb");
    if (out == NULL) {
        close(fd);
        rc = ctis_err_set(err, CTIS_ENOMEM, "cannot write to pg_restore");
    } else {
        rc = fn(ctx, out);
        if (fclose(out) != 0 && rc == 0) {
            rc = ctis_err_set(err, CTIS_EIO, "pg_restore stopped reading");
        }
    }
    rc = reap("pg_restore", pid, rc, err);
    signal(SIGPIPE, old);
    if (rc != 0) {
        struct ctis_err ignored;

        ctis_err_clear(&ignored);
        pg_drop_new(url, &ignored);
    }
    return rc;
}
