/*
 * input.c - one household as JSON into registry records (input.h).
 *
 * A table of fields per record (household, member, obligor) says how each
 * key is read; the importer's schemas give the Chinese names, the choices
 * and the bounds.
 */
#include "input.h"
#include "assess.h"
#include "../core/text.h"
#include "../ingest/ingest.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum {
	K_TEXT,        /* const char * */
	K_MONEY,       /* dd_fen, yuan with at most two decimals, not negative */
	K_BOOL,        /* int 0/1 */
	K_DATE,        /* dd_date */
	K_INT,         /* int, bounds from the schema column */
	K_ENUM,        /* const char *, the choice's code */
	K_LIST,        /* const char *, "a;b" of the schema's choices */
	K_ID,          /* dd_id (a member) */
	K_ID_TEXT,     /* const char *, normalised 18 characters */
	K_HUKOU,       /* dd_hukou */
	K_CATEGORIES   /* unsigned DD_CAT_* bits */
} kind;

typedef struct field {
	const char *key;
	kind k;
	size_t off;
	bool required;
} field;

typedef struct record {
	const char *where;        /* "members", "obligors", or NULL for the household */
	const dd_schema *schema;  /* for Chinese key names, choices and bounds */
	const field *fields;
	size_t nfields;
	dd_fen money_unknown;     /* value of an absent amount */
} record;

#define FH(key, k) { #key, k, offsetof(dd_household, key), false }
static const field household_fields[] = {
	FH(household_no, K_TEXT), FH(region_code, K_TEXT), FH(address, K_TEXT), FH(head_id, K_ID_TEXT),
	{ "hukou_type", K_HUKOU, offsetof(dd_household, hukou), true },
	FH(phone, K_TEXT), FH(categories, K_CATEGORIES), FH(fp_subtype, K_ENUM), FH(is_tuopin, K_BOOL),
	FH(whole_no_labor, K_BOOL), FH(risk_types, K_LIST),
	FH(wage_income, K_MONEY), FH(business_income, K_MONEY), FH(property_income, K_MONEY),
	FH(transfer_income, K_MONEY), FH(insurance_payout, K_MONEY), FH(business_expense, K_MONEY),
	FH(medical_self_paid, K_MONEY), FH(education_expense, K_MONEY), FH(rehab_expense, K_MONEY),
	FH(fin_assets, K_MONEY), FH(vehicle_value, K_MONEY),
	FH(housing_unsafe, K_BOOL), FH(dropout, K_BOOL), FH(water_unsafe, K_BOOL), FH(uninsured, K_BOOL),
	FH(recognized_on, K_DATE), FH(exited_on, K_DATE), FH(survey_summary, K_TEXT),
};

#define FM(key, k) { #key, k, offsetof(dd_member, key), false }
static const field member_fields[] = {
	FM(household_no, K_TEXT), FM(name, K_TEXT),
	{ "id_number", K_ID, offsetof(dd_member, id), true },
	FM(relation, K_TEXT), FM(gender, K_ENUM), FM(id_type, K_TEXT), FM(ethnicity, K_TEXT),
	FM(political, K_TEXT), FM(education, K_TEXT), FM(student_status, K_TEXT), FM(health, K_ENUM),
	FM(labor, K_ENUM), FM(wage_income, K_MONEY), FM(disability_type, K_ENUM),
	FM(disability_grade, K_INT), FM(ins_resident_medical, K_BOOL), FM(ins_employee_medical, K_BOOL),
	FM(ins_critical_illness, K_BOOL), FM(ins_resident_pension, K_BOOL),
	FM(ins_employee_pension, K_BOOL), FM(is_tekun, K_BOOL), FM(is_dibao, K_BOOL),
	FM(orphan_guarantee, K_BOOL), FM(work_province, K_TEXT), FM(work_city, K_TEXT),
	FM(work_county, K_TEXT), FM(work_township, K_TEXT), FM(work_months, K_INT), FM(phone, K_TEXT),
};

#define FO(key, k) { #key, k, offsetof(dd_obligor, key), false }
static const field obligor_fields[] = {
	FO(household_no, K_TEXT), FO(name, K_TEXT), FO(relation, K_TEXT), FO(marital, K_TEXT),
	FO(health, K_TEXT), FO(occupation, K_TEXT), FO(monthly_income, K_MONEY), FO(id_number, K_ID_TEXT),
	FO(phone, K_TEXT),
};

static const record household_rec = { NULL, &dd_schema_households, household_fields,
				       DD_ARRAY_LEN(household_fields), 0 };
