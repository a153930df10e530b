/* SPDX-License-Identifier: Apache-2.0 */
/* Bump allocation in blocks that grow from 4 KiB to 1 MiB (see mint/arena.h):
 * a small document costs a few KiB, a large index mostly 1 MiB blocks. */
#include "mint/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_MIN (4u << 10)
#define BLOCK_MAX (1u << 20)

struct mint_arena_block {
	struct mint_arena_block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

static struct mint_arena_block *new_block(struct mint_arena *a, size_t at_least)
{
	size_t size = a->head ? (a->head->size < BLOCK_MAX ? a->head->size * 2 : BLOCK_MAX)
			      : BLOCK_MIN;
	if (size < at_least)
		size = at_least;
	struct mint_arena_block *b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->next = a->head;
	b->used = 0;
	b->size = size;
	a->head = b;
	return b;
}

void *mint_arena_alloc(struct mint_arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	if (size > SIZE_MAX - align)
		return NULL;
	struct mint_arena_block *b = a->head;
	size_t start = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (!b || start > b->size || b->size - start < size) {
		b = new_block(a, size);
		if (!b)
			return NULL;
		start = 0;
	}
	void *p = b->data + start;
	b->used = start + size;
	return p;
}

char *mint_arena_strdup(struct mint_arena *a, struct mint_span s)
{
	/* Strings need no alignment: pack them byte by byte in the block. */
	struct mint_arena_block *b = a->head;
	if (s.len >= SIZE_MAX - 1)
		return NULL;
	if (!b || b->size - b->used < s.len + 1) {
		b = new_block(a, s.len + 1);
		if (!b)
			return NULL;
	}
	char *p = (char *)b->data + b->used;
	if (s.len)
		memcpy(p, s.ptr, s.len);
	p[s.len] = '\0';
	b->used += s.len + 1;
	return p;
}

void mint_arena_free(struct mint_arena *a)
{
	struct mint_arena_block *b = a->head;
	while (b) {
		struct mint_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}
