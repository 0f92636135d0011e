/*
 * lines.c - a line reader with bounded memory: the longest allowed line
 * plus one 64 KiB block.
 */
#include <string.h>

#include "base.h"

#define LINES_BLOCK 65536

/* Allocate the block. */
int ctis_lines_init(struct ctis_lines *l, FILE *f)
{
    l->f = f;
    l->pos = 0;
    l->len = 0;
    l->lineno = 0;
    l->offset = 0;
    ctis_buf_init(&l->line);
    l->block = ctis_malloc(LINES_BLOCK);
    return l->block == NULL ? CTIS_ENOMEM : 0;
}

/* Copy bytes up to the next LF into the line buffer. */
int ctis_lines_next(struct ctis_lines *l, size_t max)
{
    int got = 0;

    ctis_buf_reset(&l->line);
    if (ctis_buf_reserve(&l->line, 0) != 0) {
        return CTIS_ENOMEM;
    }
    for (;;) {
        char *nl;
        size_t n;

        if (l->pos == l->len) {
            l->len = fread(l->block, 1, LINES_BLOCK, l->f);
            l->pos = 0;
            if (l->len == 0) {
                if (ferror(l->f)) {
                    return CTIS_EFILE;
                }
                break;
            }
        }
        got = 1;
        nl = memchr(l->block + l->pos, '\n', l->len - l->pos);
        n = nl != NULL ? (size_t)(nl - (l->block + l->pos)) : l->len - l->pos;
        if (l->line.len + n > max) {
            l->lineno++;
            return CTIS_EINVAL;
        }
        if (ctis_buf_append(&l->line, l->block + l->pos, n) != 0) {
            return CTIS_ENOMEM;
        }
        l->pos += n;
        l->offset += n;
        if (nl != NULL) {
            l->pos++;
            l->offset++;
            break;
        }
    }
    if (!got) {
        return 0;
    }
    if (l->line.len > 0 && l->line.data[l->line.len - 1] == '\r') {
        l->line.data[--l->line.len] = '\0';
    }
    /* A UTF-8 byte order mark, as spreadsheet programs and Windows editors
     * write, is not part of the first line. */
    if (l->lineno == 0 && l->line.len >= 3 &&
        memcmp(l->line.data, "\xEF\xBB\xBF", 3) == 0) {
        memmove(l->line.data, l->line.data + 3, l->line.len - 3 + 1);
        l->line.len -= 3;
    }
    l->lineno++;
    return 1;
}

/* Free the block and the line. */
void ctis_lines_release(struct ctis_lines *l)
{
    if (l == NULL) {
        return;
    }
    ctis_free(l->block);
    l->block = NULL;
    ctis_buf_release(&l->line);
}
