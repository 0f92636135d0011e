/*
 * json_tok.c - the strict one-line JSON tokenizer behind io_int.h.
 *
 * Grammar of RFC 8259; strings must be valid UTF-8 without raw control
 * characters, \u escapes must pair surrogates and may not be \u0000 (a
 * NUL cannot be held in a C string, and jansson refuses it in keys even
 * with JSON_ALLOW_NUL: refusing it everywhere keeps the two in agreement,
 * fuzz/jsonl.c), objects may not repeat a key. Nesting is limited to JDOC_MAX_DEPTH. Positions are ints: a line is
 * at most 4 MiB (io/import.c).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "io_int.h"

struct scanner {
    struct jdoc *doc;
    const char *s;
    int len;
    int pos;
};

static void skip_ws(struct scanner *sc)
{
    while (sc->pos < sc->len && (sc->s[sc->pos] == ' ' ||
           sc->s[sc->pos] == '\t' || sc->s[sc->pos] == '\n' ||
           sc->s[sc->pos] == '\r')) {
        sc->pos++;
    }
}

static int fail(struct scanner *sc)
{
    if (sc->doc->error_column == 0) {
        sc->doc->error_column = sc->pos + 1;
    }
    return -1;
}

/* Append a token; returns its index or -1 (out of memory). */
static int push(struct scanner *sc, int type, int start)
{
    struct jdoc *d = sc->doc;
    struct jtok *t;

    if (d->n == d->cap) {
        int cap = d->cap * 2;
        struct jtok *p;

        if (d->tok == d->stack) {
            p = ctis_malloc((size_t)cap * sizeof *p);
            if (p != NULL) {
                memcpy(p, d->stack, sizeof d->stack);
            }
        } else {
            p = ctis_realloc(d->tok, (size_t)cap * sizeof *p);
        }
        if (p == NULL) {
            d->oom = 1;
            return -1;
        }
        d->tok = p;
        d->cap = cap;
    }
    t = &d->tok[d->n];
    memset(t, 0, sizeof *t);
    t->type = (unsigned char)type;
    t->start = start;
    return d->n++;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        char c = p[i];

        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= (unsigned)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            v |= (unsigned)(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            v |= (unsigned)(c - 'A' + 10);
        } else {
            return -1;
        }
    }
    *out = v;
    return 0;
}

/* A string starting at the opening quote. */
static int scan_string(struct scanner *sc)
{
    int t;
    int start = ++sc->pos;
    int escaped = 0;

    while (sc->pos < sc->len) {
        unsigned char c = (unsigned char)sc->s[sc->pos];

        if (c == '"') {
            break;
        }
        if (c < 0x20) {
            return fail(sc);
        }
        if (c != '\\') {
            sc->pos++;
            continue;
        }
        escaped = 1;
        if (sc->pos + 1 >= sc->len) {
            return fail(sc);
        }
        c = (unsigned char)sc->s[sc->pos + 1];
        if (c == 'u') {
            unsigned u;
            unsigned lo;

            if (sc->pos + 6 > sc->len || hex4(sc->s + sc->pos + 2, &u)) {
                return fail(sc);
            }
            if (u == 0 || (u >= 0xDC00 && u <= 0xDFFF)) {
                return fail(sc);
            }
            sc->pos += 6;
            if (u >= 0xD800 && u <= 0xDBFF) {
                if (sc->pos + 6 > sc->len || sc->s[sc->pos] != '\\' ||
                    sc->s[sc->pos + 1] != 'u' ||
                    hex4(sc->s + sc->pos + 2, &lo) || lo < 0xDC00 ||
                    lo > 0xDFFF) {
                    return fail(sc);
                }
                sc->pos += 6;
            }
            continue;
        }
        if (strchr("\"\\/bfnrt", (char)c) == NULL || c == 0) {
            return fail(sc);
        }
        sc->pos += 2;
    }
    if (sc->pos >= sc->len ||
        !ctis_utf8_valid(sc->s + start, (size_t)(sc->pos - start))) {
        return fail(sc);
    }
    t = push(sc, J_STRING, start);
    if (t < 0) {
        return -1;
    }
    sc->doc->tok[t].end = sc->pos;
    sc->doc->tok[t].escaped = (unsigned char)escaped;
    sc->doc->tok[t].span = 1;
    sc->pos++;
    return 0;
}

static int digits(struct scanner *sc)
{
    int from = sc->pos;

    while (sc->pos < sc->len && sc->s[sc->pos] >= '0' &&
           sc->s[sc->pos] <= '9') {
        sc->pos++;
    }
    return sc->pos > from;
}

