/*
 * base.h - the helpers every ctis program needs and that know no records:
 * error values with a message, the allocator (with a test-only fault
 * injector), growable byte buffers, an arena, and small string and date
 * utilities.
 *
 * Errors (STYLE.md section 4): a function that can fail returns 0 or a
 * negative CTIS_E* code and takes a caller-owned `struct ctis_err *` last,
 * which may be NULL. The function that detects a problem writes the message.
 */
#ifndef CTIS_BASE_H
#define CTIS_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Error codes. Keep in step with the table in base/err.c. */
enum {
    CTIS_OK = 0,
    CTIS_EINVAL = -1,      /* invalid input */
    CTIS_ENOMEM = -2,      /* out of memory */
    CTIS_EIO = -3,         /* file or device I/O failed */
    CTIS_ENOTFOUND = -4,   /* a named thing does not exist */
    CTIS_EEXIST = -5,      /* a thing exists and may not be overwritten */
    CTIS_ECONFLICT = -6,   /* concurrent change; may be retried */
    CTIS_EBUSY = -7,       /* resource locked */
    CTIS_ECORRUPT = -8,    /* stored data is damaged */
    CTIS_EUNSUPPORTED = -9, /* feature or format not supported */
    CTIS_ECONN = -10,      /* connection to a server lost or refused */
    CTIS_EINTERNAL = -11,  /* a bug: an invariant did not hold */
    CTIS_ENUMERIC = -12,   /* a computation has no finite answer */
    CTIS_EPERM = -13,      /* the caller's role may not do this */
    CTIS_EARG = -14,       /* a bad argument: empty, too long, a directory */
    CTIS_EFILE = -15,      /* a file other than the database failed */
    CTIS_EKEY = -16        /* the key that opens sealed data is missing
                              or wrong */
};

/* Longest file path ctis accepts, with its NUL. */
#define CTIS_PATH_MAX 4096

#define CTIS_ERR_MSG_MAX 256

struct ctis_err {
    int code;
    char msg[CTIS_ERR_MSG_MAX];
};

/* Set err (if not NULL) to code and a printf-formatted message. Returns
 * code, so a caller can write `return ctis_err_set(err, CTIS_EINVAL, ...)`. */
