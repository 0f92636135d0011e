/*
 * disclosure.c - primary and complementary suppression of small counts on
 * plain cells (stats.h). The rules are deliberately simple and local, the
 * way CTDC applies k-anonymity to its published tables:
 *  1. a cell with 0 < n < k is suppressed (primary);
 *  2. in a group of cells bound by one linear relation, one suppressed
 *     cell could be recovered by subtraction, so while a group has exactly
 *     one, the smallest shown non-zero cell of that group is suppressed
 *     too (complementary). Suppression only ever grows, so iterating over
 *     the groups until a pass changes nothing terminates.
 */
#include "stats.h"

/* Primary suppression: a count below k names too few people. */
size_t stats_suppress_primary(struct stats_cell *cells, size_t len, long k)
{
    size_t marked = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        if (cells[i].suppressed == STATS_SHOWN && cells[i].n > 0 &&
            cells[i].n < k) {
            cells[i].suppressed = STATS_PRIMARY;
            marked++;
        }
    }
    return marked;
}

/* One pass over one group; returns 1 when it suppressed a cell. */
static int protect_group(struct stats_group *g)
{
    struct stats_cell *best = NULL;
    size_t hidden = 0;
    size_t i;

    for (i = 0; i < g->n; i++) {
        struct stats_cell *c = g->cells[i];

        if (c->suppressed != STATS_SHOWN) {
            hidden++;
        } else if (c->n > 0 && (best == NULL || c->n < best->n)) {
            best = c;
        }
    }
    if (hidden != 1 || best == NULL) {
        return 0;
    }
    best->suppressed = STATS_COMPLEMENTARY;
    return 1;
}

/* Complementary suppression to a fixed point: a cell suppressed for one
 * group may leave another group with a single hidden cell. */
size_t stats_suppress_complementary(struct stats_group *groups,
                                    size_t n_groups)
{
    size_t marked = 0;
    int changed = 1;

    while (changed) {
        size_t i;

        changed = 0;
        for (i = 0; i < n_groups; i++) {
            if (protect_group(&groups[i])) {
                marked++;
                changed = 1;
            }
        }
    }
    return marked;
}
