/* certnotice staff: the counter's accounts: add, passwd, remove, list. Passwords are read
 * from the terminal without echo (or from standard input when it is not a terminal), asked
 * twice, never from argv; every change is written to the audit. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "config_load.h"
#include "err.h"
#include "log.h"
#include "open_db.h"
#include "secret.h"
#include "store_staff.h"
#include "store.h"

enum { STAFF_DB, STAFF_CONFIG, STAFF_OFFICE, STAFF_ALL };

const struct cmd_usage cmd_staff_usage = {
    .name = "staff",
    .operands = "add|passwd|remove|list [NAME]",
    .min_operands = 1,
    .max_operands = 2,
    .summary = "The counter staff's accounts. The password is asked on the terminal (twice), "
               "or read as two lines from standard input.",
    .opts =
        {
            [STAFF_DB] = {"db", "FILE|URI", BOOKING_STORE_HELP},
            [STAFF_CONFIG] = {"config", "FILE",
                              "the config naming the offices (add --office), and the store "
                              "without --db",
                              "certnotice.xml"},
            [STAFF_OFFICE] = {"office", "ID", "add: the office whose list the account sees"},
            [STAFF_ALL] = {"all", NULL, "add: every office (the call centre, supervisors)"},
        },
};

#define PASSWORD_MAX 256

/* One line without its newline; false at end of input or for a line too long. */
static bool read_line(FILE *in, char *buf, size_t cap)
{
    if (!fgets(buf, (int)cap, in))
        return false;
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    else if (!feof(in))
        return false;
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return true;
}

