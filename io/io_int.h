/*
 * io_int.h - helpers shared inside io/, not part of its contract.
 *
 * jdoc: a strict JSON (RFC 8259) tokenizer for one line. The line is
 * scanned once into a flat array of tokens in document order; a value's
 * token records how many tokens its subtree spans, so walking skips whole
 * subtrees without recursion. Nothing is allocated per value: strings are
 * decoded on demand into the caller's buffer. Used by the JSON Lines
 * reader, where jansson's tree of small allocations cost more than the
 * rest of an import.
 */
#ifndef CTIS_IO_INT_H
#define CTIS_IO_INT_H

#include <stddef.h>

enum jtype { J_OBJECT, J_ARRAY, J_STRING, J_NUMBER, J_TRUE, J_FALSE,
             J_NULL };

struct jtok {
    unsigned char type;    /* enum jtype */
    unsigned char escaped; /* string holds a backslash escape */
    unsigned char integer; /* number has no fraction or exponent */
    int start;             /* first byte (inside the quotes for strings) */
    int end;               /* one past the last byte */
    int count;             /* object: pairs; array: items */
    int span;              /* tokens in this subtree, itself included */
};

#define JDOC_STACK_TOKENS 256
#define JDOC_MAX_DEPTH 32

struct jdoc {
    const char *text;
    struct jtok *tok;      /* stack or heap */
    int n;
    int cap;
    struct jtok stack[JDOC_STACK_TOKENS];
    int error_column;      /* 1-based, when parsing failed */
    int oom;               /* parsing failed for lack of memory */
};

/* Tokenize text[0..len). 0 on success; -1 on a syntax error (column in
 * doc->error_column) or out of memory (doc->oom). Release with
 * jdoc_release in every case. */
int jdoc_parse(struct jdoc *doc, const char *text, size_t len);
/* Free heap tokens, if any. */
void jdoc_release(struct jdoc *doc);

/* Value of key in object token obj, or -1. */
int jdoc_get(const struct jdoc *doc, int obj, const char *key);
/* First child of an array (an item) or object (a key), -1 if empty. */
int jdoc_first(const struct jdoc *doc, int container);
/* Token after v's subtree within the same container, given the container's
 * remaining count; helpers below wrap it. */
int jdoc_skip(const struct jdoc *doc, int v);
/* Decode string token v into out (size bytes, NUL-terminated). Returns the
 * decoded length, -1 if it does not fit, -2 if it holds a NUL. */
int jdoc_string(const struct jdoc *doc, int v, char *out, size_t size);
/* Nonzero when string token v equals s exactly (after decoding). */
int jdoc_string_is(const struct jdoc *doc, int v, const char *s);
/* Integer value of an integer number token, 0 or -1 when out of range. */
int jdoc_long(const struct jdoc *doc, int v, long *out);

#endif
