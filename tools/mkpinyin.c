/*
 * mkpinyin.c - writes the pinyin-initial table linked into doudi
 * (src/core/pinyin_blob.S, read by src/core/pinyin.c).
 *
 * ICU's "Han-Latin" transliterator takes ≈ 280 ms to walk the 20 902 CJK
 * unified ideographs; doing it once at build time keeps that cost out of
 * every search.  Output: one byte per code point U+4E00..U+9FA5, the
 * lower-case ASCII letter the character's reading starts with, or 0.
 *
 * usage: mkpinyin OUT
 */
#include <stdio.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#define FIRST 0x4E00
#define LAST 0x9FA5

int main(int argc, char **argv)
{
	UErrorCode e = U_ZERO_ERROR;
	UChar id[32];
	unsigned char table[LAST - FIRST + 1];
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: mkpinyin OUT\n");
		return 1;
	}
	u_uastrcpy(id, "Han-Latin; Latin-ASCII; Lower");
	UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
	if (U_FAILURE(e)) {
		fprintf(stderr, "mkpinyin: %s\n", u_errorName(e));
		return 1;
	}
	for (UChar32 c = FIRST; c <= LAST; c++) {
		UChar buf[32] = { (UChar)c };
		int32_t len = 1, limit = 1;
		e = U_ZERO_ERROR;
		utrans_transUChars(t, buf, &len, 32, 0, &limit, &e);
		table[c - FIRST] = U_SUCCESS(e) && len > 0 && buf[0] >= 'a' && buf[0] <= 'z'
					   ? (unsigned char)buf[0] : 0;
	}
	utrans_close(t);
	if (!(f = fopen(argv[1], "wb")) || fwrite(table, 1, sizeof table, f) != sizeof table ||
	    fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
