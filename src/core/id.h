/*
 * id.h - resident identity numbers (GB 11643-1999).
 *
 * An ID is validated once at the edge (dd_id_parse) and then carried as its
 * 18-character text plus a 64-bit key for fast joins.  Never log the text:
 * use dd_id_mask.
 */
#ifndef DD_ID_H
#define DD_ID_H

#include "dd.h"
#include "date.h"

typedef enum {
	DD_ID_OK = 0,
	DD_ID_BAD_CHECK,     /* right form and birth date, wrong check digit */
	DD_ID_BAD_LENGTH,    /* not 15 or 18 characters */
	DD_ID_BAD_CHARS,     /* non-digit (other than a final X/x) */
	DD_ID_BAD_DATE,      /* impossible birth date, before 1900 or after dd_date_today() */
	DD_ID_BAD_REGION     /* first two digits are no province code (GB/T 2260: 11-15,
				21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82) */
} dd_id_status;

typedef struct dd_id {
	char text[19];       /* normalised: 18 chars, upper-case X, NUL */
	uint64_t key;        /* dd_id_key(text) */
	dd_date birth;
	char sex;            /* 'M' or 'F' (17th digit odd = male) */
} dd_id;

/*
 * Parses an ID: trims ASCII spaces, accepts lower-case x, converts a 15-digit
 * ID to 18 digits (century 19, check digit computed).  On DD_ID_OK and
 * DD_ID_BAD_CHECK, *out is filled (text keeps the given check digit for
 * BAD_CHECK, so the data is not lost); on other statuses *out is undefined.
 * Checks run in the order length, characters, region, birth date, check
 * digit; the first failure is the status.
 */
dd_id_status dd_id_parse(const char *s, size_t len, dd_id *out);
const char *dd_id_status_text(dd_id_status st);   /* Chinese reason */

/* Check digit ('0'..'9' or 'X') for the first 17 digits. */
char dd_id_check_digit(const char *first17);
/* Packs a normalised 18-char ID into 64 bits: 17 digits * 11 + check (X = 10). Injective. */
uint64_t dd_id_key(const char *id18);
/* Inverse of dd_id_key. */
void dd_id_unkey(uint64_t key, char out[19]);
/* 110105********002X: first 6 and last 4 kept, for any text longer than 10;
 * 10 chars or fewer -> all '*'.  Longer than 18 -> 18 chars (6, eight '*', 4). */
void dd_id_mask(const char *id, char out[19]);
/* 138****5678 for phones (first 3, last 4) longer than 7; 7 chars or fewer ->
 * all '*'.  out must hold strlen(phone)+1. */
void dd_phone_mask(const char *phone, char *out);
/* Age in whole years at a date, from the birth date in the ID. */
int dd_id_age(const dd_id *id, dd_date at);

#endif
