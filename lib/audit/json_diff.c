/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Two JSON documents compared field by field, for the image diff: the
 * fields that differ are named by paths a reader can find in the document
 * ("config.Env", "rootfs.diff_ids[0]", "annotations[\"a.b\"]": keys that are
 * not plain words are quoted, so dots inside keys stay unambiguous).
 *
 * Objects are walked key by key in byte order and arrays of the same length
 * element by element; an array that grew or shrank is reported whole, since
 * element-wise pairing would then report every later element. The walk
 * stops descending at a fixed depth and path length, reporting the subtree
 * whole, so hostile nesting costs no more than a whole-value comparison.
 */
#include "audit_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32
#define MAX_PATH_BYTES 1024

struct walk {
	audit_json_emit emit;
	void *ctx;
	struct mint_err *err;
	struct mint_buf path;
};

char *audit_json_text(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

static bool plain_key(const char *k)
{
	if (!*k)
		return false;
	for (; *k; k++) {
		char c = *k;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* path + ".key", "key" at the top, or path + "[\"key\"]". */
static int push_key(struct mint_buf *path, const char *key)
{
	if (plain_key(key))
		return (path->len && mint_buf_putc(path, '.')) || mint_buf_puts(path, key);
	json_t *s = json_string_nocheck(key);
	char *quoted = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
	int rc = !quoted || mint_buf_printf(path, "[%s]", quoted);
	free(quoted);
	json_decref(s);
	return rc;
}

static void pop_to(struct mint_buf *path, size_t len)
{
	path->len = len;
	if (path->data)
		path->data[len] = '\0';
}

static int emit(struct walk *w, const json_t *a, const json_t *b)
{
	return w->emit(w->ctx, mint_buf_cstr(&w->path), a, b, w->err);
}

static int walk(struct walk *w, const json_t *a, const json_t *b, int depth);

static int key_order(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The keys of a and b, each once, sorted. */
static const char **union_keys(const json_t *a, const json_t *b, size_t *n)
{
	size_t cap = json_object_size(a) + json_object_size(b) + 1;
	const char **keys = malloc(cap * sizeof(*keys));
	if (!keys)
		return NULL;
	const char *k;
	json_t *v;
	*n = 0;
	json_object_foreach((json_t *)a, k, v)
		keys[(*n)++] = k;
	json_object_foreach((json_t *)b, k, v)
		if (!json_object_get(a, k))
			keys[(*n)++] = k;
	qsort(keys, *n, sizeof(*keys), key_order);
	return keys;
}

static int walk_object(struct walk *w, const json_t *a, const json_t *b, int depth)
{
	size_t n;
	const char **keys = union_keys(a, b, &n);
	if (!keys)
		return mint_err_set(w->err, MINT_ENOMEM, "out of memory");
	size_t base = w->path.len;
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		if (push_key(&w->path, keys[i])) {
			rc = mint_err_set(w->err, MINT_ENOMEM, "out of memory");
			break;
		}
		json_t *va = json_object_get(a, keys[i]), *vb = json_object_get(b, keys[i]);
		if (!va || !vb)
			rc = emit(w, va, vb);
		else
			rc = walk(w, va, vb, depth + 1);
		pop_to(&w->path, base);
	}
	free(keys);
	return rc;
}

static int walk_array(struct walk *w, const json_t *a, const json_t *b, int depth)
{
	size_t base = w->path.len;
	int rc = 0;
	for (size_t i = 0; !rc && i < json_array_size(a); i++) {
		if (mint_buf_printf(&w->path, "[%zu]", i))
			return mint_err_set(w->err, MINT_ENOMEM, "out of memory");
		rc = walk(w, json_array_get(a, i), json_array_get(b, i), depth + 1);
		pop_to(&w->path, base);
	}
	return rc;
}

static int walk(struct walk *w, const json_t *a, const json_t *b, int depth)
{
	if (json_equal((json_t *)a, (json_t *)b))
		return 0;
	if (depth < MAX_DEPTH && w->path.len < MAX_PATH_BYTES) {
		if (json_is_object(a) && json_is_object(b))
			return walk_object(w, a, b, depth);
		bool arrays = json_is_array(a) && json_is_array(b);
		if (arrays && json_array_size(a) == json_array_size(b))
			return walk_array(w, a, b, depth);
	}
	return emit(w, a, b);
}

int audit_json_diff(const json_t *a, const json_t *b, audit_json_emit emit_fn, void *ctx,
		    struct mint_err *err)
{
	struct walk w = { emit_fn, ctx, err, MINT_BUF_INIT };
	int rc;
	if (!a || !b)
		rc = a == b ? 0 : emit_fn(ctx, "", a, b, err);
	else
		rc = walk(&w, a, b, 0);
	mint_buf_free(&w.path);
	return rc;
}
