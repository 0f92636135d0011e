/*
 * cli.h - the ctis command line: a table of subcommands (cli.c), each in
 * cli/cmd_<name>.c, and the context the dispatcher hands them.
 *
 * Adding a command:
 *   1. Write cli/cmd_<name>.c exporting
 *      int cmd_<name>(struct cli_ctx *ctx, int argc, char **argv);
 *      argv[0] is the command name; return a CLI_EXIT_* code.
 *   2. Declare it below and add a row to the table in cli.c: name (one
 *      or two words: "case list" is its own row), handler, flags
 *      (CLI_STORE to get ctx->store opened; with it CLI_WRITES to have the
 *      dispatcher wrap the call in one write transaction, or CLI_READS
 *      for one read transaction; CLI_CREATE to create the database if
 *      absent), a one-line usage and the help text.
 *   3. The handler parses with getopt_long, calls one ops/ function with
 *      &ctx->ops (the store and the caller: the local administrator, or
 *      the user of --as) and prints. It never checks a role: ops/ does.
 *   4. Document it in docs/ctis.1 and add a test in tests/cli/.
 *   tests/cli/test_help.sh runs --help for every row of the table.
 *
 * Exit codes (documented in docs/ctis.1): see enum cli_exit.
 */
#ifndef CTIS_CLI_H
#define CTIS_CLI_H

#include <stdio.h>

#include "base/base.h"
#include "ops/ops.h"
#include "store/store.h"

enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILURE = 1,   /* the command could not do its work */
    CLI_EXIT_USAGE = 2,     /* bad arguments */
    CLI_EXIT_INVALID = 3,   /* invalid input data; nothing written */
    CLI_EXIT_NOTFOUND = 4,  /* a named record or file does not exist */
    CLI_EXIT_STORE = 5,     /* the database failed (I/O, damage, server) */
    CLI_EXIT_CONFLICT = 6,  /* exists, stale version, busy or concurrent
                               change */
    CLI_EXIT_PERM = 7,      /* the caller's role may not do this */
    CLI_EXIT_KEY = 8,       /* the key is missing or wrong; nothing
                               written */
    CLI_EXIT_INTERNAL = 70  /* a bug */
};

enum cli_flags {
    CLI_STORE = 1 << 0,
    CLI_WRITES = 1 << 1,
    CLI_CREATE = 1 << 2,
    CLI_READS = 1 << 3,
    CLI_KEY = 1 << 4,       /* reads or writes identities: unlock a sealed
                               database first (cli_unlock, required) */
    CLI_OWN_TXN = 1 << 5    /* open for writing, but the command runs its
                               own transactions (batches) */
};

struct cli_command;

struct cli_ctx {
    const char *db_url;          /* --db, CTIS_DB, the config file's db or
                                    "ctis.db" */
    struct store *store;         /* open when the command has CLI_STORE */
    const struct cli_command *cmd;
    struct ctis_err err;         /* a failing handler leaves its message */
    FILE *out;                   /* stdout */
    const char *as;              /* --as USER, or NULL */
    struct ops ops;              /* the store and the caller, for ops/ */
    char os_user[64];            /* the OS account: the actor of every
                                    write (ops.actor) */
    char via[80];                /* "cli as USER" with --as: the audit
                                    trail's address */
    int opened;                  /* flags of cli_store_open */
    const char *key_file;        /* --key-file or $CTIS_KEY_FILE, or NULL */
    int pass_fd;                 /* --passphrase-fd, or -1 */
    struct seal_kek *kek;        /* asked for once; wiped at exit */
};

typedef int (*cli_handler)(struct cli_ctx *ctx, int argc, char **argv);

struct cli_command {
    const char *name;
    cli_handler handler;
    int flags;
    const char *usage;  /* one line, after "ctis " */
    const char *help;   /* what it does, its options */
};

/* Run ctis with main's arguments; returns the exit code. */
int cli_main(int argc, char **argv);

/* Name the OS account as o's actor, and --as beside it (cli.c). */
void cli_actor(struct cli_ctx *ctx, struct ops *o);

/* Map a CTIS_E* code to a CLI_EXIT_* code. */
int cli_exit_code(int ctis_code);

/* Print "ctis: " and the error message of ctx (or of code) on stderr and
 * return the matching exit code. */
int cli_fail(struct cli_ctx *ctx, int code);

/* Print a usage error about the current command and return
 * CLI_EXIT_USAGE. */
