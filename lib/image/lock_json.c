/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The text of apko.lock.json (mint/image_lock.h): a writer that produces
 * the bytes Go's json.MarshalIndent(lock, "", "  ") produces for apko's
 * Lock struct, and a strict parser over jansson. The entries themselves
 * (packages, repositories, keys) are made in lib/image/lock.c.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/image_lock.h"
#include "mint/gojson.h"

/* --- Writing ------------------------------------------------------------- */

/* MarshalIndent's layout: each member on its own line, indented two spaces
 * per level, "key": value, and {} or [] for an empty object or array. One
 * flag is enough to place the commas: whatever container a value ends, its
 * parent is no longer empty. */
struct writer {
	struct mint_buf *out;
	int rc;
	int depth;
	bool empty; /* the innermost open container has no member yet */
};

static void put(struct writer *w, const char *s, size_t n)
{
	if (!w->rc && mint_buf_append(w->out, s, n))
		w->rc = MINT_ENOMEM;
}

static void puts_(struct writer *w, const char *s)
{
	put(w, s, strlen(s));
}

static void newline_indent(struct writer *w)
{
	puts_(w, "\n");
	for (int i = 0; i < w->depth; i++)
		puts_(w, "  ");
}

static void put_string(struct writer *w, const char *s)
{
	if (!w->rc && mint_gojson_quote(w->out, s, strlen(s)))
		w->rc = MINT_ENOMEM;
}

static void key(struct writer *w, const char *k)
{
	if (!w->empty)
		puts_(w, ",");
	newline_indent(w);
	put_string(w, k);
	puts_(w, ": ");
	w->empty = false;
}

static void array_item(struct writer *w)
{
	if (!w->empty)
		puts_(w, ",");
	newline_indent(w);
	w->empty = false;
}

static void open_(struct writer *w, const char *bracket)
{
	puts_(w, bracket);
	w->depth++;
	w->empty = true;
}

static void close_(struct writer *w, const char *bracket)
{
	w->depth--;
	if (!w->empty)
		newline_indent(w);
	puts_(w, bracket);
	w->empty = false;
}

static void string_field(struct writer *w, const char *k, const char *v)
{
	key(w, k);
	put_string(w, v);
}

/* Checks a lock before writing, so that the writer never emits what the
 * parser would refuse. */
struct wcheck {
	struct mint_err *err;
	int rc;
};

static bool need(struct wcheck *c, const char *v, const char *fmt, size_t idx, const char *what)
{
	if (c->rc || v)
		return !c->rc;
	char at[96];
	snprintf(at, sizeof(at), fmt, idx);
	c->rc = mint_err_set(c->err, MINT_EINVAL, "%s has no %s", at, what);
	return false;
}

static void check_range(struct wcheck *c, const struct mint_lock_range *r, size_t idx,
			const char *member, bool optional)
{
	enum mint_hash_alg alg;
	unsigned char d[MINT_HASH_MAX_BYTES];
	if (c->rc || (optional && !r->checksum[0]))
		return;
	if (mint_lock_checksum_decode(r->checksum, &alg, d) || r->first > r->last)
		c->rc = mint_err_set(c->err, MINT_EINVAL, "contents.packages[%zu].%s: checksum "
				     "\"%.64s\" or range %llu-%llu is malformed", idx, member,
				     r->checksum, (unsigned long long)r->first,
				     (unsigned long long)r->last);
}

static void check_package(struct wcheck *c, const struct mint_lock_package *p, size_t i,
			  enum mint_lock_form form)
{
	const char *at = "contents.packages[%zu]";
	unsigned char d[MINT_HASH_MAX_BYTES];
	if (!need(c, p->name, at, i, "name") || !need(c, p->url, at, i, "url") ||
	    !need(c, p->version, at, i, "version") ||
	    !need(c, p->architecture, at, i, "architecture"))
		return;
	check_range(c, &p->signature, i, "signature", true);
	check_range(c, &p->control, i, "control", false);
	check_range(c, &p->data, i, "data", false);
	if (c->rc || !p->checksum[0])
		return;
	if (form == MINT_LOCK_FORM_PRE_0_13)
		c->rc = mint_err_set(c->err, MINT_EINVAL, "contents.packages[%zu]: the pre-0.13 "
				     "lock form has no package checksum", i);
	else if (mint_lock_identity_decode(p->checksum, d))
		c->rc = mint_err_set(c->err, MINT_EINVAL, "contents.packages[%zu].checksum "
				     "\"%.32s\" is not Q1<base64 SHA-1>", i, p->checksum);
}

