/* printorder: the order the night's letters are printed in, as a sort key: letters held for
 * review last, then postcode, address, building, resident, expiry. Pure: no I/O; must not
 * read the database (store_order sorts by this key within bounded memory). */
#ifndef CN_PRINTORDER_H
#define CN_PRINTORDER_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

/* One letter as the order sees it. The strings are UTF-8 without NUL bytes. */
struct print_place {
    bool held; /* held for review: never printed, listed after every printed letter */
    const char *postal_code, *address, *address2, *resident_id;
    cn_date cert_expiry;
};

/* Writes a key whose byte order (memcmp, shorter first on a tie) is the print order, and
 * returns its length; it is written only when that is at most cap. The post sorts by
 * postcode, then street, so a district's letters travel together and the vendor's bundles
 * follow the postcodes; one resident's two letters (two expiries) sit side by side. */
size_t printorder_key(const struct print_place *p, unsigned char *out, size_t cap);

#endif
