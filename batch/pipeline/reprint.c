#include "reprint.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "grow.h"
#include "log.h"
#include "night.h"
#include "printjob.h"
#include "publish.h"
#include "rid.h"
#include "rules.h"
#include "store_notice.h"
#include "store_resident.h"
#include "store_returned.h"
#include "store_run.h"

struct reprint {
    struct night night; /* the night's dictionary: a reprint carries the barcode it would */
    struct publish *pub;
    struct printjob_letter *letters;
    size_t n, cap;
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
    if ((rc = store_get_resident(p->night.store, n->resident_id, &res, &found, err)))
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
    if ((rc = postal_dict_decide(&p->night.dict, res.postal_code, res.address, res.address2, &d,
                                 &decided, err)))
        return rc;
    if (decided) {
        if (d.verdict == POSTAL_MISMATCH) {
            char why[256];
            postal_dict_mismatch_reason(&d, why, sizeof why);
            if (!p->night.cfg.mismatch_prints)
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
    printjob_letter_view(l, &res, &p->night.cfg, p->night.date, &view);
    if (!render_check(p->night.setup, &view, reason, sizeof reason))
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
        if ((rc = store_notice_by_rid(p->night.store, rid, &n, &found, err)))
            return rc;
        if (found)
            return add_notice(p, &n, err);
    }
    struct notice list[8];
    int count = 0;
    if ((rc = store_notices_of_resident(p->night.store, arg, list, 8, &count, err)))
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
    if ((rc = store_begin(p->night.store, err)))
        return rc;
    for (size_t i = 0; i < p->n; i++) {
        char detail[160];
        snprintf(detail, sizeof detail, "rid=%s resident=%s batch=%s seq=%ld", p->letters[i].rid,
                 p->letters[i].resident_id, batch, p->letters[i].seq);
        /* Reprinting to the current address is the clerk's answer to returned mail. */
        if ((rc = store_audit(p->night.store, "reprint", detail, err)) ||
            (rc = store_set_returned_hold(p->night.store, p->letters[i].resident_id, false, err))) {
            store_rollback(p->night.store);
            return rc;
        }
    }
    return store_commit(p->night.store, err);
}

int reprint_letters(const struct reprint_opts *o, char batch[REPRINT_BATCH_MAX], long *letters,
                    struct cn_err *err)
{
    struct reprint p = {.pub = NULL};
    const struct night_opts no = {.command = "reprint",
                                  .stage = "reprint",
                                  .config = o->config,
                                  .db = o->db,
                                  .out = o->out,
                                  .date = o->date};
    char base[32], day[11];
    batch[0] = '\0';
    *letters = 0;
    int rc = night_open(&p.night, &no, err);
    if (rc)
        goto done;
    date_format_iso(p.night.date, day);
    snprintf(base, sizeof base, "%s-reprint", day);
    for (int i = 0; i < o->n_ids; i++)
        if ((rc = add_argument(&p, o->ids[i], err)))
            goto done;
    if ((rc = printjob_sort(p.night.store, p.letters, p.n, p.night.cfg.batch_size, err)))
        goto done;
    if (mkdir(o->out, 0700) != 0 && errno != EEXIST) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: cannot create: %s", o->out, strerror(errno));
        goto done;
    }
    if ((rc = printjob_batch_name(o->out, base, batch, err)) ||
        (rc = publish_begin(o->out, batch, p.night.cfg.file_mode, &p.pub, err)))
        goto done;
    struct printjob job = {.cfg = &p.night.cfg,
                           .setup = p.night.setup,
                           .store = p.night.store,
                           .pub = p.pub,
                           .issue_date = p.night.date,
                           .jobs = 1,
                           .reprint = true};
    struct printjob_totals totals;
    char label[96];
    snprintf(label, sizeof label, "%s 再発行 (run %lld)", batch, (long long)p.night.run_id);
    if ((rc = printjob_publish(&job, label, p.letters, p.n, NULL, NULL, &totals, err)) ||
        (rc = audit_and_release(&p, batch, err)))
        goto done;
    *letters = totals.letters;
done:
    night_finish(&p.night, rc, rc ? err->msg : "reprinted");
    publish_free(p.pub);
    printjob_letters_free(p.letters, p.n);
    night_close(&p.night);
    return rc;
}