static const record member_rec = { "members", &dd_schema_members, member_fields,
				   DD_ARRAY_LEN(member_fields), -1 };
static const record obligor_rec = { "obligors", &dd_schema_obligors, obligor_fields,
				    DD_ARRAY_LEN(obligor_fields), -1 };

/* Parsing state: the arena owns every string the records point to. */
typedef struct input {
	dd_arena *mem;
	dd_err *err;
	const char *const *skip;  /* household keys the caller reads itself */
	char path[96];            /* the field being read, for messages */
} input;

static bool same(const char *s, size_t len, const char *name, size_t nlen)
{
	return len == nlen && strncasecmp(s, name, len) == 0;
}

static const dd_column *column_of(const record *r, const field *f)
{
	int i = dd_schema_index(r->schema, f->key);
	return i < 0 ? NULL : &r->schema->cols[i];
}

/* The field a JSON key names: its English key, or its Chinese label. */
static const field *field_named(const record *r, const char *key)
{
	size_t klen = strlen(key);
	for (size_t i = 0; i < r->nfields; i++)
		if (!strcmp(r->fields[i].key, key))
			return &r->fields[i];
	for (size_t i = 0; i < r->nfields; i++) {
		const dd_column *c = column_of(r, &r->fields[i]);
		const char *list = c ? c->zh : NULL, *alt;
		size_t alen;
		while (dd_schema_alt_next(&list, &alt, &alen))
			if (same(key, klen, alt, alen))
				return &r->fields[i];
	}
	return NULL;
}

static dd_rc bad(input *in, const char *reason)
{
	return dd_err_set(in->err, DD_ERR_INPUT, "%s: %s", in->path, reason);
}

static dd_rc bad_choice(input *in, const char *const *choices)
{
	char msg[400];
	size_t off = (size_t)snprintf(msg, sizeof msg, "不是可选的值（可选：");
	for (const char *const *ch = choices; *ch && off < sizeof msg; ch++) {
		size_t clen = strcspn(*ch, "|");
		off += (size_t)snprintf(msg + off, sizeof msg - off, "%s%.*s", ch == choices ? "" : "、",
					(int)clen, *ch);
	}
	if (off < sizeof msg)
		snprintf(msg + off, sizeof msg - off, "）");
	return bad(in, msg);
}

/* "3", "三", "三级", "3级": grades are written all these ways. */
static bool parse_int(const char *s, size_t len, long *out)
{
	static const char *const numerals[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" };
	static const char grade[] = "级";
	size_t gl = sizeof grade - 1;

	if (len > gl && !memcmp(s + len - gl, grade, gl))
		len -= gl;
	for (size_t i = 0; i < DD_ARRAY_LEN(numerals); i++)
		if (same(s, len, numerals[i], strlen(numerals[i]))) {
			*out = (long)i + 1;
			return true;
		}
	if (len == 0 || len > 9 || strspn(s, "0123456789") < len)
		return false;
	*out = 0;
	for (size_t i = 0; i < len; i++)
		*out = *out * 10 + (s[i] - '0');
	return true;
}

static bool parse_bool(const char *s, size_t len, int *out)
{
	static const char *const yes[] = { "是", "1", "true", "y", "yes" };
	static const char *const no[] = { "否", "0", "false", "n", "no" };
	for (size_t i = 0; i < DD_ARRAY_LEN(yes); i++) {
		if (same(s, len, yes[i], strlen(yes[i])))
			*out = 1;
		else if (same(s, len, no[i], strlen(no[i])))
			*out = 0;
		else
			continue;
		return true;
	}
	return false;
}

/* Length of the list separator at s (; ； 、 , ，), or 0. */
static size_t separator(const char *s, size_t left)
{
	static const char *const seps[] = { ";", ",", "；", "、", "，" };
	for (size_t i = 0; i < DD_ARRAY_LEN(seps); i++) {
		size_t n = strlen(seps[i]);
		if (n <= left && !memcmp(s, seps[i], n))
			return n;
	}
	return 0;
}

/* One list item: checked against the choices (or as a category), appended to out. */
static dd_rc list_item(input *in, const field *f, const dd_column *c, const char *s, size_t len,
		       dd_buf *out, unsigned *bits)
{
	size_t clen = 0;
	const char *code = s;

	dd_text_trim(&s, &len);
	if (len == 0)
		return DD_OK;
	if (f->k == K_CATEGORIES) {
		unsigned bit = dd_category_parse(s, len);
		if (!bit)
			return bad(in, "未知的低收入人口类别（应为 TK DB BY GZ QT 或其中文名称）");
		*bits |= bit;
		return DD_OK;
	}
	if (c && c->choices && !(code = dd_schema_choice(c->choices, s, len, &clen)))
		return bad_choice(in, c->choices);
	if (!c || !c->choices)
		clen = len;
	if ((out->len && dd_buf_putc(out, ';') != DD_OK) || dd_buf_append(out, code, clen) != DD_OK)
		return dd_err_set(in->err, DD_ERR_NOMEM, "内存不足");
	return DD_OK;
}

/* A list given as a JSON array of strings or as one string with separators. */
static dd_rc parse_list(input *in, const field *f, const dd_column *c, json_t *v, void *dest)
{
	dd_buf out;
	unsigned bits = 0;
	dd_rc rc = DD_OK;

	dd_buf_init(&out, 0);
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v) && rc == DD_OK; i++) {
			json_t *it = json_array_get(v, i);
			if (!json_is_string(it))
				rc = bad(in, "列表的每一项应为字符串");
			else
				rc = list_item(in, f, c, json_string_value(it), json_string_length(it), &out, &bits);
		}
	} else {
		const char *s = json_string_value(v), *end = s + json_string_length(v), *item = s;
		for (const char *p = s; p <= end && rc == DD_OK;) {
			size_t sep = p < end ? separator(p, (size_t)(end - p)) : 1;
			if (!sep) {
				p++;
				continue;
			}
			rc = list_item(in, f, c, item, (size_t)(p - item), &out, &bits);
			p += sep;
			item = p;
		}
	}
	if (rc == DD_OK && f->k == K_CATEGORIES) {
		*(unsigned *)dest = bits;
	} else if (rc == DD_OK) {
		char *copy = dd_arena_strndup(in->mem, out.data ? out.data : "", out.len);
		if (!copy)
			rc = dd_err_set(in->err, DD_ERR_NOMEM, "内存不足");
		*(const char **)dest = copy;
	}
	dd_buf_release(&out);
	return rc;
}