int cli_usage_error(struct cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Usage errors that never repeat what was typed as a value (a name typed
 * in the wrong place would reach the terminal and its logs): an option
 * getopt_long refused, named up to any '=', and an argument the command
 * does not take, by its position only. */
int cli_bad_option(struct cli_ctx *ctx, const char *arg);
int cli_extra_argument(struct cli_ctx *ctx, int index);

/* Copy url into out (n bytes) without a password, for anything printed:
 * "postgresql://u:secret@h/db" becomes "postgresql://u@h/db" and a query
 * naming a password is dropped. A file path is copied as it is. */
void cli_redact_url(const char *url, char *out, size_t n);

/* For handlers that open the store only for some of their options
 * (link --from-db): open it, resolve the caller and begin a write
 * (writes) or read transaction; cli_store_close ends it (commit when rc
 * is 0), closes the store and returns the exit code for rc. */
int cli_store_open(struct cli_ctx *ctx, int writes);
int cli_store_close(struct cli_ctx *ctx, int rc);

/* Refuse an output path (ctis_output_check) that is empty, too long, a
 * directory, the database file or one of inputs[0..n_inputs): 0, or the
 * CTIS_E* code with the message in ctx->err. "-" (stdout) passes. */
int cli_output_check(struct cli_ctx *ctx, const char *path,
                     const char *const *inputs, size_t n_inputs);

/* Why a URL holding a password is refused on the command line (option
 * names where it was given); a static string. */
const char *cli_password_refusal(const char *option);

/* Nonzero when argv holds -h or --help before any "--". */
int cli_wants_help(int argc, char **argv);
/* Print the command's usage and help on stdout. */
void cli_print_help(const struct cli_command *cmd);

/* The key-encryption key of the process (key.c): --key-file,
 * $CTIS_KEY_FILE, --passphrase-fd or the terminal; asked for once and
 * kept in ctx (borrowed). CTIS_EKEY when none can be had. */
int cli_kek(struct cli_ctx *ctx, const struct seal_kek **out);
/* Read a passphrase from fd (the terminal when fd < 0) into *out (the
 * caller's, seal_kek_free). */
int cli_passphrase(struct cli_ctx *ctx, int fd, const char *prompt,
                   struct seal_kek **out);
/* Unlock a sealed st (required: fail without a key); seal a clear one
 * when a key was given and writes is set. */
int cli_unlock(struct cli_ctx *ctx, struct store *st, int required,
               int writes);
/* The upgrade a writer with the key makes at open: a search index of an
 * older name rule made anew (store_upgrade_names), with a line on stderr
 * saying how many. Nothing on a locked or clear store. */
int cli_upgrade_names(struct cli_ctx *ctx, struct store *st);

/* The commands. */
int cmd_init(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import(struct cli_ctx *ctx, int argc, char **argv);
int cmd_export(struct cli_ctx *ctx, int argc, char **argv);
int cmd_case_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_case_show(struct cli_ctx *ctx, int argc, char **argv);
int cmd_case_history(struct cli_ctx *ctx, int argc, char **argv);
int cmd_case_find(struct cli_ctx *ctx, int argc, char **argv);
int cmd_case_add(struct cli_ctx *ctx, int argc, char **argv);
int cmd_case_update(struct cli_ctx *ctx, int argc, char **argv);
int cmd_case_event(struct cli_ctx *ctx, int argc, char **argv);
int cmd_case_transfer(struct cli_ctx *ctx, int argc, char **argv);
int cmd_case_refer(struct cli_ctx *ctx, int argc, char **argv);
int cmd_referral_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_referral_decide(struct cli_ctx *ctx, int argc, char **argv);
int cmd_user_add(struct cli_ctx *ctx, int argc, char **argv);
int cmd_user_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_user_disable(struct cli_ctx *ctx, int argc, char **argv);
int cmd_user_passwd(struct cli_ctx *ctx, int argc, char **argv);
int cmd_report(struct cli_ctx *ctx, int argc, char **argv);
int cmd_demo(struct cli_ctx *ctx, int argc, char **argv);
int cmd_link(struct cli_ctx *ctx, int argc, char **argv);
int cmd_estimate(struct cli_ctx *ctx, int argc, char **argv);
int cmd_migrate(struct cli_ctx *ctx, int argc, char **argv);
int cmd_serve(struct cli_ctx *ctx, int argc, char **argv);
int cmd_audit_verify(struct cli_ctx *ctx, int argc, char **argv);
int cmd_audit_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_key(struct cli_ctx *ctx, int argc, char **argv);
int cmd_backup(struct cli_ctx *ctx, int argc, char **argv);
int cmd_restore(struct cli_ctx *ctx, int argc, char **argv);
int cmd_person(struct cli_ctx *ctx, int argc, char **argv);

#endif
