#include "config_load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "config_load_int.h"
#include "log.h"
#include "store_where.h"

int ld_bad(struct loader *ld, xmlNodePtr node, const char *fmt, ...)
{
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cn_fail(ld->err, CN_EUSAGE, "%s:%ld: %s", ld->path, node ? xmlGetLineNo(node) : 0L, msg);
}

bool ld_named(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNodePtr ld_child(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next)
        if (ld_named(n, name))
            return n;
    return NULL;
}

/* Copies attribute `name` into out; missing is an error only when required. */
int ld_attr(struct loader *ld, xmlNodePtr node, const char *name, char *out, size_t cap,
            bool required)
{
    xmlChar *v = node ? xmlGetProp(node, (const xmlChar *)name) : NULL;
    out[0] = '\0';
    if (!v) {
        return required ? ld_bad(ld, node, "missing attribute '%s'", name) : CN_OK;
    }
    size_t len = strlen((const char *)v);
    int rc = CN_OK;
    if (len >= cap)
        rc = ld_bad(ld, node, "attribute '%s' is too long", name);
    else
        memcpy(out, v, len + 1);
    xmlFree(v);
    return rc;
}

int ld_attr_int(struct loader *ld, xmlNodePtr node, const char *name, int lo, int hi, int *out)
{
    char buf[32];
    int rc = ld_attr(ld, node, name, buf, sizeof buf, false);
    if (rc || !buf[0])
        return rc; /* keep the default */
    char *end;
    long v = strtol(buf, &end, 10);
    if (*end || v < lo || v > hi)
        return ld_bad(ld, node, "attribute '%s' is out of range", name);
    *out = (int)v;
    return CN_OK;
}

int ld_attr_bool(struct loader *ld, xmlNodePtr node, const char *name, bool *out)
{
    char buf[8];
    int rc = ld_attr(ld, node, name, buf, sizeof buf, false);
    if (rc || !buf[0])
        return rc;
    if (strcmp(buf, "true") == 0)
        *out = true;
    else if (strcmp(buf, "false") == 0)
        *out = false;
    else
        return ld_bad(ld, node, "attribute '%s' must be true or false", name);
    return CN_OK;
}

/* A path in the config is relative to the config's own folder, so a config and its
 * templates can be moved together. */
int ld_attr_path(struct loader *ld, xmlNodePtr node, const char *name, char *out, size_t cap)
{
    char raw[512];
    out[0] = '\0'; /* an absent attribute leaves the caller's default */
    int rc = ld_attr(ld, node, name, raw, sizeof raw, false);
    if (rc || !raw[0] || raw[0] == '/') {
        if (!rc && raw[0])
            memcpy(out, raw, strlen(raw) + 1);
        return rc;
    }
    if ((size_t)snprintf(out, cap, "%s/%s", ld->dir, raw) >= cap)
        return ld_bad(ld, node, "path in '%s' is too long", name);
    return CN_OK;
}

/* A tz database name that this system has: letters, digits, '/', '_', '-', '+', no "..",
 * and a file under /usr/share/zoneinfo (an unknown TZ would silently mean UTC). */
