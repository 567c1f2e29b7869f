/* test_text.c - UTF-8 validation, BOM, GB18030 conversion, trim and eq. */
#include "unit.h"

#include <stdlib.h>

#include "core/text.h"

/* Literals with embedded bytes carry their length: sizeof - 1. */
#define BYTES(lit) lit, sizeof(lit) - 1

static void test_is_utf8(void **state)
{
	static const struct {
		const char *name;
		const char *buf;
		size_t len;
		bool partial_ok, want;
	} cases[] = {
		{ "ASCII", BYTES("abc,123"), false, true },
		{ "empty", BYTES(""), false, true },
		{ "embedded NUL is ASCII", BYTES("a\0b"), false, true },
		{ "2 bytes: U+00E9", BYTES("\xC3\xA9"), false, true },
		{ "3 bytes: U+4E2D", BYTES("\xE4\xB8\xAD"), false, true },
		{ "4 bytes: U+1F600", BYTES("\xF0\x9F\x98\x80"), false, true },
		{ "U+10FFFF: the last code point", BYTES("\xF4\x8F\xBF\xBF"), false, true },
		{ "U+110000: beyond Unicode", BYTES("\xF4\x90\x80\x80"), false, false },
		{ "F5 lead byte", BYTES("\xF5\x80\x80\x80"), false, false },
		{ "FF byte", BYTES("\xFF"), false, false },
		{ "overlong 2 bytes C0", BYTES("\xC0\xAF"), false, false },
		{ "overlong 2 bytes C1", BYTES("\xC1\xBF"), false, false },
		{ "U+0080: shortest 2-byte", BYTES("\xC2\x80"), false, true },
		{ "overlong 3 bytes E0 80", BYTES("\xE0\x80\xAF"), false, false },
		{ "overlong 3 bytes E0 9F", BYTES("\xE0\x9F\xBF"), false, false },
		{ "U+0800: shortest 3-byte", BYTES("\xE0\xA0\x80"), false, true },
		{ "overlong 4 bytes F0 80", BYTES("\xF0\x80\x80\xAF"), false, false },
		{ "overlong 4 bytes F0 8F", BYTES("\xF0\x8F\xBF\xBF"), false, false },
		{ "U+10000: shortest 4-byte", BYTES("\xF0\x90\x80\x80"), false, true },
		{ "surrogate U+D800", BYTES("\xED\xA0\x80"), false, false },
		{ "surrogate U+DFFF", BYTES("\xED\xBF\xBF"), false, false },
		{ "U+D7FF: before the surrogates", BYTES("\xED\x9F\xBF"), false, true },
		{ "U+E000: after the surrogates", BYTES("\xEE\x80\x80"), false, true },
		{ "lone continuation byte", BYTES("a\x80"), false, false },
		{ "continuation missing mid-text", BYTES("\xE4\xB8" "A"), false, false },
		{ "GBK bytes are not UTF-8", BYTES("\xD6\xD0\xCE\xC4"), false, false },
		{ "cut sequence at the end, strict", BYTES("a\xE4\xB8"), false, false },
		{ "cut sequence at the end, partial_ok", BYTES("a\xE4\xB8"), true, true },
		{ "cut 4-byte lead alone, partial_ok", BYTES("a\xF0"), true, true },
		{ "cut overlong prefix, partial_ok", BYTES("a\xE0\x80"), true, false },
		{ "cut sequence mid-text, partial_ok", BYTES("\xE4\xB8" "a"), true, false },
		/* the 3-byte fast path (E1-EC, EE-EF) leaves E0 and ED to the range checks */
		{ "3-byte fast path: EF BF BF, U+FFFF", BYTES("\xEF\xBF\xBF"), false, true },
		{ "3-byte fast path: second byte not a continuation", BYTES("\xE4\x41\x80"), false, false },
		{ "3-byte fast path: third byte not a continuation", BYTES("\xE4\xB8\xC0"), false, false },
		{ "3-byte fast path: cut after 2 bytes mid-text, partial_ok", BYTES("\xE4\xB8"), true, true },
		{ "E0 80: overlong after Chinese", BYTES("\xE4\xB8\xAD\xE0\x80\x80"), false, false },
		{ "ED A0: surrogate after Chinese", BYTES("\xE4\xB8\xAD\xED\xA0\x80"), false, false },
		/* the ASCII fast path reads 8-byte words from the byte after an ASCII byte */
		{ "fast path: 17 ASCII bytes, 2 words and a tail", BYTES("abcdefghijklmnopq"), false, true },
		{ "fast path: 3-byte sequence straddling a word", BYTES("abcdefg\xE4\xB8\xAD" "hijklmnop"), false, true },
		{ "fast path: 4-byte sequence straddling a word", BYTES("abcdef\xF0\x9F\x98\x80" "ghijklmno"), false, true },
		{ "fast path: sequence right after a full word", BYTES("abcdefghi\xE4\xB8\xAD"), false, true },
		{ "fast path: sequence at the end after 2 words", BYTES("abcdefghijklmnopq\xC3\xA9"), false, true },
		{ "fast path: cut sequence at the end after a word, strict", BYTES("abcdefghi\xE4\xB8"), false, false },
		{ "fast path: cut sequence at the end after a word, partial_ok", BYTES("abcdefghi\xE4\xB8"), true, true },
		{ "fast path: lone continuation right after a word", BYTES("abcdefghi\x80"), false, false },
		{ "fast path: FF as the last byte of a word", BYTES("abcdefgh\xFF"), false, false },
		{ "fast path: 80 as the first byte of a word", BYTES("a\x80" "bcdefgh"), false, false },
		{ "fast path: FF inside a word after ASCII", BYTES("abcdefghij\xFF" "klmnopqr"), false, false },
		{ "fast path: bad continuation in the word after a sequence",
		  BYTES("abcdefg\xE4\xB8" "Aklmnopqrs"), false, false },
		{ "fast path: invalid byte after ASCII following a sequence",
		  BYTES("\xE4\xB8\xAD" "abcdefghijk\xC0\xAF"), false, false },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_text_is_utf8(cases[i].buf, cases[i].len, cases[i].partial_ok) ==
				   cases[i].want,
			   cases[i].name);
}

