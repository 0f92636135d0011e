/*
 * table.c - the aggregate result table shared by every backend.
 */
#include <string.h>

#include "store.h"

/* Empty table. */
void store_table_init(struct store_table *t)
{
    t->rows = NULL;
    t->len = 0;
    t->cap = 0;
}

/* Free the rows. */
void store_table_release(struct store_table *t)
{
    if (t == NULL) {
        return;
    }
    ctis_free(t->rows);
    store_table_init(t);
}

/* Grow by doubling and hand back a zeroed row. */
struct store_row *store_table_add(struct store_table *t)
{
    struct store_row *r;

    if (t->len == t->cap) {
        size_t cap = t->cap > 0 ? t->cap * 2 : 16;
        struct store_row *p = ctis_realloc(t->rows, cap * sizeof *p);

        if (p == NULL) {
            return NULL;
        }
        t->rows = p;
        t->cap = cap;
    }
    r = &t->rows[t->len++];
    memset(r, 0, sizeof *r);
    return r;
}