static bool zone_known(const char *zone)
{
    if (!zone[0] || zone[0] == '/' || strstr(zone, ".."))
        return false;
    for (const char *p = zone; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '/' || *p == '_' || *p == '-' || *p == '+'))
            return false;
    char path[128];
    struct stat st;
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int load_district(struct loader *ld, struct config *cfg, xmlNodePtr node, struct district *d)
{
    char buf[256];
    int rc;
    if ((rc = ld_attr(ld, node, "code", d->code, sizeof d->code, true)) ||
        (rc = ld_attr(ld, node, "name", d->name, sizeof d->name, true)))
        return rc;
    if (config_district(cfg, d->code) != d)
        return ld_bad(ld, node, "district code '%s' appears twice", d->code);
    if ((rc = ld_attr(ld, node, "policy", buf, sizeof buf, true)))
        return rc;
    if (strcmp(buf, "required") == 0)
        d->policy = RESV_REQUIRED;
    else if (strcmp(buf, "optional") == 0)
        d->policy = RESV_OPTIONAL;
    else if (strcmp(buf, "none") == 0)
        d->policy = RESV_NONE;
    else
        return ld_bad(ld, node, "policy '%s' must be required, optional or none", buf);
    if ((rc = ld_attr(ld, node, "offices", buf, sizeof buf, true)))
        return rc;
    for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save)) {
        const struct office *o = config_office(cfg, tok);
        if (!o)
            return ld_bad(ld, node, "office '%s' is not defined in <offices>", tok);
        int idx = (int)(o - cfg->offices);
        if (d->n_offices == (int)(sizeof d->offices / sizeof d->offices[0]))
            return ld_bad(ld, node, "more than %d offices for one district", 8);
        d->offices[d->n_offices++] = idx;
    }
    if (d->n_offices == 0)
        return ld_bad(ld, node, "district '%s' names no office", d->code);
    bool bookable = false;
    for (int i = 0; i < d->n_offices; i++)
        bookable |= cfg->offices[d->offices[i]].calendar.takes_bookings;
    if (d->policy != RESV_NONE && !bookable)
        return ld_bad(ld, node, "district '%s' books, but none of its offices takes bookings",
                      d->code);
    return CN_OK;
}

/* <booking store="...">: the booking store the outside's commands use without --db: a libpq
 * URI, or a SQLite file relative to the config's folder. The value is checked here, so a
 * typo names this line; errors and logs show it with its password masked. */
static int load_store(struct loader *ld, xmlNodePtr booking, struct config *cfg)
{
    char raw[sizeof cfg->booking_store], shown[sizeof cfg->booking_store];
    xmlChar *given = xmlGetProp(booking, (const xmlChar *)"store");
    const bool present = given != NULL;
    xmlFree(given);
    int rc = ld_attr(ld, booking, "store", raw, sizeof raw, false);
    if (rc || !present)
        return rc;
    store_where_shown(raw, shown, sizeof shown);
    const char *problem = store_where_problem(raw);
    if (problem)
        return ld_bad(ld, booking, "attribute 'store' %s: '%s'", problem, shown);
    if (store_uri_is_pg(raw) || raw[0] == '/')
        snprintf(cfg->booking_store, sizeof cfg->booking_store, "%s", raw);
    else if ((size_t)snprintf(cfg->booking_store, sizeof cfg->booking_store, "%s/%s", ld->dir,
                              raw) >= sizeof cfg->booking_store)
        return ld_bad(ld, booking, "path in '%s' is too long", "store");
    /* A password in the file is readable by whoever reads the file. */
    struct stat st;
    if (strcmp(shown, raw) != 0 && stat(ld->path, &st) == 0 && (st.st_mode & 077))
        log_warn("config",
                 "%s:%ld: <booking store> holds a password and the file is mode %04o: readable "
                 "by others; chmod 600 it, or keep the password in ~/.pgpass, PGPASSWORD or a "
                 "service file instead",
                 ld->path, xmlGetLineNo(booking), (unsigned)(st.st_mode & 07777));
    return CN_OK;
}

