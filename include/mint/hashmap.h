/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An open-addressing hash map from byte strings to pointers: linear probing,
 * a power-of-two table kept at most 3/4 full, removal by backward shifting
 * (no tombstones). Used where libmint looks names up by the hundred thousand
 * (the apk package database's name table).
 *
 * Keys are not copied: the bytes a key points at must stay valid and
 * unchanged for as long as the entry is in the map. Values are opaque
 * pointers; NULL is a valid value, so lookups say "found" separately.
 * Iteration order is the table order: stable for a given sequence of
 * insertions, but not sorted.
 */
#ifndef MINT_HASHMAP_H
#define MINT_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/span.h"

struct mint_hashmap_slot {
	const char *key;   /* NULL: the slot is empty */
	size_t len;
	uint64_t hash;
	void *value;
};

struct mint_hashmap {
	struct mint_hashmap_slot *slots;
	size_t cap;        /* 0 or a power of two */
	size_t n;
};

#define MINT_HASHMAP_INIT { NULL, 0, 0 }

/* The hash the map uses (64-bit FNV-1a, then mixed), for callers that want
 * to compute it once and reuse it. */
uint64_t mint_hashmap_hash(struct mint_span key);

/* Finds key; stores its value in *value (may be NULL) and returns true. */
bool mint_hashmap_get(const struct mint_hashmap *m, struct mint_span key, void **value);
bool mint_hashmap_get_hashed(const struct mint_hashmap *m, struct mint_span key, uint64_t hash,
			     void **value);

/* Inserts key or replaces its value. Returns 0 or MINT_ENOMEM (the map is
 * then unchanged). key.ptr must not be NULL. */
int mint_hashmap_put(struct mint_hashmap *m, struct mint_span key, void *value);
int mint_hashmap_put_hashed(struct mint_hashmap *m, struct mint_span key, uint64_t hash,
			    void *value);

/* Removes key; returns whether it was there (its value in *value when
 * value is not NULL). */
bool mint_hashmap_remove(struct mint_hashmap *m, struct mint_span key, void **value);

/* Makes room for n entries in all without growing again. 0 or MINT_ENOMEM. */
int mint_hashmap_reserve(struct mint_hashmap *m, size_t n);

/* Walks the entries: start with *pos = 0; each call fills *key and *value
 * (either may be NULL) and returns true, until there are no more. The map
 * must not change during the walk. */
bool mint_hashmap_next(const struct mint_hashmap *m, size_t *pos, struct mint_span *key,
		       void **value);

void mint_hashmap_free(struct mint_hashmap *m);

#endif
