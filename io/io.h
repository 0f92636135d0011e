/*
 * io.h - reading and writing records: CSV (RFC 4180), JSON Lines (the ctis
 * interchange format, docs/formats.md) and the synthetic demo data set.
 *
 * Readers validate everything: a problem is reported as
 * "FILE:LINE: field 'PATH': reason", never quoting an identifying value.
 */
#ifndef CTIS_IO_H
#define CTIS_IO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/base.h"
#include "model/model.h"
#include "store/store.h"

/* Route jansson's allocations through ctis_malloc, so that out-of-memory
 * tests count them too. Process-wide: call once from main (or a test's
 * main) before any JSON work. */
void io_init(void);

/* ---- CSV ---------------------------------------------------------------
 * A streaming reader: RFC 4180 quoting (commas, quotes and newlines inside
 * quoted fields), LF or CRLF line ends, a UTF-8 byte order mark skipped at
 * the start; the separator is ',' unless the first line holds more ';' or
 * tabs. Invalid UTF-8, a NUL byte, an unterminated quote, a field over
 * 64 KiB, a record over IO_CSV_RECORD_MAX bytes or a row with more or
 * fewer fields than the first (header) row is an error naming the file and
 * line. Memory stays bounded by IO_CSV_RECORD_MAX, whatever the input. */
struct io_csv;

/* Longest record (all its fields) in bytes; documented in docs/formats.md. */
#define IO_CSV_RECORD_MAX (1024 * 1024)

/* Open path for reading ("-" is stdin; see ctis_open_input). *out owned by
 * the caller (io_csv_close). CTIS_ENOTFOUND, CTIS_EARG or CTIS_EFILE with
 * the path in the message. */
int io_csv_open(struct io_csv **out, const char *path, struct ctis_err *err);
/* Read from a memory buffer (not copied: it must outlive the reader);
 * name is used in messages. */
int io_csv_open_mem(struct io_csv **out, const char *name, const char *data,
                    size_t len, struct ctis_err *err);
/* Close and free. Accepts NULL. */
void io_csv_close(struct io_csv *r);
/* Read the next record: 1 when one was read, 0 at the end, negative on
 * error. Empty lines are skipped. Fields stay valid until the next call. */
int io_csv_next(struct io_csv *r, struct ctis_err *err);
/* Nonzero when the last error of io_csv_next was about that record alone
 * (a ragged row): the next call reads the record after it, so a caller
 * can report it and go on. */
int io_csv_recoverable(const struct io_csv *r);
/* Number of fields of the current record. */
size_t io_csv_nfields(const struct io_csv *r);
/* Field i of the current record, NUL-terminated; "" when i is past the
 * end. Borrowed until the next io_csv_next. */
const char *io_csv_field(const struct io_csv *r, size_t i);
/* Line number (1-based) where the current record starts. */
long io_csv_line(const struct io_csv *r);
/* The name given at open (the path). */
const char *io_csv_name(const struct io_csv *r);
/* Bytes consumed so far (for progress). */
uint64_t io_csv_offset(const struct io_csv *r);

/* Append s to b as one CSV field, quoted when it holds a comma, quote,
 * CR or LF. 0 or CTIS_ENOMEM. */
int io_csv_put_field(struct ctis_buf *b, const char *s);

/* ---- JSON Lines records ------------------------------------------------ */
enum io_record_type {
    IO_REC_AGENCY, IO_REC_CASE, IO_REC_CRIMINAL_CASE, IO_REC_ACTIVITY,
    IO_REC_INSTRUMENT
};

/* One record of any type. */
struct io_record {
    int type;  /* enum io_record_type */
    union {
        struct model_agency agency;
        struct model_case kase;
        struct model_criminal_case criminal_case;
        struct model_activity activity;
        struct model_instrument instrument;
    } u;
};

/* Initialise as an empty agency record; allocates nothing. */
void io_record_init(struct io_record *r);
/* Free the record's arrays and re-initialise it. Accepts NULL. */
void io_record_release(struct io_record *r);
/* The record's id. */
const char *io_record_id(const struct io_record *r);

/* Parse one line (not NUL-terminated, len bytes, no newline) into out,
 * which must be initialised (it is released first). Checks the syntax, the
 * types and codes of every field and the record's own rules
 * (model_*_validate). Returns 0, CTIS_EINVAL with every problem in
 * problems (path and reason), or CTIS_ENOMEM. */
int io_jsonl_parse(const char *line, size_t len, struct io_record *out,
                   struct model_problems *problems);

/* Append r as one JSON line (with "\n") to b. When public_only is set the
 * identifying fields of a person (model_identity_fields) are left out.
 * 0 or CTIS_ENOMEM. */
int io_jsonl_write(struct ctis_buf *b, const struct io_record *r,
                   int public_only);

/* ---- Flat CSV case list -------------------------------------------------
 * One case per row, header required; columns as in docs/formats.md
 * (id, agency, given_name, ..., destination_country, status,
 * identification_date, rescue_date, ...). */

/* Parse the current row of r (after the header row was given to
 * io_case_csv_header) into out (initialised; released first). */
struct io_case_csv;
int io_case_csv_header(struct io_case_csv **out, const struct io_csv *r,
                       struct ctis_err *err);
int io_case_csv_row(const struct io_case_csv *h, const struct io_csv *r,
                    struct model_case *out, struct model_problems *problems);
void io_case_csv_free(struct io_case_csv *h);
/* Append the CSV header row / one case row to b. */
int io_case_csv_write_header(struct ctis_buf *b);
int io_case_csv_write_row(struct ctis_buf *b, const struct model_case *c,
                          int public_only);

