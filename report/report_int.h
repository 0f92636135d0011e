/*
 * report_int.h - helpers shared inside report/: the renderers of each
 * format and the fixed texts they share.
 */
#ifndef CTIS_REPORT_INT_H
#define CTIS_REPORT_INT_H

#include <cairo.h>
#include <pango/pangocairo.h>

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

/* ---- the datasheet as a document (doc.c) ------------------------------
 * Blocks in the seed's order, all text in English or Khmer; drawn as PDF
 * (pdf.c), charts as SVG (svg.c), tables as workbook sheets (xlsx.c). */
enum { REPORT_B_HEADING, REPORT_B_PARA, REPORT_B_TABLE, REPORT_B_CHART };

struct report_cell {
    const char *text; /* "*" when suppressed, "N/A" */
    long n;
    int is_number;
    int suppressed;
};

struct report_table {
    char sheet[32];          /* the workbook sheet's name */
    const char *caption;
    int ncols;
    const char *heads[8];
    struct report_cell *cells; /* row-major, nrows * ncols */
    size_t ncells;
    size_t cap;
    size_t nrows;
};

struct report_block {
    int kind;
    int level;           /* heading: 1 title, 2 section, 3 sub-section */
    const char *text;    /* heading, paragraph */
    struct report_table *table;
    int pair;            /* 0 full width, 1 left half, 2 right half */
    int chart;           /* REPORT_CHART_* */
};

#define REPORT_CHART_MAX 24
enum { REPORT_CHART_REPATRIATIONS, REPORT_CHART_YEARS, REPORT_CHART_SEX_AGE,
       REPORT_CHARTS };

/* Bars: categories along the axis, one bar per series in each. */
struct report_chart {
    char name[32];
    char title[256];
    int ncat;
    char cat[REPORT_CHART_MAX][48];
    int nseries;
    char series[4][96];
    long v[4][REPORT_CHART_MAX];
    int hidden[4][REPORT_CHART_MAX]; /* suppressed: drawn hatched, no value */
};

struct report_doc {
    int km;
    struct report_block *blocks;
    size_t n;
    size_t cap;
    struct report_chart charts[REPORT_CHARTS];
    struct ctis_arena arena;
};

/* The Khmer text of a fixed English text when km is set and we have one,
 * else en. */
const char *report_tr(int km, const char *en);
/* Build d from a finished datasheet. 0 or CTIS_ENOMEM (d empty). */
int report_doc_build(const struct stats_datasheet *ds, int km,
                     struct report_doc *d, struct ctis_err *err);
void report_doc_release(struct report_doc *d);

/* Drawing shared by svg.c and pdf.c (cairo and pango). */
double report_text(cairo_t *cr, int km, const char *s, double x, double y,
                   double size, int bold, int centre, double width);
void report_text_right(cairo_t *cr, int km, const char *s, double x,
                       double y, double size, int bold, double width);
/* Chart c in the box (x, y, w, h), points. */
void report_draw_chart(cairo_t *cr, const struct report_chart *c, int km,
                       double x, double y, double w, double h);
/* Finish and destroy sf; 0, or its failure as CTIS_ENOMEM / CTIS_EIO. */
int report_cairo_status(cairo_surface_t *sf, const char *what,
                        struct ctis_err *err);
/* The years the repatriation tables show: the period, or where it is
 * open the years with records (at most 201). 0 when there is none. */
int report_repat_years(const struct stats_datasheet *ds, int *lo, int *hi);
cairo_status_t report_cairo_write(void *closure, const unsigned char *data,
                                  unsigned int length);

/* PDF, one chart as SVG, the workbook. */
int report_render_pdf(const struct report_doc *d, struct ctis_buf *out,
                      struct ctis_err *err);
int report_render_svg(const struct report_doc *d, int chart,
                      struct ctis_buf *out, struct ctis_err *err);
int report_write_xlsx(const struct report_doc *d, const char *path,
                      struct ctis_err *err);

#endif
