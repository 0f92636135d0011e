/*
 * audit.c - the audit trail's writer (ops.h): entries of writes go into
 * the write's own transaction; entries of reads are queued and appended
 * in batches (group commit) by one background thread with its own store
 * handle, every OPS_AUDIT_INTERVAL_MS or when OPS_AUDIT_BATCH are
 * waiting, and once more at close.
 *
 * What a crash can lose (docs/api.md): never the entry of a write that
 * was acknowledged, since it commits with the write; at most the read
 * entries of the last interval (and of a batch whose commit failed, which
 * the thread retries until close). A full queue (OPS_AUDIT_QUEUE_MAX)
 * makes readers wait for the thread instead of dropping entries.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "ops_int.h"

#define OPS_AUDIT_INTERVAL_MS 100
#define OPS_AUDIT_BATCH 512
#define OPS_AUDIT_QUEUE_MAX 65536

struct ops_audit {
    struct store *st;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;     /* the thread: entries waiting or stop */
    pthread_cond_t drained;  /* readers: the queue has room, or flushed */
    struct store_audit *q;
    size_t len;
    size_t cap;
    int stop;
    long flushes;            /* batches written, for ops_audit_sync */
    int failing;             /* the last batch failed */
    struct ctis_err last_err;
};

long long ops_audit_now_ms(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Write the queued entries in one transaction; called by the thread with
 * the lock held, released during the write. */
static void flush_locked(struct ops_audit *a)
{
    struct store_audit *batch = a->q;
    size_t n = a->len;
    struct ctis_err err;
    int rc;

    if (n == 0) {
        return;
    }
    a->q = NULL;
    a->len = 0;
    a->cap = 0;
    pthread_mutex_unlock(&a->lock);
    rc = store_begin(a->st, &err);
    if (rc == 0) {
        rc = store_audit_append(a->st, batch, n, &err);
    }
    if (rc == 0) {
        rc = store_commit(a->st, &err);
    } else {
        store_rollback(a->st);
    }
    pthread_mutex_lock(&a->lock);
    if (rc != 0) {
        /* Put the batch back in front of what came meanwhile. */
        struct store_audit *m = ctis_malloc((n + a->len) * sizeof *m);

        a->failing = 1;
        a->last_err = err;
        if (m != NULL) {
            memcpy(m, batch, n * sizeof *m);
            if (a->len > 0) {
                memcpy(m + n, a->q, a->len * sizeof *m);
            }
            ctis_free(a->q);
            a->q = m;
            a->len += n;
            a->cap = a->len;
        }
    } else {
        a->failing = 0;
    }
    ctis_free(batch);
    a->flushes++;
    pthread_cond_broadcast(&a->drained);
}

static void *run(void *arg)
{
    struct ops_audit *a = arg;

    pthread_mutex_lock(&a->lock);
    while (!a->stop || a->len > 0) {
        if (a->len < OPS_AUDIT_BATCH && !a->stop) {
            struct timespec ts;

            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += OPS_AUDIT_INTERVAL_MS * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&a->wake, &a->lock, &ts);
        }
        if (a->len > 0) {
            int failed_before = a->failing;

            flush_locked(a);
            if (a->failing && failed_before && a->stop) {
                break; /* cannot write at all: give up at close */
            }
        }
    }
    pthread_cond_broadcast(&a->drained);
    pthread_mutex_unlock(&a->lock);
    return NULL;
}

int ops_audit_open(struct ops_audit **out, const char *db_url,
                   struct ctis_err *err)
{
    struct ops_audit *a = ctis_calloc(1, sizeof *a);
    int rc;

    *out = NULL;
    if (a == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = store_open(&a->st, db_url, STORE_OPEN_LEAN, err);
    if (rc != 0) {
        ctis_free(a);
        return rc;
    }
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->wake, NULL);
    pthread_cond_init(&a->drained, NULL);
    if (pthread_create(&a->thread, NULL, run, a) != 0) {
        store_close(a->st);
        pthread_mutex_destroy(&a->lock);
        pthread_cond_destroy(&a->wake);
        pthread_cond_destroy(&a->drained);
        ctis_free(a);
        return ctis_err_set(err, CTIS_ENOMEM, "cannot start the audit "
                                              "thread");
    }
    *out = a;
    return 0;
}

