/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A bump allocator: many small allocations that live and die together (the
 * strings of a parsed index, the nodes of a YAML document) come from blocks
 * that grow from 4 KiB to 1 MiB and are released at
 * once. Not for anything freed piecemeal.
 */
#ifndef MINT_ARENA_H
#define MINT_ARENA_H

#include <stddef.h>

#include "mint/span.h"

struct mint_arena_block;

struct mint_arena {
	struct mint_arena_block *head;
};

/* NULL when out of memory. Aligned for any type. */
void *mint_arena_alloc(struct mint_arena *a, size_t size);
/* NUL-terminated copy of s. */
char *mint_arena_strdup(struct mint_arena *a, struct mint_span s);
void mint_arena_free(struct mint_arena *a);

#endif
