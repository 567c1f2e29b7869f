/*
 * text.h - text encodings and small string helpers.
 *
 * Input files come as UTF-8 (with or without BOM) or GBK/GB18030 as Excel in
 * China saves them.  Detection is exact: a file that is valid UTF-8 is UTF-8;
 * otherwise it must decode as GB18030, or it is refused.  Never mis-decode
 * silently.
 */
#ifndef DD_TEXT_H
#define DD_TEXT_H

#include "dd.h"

typedef enum { DD_ENC_UTF8 = 0, DD_ENC_GB18030 } dd_encoding;

/* True when buf is well-formed UTF-8 (no overlongs or surrogates).
 * `partial_ok` accepts a sequence cut at the end of buf (for sniffing a prefix). */
bool dd_text_is_utf8(const char *buf, size_t len, bool partial_ok);
/* Length of the longest prefix of buf that is whole well-formed sequences; the
 * rest starts with a bad sequence, or (*cut) one that buf's end cut short. */
size_t dd_text_utf8_valid(const char *buf, size_t len, bool *cut);
/* Length of a UTF-8 BOM at buf (3) or 0. */
size_t dd_text_bom_len(const char *buf, size_t len);

/*
 * Streaming GB18030 -> UTF-8 converter on iconv.  Owns the iconv handle;
 * dd_text_conv_close frees it.  Feed bytes in any chunking: an incomplete
 * multibyte sequence at the end of a chunk is kept for the next one.
 */
typedef struct dd_text_conv dd_text_conv;
dd_rc dd_text_conv_open(dd_text_conv **c, dd_err *err);
/* Appends the UTF-8 of in[0..len) to out.  DD_ERR_INPUT on an invalid sequence,
 * with the byte offset (counted over all calls) in err. `final` says no more input follows. */
dd_rc dd_text_conv_feed(dd_text_conv *c, const char *in, size_t len, bool final,
			dd_buf *out, dd_err *err);
void dd_text_conv_close(dd_text_conv *c);

/* Converts a whole GB18030 string; the result is malloc'ed and NUL-terminated
 * (caller frees; "" for empty input).  On failure *out is untouched. */
dd_rc dd_text_gb_to_utf8(const char *in, size_t len, char **out, size_t *outlen, dd_err *err);

/* Trims ASCII spaces, tabs, CR/LF and U+3000 (ideographic space) from both ends. */
void dd_text_trim(const char **s, size_t *len);
/* Columns a UTF-8 string takes on a terminal: CJK and full-width characters count 2. */
size_t dd_text_width(const char *s);

/* Exact comparison of a (ptr,len) with a C string. */
bool dd_text_eq(const char *s, size_t len, const char *lit);

#endif
