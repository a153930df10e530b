/* SPDX-License-Identifier: Apache-2.0 */
/* Span helpers: allocation-free slicing used by every text and binary parser. */
#include "mint/span.h"

#include <stdlib.h>
#include <string.h>

struct mint_span mint_span_str(const char *s)
{
	return MINT_SPAN(s, s ? strlen(s) : 0);
}

bool mint_span_eq(struct mint_span a, struct mint_span b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool mint_span_eq_str(struct mint_span a, const char *s)
{
	return mint_span_eq(a, mint_span_str(s));
}

bool mint_span_starts_with(struct mint_span a, const char *prefix)
{
	size_t n = strlen(prefix);
	return a.len >= n && memcmp(a.ptr, prefix, n) == 0;
}

bool mint_span_ends_with(struct mint_span a, const char *suffix)
{
	size_t n = strlen(suffix);
	return a.len >= n && memcmp(a.ptr + a.len - n, suffix, n) == 0;
}

long mint_span_find(struct mint_span s, char c)
{
	if (!s.len)
		return -1;
	const char *p = memchr(s.ptr, c, s.len);
	return p ? (long)(p - s.ptr) : -1;
}

bool mint_span_split(struct mint_span *rest, char sep, struct mint_span *head)
{
	if (!rest->ptr)
		return false;
	long at = mint_span_find(*rest, sep);
	if (at < 0) {
		*head = *rest;
		*rest = MINT_SPAN_NULL;
		return true;
	}
	*head = MINT_SPAN(rest->ptr, (size_t)at);
	*rest = MINT_SPAN(rest->ptr + at + 1, rest->len - (size_t)at - 1);
	return true;
}

struct mint_span mint_span_skip(struct mint_span s, size_t n)
{
	if (n > s.len)
		n = s.len;
	return MINT_SPAN(s.ptr + n, s.len - n);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct mint_span mint_span_trim(struct mint_span s)
{
	while (s.len && is_space(s.ptr[0])) {
		s.ptr++;
		s.len--;
	}
	while (s.len && is_space(s.ptr[s.len - 1]))
		s.len--;
	return s;
}

bool mint_span_to_u64(struct mint_span s, uint64_t *out)
{
	uint64_t v = 0;
	if (!s.len)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (c < '0' || c > '9')
			return false;
		unsigned d = (unsigned)(c - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool mint_span_octal_to_u64(struct mint_span s, uint64_t *out)
{
	size_t i = 0;
	uint64_t v = 0;
	bool any = false;
	while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\0'))
		i++;
	for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '7'; i++) {
		if (v > (UINT64_MAX >> 3))
			return false;
		v = (v << 3) | (uint64_t)(s.ptr[i] - '0');
		any = true;
	}
	for (; i < s.len; i++)
		if (s.ptr[i] != ' ' && s.ptr[i] != '\0')
			return false;
	*out = any ? v : 0;
	return true;
}

char *mint_span_dup(struct mint_span s)
{
	char *p = malloc(s.len + 1);
	if (!p)
		return NULL;
	if (s.len)
		memcpy(p, s.ptr, s.len);
	p[s.len] = '\0';
	return p;
}
