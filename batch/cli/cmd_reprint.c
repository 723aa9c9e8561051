/* certnotice reprint: prints a letter again, with the same reservation ID, in a batch of
 * its own (OUT/DATE-reprint), recorded in the audit log. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"
#include "commands.h"
#include "config.h"
#include "config_load.h"
#include "grow.h"
#include "lock.h"
#include "log.h"
#include "postal_dict.h"
#include "printjob.h"
#include "publish.h"
#include "render.h"
#include "rid.h"
#include "store.h"
#include "store_notice.h"
#include "store_resident.h"
#include "store_returned.h"
#include "store_run.h"

struct reprint {
    struct config cfg;
    struct store *store;
    struct render_setup *setup;
    struct publish *pub;
    struct postal_dict dict; /* the night's: a reprint carries the barcode the night would */
    struct printjob_letter *letters;
    size_t n, cap;
    cn_date date;
    const char *out;
    int jobs;
};

/* Adds one notice as a letter to print again, at the resident's current address. */
static int add_notice(struct reprint *p, const struct notice *n, struct cn_err *err)
{
    if (n->status != NOTICE_PUBLISHED && n->status != NOTICE_RETURNED)
        return cn_fail(err, CN_EUSAGE,
                       "reservation ID %s was never published: the nightly run prints it", n->rid);
    for (size_t i = 0; i < p->n; i++)
        if (p->letters[i].notice_id == n->id)
            return CN_OK; /* named twice: one letter */
    struct resident res;
    bool found;
    int rc;
    if ((rc = store_get_resident(p->store, n->resident_id, &res, &found, err)))
        return rc;
    if (!found)
        return cn_fail(err, CN_EUSAGE, "resident %s is no longer in the database", n->resident_id);
    struct cert_group groups[2], g = {.expiry = n->cert_expiry};
    int ng = rules_cert_groups(&res, groups);
    for (int i = 0; i < ng; i++)
        if (groups[i].expiry == n->cert_expiry)
            g = groups[i];
    struct variant v;
    if (!rules_variant_parse(n->variant, &v))
        return cn_fail(err, CN_EUSAGE, "reservation ID %s has an unknown variant %s", n->rid,
                       n->variant);
    /* The letter says what it said the first time: the variant as stored. */
    g.sign = v.sign;
    g.user = v.user;
    struct printjob_letter *letters = grow_for_one(p->letters, &p->cap, p->n, sizeof *letters, 16);
    if (!letters)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    p->letters = letters;
    struct printjob_letter *l = &p->letters[p->n];
    if (printjob_letter_init(l, &res, &g))
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    p->n++;
    l->variant = v;
    l->notice_id = n->id;
    memcpy(l->rid, n->rid, sizeof l->rid);
    struct postal_decision d;
    bool decided;
    if ((rc = postal_dict_decide(&p->dict, res.postal_code, res.address, res.address2, &d, &decided,
                                 err)))
        return rc;
    if (decided) {
        if (d.verdict == POSTAL_MISMATCH) {
            char why[256];
            postal_dict_mismatch_reason(&d, why, sizeof why);
            if (!p->cfg.mismatch_prints)
                return cn_fail(err, CN_EUSAGE,
                               "reservation ID %s is held, as the night holds it: %s", n->rid, why);
            log_warn("reprint", "reservation ID %s: %s: printed without customer barcode", n->rid,
                     why);
        }
        l->barcode_from = d.barcode ? BARCODE_GIVEN : BARCODE_NONE;
        l->barcode = d.cb;
    }
    struct letter view;
    char reason[256];
    printjob_letter_view(l, &res, &p->cfg, p->date, &view);
    if (!render_check(p->setup, &view, reason, sizeof reason))
        return cn_fail(err, CN_EUSAGE, "reservation ID %s cannot be printed: %s", n->rid, reason);
    return CN_OK;
}

/* An argument is a reservation ID if its check symbol says so, else a resident ID. */
static int add_argument(struct reprint *p, const char *arg, struct cn_err *err)
{
    char rid[RID_LEN + 1];
    struct notice n;
    bool found;
    int rc;
    if (rid_check(arg, rid)) {
        if ((rc = store_notice_by_rid(p->store, rid, &n, &found, err)))
            return rc;
        if (found)
            return add_notice(p, &n, err);
    }
    struct notice list[8];
    int count = 0;
    if ((rc = store_notices_of_resident(p->store, arg, list, 8, &count, err)))
        return rc;
    if (count == 0)
        return cn_fail(err, CN_EUSAGE,
                       "'%s' is neither a reservation ID nor a resident with "
                       "a letter",
                       arg);
    /* A resident ID means the newest letter: the one the resident is waiting for. */
    return add_notice(p, &list[0], err);
}