static int load_serve_limits(struct loader *ld, xmlNodePtr booking, struct config *cfg)
{
    struct serve_limits *l = &cfg->serve_limits;
    *l = serve_limits_default;
    cfg->retention_days = CONFIG_RETENTION_DAYS;
    int rc =
        ld_attr(ld, booking, "trusted-proxy", cfg->trusted_proxy, sizeof cfg->trusted_proxy, false);
    cfg->seats_cache_ms = CONFIG_SEATS_CACHE_MS;
    if (rc || (booking &&
               ((rc = ld_attr_int(ld, booking, "retention-days", 1, 3650, &cfg->retention_days)) ||
                (rc = ld_attr_int(ld, booking, "seats-cache-ms", 0, 60000, &cfg->seats_cache_ms)))))
        return rc;
    struct in6_addr a6;
    struct in_addr a4;
    if (cfg->trusted_proxy[0] && inet_pton(AF_INET, cfg->trusted_proxy, &a4) != 1 &&
        inet_pton(AF_INET6, cfg->trusted_proxy, &a6) != 1)
        return ld_bad(ld, booking, "trusted-proxy '%s' is not an IP address", cfg->trusted_proxy);
    xmlNodePtr n = ld_child(booking, "limits");
    if (!n)
        return CN_OK;
    if ((rc = ld_attr_int(ld, n, "threads", 1, 64, &l->threads)) ||
        (rc = ld_attr_int(ld, n, "connections", 1, 100000, &l->connections)) ||
        (rc = ld_attr_int(ld, n, "per-address", 1, 100000, &l->per_address)) ||
        (rc = ld_attr_int(ld, n, "idle-timeout", 1, 3600, &l->idle_timeout)) ||
        (rc = ld_attr_int(ld, n, "request-timeout", 1, 3600, &l->request_timeout)) ||
        (rc = ld_attr_int(ld, n, "max-header", 1024, 60000, &l->max_header)) ||
        (rc = ld_attr_int(ld, n, "max-body", 1024, 1 << 20, &l->max_body)) ||
        (rc = ld_attr_int(ld, n, "lookups-burst", 1, 1000000, &l->lookups_burst)) ||
        (rc = ld_attr_int(ld, n, "lookups-per-hour", 1, 100000000, &l->lookups_per_hour)))
        return rc;
    return CN_OK;
}

static size_t count_children(xmlNodePtr parent, const char *name)
{
    size_t n = 0;
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        n += ld_named(c, name);
    return n;
}

/* <forecast curve="0.14 0.10 ..." min-residents="300"/>: optional, defaults in forecast.h. */
static int load_forecast(struct loader *ld, xmlNodePtr n, struct config *cfg)
{
    const char *why = NULL;
    if (!forecast_curve_parse(FORECAST_DEFAULT_CURVE, &cfg->forecast_curve, &why))
        return ld_bad(ld, n, "the built-in forecast curve %s", why);
    cfg->forecast_min_residents = FORECAST_DEFAULT_MIN_RESIDENTS;
    if (!n)
        return CN_OK;
    char text[512];
    int min = FORECAST_DEFAULT_MIN_RESIDENTS, rc;
    if ((rc = ld_attr(ld, n, "curve", text, sizeof text, false)) ||
        (rc = ld_attr_int(ld, n, "min-residents", 1, 100000000, &min)))
        return rc;
    if (text[0] && !forecast_curve_parse(text, &cfg->forecast_curve, &why))
        return ld_bad(ld, n, "forecast curve '%s' %s", text, why);
    cfg->forecast_min_residents = min;
    return CN_OK;
}

/* <reminder days-before-expiry="30"/>: optional (no reminders without it); shorter than the
 * window (three months), so the reminder falls inside it, before expiry. */
static int load_reminder(struct loader *ld, xmlNodePtr n, struct config *cfg)
{
    char days[16];
    int rc;
    cfg->reminder_days = 0;
    if (!n)
        return CN_OK;
    if ((rc = ld_attr(ld, n, "days-before-expiry", days, sizeof days, true)) ||
        (rc = ld_attr_int(ld, n, "days-before-expiry", 1, 80, &cfg->reminder_days)))
        return rc;
    return CN_OK;
}

