/*
 * key.c - where the command line gets the key-encryption key: --key-file
 * or $CTIS_KEY_FILE, else a passphrase from --passphrase-fd N (scripts),
 * else a passphrase typed at the terminal (no echo). The process asks
 * once and keeps the key in locked memory until cli_main returns, when it
 * is wiped (seal_kek_free).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

/* One line from fd into buf (no newline): its length, -1 when nothing
 * could be read, -2 when the line is longer than size - 1 bytes. */
static long read_line(int fd, char *buf, size_t size)
{
    size_t n = 0;

    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);

        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0 || c == '\n') {
            break;
        }
        if (n + 1 >= size) {
            return -2; /* longer than the buffer: never cut silently */
        }
        buf[n++] = c;
    }
    buf[n] = '\0';
    if (n > 0 && buf[n - 1] == '\r') {
        buf[--n] = '\0';
    }
    return (long)n;
}

/* Prompt on /dev/tty with echo off. */
static long read_tty(const char *prompt, char *buf, size_t size)
{
    struct termios old;
    struct termios quiet;
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    int restore = 0;
    long n;

    if (fd < 0) {
        return -1;
    }
    if (tcgetattr(fd, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
    }
    if (write(fd, prompt, strlen(prompt)) < 0) {
        n = -1;
    } else {
        n = read_line(fd, buf, size);
    }
    if (restore) {
        tcsetattr(fd, TCSAFLUSH, &old);
    }
    if (write(fd, "\n", 1) < 0) {
        n = n < 0 ? n : n;
    }
    close(fd);
    return n;
}

/* A passphrase from fd (or the terminal when fd < 0) into a KEK. */
int cli_passphrase(struct cli_ctx *ctx, int fd, const char *prompt,
                   struct seal_kek **out)
{
    char pass[1024];
    long n = fd >= 0 ? read_line(fd, pass, sizeof pass)
                     : read_tty(prompt, pass, sizeof pass);
    int rc;

    *out = NULL;
    if (n == -2) {
        seal_wipe(pass, sizeof pass);
        return ctis_err_set(&ctx->err, CTIS_EKEY,
                            "the passphrase is longer than %zu bytes",
                            sizeof pass - 1);
    }
    if (n <= 0) {
        seal_wipe(pass, sizeof pass);
        if (fd >= 0) {
            return ctis_err_set(&ctx->err, CTIS_EKEY,
                                "no passphrase on descriptor %d", fd);
        }
        return ctis_err_set(&ctx->err, CTIS_EKEY,
                            "the database is sealed and no key was given: "
                            "use --key-file, CTIS_KEY_FILE or a terminal "
                            "for the passphrase");
    }
    rc = seal_kek_from_passphrase(out, pass, (size_t)n, &ctx->err);
    seal_wipe(pass, sizeof pass);
    return rc;
}

/* The process's key-encryption key, asked for once. */
int cli_kek(struct cli_ctx *ctx, const struct seal_kek **out)
{
    int rc = 0;

    *out = NULL;
    if (ctx->kek == NULL) {
        if (ctx->key_file != NULL) {
            rc = seal_kek_from_file(&ctx->kek, ctx->key_file, &ctx->err);
        } else {
            rc = cli_passphrase(ctx, ctx->pass_fd, "ctis passphrase: ",
                                &ctx->kek);
        }
    }
    if (rc == 0) {
        *out = ctx->kek;
    }
    return rc;
}

/* Unlock st when it is sealed. required: the command reads or writes
 * identities, so a sealed database without a key is an error; otherwise
 * a key is used only if one was given (no prompt). A clear database
 * given a key file on a write is sealed on the way (the upgrade). */
int cli_unlock(struct cli_ctx *ctx, struct store *st, int required,
               int writes)
{
    const struct seal_kek *kek = NULL;
    int given = ctx->key_file != NULL || ctx->pass_fd >= 0;
    int rc;

    if (store_is_unlocked(st)) {
        return 0;
    }
    if (!store_is_sealed(st)) {
        if (!given || !writes || !required) {
            return 0;
        }
        rc = cli_kek(ctx, &kek);
        return rc != 0 ? rc : store_key_init(st, kek, &ctx->err);
    }
    if (!required && !given) {
        return 0;
    }
    rc = cli_kek(ctx, &kek);
    return rc != 0 ? rc : store_unlock(st, kek, &ctx->err);
}

int cli_upgrade_names(struct cli_ctx *ctx, struct store *st)
{
    long n = 0;
    int rc = store_is_unlocked(st) ? store_upgrade_names(st, &n, &ctx->err)
                                   : 0;

    if (rc == 0 && n > 0) {
        fprintf(stderr, "ctis: the search index of %ld sealed identities "
                        "made anew (name rule %d)\n",
                n, MODEL_NAME_RULE);
    }
    return rc;
}
