/*
 * must_change.c - first passwords: a user given a password by someone
 * else (an admin, make run) must change it before doing anything else;
 * http/ refuses every other route until then.
 */
#include <string.h>

#include "ops_int.h"

int ops_must_change_password(struct ops *o, int *out, struct ctis_err *err)
{
    return store_get_must_change(o->st, o->who.user, out, err);
}

int ops_user_set_must_change(struct ops *o, const char *username, int on,
                             struct ctis_err *err)
{
    int rc = strcmp(username, o->who.user) == 0
                 ? 0
                 : ops_allow(o, OPS_ADMIN, NULL, NULL, err);

    return rc != 0 ? rc : store_set_must_change(o->st, username, on, err);
}
