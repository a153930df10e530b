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
#include "mint/gojson.h"

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

static void put_quoted(struct sbom_json *w, const unsigned char *p, size_t n)
{
	if (!w->rc && mint_gojson_quote(w->out, p, n))
		w->rc = MINT_ENOMEM;
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
