/* book_site: the residents' booking site behind /R/{RID} and /: routes each path to its
 * page flow (book_*.c), with the session and the CSRF check they share. Must not parse
 * HTTP (http.c does) or hold rules (slots.c does). */
#ifndef CN_BOOK_SITE_H
#define CN_BOOK_SITE_H

#include "http.h"

/* http_handler and http_error_page for http_start; ctx is the struct web_runtime. */
void book_handle(void *ctx, const struct http_request *req, struct http_response *res);
void book_error_page(void *ctx, int status, struct http_response *res);

#endif
