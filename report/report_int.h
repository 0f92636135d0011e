/*
 * report_int.h - helpers shared inside report/: the renderers of each
 * format and the fixed texts they share.
 */
#ifndef CTIS_REPORT_INT_H
#define CTIS_REPORT_INT_H

#include "report.h"

#define REPORT_TITLE "Human trafficking in and from Cambodia: datasheet"
#define REPORT_DISCLOSURE_RULE                                              \
    "counts n with 0 < n < k are suppressed (primary); where a suppressed " \
    "count could be recovered from a shown total, the smallest other "      \
    "non-zero count of that total is suppressed too (complementary); "      \
    "k <= 1 suppresses nothing"

/* Append the JSON datasheet to out. 0 or CTIS_ENOMEM (out unchanged). */
int report_render_json(const struct stats_datasheet *ds,
                       struct ctis_buf *out, struct ctis_err *err);
/* Append the Markdown (html == 0) or HTML page to out. 0 or CTIS_ENOMEM
 * (out unchanged). */
int report_render_text(const struct stats_datasheet *ds, int html,
                       struct ctis_buf *out, struct ctis_err *err);

/* The estimated total from the store's person links (estimate.c) of the
 * cases identified in the period from..to (years, 0 unbounded), the
 * report's own: out is filled (present 0 with links from fewer than
 * three agencies); counts below k are not published. Errors are the
 * store's, or CTIS_ENOMEM. */
int report_gather_estimate(struct store *st, int from, int to,
                           struct stats_estimate *out, long k,
                           struct ctis_err *err);

#endif
