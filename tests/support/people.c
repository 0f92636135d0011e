/*
 * people.c - a small set of named persons written straight into a store,
 * for the tests of sealing, blind indexes and blocking.
 */
#include <string.h>

#include "model/model.h"
#include "store/store.h"
#include "support.h"

int test_put_people(struct store *st, const char *const people[][3],
                    size_t n, const int *born)
{
    struct model_agency a;
    size_t i;
    int rc;

    model_agency_init(&a);
    ctis_strlcpy(a.id, "ngo-1", sizeof a.id);
    ctis_strlcpy(a.name, "NGO", sizeof a.name);
    rc = store_begin(st, NULL);
    if (rc == 0) {
        rc = store_put_agency(st, &a, NULL);
    }
    for (i = 0; i < n && rc == 0; i++) {
        struct model_case c;
        struct model_event e;

        model_case_init(&c);
        ctis_strlcpy(c.id, people[i][0], sizeof c.id);
        ctis_strlcpy(c.agency, "ngo-1", sizeof c.agency);
        if (people[i][1][0] == '\xe1') {
            ctis_strlcpy(c.person.given_name_km, people[i][1],
                         sizeof c.person.given_name_km);
        } else {
            ctis_strlcpy(c.person.given_name, people[i][1],
                         sizeof c.person.given_name);
        }
        ctis_strlcpy(c.person.family_name, people[i][2],
                     sizeof c.person.family_name);
        if (born[i] > 9999) {
            c.person.birth_date = born[i];
        } else {
            c.person.birth_year = born[i];
        }
        memset(&e, 0, sizeof e);
        e.type = MODEL_EV_IDENTIFICATION;
        e.date = 20070301;
        rc = model_case_add_event(&c, &e);
        if (rc == 0) {
            rc = store_put_case(st, &c, NULL);
        }
        model_case_release(&c);
    }
    if (rc == 0) {
        return store_commit(st, NULL);
    }
    store_rollback(st);
    return rc;
}
