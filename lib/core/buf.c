/* SPDX-License-Identifier: Apache-2.0 */
/* Growable buffer (see mint/buf.h). Growth doubles; overflow of size_t is an ENOMEM. */
#include "mint/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/err.h"

int mint_buf_reserve(struct mint_buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		return MINT_ENOMEM;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return MINT_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int mint_buf_append(struct mint_buf *b, const void *data, size_t len)
{
	if (mint_buf_reserve(b, len))
		return MINT_ENOMEM;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int mint_buf_append_span(struct mint_buf *b, struct mint_span s)
{
	return mint_buf_append(b, s.ptr, s.len);
}

int mint_buf_puts(struct mint_buf *b, const char *s)
{
	return mint_buf_append(b, s, strlen(s));
}

int mint_buf_putc(struct mint_buf *b, char c)
{
	return mint_buf_append(b, &c, 1);
}

int mint_buf_printf(struct mint_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || mint_buf_reserve(b, (size_t)n))
		return MINT_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *mint_buf_grow(struct mint_buf *b, size_t len)
{
	if (mint_buf_reserve(b, len))
		return NULL;
	char *at = b->data + b->len;
	memset(at, 0, len + 1);
	b->len += len;
	return at;
}

void mint_buf_reset(struct mint_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void mint_buf_free(struct mint_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *mint_buf_detach(struct mint_buf *b, size_t *len)
{
	char *p = b->data;
	if (!p)
		p = calloc(1, 1);
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *mint_buf_cstr(const struct mint_buf *b)
{
	return b->data ? b->data : "";
}

struct mint_span mint_buf_span(const struct mint_buf *b)
{
	return MINT_SPAN(b->data, b->len);
}
