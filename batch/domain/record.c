#include "record.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lang.h"
#include "utf8.h"

/* Bytes a text field may take: its buffer in struct resident, so no copy can overflow. */
#define TEXT_BYTES(member) (sizeof(((struct resident *)0)->member) - 1)

static const struct {
    const char *name;
    bool required; /* the column must be present; its value may still be optional */
    bool value_required;
    size_t max_chars; /* 0: the field's own parser bounds it and says what is wrong */
    size_t max_bytes; /* the resident's buffer for it less the NUL; 0 when not copied */
} fields[F_COUNT] = {
    [F_RESIDENT_ID] = {"resident_id", true, true, 0},
    [F_NAME] = {"name", true, true, NAME_MAX_CHARS, TEXT_BYTES(name)},
    [F_NAME_KANA] = {"name_kana", false, false, KANA_MAX_CHARS, TEXT_BYTES(name_kana)},
    [F_BIRTH_DATE] = {"birth_date", true, true, 0},
    [F_POSTAL_CODE] = {"postal_code", true, true, 0},
    [F_ADDRESS] = {"address", true, true, ADDRESS_MAX_CHARS, TEXT_BYTES(address)},
    [F_ADDRESS2] = {"address2", false, false, ADDRESS2_MAX_CHARS, TEXT_BYTES(address2)},
    [F_DISTRICT] = {"district", true, true, DISTRICT_MAX, TEXT_BYTES(district)},
    [F_CARD_EXPIRY] = {"card_expiry", true, true, 0},
    /* An empty certificate expiry means "no such certificate", but the column itself must
     * be there: without it every resident would silently look certificate-less. */
    [F_SIGN_CERT_EXPIRY] = {"sign_cert_expiry", true, false, 0},
    [F_USER_CERT_EXPIRY] = {"user_cert_expiry", true, false, 0},
    [F_FACE_AUTH] = {"face_auth", true, true, 0},
    [F_ADULT_WARD] = {"adult_ward", true, true, 0},
    [F_STATUS] = {"status", true, true, 0},
    [F_HOLD] = {"hold", true, true, 0},
    /* Optional: files from before the column existed, and residents who read Japanese. */
    [F_LANGUAGE] = {"language", false, false, LANGUAGE_MAX, TEXT_BYTES(language)},
};

static const char *status_names[] = {
    [STATUS_ACTIVE] = "active",
    [STATUS_DECEASED] = "deceased",
    [STATUS_MOVED_OUT] = "moved_out",
};

const char *record_field_name(enum field f)
{
    return (unsigned)f < F_COUNT ? fields[f].name : "record";
}

int record_field_by_name(const char *name)
{
    for (int f = 0; f < F_COUNT; f++)
        if (strcmp(name, fields[f].name) == 0)
            return f;
    return -1;
}

bool record_field_required(enum field f)
{
    return (unsigned)f < F_COUNT && fields[f].required;
}

const char *record_status_name(enum resident_status s)
{
    return (unsigned)s <= STATUS_MOVED_OUT ? status_names[s] : "unknown";
}

static bool fail(struct record_problem *p, enum field f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(struct record_problem *p, enum field f, const char *fmt, ...)
{
    p->field = f;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->reason, sizeof p->reason, fmt, ap);
    va_end(ap);
    return false;
}

/* A value quoted into a reason, cut at a character boundary so the reason stays valid UTF-8
 * and fits; only called on text already known to be valid UTF-8 without control bytes. */
