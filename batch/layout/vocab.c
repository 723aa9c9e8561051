#include "vocab.h"

#include <stddef.h>
#include <string.h>

/* Where a variable's text lives: a field of one of these, found by offset. */
enum source { S_CONFIG, S_VALUES, S_RESIDENT, S_DISTRICT, S_OFFICE, S_HOURS };
#define TYPE_S_CONFIG struct config
#define TYPE_S_VALUES struct letter_values
#define TYPE_S_RESIDENT struct resident
#define TYPE_S_DISTRICT struct district
#define TYPE_S_OFFICE struct office

/* The one table of variables: name, dependency (tmpl.h says why it matters), source, field.
 * Both arrays below are made from it, in the same order. */
#define VOCAB_VARS(X)                                                                              \
    X("municipality", TDEP_CONFIG, S_CONFIG, municipality)                                         \
    X("sender", TDEP_CONFIG, S_CONFIG, sender)                                                     \
    X("department", TDEP_CONFIG, S_CONFIG, department)                                             \
    X("sender_address", TDEP_CONFIG, S_CONFIG, sender_address)                                     \
    X("sender_postal", TDEP_CONFIG, S_VALUES, sender_postal)                                       \
    X("sender_phone", TDEP_CONFIG, S_CONFIG, sender_phone)                                         \
    X("booking_phone", TDEP_CONFIG, S_CONFIG, booking_phone)                                       \
    X("booking_hours", TDEP_CONFIG, S_CONFIG, booking_hours)                                       \
    X("booking_phones", TDEP_CONFIG, S_CONFIG, booking_phones)                                     \
    X("certs", TDEP_VARIANT, S_VALUES, certs)                                                      \
    X("variant", TDEP_VARIANT, S_VALUES, variant)                                                  \
    X("name", TDEP_LETTER, S_VALUES, name)                                                         \
    X("name_kana", TDEP_LETTER, S_VALUES, name_kana)                                               \
    X("postal", TDEP_LETTER, S_VALUES, postal)                                                     \
    X("address", TDEP_LETTER, S_VALUES, address)                                                   \
    X("address2", TDEP_LETTER, S_VALUES, address2)                                                 \
    X("rid", TDEP_LETTER, S_VALUES, rid)                                                           \
    X("booking_url", TDEP_LETTER, S_VALUES, url)                                                   \
    X("expiry_wareki", TDEP_LETTER, S_VALUES, expiry_wareki)                                       \
    X("expiry_western", TDEP_LETTER, S_VALUES, expiry_western)                                     \
    X("window_start_wareki", TDEP_LETTER, S_VALUES, window_start)                                  \
    X("window_end_wareki", TDEP_LETTER, S_VALUES, window_end)                                      \
    X("issue_wareki", TDEP_LETTER, S_VALUES, issue)                                                \
    X("birth_wareki", TDEP_LETTER, S_VALUES, birth)                                                \
    X("district", TDEP_DISTRICT, S_DISTRICT, name)                                                 \
    X("resident_id", TDEP_LETTER, S_RESIDENT, resident_id)                                         \
    X("seq", TDEP_LETTER, S_VALUES, seq)                                                           \
    X("file_no", TDEP_LETTER, S_VALUES, file_no)                                                   \
    X("page", TDEP_LETTER, S_VALUES, page)                                                         \
    X("pages", TDEP_LETTER, S_VALUES, pages)                                                       \
    X("office.name", TDEP_OFFICE, S_OFFICE, name)                                                  \
    X("office.address", TDEP_OFFICE, S_OFFICE, address)                                            \
    X("office.phone", TDEP_OFFICE, S_OFFICE, phone)                                                \
    X("office.hours", TDEP_OFFICE, S_HOURS, name)                                                  \
    X("office.note", TDEP_OFFICE, S_OFFICE, note)                                                  \
    X("office.contact", TDEP_OFFICE, S_OFFICE, contact)

/* S_HOURS is not a field: the hours are described per office while laying out. */
#define TYPE_S_HOURS struct office

struct access {
    enum source src;
    size_t off;
};

#define VAR_NAME(name, dep, src, field) {name, dep},
#define VAR_ACCESS(name, dep, src, field) {src, offsetof(TYPE_##src, field)},
static const struct tmpl_name var_names[] = {VOCAB_VARS(VAR_NAME)};
static const struct access var_access[] = {VOCAB_VARS(VAR_ACCESS)};

