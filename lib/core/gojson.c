/* SPDX-License-Identifier: Apache-2.0 */
/* Go's encoding/json string quoting (see mint/gojson.h). */
#include "mint/gojson.h"

#include <stdbool.h>

#include "mint/err.h"

/* The length of the valid UTF-8 sequence at s, as Go's utf8.DecodeRune
 * accepts it, or 0; *rune gets its value. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *rune)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	unsigned r = c & (0x7fu >> len);
	for (size_t i = 1; i < len; i++) {
		if (i > 1 && (s[i] < 0x80 || s[i] > 0xbf))
			return 0;
		r = (r << 6) | (s[i] & 0x3fu);
	}
	*rune = r;
	return len;
}

static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
}

static int ascii(struct mint_buf *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	switch (c) {
	case '"': return mint_buf_puts(out, "\\\"");
	case '\\': return mint_buf_puts(out, "\\\\");
	case '\b': return mint_buf_puts(out, "\\b");
	case '\f': return mint_buf_puts(out, "\\f");
	case '\n': return mint_buf_puts(out, "\\n");
	case '\r': return mint_buf_puts(out, "\\r");
	case '\t': return mint_buf_puts(out, "\\t");
	}
	char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
	return mint_buf_append(out, esc, sizeof(esc));
}

int mint_gojson_quote(struct mint_buf *out, const void *data, size_t n)
{
	const unsigned char *p = data;
	int rc = mint_buf_putc(out, '"');
	for (size_t i = 0; !rc && i < n;) {
		unsigned rune = 0;
		size_t len = 0;
		while (i + len < n && plain(p[i + len]))
			len++;
		if (len) {
			rc = mint_buf_append(out, p + i, len);
			i += len;
		} else if (p[i] < 0x80) {
			rc = ascii(out, p[i++]);
		} else if (!(len = utf8_seq(p + i, n - i, &rune))) {
			rc = mint_buf_puts(out, "\\ufffd");
			i++;
		} else {
			rc = rune == 0x2028 || rune == 0x2029
				     ? mint_buf_puts(out, rune == 0x2028 ? "\\u2028" : "\\u2029")
				     : mint_buf_append(out, p + i, len);
			i += len;
		}
	}
	if (!rc)
		rc = mint_buf_putc(out, '"');
	return rc ? MINT_ENOMEM : 0;
}
