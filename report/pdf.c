/*
 * pdf.c - the datasheet as an A4 PDF (cairo), laid out like the seed
 * document: a title band, the seed's question headings, paragraphs with
 * the figures, tables (two side by side where the seed pairs them, as the
 * repatriation tables) and bar charts. Text is laid out and shaped by
 * pango, so Khmer (--lang km) renders with its vowels and subscripts
 * placed by the font (Noto Sans Khmer or Khmer OS, Debian's
 * fonts-noto-core and fonts-khmeros).
 *
 * Layout is one pass down the page with a cursor; a block that does not
 * fit starts a new page. Every page has a footer with its number.
 */
#include <cairo-pdf.h>
#include <stdio.h>
#include <string.h>

#include "report_int.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 42.0
#define BOTTOM (PAGE_H - 48.0)

struct page {
    cairo_t *cr;
    int km;
    int number;
    double y;
    double pair_top;    /* where a pair of tables started */
    double pair_bottom; /* the lower end of its left table */
};

static void footer(struct page *p)
{
    char s[64];

    cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
    snprintf(s, sizeof s, "ctis · %d", p->number);
    report_text(p->cr, 0, s, PAGE_W / 2, PAGE_H - 30, 7.5, 0, 1, 0);
}

static void new_page(struct page *p)
{
    footer(p);
    cairo_show_page(p->cr);
    p->number++;
    p->y = MARGIN;
    p->pair_top = p->y;
    p->pair_bottom = p->y;
}

static void need(struct page *p, double h)
{
    if (p->y + h > BOTTOM) {
        new_page(p);
    }
}

static void title_band(struct page *p, const char *s)
{
    cairo_t *cr = p->cr;

    cairo_set_source_rgb(cr, 0.06, 0.27, 0.50);
    cairo_rectangle(cr, 0, 0, PAGE_W, 78);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    report_text(cr, p->km, s, MARGIN, 24, p->km ? 17 : 19, 1, 0,
                PAGE_W - 2 * MARGIN);
    p->y = 96;
}

static double table_height(const struct page *p, const struct report_table *t);

/* A heading stays with the start of what follows it (next). */
static void heading(struct page *p, int level, const char *s,
                    const struct report_block *next)
{
    double size = level == 2 ? 12.5 : 10.5;
    double follow = 40;
    double h;

    if (next != NULL && next->kind == REPORT_B_TABLE) {
        follow = table_height(p, next->table);
        follow = follow > 260 ? 260 : follow;
    } else if (next != NULL && next->kind == REPORT_B_CHART) {
        follow = 232;
    } else if (next != NULL && next->kind == REPORT_B_PARA) {
        follow = 90;
    }
    need(p, 40 + follow);
    p->y += 8;
    cairo_set_source_rgb(p->cr, 0.06, 0.27, 0.50);
    h = report_text(p->cr, p->km, s, MARGIN, p->y, size, 1, 0,
                    PAGE_W - 2 * MARGIN);
    p->y += h + 2;
    if (level == 2) {
        cairo_set_line_width(p->cr, 0.6);
        cairo_move_to(p->cr, MARGIN, p->y);
        cairo_line_to(p->cr, PAGE_W - MARGIN, p->y);
        cairo_stroke(p->cr);
    }
    p->y += 6;
}

static void para(struct page *p, const char *s)
{
    double h;

    need(p, 30);
    cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
    h = report_text(p->cr, p->km, s, MARGIN, p->y, 9.5, 0, 0,
                    PAGE_W - 2 * MARGIN);
    p->y += h + 6;
}

/* A table in the column (x, w): caption, shaded header, rows with ruled
 * lines; numbers right-aligned. Returns the y below it. */
