/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Open-addressing hash map from byte strings to pointers (see
 * mint/hashmap.h). Linear probing keeps lookups in one or two cache lines;
 * the load factor stays at or under 3/4; deletion shifts the following run
 * back so no tombstones accumulate.
 */
#include "mint/hashmap.h"

#include <stdlib.h>
#include <string.h>

#include "mint/err.h"

#define MIN_CAP 16

uint64_t mint_hashmap_hash(struct mint_span key)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < key.len; i++) {
		h ^= (unsigned char)key.ptr[i];
		h *= 0x100000001b3ull;
	}
	/* FNV's low bits are weak for short keys; a final mix spreads them. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static bool slot_matches(const struct mint_hashmap_slot *s, struct mint_span key, uint64_t hash)
{
	return s->hash == hash && s->len == key.len &&
	       (key.len == 0 || memcmp(s->key, key.ptr, key.len) == 0);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find_slot(const struct mint_hashmap *m, struct mint_span key, uint64_t hash)
{
	size_t mask = m->cap - 1, i = (size_t)hash & mask;
	while (m->slots[i].key && !slot_matches(&m->slots[i], key, hash))
		i = (i + 1) & mask;
	return i;
}

bool mint_hashmap_get_hashed(const struct mint_hashmap *m, struct mint_span key, uint64_t hash,
			     void **value)
{
	if (!m->n)
		return false;
	size_t i = find_slot(m, key, hash);
	if (!m->slots[i].key)
		return false;
	if (value)
		*value = m->slots[i].value;
	return true;
}

bool mint_hashmap_get(const struct mint_hashmap *m, struct mint_span key, void **value)
{
	return mint_hashmap_get_hashed(m, key, mint_hashmap_hash(key), value);
}

static int rehash(struct mint_hashmap *m, size_t cap)
{
	struct mint_hashmap_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return MINT_ENOMEM;
	struct mint_hashmap old = *m;
	m->slots = slots;
	m->cap = cap;
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.slots[i].key)
			continue;
		struct mint_span k = MINT_SPAN(old.slots[i].key, old.slots[i].len);
		m->slots[find_slot(m, k, old.slots[i].hash)] = old.slots[i];
	}
	free(old.slots);
	return 0;
}

int mint_hashmap_reserve(struct mint_hashmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : MIN_CAP;
	if (n > SIZE_MAX / 8)
		return MINT_ENOMEM;
	while (n * 4 > cap * 3)
		cap *= 2;
	return cap == m->cap ? 0 : rehash(m, cap);
}

int mint_hashmap_put_hashed(struct mint_hashmap *m, struct mint_span key, uint64_t hash,
			    void *value)
{
	if (!key.ptr)
		return MINT_EINVAL;
	if ((m->n + 1) * 4 > m->cap * 3) {
		int rc = mint_hashmap_reserve(m, m->n + 1);
		if (rc)
			return rc;
	}
	size_t i = find_slot(m, key, hash);
	if (!m->slots[i].key) {
		m->slots[i].key = key.ptr;
		m->slots[i].len = key.len;
		m->slots[i].hash = hash;
		m->n++;
	}
	m->slots[i].value = value;
	return 0;
}

int mint_hashmap_put(struct mint_hashmap *m, struct mint_span key, void *value)
{
	return mint_hashmap_put_hashed(m, key, mint_hashmap_hash(key), value);
}

/* Whether home slot h lies cyclically in (gap, i]: then the entry at i may
 * not move back into gap, or a lookup starting at h would stop early. */
static bool home_between(size_t gap, size_t h, size_t i)
{
	if (gap <= i)
		return gap < h && h <= i;
	return gap < h || h <= i;
}

bool mint_hashmap_remove(struct mint_hashmap *m, struct mint_span key, void **value)
{
	if (!m->n)
		return false;
	uint64_t hash = mint_hashmap_hash(key);
	size_t mask = m->cap - 1, gap = find_slot(m, key, hash);
	if (!m->slots[gap].key)
		return false;
	if (value)
		*value = m->slots[gap].value;
	for (size_t i = (gap + 1) & mask; m->slots[i].key; i = (i + 1) & mask) {
		size_t home = (size_t)m->slots[i].hash & mask;
		if (home_between(gap, home, i))
			continue;
		m->slots[gap] = m->slots[i];
		gap = i;
	}
	memset(&m->slots[gap], 0, sizeof(m->slots[gap]));
	m->n--;
	return true;
}

bool mint_hashmap_next(const struct mint_hashmap *m, size_t *pos, struct mint_span *key,
		       void **value)
{
	for (size_t i = *pos; i < m->cap; i++) {
		if (!m->slots[i].key)
			continue;
		if (key)
			*key = MINT_SPAN(m->slots[i].key, m->slots[i].len);
		if (value)
			*value = m->slots[i].value;
		*pos = i + 1;
		return true;
	}
	*pos = m->cap;
	return false;
}

void mint_hashmap_free(struct mint_hashmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = 0;
	m->n = 0;
}