/* dd_text_utf8_valid: where the valid prefix ends, and whether the rest is a sequence cut by the end. */
static void test_utf8_valid_prefix(void **state)
{
	static const struct {
		const char *name, *buf;
		size_t len, want;
		bool cut;
	} cases[] = {
		{ "all valid", BYTES("ab\xE4\xB8\xAD" "cdefghijk"), 14, false },
		{ "empty", BYTES(""), 0, false },
		{ "bad byte after a word of ASCII", BYTES("abcdefghi\xFF" "x"), 9, false },
		{ "bad continuation after Chinese", BYTES("\xE4\xB8\xAD\xE4\xB8" "A"), 3, false },
		{ "surrogate after a run of Chinese", BYTES("\xE4\xB8\xAD\xE4\xB8\xAD\xED\xA0\x80"), 6, false },
		{ "cut at the end", BYTES("abc\xE4\xB8"), 3, true },
		{ "cut 4-byte sequence at the end", BYTES("abc\xF0\x9F\x98"), 3, true },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		bool cut = !cases[i].cut;
		CASE_CHECK(dd_text_utf8_valid(cases[i].buf, cases[i].len, &cut) == cases[i].want, cases[i].name);
		CASE_CHECK(cut == cases[i].cut, cases[i].name);
	}
}

static void test_bom(void **state)
{
	static const struct {
		const char *name, *buf;
		size_t len, want;
	} cases[] = {
		{ "BOM then text", BYTES("\xEF\xBB\xBFid"), 3 },
		{ "BOM alone", BYTES("\xEF\xBB\xBF"), 3 },
		{ "two bytes of a BOM", BYTES("\xEF\xBB"), 0 },
		{ "wrong third byte", BYTES("\xEF\xBB\xBE"), 0 },
		{ "no BOM", BYTES("id"), 0 },
		{ "empty", BYTES(""), 0 },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_text_bom_len(cases[i].buf, cases[i].len) == cases[i].want,
			   cases[i].name);
}