static double draw_table(struct page *p, const struct report_table *t, double x,
                         double y, double w)
{
    cairo_t *cr = p->cr;
    double row = p->km ? 17 : 13;
    double first = t->ncols > 2 ? w * 0.34 : w * 0.6;
    double rest = t->ncols > 1 ? (w - first) / (t->ncols - 1) : 0;
    double h;
    size_t r;
    int c;

    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    h = report_text(cr, p->km, t->caption, x, y, 9, 1, 0, w);
    y += h + 3;
    cairo_set_source_rgb(cr, 0.85, 0.90, 0.96);
    cairo_rectangle(cr, x, y, w, row + (p->km ? 6 : 4));
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    for (c = 0; c < t->ncols; c++) {
        double cx = c == 0 ? x + 3 : x + first + rest * (c - 1) + 3;
        int numeric = c > 0 && t->nrows > 0 && t->cells[(size_t)c].is_number;

        if (numeric) {
            /* Right-aligned over right-aligned numbers. */
            cx = x + first + rest * c - 4;
            report_text_right(cr, p->km, t->heads[c], cx, y + 1, 7.5, 1,
                              rest - 4);
        } else {
            report_text(cr, p->km, t->heads[c], cx, y + 1, 7.5, 1, 0,
                        c == 0 ? first - 4 : rest - 4);
        }
    }
    y += row + (p->km ? 6 : 4);
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            const struct report_cell *cl =
                &t->cells[r * (size_t)t->ncols + (size_t)c];
            double cx = c == 0 ? x + 3 : x + first + rest * (c - 1) + 3;

            if (cl->is_number || (c > 0 && t->cells[(size_t)c].is_number)) {
                report_text_right(cr, 0, cl->text, x + first + rest * c - 4,
                                  y + 1.5, 8, 0, rest - 4);
            } else {
                report_text(cr, p->km, cl->text, cx, y + 1.5, 8, 0, 0,
                            c == 0 ? first - 4 : rest - 4);
            }
        }
        y += row;
        cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
        cairo_set_line_width(cr, 0.4);
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + w, y);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    }
    return y + 10;
}

static double table_height(const struct page *p, const struct report_table *t)
{
    return (p->km ? 17.0 : 13.0) * (double)(t->nrows + 1) + 30;
}

static void table(struct page *p, const struct report_block *b)
{
    double half = (PAGE_W - 2 * MARGIN - 16) / 2;
    double h = table_height(p, b->table);

    if (b->pair == 2) {
        /* Beside the left one, from the same top. */
        double end =
            draw_table(p, b->table, MARGIN + half + 16, p->pair_top, half);

        p->y = end > p->pair_bottom ? end : p->pair_bottom;
        return;
    }
    if (h > BOTTOM - MARGIN) {
        h = BOTTOM - MARGIN; /* a long table starts on a fresh page */
    }
    need(p, h);
    if (b->pair == 1) {
        p->pair_top = p->y;
        p->pair_bottom = draw_table(p, b->table, MARGIN, p->y, half);
        return;
    }
    p->y = draw_table(p, b->table, MARGIN, p->y, PAGE_W - 2 * MARGIN);
}

/* Render every block; see report_int.h. */
int report_render_pdf(const struct report_doc *d, struct ctis_buf *out,
                      struct ctis_err *err)
{
    cairo_surface_t *sf;
    struct page p;
    size_t i;

    sf = cairo_pdf_surface_create_for_stream(report_cairo_write, out, PAGE_W,
                                             PAGE_H);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE,
                                   report_tr(d->km, REPORT_TITLE));
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "ctis");
    /* No clock in the output: the same records give the same bytes. */
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATE_DATE, "");
    memset(&p, 0, sizeof p);
    p.cr = cairo_create(sf);
    p.km = d->km;
    p.number = 1;
    p.y = MARGIN;
    for (i = 0; i < d->n; i++) {
        const struct report_block *b = &d->blocks[i];

        switch (b->kind) {
        case REPORT_B_HEADING:
            if (b->level == 1) {
                title_band(&p, b->text);
            } else {
                heading(&p, b->level, b->text,
                        i + 1 < d->n ? &d->blocks[i + 1] : NULL);
            }
            break;
        case REPORT_B_PARA:
            para(&p, b->text);
            break;
        case REPORT_B_TABLE:
            table(&p, b);
            break;
        default:
            need(&p, 230);
            report_draw_chart(p.cr, &d->charts[b->chart], d->km, MARGIN, p.y,
                              PAGE_W - 2 * MARGIN, 220);
            p.y += 232;
            break;
        }
    }
    footer(&p);
    cairo_destroy(p.cr);
    return report_cairo_status(sf, "PDF", err);
}