static void check_repos(struct wcheck *c, const struct mint_lock_repo *r, size_t n,
			const char *at)
{
	for (size_t i = 0; i < n; i++)
		if (!need(c, r[i].name, at, i, "name") || !need(c, r[i].url, at, i, "url") ||
		    !need(c, r[i].architecture, at, i, "architecture"))
			return;
}

static int check_lock(const struct mint_lock *l, struct mint_err *err)
{
	struct wcheck c = { err, 0 };
	enum mint_hash_alg alg;
	unsigned char d[MINT_HASH_MAX_BYTES];
	bool legacy = l->form == MINT_LOCK_FORM_PRE_0_13;
	if (l->form != MINT_LOCK_FORM_CURRENT && !legacy)
		return mint_err_set(err, MINT_EINVAL, "unknown lock form %d", (int)l->form);
	if (l->has_config && l->config_checksum[0] &&
	    (mint_lock_checksum_decode(l->config_checksum, &alg, d) || alg != MINT_HASH_SHA256))
		return mint_err_set(err, MINT_EINVAL, "config.checksum \"%.64s\" is not "
				    "sha256-<base64>", l->config_checksum);
	if (legacy && (l->n_build_repositories || l->n_runtime_repositories))
		return mint_err_set(err, MINT_EINVAL, "the pre-0.13 lock form has no "
				    "build_repositories or runtime_repositories");
	for (size_t i = 0; i < l->n_keyring; i++) {
		const struct mint_lock_key *k = &l->keyring[i];
		if (!need(&c, k->name, "contents.keyring[%zu]", i, "name") ||
		    !need(&c, k->url, "contents.keyring[%zu]", i, "url"))
			return c.rc;
		if (legacy && k->content && k->content[0])
			return mint_err_set(err, MINT_EINVAL, "contents.keyring[%zu]: the pre-0.13 "
					    "lock form has no key content", i);
	}
	check_repos(&c, l->build_repositories, l->n_build_repositories,
		    "contents.build_repositories[%zu]");
	check_repos(&c, l->runtime_repositories, l->n_runtime_repositories,
		    "contents.runtime_repositories[%zu]");
	check_repos(&c, l->repositories, l->n_repositories, "contents.repositories[%zu]");
	for (size_t i = 0; i < l->n_packages && !c.rc; i++)
		check_package(&c, &l->packages[i], i, l->form);
	return c.rc;
}

static void write_config(struct writer *w, const struct mint_lock *l)
{
	key(w, "config");
	open_(w, "{");
	if (l->config_name && l->config_name[0])
		string_field(w, "name", l->config_name);
	if (l->config_checksum[0])
		string_field(w, "checksum", l->config_checksum);
	close_(w, "}");
}

static void write_keyring(struct writer *w, const struct mint_lock *l)
{
	key(w, "keyring");
	open_(w, "[");
	for (size_t i = 0; i < l->n_keyring; i++) {
		const struct mint_lock_key *k = &l->keyring[i];
		array_item(w);
		open_(w, "{");
		string_field(w, "name", k->name);
		string_field(w, "url", k->url);
		/* omitempty: an empty content is not written either */
		if (k->content && k->content[0])
			string_field(w, "content", k->content);
		close_(w, "}");
	}
	close_(w, "]");
}

static void write_repos(struct writer *w, const char *k, const struct mint_lock_repo *r,
			size_t n)
{
	key(w, k);
	open_(w, "[");
	for (size_t i = 0; i < n; i++) {
		array_item(w);
		open_(w, "{");
		string_field(w, "name", r[i].name);
		string_field(w, "url", r[i].url);
		string_field(w, "architecture", r[i].architecture);
		close_(w, "}");
	}
	close_(w, "]");
}

static void write_range(struct writer *w, const char *k, const struct mint_lock_range *r)
{
	char text[64] = "";
	if (r->checksum[0])
		snprintf(text, sizeof(text), "bytes=%llu-%llu", (unsigned long long)r->first,
			 (unsigned long long)r->last);
	key(w, k);
	open_(w, "{");
	string_field(w, "range", text);
	string_field(w, "checksum", r->checksum);
	close_(w, "}");
}

