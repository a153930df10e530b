/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one growable byte buffer. data is always NUL-terminated after len once
 * anything was appended, so text built here can be used as a C string.
 */
#ifndef MINT_BUF_H
#define MINT_BUF_H

#include <stddef.h>

#include "mint/span.h"

struct mint_buf {
	char *data;
	size_t len;
	size_t cap;
};

#define MINT_BUF_INIT { NULL, 0, 0 }

/* All return 0 or MINT_ENOMEM. */
int mint_buf_reserve(struct mint_buf *b, size_t extra);
int mint_buf_append(struct mint_buf *b, const void *data, size_t len);
int mint_buf_append_span(struct mint_buf *b, struct mint_span s);
int mint_buf_puts(struct mint_buf *b, const char *s);
int mint_buf_putc(struct mint_buf *b, char c);
int mint_buf_printf(struct mint_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A zero-filled region of len bytes appended at the end; NULL when out of memory. */
char *mint_buf_grow(struct mint_buf *b, size_t len);

void mint_buf_reset(struct mint_buf *b);
void mint_buf_free(struct mint_buf *b);
/* Hands the storage to the caller (free it with free()); the buffer is reset. */
char *mint_buf_detach(struct mint_buf *b, size_t *len);
/* Always a valid C string, "" for an empty buffer. */
const char *mint_buf_cstr(const struct mint_buf *b);
struct mint_span mint_buf_span(const struct mint_buf *b);

#endif
