/*
 * report.h - the country datasheet rendered as JSON, Markdown, a
 * self-contained HTML page, an A4 PDF (English or Khmer), SVG charts or
 * a workbook, following the sections of the UNIAP Cambodia
 * datasheet (shared/seed): who is trafficked, source and destination,
 * cross-border and internal flows, scale, who works against trafficking,
 * repatriations, prosecution, policy instruments.
 *
 * report_gather fills a stats_datasheet from an open store (through
 * store_query and store_each_* only); report_render turns it into text.
 * Counts suppressed by disclosure control are printed as "*" (Markdown,
 * HTML) or null with the field named in the row's "suppressed" list
 * (JSON); a repatriation cell with no record is "N/A".
 */
#ifndef CTIS_REPORT_H
#define CTIS_REPORT_H

#include "base/base.h"
#include "stats/stats.h"
#include "store/store.h"

enum report_format { REPORT_JSON, REPORT_MD, REPORT_HTML, REPORT_PDF,
                     REPORT_SVG, REPORT_XLSX };

/* The format named s ("json", "md", "html", "pdf", "svg", "xlsx"), or
 * -1. */
int report_format_parse(const char *s);

/* Fill ds, initialised by the caller with stats_datasheet_init (period and
 * k), from the store: every aggregate of the datasheet, the agencies,
 * the activities that overlap the period and the instruments; then
 * finish it (totals, disclosure control). On failure ds holds what was
 * gathered so far; the caller releases it either way with
 * stats_datasheet_release. Errors are the store's, or CTIS_ENOMEM. */
int report_gather(struct store *st, struct stats_datasheet *ds,
                  struct ctis_err *err);

/* Append the datasheet in the format (enum report_format) to out. The
 * output depends only on ds: no clock, no locale. 0, CTIS_EINVAL (unknown
 * format) or CTIS_ENOMEM. */
int report_render(const struct stats_datasheet *ds, int format,
                  struct ctis_buf *out, struct ctis_err *err);

/* How a document format is drawn: language (Khmer or English) and, for
 * SVG, which chart (report_chart_parse). */
struct report_doc_opts {
    int km;
    int chart;
};

/* The chart named name ("repatriations", "cases_by_year", "sex_age"), or
 * -1. */
int report_chart_parse(const char *name);

/* Render a PDF (A4) or one chart as SVG of ds into out, in English or
 * Khmer (pango and cairo shape the text). 0, CTIS_EINVAL, CTIS_ENOMEM or
 * CTIS_EIO. */
int report_render_doc(const struct stats_datasheet *ds, int format,
                      const struct report_doc_opts *o, struct ctis_buf *out,
                      struct ctis_err *err);

/* Write the datasheet as a workbook at path (atomically): each table on
 * its own sheet. */
int report_write_workbook(const struct stats_datasheet *ds,
                          const struct report_doc_opts *o, const char *path,
                          struct ctis_err *err);

#endif