/* From the terminal with echo off, or a line of standard input. */
static bool ask(const char *prompt, char *buf, size_t cap)
{
    if (!isatty(STDIN_FILENO))
        return read_line(stdin, buf, cap);
    struct termios old, quiet;
    const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        quiet = old;
        quiet.c_lflag &= (tcflag_t) ~(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    /* the prompt after the echo is off: a flush then cannot eat what is typed after it */
    fputs(prompt, stderr);
    fflush(stderr);
    const bool ok = read_line(stdin, buf, cap);
    if (tty)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return ok;
}

/* Asks twice and hashes; the plain text is wiped before returning. */
static int new_password(char hash[SECRET_HASH_MAX])
{
    char a[PASSWORD_MAX], b[PASSWORD_MAX];
    int rc = CN_EUSAGE;
    const char *problem = NULL;
    if (!ask("New password: ", a, sizeof a) || !ask("Again: ", b, sizeof b))
        fprintf(stderr, "certnotice staff: the password was not given twice\n");
    else if (strcmp(a, b) != 0)
        fprintf(stderr, "certnotice staff: the two passwords differ\n");
    else if ((problem = secret_password_problem(a)))
        fprintf(stderr, "certnotice staff: %s\n", problem);
    else {
        struct cn_err err = {0};
        rc = secret_hash_password(a, hash, &err);
        if (rc)
            log_error("staff", "%s", err.msg);
    }
    explicit_bzero(a, sizeof a);
    explicit_bzero(b, sizeof b);
    return rc;
}

/* Who ran the command, for the audit: the operating system's account. */
static void cli_user(char *out, size_t cap)
{
    const struct passwd *pw = getpwuid(geteuid());
    snprintf(out, cap, "cli:%s", pw && pw->pw_name ? pw->pw_name : "?");
}

static int print_account(const struct staff_account *a, void *ctx)
{
    (void)ctx;
    printf("%-20s %-12s %-19s  %s\n", a->name,
           strcmp(a->office, STAFF_ALL_OFFICES) == 0 ? "(all)" : a->office, a->created, a->changed);
    return 0;
}

static bool office_known(const struct config *cfg, const char *office)
{
    bool found = config_office(cfg, office) != NULL;
    if (!found)
        fprintf(stderr, "certnotice staff: --office '%s' is not an office of %s\n", office,
                cfg->path);
    return found;
}

static int run(struct store *s, const char *verb, const char *name, const char *office)
{
    struct cn_err err = {0};
    char hash[SECRET_HASH_MAX] = "", who[64], detail[96];
    bool flag = false;
    int rc;
    cli_user(who, sizeof who);
    if (strcmp(verb, "list") == 0) {
        printf("%-20s %-12s %-19s  %s\n", "name", "office", "created (UTC)", "changed (UTC)");
        rc = store_staff_each(s, print_account, NULL, &err);
    } else if (strcmp(verb, "add") == 0) {
        if ((rc = new_password(hash)))
            return rc;
        rc = store_staff_add(s, name, office, hash, &flag, &err);
        if (!rc && flag) {
            fprintf(stderr, "certnotice staff: an account '%s' exists already\n", name);
            return CN_EUSAGE;
        }
        snprintf(detail, sizeof detail, "account %s office %s", name, office);
    } else if (strcmp(verb, "passwd") == 0) {
        if ((rc = new_password(hash)))
            return rc;
        rc = store_staff_passwd(s, name, hash, &flag, &err);
        snprintf(detail, sizeof detail, "account %s", name);
    } else {
        rc = store_staff_remove(s, name, &flag, &err);
        snprintf(detail, sizeof detail, "account %s", name);
    }
    explicit_bzero(hash, sizeof hash);
    if (!rc && strcmp(verb, "list") != 0) {
        if (strcmp(verb, "add") != 0 && !flag) {
            fprintf(stderr, "certnotice staff: no account '%s'\n", name);
            return CN_EUSAGE;
        }
        char action[24];
        snprintf(action, sizeof action, "staff %s", verb);
        rc = store_staff_audit(s, who, action, detail, "cli", &err);
        if (!rc)
            printf("certnotice staff: %s %s\n", verb, name);
    }
    if (rc)
        log_error("staff", "%s", err.msg);
    return rc;
}

int cmd_staff(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_staff_usage, argc, argv, &a, &rc))
        return rc;
    const char *verb = argv[a.first], *name = a.first + 1 < argc ? argv[a.first + 1] : NULL;
    const bool list = strcmp(verb, "list") == 0, add = strcmp(verb, "add") == 0;
    if (!list && !add && strcmp(verb, "passwd") != 0 && strcmp(verb, "remove") != 0) {
        fprintf(stderr, "certnotice staff: '%s' is not add, passwd, remove or list\n", verb);
        return CN_EUSAGE;
    }
    if (list == (name != NULL)) {
        fprintf(stderr, "certnotice staff: %s\n",
                list ? "list takes no NAME" : "which account? (a NAME after the verb)");
        return CN_EUSAGE;
    }
    if (name && !staff_name_ok(name)) {
        fprintf(stderr,
                "certnotice staff: '%s' is not an account name (1-31 of a-z, 0-9, '.', '_', "
                "'-')\n",
                name);
        return CN_EUSAGE;
    }
    const char *office = a.value[STAFF_ALL] ? STAFF_ALL_OFFICES : a.value[STAFF_OFFICE];
    if (add && (!office || (a.value[STAFF_ALL] && a.value[STAFF_OFFICE]))) {
        fprintf(stderr, "certnotice staff: add needs --office ID or --all (one of them)\n");
        return CN_EUSAGE;
    }
    if (!add && (a.value[STAFF_ALL] || a.value[STAFF_OFFICE])) {
        fprintf(stderr, "certnotice staff: --office and --all belong to add\n");
        return CN_EUSAGE;
    }
    /* The config: for an office's name, and for the store when --db is not given. */
    const bool by_office = add && !a.value[STAFF_ALL];
    struct cn_err err = {0};
    struct config cfg = {0};
    if ((by_office || !a.value[STAFF_DB]) &&
        (rc = config_load(a.value[STAFF_CONFIG], &cfg, &err))) {
        log_error("staff", "%s", err.msg);
        return rc;
    }
    const char *db = booking_store_where(a.value[STAFF_DB], &cfg);
    struct store *s = NULL;
    if (by_office && !office_known(&cfg, office)) {
        rc = CN_EUSAGE;
    } else if (!add && !store_uri_is_pg(db) && access(db, F_OK) != 0) {
        log_error("staff", "%s: no database: %s", db, strerror(errno));
        rc = CN_EINPUT;
    } else if ((rc = store_open_booking(db, 0, &s, &err))) {
        log_error("staff", "%s", err.msg);
    } else {
        rc = run(s, verb, name, office);
    }
    store_close(s);
    config_free(&cfg);
    return rc;
}