static void write_package(struct writer *w, const struct mint_lock_package *p,
			  enum mint_lock_form form)
{
	open_(w, "{");
	string_field(w, "name", p->name);
	string_field(w, "url", p->url);
	string_field(w, "version", p->version);
	string_field(w, "architecture", p->architecture);
	write_range(w, "signature", &p->signature);
	write_range(w, "control", &p->control);
	write_range(w, "data", &p->data);
	if (form == MINT_LOCK_FORM_CURRENT)
		string_field(w, "checksum", p->checksum);
	close_(w, "}");
}

static void write_contents(struct writer *w, const struct mint_lock *l)
{
	key(w, "contents");
	open_(w, "{");
	write_keyring(w, l);
	if (l->form == MINT_LOCK_FORM_CURRENT) {
		write_repos(w, "build_repositories", l->build_repositories,
			    l->n_build_repositories);
		write_repos(w, "runtime_repositories", l->runtime_repositories,
			    l->n_runtime_repositories);
	}
	write_repos(w, "repositories", l->repositories, l->n_repositories);
	key(w, "packages");
	open_(w, "[");
	for (size_t i = 0; i < l->n_packages; i++) {
		array_item(w);
		write_package(w, &l->packages[i], l->form);
	}
	close_(w, "]");
	close_(w, "}");
}

int mint_lock_write(const struct mint_lock *l, struct mint_buf *out, struct mint_err *err)
{
	if (!l || !out)
		return mint_err_set(err, MINT_EINVAL, "no lock or buffer given");
	mint_buf_reset(out);
	int rc = check_lock(l, err);
	if (rc)
		return rc;
	struct writer w = { out, 0, 0, true };
	open_(&w, "{");
	string_field(&w, "version", "v1");
	if (l->has_config)
		write_config(&w, l);
	write_contents(&w, l);
	close_(&w, "}");
	/* apko appends the newline Go's encoder leaves out; before 0.13 it did not. */
	if (l->form == MINT_LOCK_FORM_CURRENT)
		puts_(&w, "\n");
	if (w.rc) {
		mint_buf_reset(out);
		return mint_err_set(err, w.rc, "out of memory writing the lock");
	}
	return 0;
}

/* --- Parsing ------------------------------------------------------------- */

struct parser {
	struct mint_err *err;
	/* What the text showed of the current form; none of it means pre-0.13. */
	bool seen_current;
};

#define AT_MAX 128

static int fail(struct parser *p, int code, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct parser *p, int code, const char *at, const char *fmt, ...)
{
	char msg[MINT_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mint_err_set(p->err, code, "%s: %s", at, msg);
}

/* Field paths are short; a cut one still names the start of the path. */
static void at_key(char *out, const char *at, const char *k)
{
	if (snprintf(out, AT_MAX, "%s%s%s", at, *at ? "." : "", k) < 0)
		out[0] = '\0';
}

static void at_index(char *out, const char *at, size_t i)
{
	if (snprintf(out, AT_MAX, "%s[%zu]", at, i) < 0)
		out[0] = '\0';
}

/* Refuses keys not in known (a NULL-terminated list). */
static int known_keys(struct parser *p, json_t *obj, const char *at, const char *const *known)
{
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v) {
		size_t i = 0;
		while (known[i] && strcmp(known[i], k))
			i++;
		if (!known[i])
			return fail(p, MINT_EFORMAT, *at ? at : "lock", "unknown field \"%.64s\"", k);
	}
	return 0;
}

static int need_object(struct parser *p, json_t *v, const char *at)
{
	return json_is_object(v) ? 0 : fail(p, MINT_EFORMAT, at, "must be an object");
}

/* A string member as a NUL-terminated view into the document; NULL when
 * absent (an error when required). */
static int string_at(struct parser *p, json_t *obj, const char *at, const char *k,
		     bool required, const char **out)
{
	char here[AT_MAX];
	json_t *v = json_object_get(obj, k);
	at_key(here, at, k);
	*out = NULL;
	if (!v)
		return required ? fail(p, MINT_EFORMAT, here, "is missing") : 0;
	if (!json_is_string(v))
		return fail(p, MINT_EFORMAT, here, "must be a string");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return fail(p, MINT_EFORMAT, here, "contains a NUL character");
	*out = json_string_value(v);
	return 0;
}