static const char *quoted(const char *s, char out[48])
{
    size_t n = strlen(s);
    if (n <= 40) {
        memcpy(out, s, n + 1);
        return out;
    }
    n = 36;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(out, s, n); // NOLINT(bugprone-not-null-terminated-result): the next line ends it
    memcpy(out + n, "...", 4);
    return out;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

/* Valid UTF-8, no control characters, at most max_chars code points and max_bytes bytes
 * (0: no limit). */
static bool check_text(enum field f, const char *s, size_t max_chars, size_t max_bytes,
                       struct record_problem *p)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t chars = 0;
    while (*u) {
        uint32_t cp;
        const int len = utf8_next((const char *)u, SIZE_MAX, &cp);
        if (len <= 0)
            return fail(p, f,
                        "%s is not valid UTF-8 (bad byte 0x%02X after %zu characters); "
                        "check the file's encoding",
                        fields[f].name, *u, chars);
        chars++;
        if (is_control(cp))
            return fail(p, f,
                        "%s contains a control character (U+%04X) at character %zu; remove "
                        "tabs, line breaks and other invisible characters",
                        fields[f].name, (unsigned)cp, chars);
        /* Bidi overrides, zero-width and other format characters show a name other than
         * the one stored (U+202E reverses it on the staff list) and pass into every CSV;
         * the registry's characters (MJ, with their variation selectors) need none. */
        const char *cf_name = NULL;
        if (utf8_is_format(cp, &cf_name))
            return fail(p, f,
                        "%s contains an invisible format character U+%04X%s%s%s at character "
                        "%zu; remove it",
                        fields[f].name, (unsigned)cp, cf_name ? " (" : "", cf_name ? cf_name : "",
                        cf_name ? ")" : "", chars);
        u += (size_t)len;
    }
    if (max_chars > 0 && chars > max_chars)
        return fail(p, f, "%s is %zu characters long; at most %zu are allowed", fields[f].name,
                    chars, max_chars);
    size_t bytes = (size_t)(u - (const unsigned char *)s);
    if (max_bytes > 0 && bytes > max_bytes)
        return fail(p, f, "%s is %zu bytes long; at most %zu are allowed (%zu characters of %s)",
                    fields[f].name, bytes, max_bytes, max_chars,
                    max_bytes < 4 * max_chars ? "ASCII" : "any script");
    return true;
}

/* Empty, or only ASCII and ideographic (U+3000) spaces. */
static bool is_blank(const char *s)
{
    while (*s) {
        if (*s == ' ')
            s++;
        else if (strncmp(s, "\xE3\x80\x80", 3) == 0)
            s += 3;
        else
            return false;
    }
    return true;
}

static bool parse_date(enum field f, const char *s, cn_date *out, struct record_problem *p)
{
    char q[48];
    if (date_parse_iso(s, out))
        return true;
    bool shaped = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; shaped && i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            shaped = false;
    if (!shaped)
        return fail(p, f, "%s '%s' is not a date written YYYY-MM-DD", fields[f].name, quoted(s, q));
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (year < 1800 || year > 2999)
        return fail(p, f, "%s '%s' has a year outside 1800-2999", fields[f].name, s);
    return fail(p, f, "%s '%s' is not a real date", fields[f].name, s);
}

static bool parse_flag(enum field f, const char *s, bool *out, struct record_problem *p)
{
    char q[48];
    if ((s[0] == '0' || s[0] == '1') && s[1] == '\0') {
        *out = s[0] == '1';
        return true;
    }
    return fail(p, f, "%s '%s' must be 0 or 1", fields[f].name, quoted(s, q));
}

bool record_postal_code(const char *s, char out[8])
{
    const size_t len = strlen(s);
    bool shape = len == 7 || (len == 8 && s[3] == '-');
    size_t n = 0;
    for (size_t i = 0; shape && i < len; i++) {
        if (len == 8 && i == 3)
            continue;
        if (s[i] < '0' || s[i] > '9')
            shape = false;
        else
            out[n++] = s[i];
    }
    out[shape ? 7 : 0] = '\0';
    return shape;
}

static bool parse_postal(const char *s, char out[8], struct record_problem *p)
{
    char q[48];
    if (!record_postal_code(s, out))
        return fail(p, F_POSTAL_CODE,
                    "postal_code '%s' must be 7 half-width digits, written NNN-NNNN or NNNNNNN",
                    quoted(s, q));
    return true;
}

static bool check_resident_id(const char *s, struct record_problem *p)
{
    char q[48];
    size_t n = strlen(s);
    bool ok = n >= 1 && n <= RESIDENT_ID_MAX;
    for (size_t i = 0; ok && i < n; i++) {
        char c = s[i];
        ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
    if (!ok)
        return fail(p, F_RESIDENT_ID,
                    "resident_id '%s' must be 1 to %d half-width letters or digits "
                    "(0-9, A-Z, a-z)",
                    quoted(s, q), RESIDENT_ID_MAX);
    return true;
}

/* Bounded by the destination itself: check_text has already refused what would not fit,
 * so the bound never cuts, but no check elsewhere can make this copy overflow. */
static void copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}
#define COPY_TEXT(dst, src) copy_text((dst), sizeof(dst), (src))

bool record_from_fields(const char *const values[F_COUNT],
                        bool (*district_known)(const char *code, void *ctx), void *ctx,
                        struct resident *out, struct record_problem *problem)
{
    struct resident r;
    memset(&r, 0, sizeof r);
    const char *v[F_COUNT];
    char q[48];

