/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ${{ name }} substitution, as melange does it in recipes and pipelines,
 * and the sorted string map the variables live in.
 *
 * One pass, left to right: a value put in is never scanned again, so a
 * value that itself contains "${{" stays as it is. Names are made of
 * letters, digits, '.', '-' and '_' ("inputs.expected-sha256",
 * "targets.contextdir"); spaces and tabs around the name are allowed.
 *
 * Not here: which variables a recipe has (mint_recipe_vars) and where a
 * failing reference was written (the caller prefixes that).
 */
#include <stdlib.h>
#include <string.h>

#include "mint/recipe.h"
#include "../image/config_internal.h"

#define VAR_NAME_MAX 256

static bool name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '.' || ch == '-' || ch == '_';
}

/* Where key is, or where it would go (*found false). */
static size_t kvs_find(const struct mint_image_kvs *kv, struct mint_span key, bool *found)
{
	size_t lo = 0, hi = kv->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = kv->v[mid].key;
		size_t klen = strlen(k);
		int cmp = memcmp(k, key.ptr, klen < key.len ? klen : key.len);
		if (!cmp)
			cmp = klen < key.len ? -1 : klen > key.len ? 1 : 0;
		if (!cmp) {
			*found = true;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static struct mint_span trim_blanks(struct mint_span s)
{
	while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
		s.ptr++;
		s.len--;
	}
	while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
		s.len--;
	return s;
}

static bool valid_name(struct mint_span name)
{
	if (!name.len || name.len > VAR_NAME_MAX)
		return false;
	for (size_t i = 0; i < name.len; i++)
		if (!name_char(name.ptr[i]))
			return false;
	return true;
}

/* One reference starting at text + at ("${{"); *used gets its length. */
static int subst_one(const char *text, size_t at, const struct mint_image_kvs *vars,
		     bool keep_unknown, struct mint_buf *out, size_t *used, struct mint_err *err)
{
	const char *open = text + at;
	const char *close = strstr(open + 3, "}}");
	if (!close)
		return mint_err_set(err, MINT_EFORMAT,
				    "'${{' at offset %zu has no closing '}}'", at);
	struct mint_span name = trim_blanks(MINT_SPAN(open + 3, (size_t)(close - open - 3)));
	*used = (size_t)(close + 2 - open);
	if (!valid_name(name))
		return mint_err_set(err, MINT_EFORMAT, "'%.*s' is not a variable reference",
				    (int)(*used > 80 ? 80 : *used), open);
	bool found;
	size_t i = vars ? kvs_find(vars, name, &found) : 0;
	if (!vars)
		found = false;
	if (found)
		return mint_buf_puts(out, vars->v[i].value);
	if (keep_unknown)
		return mint_buf_append(out, open, *used);
	return mint_err_set(err, MINT_EFORMAT, "unknown variable '%.*s'", (int)name.len, name.ptr);
}

int mint_recipe_subst(const char *text, const struct mint_image_kvs *vars, bool keep_unknown,
		      struct mint_buf *out, struct mint_err *err)
{
	size_t at = 0;
	/* An empty result is still a string. */
	int rc = mint_buf_reserve(out, 1);
	if (rc)
		return mint_err_set(err, rc, "out of memory");
	out->data[out->len] = '\0';
	while (text[at]) {
		const char *ref = strstr(text + at, "${{");
		size_t plain = ref ? (size_t)(ref - (text + at)) : strlen(text + at);
		size_t used = 0;
		if ((rc = mint_buf_append(out, text + at, plain)))
			return mint_err_set(err, rc, "out of memory");
		at += plain;
		if (!ref)
			break;
		if ((rc = subst_one(text, at, vars, keep_unknown, out, &used, err)))
			return rc == MINT_ENOMEM ? mint_err_set(err, rc, "out of memory") : rc;
		at += used;
	}
	return 0;
}

/* The image config's sorted string map is the one implementation; these
 * names keep recipe code free of lib/image internals. */
int mint_recipe_kvs_set(struct mint_image_kvs *kv, const char *key, const char *value)
{
	return cfg_kvs_set(kv, key, value);
}

void mint_recipe_kvs_free(struct mint_image_kvs *kv)
{
	cfg_kvs_free(kv);
}
