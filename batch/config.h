/* config: a municipality's configuration (sender, offices, districts, booking, batch
 * settings) loaded from templates/municipalities/NAME.xml. Must not hold resident data. */
#ifndef CN_CONFIG_H
#define CN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
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
    char address[256];
    char phone[32];
    char note[256]; /* free text printed under the hours, may be empty */
    struct office_calendar calendar;
    struct booking_rules booking; /* .enabled false: the office takes no bookings */
};

struct district {
    char code[17];
    char name[64];
    enum resv_policy policy;
    int offices[8]; /* indexes into config.offices: where this district's residents go */
    int n_offices;
};

struct config {
    char path[512];
    char municipality[64]; /* 春日井市 */
    char sender[128];      /* 春日井市長 */
    char department[128];  /* 市民課 マイナンバーカード担当 */
    char sender_address[256];
    char sender_postal[8];
    char sender_phone[32];
    char booking_url[256]; /* with {rid}, e.g. https://EXAMPLE.JP/R/{rid} */
    char booking_phone[32];
    char booking_hours[128];
    int lead_days;        /* letters go out this many days before the window opens */
    bool expired_letters; /* also write to residents whose certificate has lapsed */
    int batch_size;       /* letters per print file */
    enum input_encoding input_encoding;
    char font_gothic[512];
    char font_mincho[512];
    char template_front[512];
    char template_back[512];
    unsigned file_mode; /* mode of files the program writes, 0600 unless configured */
    bool example;       /* phone numbers and URLs are examples (demo); printed as 見本 */
    struct office *offices;
    size_t n_offices;
    struct district *districts;
    size_t n_districts;
};

/* Loads and checks a config; relative paths inside it are taken from the config's folder.
 * On failure err names the file, line and problem, and *out is left empty. */
int config_load(const char *path, struct config *out, struct cn_err *err);
void config_free(struct config *cfg);

const struct district *config_district(const struct config *cfg, const char *code);
const char *config_policy_name(enum resv_policy p);

#endif
