/*
 * idem.c - idempotent creates: the first answer to a user's key is kept
 * with the create, in its transaction, so a retried request (a lost
 * answer, a double click) gets that answer again and creates nothing.
 * The key is locked first (store_lock), so two requests with the same key
 * at once are serialised on PostgreSQL too (SQLite's write lock already
 * serialises them). Keys older than OPS_IDEM_TTL are forgotten.
 */
#include <string.h>

#include "ops_int.h"

#define OPS_IDEM_TTL (24 * 3600)
#define OPS_IDEM_LOCK_KIND 100

int ops_idem_get(struct ops *o, const char *key, struct ops_idem *out,
                 struct ctis_err *err)
{
    char lock[200];
    int rc;

    snprintf(lock, sizeof lock, "%s\n%s", o->who.user, key);
    rc = store_lock(o->st, OPS_IDEM_LOCK_KIND, lock, err);
    if (rc != 0) {
        return rc;
    }
    rc = store_idem_get(o->st, o->who.user, key, ops_now(o) - OPS_IDEM_TTL,
                        &out->status, &out->body, out->location,
                        sizeof out->location, out->etag, sizeof out->etag,
                        err);
    return rc;
}

int ops_idem_put(struct ops *o, const char *key, const struct ops_idem *in,
                 struct ctis_err *err)
{
    return store_idem_put(o->st, o->who.user, key, ops_now(o), in->status,
                          in->body.data != NULL ? in->body.data : "",
                          in->location, in->etag, err);
}
