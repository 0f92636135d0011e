/*
 * str.c - bounded string copy, strict number parsing and UTF-8 validation.
 * Parsers here write no message: the caller knows the file, line and field.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

/* Bounded copy that always terminates (BSD strlcpy). */
size_t ctis_strlcpy(char *dst, const char *src, size_t dstsize)
{
    size_t n = strlen(src);

    if (dstsize > 0) {
        size_t k = n < dstsize - 1 ? n : dstsize - 1;

        memcpy(dst, src, k);
        dst[k] = '\0';
    }
    return n;
}

/* Whole-string decimal integer in a range; no spaces, no trailing junk. */
int ctis_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;

    if (s == NULL || *s == '\0' || *s == ' ' || *s == '\t' || *s == '+') {
        return CTIS_EINVAL;
    }
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) {
        return CTIS_EINVAL;
    }
    *out = v;
    return 0;
}

/* Whole-string finite decimal number. */
int ctis_parse_double(const char *s, double *out)
{
    char *end;
    double v;

    if (s == NULL || *s == '\0' || *s == ' ' || *s == '\t') {
        return CTIS_EINVAL;
    }
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v)) {
        return CTIS_EINVAL;
    }
    *out = v;
    return 0;
}

/* Strict UTF-8 check (RFC 3629). */
int ctis_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned c = p[i];
        size_t len;
        unsigned cp;
        size_t k;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + len > n) {
            return 0;
        }
        for (k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        i += len;
    }
    return 1;
}

/* File names as people type them: "UP.CSV" is a CSV file. */
int ctis_ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s);
    size_t m = strlen(suffix);
    size_t i;

    if (m > n) {
        return 0;
    }
    for (i = 0; i < m; i++) {
        char a = s[n - m + i];
        char b = suffix[i];

        if (a >= 'A' && a <= 'Z') {
            a = (char)(a - 'A' + 'a');
        }
        if (b >= 'A' && b <= 'Z') {
            b = (char)(b - 'A' + 'a');
        }
        if (a != b) {
            return 0;
        }
    }
    return 1;
}
