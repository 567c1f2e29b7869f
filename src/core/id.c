/* id.c - resident identity numbers (GB 11643-1999), masking of IDs and phones. */
#include "id.h"

#include <string.h>
#include <time.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* 8 bytes at s are all ASCII digits: high nibbles 3, and no low nibble above 9 (adding 6 carries into the high one). */
static bool digits8(const char *s)
{
	const uint64_t hi = UINT64_C(0xF0F0F0F0F0F0F0F0), three = UINT64_C(0x3030303030303030);
	uint64_t w;

	memcpy(&w, s, sizeof w);
	return (w & hi) == three && ((w + UINT64_C(0x0606060606060606)) & hi) == three;
}

/* Province codes of GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macao included), as a bit per code 0..99. */
static bool is_province(int code)
{
	static const uint64_t bits[2] = {
		/* 11-15, 21-23, 31-37, 41-46, 50-54, 61-63 */
		(UINT64_C(0x1F) << 11) | (UINT64_C(0x7) << 21) | (UINT64_C(0x7F) << 31) |
			(UINT64_C(0x3F) << 41) | (UINT64_C(0x1F) << 50) | (UINT64_C(0x7) << 61),
		/* 64-65, 71, 81-82 (bit = code - 64) */
		UINT64_C(0x3) | (UINT64_C(1) << 7) | (UINT64_C(0x3) << 17),
	};
	return bits[code >> 6] >> (code & 63) & 1;
}

char dd_id_check_digit(const char *first17)
{
	static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * weights[i];
	return "10X98765432"[sum % 11];
}

/*
 * Today, asked of dd_date_today at most once a second per thread: an import
 * parses millions of IDs, and each ask reads the environment ($DOUDI_TODAY).
 */
static dd_date today(void)
{
	static _Thread_local time_t asked_at = -1;
	static _Thread_local dd_date cached;
	time_t now = time(NULL);

	if (now != asked_at) {
		cached = dd_date_today();
		asked_at = now;
	}
	return cached;
}

/* Birth date from digits 7-14 of a normalised ID; false when it is no real
 * date or lies in the future. */
static bool birth_date(const char *id18, dd_date *out)
{
	int y = (id18[6] - '0') * 1000 + (id18[7] - '0') * 100 + (id18[8] - '0') * 10 +
		(id18[9] - '0');
	int m = (id18[10] - '0') * 10 + (id18[11] - '0');
	int d = (id18[12] - '0') * 10 + (id18[13] - '0');

	if (!dd_date_valid_ymd(y, m, d))
		return false;
	*out = dd_date_from_ymd(y, m, d);
	return *out <= today();
}

dd_id_status dd_id_parse(const char *s, size_t len, dd_id *out)
{
	dd_id_status ret = DD_ID_BAD_LENGTH;
	char t[19];

	while (len > 0 && *s == ' ') {
		s++;
		len--;
	}
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len == 18) {
		memcpy(t, s, 18);
		if (t[17] == 'x')
			t[17] = 'X';
		ret = DD_ID_BAD_CHARS;
		if (!digits8(t) || !digits8(t + 8) || !is_digit(t[16]) ||
		    !(is_digit(t[17]) || t[17] == 'X'))
			goto done;
	} else if (len == 15) {
		/* old IDs: YYMMDD birth date of the 1900s, no check digit */
		ret = DD_ID_BAD_CHARS;
		if (!digits8(s) || !digits8(s + 7))
			goto done;
		memcpy(t, s, 6);
		memcpy(t + 6, "19", 2);
		memcpy(t + 8, s + 6, 9);
		t[17] = dd_id_check_digit(t);
	} else {
		goto done;
	}
	t[18] = '\0';
	ret = DD_ID_BAD_REGION;
	if (!is_province((t[0] - '0') * 10 + (t[1] - '0')))
		goto done;
	ret = DD_ID_BAD_DATE;
	if (!birth_date(t, &out->birth))
		goto done;
	memcpy(out->text, t, sizeof t);
	out->key = dd_id_key(t);
	out->sex = (t[16] - '0') % 2 ? 'M' : 'F';
	ret = t[17] == dd_id_check_digit(t) ? DD_ID_OK : DD_ID_BAD_CHECK;
done:
	return ret;
}

const char *dd_id_status_text(dd_id_status st)
{
	static const char *texts[] = {
		[DD_ID_OK] = "身份证号正确",
		[DD_ID_BAD_CHECK] = "身份证号校验位错误",
		[DD_ID_BAD_LENGTH] = "身份证号长度应为18位",
		[DD_ID_BAD_CHARS] = "身份证号含有非法字符",
		[DD_ID_BAD_DATE] = "身份证号中的出生日期无效",
		[DD_ID_BAD_REGION] = "身份证号前两位不是有效的省级行政区划代码",
	};
	return (unsigned)st < DD_ARRAY_LEN(texts) ? texts[st] : "身份证号状态未知";
}

uint64_t dd_id_key(const char *id18)
{
	uint64_t hi = 0, lo = 0;

	/* the first 16 digits in two halves: two short chains instead of one long one */
	for (int i = 0; i < 8; i++) {
		hi = hi * 10 + (uint64_t)(id18[i] - '0');
		lo = lo * 10 + (uint64_t)(id18[i + 8] - '0');
	}
	return ((hi * 100000000 + lo) * 10 + (uint64_t)(id18[16] - '0')) * 11 +
	       (id18[17] == 'X' ? 10 : (uint64_t)(id18[17] - '0'));
}

void dd_id_unkey(uint64_t key, char out[19])
{
	uint64_t check = key % 11, n = key / 11;

	out[17] = check == 10 ? 'X' : (char)('0' + check);
	for (int i = 16; i >= 0; i--) {
		out[i] = (char)('0' + n % 10);
		n /= 10;
	}
	out[18] = '\0';
}

/* Copies s keeping the first `head` and last `tail` characters, the rest '*'.
 * A text with nothing left between its ends would be shown whole, so it comes
 * out all '*'.  At most `max` characters are written. */
static void mask(const char *s, size_t head, size_t tail, size_t max, char *out)
{
	size_t n = strlen(s);
	size_t outlen = DD_MIN(n, max);

	memset(out, '*', outlen);
	if (n > head + tail) {
		memcpy(out, s, head);
		memcpy(out + outlen - tail, s + n - tail, tail);
	}
	out[outlen] = '\0';
}

void dd_id_mask(const char *id, char out[19])
{
	mask(id, 6, 4, 18, out);
}

void dd_phone_mask(const char *phone, char *out)
{
	mask(phone, 3, 4, SIZE_MAX, out);
}

int dd_id_age(const dd_id *id, dd_date at)
{
	return dd_date_age(id->birth, at);
}
