/*
 * csv.c - a streaming RFC 4180 reader and a field writer.
 *
 * The reader pulls 64 KiB blocks from a FILE (or walks a memory buffer) and
 * assembles one record at a time into a byte buffer holding the fields back
 * to back, each NUL-terminated, with an offsets array. State machine per
 * byte: FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED (a quote seen inside
 * a quoted field: either an escaped quote or the field's end). Memory is
 * bounded: a field over IO_CSV_FIELD_MAX, a record over IO_CSV_RECORD_MAX
 * bytes or IO_CSV_FIELDS_MAX fields is an error naming the line, before
 * more is read. The separator is detected once, from the first line: ','
 * unless ';' or a tab is more frequent there (outside quotes). Every record
 * must have as many fields as the first (the header): a ragged row is an
 * error, for every caller.
 */
#include <string.h>

#include "io.h"

#define IO_CSV_FIELD_MAX (64 * 1024)
#define BLOCK 65536
#define IO_CSV_FIELDS_MAX 4096

enum state { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED };

struct io_csv {
    FILE *file;            /* NULL for a memory reader */
    int owns_file;
    const char *mem;
    size_t mem_len;
    char *block;           /* read buffer for files */
    size_t pos;
    size_t len;
    uint64_t offset;       /* bytes consumed */
    long line;             /* current physical line */
    long record_line;      /* line where the current record began */
    int at_start;          /* BOM and separator check pending */
    int sep;               /* ',', ';' or '\t' */
    size_t header_fields;  /* fields of the first record; 0 before it */
    int recoverable;       /* the last error consumed its whole record */
    struct ctis_buf data;  /* fields, NUL-separated */
    size_t *starts;        /* offsets of fields in data */
    size_t nfields;
    size_t cap_fields;
    char name[256];
};

static int reader_new(struct io_csv **out, const char *name,
                      struct ctis_err *err)
{
    struct io_csv *r = ctis_calloc(1, sizeof *r);

    if (r == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    ctis_strlcpy(r->name, name, sizeof r->name);
    ctis_buf_init(&r->data);
    r->line = 1;
    r->at_start = 1;
    r->sep = ',';
    *out = r;
    return 0;
}

/* Open a file (or stdin for "-"). */
int io_csv_open(struct io_csv **out, const char *path, struct ctis_err *err)
{
    struct io_csv *r;
    int rc = reader_new(&r, path, err);

    if (rc != 0) {
        return rc;
    }
    r->block = ctis_malloc(BLOCK);
    if (r->block == NULL) {
        io_csv_close(r);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = ctis_open_input(path, &r->file, err);
    if (rc != 0) {
        io_csv_close(r);
        return rc;
    }
    r->owns_file = r->file != stdin;
    *out = r;
    return 0;
}

/* Read from memory the caller keeps alive. */
int io_csv_open_mem(struct io_csv **out, const char *name, const char *data,
                    size_t len, struct ctis_err *err)
{
    struct io_csv *r;
    int rc = reader_new(&r, name, err);

    if (rc != 0) {
        return rc;
    }
    r->mem = data;
    r->mem_len = len;
    *out = r;
    return 0;
}

/* Close the file if we opened it and free everything. */
void io_csv_close(struct io_csv *r)
{
    if (r == NULL) {
        return;
    }
    if (r->owns_file && r->file != NULL) {
        fclose(r->file);
    }
    ctis_free(r->block);
    ctis_buf_release(&r->data);
    ctis_free(r->starts);
    ctis_free(r);
}

/* Next byte, or -1 at the end, or -2 on a read error. */
static int next_byte(struct io_csv *r)
{
    if (r->file == NULL) {
        if (r->offset >= r->mem_len) {
            return -1;
        }
        return (unsigned char)r->mem[r->offset++];
    }
    if (r->pos == r->len) {
        r->len = fread(r->block, 1, BLOCK, r->file);
        r->pos = 0;
        if (r->len == 0) {
            return ferror(r->file) ? -2 : -1;
        }
    }
    r->offset++;
    return (unsigned char)r->block[r->pos++];
}

static int peek_byte(struct io_csv *r)
{
    int c = next_byte(r);

    if (c >= 0) {
        if (r->file == NULL) {
            r->offset--;
        } else {
            r->pos--;
            r->offset--;
        }
    }
    return c;
}

static int begin_field(struct io_csv *r)
{
    if (r->nfields == r->cap_fields) {
        size_t cap = r->cap_fields > 0 ? r->cap_fields * 2 : 32;
        size_t *p = ctis_realloc(r->starts, cap * sizeof *p);

        if (p == NULL) {
            return CTIS_ENOMEM;
        }
        r->starts = p;
        r->cap_fields = cap;
    }
    r->starts[r->nfields++] = r->data.len;
    return 0;
}

static int end_field(struct io_csv *r, struct ctis_err *err)
{
    size_t start = r->starts[r->nfields - 1];

    /* An empty first field leaves data unallocated (NULL): no pointer
     * arithmetic on it. */
    if (r->data.len > start &&
        !ctis_utf8_valid(r->data.data + start, r->data.len - start)) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: field %zu: invalid UTF-8", r->name,
                            r->record_line, r->nfields);
    }
    return ctis_buf_putc(&r->data, '\0') == 0 ? 0 : CTIS_ENOMEM;
}