static const struct {
	const char *name, *gb;
	size_t len;
	const char *utf8;
} gb_cases[] = {
	{ "ASCII passes through", BYTES("abc,123"), "abc,123" },
	{ "empty gives empty", BYTES(""), "" },
	{ "two-byte GBK", BYTES("\xD6\xD0\xCE\xC4"), "中文" },
	{ "GBK mixed with ASCII", BYTES("\xD5\xC5\xC8\xFD,110105"), "张三,110105" },
	{ "four-byte GB18030 in the BMP", BYTES("\x81\x30\x81\x30"), "\xC2\x80" },
	{ "four-byte GB18030 beyond the BMP", BYTES("\x94\x39\xFC\x36"), "\xF0\x9F\x98\x80" },
	{ "euro sign", BYTES("\xA2\xE3"), "\xE2\x82\xAC" },
	{ "a CSV line", BYTES("\xC3\xF1\xD5\xFE,\xB5\xCD\xB1\xA3\r\n"), "民政,低保\r\n" },
};

static void test_gb_whole(void **state)
{
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(gb_cases); i++) {
		dd_err err = { 0 };
		char *out = NULL;
		size_t outlen = 99;
		dd_rc rc = dd_text_gb_to_utf8(gb_cases[i].gb, gb_cases[i].len, &out, &outlen, &err);
		CASE_CHECK(rc == DD_OK, gb_cases[i].name);
		CASE_CHECK(out != NULL, gb_cases[i].name);
		CASE_STR_EQ(out, gb_cases[i].utf8, gb_cases[i].name);
		CASE_CHECK(outlen == strlen(gb_cases[i].utf8), gb_cases[i].name);
		free(out);
	}
}

/* Feeds all cases as one stream in chunks of `chunk` bytes: any chunking,
 * including one byte at a time, gives the same text. */
static void feed_chunked(size_t chunk)
{
	dd_text_conv *c = NULL;
	dd_err err = { 0 };
	dd_buf in, want, out;

	dd_buf_init(&in, 0);
	dd_buf_init(&want, 0);
	dd_buf_init(&out, 0);
	for (size_t i = 0; i < DD_ARRAY_LEN(gb_cases); i++) {
		assert_int_equal(dd_buf_append(&in, gb_cases[i].gb, gb_cases[i].len), DD_OK);
		assert_int_equal(dd_buf_puts(&want, gb_cases[i].utf8), DD_OK);
	}
	assert_int_equal(dd_text_conv_open(&c, &err), DD_OK);
	for (size_t off = 0; off < in.len; off += chunk) {
		size_t n = DD_MIN(chunk, in.len - off);
		assert_int_equal(dd_text_conv_feed(c, in.data + off, n, false, &out, &err), DD_OK);
	}
	assert_int_equal(dd_text_conv_feed(c, NULL, 0, true, &out, &err), DD_OK);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	dd_text_conv_close(c);
	dd_buf_release(&in);
	dd_buf_release(&want);
	dd_buf_release(&out);
}

static void test_gb_chunked(void **state)
{
	DD_UNUSED(state);
	for (size_t chunk = 1; chunk <= 8; chunk++)
		feed_chunked(chunk);
}

