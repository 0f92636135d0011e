/*
 * errors.c - the one table from error codes to HTTP statuses and the
 * stable "code" strings of {"error":{"code","message","field"}}
 * (STYLE.md section 4). Messages come from struct ctis_err, written by the
 * layer that found the problem, and never hold an identifying value.
 */
#include <string.h>

#include "http_int.h"

static const struct {
    int code;
    int status;
    const char *name;
} table[] = {
    {CTIS_EINVAL, 400, "invalid"},
    {CTIS_ENOMEM, 503, "out_of_memory"},
    {CTIS_EIO, 500, "storage"},
    {CTIS_ENOTFOUND, 404, "not_found"},
    {CTIS_EEXIST, 409, "exists"},
    {CTIS_ECONFLICT, 409, "conflict"},
    {CTIS_EBUSY, 503, "busy"},
    {CTIS_ECORRUPT, 500, "storage"},
    {CTIS_EUNSUPPORTED, 400, "unsupported"},
    {CTIS_ECONN, 503, "storage"},
    {CTIS_EINTERNAL, 500, "internal"},
    {CTIS_ENUMERIC, 422, "no_answer"},
    {HTTP_E_UNAUTHENTICATED, 401, "unauthenticated"},
    {HTTP_E_FORBIDDEN, 403, "forbidden"},
    {HTTP_E_CSRF, 403, "csrf"},
    {HTTP_E_METHOD, 405, "method_not_allowed"},
    {HTTP_E_TOO_LARGE, 413, "too_large"},
    {HTTP_E_HEADER, 431, "header_too_large"},
    {HTTP_E_THROTTLED, 429, "throttled"},
    {HTTP_E_MEDIA, 415, "unsupported_media_type"},
    {HTTP_E_PRECONDITION, 412, "stale_version"},
    {HTTP_E_ROUTE, 404, "not_found"},
    {HTTP_E_PRECOND_REQUIRED, 428, "if_match_required"},
    {HTTP_E_CHANGE_PASSWORD, 403, "password_change_required"},
    {CTIS_EPERM, 403, "forbidden"},
    {CTIS_EARG, 400, "bad_argument"},
    {CTIS_EFILE, 500, "file"},
    {CTIS_EKEY, 503, "key_unavailable"},
};

#define N_TABLE (sizeof table / sizeof table[0])

/* The status of a code; an unknown code is a bug, 500. */
int http_status_of(int code)
{
    size_t i;

    for (i = 0; i < N_TABLE; i++) {
        if (table[i].code == code) {
            return table[i].status;
        }
    }
    return 500;
}

/* The stable name clients match on. */
const char *http_code_name(int code)
{
    size_t i;

    for (i = 0; i < N_TABLE; i++) {
        if (table[i].code == code) {
            return table[i].name;
        }
    }
    return "internal";
}

/* The error body. A response that cannot be built (out of memory) keeps
 * its status with an empty body. */
int http_error(struct http_resp *resp, int code, const char *message,
               const char *field)
{
    int status = http_status_of(code);
    json_t *e = json_object();
    json_t *o = json_object();

    if (message == NULL || message[0] == '\0') {
        message = code <= -100 ? http_code_name(code) : ctis_strerror(code);
    }
    if (e != NULL && o != NULL) {
        json_object_set_new(e, "code", json_string(http_code_name(code)));
        json_object_set_new(e, "message", json_string(message));
        json_object_set_new(e, "field",
                            field != NULL ? json_string(field) : json_null());
        json_object_set_new(o, "error", e);
        e = NULL;
    }
    json_decref(e);
    return http_json(resp, status, o);
}

/* Lower layers write "field 'PATH': reason" (model validation) or
 * "FILE:LINE: field 'PATH': reason" (io); the path becomes the field. */
int http_error_from(struct http_resp *resp, const struct ctis_err *err)
{
    char field[128];
    const char *p = strstr(err->msg, "field '");
    int code = err->code != 0 ? err->code : CTIS_EINTERNAL;

    field[0] = '\0';
    if (p != NULL) {
        const char *q;

        p += 7;
        q = strchr(p, '\'');
        if (q != NULL && (size_t)(q - p) < sizeof field) {
            memcpy(field, p, (size_t)(q - p));
            field[q - p] = '\0';
        }
    }
    return http_error(resp, code, err->msg, field[0] != '\0' ? field : NULL);
}
