/* `certnotice specimen [--config FILE] [--date D] --out FILE`: one page pair per letter
 * variant, filled with sample data and marked 見本, for the municipality to approve; then the
 * first variant with each offered language's insert, and in large print. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "commands.h"
#include "config.h"
#include "config_load.h"
#include "err.h"
#include "log.h"
#include "letter.h"
#include "postal_dict.h"
#include "reader.h"
#include "render.h"
#include "rid.h"
#include "rules.h"

struct sample {
    const char *what;
    bool sign, user, face_auth, adult_ward, expired;
    enum resv_policy policy;
};

static const struct sample samples[] = {
    {"both certificates", true, true, false, false, false, RESV_REQUIRED},
    {"user certificate only", false, true, false, false, false, RESV_REQUIRED},
    {"face-authentication card", false, true, true, false, false, RESV_REQUIRED},
    {"adult ward", true, true, false, true, false, RESV_REQUIRED},
    {"reservation optional", true, true, false, false, false, RESV_OPTIONAL},
    {"walk-in", true, true, false, false, false, RESV_NONE},
    {"expired", true, true, false, false, true, RESV_REQUIRED},
};

/* A fixed, valid reservation ID: the first symbol that makes the check symbol agree. */
static void sample_rid(char out[RID_LEN + 1])
{
    static const char syms[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    char typed[RID_LEN + 1] = "MHNABCD2345";
    for (const char *c = syms; *c; c++) {
        typed[RID_LEN - 1] = *c;
        typed[RID_LEN] = '\0';
        if (rid_check(typed, out))
            return;
    }
    memcpy(out, typed, RID_LEN + 1);
}

static void sample_resident(const struct config *cfg, const struct sample *s, cn_date expiry,
                            struct resident *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->resident_id, sizeof r->resident_id, "000000000000");
    snprintf(r->name, sizeof r->name, "見本　太郎");
    snprintf(r->name_kana, sizeof r->name_kana, "ミホン　タロウ");
    r->birth_date = date_from_ymd(1985, 4, 1);
    snprintf(r->postal_code, sizeof r->postal_code, "%s", cfg->sender_postal);
    snprintf(r->address, sizeof r->address, "%s", cfg->sender_address);
    snprintf(r->address2, sizeof r->address2, "見本マンション101号");
    r->card_expiry = date_add_months_clamped(expiry, 60);
    r->sign_cert_expiry = s->sign ? expiry : DATE_NONE;
    r->user_cert_expiry = s->user ? expiry : DATE_NONE;
    r->face_auth = s->face_auth;
    r->adult_ward = s->adult_ward;
    r->status = STATUS_ACTIVE;
}

/* The district a variant is shown with: the config's district with that policy and the
 * most offices (the fullest office list to approve), or else the first district's offices
 * under that policy, so every config shows every variant. */
static void sample_district(const struct config *cfg, enum resv_policy p, struct district *out)
{
    const struct district *best = NULL;
    for (size_t i = 0; i < cfg->n_districts; i++)
        if (cfg->districts[i].policy == p &&
            (!best || cfg->districts[i].n_offices > best->n_offices))
            best = &cfg->districts[i];
    *out = best ? *best : cfg->districts[0];
    out->policy = p;
}

enum { SPECIMEN_CONFIG, SPECIMEN_DATE, SPECIMEN_OUT, SPECIMEN_DB };

const struct cmd_usage cmd_specimen_usage = {
    .name = "specimen",
    .summary = "A 見本 PDF with every letter variant, for the municipality to approve.",
    .opts =
        {
            [SPECIMEN_CONFIG] = {"config", "FILE", "the municipality",
                                 "templates/municipalities/kasugai.xml"},
            [SPECIMEN_DATE] = {"date", "D", "the letters' date, YYYY-MM-DD (default: today)"},
            [SPECIMEN_OUT] = {"out", "FILE", "the PDF to write", .required = true},
            [SPECIMEN_DB] = {"db", "FILE",
                             "the database whose postcode dictionary decides the barcode, as the "
                             "night's (read only when it exists)",
                             "certnotice.db"},
        },
};

