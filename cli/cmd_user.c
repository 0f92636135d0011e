/*
 * cmd_user.c - 'ctis user add|list|disable|passwd': accounts (ops/
 * checks that the caller is an administrator, or the user itself for
 * passwd). A password is read from the first line of a file, never from
 * the command line (where other users could see it).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The first line of path, without its line end, into out. The file must
 * be a regular file of the caller: a FIFO planted at the path blocked the
 * open for ever, and a file another user made (or made first, for the
 * administrator to write into) gave that user the new account's password.
 * Nothing of the file's content reaches an error. */
static int read_password(struct cli_ctx *ctx, const char *path, char *out,
                         size_t n)
{
    struct stat st;
    FILE *f;
    size_t len;
    int fd = ctis_open_own_file(path, "the password file", CTIS_EARG, &st,
                                &ctx->err);

    if (fd < 0) {
        return CTIS_EARG;
    }
    f = fdopen(fd, "rb");
    if (f == NULL) {
        close(fd);
        return ctis_err_set(&ctx->err, CTIS_ENOMEM, "out of memory");
    }
    if (fgets(out, (int)n, f) == NULL) {
        out[0] = '\0';
    }
    fclose(f);
    len = strcspn(out, "\r\n");
    out[len] = '\0';
    if (len == 0) {
        return ctis_err_set(&ctx->err, CTIS_EINVAL,
                            "the password file '%s' has no first line", path);
    }
    return 0;
}

/* user add --username U --role R [--agency A] [--password-file F] */
int cmd_user_add(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"username", required_argument, NULL, 'u'},
        {"agency", required_argument, NULL, 'a'},
        {"role", required_argument, NULL, 'r'},
        {"password-file", required_argument, NULL, 'p'},
        {"must-change", no_argument, NULL, 'm'},
        {NULL, 0, NULL, 0}};
    const char *username = NULL;
    const char *agency = "";
    int must_change = 0;
    const char *pwfile = NULL;
    char password[512];
    int role = -1;
    int c;
    int rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'u') {
            username = optarg;
        } else if (c == 'a') {
            agency = optarg;
        } else if (c == 'r') {
            role = model_code_parse(ops_role_codes, optarg);
            if (role < 0) {
                return cli_usage_error(ctx, "--role is admin, case_worker, "
                                            "police, analyst or viewer");
            }
        } else if (c == 'p') {
            pwfile = optarg;
        } else if (c == 'm') {
            must_change = 1;
        } else {
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (optind < argc || username == NULL || role < 0) {
        return cli_usage_error(ctx, "give --username and --role");
    }
    if (pwfile != NULL) {
        rc = read_password(ctx, pwfile, password, sizeof password);
        if (rc != 0) {
            return cli_fail(ctx, rc);
        }
    }
    rc = ops_user_add(&ctx->ops, username, agency, role,
                      pwfile != NULL ? password : NULL, &ctx->err);
    memset(password, 0, sizeof password);
    if (rc == 0 && must_change) {
        rc = ops_user_set_must_change(&ctx->ops, username, 1, &ctx->err);
    }
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    fprintf(ctx->out, "user '%s' added\n", username);
    return CLI_EXIT_OK;
}

static int print_user(void *ctx, const struct store_user *u)
{
    struct cli_ctx *cli = ctx;

    fprintf(cli->out, "%-20s %-12s %-12s %s\n", u->username,
            model_code_name(ops_role_codes, u->role),
            u->agency[0] != '\0' ? u->agency : "-",
            u->disabled ? "disabled" : "enabled");
    return 0;
}

/* user list */
int cmd_user_list(struct cli_ctx *ctx, int argc, char **argv)
{
    int rc;

    (void)argv;
    if (argc != 1) {
        return cli_usage_error(ctx, "'user list' takes no arguments");
    }
    fprintf(ctx->out, "%-20s %-12s %-12s %s\n", "USER", "ROLE", "AGENCY",
            "STATE");
    rc = ops_user_list(&ctx->ops, print_user, ctx, &ctx->err);
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}

/* user disable USERNAME */
int cmd_user_disable(struct cli_ctx *ctx, int argc, char **argv)
{
    int rc;

    if (argc != 2 || argv[1][0] == '-') {
        return cli_usage_error(ctx, "give one user name");
    }
    rc = ops_user_disable(&ctx->ops, argv[1], &ctx->err);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    fprintf(ctx->out, "user '%s' disabled\n", argv[1]);
    return CLI_EXIT_OK;
}

/* user passwd USERNAME --password-file F */
int cmd_user_passwd(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"password-file", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0}};
    const char *pwfile = NULL;
    char password[512];
    int c;
    int rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'p') {
            return cli_bad_option(ctx, argv[optind - 1]);
        }
        pwfile = optarg;
    }
    if (argc - optind != 1 || pwfile == NULL) {
        return cli_usage_error(ctx, "give USERNAME and --password-file");
    }
    rc = read_password(ctx, pwfile, password, sizeof password);
    if (rc == 0) {
        rc = ops_user_passwd(&ctx->ops, argv[optind], password, &ctx->err);
    }
    memset(password, 0, sizeof password);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    fprintf(ctx->out, "password of '%s' set\n", argv[optind]);
    return CLI_EXIT_OK;
}