static int default_catalogs(struct loader *ld, struct config *cfg)
{
    char dir[512];
    const size_t cap = sizeof cfg->catalogs;
    if ((size_t)snprintf(cfg->catalogs, cap, "%s/../po", ld->dir) >= cap)
        return CN_EUSAGE;
    if (access(cfg->catalogs, F_OK) == 0)
        return CN_OK;
    snprintf(dir, sizeof dir, "%s", cfg->template_front);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    if ((size_t)snprintf(cfg->catalogs, cap, "%s/po", slash ? dir : ".") >= cap)
        return CN_EUSAGE;
    if (access(cfg->catalogs, F_OK) == 0)
        return CN_OK;
    const ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n > 0) {
        dir[n] = '\0';
        if ((slash = strrchr(dir, '/')))
            *slash = '\0';
        /* build/certnotice and build/asan/certnotice alike */
        static const char *const up[] = {"/../templates/po", "/../../templates/po"};
        for (size_t i = 0; i < sizeof up / sizeof *up; i++) {
            char exe[600];
            const int len = snprintf(exe, sizeof exe, "%s%s", dir, up[i]);
            if (len > 0 && (size_t)len < cap && access(exe, F_OK) == 0) {
                memcpy(cfg->catalogs, exe, (size_t)len + 1);
                break;
            }
        }
    }
    return CN_OK;
}

/* <languages> and <large-print>: who reads what. Without <languages> only Japanese. */
static int load_languages(struct loader *ld, xmlNodePtr root, struct config *cfg)
{
    int rc;
    cfg->languages = 1u << LANG_JA;
    xmlNodePtr n = ld_child(root, "languages");
    if (n) {
        char list[256], tmp[512];
        if ((rc = ld_attr(ld, n, "offer", list, sizeof list, true)) ||
            (rc = ld_attr_path(ld, n, "catalogs", tmp, sizeof tmp)))
            return rc;
        if (tmp[0])
            memcpy(cfg->catalogs, tmp, sizeof tmp);
        for (char *save = NULL, *t = strtok_r(list, " \t\n,", &save); t;
             t = strtok_r(NULL, " \t\n,", &save)) {
            enum lang l;
            if (!lang_parse(t, &l) || strcmp(t, lang_code(l)) != 0)
                return ld_bad(ld, n, "language '%s' is not one of ja ja-x-easy en zh-Hans ko vi pt",
                              t);
            cfg->languages |= 1u << l;
        }
        for (xmlNodePtr k = n->children; k; k = k->next) {
            if (!ld_named(k, "language"))
                continue;
            char code[16];
            enum lang l;
            if ((rc = ld_attr(ld, k, "code", code, sizeof code, true)))
                return rc;
            if (!lang_parse(code, &l) || strcmp(code, lang_code(l)) != 0 ||
                !(cfg->languages & (1u << l)))
                return ld_bad(ld, k, "<language code='%s'> is not among the languages offered",
                              code);
            struct language_line *line = &cfg->language_line[l];
            if ((rc = ld_attr(ld, k, "phone", line->phone, sizeof line->phone, false)) ||
                (rc = ld_attr(ld, k, "hours", line->hours, sizeof line->hours, false)))
                return rc;
        }
    }
    if ((n = ld_child(root, "large-print")) &&
        (rc = ld_attr_int(ld, n, "age-from", 1, 150, &cfg->large_print_age)))
        return rc;
    if (n && !cfg->large_print_age)
        return ld_bad(ld, n, "<large-print> needs age-from");
    return CN_OK;
}

