/*
 * config.c - the ctis configuration file: "key = value" lines, '#'
 * comments. It may hold a database URL with its password, so it is read
 * only when its owner is the user running ctis and nobody else may read
 * or write it (mode 0600 or 0400); otherwise it is refused, as ssh refuses
 * a private key others can read.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"

#define CONFIG_MAX (64 * 1024)

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    return p;
}

/* Find key in the text; copy its value (trailing blanks dropped). */
int ctis_config_find(const char *text, size_t len, const char *key,
                     char *out, size_t n)
{
    const char *p = text;
    const char *end = text + len;
    size_t klen = strlen(key);

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *q;
        const char *v;
        const char *ve;

        if (eol == NULL) {
            eol = end;
        }
        q = skip_space(p, eol);
        if ((size_t)(eol - q) > klen && memcmp(q, key, klen) == 0) {
            v = skip_space(q + klen, eol);
            if (v < eol && *v == '=') {
                v = skip_space(v + 1, eol);
                ve = eol;
                while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' ||
                                  ve[-1] == '\r')) {
                    ve--;
                }
                if ((size_t)(ve - v) >= n) {
                    return -1;
                }
                memcpy(out, v, (size_t)(ve - v));
                out[ve - v] = '\0';
                return 1;
            }
        }
        p = eol + 1;
    }
    return 0;
}

/* Read key from the file at path; see base.h. */
int ctis_config_get(const char *path, const char *key, char *out, size_t n,
                    struct ctis_err *err)
{
    struct stat st;
    char *text;
    ssize_t got;
    int fd;
    int rc;

    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            return 0;
        }
        return ctis_err_set(err, CTIS_EFILE, "cannot read config file '%s': "
                            "%s", path, strerror(errno));
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return ctis_err_set(err, CTIS_EARG, "config file '%s' is not a "
                            "regular file", path);
    }
    if (st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
        close(fd);
        return ctis_err_set(err, CTIS_EARG,
                            "config file '%s' may be read by other users; it "
                            "can hold a password, so it must be yours and "
                            "mode 0600 (chmod 600 '%s')",
                            path, path);
    }
    if (st.st_size > CONFIG_MAX) {
        close(fd);
        return ctis_err_set(err, CTIS_EARG, "config file '%s' is larger than "
                            "64 KiB", path);
    }
    text = ctis_malloc((size_t)st.st_size + 1);
    if (text == NULL) {
        close(fd);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    got = read(fd, text, (size_t)st.st_size);
    close(fd);
    if (got < 0) {
        ctis_free(text);
        return ctis_err_set(err, CTIS_EFILE, "cannot read config file '%s'",
                            path);
    }
    rc = ctis_config_find(text, (size_t)got, key, out, n);
    ctis_free(text);
    if (rc < 0) {
        return ctis_err_set(err, CTIS_EARG, "config file '%s': the value of "
                            "'%s' is too long", path, key);
    }
    return rc;
}