int cmd_specimen(int argc, char **argv)
{
    const struct cmd_usage *u = &cmd_specimen_usage;
    struct opts_result a;
    int rc;
    if (!opts_parse(u, argc, argv, &a, &rc))
        return rc;
    const char *config_path = a.value[SPECIMEN_CONFIG], *out_path = a.value[SPECIMEN_OUT];
    cn_date run = clock_today();
    if (!opts_date(u, SPECIMEN_DATE, &a, &run))
        return CN_EUSAGE;
    struct config cfg;
    struct render_setup *setup = NULL;
    struct render_file *file = NULL;
    struct store *store = NULL;
    struct postal_dict dict = {0};
    const char *db = a.value[SPECIMEN_DB];
    struct cn_err err = {0};
    bool cfg_loaded = false;
    memset(&cfg, 0, sizeof cfg);
    if ((rc = config_load(config_path, &cfg, &err)))
        goto done;
    cfg_loaded = true;
    /* The large-print front is shown whether or not the city has turned it on yet. */
    if (!cfg.large_print_age)
        cfg.large_print_age = 75;
    if (cfg.n_districts == 0) {
        rc = cn_fail(&err, CN_EUSAGE, "%s: no districts", config_path);
        goto done;
    }
    /* a specimen makes no database: without one, the rules alone, said once */
    if (access(db, F_OK) == 0 && (rc = store_open(db, cfg.file_mode, &store, &err)))
        goto done;
    if ((rc = postal_dict_open(&dict, store, db, run, &err)) ||
        (rc = render_setup_load(&cfg, &setup, &err)))
        goto done;
    render_setup_specimen(setup, true);
    if ((rc = render_file_open(setup, &file, &err)))
        goto done;
    char rid[RID_LEN + 1];
    sample_rid(rid);
    /* The variants, then the first one with each language's insert, then in large print,
     * then every variant's reminder (same ID, the headline with the date; a reminder goes
     * before expiry, so the expired variant has none). */
    const size_t n_variants = sizeof samples / sizeof *samples;
    enum lang extra[LANG_COUNT + 1];
    size_t n_extra = 0;
    for (int k = 0; k < LANG_COUNT; k++)
        if (k != LANG_JA && (cfg.languages & (1u << k)))
            extra[n_extra++] = (enum lang)k;
    extra[n_extra++] = LANG_JA; /* large print */
    const size_t first_reminder = n_variants + n_extra;
    long seq = 0;
    for (size_t i = 0; i < first_reminder + n_variants; i++) {
        const bool reminder = i >= first_reminder;
        const struct sample *s = &samples[reminder ? i - first_reminder : i < n_variants ? i : 0];
        const bool large = i + 1 == first_reminder;
        if (reminder && s->expired)
            continue;
        /* A letter sent tonight: expiry so that the window opens lead_days from now; a
         * reminder's, the config's days before expiry (30 when it sends none). */
        cn_date expiry = s->expired ? run - 20
                         : reminder ? run + (cfg.reminder_days ? cfg.reminder_days : 30)
                                    : date_add_months_clamped(run + cfg.lead_days, 3) - 1;
        struct resident r;
        struct district d;
        sample_resident(&cfg, s, expiry, &r);
        if (large)
            r.birth_date = date_from_ymd(1945, 4, 1);
        sample_district(&cfg, s->policy, &d);
        struct cert_group groups[2];
        if (rules_cert_groups(&r, groups) < 1) {
            rc = cn_fail(&err, CN_EUSAGE, "specimen %s: no certificate", s->what);
            goto done;
        }
        seq++;
        struct letter l = {.r = &r,
                           .district = &d,
                           .certs = groups[0],
                           .issue_date = run,
                           .seq = seq,
                           .file_no = 1};
        l.window = rules_window(groups[0].expiry);
        l.variant = rules_variant(&r, &groups[0], s->policy, run);
        l.variant.reminder = reminder;
        memcpy(l.rid, rid, sizeof l.rid);
        if (i >= n_variants && !reminder) {
            l.insert_lang = large ? LANG_JA : extra[i - n_variants];
            l.large_print = large;
            l.pages = reader_pages(l.insert_lang != LANG_JA, large);
        }
        struct postal_decision pd;
        bool decided;
        if ((rc = postal_dict_decide(&dict, r.postal_code, r.address, r.address2, &pd, &decided,
                                     &err)))
            goto done;
        if (decided) {
            l.barcode_from = pd.barcode ? BARCODE_GIVEN : BARCODE_NONE;
            l.barcode = pd.cb;
            if (i == 0 && pd.verdict == POSTAL_MISMATCH) {
                char why[256];
                postal_dict_mismatch_reason(&pd, why, sizeof why);
                log_warn("specimen", "the sender's address: %s: no customer barcode", why);
            }
        }
        char reason[256];
        if (!render_check(setup, &l, reason, sizeof reason)) {
            rc = cn_fail(&err, CN_EUSAGE, "specimen %s%s: %s", s->what,
                         reminder ? " (reminder)" : "", reason);
            goto done;
        }
        if ((rc = render_file_add(file, &l, &err)))
            goto done;
    }
    int pages = 0;
    if ((rc = render_file_save(file, out_path, cfg.file_mode ? cfg.file_mode : 0600, &pages, &err)))
        goto done;
    fprintf(stderr,
            "level=info stage=specimen msg=\"%s: %d pages, %zu variants, %zu inserts, large "
            "print, reminders: %ld letters\"\n",
            out_path, pages, n_variants, n_extra - 1, seq);
done:
    if (rc)
        fprintf(stderr, "level=error stage=specimen msg=\"%s\"\n", err.msg);
    render_file_free(file);
    render_setup_free(setup);
    postal_dict_close(&dict);
    store_close(store);
    if (cfg_loaded)
        config_free(&cfg);
    return rc;
}