static int audit_and_release(struct reprint *p, const char *batch, struct cn_err *err)
{
    int rc;
    if ((rc = store_begin(p->store, err)))
        return rc;
    for (size_t i = 0; i < p->n; i++) {
        char detail[160];
        snprintf(detail, sizeof detail, "rid=%s resident=%s batch=%s seq=%ld", p->letters[i].rid,
                 p->letters[i].resident_id, batch, p->letters[i].seq);
        /* Reprinting to the current address is the clerk's answer to returned mail. */
        if ((rc = store_audit(p->store, "reprint", detail, err)) ||
            (rc = store_set_returned_hold(p->store, p->letters[i].resident_id, false, err))) {
            store_rollback(p->store);
            return rc;
        }
    }
    return store_commit(p->store, err);
}

enum { REPRINT_DB, REPRINT_OUT, REPRINT_CONFIG, REPRINT_DATE };

const struct cmd_usage cmd_reprint_usage = {
    .name = "reprint",
    .operands = "ID...",
    .min_operands = 1,
    .max_operands = -1,
    .summary = "The same letter again, by reservation or resident ID, in OUT/DATE-reprint/.",
    .opts =
        {
            [REPRINT_DB] = {"db", "FILE", "the database", "certnotice.db"},
            [REPRINT_OUT] = {"out", "DIR", "where the batch folder appears", "out"},
            [REPRINT_CONFIG] = {"config", "FILE", "the municipality", "certnotice.xml"},
            [REPRINT_DATE] = {"date", "D", "the letters' date, YYYY-MM-DD (default: today)"},
        },
};

int cmd_reprint(int argc, char **argv)
{
    const struct cmd_usage *u = &cmd_reprint_usage;
    struct opts_result a;
    int rc;
    if (!opts_parse(u, argc, argv, &a, &rc))
        return rc;
    struct reprint p = {.date = clock_today(), .out = a.value[REPRINT_OUT], .jobs = 1};
    if (!opts_date(u, REPRINT_DATE, &a, &p.date))
        return CN_EUSAGE;
    const char *db = a.value[REPRINT_DB], *config = a.value[REPRINT_CONFIG];
    struct cn_err err = {0};
    struct run_lock *lock = NULL;
    int64_t run_id = 0;
    char base[32], batch[64], day[11];
    date_format_iso(p.date, day);
    snprintf(base, sizeof base, "%s-reprint", day);
    if ((rc = config_load(config, &p.cfg, &err)) ||
        (rc = lock_acquire(db, p.cfg.file_mode, &lock, &err)) ||
        (rc = store_open(db, p.cfg.file_mode, &p.store, &err)) ||
        (rc = store_run_begin(p.store, p.date, "reprint", &run_id, &err)) ||
        (rc = printjob_recover(p.store, p.out, &err)) ||
        (rc = postal_dict_open(&p.dict, p.store, db, p.date, &err)) ||
        (rc = render_setup_load(&p.cfg, &p.setup, &err)))
        goto done;
    for (int i = a.first; i < argc; i++)
        if ((rc = add_argument(&p, argv[i], &err)))
            goto done;
    if ((rc = printjob_sort(p.store, p.letters, p.n, p.cfg.batch_size, &err)))
        goto done;
    if (mkdir(p.out, 0700) != 0 && errno != EEXIST) {
        rc = cn_fail(&err, CN_EOUTPUT, "%s: cannot create: %s", p.out, strerror(errno));
        goto done;
    }
    if ((rc = printjob_batch_name(p.out, base, batch, &err)) ||
        (rc = publish_begin(p.out, batch, p.cfg.file_mode, &p.pub, &err)))
        goto done;
    struct printjob job = {.cfg = &p.cfg,
                           .setup = p.setup,
                           .store = p.store,
                           .pub = p.pub,
                           .issue_date = p.date,
                           .jobs = p.jobs,
                           .reprint = true};
    struct printjob_totals totals;
    char label[96];
    snprintf(label, sizeof label, "%s 再発行 (run %lld)", batch, (long long)run_id);
    if ((rc = printjob_publish(&job, label, p.letters, p.n, NULL, NULL, &totals, &err)) ||
        (rc = audit_and_release(&p, batch, &err)))
        goto done;
    printf("%s/%s: %ld letters reprinted\n", p.out, batch, totals.letters);
done:
    if (rc)
        log_error("reprint", "%s", err.msg);
    if (p.store && run_id)
        store_run_finish(p.store, run_id, rc, rc ? err.msg : "reprinted", NULL);
    publish_free(p.pub);
    render_setup_free(p.setup);
    postal_dict_close(&p.dict);
    printjob_letters_free(p.letters, p.n);
    store_close(p.store);
    lock_release(lock);
    config_free(&p.cfg);
    return rc;
}