static int dup_string(struct parser *p, json_t *obj, const char *at, const char *k,
		      bool required, char **out)
{
	const char *s;
	int rc = string_at(p, obj, at, k, required, &s);
	if (rc || !s)
		return rc;
	*out = strdup(s);
	return *out ? 0 : mint_err_set(p->err, MINT_ENOMEM, "out of memory");
}

/* An array member; absent or null is an empty list, as in Go. */
static int array_at(struct parser *p, json_t *obj, const char *at, const char *k, json_t **out)
{
	char here[AT_MAX];
	json_t *v = json_object_get(obj, k);
	at_key(here, at, k);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return fail(p, MINT_EFORMAT, here, "must be an array");
	*out = v;
	return 0;
}

static int alloc_items(struct parser *p, json_t *arr, size_t size, void **items, size_t *n)
{
	size_t count = arr ? json_array_size(arr) : 0;
	*items = NULL;
	*n = 0;
	if (!count)
		return 0;
	*items = calloc(count, size);
	if (!*items)
		return mint_err_set(p->err, MINT_ENOMEM, "out of memory");
	*n = count;
	return 0;
}

/* A decimal as Go's %d writes it: digits, no sign, no leading zeros. */
static bool parse_decimal(struct mint_span s, uint64_t *out)
{
	if (s.len > 1 && s.ptr[0] == '0')
		return false;
	return mint_span_to_u64(s, out);
}

static int parse_range_text(const char *text, struct mint_lock_range *r)
{
	struct mint_span rest = mint_span_str(text), first;
	if (!mint_span_starts_with(rest, "bytes="))
		return MINT_EFORMAT;
	rest = mint_span_skip(rest, 6);
	long dash = mint_span_find(rest, '-');
	if (dash < 0)
		return MINT_EFORMAT;
	first = MINT_SPAN(rest.ptr, (size_t)dash);
	rest = mint_span_skip(rest, (size_t)dash + 1);
	if (!parse_decimal(first, &r->first) || !parse_decimal(rest, &r->last) ||
	    r->first > r->last)
		return MINT_EFORMAT;
	return 0;
}

static int parse_range(struct parser *p, json_t *pkg, const char *at, const char *k,
		       bool optional, struct mint_lock_range *r)
{
	static const char *const known[] = { "range", "checksum", NULL };
	char here[AT_MAX];
	const char *range, *checksum;
	enum mint_hash_alg alg;
	unsigned char d[MINT_HASH_MAX_BYTES];
	json_t *v = json_object_get(pkg, k);
	int rc;
	at_key(here, at, k);
	if (!v)
		return fail(p, MINT_EFORMAT, here, "is missing");
	if ((rc = need_object(p, v, here)) || (rc = known_keys(p, v, here, known)) ||
	    (rc = string_at(p, v, here, "range", true, &range)) ||
	    (rc = string_at(p, v, here, "checksum", true, &checksum)))
		return rc;
	if (!*range && !*checksum) {
		if (optional)
			return 0;
		return fail(p, MINT_EFORMAT, here, "is empty: a package always has this member");
	}
	if (parse_range_text(range, r))
		return fail(p, MINT_EFORMAT, here, "range \"%.64s\" is not bytes=FIRST-LAST "
			    "with FIRST <= LAST", range);
	if (mint_lock_checksum_decode(checksum, &alg, d))
		return fail(p, MINT_EFORMAT, here, "checksum \"%.64s\" is not sha1-<base64> or "
			    "sha256-<base64>", checksum);
	strcpy(r->checksum, checksum); /* fits: a valid one is at most 51 bytes */
	return 0;
}

/* The Q1 identity; "Checksum" is what apko 0.12 wrote (its struct tag was
 * misspelt, so Go used the field name). */
static int parse_identity(struct parser *p, json_t *pkg, const char *at,
			  struct mint_lock_package *out)
{
	const char *lower, *upper, *id;
	unsigned char d[MINT_HASH_MAX_BYTES];
	char here[AT_MAX];
	int rc;
	if ((rc = string_at(p, pkg, at, "checksum", false, &lower)) ||
	    (rc = string_at(p, pkg, at, "Checksum", false, &upper)))
		return rc;
	at_key(here, at, "checksum");
	if (lower && upper)
		return fail(p, MINT_EFORMAT, here, "is given twice (also as \"Checksum\")");
	id = lower ? lower : upper;
	if (!id)
		return 0;
	p->seen_current = true;
	if (*id && mint_lock_identity_decode(id, d))
		return fail(p, MINT_EFORMAT, here, "\"%.64s\" is not Q1<base64 SHA-1>", id);
	strcpy(out->checksum, id); /* fits: "" or 30 bytes */
	return 0;
}