    /* Shape first for every field, in contract order, so the reason names the first field a
     * clerk meets when reading the row left to right. */
    for (int f = 0; f < F_COUNT; f++) {
        if (!values[f] && fields[f].required)
            return fail(problem, (enum field)f, "%s is missing; it is a required field",
                        fields[f].name);
        v[f] = values[f] ? values[f] : "";
        if (!check_text((enum field)f, v[f], fields[f].max_chars, fields[f].max_bytes, problem))
            return false;
        if (fields[f].value_required && is_blank(v[f]))
            return fail(problem, (enum field)f, "%s is empty; it is required", fields[f].name);
    }

    if (!check_resident_id(v[F_RESIDENT_ID], problem))
        return false;
    COPY_TEXT(r.resident_id, v[F_RESIDENT_ID]);
    COPY_TEXT(r.name, v[F_NAME]);
    COPY_TEXT(r.name_kana, v[F_NAME_KANA]);
    if (!parse_date(F_BIRTH_DATE, v[F_BIRTH_DATE], &r.birth_date, problem))
        return false;
    if (!parse_postal(v[F_POSTAL_CODE], r.postal_code, problem))
        return false;
    COPY_TEXT(r.address, v[F_ADDRESS]);
    COPY_TEXT(r.address2, v[F_ADDRESS2]);
    if (district_known && !district_known(v[F_DISTRICT], ctx))
        return fail(problem, F_DISTRICT,
                    "district '%s' is not a district code in this municipality's "
                    "configuration",
                    quoted(v[F_DISTRICT], q));
    COPY_TEXT(r.district, v[F_DISTRICT]);
    if (!parse_date(F_CARD_EXPIRY, v[F_CARD_EXPIRY], &r.card_expiry, problem))
        return false;
    r.sign_cert_expiry = r.user_cert_expiry = DATE_NONE;
    if (v[F_SIGN_CERT_EXPIRY][0] &&
        !parse_date(F_SIGN_CERT_EXPIRY, v[F_SIGN_CERT_EXPIRY], &r.sign_cert_expiry, problem))
        return false;
    if (v[F_USER_CERT_EXPIRY][0] &&
        !parse_date(F_USER_CERT_EXPIRY, v[F_USER_CERT_EXPIRY], &r.user_cert_expiry, problem))
        return false;
    if (!parse_flag(F_FACE_AUTH, v[F_FACE_AUTH], &r.face_auth, problem) ||
        !parse_flag(F_ADULT_WARD, v[F_ADULT_WARD], &r.adult_ward, problem))
        return false;
    bool status_ok = false;
    for (int s = STATUS_ACTIVE; s <= STATUS_MOVED_OUT; s++)
        if (strcmp(v[F_STATUS], status_names[s]) == 0) {
            r.status = (enum resident_status)s;
            status_ok = true;
        }
    if (!status_ok)
        return fail(problem, F_STATUS, "status '%s' must be active, deceased or moved_out",
                    quoted(v[F_STATUS], q));
    if (!parse_flag(F_HOLD, v[F_HOLD], &r.hold, problem))
        return false;
    if (v[F_LANGUAGE][0] && !lang_tag_valid(v[F_LANGUAGE]))
        return fail(problem, F_LANGUAGE,
                    "language '%s' must be an ISO language code like en, pt-BR or zh-Hans",
                    quoted(v[F_LANGUAGE], q));
    COPY_TEXT(r.language, v[F_LANGUAGE]);
    *out = r;
    return true;
}

bool record_same_input(const struct resident *a, const struct resident *b)
{
    return strcmp(a->resident_id, b->resident_id) == 0 && strcmp(a->name, b->name) == 0 &&
           strcmp(a->name_kana, b->name_kana) == 0 && a->birth_date == b->birth_date &&
           strcmp(a->postal_code, b->postal_code) == 0 && strcmp(a->address, b->address) == 0 &&
           strcmp(a->address2, b->address2) == 0 && strcmp(a->district, b->district) == 0 &&
           a->card_expiry == b->card_expiry && a->sign_cert_expiry == b->sign_cert_expiry &&
           a->user_cert_expiry == b->user_cert_expiry && a->face_auth == b->face_auth &&
           a->adult_ward == b->adult_ward && a->hold == b->hold && a->status == b->status &&
           strcmp(a->language, b->language) == 0;
}