static int load_root(struct loader *ld, xmlNodePtr root, struct config *cfg)
{
    int rc;
    if (!root || !ld_named(root, "municipality"))
        return ld_bad(ld, root, "the root element must be <%s>", "municipality");
    if ((rc = ld_attr(ld, root, "name", cfg->municipality, sizeof cfg->municipality, true)) ||
        (rc = ld_attr_bool(ld, root, "example", &cfg->example)))
        return rc;

    xmlNodePtr n = ld_child(root, "sender");
    if (!n)
        return ld_bad(ld, root, "missing <%s>", "sender");
    if ((rc = ld_attr(ld, n, "name", cfg->sender, sizeof cfg->sender, true)) ||
        (rc = ld_attr(ld, n, "department", cfg->department, sizeof cfg->department, true)) ||
        (rc = ld_attr(ld, n, "postal", cfg->sender_postal, sizeof cfg->sender_postal, true)) ||
        (rc = ld_attr(ld, n, "address", cfg->sender_address, sizeof cfg->sender_address, true)) ||
        (rc = ld_attr(ld, n, "phone", cfg->sender_phone, sizeof cfg->sender_phone, true)))
        return rc;
    if (strlen(cfg->sender_postal) != 7 || strspn(cfg->sender_postal, "0123456789") != 7)
        return ld_bad(ld, n, "sender postal '%s' must be 7 digits", cfg->sender_postal);

    n = ld_child(root, "booking");
    if (!n)
        return ld_bad(ld, root, "missing <%s>", "booking");
    if ((rc = ld_attr(ld, n, "url", cfg->booking_url, sizeof cfg->booking_url, true)) ||
        (rc = ld_attr(ld, n, "phone", cfg->booking_phone, sizeof cfg->booking_phone, false)) ||
        (rc = ld_attr(ld, n, "hours", cfg->booking_hours, sizeof cfg->booking_hours, false)))
        return rc;
    if (!strstr(cfg->booking_url, "{rid}"))
        return ld_bad(ld, n, "booking url '%s' lacks the {rid} placeholder", cfg->booking_url);
    xmlNodePtr booking = n;
    for (xmlNodePtr p = n->children; p; p = p->next) {
        if (!ld_named(p, "phone"))
            continue;
        if (cfg->n_booking_alt == CONFIG_MAX_PHONES)
            return ld_bad(ld, p, "more than %d booking phones", CONFIG_MAX_PHONES);
        struct phone *ph = &cfg->booking_alt[cfg->n_booking_alt++];
        if ((rc = ld_attr(ld, p, "number", ph->number, sizeof ph->number, true)) ||
            (rc = ld_attr(ld, p, "label", ph->label, sizeof ph->label, false)) ||
            (rc = ld_attr(ld, p, "hours", ph->hours, sizeof ph->hours, false)))
            return rc;
    }
    if ((rc = load_serve_limits(ld, booking, cfg)) || (rc = load_store(ld, booking, cfg)))
        return rc;
    if (cfg->n_booking_alt && !cfg->booking_phone[0])
        return ld_bad(ld, n, "%s", "other booking phones need the main booking phone");
    config_format_booking_phones(cfg, cfg->booking_phones, sizeof cfg->booking_phones);

    cfg->lead_days = 14;
    cfg->results_days = CONFIG_RESULTS_DAYS;
    cfg->batch_size = 1000;
    cfg->file_mode = 0600;
    snprintf(cfg->time_zone, sizeof cfg->time_zone, "%s", CLOCK_DEFAULT_ZONE);
    if ((n = ld_child(root, "batch"))) {
        char buf[16];
        if ((rc = ld_attr_int(ld, n, "lead-days", 0, 90, &cfg->lead_days)) ||
            (rc = ld_attr_int(ld, n, "size", 1, 10000, &cfg->batch_size)) ||
            (rc = ld_attr_int(ld, n, "results-days", 0, 365, &cfg->results_days)) ||
            (rc = ld_attr_bool(ld, n, "expired-letters", &cfg->expired_letters)) ||
            (rc = ld_attr(ld, n, "postcode-mismatch", buf, sizeof buf, false)))
            return rc;
        if (buf[0] && strcmp(buf, "hold") != 0 && strcmp(buf, "print") != 0)
            return ld_bad(ld, n, "postcode-mismatch '%s' must be hold or print", buf);
        cfg->mismatch_prints = strcmp(buf, "print") == 0;
        if ((rc = ld_attr(ld, n, "input-encoding", buf, sizeof buf, false)))
            return rc;
        if (!buf[0] || strcmp(buf, "utf-8") == 0)
            cfg->input_encoding = ENC_UTF8;
        else if (strcmp(buf, "cp932") == 0)
            cfg->input_encoding = ENC_CP932;
        else
            return ld_bad(ld, n, "input-encoding '%s' must be utf-8 or cp932", buf);
        if ((rc = ld_attr(ld, n, "file-mode", buf, sizeof buf, false)))
            return rc;
        if (buf[0]) {
            char *end;
            unsigned long mode = strtoul(buf, &end, 8);
            /* Owner must be able to read and write; nobody may execute a letter. */
            if (*end || (mode & 0600) != 0600 || (mode & ~0666UL))
                return ld_bad(ld, n, "file-mode '%s' must be octal like 0600 or 0640", buf);
            cfg->file_mode = (unsigned)mode;
        }
        char zone[sizeof cfg->time_zone];
        if ((rc = ld_attr(ld, n, "time-zone", zone, sizeof zone, false)))
            return rc;
        if (zone[0] && !zone_known(zone))
            return ld_bad(
                ld, n, "time-zone '%s' is not a zone of the tz database (like Asia/Tokyo)", zone);
        if (zone[0])
            memcpy(cfg->time_zone, zone, sizeof zone);
    }

    if ((rc = load_forecast(ld, ld_child(root, "forecast"), cfg)) ||
        (rc = load_reminder(ld, ld_child(root, "reminder"), cfg)) ||
        (rc = load_languages(ld, root, cfg)))
        return rc;

    snprintf(cfg->font_gothic, sizeof cfg->font_gothic, "%s",
             "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf");
    snprintf(cfg->font_mincho, sizeof cfg->font_mincho, "%s",
             "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf");
    snprintf(cfg->font_mj, sizeof cfg->font_mj, "%s", "/usr/share/fonts/truetype/ipamj/ipamjm.ttf");
    snprintf(cfg->font_ud_gothic, sizeof cfg->font_ud_gothic, "%s",
             "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf");
    snprintf(cfg->font_ud_mincho, sizeof cfg->font_ud_mincho, "%s",
             "/usr/share/fonts/truetype/bizud-mincho/BIZUDMincho-Regular.ttf");
    if ((n = ld_child(root, "fonts"))) {
        char tmp[512];
        if ((rc = ld_attr_path(ld, n, "gothic", tmp, sizeof tmp)))
            return rc;
        if (tmp[0])
            memcpy(cfg->font_gothic, tmp, sizeof tmp);
        if ((rc = ld_attr_path(ld, n, "mincho", tmp, sizeof tmp)))
            return rc;
        if (tmp[0])
            memcpy(cfg->font_mincho, tmp, sizeof tmp);
        if ((rc = ld_attr_path(ld, n, "mj", tmp, sizeof tmp)))
            return rc;
        if (tmp[0])
            memcpy(cfg->font_mj, tmp, sizeof tmp);
        if ((rc = ld_attr_bool(ld, n, "ud", &cfg->ud_fonts)) ||
            (rc = ld_attr_path(ld, n, "ud-gothic", tmp, sizeof tmp)))
            return rc;
        if (tmp[0])
            memcpy(cfg->font_ud_gothic, tmp, sizeof tmp);
        if ((rc = ld_attr_path(ld, n, "ud-mincho", tmp, sizeof tmp)))
            return rc;
        if (tmp[0])
            memcpy(cfg->font_ud_mincho, tmp, sizeof tmp);
    }
    if ((n = ld_child(root, "gaiji")) &&
        (rc = ld_attr_path(ld, n, "map", cfg->gaiji_map, sizeof cfg->gaiji_map)))
        return rc;
    if ((size_t)snprintf(cfg->template_front, sizeof cfg->template_front, "%s/../letter-front.xml",
                         ld->dir) >= sizeof cfg->template_front ||
        (size_t)snprintf(cfg->template_back, sizeof cfg->template_back, "%s/../letter-back.xml",
                         ld->dir) >= sizeof cfg->template_back)
        return ld_bad(ld, root, "the default template paths beside this file are too long");
    if ((n = ld_child(root, "templates"))) {
        char tmp[512];
        if ((rc = ld_attr_path(ld, n, "front", tmp, sizeof tmp)))
            return rc;
        if (tmp[0])
            memcpy(cfg->template_front, tmp, sizeof tmp);
        if ((rc = ld_attr_path(ld, n, "back", tmp, sizeof tmp)))
            return rc;
        if (tmp[0])
            memcpy(cfg->template_back, tmp, sizeof tmp);
    }

    /* The catalogs sit beside the templates (templates/po) unless <languages catalogs> says:
     * beside this file's folder, or else beside the letter's templates (a config copied
     * elsewhere that names its templates finds them too), or else the program's own
     * (BIN/../templates/po: a config copied alone still serves its languages). */
    if (!cfg->catalogs[0] && default_catalogs(ld, cfg) != CN_OK)
        return ld_bad(ld, root, "the default catalog path is too long");

    xmlNodePtr offices = ld_child(root, "offices");
    cfg->n_offices = 0;
    cfg->offices = calloc(count_children(offices, "office") + 1, sizeof *cfg->offices);
    if (!cfg->offices)
        return cn_fail(ld->err, CN_EUSAGE, "out of memory");
    for (xmlNodePtr o = offices ? offices->children : NULL; o; o = o->next) {
        if (!ld_named(o, "office"))
            continue;
        struct office *off = &cfg->offices[cfg->n_offices++];
        if ((rc = ld_office(ld, o, off)))
            return rc;
        if (config_office(cfg, off->id) != off)
            return ld_bad(ld, o, "office id '%s' appears twice", off->id);
    }
    if (cfg->n_offices == 0)
        return ld_bad(ld, root, "no <%s> defined", "office");

    xmlNodePtr districts = ld_child(root, "districts");
    cfg->n_districts = 0;
    cfg->districts = calloc(count_children(districts, "district") + 1, sizeof *cfg->districts);
    if (!cfg->districts)
        return cn_fail(ld->err, CN_EUSAGE, "out of memory");
    for (xmlNodePtr d = districts ? districts->children : NULL; d; d = d->next) {
        if (!ld_named(d, "district"))
            continue;
        struct district *dist = &cfg->districts[cfg->n_districts++];
        if ((rc = load_district(ld, cfg, d, dist)))
            return rc;
    }
    if (cfg->n_districts == 0)
        return ld_bad(ld, root, "no <%s> defined", "district");
    for (size_t i = 0; i < cfg->n_districts; i++)
        if (cfg->districts[i].policy != RESV_NONE && !cfg->booking_phone[0])
            return ld_bad(ld, booking, "district '%s' books, so <booking> needs a phone",
                          cfg->districts[i].code);
    return CN_OK;
}

