/*
 * own_file.c - open a file that holds a secret (a key, a password) only
 * when it is a regular file of the caller.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"

int ctis_open_own_file(const char *path, const char *what, int code,
                       struct stat *st, struct ctis_err *err)
{
    /* O_NONBLOCK: a FIFO planted at the path is refused below, not
     * waited on (the open blocked until someone wrote to it) */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0) {
        ctis_err_set(err, code, "cannot open %s '%s': %s", what, path,
                     strerror(errno));
        return -1;
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        ctis_err_set(err, code, "%s '%s' is not a file", what, path);
        return -1;
    }
    if (st->st_uid != geteuid()) {
        /* another user could have chosen the secret, or read it */
        close(fd);
        ctis_err_set(err, code, "%s '%s' belongs to another user (uid %u)",
                     what, path, (unsigned)st->st_uid);
        return -1;
    }
    return fd;
}
