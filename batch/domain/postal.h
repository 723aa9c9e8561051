/* postal: Japan Post's postcode dictionary as rules: a KEN_ALL town field read into what it
 * covers, and an address split after its town name against those towns. Pure: no I/O, no SQL. */
#ifndef CN_POSTAL_H
#define CN_POSTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "custbar.h"

enum postal_kind {
    POSTAL_TOWN,  /* a town name (町域), perhaps narrowed by its parenthesis */
    POSTAL_WHOLE, /* 「○○の次に番地がくる場合」, 「○○村一円」: no town name, the number follows */
    POSTAL_OTHERS /* 「以下に掲載がない場合」: the municipality's representative code */
};

/* What the numbers of the parenthesis count: （１～７丁目）, （第９地割～第１１地割）,
 * （１～５００番地）. */
enum postal_unit { POSTAL_UNIT_NONE, POSTAL_UNIT_CHOME, POSTAL_UNIT_CHIWARI, POSTAL_UNIT_BANCHI };

#define POSTAL_FLOOR_NONE (-2) /* not a building's entry */
#define POSTAL_FLOOR_ANY (-1)  /* （地階・階層不明） */
#define POSTAL_TOWN_CPS 64

struct postal_town {
    char postcode[8];
    char pref[32];
    char city[128];
    char town[256]; /* normalised (postal_normalize), without its parenthesis */
    enum postal_kind kind;
    enum postal_unit unit;
    char ranges[256];   /* "1-7,9,11-19" in unit; empty: no range */
    char names[1024];   /* 小字 named in the parenthesis, '|'-separated */
    char building[192]; /* a high-rise's entry: its name, floor in floor */
    int floor;          /* POSTAL_FLOOR_NONE, POSTAL_FLOOR_ANY or the floor */
    bool partial; /* narrowed in a way not modelled (「…を除く」, その他, 番地 lists) */
    uint32_t town_cp[POSTAL_TOWN_CPS]; /* town decoded by postal_town_prepare */
    int town_len;
};

/* Full-width digits and letters to ASCII, every wave dash (U+301C CP932's U+FF5E) to '~',
 * every minus (U+2212, CP932's U+FF0D, dashes) to '-', ideographic space and tab to ' ',
 * ヶ ヵ to ケ. -1 when out (cap bytes) is too small or in is not UTF-8. */
int postal_normalize(const char *in, char *out, size_t cap);

/* True when a KEN_ALL town field opens a 「（」 it does not close: the record goes on in the
 * next line's town field (the CP932 file splits long records). */
bool postal_field_open(const char *town_field);

/* Reads one (joined, normalised) KEN_ALL town field into up to cap entries, each a copy of
 * base (postcode, pref, city set) with the rest filled in. building_town: the town of the
 * latest 「（次のビルを除く）」 entry in the same city ("" if none), whose buildings' floors
 * follow it. The number of entries, 0 for a field the rules cannot read. */
int postal_parse_town(const struct postal_town *base, const char *field, const char *building_town,
                      struct postal_town *out, int cap);

/* Decodes town into town_cp for the matcher; false for a town too long to match. */
bool postal_town_prepare(struct postal_town *t);

/* An address (and its 方書) normalised and decoded once for all matching. */
#define POSTAL_ADDR_CPS 512
struct postal_addr {
    char norm[POSTAL_ADDR_CPS * 4];
    uint32_t cp[POSTAL_ADDR_CPS];
    int byte_at[POSTAL_ADDR_CPS + 1];
    int n;
};
bool postal_addr_init(struct postal_addr *a, const char *address, const char *address2);

/* A town's match in an address: where the address number (住所B) begins and how closely the
 * entry fits (building floor > building > town or range matched > narrowed town > no town
 * name > representative). */
struct postal_hit {
    int town; /* index into the towns given, -1 when none matched */
    int end;  /* code point where 住所B begins */
    int level;
};

/* The best of towns[0..n) for the address: longest town name first, then the closest fit.
 * Only towns with that postcode when postcode is not NULL. */
struct postal_hit postal_best(const struct postal_town *towns, size_t n,
                              const struct postal_addr *a, const char *postcode);

enum postal_verdict {
    POSTAL_OK,             /* the town is under its postcode; barcode if a number is read */
    POSTAL_REPRESENTATIVE, /* only 「以下に掲載がない場合」 fits: no barcode (manual p18) */
    POSTAL_MISMATCH,       /* the town is not under its postcode: review */
};

struct postal_decision {
    enum postal_verdict verdict;
    char suggested[8]; /* for a mismatch: the postcode the town is under ("" if unknown) */
    bool barcode;
    struct custbar cb;
    char town[256]; /* the town matched, for messages */
};

/* A letter's barcode from the towns of its municipality (those of its postcode and its
 * city's others, which reveal a wrong postcode). office_town: NULL, or the postcode is a
 * JIGYOSYO individual code (postcode alone, 13 x CC4) of an office in that town ("" when
 * unknown), towns then being the office's municipality's: an address in another of its
 * towns is a mistyped postcode. A 私書箱 包括番号 (***-869*, ***-**91, in no town) with
 * 「私書箱N号」 in the address carries the box number (manual p22). */
void postal_decide(const char *postcode, const char *office_town, const struct postal_town *towns,
                   size_t n, const char *address, const char *address2,
                   struct postal_decision *out);

#endif
