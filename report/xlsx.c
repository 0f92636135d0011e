/*
 * xlsx.c - the datasheet as a workbook (libxlsxwriter): each table of the
 * document (doc.c) on its own sheet, caption in the first row, a bold
 * header row frozen under it, counts as numbers, suppressed counts as "*"
 * and years without records as "N/A" (text). Written beside the target
 * and renamed when complete.
 */
#include <string.h>
#include <xlsxwriter.h>

#include "report_int.h"

/* See report_int.h. */
int report_write_xlsx(const struct report_doc *d, const char *path,
                      struct ctis_err *err)
{
    struct ctis_atomic_file af;
    lxw_workbook_options opt = {0};
    char name[64];
    char dir[CTIS_PATH_MAX];
    lxw_workbook *wb;
    lxw_format *bold;
    lxw_format *title;
    size_t i;
    int rc;

    rc = ctis_atomic_open(&af, path, err);
    if (rc != 0) {
        return rc;
    }
    /* the library opens its output by name and keeps its sheets in
     * temporary files: it gets a name of our descriptor and the output's
     * folder (base.h) */
    if (ctis_atomic_fd_name(&af, name, sizeof name, err) != 0) {
        ctis_atomic_abort(&af);
        return CTIS_EARG;
    }
    ctis_atomic_dir(&af, dir, sizeof dir);
    opt.tmpdir = dir;
    wb = workbook_new_opt(name, &opt);
    if (wb == NULL) {
        ctis_atomic_abort(&af);
        return ctis_err_set(err, CTIS_EIO, "cannot create '%s'", path);
    }
    bold = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_bg_color(bold, 0xD9E5F4);
    title = workbook_add_format(wb);
    format_set_bold(title);
    for (i = 0; i < d->n; i++) {
        const struct report_table *t = d->blocks[i].table;
        lxw_worksheet *ws;
        size_t r;
        int c;

        if (d->blocks[i].kind != REPORT_B_TABLE) {
            continue;
        }
        ws = workbook_add_worksheet(wb, t->sheet);
        if (ws == NULL) {
            continue;
        }
        worksheet_write_string(ws, 0, 0, t->caption, title);
        for (c = 0; c < t->ncols; c++) {
            worksheet_write_string(ws, 1, (lxw_col_t)c, t->heads[c], bold);
        }
        worksheet_freeze_panes(ws, 2, 0);
        worksheet_set_column(ws, 0, 0, 34, NULL);
        worksheet_set_column(ws, 1, 7, 16, NULL);
        for (r = 0; r < t->nrows; r++) {
            for (c = 0; c < t->ncols; c++) {
                const struct report_cell *cl =
                    &t->cells[r * (size_t)t->ncols + (size_t)c];
                lxw_row_t row = (lxw_row_t)(r + 2);

                if (cl->is_number && !cl->suppressed) {
                    worksheet_write_number(ws, row, (lxw_col_t)c, (double)cl->n,
                                           NULL);
                } else {
                    worksheet_write_string(ws, row, (lxw_col_t)c, cl->text,
                                           NULL);
                }
            }
        }
    }
    if (workbook_close(wb) != LXW_NO_ERROR) {
        ctis_atomic_abort(&af);
        return ctis_err_set(err, CTIS_EIO, "cannot write '%s'", path);
    }
    return ctis_atomic_commit(&af, err);
}