static int add_byte(struct io_csv *r, int c, struct ctis_err *err)
{
    if (c == 0) {
        return ctis_err_set(err, CTIS_EINVAL, "%s:%ld: NUL byte in field %zu",
                            r->name, r->line, r->nfields);
    }
    if (r->data.len - r->starts[r->nfields - 1] >= IO_CSV_FIELD_MAX) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: field %zu is longer than 65536 bytes",
                            r->name, r->record_line, r->nfields);
    }
    if (r->data.len >= IO_CSV_RECORD_MAX) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: record is longer than %d bytes",
                            r->name, r->record_line, IO_CSV_RECORD_MAX);
    }
    return ctis_buf_putc(&r->data, (char)c) == 0 ? 0 : CTIS_ENOMEM;
}

static int oom(struct io_csv *r, struct ctis_err *err)
{
    return ctis_err_set(err, CTIS_ENOMEM, "%s:%ld: out of memory", r->name,
                        r->line);
}

/* The separator of the first line: the most frequent of ',', ';' and tab
 * outside quotes, ',' on a tie or when none appears. */
static int detect_sep(const unsigned char *p, size_t n)
{
    size_t comma = 0;
    size_t semi = 0;
    size_t tab = 0;
    int quoted = 0;
    size_t i;

    for (i = 0; i < n && (quoted || (p[i] != '\n' && p[i] != '\r')); i++) {
        if (p[i] == '"') {
            quoted = !quoted;
        } else if (!quoted && p[i] == ',') {
            comma++;
        } else if (!quoted && p[i] == ';') {
            semi++;
        } else if (!quoted && p[i] == '\t') {
            tab++;
        }
    }
    if (semi > comma && semi >= tab) {
        return ';';
    }
    if (tab > comma && tab > semi) {
        return '\t';
    }
    return ',';
}

/* Skip a UTF-8 byte order mark at the very start, and detect the
 * separator from the first line. */
static void skip_bom(struct io_csv *r)
{
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    const unsigned char *p;
    size_t avail;

    r->at_start = 0;
    if (r->file == NULL) {
        p = (const unsigned char *)r->mem;
        avail = r->mem_len;
    } else {
        if (r->len == 0) {
            r->len = fread(r->block, 1, BLOCK, r->file);
            r->pos = 0;
        }
        p = (const unsigned char *)r->block;
        avail = r->len;
    }
    if (avail >= 3 && memcmp(p, bom, 3) == 0) {
        if (r->file == NULL) {
            r->offset = 3;
        } else {
            r->pos = 3;
            r->offset = 3;
        }
        p += 3;
        avail -= 3;
    }
    if (avail > 0) {
        r->sep = detect_sep(p, avail);
    }
}

/* The record is complete: check its width against the header's. */
static int end_record(struct io_csv *r, struct ctis_err *err)
{
    if (r->header_fields == 0) {
        r->header_fields = r->nfields;
        return 1;
    }
    if (r->nfields != r->header_fields) {
        r->recoverable = 1;
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s:%ld: %zu fields where the header has %zu",
                            r->name, r->record_line, r->nfields,
                            r->header_fields);
    }
    return 1;
}

