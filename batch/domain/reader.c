#include "reader.h"

enum lang reader_insert_lang(const struct config *cfg, const char *language)
{
    enum lang l;
    if (!language || !language[0] || !lang_parse(language, &l) || l == LANG_JA ||
        !(cfg->languages & (1u << l)))
        return LANG_JA;
    return l;
}

int reader_age(cn_date birth, cn_date on)
{
    int by, bm, bd, y, m, d;
    date_to_ymd(birth, &by, &bm, &bd);
    date_to_ymd(on, &y, &m, &d);
    int age = y - by;
    if (m < bm || (m == bm && d < bd))
        age--;
    return age;
}

bool reader_large_print(const struct config *cfg, cn_date birth, cn_date run_date)
{
    return cfg->large_print_age > 0 && birth != DATE_NONE &&
           reader_age(birth, run_date) >= cfg->large_print_age;
}

int reader_pages(bool insert, bool large_print)
{
    return 2 + (insert ? 2 : 0) + (large_print ? 2 : 0);
}