void ops_audit_close(struct ops_audit *a)
{
    if (a == NULL) {
        return;
    }
    pthread_mutex_lock(&a->lock);
    a->stop = 1;
    pthread_cond_signal(&a->wake);
    pthread_mutex_unlock(&a->lock);
    pthread_join(a->thread, NULL);
    ctis_free(a->q);
    store_close(a->st);
    pthread_mutex_destroy(&a->lock);
    pthread_cond_destroy(&a->wake);
    pthread_cond_destroy(&a->drained);
    ctis_free(a);
}

int ops_audit_read(struct ops_audit *a, const struct store_audit *e)
{
    pthread_mutex_lock(&a->lock);
    while (a->len >= OPS_AUDIT_QUEUE_MAX && !a->stop) {
        pthread_cond_signal(&a->wake);
        pthread_cond_wait(&a->drained, &a->lock);
    }
    if (a->len == a->cap) {
        size_t cap = a->cap > 0 ? a->cap * 2 : 64;
        struct store_audit *q = ctis_realloc(a->q, cap * sizeof *q);

        if (q == NULL) {
            pthread_mutex_unlock(&a->lock);
            return CTIS_ENOMEM;
        }
        a->q = q;
        a->cap = cap;
    }
    a->q[a->len++] = *e;
    if (a->len >= OPS_AUDIT_BATCH) {
        pthread_cond_signal(&a->wake);
    }
    pthread_mutex_unlock(&a->lock);
    return 0;
}

int ops_audit_sync(struct ops_audit *a, struct ctis_err *err)
{
    long target;
    int rc = 0;

    pthread_mutex_lock(&a->lock);
    target = a->flushes + (a->len > 0 ? 1 : 0);
    pthread_cond_signal(&a->wake);
    while (a->flushes < target && !a->stop) {
        pthread_cond_wait(&a->drained, &a->lock);
    }
    if (a->failing) {
        rc = ctis_err_set(err, a->last_err.code, "%s", a->last_err.msg);
    }
    pthread_mutex_unlock(&a->lock);
    return rc;
}

/* The entry of one action of o's caller. */
int ops_audit_note(struct ops *o, const char *action, const char *kind,
                   const char *id, int status, int write,
                   struct ctis_err *err)
{
    struct store_audit e;
    const char *role = model_code_name(ops_role_codes, o->who.role);

    memset(&e, 0, sizeof e);
    e.at = ops_audit_now_ms();
    ctis_strlcpy(e.user, ops_actor(o), sizeof e.user);
    ctis_strlcpy(e.role, role != NULL ? role : "?", sizeof e.role);
    ctis_strlcpy(e.agency, o->who.agency, sizeof e.agency);
    ctis_strlcpy(e.action, action, sizeof e.action);
    ctis_strlcpy(e.kind, kind != NULL ? kind : "", sizeof e.kind);
    ctis_strlcpy(e.record, id != NULL ? id : "", sizeof e.record);
    ctis_strlcpy(e.address,
                 o->address != NULL && o->address[0] != '\0' ? o->address
                                                             : "cli",
                 sizeof e.address);
    e.status = status;
    if (write) {
        return store_audit_append(o->st, &e, 1, err);
    }
    return o->audit != NULL ? ops_audit_read(o->audit, &e) : 0;
}

/* One entry in a transaction of its own on st; see ops.h. */
int ops_audit_admin(struct ops *o, struct store *st, const char *action,
                    const char *kind, const char *id, struct ctis_err *err)
{
    struct store *was = o->st;
    int rc = store_begin(st, err);

    if (rc != 0) {
        return rc;
    }
    o->st = st;
    rc = ops_audit_note(o, action, kind, id, 0, 1, err);
    o->st = was;
    if (rc == 0) {
        rc = store_commit(st, err);
    } else {
        store_rollback(st);
    }
    return rc;
}

/* Admins only. */
int ops_audit_list(struct ops *o, const struct store_audit_filter *f,
                   store_audit_fn fn, void *ctx, struct ctis_err *err)
{
    int rc = ops_allow(o, OPS_ADMIN, NULL, NULL, err);

    return rc != 0 ? rc : store_each_audit(o->st, f, fn, ctx, err);
}

/* Admins only: the chain walked by the store. */
int ops_audit_verify(struct ops *o, long *checked, long *bad,
                     struct ctis_err *err)
{
    int rc = ops_allow(o, OPS_ADMIN, NULL, NULL, err);

    return rc != 0 ? rc : store_audit_verify(o->st, checked, bad, err);
}