/* ---- Import and export through the store ------------------------------ */
enum io_format { IO_FORMAT_AUTO, IO_FORMAT_JSONL, IO_FORMAT_CSV,
                 IO_FORMAT_CTDC, IO_FORMAT_HTCDS, IO_FORMAT_HTCDS_CSV,
                 IO_FORMAT_XLSX };

/* The format named s ("jsonl", "csv", "ctdc", "htcds" (JSON Lines),
 * "htcds-csv", "xlsx"), or -1. */
int io_format_parse(const char *s);

struct io_import_opts {
    int format;     /* enum io_format; AUTO: .csv is CSV, else JSON Lines */
    FILE *rejects;  /* NULL: all or nothing; else import the valid lines and
                       write each rejected one, with its reasons, here */
    int progress;   /* -1 never, 0 on a terminal, 1 always */
    /* Called with each problem, "FILE:LINE: field 'PATH': reason"; NULL
     * prints them on stderr. */
    void (*report)(void *ctx, const char *problem);
    void *report_ctx;
    /* CTDC and HTCDS files: the agency that owns the imported cases (CTDC
     * requires it; HTCDS uses it where a record names none) and the prefix
     * of the ids made for rows without one ("ctdc-" or "htcds-" then the
     * line number when NULL). */
    const char *agency;
    const char *id_prefix;
    /* Writes each checked record; NULL writes it with store_put_*. ops/
     * passes its writer here (versions, access, derived status). The
     * record may be changed. */
    int (*put)(void *ctx, struct io_record *r, struct ctis_err *err);
    void *put_ctx;
};

struct io_import_stats {
    long lines;      /* non-blank lines read */
    long imported;   /* records written */
    long rejected;   /* invalid lines */
    long by_type[5]; /* records written per enum io_record_type */
    long superseded; /* copies not written: a later line of the file has
                        the same type and id (the last copy wins) */
};

/* Import one file into st, inside the caller's transaction. Every line is
 * parsed and checked (references must name a record of the file or the
 * database, in any order). Within the file the last copy of a type and
 * id wins, whatever the order of references. Returns 0 when every line was imported (or, with
 * rejects, every valid one); CTIS_EINVAL when a line was invalid in
 * all-or-nothing mode (the caller must roll back; each problem was
 * reported); another error code when reading or the store failed. */
int io_import(struct store *st, const char *path,
              const struct io_import_opts *opts,
              struct io_import_stats *stats, struct ctis_err *err);

/* What disclosure control did to a public export (stats.h, k-anonymity):
 * the quasi-identifiers, the level each was published at, and the counts
 * a user is told. */
struct io_export_stats {
    long rows;               /* cases read */
    long rows_written;       /* rows written (rows - rows_dropped) */
    long k;                  /* 0 when not public */
    int n_qi;
    const char *qi_names[8];
    const char *qi_levels[8];   /* "exact", "wide band", "region", ... */
    long qi_values;          /* quasi-identifier values of written rows */
    long values_generalised;
    long values_suppressed;  /* by disclosure control */
    long values_missing;     /* unknown in the records */
    long rows_generalised;
    long rows_suppressed;
    long rows_dropped;
};

struct io_export_opts {
    int format;      /* enum io_format */
    int public_only; /* leave the agency: identifying fields out, and
                        k-anonymous quasi-identifiers */
    long k;          /* threshold for public_only; 0: STATS_K_PUBLIC */
    const char *path; /* XLSX only: the file to write (required) */
};

/* Write every record of st to out: JSON Lines (agencies, cases, criminal
 * cases, activities, instruments, in id order), the flat CSV case list,
 * CTDC columns, HTCDS, or an XLSX workbook at opts->path. With
 * public_only: the public case list (JSON Lines or CSV) or CTDC, made
 * k-anonymous (stats filled; may be NULL). HTCDS is for exchange between
 * agencies and refuses public_only (CTIS_EUNSUPPORTED). */
int io_export_with(struct store *st, FILE *out,
                   const struct io_export_opts *opts,
                   struct io_export_stats *stats, struct ctis_err *err);

/* The store as an XLSX workbook at path (io/xlsx.c): one sheet per
 * record type, header row frozen, dates as dates. Written atomically. */
int io_xlsx_export(struct store *st, const char *path, struct ctis_err *err);

/* The same with no options: the format and public_only. */
int io_export(struct store *st, FILE *out, int format, int public_only,
              struct ctis_err *err);

/* ---- Demo data ----------------------------------------------------------
 * A deterministic synthetic data set consistent with every figure of the
 * UNIAP Cambodia datasheet (shared/seed): the sink's callbacks receive each
 * record once, agencies first, then cases, criminal cases, activities and
 * instruments. A callback's non-zero return stops generation and is
 * returned. Records passed are valid only during the call. */
struct io_demo_sink {
    void *ctx;
    int (*agency)(void *ctx, const struct model_agency *a);
    int (*kase)(void *ctx, const struct model_case *c);
    int (*criminal_case)(void *ctx, const struct model_criminal_case *cc);
    int (*activity)(void *ctx, const struct model_activity *a);
    int (*instrument)(void *ctx, const struct model_instrument *in);
};

/* 0 when the store holds no record of any kind; CTIS_EEXIST otherwise,
 * naming how many: the demo data set is only ever written into an empty
 * database, never over real cases. */
int io_demo_check_empty(struct store *st, struct ctis_err *err);

/* Generate the demo data from seed (same seed, same data). */
int io_demo_generate(uint64_t seed, const struct io_demo_sink *sink,
                     struct ctis_err *err);

#endif