static int scan_number(struct scanner *sc)
{
    int start = sc->pos;
    int integer = 1;
    int t;

    if (sc->s[sc->pos] == '-') {
        sc->pos++;
    }
    if (sc->pos < sc->len && sc->s[sc->pos] == '0') {
        sc->pos++;
    } else if (!digits(sc)) {
        return fail(sc);
    }
    if (sc->pos < sc->len && sc->s[sc->pos] == '.') {
        sc->pos++;
        integer = 0;
        if (!digits(sc)) {
            return fail(sc);
        }
    }
    if (sc->pos < sc->len && (sc->s[sc->pos] == 'e' ||
                              sc->s[sc->pos] == 'E')) {
        sc->pos++;
        integer = 0;
        if (sc->pos < sc->len && (sc->s[sc->pos] == '+' ||
                                  sc->s[sc->pos] == '-')) {
            sc->pos++;
        }
        if (!digits(sc)) {
            return fail(sc);
        }
    }
    t = push(sc, J_NUMBER, start);
    if (t < 0) {
        return -1;
    }
    sc->doc->tok[t].end = sc->pos;
    sc->doc->tok[t].integer = (unsigned char)integer;
    sc->doc->tok[t].span = 1;
    return 0;
}

static int scan_word(struct scanner *sc, const char *word, int type)
{
    int n = (int)strlen(word);
    int t;

    if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, (size_t)n)) {
        return fail(sc);
    }
    t = push(sc, type, sc->pos);
    if (t < 0) {
        return -1;
    }
    sc->pos += n;
    sc->doc->tok[t].end = sc->pos;
    sc->doc->tok[t].span = 1;
    return 0;
}

static int scan_value(struct scanner *sc, int depth);

/* Keys of one object are compared pairwise: objects here are small, and
 * the count is capped so a hostile line cannot make this quadratic. */
static int duplicate_key(const struct jdoc *d, int obj)
{
    int a;
    int b;

    for (a = obj + 1; a < obj + d->tok[obj].span;
         a += 1 + d->tok[a + 1].span) {
        for (b = a + 1 + d->tok[a + 1].span; b < obj + d->tok[obj].span;
             b += 1 + d->tok[b + 1].span) {
            const struct jtok *x = &d->tok[a];
            const struct jtok *y = &d->tok[b];

            if (x->end - x->start == y->end - y->start &&
                memcmp(d->text + x->start, d->text + y->start,
                       (size_t)(x->end - x->start)) == 0) {
                return 1;
            }
        }
    }
    return 0;
}

#define JDOC_MAX_KEYS 128

static int scan_container(struct scanner *sc, int depth, int object)
{
    int t = push(sc, object ? J_OBJECT : J_ARRAY, sc->pos);
    char close = object ? '}' : ']';

    if (t < 0) {
        return -1;
    }
    if (depth >= JDOC_MAX_DEPTH) {
        return fail(sc);
    }
    sc->pos++;
    skip_ws(sc);
    if (sc->pos < sc->len && sc->s[sc->pos] == close) {
        sc->pos++;
    } else {
        for (;;) {
            skip_ws(sc);
            if (object) {
                if (sc->pos >= sc->len || sc->s[sc->pos] != '"' ||
                    scan_string(sc) != 0) {
                    return fail(sc);
                }
                skip_ws(sc);
                if (sc->pos >= sc->len || sc->s[sc->pos] != ':') {
                    return fail(sc);
                }
                sc->pos++;
            }
            if (scan_value(sc, depth + 1) != 0) {
                return -1;
            }
            sc->doc->tok[t].count++;
            if (object && sc->doc->tok[t].count > JDOC_MAX_KEYS) {
                return fail(sc);
            }
            skip_ws(sc);
            if (sc->pos < sc->len && sc->s[sc->pos] == ',') {
                sc->pos++;
                continue;
            }
            if (sc->pos < sc->len && sc->s[sc->pos] == close) {
                sc->pos++;
                break;
            }
            return fail(sc);
        }
    }
    sc->doc->tok[t].end = sc->pos;
    sc->doc->tok[t].span = sc->doc->n - t;
    if (object && duplicate_key(sc->doc, t)) {
        sc->doc->error_duplicate = 1;
        return fail(sc);
    }
    return 0;
}