/* A scalar given as text (numbers were turned into strings before parsing, see quote_numbers). */
static dd_rc parse_scalar(input *in, const field *f, const dd_column *c, const char *s, size_t len,
			  void *dest)
{
	dd_money_status ms;
	dd_id_status is;
	dd_id id;
	long x;
	size_t clen = 0;
	const char *code;

	switch (f->k) {
	case K_MONEY:
		if ((ms = dd_money_parse(s, len, (dd_fen *)dest)) != DD_MONEY_OK)
			return bad(in, dd_money_status_text(ms));
		return *(dd_fen *)dest < 0 ? bad(in, "金额不能为负数") : DD_OK;
	case K_BOOL:
		return parse_bool(s, len, (int *)dest) ? DD_OK : bad(in, "应为是或否");
	case K_DATE:
		return dd_date_parse(s, len, (dd_date *)dest) == DD_OK
			       ? DD_OK : bad(in, "日期无效（应为存在的日期，格式YYYY-MM-DD）");
	case K_INT:
		if (!parse_int(s, len, &x) || (c && c->min < c->max && (x < c->min || x > c->max))) {
			char msg[64];
			snprintf(msg, sizeof msg, "应为 %ld～%ld 的整数", c ? c->min : 0, c ? c->max : 0);
			return bad(in, msg);
		}
		*(int *)dest = (int)x;
		return DD_OK;
	case K_ID:
	case K_ID_TEXT:
		if ((is = dd_id_parse(s, len, &id)) != DD_ID_OK)
			return bad(in, dd_id_status_text(is));
		if (f->k == K_ID) {
			*(dd_id *)dest = id;
			return DD_OK;
		}
		s = id.text;
		len = strlen(id.text);
		break;
	case K_ENUM:
	case K_HUKOU:
		if (!c || !c->choices)
			return dd_err_set(in->err, DD_ERR_INTERNAL, "%s: 缺少可选值表", in->path);
		if (!(code = dd_schema_choice(c->choices, s, len, &clen)))
			return bad_choice(in, c->choices);
		if (f->k == K_HUKOU) {
			*(dd_hukou *)dest = same(code, clen, "农业", strlen("农业")) ? DD_HUKOU_RURAL : DD_HUKOU_URBAN;
			return DD_OK;
		}
		s = code;
		len = clen;
		break;
	default:
		break;
	}
	if (!(*(const char **)dest = dd_arena_strndup(in->mem, s, len)))
		return dd_err_set(in->err, DD_ERR_NOMEM, "内存不足");
	return DD_OK;
}