int config_load(const char *path, struct config *out, struct cn_err *err)
{
    struct loader ld = {.path = path, .err = err};
    memset(out, 0, sizeof *out);
    /* A truncated path would read another file, or resolve the templates elsewhere. */
    if (strlen(path) >= sizeof out->path)
        return cn_fail(err, CN_EUSAGE, "%.64s...: config path too long (at most %zu bytes)", path,
                       sizeof out->path - 1);
    snprintf(out->path, sizeof out->path, "%s", path);
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(ld.dir, sizeof ld.dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(ld.dir, sizeof ld.dir, ".");

    /* libxml2 would say "failed to load external entity": a newcomer needs the way out. */
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return cn_fail(err, CN_EUSAGE,
                       "config file %s does not exist: name one with --config, e.g. "
                       "--config templates/municipalities/demo.xml",
                       path);
    /* NONET and no NOENT/DTDLOAD: a config never reaches the network or pulls in files. */
    xmlDocPtr doc =
        xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        int rc = cn_fail(err, CN_EUSAGE, "%s:%d: cannot read config: %s", path, e ? e->line : 0,
                         e && e->message ? e->message : "unreadable");
        /* libxml2's messages end in a newline, which would split the log line. */
        char *nl = err ? strchr(err->msg, '\n') : NULL;
        if (nl)
            *nl = '\0';
        return rc;
    }
    int rc = load_root(&ld, xmlDocGetRootElement(doc), out);
    xmlFreeDoc(doc);
    if (rc)
        config_free(out);
    return rc;
}