static int scan_value(struct scanner *sc, int depth)
{
    skip_ws(sc);
    if (sc->pos >= sc->len) {
        return fail(sc);
    }
    switch (sc->s[sc->pos]) {
    case '{':
        return scan_container(sc, depth, 1);
    case '[':
        return scan_container(sc, depth, 0);
    case '"':
        return scan_string(sc);
    case 't':
        return scan_word(sc, "true", J_TRUE);
    case 'f':
        return scan_word(sc, "false", J_FALSE);
    case 'n':
        return scan_word(sc, "null", J_NULL);
    default:
        if (sc->s[sc->pos] == '-' ||
            (sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9')) {
            return scan_number(sc);
        }
        return fail(sc);
    }
}

/* One value and nothing after it but white space. */
int jdoc_parse(struct jdoc *doc, const char *text, size_t len)
{
    struct scanner sc;

    doc->text = text;
    doc->tok = doc->stack;
    doc->n = 0;
    doc->cap = JDOC_STACK_TOKENS;
    doc->error_column = 0;
    doc->oom = 0;
    doc->error_duplicate = 0;
    if (len > INT_MAX / 2) {
        doc->error_column = 1;
        return -1;
    }
    sc.doc = doc;
    sc.s = text;
    sc.len = (int)len;
    sc.pos = 0;
    if (scan_value(&sc, 0) != 0) {
        if (doc->oom) {
            doc->error_column = 0;
        }
        return -1;
    }
    skip_ws(&sc);
    if (sc.pos != sc.len) {
        return fail(&sc);
    }
    return 0;
}

/* Heap tokens only when the line outgrew the stack array. */
void jdoc_release(struct jdoc *doc)
{
    if (doc->tok != doc->stack) {
        ctis_free(doc->tok);
    }
    doc->tok = doc->stack;
    doc->n = 0;
}

/* Walk the pairs comparing raw key bytes (keys we look up have no
 * escapes; an escaped key never matches, as with an unknown key). */
int jdoc_get(const struct jdoc *doc, int obj, const char *key)
{
    size_t n = strlen(key);
    int k;
    int i;

    if (obj < 0 || doc->tok[obj].type != J_OBJECT) {
        return -1;
    }
    for (i = 0, k = obj + 1; i < doc->tok[obj].count;
         i++, k += 1 + doc->tok[k + 1].span) {
        const struct jtok *t = &doc->tok[k];

        if (!t->escaped && (size_t)(t->end - t->start) == n &&
            memcmp(doc->text + t->start, key, n) == 0) {
            return k + 1;
        }
    }
    return -1;
}

/* The first item or key. */
int jdoc_first(const struct jdoc *doc, int container)
{
    return doc->tok[container].count > 0 ? container + 1 : -1;
}

/* Past v's subtree. */
int jdoc_skip(const struct jdoc *doc, int v)
{
    return v + doc->tok[v].span;
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decode escapes; the tokenizer already checked them. */
int jdoc_string(const struct jdoc *doc, int v, char *out, size_t size)
{
    const struct jtok *t = &doc->tok[v];
    const char *p = doc->text + t->start;
    const char *end = doc->text + t->end;
    size_t n = 0;

    if (!t->escaped) {
        size_t len = (size_t)(t->end - t->start);

        if (len >= size) {
            return -1;
        }
        memcpy(out, p, len);
        out[len] = '\0';
        return (int)len;
    }
    while (p < end) {
        char tmp[4];
        size_t k = 1;

        tmp[0] = *p;
        if (*p == '\\') {
            unsigned cp;
            unsigned lo;

            switch (p[1]) {
            case 'b': tmp[0] = '\b'; break;
            case 'f': tmp[0] = '\f'; break;
            case 'n': tmp[0] = '\n'; break;
            case 'r': tmp[0] = '\r'; break;
            case 't': tmp[0] = '\t'; break;
            case 'u':
                hex4(p + 2, &cp);
                p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    hex4(p + 4, &lo);
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
                if (cp == 0) {
                    return -2;
                }
                k = put_utf8(tmp, cp);
                break;
            default: tmp[0] = p[1]; break;
            }
            p += 2;
        } else {
            p++;
        }
        if (n + k >= size) {
            return -1;
        }
        memcpy(out + n, tmp, k);
        n += k;
    }
    out[n] = '\0';
    return (int)n;
}

/* Compare after decoding, bounded by a small buffer: codes are short. */
int jdoc_string_is(const struct jdoc *doc, int v, const char *s)
{
    char buf[64];

    if (doc->tok[v].type != J_STRING) {
        return 0;
    }
    return jdoc_string(doc, v, buf, sizeof buf) >= 0 && strcmp(buf, s) == 0;
}

/* strtol over the token's bytes, integers only. */
int jdoc_long(const struct jdoc *doc, int v, long *out)
{
    const struct jtok *t = &doc->tok[v];
    char buf[32];
    int len = t->end - t->start;

    if (t->type != J_NUMBER || !t->integer || len >= (int)sizeof buf) {
        return -1;
    }
    memcpy(buf, doc->text + t->start, (size_t)len);
    buf[len] = '\0';
    return ctis_parse_long(buf, LONG_MIN, LONG_MAX, out);
}