int ctis_err_set(struct ctis_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepend printf-formatted context and ": " to err's message, keeping the
 * code. Does nothing if err is NULL. Returns err->code (or CTIS_EINVAL). */
int ctis_err_prefix(struct ctis_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Clear err to CTIS_OK and an empty message. Accepts NULL. */
void ctis_err_clear(struct ctis_err *err);

/* Name of an error code ("invalid input", ...); never NULL. */
const char *ctis_strerror(int code);

/* Allocator. All ctis memory comes from here so that tests can make the
 * Nth allocation fail. ctis_free accepts NULL. ctis_realloc returns NULL on
 * failure and leaves the old block alive. */
void *ctis_malloc(size_t n);
void *ctis_calloc(size_t count, size_t size);
void *ctis_realloc(void *p, size_t n);
void ctis_free(void *p);
/* Copy of s (or of its first n bytes, NUL-terminated); caller frees with
 * ctis_free. NULL on out of memory. */
char *ctis_strdup(const char *s);
char *ctis_strndup(const char *s, size_t n);

/* Test-only fault injection: after `n` more successful allocations, every
 * allocation fails until ctis_alloc_fail_reset(). n < 0 disables.
 * ctis_alloc_count() is the number of allocations made while armed. These counters are
 * the one piece of process-global state outside main (STYLE.md 5). */
void ctis_alloc_fail_after(long n);
void ctis_alloc_fail_reset(void);
long ctis_alloc_count(void);
/* Nonzero once an injected failure has happened since the last reset. */
int ctis_alloc_failed(void);
/* Allocations that returned NULL in this process so far, injected or real.
 * Lets a caller of a library that reports out of memory as something else
 * (jansson's parser does) tell the two apart: compare before and after. */
long ctis_alloc_failures(void);

/* Growable byte buffer; data is always NUL-terminated when cap > 0. */
struct ctis_buf {
    char *data;
    size_t len;
    size_t cap;
};

/* Fill b as an empty buffer; allocates nothing. */
void ctis_buf_init(struct ctis_buf *b);
/* Free b's memory and leave it empty. Accepts NULL. */
void ctis_buf_release(struct ctis_buf *b);
/* Make len 0 and keep the memory. */
void ctis_buf_reset(struct ctis_buf *b);
/* Make room for n more bytes. 0 or CTIS_ENOMEM. */
int ctis_buf_reserve(struct ctis_buf *b, size_t n);
/* Append n bytes / a string / one byte / printf output. 0 or CTIS_ENOMEM;
 * on failure b is unchanged. */
int ctis_buf_append(struct ctis_buf *b, const void *p, size_t n);
int ctis_buf_puts(struct ctis_buf *b, const char *s);
int ctis_buf_putc(struct ctis_buf *b, char c);
int ctis_buf_printf(struct ctis_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Arena: many small allocations freed at once. */
struct ctis_arena_block;
struct ctis_arena {
    struct ctis_arena_block *head;
    size_t block_size;
};

/* Fill a as an empty arena whose blocks are at least block_size bytes. */
void ctis_arena_init(struct ctis_arena *a, size_t block_size);
/* Memory for n bytes aligned for any type, owned by the arena; NULL on out
 * of memory. */
void *ctis_arena_alloc(struct ctis_arena *a, size_t n);
/* Copy of s owned by the arena; NULL on out of memory. */
char *ctis_arena_strdup(struct ctis_arena *a, const char *s);
/* Free every block. Accepts NULL. */
void ctis_arena_release(struct ctis_arena *a);

/* Copy src into dst of size dstsize, always NUL-terminating. Returns
 * strlen(src); a result >= dstsize means it was truncated. */
size_t ctis_strlcpy(char *dst, const char *src, size_t dstsize);

/* Nonzero when s ends with suffix, ASCII case ignored ("UP.CSV" ends with
 * ".csv"). */
int ctis_ends_with_ci(const char *s, const char *suffix);

/* Parse a whole decimal integer in [min, max]. 0 or CTIS_EINVAL; no
 * message is written, the caller names the field. */
int ctis_parse_long(const char *s, long min, long max, long *out);
/* Parse a whole finite decimal number. 0 or CTIS_EINVAL. */
int ctis_parse_double(const char *s, double *out);

/* Nonzero when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF). */
int ctis_utf8_valid(const char *s, size_t n);

/*
 * Dates are held as one int, YYYYMMDD (20070302); 0 means unknown.
 * ctis_date_parse accepts exactly "YYYY-MM-DD" of a real calendar day in
 * years 1900..2100; 0 or CTIS_EINVAL.
 */
int ctis_date_parse(const char *s, int *out);
/* Write "YYYY-MM-DD" into out (11 bytes at least). */
void ctis_date_format(int date, char out[11]);
/* Nonzero when y-m-d is a real calendar day. */
int ctis_date_valid(int y, int m, int d);
/* Whole years from birth to on (both YYYYMMDD); -1 if either is 0. */
int ctis_date_age(int birth, int on);
/* Today (UTC) as YYYYMMDD. */
int ctis_date_today(void);
/* Days since 1970-01-01 for a YYYYMMDD date. */
long ctis_date_days(int date);
/* YYYYMMDD for days since 1970-01-01. */
int ctis_date_from_days(long days);

/* Deterministic pseudo-random generator (splitmix64 seeded xoshiro256**),
 * the same sequence on every machine for the same seed. */
struct ctis_rng {
    uint64_t s[4];
};

/* Seed r from one 64-bit value. */
void ctis_rng_seed(struct ctis_rng *r, uint64_t seed);
/* Next 64 random bits. */
uint64_t ctis_rng_next(struct ctis_rng *r);
/* Uniform integer in [0, n); n > 0. */
uint64_t ctis_rng_below(struct ctis_rng *r, uint64_t n);
/* Uniform double in [0, 1). */
double ctis_rng_double(struct ctis_rng *r);

/* Monotonic clock in seconds, for progress and benchmarks. */
double ctis_now(void);

/* A progress bar on stderr when it is a terminal; silent otherwise. */
struct ctis_progress {
    const char *label;
    uint64_t total;  /* 0 when unknown */
    uint64_t done;
    double last;     /* time of the last draw */
    int enabled;
};

/* Start a bar; enabled only when fd 2 is a terminal and force is 0 or 1
 * (force < 0 disables, force > 0 enables even without a terminal). */
void ctis_progress_start(struct ctis_progress *p, const char *label,
                         uint64_t total, int force);
/* Record progress; redraws at most ten times a second. */
void ctis_progress_update(struct ctis_progress *p, uint64_t done);
/* Draw the final state and end the line. */
void ctis_progress_finish(struct ctis_progress *p);

/* Line reader over a FILE with its own block buffer (no getline, so all
 * memory comes from ctis_malloc). Lines end at LF; a CR before it is
 * dropped. */
struct ctis_lines {
    FILE *f;
    char *block;
    size_t pos;
    size_t len;
    struct ctis_buf line;  /* the current line, NUL-terminated */
    long lineno;           /* 1-based number of the current line */
    uint64_t offset;       /* bytes consumed */
};

/* Start reading f (not closed by the reader). 0 or CTIS_ENOMEM. */
int ctis_lines_init(struct ctis_lines *l, FILE *f);
/* Read the next line into l->line: 1, 0 at the end, CTIS_EFILE on a read
 * error, CTIS_EINVAL when a line is longer than max bytes. A UTF-8 byte
 * order mark at the start of the first line is dropped. */
int ctis_lines_next(struct ctis_lines *l, size_t max);
/* Free the buffers. Accepts NULL. */
void ctis_lines_release(struct ctis_lines *l);

/* Output that appears whole or not at all, readable by its owner only
 * (see base/atomic_file.c): a random temporary file beside PATH created
 * O_EXCL|O_NOFOLLOW mode 0600, fsynced and renamed over PATH on commit,
 * removed on abort. This is the only way ctis creates an output file.
 * PATH "-" is standard output (written as it comes, flushed on commit). */
struct ctis_atomic_file {
    FILE *f;            /* write here between open and commit */
    int is_stdout;      /* 1: PATH was "-" (f is stdout); 2: PATH is a
                           terminal, pipe or device written directly */
    char path[CTIS_PATH_MAX];
    char tmp[CTIS_PATH_MAX + 96];
};

/* Refuse an output path before anything is created: CTIS_EARG when it is
 * empty, longer than CTIS_PATH_MAX - 1, a directory, or the same file as
 * one of inputs[0..n_inputs) (NULL entries are skipped). 0 when fine. */
int ctis_output_check(const char *path, const char *const *inputs,
                      size_t n_inputs, struct ctis_err *err);
/* Nonzero when both names exist and are the same file. */
int ctis_same_file(const char *a, const char *b);
/* Nonzero when a and b are the same file, or name the same entry of the
 * same directory (symlinks resolved) whether or not it exists. */
int ctis_same_name(const char *a, const char *b);

/* Create the temporary file for PATH. 0, CTIS_EARG (see
 * ctis_output_check), CTIS_ENOTFOUND (no such directory) or CTIS_EFILE,
 * with the path in the message. */
int ctis_atomic_open(struct ctis_atomic_file *a, const char *path,
                     struct ctis_err *err);
/* Flush, sync, close and rename into place, then sync the directory; on
 * failure the temporary file is removed and CTIS_EFILE returned. */
int ctis_atomic_commit(struct ctis_atomic_file *a, struct ctis_err *err);
/* The same, but never replacing: CTIS_EEXIST (and the temporary file
 * removed) when PATH exists at commit, even if it appeared after the
 * caller checked (a restore into a new database). */
int ctis_atomic_commit_new(struct ctis_atomic_file *a, struct ctis_err *err);
/* Close and remove the temporary file. Accepts an unopened struct. */
void ctis_atomic_abort(struct ctis_atomic_file *a);
/* For a library that opens its output by name (libxlsxwriter): a name
 * that reopens a's own open file through its descriptor
 * ("/proc/self/fd/N"), never through the temporary name, which anyone
 * who may write in the folder could have renamed or replaced by a
 * symlink meanwhile (CTIS_EARG when the output is standard output, a
 * pipe or a device: such a library seeks); and the output's folder, for
 * the library's own temporary files, so that nothing of the output
 * leaves it. */
int ctis_atomic_fd_name(const struct ctis_atomic_file *a, char *out,
                        size_t n, struct ctis_err *err);
void ctis_atomic_dir(const struct ctis_atomic_file *a, char *out, size_t n);
/* Write len bytes as the whole new content of path, atomically. */
int ctis_write_file(const char *path, const void *data, size_t len,
                    struct ctis_err *err);
/* Create path as an empty owner-only (0600) file if it does not exist, with
 * O_EXCL|O_NOFOLLOW, for a database a library then opens by name (SQLite
 * gives its -wal and -shm files the database file's mode). 0 when created
 * or already there; CTIS_ENOTFOUND or CTIS_EFILE otherwise. */
int ctis_create_private(const char *path, struct ctis_err *err);
/* Open path for reading when it is a regular file of the caller (a FIFO
 * is refused at once, not waited on); *st is its status. The descriptor,
 * or -1 with code and a message naming what ("key file") and the path,
 * never the content. Callers add their own checks of st->st_mode. */
struct stat;
int ctis_open_own_file(const char *path, const char *what, int code,
                       struct stat *st, struct ctis_err *err);
/* Look key up in the configuration file at path ("key = value" lines):
 * 1 with the value in out (n bytes), 0 when the file or the key is absent,
 * CTIS_EARG when the file belongs to another user or group or others may
 * read it (it may hold a password; see docs/deploy.md), CTIS_EFILE or
 * CTIS_ENOMEM. */
int ctis_config_get(const char *path, const char *key, char *out, size_t n,
                    struct ctis_err *err);

/* The value of key in configuration text[0..len) into out (n bytes): 1
 * when found, 0 when not, -1 when the value does not fit. */
int ctis_config_find(const char *text, size_t len, const char *key,
                     char *out, size_t n);

/* Open a named input for reading ("-" is stdin, not closed by callers).
 * 0 with *out set; CTIS_EARG (empty name, a directory), CTIS_ENOTFOUND or
 * CTIS_EFILE with the path in the message. */
int ctis_open_input(const char *path, FILE **out, struct ctis_err *err);

#endif