static int parse_package(struct parser *p, json_t *v, const char *at,
			 struct mint_lock_package *out)
{
	static const char *const known[] = { "name", "url", "version", "architecture",
					      "signature", "control", "data", "checksum",
					      "Checksum", NULL };
	int rc;
	if ((rc = need_object(p, v, at)) || (rc = known_keys(p, v, at, known)) ||
	    (rc = dup_string(p, v, at, "name", true, &out->name)) ||
	    (rc = dup_string(p, v, at, "url", true, &out->url)) ||
	    (rc = dup_string(p, v, at, "version", true, &out->version)) ||
	    (rc = dup_string(p, v, at, "architecture", true, &out->architecture)) ||
	    (rc = parse_range(p, v, at, "signature", true, &out->signature)) ||
	    (rc = parse_range(p, v, at, "control", false, &out->control)) ||
	    (rc = parse_range(p, v, at, "data", false, &out->data)))
		return rc;
	return parse_identity(p, v, at, out);
}

static int parse_key(struct parser *p, json_t *v, const char *at, struct mint_lock_key *out)
{
	static const char *const known[] = { "name", "url", "content", NULL };
	int rc;
	if ((rc = need_object(p, v, at)) || (rc = known_keys(p, v, at, known)) ||
	    (rc = dup_string(p, v, at, "name", true, &out->name)) ||
	    (rc = dup_string(p, v, at, "url", true, &out->url)) ||
	    (rc = dup_string(p, v, at, "content", false, &out->content)))
		return rc;
	if (out->content)
		p->seen_current = true;
	return 0;
}

static int parse_repo(struct parser *p, json_t *v, const char *at, struct mint_lock_repo *out)
{
	static const char *const known[] = { "name", "url", "architecture", NULL };
	int rc;
	if ((rc = need_object(p, v, at)) || (rc = known_keys(p, v, at, known)) ||
	    (rc = dup_string(p, v, at, "name", true, &out->name)) ||
	    (rc = dup_string(p, v, at, "url", true, &out->url)) ||
	    (rc = dup_string(p, v, at, "architecture", true, &out->architecture)))
		return rc;
	return 0;
}

static int parse_repos(struct parser *p, json_t *contents, const char *k,
		       struct mint_lock_repo **items, size_t *n)
{
	char at[AT_MAX], here[AT_MAX];
	json_t *arr;
	int rc;
	at_key(at, "contents", k);
	if ((rc = array_at(p, contents, "contents", k, &arr)) ||
	    (rc = alloc_items(p, arr, sizeof(**items), (void **)items, n)))
		return rc;
	for (size_t i = 0; i < *n; i++) {
		at_index(here, at, i);
		if ((rc = parse_repo(p, json_array_get(arr, i), here, &(*items)[i])))
			return rc;
	}
	return 0;
}

static int parse_keyring(struct parser *p, json_t *contents, struct mint_lock *l)
{
	char here[AT_MAX];
	json_t *arr;
	int rc;
	if ((rc = array_at(p, contents, "contents", "keyring", &arr)) ||
	    (rc = alloc_items(p, arr, sizeof(*l->keyring), (void **)&l->keyring, &l->n_keyring)))
		return rc;
	for (size_t i = 0; i < l->n_keyring; i++) {
		at_index(here, "contents.keyring", i);
		if ((rc = parse_key(p, json_array_get(arr, i), here, &l->keyring[i])))
			return rc;
	}
	return 0;
}

static int parse_packages(struct parser *p, json_t *contents, struct mint_lock *l)
{
	char here[AT_MAX];
	json_t *arr;
	int rc;
	if ((rc = array_at(p, contents, "contents", "packages", &arr)) ||
	    (rc = alloc_items(p, arr, sizeof(*l->packages), (void **)&l->packages,
			      &l->n_packages)))
		return rc;
	for (size_t i = 0; i < l->n_packages; i++) {
		at_index(here, "contents.packages", i);
		if ((rc = parse_package(p, json_array_get(arr, i), here, &l->packages[i])))
			return rc;
	}
	return 0;
}

