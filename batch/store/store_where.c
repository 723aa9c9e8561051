#include "store_where.h"

#include <libpq-fe.h>
#include <string.h>
#include <strings.h>

bool store_uri_is_pg(const char *where)
{
    return strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0;
}

/* Appends at most n bytes of s (n < 0: all of it) to out, always terminated. */
static void put(char *out, size_t cap, size_t *len, const char *s, long n)
{
    size_t k = n < 0 ? strlen(s) : (size_t)n;
    if (*len + 1 >= cap)
        return;
    if (k > cap - 1 - *len)
        k = cap - 1 - *len;
    memcpy(out + *len, s, k);
    *len += k;
    out[*len] = '\0';
}

void store_where_shown(const char *where, char *out, size_t cap)
{
    size_t len = 0;
    if (!cap)
        return;
    out[0] = '\0';
    if (!store_uri_is_pg(where)) {
        put(out, cap, &len, where, -1);
        return;
    }
    const char *auth = strstr(where, "://") + 3;
    /* The authority ends at the path or the parameters; a password is in it before '@'. */
    const char *auth_end = auth + strcspn(auth, "/?");
    const char *at = memchr(auth, '@', (size_t)(auth_end - auth));
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    const char *p = where;
    if (colon) {
        put(out, cap, &len, p, colon + 1 - p);
        put(out, cap, &len, "***", -1);
        p = at;
    }
    /* password=VALUE among the parameters, up to the next '&'. */
    const char *query = strchr(auth_end, '?');
    while (query && *query) {
        const char *name = query + 1;
        if (strncasecmp(name, "password=", 9) == 0) {
            put(out, cap, &len, p, name + 9 - p);
            put(out, cap, &len, "***", -1);
            p = name + 9 + strcspn(name + 9, "&");
        }
        query = strchr(name, '&');
    }
    put(out, cap, &len, p, -1);
}

const char *store_where_problem(const char *where)
{
    if (!where[0])
        return "is empty";
    if (!store_uri_is_pg(where))
        return strstr(where, "://") ? "is neither a postgresql:// URI nor a file path" : NULL;
    /* libpq takes a space in the password as it is; a URI never holds one */
    for (const char *c = where; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == 0x7f)
            return "holds a space or control character (a URI writes a space as %20)";
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(where, &msg);
    const bool ok = opts != NULL;
    PQconninfoFree(opts);
    PQfreemem(msg);
    return ok ? NULL : "is not a URI libpq can read (a space, a bad %-escape, port or parameter?)";
}
