/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Non-owning byte spans (pointer, length): what every parser in libmint walks.
 * Splitting and pulling never allocate; mint_span_dup is the one way out to a
 * NUL-terminated copy.
 */
#ifndef MINT_SPAN_H
#define MINT_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mint_span {
	const char *ptr;
	size_t len;
};

#define MINT_SPAN(p, l) ((struct mint_span){ (const char *)(p), (l) })
#define MINT_SPAN_LIT(s) ((struct mint_span){ (s), sizeof(s) - 1 })
#define MINT_SPAN_NULL ((struct mint_span){ NULL, 0 })

struct mint_span mint_span_str(const char *s);
bool mint_span_eq(struct mint_span a, struct mint_span b);
bool mint_span_eq_str(struct mint_span a, const char *s);
bool mint_span_starts_with(struct mint_span a, const char *prefix);
bool mint_span_ends_with(struct mint_span a, const char *suffix);

/* Index of the first c in s, or -1. */
long mint_span_find(struct mint_span s, char c);

/* Cuts *rest at the first sep: *head gets what is before it, *rest what is
 * after. Without a sep, *head gets all of *rest and *rest becomes empty.
 * Returns false only when *rest was already empty (ptr NULL or len 0 and
 * nothing left to take). */
bool mint_span_split(struct mint_span *rest, char sep, struct mint_span *head);

/* Drops n bytes from the front (clamped). */
struct mint_span mint_span_skip(struct mint_span s, size_t n);
struct mint_span mint_span_trim(struct mint_span s);

/* Strict unsigned decimal: digits only, no sign, no overflow. */
bool mint_span_to_u64(struct mint_span s, uint64_t *out);
/* Strict octal as in tar headers: leading spaces/NULs allowed, digits, then
 * spaces/NULs to the end. */
bool mint_span_octal_to_u64(struct mint_span s, uint64_t *out);

/* malloc'd NUL-terminated copy, or NULL when out of memory. */
char *mint_span_dup(struct mint_span s);

#endif
