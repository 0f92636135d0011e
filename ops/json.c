/*
 * json.c - records as jansson objects for updates and history: a case to
 * and from its JSON line (io/ does the real reading and writing, so a
 * patched case is checked exactly like an imported one), RFC 7386 merge
 * patches, and the field paths where two versions differ.
 */
#include <string.h>

#include "ops_int.h"

/* Through io_jsonl_write, so the fields and order are the file format's. */
json_t *ops_case_json(const struct model_case *c)
{
    struct io_record rec;
    struct ctis_buf b;
    json_t *j = NULL;

    memset(&rec, 0, sizeof rec);
    rec.type = IO_REC_CASE;
    rec.u.kase = *c;
    ctis_buf_init(&b);
    if (io_jsonl_write(&b, &rec, 0) == 0) {
        j = json_loadb(b.data, b.len, 0, NULL);
    }
    ctis_buf_release(&b);
    return j;
}

/* Back through io_jsonl_parse: every rule of an import applies. */
int ops_case_from_json(const json_t *obj, struct model_case *out,
                       struct model_problems *problems,
                       struct ctis_err *err)
{
    struct io_record rec;
    char *text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    int rc;

    if (text == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    io_record_init(&rec);
    rc = io_jsonl_parse(text, strlen(text), &rec, problems);
    ctis_free(text);
    if (rc == 0 && rec.type != IO_REC_CASE) {
        io_record_release(&rec);
        return ctis_err_set(err, CTIS_EINVAL, "the record is not a case");
    }
    if (rc != 0) {
        io_record_release(&rec);
        return ctis_err_set(err, rc, rc == CTIS_ENOMEM ? "out of memory"
                                                       : "invalid case");
    }
    model_case_release(out);
    *out = rec.u.kase;
    return 0;
}

/* RFC 7386 section 2, MergePatch(Target, Patch). */
int ops_merge_patch(json_t *target, const json_t *patch)
{
    const char *k;
    json_t *v;

    json_object_foreach((json_t *)patch, k, v)
    {
        if (json_is_null(v)) {
            json_object_del(target, k);
        } else if (json_is_object(v)) {
            json_t *t = json_object_get(target, k);

            if (!json_is_object(t)) {
                t = json_object();
                if (t == NULL || json_object_set_new(target, k, t) != 0) {
                    return CTIS_ENOMEM;
                }
            }
            if (ops_merge_patch(t, v) != 0) {
                return CTIS_ENOMEM;
            }
        } else if (json_object_set(target, k, v) != 0) {
            return CTIS_ENOMEM;
        }
    }
    return 0;
}

static int add_path(struct ctis_buf *out, const char *path)
{
    if (out->len > 0 && ctis_buf_puts(out, ", ") != 0) {
        return CTIS_ENOMEM;
    }
    return ctis_buf_puts(out, path);
}

/* Objects recurse by key (a's keys, then b's missing from a); arrays by
 * index, an element that differs named whole ("events[3]"); anything
 * else compares by value. */
int ops_json_diff(const json_t *a, const json_t *b, const char *prefix,
                  struct ctis_buf *out)
{
    char path[160];
    const char *k;
    json_t *v;
    size_t i;

    if (a != NULL && b != NULL && json_equal(a, b)) {
        return 0;
    }
    if (json_is_object(a) && json_is_object(b)) {
        json_object_foreach((json_t *)a, k, v)
        {
            snprintf(path, sizeof path, "%s%s%s", prefix,
                     prefix[0] != '\0' ? "." : "", k);
            if (ops_json_diff(v, json_object_get(b, k), path, out) != 0) {
                return CTIS_ENOMEM;
            }
        }
        json_object_foreach((json_t *)b, k, v)
        {
            if (json_object_get(a, k) == NULL) {
                snprintf(path, sizeof path, "%s%s%s", prefix,
                         prefix[0] != '\0' ? "." : "", k);
                if (add_path(out, path) != 0) {
                    return CTIS_ENOMEM;
                }
            }
        }
        return 0;
    }
    if (json_is_array(a) && json_is_array(b)) {
        size_t n = json_array_size(a) > json_array_size(b)
                       ? json_array_size(a)
                       : json_array_size(b);

        for (i = 0; i < n; i++) {
            const json_t *x = json_array_get(a, i);
            const json_t *y = json_array_get(b, i);

            if (x == NULL || y == NULL || !json_equal(x, y)) {
                snprintf(path, sizeof path, "%s[%zu]", prefix, i);
                if (add_path(out, path) != 0) {
                    return CTIS_ENOMEM;
                }
            }
        }
        return 0;
    }
    return add_path(out, prefix[0] != '\0' ? prefix : "(record)");
}
