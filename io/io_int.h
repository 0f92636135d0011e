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

#include "io.h"

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
    int error_duplicate;   /* it failed on an object repeating a key */
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

/* ---- the public view of a case (public.c) -----------------------------
 * What a record-level export outside the agency may hold about a case:
 * no id, no name, no date finer than the year, no place finer than the
 * province; its quasi-identifiers are made k-anonymous before writing. */
enum io_qi { IO_QI_YEAR, IO_QI_SEX, IO_QI_AGE, IO_QI_CITIZENSHIP,
             IO_QI_COUNTRY, IO_QI_PROVINCE, IO_QI_N };

struct io_pub {
    int qi[IO_QI_N];       /* published codes (STATS_QI_SUPPRESSED) */
    int tstatus;           /* enum model_tstatus */
    int movement;          /* enum model_movement */
    unsigned exploitation; /* set of enum model_exploitation */
    int sector;            /* enum model_sector */
    unsigned means;        /* set of enum model_means */
    int relation;          /* enum model_relation */
    int status;            /* enum model_case_status */
};

/* All the public rows of an export and how they were protected. */
struct io_pub_set {
    struct io_pub *rows;
    size_t n;
    size_t cap;
    unsigned char *dropped; /* per row, after io_pub_protect */
    int level[IO_QI_N];     /* generalisation level per quasi-identifier */
};

/* Append the public view of c (exact codes, level 0). 0 or CTIS_ENOMEM. */
int io_pub_add(struct io_pub_set *s, const struct model_case *c);
/* Make the rows k-anonymous over the first n_qi quasi-identifiers (CTDC
 * uses IO_QI_PROVINCE = 5 of them, the public case list all six); the
 * others are suppressed. Fills st. 0 or CTIS_ENOMEM. */
int io_pub_protect(struct io_pub_set *s, size_t n_qi, long k,
                   struct io_export_stats *st, struct ctis_err *err);
void io_pub_set_release(struct io_pub_set *s);
/* Text of a published quasi-identifier at the set's level: "" when
 * suppressed or missing. out holds at least 16 bytes. */
const char *io_pub_qi_text(const struct io_pub_set *s, const struct io_pub *r,
                           int qi, char *out, size_t size);
/* The majority ("minor", "adult") implied by the published age, or NULL. */
const char *io_pub_majority(const struct io_pub_set *s,
                            const struct io_pub *r);
struct io_ctdc;
/* Read the header row (agency: owner of the cases, required; id_prefix:
 * NULL for "ctdc-"); CTIS_EINVAL names the column. */
int io_ctdc_header(struct io_ctdc **out, const struct io_csv *r,
                   const char *agency, const char *id_prefix,
                   struct ctis_err *err);
/* The current row as a case (initialised here): 0, CTIS_EINVAL with
 * problems (column and reason), CTIS_ENOMEM. */
int io_ctdc_row(const struct io_ctdc *h, const struct io_csv *r,
                struct model_case *out, struct model_problems *p);
void io_ctdc_free(struct io_ctdc *h);

/* HTCDS 2.0 (htcds.c): one case as a JSON line (json) or a CSV row. */
int io_htcds_csv_header(struct ctis_buf *b);
int io_htcds_write(struct ctis_buf *b, const struct model_case *c, int json);
struct io_htcds;
/* A reader for JSON Lines (no header) or CSV (header row); agency owns
 * records naming none, id_prefix (NULL: "htcds-") makes ids. */
int io_htcds_open(struct io_htcds **out, const char *agency,
                  const char *id_prefix);
int io_htcds_header(struct io_htcds **out, const struct io_csv *r,
                    const char *agency, const char *id_prefix,
                    struct ctis_err *err);
/* A CSV row or a JSON line as a case (initialised here): 0, CTIS_EINVAL
 * with problems (field, column and reason), CTIS_ENOMEM. */
int io_htcds_row(const struct io_htcds *h, const struct io_csv *r,
                 struct model_case *out, struct model_problems *p);
int io_htcds_parse(const struct io_htcds *h, const char *line, size_t len,
                   long lineno, struct model_case *out,
                   struct model_problems *p);
void io_htcds_free(struct io_htcds *h);

/* The public case list: header, and one row as CSV or a JSON line. */
int io_pub_csv_header(struct ctis_buf *b);
int io_pub_write_row(struct ctis_buf *b, const struct io_pub_set *s,
                     const struct io_pub *r, int json);

/* CTDC (ctdc.c). */
int io_ctdc_write_header(struct ctis_buf *b);
int io_ctdc_write_row(struct ctis_buf *b, const struct io_pub_set *s,
                      const struct io_pub *r);

#endif
