/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A pull source of bytes: what the tar reader reads from, whether the bytes
 * come from memory, a file or a gzip member being inflated.
 */
#ifndef MINT_SOURCE_H
#define MINT_SOURCE_H

#include <stddef.h>

#include "mint/err.h"
#include "mint/span.h"

struct mint_source {
	/* Fills up to cap bytes; *got == 0 means end of input. Returns 0 or MINT_E*. */
	int (*read)(void *ctx, void *buf, size_t cap, size_t *got, struct mint_err *err);
	void *ctx;
};

/* A source over memory; pos must outlive the source. */
struct mint_span_source {
	struct mint_span data;
	size_t pos;
};
struct mint_source mint_span_source_init(struct mint_span_source *s, struct mint_span data);

/* Reads exactly len bytes; a short read is MINT_ETRUNCATED. */
int mint_source_read_full(struct mint_source src, void *buf, size_t len, struct mint_err *err);

#endif