static void test_gb_invalid(void **state)
{
	static const struct {
		const char *name, *gb;
		size_t len, chunk;   /* chunk 0 = all at once */
		const char *msg;
	} cases[] = {
		{ "81 20: second byte out of range", BYTES("\x81\x20"), 0,
		  "无效的 GB18030 字节序列（字节偏移 0）" },
		{ "offset counts the bytes before", BYTES("ab\x81\x20"), 0,
		  "无效的 GB18030 字节序列（字节偏移 2）" },
		{ "offset counts multibyte characters as bytes", BYTES("\xD6\xD0\x81\x20"), 0,
		  "无效的 GB18030 字节序列（字节偏移 2）" },
		{ "offset over byte-by-byte calls", BYTES("ab\xD6\xD0\x81\x20"), 1,
		  "无效的 GB18030 字节序列（字节偏移 4）" },
		{ "invalid fourth byte across chunks", BYTES("a\x81\x30\x81\x20"), 2,
		  "无效的 GB18030 字节序列（字节偏移 1）" },
		{ "80 is no lead byte", BYTES("\x80"), 0, "无效的 GB18030 字节序列（字节偏移 0）" },
		{ "FF is no lead byte", BYTES("x\xFF"), 1, "无效的 GB18030 字节序列（字节偏移 1）" },
		{ "cut two-byte character at the end", BYTES("ab\xD6"), 0,
		  "GB18030 文本在字节偏移 2 处截断" },
		{ "cut four-byte character at the end, byte by byte", BYTES("ab\x81\x30\x81"), 1,
		  "GB18030 文本在字节偏移 2 处截断" },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_text_conv *c = NULL;
		dd_err err = { 0 };
		dd_buf out;
		size_t chunk = cases[i].chunk ? cases[i].chunk : cases[i].len;
		dd_rc rc = DD_OK;

		dd_buf_init(&out, 0);
		assert_int_equal(dd_text_conv_open(&c, &err), DD_OK);
		for (size_t off = 0; off < cases[i].len && rc == DD_OK; off += chunk) {
			size_t n = DD_MIN(chunk, cases[i].len - off);
			rc = dd_text_conv_feed(c, cases[i].gb + off, n, off + n == cases[i].len,
					       &out, &err);
		}
		CASE_CHECK(rc == DD_ERR_INPUT, cases[i].name);
		CASE_CHECK(err.rc == DD_ERR_INPUT, cases[i].name);
		CASE_STR_EQ(err.msg, cases[i].msg, cases[i].name);
		dd_text_conv_close(c);
		dd_buf_release(&out);
	}
}

static void test_gb_whole_invalid_leaves_out(void **state)
{
	dd_err err = { 0 };
	char *out = (char *)"untouched";
	size_t outlen = 7;
	DD_UNUSED(state);
	assert_int_equal(dd_text_gb_to_utf8(BYTES("ab\x81\x20"), &out, &outlen, &err),
			 DD_ERR_INPUT);
	assert_string_equal(out, "untouched");
	assert_int_equal(outlen, 7);
	assert_string_equal(err.msg, "无效的 GB18030 字节序列（字节偏移 2）");
}

static void test_trim(void **state)
{
	static const struct {
		const char *name, *in, *out;
	} cases[] = {
		{ "ASCII spaces both ends", "  a  ", "a" },
		{ "tabs, CR and LF", "\t\r\n a\r\n", "a" },
		{ "ideographic space U+3000 both ends", "\xE3\x80\x80张三\xE3\x80\x80", "张三" },
		{ "mixed ASCII and U+3000", " \xE3\x80\x80 x \xE3\x80\x80\t", "x" },
		{ "only spaces become empty", " \xE3\x80\x80 ", "" },
		{ "empty stays empty", "", "" },
		{ "inner space kept", "a b", "a b" },
		{ "inner U+3000 kept", "a\xE3\x80\x80" "b", "a\xE3\x80\x80" "b" },
		{ "cut U+3000 at the end is not space", "a\xE3\x80", "a\xE3\x80" },
		{ "no-break space U+00A0 is not trimmed", "\xC2\xA0" "a", "\xC2\xA0" "a" },
		{ "character ending in 80 is not U+3000", "\xE4\xB8\x80", "\xE4\xB8\x80" },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		const char *s = cases[i].in;
		size_t len = strlen(s);
		char got[64];
		dd_text_trim(&s, &len);
		memcpy(got, s, len);
		got[len] = '\0';
		CASE_STR_EQ(got, cases[i].out, cases[i].name);
	}
}

static void test_eq(void **state)
{
	static const struct {
		const char *name, *s;
		size_t len;
		const char *lit;
		bool want;
	} cases[] = {
		{ "same text", "abc", 3, "abc", true },
		{ "prefix by length", "abc", 2, "ab", true },
		{ "longer than the literal", "abc", 3, "ab", false },
		{ "shorter than the literal", "ab", 2, "abc", false },
		{ "both empty", "", 0, "", true },
		{ "case matters", "DB", 2, "db", false },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_text_eq(cases[i].s, cases[i].len, cases[i].lit) == cases[i].want,
			   cases[i].name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_utf8),
		cmocka_unit_test(test_utf8_valid_prefix),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_gb_whole),
		cmocka_unit_test(test_gb_chunked),
		cmocka_unit_test(test_gb_invalid),
		cmocka_unit_test(test_gb_whole_invalid_leaves_out),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_eq),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
