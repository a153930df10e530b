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
#include "recipe_internal.h"
#include "../image/config_internal.h"

#define VAR_NAME_MAX 256

static bool name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '.' || ch == '-' || ch == '_';
}

/* The value of name in vars, or NULL. */
static const char *lookup(const struct mint_image_kvs *vars, struct mint_span name)
{
	char key[VAR_NAME_MAX + 1];
	if (!vars || name.len > VAR_NAME_MAX)
		return NULL;
	memcpy(key, name.ptr, name.len);
	key[name.len] = '\0';
	const struct mint_image_kv *kv = cfg_kvs_get(vars, key);
	return kv ? kv->value : NULL;
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

/* One reference starting at text + at ("${{"); *used gets its length. With
 * keep_unknown, a reference to an unknown name and text that only looks
 * like a reference are both kept as written. */
static int subst_one(const char *text, size_t at, const struct mint_image_kvs *vars,
		     bool keep_unknown, struct mint_buf *out, size_t *used, struct mint_err *err)
{
	const char *open = text + at;
	const char *close = strstr(open + 3, "}}");
	if (!close) {
		*used = 3;
		if (keep_unknown)
			return mint_buf_append(out, open, 3);
		return mint_err_set(err, MINT_EFORMAT,
				    "'${{' at offset %zu has no closing '}}'", at);
	}
	struct mint_span name = trim_blanks(MINT_SPAN(open + 3, (size_t)(close - open - 3)));
	*used = (size_t)(close + 2 - open);
	const char *value = valid_name(name) ? lookup(vars, name) : NULL;
	if (value)
		return mint_buf_puts(out, value);
	if (keep_unknown) {
		/* Resume inside it: a known reference nested there still counts. */
		*used = 3;
		return mint_buf_append(out, open, 3);
	}
	if (!valid_name(name))
		return mint_err_set(err, MINT_EFORMAT, "'%.*s' is not a variable reference",
				    (int)(*used > 80 ? 80 : *used), open);
	return mint_err_set(err, MINT_EFORMAT, "unknown variable '%.*s'", (int)name.len, name.ptr);
}

int rcp_subst(const char *text, const struct mint_image_kvs *vars, bool keep_unknown,
	      size_t max_bytes, struct mint_buf *out, struct mint_err *err)
{
	size_t at = 0, start = out->len;
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
		/* Checked as it grows: many references to a long value must not
		 * get far. */
		if (out->len - start > max_bytes)
			return mint_err_set(err, MINT_ELIMIT,
					    "text grows past %zu KiB once ${{...}} are substituted",
					    max_bytes >> 10);
	}
	return 0;
}

int mint_recipe_subst(const char *text, const struct mint_image_kvs *vars, bool keep_unknown,
		      struct mint_buf *out, struct mint_err *err)
{
	return rcp_subst(text, vars, keep_unknown, MINT_RECIPE_SUBST_MAX, out, err);
}

/* The image config's sorted string map is the one implementation; these
 * names keep recipe code free of lib/image internals. */
int mint_recipe_kvs_set(struct mint_image_kvs *kv, const char *key, const char *value)
{
	return cfg_kvs_set(kv, key, value);
}

int mint_recipe_kvs_merge(struct mint_image_kvs *dst, const struct mint_image_kvs *src)
{
	for (size_t i = 0; src && i < src->n; i++)
		if (cfg_kvs_set(dst, src->v[i].key, src->v[i].value))
			return MINT_ENOMEM;
	return 0;
}

void mint_recipe_kvs_free(struct mint_image_kvs *kv)
{
	cfg_kvs_free(kv);
}
