/* config: a municipality's configuration (sender, offices, districts, booking, batch
 * settings) as config_load.h reads it from its XML file, and the pure lookups on it.
 * Must not read files, nor hold resident data. */
#ifndef CN_CONFIG_H
#define CN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "forecast.h"
#include "lang.h"
#include "officecal.h"
#include "slots.h"

enum resv_policy {
    RESV_REQUIRED, /* a reservation is needed */
    RESV_OPTIONAL, /* slots can be booked, walk-ins also served */
    RESV_NONE      /* walk-in only: the letter says where to go instead of how to book */
};

enum input_encoding { ENC_UTF8, ENC_CP932 };

struct office {
    char id[32];
    char name[128];
    char address[256]; /* may be empty: the city's page does not give it */
    char phone[32];    /* may be empty */
    char note[256];    /* free text printed under the hours, may be empty */
    char contact[320]; /* "address　電話 phone" as the letter prints it, empty parts left out */
    struct office_calendar calendar;
    struct booking_rules booking; /* .enabled false: the office takes no bookings */
};

/* A telephone number with what it is for and when it answers, as the city's page says. */
struct phone {
    char number[32];
    char label[96];  /* "IP電話などでつながらない場合", "ファクス"; may be empty */
    char hours[128]; /* free text from the page; empty: the page does not say */
};

#define CONFIG_MAX_PHONES 4
/* <languages>: what a resident reading another language is offered, per language: the
 * phone line that answers in it (the insert prints it). */
struct language_line {
    char phone[32]; /* empty: the booking phone, in Japanese */
    char hours[128];
};

/* Days a published letter may go without an inserter result (<batch results-days>). */
#define CONFIG_RESULTS_DAYS 14
/* Days the booking store keeps a booking, lockout, session or audit row after its day
 * (<booking retention-days>). */
#define CONFIG_RETENTION_DAYS 90
/* Milliseconds the booking pages may show and check seats from a tally read for an earlier
 * request (<booking seats-cache-ms>; tally_cache.h says why). */
#define CONFIG_SEATS_CACHE_MS 1000

struct district {
    char code[17];
    char name[64];
    enum resv_policy policy;
    int offices[8]; /* indexes into config.offices: where this district's residents go */
    int n_offices;
};

/* <booking><limits/>: what the booking service allows one client, against a morning rush
 * and against guessing (http.c enforces the connection and size limits, web_runtime.c the
 * lookups). */
struct serve_limits {
    int threads;          /* the pool's threads: each serves many connections, and one waiting
                           * on the database stalls its share */
    int connections;      /* open at once */
    int per_address;      /* open from one address; ignored behind a trusted proxy */
    int idle_timeout;     /* seconds a connection may stay silent */
    int request_timeout;  /* seconds a request may take to arrive whole (slowloris) */
    int max_header;       /* bytes of request line and headers: more gets 431 */
    int max_body;         /* bytes of body: more gets 413 */
    int lookups_burst;    /* reservation ID lookups an address may make at once... */
    int lookups_per_hour; /* ...and how many come back per hour */
};
/* The limits without a <limits> element (README's table): the one set of defaults, which
 * http_default_limits gives the HTTP layer too. */
extern const struct serve_limits serve_limits_default;

struct config {
    char path[512];
    char municipality[64]; /* 春日井市 */
    char sender[128];      /* 春日井市長 */
    char department[128];  /* 市民課 マイナンバーカード担当 */
    char sender_address[256];
    char sender_postal[8];
    char sender_phone[32];
    char booking_url[256];                       /* with {rid}, e.g. https://EXAMPLE.JP/R/{rid} */
    char booking_phone[32];                      /* empty when no district books */
    char booking_hours[128];                     /* empty when the page does not say */
    struct phone booking_alt[CONFIG_MAX_PHONES]; /* other numbers for the same bookings */
    size_t n_booking_alt;
    char booking_phones[512]; /* all of them as the letter prints them */
    /* <booking trusted-proxy="ADDR">: the reverse proxy whose X-Forwarded-For and
     * X-Forwarded-Proto are believed; "" believes no one. */
    char trusted_proxy[64];
    struct serve_limits serve_limits;
    /* <booking store="...">: the booking store of serve, feed import, export-bookings and
     * staff when --db is not given: a libpq URI as written, or a SQLite file (made relative
     * to the config's folder); "" when the attribute is absent (booking.db, the current
     * folder's). */
    char booking_store[1024];
    int retention_days;   /* the booking store's retention (CONFIG_RETENTION_DAYS) */
    int seats_cache_ms;   /* how long the pages use a seat tally read before (1000) */
    int lead_days;        /* letters go out this many days before the window opens */
    int results_days;     /* a published letter without an inserter result after this many
                             days is unaccounted for (report) */
    bool expired_letters; /* also write to residents whose certificate has lapsed */
    /* <reminder days-before-expiry="N"/>: one reminder N days before expiry to whom has
     * neither renewed nor booked; 0 (no element): no reminders. */
    int reminder_days;
    int batch_size; /* letters per print file */
    /* A letter whose postcode does not cover its town (Japan Post's dictionary): held for
     * review (the default), or printed without a barcode. */
    bool mismatch_prints;
    enum input_encoding input_encoding;
    char font_gothic[512];
    char font_mincho[512];
    char font_mj[512];   /* IPAmj明朝: what IPAex cannot show (glyphs.h) */
    char gaiji_map[512]; /* the PUA table (gaiji.h); empty: none, every PUA character held */
    char template_front[512];
    char template_back[512];
    unsigned file_mode; /* mode of files the program writes, 0600 unless configured */
    char time_zone[64]; /* whose day "today" is: Asia/Tokyo unless configured */
    bool example;       /* phone numbers and URLs are examples (demo); printed as 見本 */
    /* <forecast>: the default visit curve and the history that replaces it. */
    struct forecast_curve forecast_curve;
    long forecast_min_residents;
    /* <languages offer="ja en ..." catalogs="DIR">: the languages the booking pages and the
     * letter's insert are offered in (Japanese always), the catalogs' folder (default
     * templates/po beside the municipalities' folder) and each language's phone line. */
    lang_set languages;
    char catalogs[512];
    struct language_line language_line[LANG_COUNT];
    /* <large-print age-from="75"/>: residents this old or older on the run date get the
     * front page in large type; 0: off. */
    int large_print_age;
    /* <fonts ud="true">: the whole letter in BIZ UD fonts (font_ud_gothic, font_ud_mincho);
     * the large-print front always uses BIZ UDゴシック. */
    bool ud_fonts;
    char font_ud_gothic[512];
    char font_ud_mincho[512];
    struct office *offices;
    size_t n_offices;
    struct district *districts;
    size_t n_districts;
};

/* Frees what config_load (config_load.h) allocated; the struct is left empty. */
void config_free(struct config *cfg);

/* The letter's wording of an office's address and phone, and of the booking phones. */
void config_format_office_contact(const struct office *o, char *out, size_t cap);
void config_format_booking_phones(const struct config *cfg, char *out, size_t cap);

const struct district *config_district(const struct config *cfg, const char *code);
/* The office whose id this is (the first, as ids are unique); NULL for none or a NULL id. */
const struct office *config_office(const struct config *cfg, const char *id);
const char *config_policy_name(enum resv_policy p);

#endif
