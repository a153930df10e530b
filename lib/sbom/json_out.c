/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JSON text of SBOM documents (lib/sbom/writer.h): written member by
 * member in the order the writers choose, laid out as Go's MarshalIndent
 * with two spaces, strings escaped as Go's encoder escapes them. Writing
 * straight to a buffer, rather than through a JSON library's tree, fixes
 * the bytes: the same model always gives the same document. This file
 * writes JSON; reading shipped SBOMs goes through jansson in spdx_merge.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "writer.h"

static void put(struct sbom_json *w, const void *s, size_t n)
{
	if (!w->rc && mint_buf_append(w->out, s, n))
		w->rc = MINT_ENOMEM;
}

static void puts_(struct sbom_json *w, const char *s)
{
	put(w, s, strlen(s));
}

static void newline_indent(struct sbom_json *w)
{
	puts_(w, "\n");
	for (int i = 0; i < w->depth; i++)
		puts_(w, "  ");
}

/* Before any value: in an array, the separator and the new line; after a
 * key, nothing (the key wrote them). */
static void before_value(struct sbom_json *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->empty)
		puts_(w, ",");
	newline_indent(w);
	w->empty = false;
}

void sbom_json_begin(struct sbom_json *w, struct mint_buf *out)
{
	mint_buf_reset(out);
	*w = (struct sbom_json){ .out = out, .empty = true };
}

static void open_(struct sbom_json *w, const char *bracket)
{
	before_value(w);
	puts_(w, bracket);
	w->depth++;
	w->empty = true;
}

static void close_(struct sbom_json *w, const char *bracket)
{
	w->depth--;
	if (!w->empty)
		newline_indent(w);
	puts_(w, bracket);
	w->empty = false;
}

void sbom_json_object(struct sbom_json *w)
{
	open_(w, "{");
}

void sbom_json_array(struct sbom_json *w)
{
	open_(w, "[");
}

void sbom_json_end_object(struct sbom_json *w)
{
	close_(w, "}");
}

void sbom_json_end_array(struct sbom_json *w)
{
	close_(w, "]");
}

/* The length of the well-formed UTF-8 sequence at s (no overlong forms,
 * no surrogates, nothing above U+10FFFF), or 0; *rune gets its value. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *rune)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	unsigned r = s[0] & (0x7fu >> len);
	for (size_t i = 1; i < len; i++) {
		if (i > 1 && (s[i] < 0x80 || s[i] > 0xbf))
			return 0;
		r = (r << 6) | (s[i] & 0x3fu);
	}
	*rune = r;
	return len;
}

static void put_ascii(struct sbom_json *w, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char esc[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
	switch (c) {
	case '"': puts_(w, "\\\""); return;
	case '\\': puts_(w, "\\\\"); return;
	case '\n': puts_(w, "\\n"); return;
	case '\r': puts_(w, "\\r"); return;
	case '\t': puts_(w, "\\t"); return;
	case '\b': puts_(w, "\\b"); return;
	case '\f': puts_(w, "\\f"); return;
	}
	if (c < 0x20 || c == '<' || c == '>' || c == '&')
		puts_(w, esc);
	else
		put(w, &c, 1);
}

/* Bytes that go into a string as they are. */
static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
}

static void put_quoted(struct sbom_json *w, const unsigned char *p, size_t n)
{
	puts_(w, "\"");
	for (size_t i = 0; i < n;) {
		unsigned rune = 0;
		size_t len = 0;
		while (i + len < n && plain(p[i + len]))
			len++;
		if (len) {
			put(w, p + i, len);
			i += len;
		} else if (p[i] < 0x80) {
			put_ascii(w, p[i++]);
		} else if (!(len = utf8_seq(p + i, n - i, &rune))) {
			puts_(w, "\\ufffd");
			i++;
		} else {
			if (rune == 0x2028 || rune == 0x2029)
				puts_(w, rune == 0x2028 ? "\\u2028" : "\\u2029");
			else
				put(w, p + i, len);
			i += len;
		}
	}
	puts_(w, "\"");
}

void sbom_json_key(struct sbom_json *w, const char *key)
{
	if (!w->empty)
		puts_(w, ",");
	newline_indent(w);
	put_quoted(w, (const unsigned char *)key, strlen(key));
	puts_(w, ": ");
	w->empty = false;
	w->after_key = true;
}

void sbom_json_string_span(struct sbom_json *w, struct mint_span s)
{
	before_value(w);
	put_quoted(w, (const unsigned char *)(s.ptr ? s.ptr : ""), s.len);
}

void sbom_json_string(struct sbom_json *w, const char *s)
{
	sbom_json_string_span(w, mint_span_str(s ? s : ""));
}

void sbom_json_uint(struct sbom_json *w, uint64_t v)
{
	char num[24];
	before_value(w);
	snprintf(num, sizeof(num), "%" PRIu64, v);
	puts_(w, num);
}

void sbom_json_bool(struct sbom_json *w, bool v)
{
	before_value(w);
	puts_(w, v ? "true" : "false");
}

void sbom_json_field(struct sbom_json *w, const char *key, const char *value)
{
	if (!value)
		return;
	sbom_json_key(w, key);
	sbom_json_string(w, value);
}

int sbom_json_end(struct sbom_json *w, struct mint_err *err)
{
	puts_(w, "\n");
	if (w->rc)
		return mint_err_set(err, w->rc, "out of memory writing an SBOM");
	return 0;
}
