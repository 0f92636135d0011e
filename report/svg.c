/*
 * svg.c - the datasheet's charts drawn with cairo, text laid out and
 * shaped by pango (Khmer needs shaping: its vowels and subscript
 * consonants are placed around the base consonant by the font's rules,
 * which drawing glyphs one by one gets wrong). The same drawing serves
 * the PDF (pdf.c) and each chart alone as SVG.
 *
 * A chart: title, grouped vertical bars (one group per category, one bar
 * per series), a value above each bar, a legend; a suppressed value is a
 * hatched bar of no height with "*".
 */
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "report_int.h"

static const double colours[4][3] = {{0.12, 0.47, 0.71},
                                     {1.00, 0.50, 0.05},
                                     {0.17, 0.63, 0.17},
                                     {0.58, 0.40, 0.74}};

/* A layout of s in the family for the language, size and weight; width
 * > 0 wraps it. Unref it after use. */
static PangoLayout *layout(cairo_t *cr, int km, const char *s, double size,
                           int bold, double width)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *f = pango_font_description_new();

    pango_font_description_set_family(f, km ? "Noto Sans Khmer, Khmer OS, "
                                              "Noto Sans"
                                            : "Noto Sans, DejaVu Sans");
    pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
    pango_font_description_set_weight(f, bold ? PANGO_WEIGHT_BOLD
                                              : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, f);
    pango_font_description_free(f);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l, s, -1);
    return l;
}

/* Draw text at (x, y) (its top left, or centred on x when centre), in the
 * family and size; returns its height. */
double report_text(cairo_t *cr, int km, const char *s, double x, double y,
                   double size, int bold, int centre, double width)
{
    PangoLayout *l = layout(cr, km, s, size, bold, width);
    int w;
    int h;

    pango_layout_get_pixel_size(l, &w, &h);
    cairo_move_to(cr, centre ? x - w / 2.0 : x, y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return h;
}

/* Text whose right edge is at x (numbers in tables). */
void report_text_right(cairo_t *cr, int km, const char *s, double x,
                       double y, double size, int bold, double width)
{
    PangoLayout *l = layout(cr, km, s, size, bold, width);

    pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
    cairo_move_to(cr, x - width, y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
}

/* A surface's final status as a ctis error. */
int report_cairo_status(cairo_surface_t *sf, const char *what,
                        struct ctis_err *err)
{
    cairo_status_t st;

    cairo_surface_finish(sf);
    st = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    if (st == CAIRO_STATUS_SUCCESS) {
        return 0;
    }
    return ctis_err_set(err,
                        st == CAIRO_STATUS_NO_MEMORY ? CTIS_ENOMEM : CTIS_EIO,
                        "cannot draw the %s: %s", what,
                        cairo_status_to_string(st));
}

/* See report_int.h. */
void report_draw_chart(cairo_t *cr, const struct report_chart *c, int km,
                       double x, double y, double w, double h)
{
    double top = y + 22;
    double legend = 18;
    double bottom = y + h - 20 - legend;
    double left = x + 10;
    double gw;
    double bw;
    long max = 1;
    int i;
    int s;

    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    report_text(cr, km, c->title, x, y, 11, 1, 0, w);
    for (s = 0; s < c->nseries; s++) {
        for (i = 0; i < c->ncat; i++) {
            if (!c->hidden[s][i] && c->v[s][i] > max) {
                max = c->v[s][i];
            }
        }
    }
    if (c->ncat == 0 || c->nseries == 0) {
        report_text(cr, km, "–", x, top, 9, 0, 0, 0);
        cairo_restore(cr);
        return;
    }
    gw = (w - 20) / c->ncat;
    bw = gw * 0.8 / c->nseries;
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, left, bottom);
    cairo_line_to(cr, left + gw * c->ncat, bottom);
    cairo_stroke(cr);
    for (i = 0; i < c->ncat; i++) {
        double gx = left + gw * i + gw * 0.1;

        for (s = 0; s < c->nseries; s++) {
            double bh = c->hidden[s][i] ? 0
                                        : (bottom - top - 14) *
                                              (double)c->v[s][i] / (double)max;
            double bx = gx + bw * s;
            char v[24];

            cairo_set_source_rgb(cr, colours[s][0], colours[s][1],
                                 colours[s][2]);
            cairo_rectangle(cr, bx, bottom - bh, bw * 0.92, bh);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
            if (c->hidden[s][i]) {
                ctis_strlcpy(v, "*", sizeof v);
            } else {
                snprintf(v, sizeof v, "%ld", c->v[s][i]);
            }
            if (bw >= 9 || c->hidden[s][i]) {
                report_text(cr, 0, v, bx + bw * 0.46, bottom - bh - 10,
                            bw >= 16 ? 7 : 5.5, 0, 1, 0);
            }
        }
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        report_text(cr, km, c->cat[i], left + gw * i + gw / 2, bottom + 3, 8, 0,
                    1, 0);
    }
    /* Legend. */
    {
        double lx = left;

        for (s = 0; s < c->nseries && c->nseries > 1; s++) {
            cairo_set_source_rgb(cr, colours[s][0], colours[s][1],
                                 colours[s][2]);
            cairo_rectangle(cr, lx, y + h - legend + 3, 8, 8);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            report_text(cr, km, c->series[s], lx + 11, y + h - legend, 8, 0, 0,
                        0);
            lx += (w - 20) / c->nseries;
        }
    }
    cairo_restore(cr);
}

/* cairo writes a surface through this callback into a ctis_buf. */
cairo_status_t report_cairo_write(void *closure, const unsigned char *data,
                                  unsigned int length)
{
    return ctis_buf_append(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS
                                                       : CAIRO_STATUS_NO_MEMORY;
}

/* One chart alone, 520 x 300 points. */
int report_render_svg(const struct report_doc *d, int chart,
                      struct ctis_buf *out, struct ctis_err *err)
{
    cairo_surface_t *sf;
    cairo_t *cr;

    if (chart < 0 || chart >= REPORT_CHARTS) {
        return ctis_err_set(err, CTIS_EINVAL, "no chart %d", chart);
    }
    sf = cairo_svg_surface_create_for_stream(report_cairo_write, out, 520, 300);
    cr = cairo_create(sf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    report_draw_chart(cr, &d->charts[chart], d->km, 10, 10, 500, 280);
    cairo_destroy(cr);
    return report_cairo_status(sf, "chart", err);
}

/* The chart named name, or -1. */
int report_chart_parse(const char *name)
{
    static const char *const names[REPORT_CHARTS] = {
        "repatriations", "cases_by_year", "sex_age"};
    int i;

    for (i = 0; i < REPORT_CHARTS; i++) {
        if (strcmp(names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}
