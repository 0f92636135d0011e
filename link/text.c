/*
 * text.c - the similarity side of linkage: Jaro-Winkler and Dice
 * similarity, hashes. Normalisation, Khmer romanisation and phonetic keys
 * are model/name.c's (model_name_*), shared with the blind indexes.
 */
#include <string.h>

#include "link_int.h"

/* The consonant skeleton of a phonetic key: vowel classes, a final S
 * (final s and h alternate: Meas, Meah) and repeats dropped, N and n one
 * class. Absorbs the inherent vowel and vowel spellings that the key keeps
 * apart (Ratana / rotnea, Vichet / Vichit, Nhim / nhoem). */
int link_skeleton(const char *key, char *out, size_t outsize)
{
    size_t n = 0;
    size_t i;
    int dropped = 0;

    if (outsize == 0) {
        return 0;
    }
    for (i = 0; key[i] != '\0' && n + 1 < outsize; i++) {
        char c = key[i] == 'N' ? 'n' : key[i];

        if (c == 'A' || c == 'E' || c == 'I' || c == 'O') {
            continue;
        }
        if (n > 0 && out[n - 1] == c) {
            continue;
        }
        out[n++] = c;
    }
    if (n > 1 && out[n - 1] == 'S') {
        n--;
        dropped = 1;
    }
    out[n] = '\0';
    return (int)n + dropped;
}

/* ---- Similarity -- */

/* Jaro-Winkler with the usual prefix scale 0.1 over at most 4 bytes. */
double link_jaro_winkler(const char *a, const char *b)
{
    return link_jw_n(a, strlen(a), b, strlen(b));
}

/* Jaro-Winkler of strings whose lengths are known. */
double link_jw_n(const char *a, size_t la, const char *b, size_t lb)
{
    unsigned char ma[64];
    unsigned char mb[64];
    size_t range;
    size_t i;
    size_t j;
    size_t m = 0;
    size_t t = 0;
    size_t prefix = 0;
    double jaro;

    if (la == 0 || lb == 0) {
        return la == lb ? 1.0 : 0.0;
    }
    if (la > 64) {
        la = 64;
    }
    if (lb > 64) {
        lb = 64;
    }
    range = (la > lb ? la : lb) / 2;
    range = range > 0 ? range - 1 : 0;
    memset(ma, 0, la);
    memset(mb, 0, lb);
    for (i = 0; i < la; i++) {
        size_t lo = i > range ? i - range : 0;
        size_t hi = i + range + 1 < lb ? i + range + 1 : lb;

        for (j = lo; j < hi; j++) {
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = 1;
                mb[j] = 1;
                m++;
                break;
            }
        }
    }
    if (m == 0) {
        return 0.0;
    }
    j = 0;
    for (i = 0; i < la; i++) {
        if (!ma[i]) {
            continue;
        }
        while (!mb[j]) {
            j++;
        }
        if (a[i] != b[j]) {
            t++;
        }
        j++;
    }
    jaro = ((double)m / (double)la + (double)m / (double)lb +
            ((double)m - (double)t / 2.0) / (double)m) /
           3.0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix]) {
        prefix++;
    }
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

/* Dice coefficient of two bit sets. */
double link_dice(const uint64_t *a, const uint64_t *b, size_t words)
{
    unsigned long both = 0;
    unsigned long na = 0;
    unsigned long nb = 0;
    size_t i;

    for (i = 0; i < words; i++) {
        both += (unsigned long)__builtin_popcountll(a[i] & b[i]);
        na += (unsigned long)__builtin_popcountll(a[i]);
        nb += (unsigned long)__builtin_popcountll(b[i]);
    }
    if (na + nb == 0) {
        return 0.0;
    }
    return 2.0 * (double)both / (double)(na + nb);
}

/* 64-bit FNV-1a with a final mix, for keys and frequency tables. */
uint64_t link_hash(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL ^ seed;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h == 0 ? 1 : h;
}

/* Hash of a NUL-terminated string; 0 for NULL or "". */
uint64_t link_hash_str(const char *s)
{
    if (s == NULL || s[0] == '\0') {
        return 0;
    }
    return link_hash(s, strlen(s), 0);
}