static bool f_sign(const struct vocab_ctx *c, const char *value)
{
    (void)value;
    return c->l->variant.sign;
}

static bool f_user(const struct vocab_ctx *c, const char *value)
{
    (void)value;
    return c->l->variant.user;
}

static bool f_face_auth(const struct vocab_ctx *c, const char *value)
{
    (void)value;
    return c->l->variant.face_auth;
}

static bool f_adult_ward(const struct vocab_ctx *c, const char *value)
{
    (void)value;
    return c->l->variant.adult_ward;
}

static bool f_expired(const struct vocab_ctx *c, const char *value)
{
    (void)value;
    return c->l->variant.expired;
}

static bool f_reminder(const struct vocab_ctx *c, const char *value)
{
    (void)value;
    return c->l->variant.reminder;
}

/* test="policy=none": the district's reservation policy by its config name. */
static bool f_policy(const struct vocab_ctx *c, const char *value)
{
    return strcmp(config_policy_name(c->l->variant.policy), value) == 0;
}

static bool f_example(const struct vocab_ctx *c, const char *value)
{
    (void)value;
    return c->cfg->example;
}

static bool f_specimen(const struct vocab_ctx *c, const char *value)
{
    (void)value;
    return c->specimen;
}

static bool f_reprint(const struct vocab_ctx *c, const char *value)
{
    (void)value;
    return c->l->reprint;
}

static bool f_address2(const struct vocab_ctx *c, const char *value)
{
    (void)value;
    return c->l->r->address2[0] != '\0';
}

/* The one table of flags: name, dependency, test. */
#define VOCAB_FLAGS(X)                                                                             \
    X("sign", TDEP_VARIANT, f_sign)                                                                \
    X("user", TDEP_VARIANT, f_user)                                                                \
    X("face_auth", TDEP_VARIANT, f_face_auth)                                                      \
    X("adult_ward", TDEP_VARIANT, f_adult_ward)                                                    \
    X("expired", TDEP_VARIANT, f_expired)                                                          \
    X("reminder", TDEP_VARIANT, f_reminder)                                                        \
    X("policy", TDEP_VARIANT, f_policy)                                                            \
    X("example", TDEP_CONFIG, f_example)                                                           \
    X("specimen", TDEP_CONFIG, f_specimen)                                                         \
    X("reprint", TDEP_LETTER, f_reprint)                                                           \
    X("address2", TDEP_LETTER, f_address2)

typedef bool (*flag_fn)(const struct vocab_ctx *c, const char *value);
#define FLAG_NAME(name, dep, fn) {name, dep},
#define FLAG_FN(name, dep, fn) fn,
static const struct tmpl_name flag_names[] = {VOCAB_FLAGS(FLAG_NAME)};
static const flag_fn flag_fns[] = {VOCAB_FLAGS(FLAG_FN)};

struct tmpl_names vocab_names(void)
{
    const struct tmpl_names names = {var_names, sizeof var_names / sizeof *var_names, flag_names,
                                     sizeof flag_names / sizeof *flag_names};
    return names;
}

const char *vocab_lookup(void *ctx, const char *name)
{
    const struct vocab_ctx *c = ctx;
    for (size_t i = 0; i < sizeof var_names / sizeof *var_names; i++) {
        if (strcmp(name, var_names[i].name) != 0)
            continue;
        const void *base = NULL;
        switch (var_access[i].src) {
        case S_CONFIG:
            base = c->cfg;
            break;
        case S_VALUES:
            base = c->v;
            break;
        case S_RESIDENT:
            base = c->l->r;
            break;
        case S_DISTRICT:
            base = c->l->district;
            break;
        case S_OFFICE:
            base = c->office;
            break;
        case S_HOURS:
            return c->office && c->office_hours ? c->office_hours : "";
        }
        return base ? (const char *)base + var_access[i].off : "";
    }
    return "";
}

bool vocab_flag(void *ctx, const char *name, const char *value)
{
    for (size_t i = 0; i < sizeof flag_names / sizeof *flag_names; i++)
        if (strcmp(name, flag_names[i].name) == 0)
            return flag_fns[i](ctx, value);
    return false;
}
