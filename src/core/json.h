/*
 * json.h - jansson values for doudi's types, shared by the JSON outputs (CLI
 * and HTTP API) so that dates, money and masked personal data look the same
 * everywhere.  Each returns a new reference (NULL only when out of memory).
 */
#ifndef DD_JSON_H
#define DD_JSON_H

#include <jansson.h>

#include "dd.h"
#include "date.h"
#include "money.h"

json_t *dd_json_text(const char *s);          /* the text, or null for NULL/"" */
json_t *dd_json_date(dd_date d);              /* "YYYY-MM-DD", or null for DD_DATE_NONE */
json_t *dd_json_yuan(dd_fen v);               /* "1160.00" */
json_t *dd_json_yuan_opt(dd_fen v);           /* "1160.00", or null for a negative (not given) */
json_t *dd_json_tri(int v);                   /* -1/0/1 as null/false/true */
json_t *dd_json_id_masked(const char *id);    /* "110105********002X", or null */
json_t *dd_json_phone_masked(const char *p);  /* "138****5678", or null */
json_t *dd_json_categories(unsigned bits);    /* ["TK","DB"] in priority order */

#endif
