#include "individual_number.h"

#include <string.h>

bool individual_number_field_name(const char *name)
{
    static const char *const forms[] = {
        "mynumber",    "myno",       "individualnumber", "individualno", "kojinbango",
        "kojinbangou", "kojinbangō", "個人番号",         "マイナンバー", "まいなんばー",
    };
    char norm[128];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof norm; p++) {
        if (strncmp(p, "\xE3\x80\x80", 3) == 0) { /* ideographic space */
            p += 2;
            continue;
        }
        if (*p == ' ' || *p == '_' || *p == '-' || *p == '.' || *p == '\t')
            continue;
        norm[n++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
    }
    norm[n] = '\0';
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (strcmp(norm, forms[i]) == 0)
            return true;
    return false;
}