/* One record; see the state machine in the file comment. */
int io_csv_next(struct io_csv *r, struct ctis_err *err)
{
    enum state st = FIELD_START;
    int c;
    int rc;

    r->recoverable = 0;
    if (r->at_start) {
        skip_bom(r);
    }
    for (;;) {
        ctis_buf_reset(&r->data);
        r->nfields = 0;
        r->record_line = r->line;
        c = peek_byte(r);
        if (c == -1) {
            return 0;
        }
        if (c == '\n' || c == '\r') {
            next_byte(r);
            if (c == '\r' && peek_byte(r) == '\n') {
                next_byte(r);
            }
            r->line++;
            continue;
        }
        break;
    }
    if (begin_field(r) != 0) {
        return oom(r, err);
    }
    for (;;) {
        c = next_byte(r);
        if (c == -2) {
            return ctis_err_set(err, CTIS_EFILE, "%s:%ld: read error",
                                r->name, r->line);
        }
        if (st == QUOTED) {
            if (c == -1) {
                return ctis_err_set(err, CTIS_EINVAL,
                                    "%s:%ld: field %zu: unterminated quote",
                                    r->name, r->record_line, r->nfields);
            }
            if (c == '"') {
                st = QUOTE_IN_QUOTED;
                continue;
            }
            if (c == '\n') {
                r->line++;
            }
            rc = add_byte(r, c, err);
            if (rc != 0) {
                return rc == CTIS_ENOMEM ? oom(r, err) : rc;
            }
            continue;
        }
        if (st == QUOTE_IN_QUOTED && c == '"') {
            st = QUOTED;
            rc = add_byte(r, c, err);
            if (rc != 0) {
                return rc == CTIS_ENOMEM ? oom(r, err) : rc;
            }
            continue;
        }
        if (c == -1 || c == '\n' || c == '\r' || c == r->sep) {
            rc = end_field(r, err);
            if (rc != 0) {
                return rc == CTIS_ENOMEM ? oom(r, err) : rc;
            }
            if (c == r->sep) {
                if (r->nfields >= IO_CSV_FIELDS_MAX) {
                    return ctis_err_set(err, CTIS_EINVAL,
                                        "%s:%ld: more than %d fields",
                                        r->name, r->record_line,
                                        IO_CSV_FIELDS_MAX);
                }
                if (begin_field(r) != 0) {
                    return oom(r, err);
                }
                st = FIELD_START;
                continue;
            }
            if (c == '\r' && peek_byte(r) == '\n') {
                next_byte(r);
            }
            if (c != -1) {
                r->line++;
            }
            return end_record(r, err);
        }
        if (st == QUOTE_IN_QUOTED) {
            return ctis_err_set(err, CTIS_EINVAL,
                                "%s:%ld: field %zu: text after a closing "
                                "quote", r->name, r->line, r->nfields);
        }
        if (st == FIELD_START && c == '"') {
            st = QUOTED;
            continue;
        }
        st = UNQUOTED;
        rc = add_byte(r, c, err);
        if (rc != 0) {
            return rc == CTIS_ENOMEM ? oom(r, err) : rc;
        }
    }
}

/* After a ragged row the reader stands at the next record. */
int io_csv_recoverable(const struct io_csv *r)
{
    return r->recoverable;
}

/* Count of fields in the current record. */
size_t io_csv_nfields(const struct io_csv *r)
{
    return r->nfields;
}

/* Field i, or "" past the end. */
const char *io_csv_field(const struct io_csv *r, size_t i)
{
    if (i >= r->nfields) {
        return "";
    }
    return r->data.data + r->starts[i];
}

/* Line where the current record began. */
long io_csv_line(const struct io_csv *r)
{
    return r->record_line;
}

/* The reader's name (path). */
const char *io_csv_name(const struct io_csv *r)
{
    return r->name;
}

/* Bytes consumed. */
uint64_t io_csv_offset(const struct io_csv *r)
{
    return r->offset;
}

/* Quote only when needed, doubling inner quotes. */
int io_csv_put_field(struct ctis_buf *b, const char *s)
{
    const char *p;

    if (strpbrk(s, ",\"\r\n") == NULL) {
        return ctis_buf_puts(b, s);
    }
    if (ctis_buf_putc(b, '"') != 0) {
        return CTIS_ENOMEM;
    }
    for (p = s; *p != '\0'; p++) {
        if (*p == '"' && ctis_buf_putc(b, '"') != 0) {
            return CTIS_ENOMEM;
        }
        if (ctis_buf_putc(b, *p) != 0) {
            return CTIS_ENOMEM;
        }
    }
    return ctis_buf_putc(b, '"');
}