/* Parses v into the record; *given says a value was there (not null, not empty). */
static dd_rc parse_value(input *in, const record *r, const field *f, json_t *v, void *rec, bool *given)
{
	void *dest = (char *)rec + f->off;
	const dd_column *c = column_of(r, f);

	*given = !json_is_null(v);
	if (json_is_null(v))
		return DD_OK;
	if (json_is_boolean(v)) {
		if (f->k != K_BOOL)
			return bad(in, "应为字符串或数字");
		*(int *)dest = json_is_true(v);
		return DD_OK;
	}
	if ((f->k == K_LIST || f->k == K_CATEGORIES) && (json_is_array(v) || json_is_string(v)))
		return parse_list(in, f, c, v, dest);
	if (!json_is_string(v))
		return bad(in, "应为字符串或数字");
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	dd_text_trim(&s, &len);
	*given = len > 0;
	return len ? parse_scalar(in, f, c, s, len, dest) : DD_OK;
}

/* "members[0].id_number", "hukou_type"; without a key the record itself ("members[0]", "输入"). */
static void set_path(input *in, const record *r, size_t idx, const char *key)
{
	if (r->where)
		snprintf(in->path, sizeof in->path, "%s[%zu]%s%s", r->where, idx, *key ? "." : "", key);
	else
		snprintf(in->path, sizeof in->path, "%s", *key ? key : "输入");
}

/* A household key that is not a field: its arrays, or one the caller reads. */
static bool skipped(const input *in, const char *key)
{
	if (!strcmp(key, "members") || !strcmp(key, "obligors"))
		return true;
	for (const char *const *k = in->skip; k && *k; k++)
		if (!strcmp(*k, key))
			return true;
	return false;
}

/* Fills one record from a JSON object (the household's own arrays are the caller's). */
static dd_rc parse_record(input *in, const record *r, size_t idx, const json_t *obj, void *rec)
{
	bool given[64] = { false };
	const char *key;
	json_t *v;
	dd_rc rc = DD_OK;

	_Static_assert(DD_ARRAY_LEN(household_fields) <= 64 && DD_ARRAY_LEN(member_fields) <= 64,
		       "given[] too small");
	for (size_t i = 0; i < r->nfields; i++) {
		void *dest = (char *)rec + r->fields[i].off;
		if (r->fields[i].k == K_BOOL)
			*(int *)dest = -1;
		else if (r->fields[i].k == K_DATE)
			*(dd_date *)dest = DD_DATE_NONE;
		else if (r->fields[i].k == K_MONEY)
			*(dd_fen *)dest = r->money_unknown;
	}
	set_path(in, r, idx, "");
	if (!json_is_object(obj))
		return bad(in, "应为 JSON 对象");
	json_object_foreach((json_t *)obj, key, v) {
		const field *f = field_named(r, key);
		set_path(in, r, idx, key);
		if (r == &household_rec && skipped(in, key))
			continue;
		if (!f)
			return bad(in, "未知字段");
		if ((rc = parse_value(in, r, f, v, rec, &given[f - r->fields])) != DD_OK)
			return rc;
	}
	for (size_t i = 0; i < r->nfields; i++) {
		if (r->fields[i].required && !given[i]) {
			set_path(in, r, idx, r->fields[i].key);
			return bad(in, "必填项为空");
		}
	}
	return DD_OK;
}

/* The members or obligors array: a malloc'ed array of n records (caller frees). */
static dd_rc parse_array(input *in, const record *r, json_t *arr, size_t size, void **out, size_t *n)
{
	dd_rc rc = DD_OK;

	*out = NULL;
	*n = 0;
	if (!arr || json_is_null(arr))
		return DD_OK;
	set_path(in, &household_rec, 0, r->where);
	if (!json_is_array(arr))
		return bad(in, "应为 JSON 数组");
	if (json_array_size(arr) > DD_ASSESS_MAX_MEMBERS)
		return bad(in, "条目过多");
	if (!(*out = calloc(json_array_size(arr) + 1, size)))
		return dd_err_set(in->err, DD_ERR_NOMEM, "内存不足");
	for (size_t i = 0; i < json_array_size(arr) && rc == DD_OK; i++)
		rc = parse_record(in, r, i, json_array_get(arr, i), (char *)*out + i * size);
	*n = json_array_size(arr);
	return rc;
}

/* Cross-field checks: each person once, the head among the members. */
static dd_rc check_people(input *in, const dd_household *h, const dd_member *m, size_t nm)
{
	bool head_found = !h->head_id;
	for (size_t i = 0; i < nm; i++) {
		head_found = head_found || !strcmp(m[i].id.text, h->head_id);
		for (size_t j = 0; j < i; j++)
			if (m[j].id.key == m[i].id.key) {
				char msg[64];
				set_path(in, &member_rec, i, "id_number");
				snprintf(msg, sizeof msg, "与 members[%zu] 重复", j);
				return bad(in, msg);
			}
	}
	if (head_found)
		return DD_OK;
	set_path(in, &household_rec, 0, "head_id");
	return bad(in, "户主不在成员中");
}