static int parse_contents(struct parser *p, json_t *root, struct mint_lock *l)
{
	static const char *const known[] = { "keyring", "build_repositories",
					      "runtime_repositories", "repositories",
					      "packages", NULL };
	json_t *c = json_object_get(root, "contents");
	int rc;
	if (!c)
		return fail(p, MINT_EFORMAT, "contents", "is missing");
	if ((rc = need_object(p, c, "contents")) || (rc = known_keys(p, c, "contents", known)))
		return rc;
	if (json_object_get(c, "build_repositories") || json_object_get(c, "runtime_repositories"))
		p->seen_current = true;
	if ((rc = parse_keyring(p, c, l)) ||
	    (rc = parse_repos(p, c, "build_repositories", &l->build_repositories,
			      &l->n_build_repositories)) ||
	    (rc = parse_repos(p, c, "runtime_repositories", &l->runtime_repositories,
			      &l->n_runtime_repositories)) ||
	    (rc = parse_repos(p, c, "repositories", &l->repositories, &l->n_repositories)))
		return rc;
	return parse_packages(p, c, l);
}

static int parse_config(struct parser *p, json_t *root, struct mint_lock *l)
{
	static const char *const known[] = { "name", "checksum", NULL };
	json_t *c = json_object_get(root, "config");
	const char *checksum;
	enum mint_hash_alg alg;
	unsigned char d[MINT_HASH_MAX_BYTES];
	int rc;
	if (!c || json_is_null(c))
		return 0;
	if ((rc = need_object(p, c, "config")) || (rc = known_keys(p, c, "config", known)) ||
	    (rc = dup_string(p, c, "config", "name", false, &l->config_name)) ||
	    (rc = string_at(p, c, "config", "checksum", false, &checksum)))
		return rc;
	l->has_config = true;
	if (!checksum || !*checksum)
		return 0;
	if (mint_lock_checksum_decode(checksum, &alg, d) || alg != MINT_HASH_SHA256)
		return fail(p, MINT_EFORMAT, "config.checksum", "\"%.64s\" is not sha256-<base64>",
			    checksum);
	strcpy(l->config_checksum, checksum); /* fits: 51 bytes */
	return 0;
}

static int parse_root(struct parser *p, json_t *root, struct mint_lock *l)
{
	static const char *const known[] = { "version", "config", "contents", NULL };
	const char *version;
	int rc;
	if (!json_is_object(root))
		return mint_err_set(p->err, MINT_EFORMAT, "a lock file is a JSON object");
	if ((rc = known_keys(p, root, "", known)) ||
	    (rc = string_at(p, root, "", "version", true, &version)))
		return rc;
	if (strcmp(version, "v1"))
		return fail(p, MINT_EUNSUPPORTED, "version", "\"%.64s\" is not a lock version mint "
			    "knows (v1)", version);
	if ((rc = parse_config(p, root, l)) || (rc = parse_contents(p, root, l)))
		return rc;
	l->form = p->seen_current ? MINT_LOCK_FORM_CURRENT : MINT_LOCK_FORM_PRE_0_13;
	return 0;
}

int mint_lock_parse(struct mint_span json, const char *name, struct mint_lock *out,
		    struct mint_err *err)
{
	struct parser p = { err, false };
	json_error_t jerr;
	int rc;
	if (!out)
		return mint_err_set(err, MINT_EINVAL, "no lock to fill");
	memset(out, 0, sizeof(*out));
	json_t *root = json_loadb(json.ptr ? json.ptr : "", json.len, JSON_REJECT_DUPLICATES,
				  &jerr);
	if (!root) {
		rc = mint_err_set(err, MINT_EFORMAT, "%s", jerr.text);
		if (jerr.line > 0)
			mint_err_set_pos(err, (unsigned)jerr.line,
					 jerr.column > 0 ? (unsigned)jerr.column : 0);
		else if (jerr.position >= 0)
			mint_err_set_offset(err, (uint64_t)jerr.position);
		goto out;
	}
	rc = parse_root(&p, root, out);
	json_decref(root);
out:
	if (rc) {
		mint_err_set_file(err, name);
		mint_lock_free(out);
	}
	return rc;
}
