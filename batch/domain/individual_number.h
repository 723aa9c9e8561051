/* individual_number: recognises a column or element name that means the individual number
 * (マイナンバー). Must not decide what to do about it: ingest refuses the whole file. */
#ifndef CN_INDIVIDUAL_NUMBER_H
#define CN_INDIVIDUAL_NUMBER_H

#include <stdbool.h>

/* True if a column or element name means the individual number (マイナンバー), which
 * must never enter: my_number, MyNumber, individual-number, kojin_bango, 個人番号, ... */
bool individual_number_field_name(const char *name);

#endif