/*
 * JSON numbers become strings before jansson sees them, so an amount is
 * always read from its exact text: "12.345" must be refused, and a double
 * could not tell 12.345 from 12.3450000001.
 */
static dd_rc quote_numbers(const char *s, size_t len, dd_buf *out)
{
	dd_rc rc = DD_OK;
	bool in_string = false;

	for (size_t i = 0; i < len && rc == DD_OK;) {
		size_t n = 1;
		if (in_string) {
			if (s[i] == '\\' && i + 1 < len)
				n = 2;
			else if (s[i] == '"')
				in_string = false;
		} else if (s[i] == '"') {
			in_string = true;
		} else if (s[i] == '-' || (s[i] >= '0' && s[i] <= '9')) {
			while (i + n < len && s[i + n] && strchr("0123456789+-.eE", s[i + n]))
				n++;
			rc = dd_buf_putc(out, '"');
			if (rc == DD_OK)
				rc = dd_buf_append(out, s + i, n);
			if (rc == DD_OK)
				rc = dd_buf_putc(out, '"');
			i += n;
			continue;
		}
		rc = dd_buf_append(out, s + i, n);
		i += n;
	}
	return rc;
}


dd_rc dd_assess_json_load(const char *text, size_t len, const char *origin, json_t **root,
			  dd_err *err)
{
	json_error_t jerr;
	dd_buf quoted;
	dd_rc rc;

	*root = NULL;
	dd_buf_init(&quoted, 0);
	rc = quote_numbers(text ? text : "", len, &quoted);
	if (rc != DD_OK)
		dd_err_set(err, rc, "内存不足");
	else if (!(*root = json_loadb(quoted.data ? quoted.data : "", quoted.len, 0, &jerr)))
		rc = dd_err_set(err, DD_ERR_INPUT, "%s 第%d行：JSON 格式错误：%s", origin, jerr.line, jerr.text);
	dd_buf_release(&quoted);
	return rc;
}

dd_rc dd_assess_input_from_json(dd_assess_input *out, const json_t *obj, const char *const *skip,
				dd_err *err)
{
	input in = { .mem = &out->mem, .err = err, .skip = skip };
	dd_rc rc;

	dd_arena_init(&out->mem, 0);
	if ((rc = parse_record(&in, &household_rec, 0, obj, &out->h)) != DD_OK ||
	    (rc = parse_array(&in, &member_rec, json_object_get(obj, "members"), sizeof *out->members,
			      (void **)&out->members, &out->nmembers)) != DD_OK ||
	    (rc = parse_array(&in, &obligor_rec, json_object_get(obj, "obligors"), sizeof *out->obligors,
			      (void **)&out->obligors, &out->nobligors)) != DD_OK)
		return rc;
	return check_people(&in, &out->h, out->members, out->nmembers);
}

void dd_assess_input_release(dd_assess_input *in)
{
	free(in->members);
	free(in->obligors);
	dd_arena_release(&in->mem);
	memset(in, 0, sizeof *in);
}

/* Largest household file accepted: one household is a few KiB. */
#define INPUT_MAX (4u << 20)

/* The bytes of path, or of standard input for "-". */
static dd_rc read_all(const char *path, dd_buf *raw, dd_err *err)
{
	char chunk[8192];
	size_t n;

	if (strcmp(path, "-"))
		return dd_file_read(path, INPUT_MAX, raw, err);
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		if (raw->len + n > INPUT_MAX || dd_buf_append(raw, chunk, n) != DD_OK)
			return dd_err_set(err, DD_ERR_INPUT, "标准输入过大或内存不足");
	return ferror(stdin) ? dd_err_set(err, DD_ERR_INPUT, "无法读取标准输入") : DD_OK;
}

dd_rc dd_assess_input_read(const char *path, dd_assess_input *in, dd_err *err)
{
	json_t *root = NULL;
	dd_buf raw;
	dd_rc rc;

	dd_buf_init(&raw, 0);
	if ((rc = read_all(path, &raw, err)) == DD_OK &&
	    (rc = dd_assess_json_load(raw.data, raw.len, path, &root, err)) == DD_OK)
		rc = dd_assess_input_from_json(in, root, NULL, err);
	json_decref(root);
	dd_buf_release(&raw);
	return rc;
}
