/*
 * buf.c - growable byte buffers. Invariant: when cap > 0, data[len] == 0,
 * so a buffer is always a valid C string of its bytes.
 */
#include <string.h>

#include "base.h"

/* Empty buffer, no memory yet. */
void ctis_buf_init(struct ctis_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

/* Free the memory. */
void ctis_buf_release(struct ctis_buf *b)
{
    if (b == NULL) {
        return;
    }
    ctis_free(b->data);
    ctis_buf_init(b);
}

/* Empty it but keep the memory for reuse. */
void ctis_buf_reset(struct ctis_buf *b)
{
    b->len = 0;
    if (b->cap > 0) {
        b->data[0] = '\0';
    }
}

/* Grow geometrically so appends are amortised O(1). */
int ctis_buf_reserve(struct ctis_buf *b, size_t n)
{
    size_t need = b->len + n + 1;
    size_t cap;
    char *p;

    if (need <= b->cap) {
        return 0;
    }
    cap = b->cap > 0 ? b->cap : 64;
    while (cap < need) {
        cap *= 2;
    }
    p = ctis_realloc(b->data, cap);
    if (p == NULL) {
        return CTIS_ENOMEM;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

/* Append raw bytes. */
int ctis_buf_append(struct ctis_buf *b, const void *p, size_t n)
{
    if (ctis_buf_reserve(b, n) != 0) {
        return CTIS_ENOMEM;
    }
    if (n > 0) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

/* Append a C string. */
int ctis_buf_puts(struct ctis_buf *b, const char *s)
{
    return ctis_buf_append(b, s, strlen(s));
}

/* Append one byte. */
int ctis_buf_putc(struct ctis_buf *b, char c)
{
    return ctis_buf_append(b, &c, 1);
}

/* Append printf output; formats twice only when the first try is short. */
int ctis_buf_printf(struct ctis_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (ctis_buf_reserve(b, 64) != 0) {
        return CTIS_ENOMEM;
    }
    va_start(ap, fmt);
    n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->data[b->len] = '\0';
        return CTIS_EINVAL;
    }
    if ((size_t)n >= b->cap - b->len) {
        if (ctis_buf_reserve(b, (size_t)n) != 0) {
            b->data[b->len] = '\0';
            return CTIS_ENOMEM;
        }
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
    return 0;
}
