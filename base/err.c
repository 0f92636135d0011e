/*
 * err.c - error values with a message (STYLE.md section 4). One table gives
 * each code its text; messages are written once by the detecting function.
 */
#include <stdio.h>
#include <string.h>

#include "base.h"

static const struct {
    int code;
    const char *text;
} error_texts[] = {
    {CTIS_OK, "success"},
    {CTIS_EINVAL, "invalid input"},
    {CTIS_ENOMEM, "out of memory"},
    {CTIS_EIO, "input/output error"},
    {CTIS_ENOTFOUND, "not found"},
    {CTIS_EEXIST, "already exists"},
    {CTIS_ECONFLICT, "conflicting concurrent change"},
    {CTIS_EBUSY, "resource busy"},
    {CTIS_ECORRUPT, "stored data is damaged"},
    {CTIS_EUNSUPPORTED, "not supported"},
    {CTIS_ECONN, "connection failed"},
    {CTIS_EINTERNAL, "internal error"},
    {CTIS_ENUMERIC, "no finite numerical answer"},
    {CTIS_EPERM, "permission denied"},
    {CTIS_EARG, "bad argument"},
    {CTIS_EFILE, "file input/output error"},
    {CTIS_EKEY, "missing or wrong key"},
};

/* Set the code and message; returns the code for tail calls. */
int ctis_err_set(struct ctis_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL) {
        return code;
    }
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

/* Prepend context to an existing message, so callers add where without
 * losing what. */
int ctis_err_prefix(struct ctis_err *err, const char *fmt, ...)
{
    char head[CTIS_ERR_MSG_MAX];
    char old[CTIS_ERR_MSG_MAX];
    va_list ap;
    size_t n;

    if (err == NULL) {
        return CTIS_EINVAL;
    }
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    old[sizeof old - 1] = '\0';
    n = strlen(head);
    if (n > sizeof err->msg - 3) {
        n = sizeof err->msg - 3;
    }
    memcpy(err->msg, head, n);
    memcpy(err->msg + n, ": ", 2);
    ctis_strlcpy(err->msg + n + 2, old, sizeof err->msg - n - 2);
    return err->code != 0 ? err->code : CTIS_EINVAL;
}

/* Reset to success. */
void ctis_err_clear(struct ctis_err *err)
{
    if (err != NULL) {
        err->code = CTIS_OK;
        err->msg[0] = '\0';
    }
}

/* The fixed text of a code. */
const char *ctis_strerror(int code)
{
    size_t i;

    for (i = 0; i < sizeof error_texts / sizeof error_texts[0]; i++) {
        if (error_texts[i].code == code) {
            return error_texts[i].text;
        }
    }
    return "unknown error";
}
