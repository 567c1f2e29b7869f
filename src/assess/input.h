/*
 * input.h - one household given as JSON (FORMATS.md §5 "assess input"), read
 * into registry records.  Shared by `doudi assess` and applications for a
 * household not yet in the registry (src/workflow).
 *
 * The keys are the registry's CSV columns (FORMATS.md §2), English or
 * Chinese; the enum choices come from the importer's schemas, so a file and a
 * JSON accept the same words.  Every value is checked here, at the edge, and
 * an error names its field ("members[0].id_number: 身份证号校验位错误").
 *
 * Ownership: a dd_assess_input owns every string and array its records point
 * to; dd_assess_input_release frees them.  A zeroed struct is a valid empty
 * input (release is then a no-op).
 */
#ifndef DD_ASSESS_INPUT_H
#define DD_ASSESS_INPUT_H

#include "../core/dd.h"
#include "../core/registry.h"

struct json_t;

typedef struct dd_assess_input {
	dd_household h;
	dd_member *members;          /* nmembers records */
	size_t nmembers;
	dd_obligor *obligors;
	size_t nobligors;
	dd_arena mem;                /* the records' text */
} dd_assess_input;

/*
 * Parses JSON text with every number kept as its exact text (a JSON number
 * becomes a string before jansson sees it: "12.345" must be refused as
 * money, and a double could not tell 12.345 from 12.3450000001).  *root is
 * the caller's (json_decref).  DD_ERR_INPUT naming `origin` and the line on
 * malformed JSON.
 */
dd_rc dd_assess_json_load(const char *text, size_t len, const char *origin, struct json_t **root,
			  dd_err *err);

/*
 * Fills `in` (zeroed by the caller) from one household object as
 * dd_assess_json_load returns it: the household's keys, `members` and
 * `obligors` arrays.  Keys listed in `skip` (NULL-terminated, may be NULL)
 * are ignored, for callers that wrap the household in a larger object.
 * DD_ERR_INPUT naming the field.  Release `in` on success and on failure.
 */
dd_rc dd_assess_input_from_json(dd_assess_input *in, const struct json_t *obj,
				const char *const *skip, dd_err *err);
void dd_assess_input_release(dd_assess_input *in);

/*
 * Reads one household JSON file (path "-": standard input; at most 4 MiB)
 * into `in` (zeroed by the caller): dd_assess_json_load then
 * dd_assess_input_from_json.  `in` owns its text, nothing else is kept.
 * Release `in` on success and on failure.
 */
dd_rc dd_assess_input_read(const char *path, dd_assess_input *in, dd_err *err);

#endif
