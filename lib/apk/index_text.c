/* SPDX-License-Identifier: Apache-2.0 */
/*
 * APKINDEX text reader, writer and sort (see mint/apk_index.h). The record
 * header code here is also what the installed database uses for its first
 * lines; this file knows nothing of tar or gzip.
 */
#include "mint/apk_index.h"

#include <stdlib.h>
#include <string.h>

#include "textfmt.h"

/* ---- one header field ---- */

static int set_number(bool *has, uint64_t *field, char letter, struct mint_span value,
		      struct mint_err *err)
{
	const char key[2] = { letter, '\0' };
	int rc = apk_text_to_u64(value, key, field, err);
	if (!rc)
		*has = true;
	return rc;
}

static char **string_field(struct mint_apk_pkg *p, char letter)
{
	switch (letter) {
	case 'C': return &p->identity;
	case 'P': return &p->name;
	case 'V': return &p->version;
	case 'A': return &p->arch;
	case 'T': return &p->description;
	case 'U': return &p->url;
	case 'L': return &p->license;
	case 'o': return &p->origin;
	case 'm': return &p->maintainer;
	case 'c': return &p->commit;
	}
	return NULL;
}

static struct mint_strlist *list_field(struct mint_apk_pkg *p, char letter)
{
	switch (letter) {
	case 'D': return &p->depends;
	case 'p': return &p->provides;
	case 'i': return &p->install_if;
	}
	return NULL;
}

static int apply_number(struct mint_apk_pkg *p, char letter, struct mint_span value,
			bool *known, struct mint_err *err)
{
	*known = true;
	switch (letter) {
	case 'S': return set_number(&p->has_file_size, &p->file_size, letter, value, err);
	case 'I': return set_number(&p->has_installed_size, &p->installed_size, letter, value, err);
	case 't': return set_number(&p->has_build_time, &p->build_time, letter, value, err);
	case 'k': return set_number(&p->has_provider_priority, &p->provider_priority, letter,
				    value, err);
	}
	*known = false;
	return 0;
}

int mint_apk_index_field_apply(struct mint_apk_pkg *p, char letter, struct mint_span value,
			       bool *known, struct mint_err *err)
{
	char **s = string_field(p, letter);
	struct mint_strlist *l = list_field(p, letter);
	int rc;

	*known = true;
	if (s)
		rc = apk_text_set_string(s, value);
	else if (l)
		rc = apk_text_add_items(l, value);
	else
		return apply_number(p, letter, value, known, err);
	if (rc)
		return mint_err_set(err, rc, "out of memory");
	return 0;
}

/* ---- reading ---- */

/* The parser's own field setters: strings and list arrays come from the
 * index's arena, so a 100,000-package index costs a few large allocations
 * instead of millions of small ones. A repeated field replaces (strings)
 * or extends (lists) the earlier one, as in mint_apk_index_field_apply. */
static int arena_set_string(struct mint_arena *a, char **field, struct mint_span value)
{
	*field = mint_arena_strdup(a, value);
	return *field ? 0 : MINT_ENOMEM;
}

/* An upper bound: items are separated by one or more spaces. */
static size_t count_items(struct mint_span value)
{
	size_t n = 1;
	const char *p = value.ptr, *end = value.ptr + value.len;
	while (p < end && (p = memchr(p, ' ', (size_t)(end - p)))) {
		n++;
		p++;
	}
	return n;
}

static int arena_add_items(struct mint_arena *a, struct mint_strlist *l, struct mint_span value)
{
	if (!value.len)
		return 0;
	size_t add = count_items(value);
	char **items = mint_arena_alloc(a, (l->n + add) * sizeof(*items));
	if (!items)
		return MINT_ENOMEM;
	if (l->n)
		memcpy(items, l->items, l->n * sizeof(*items));
	l->items = items;
	struct mint_span item;
	while (mint_span_split(&value, ' ', &item)) {
		if (!item.len)
			continue;
		if (!(l->items[l->n++] = mint_arena_strdup(a, item)))
			return MINT_ENOMEM;
	}
	l->cap = l->n;
	return 0;
}

static int arena_field_apply(struct mint_arena *a, struct mint_apk_pkg *p, char letter,
			     struct mint_span value, bool *known, struct mint_err *err)
{
	char **s = string_field(p, letter);
	struct mint_strlist *l = list_field(p, letter);
	int rc;

	*known = true;
	if (s)
		rc = arena_set_string(a, s, value);
	else if (l)
		rc = arena_add_items(a, l, value);
	else
		return apply_number(p, letter, value, known, err);
	if (rc)
		return mint_err_set(err, rc, "out of memory");
	return 0;
}

/* Records are parsed in place, straight into the next free slot of the
 * array (zeroed by calloc or when the array grows): no copy per record. */
struct index_reader {
	struct mint_apk_index idx;
	size_t cap;
	struct mint_apk_pkg *cur; /* idx.pkgs[idx.n] while a record is open */
	unsigned rec_line;        /* where cur started */
};

static int open_record(struct index_reader *r, unsigned lineno, struct mint_err *err)
{
	if (r->idx.n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct mint_apk_pkg *pkgs = realloc(r->idx.pkgs, cap * sizeof(*pkgs));
		if (!pkgs)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		memset(pkgs + r->cap, 0, (cap - r->cap) * sizeof(*pkgs));
		r->idx.pkgs = pkgs;
		r->cap = cap;
	}
	r->cur = &r->idx.pkgs[r->idx.n];
	r->cur->arena_owned = true;
	r->rec_line = lineno;
	return 0;
}

static int push_record(struct index_reader *r, struct mint_err *err)
{
	if (!r->cur->name || !r->cur->name[0])
		return apk_text_fail_at(err, MINT_EFORMAT, r->rec_line, 1,
					"record has no P: (package name)");
	if (!r->cur->version || !r->cur->version[0])
		return apk_text_fail_at(err, MINT_EFORMAT, r->rec_line, 1,
					"record has no V: (package version)");
	r->idx.n++;
	r->cur = NULL;
	return 0;
}

/* Letters apk-tools reads only from the installed database; an index
 * reader passes over them. */
static bool installed_only(char letter)
{
	return letter && strchr("FMRZarqsfg", letter);
}

static int read_field(struct index_reader *r, struct mint_span line, unsigned lineno,
		      struct mint_err *err)
{
	if (line.len < 2 || line.ptr[1] != ':')
		return apk_text_fail_at(err, MINT_EFORMAT, lineno, 2,
					"expected a field \"X:value\" or a blank line");
	int rc = r->cur ? 0 : open_record(r, lineno, err);
	if (rc)
		return rc;
	char letter = line.ptr[0];
	bool known;
	rc = arena_field_apply(&r->idx.arena, r->cur, letter, mint_span_skip(line, 2), &known, err);
	if (rc) {
		mint_err_set_pos(err, lineno, 3);
		return rc;
	}
	if (!known && !installed_only(letter) && !(letter >= 'a' && letter <= 'z'))
		r->cur->uninstallable = true;
	return 0;
}

static int read_line(void *ctx, struct mint_span line, unsigned lineno, struct mint_err *err)
{
	struct index_reader *r = ctx;
	if (!line.len)
		return r->cur ? push_record(r, err) : 0;
	return read_field(r, line, lineno, err);
}

static int reject_nul_line(void *ctx, struct mint_span line, unsigned lineno,
			   struct mint_err *err)
{
	(void)ctx;
	return apk_text_reject_nul(line, lineno, err);
}

/* Real records take 200 to 400 bytes of text: sizing the array from the
 * text length means it rarely has to move while it grows. */
static size_t estimate_records(struct mint_span text)
{
	return text.len / 256 + 16;
}

int mint_apk_index_parse_text(struct mint_span text, struct mint_apk_index *out,
			      struct mint_err *err)
{
	struct index_reader r = { 0 };

	memset(out, 0, sizeof(*out));
	/* One scan for NUL bytes over the whole text; the line that holds one
	 * is found only when there is one. */
	if (text.len && memchr(text.ptr, '\0', text.len))
		return apk_text_each_line(text, reject_nul_line, NULL, err);
	r.cap = estimate_records(text);
	r.idx.pkgs = calloc(r.cap, sizeof(*r.idx.pkgs));
	if (!r.idx.pkgs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	/* The hot loop of every repository load: lines are cut here rather
	 * than through apk_text_each_line's callback. */
	int rc = 0;
	const char *p = text.ptr, *end = text.ptr + text.len;
	for (unsigned lineno = 1; !rc && p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		rc = read_line(&r, MINT_SPAN(p, (size_t)(stop - p)), lineno, err);
		p = stop + 1;
	}
	if (!rc && r.cur)
		rc = push_record(&r, err);
	if (rc || !r.idx.n)
		mint_apk_index_free(&r.idx); /* an index of no records holds no memory */
	else
		*out = r.idx;
	return rc;
}

/* ---- writing ---- */

int mint_apk_index_write_header(const struct mint_apk_pkg *p, struct mint_buf *out)
{
	int rc;
	if (!p->name || !p->name[0] || !p->version || !p->version[0])
		return MINT_EINVAL;
	if ((rc = apk_text_put_optional(out, 'C', p->identity)) ||
	    (rc = apk_text_put_field(out, 'P', p->name)) ||
	    (rc = apk_text_put_field(out, 'V', p->version)) ||
	    (rc = apk_text_put_optional(out, 'A', p->arch)) ||
	    (rc = apk_text_put_number(out, 'S', true, p->file_size)) ||
	    (rc = apk_text_put_number(out, 'I', true, p->installed_size)) ||
	    (rc = apk_text_put_field(out, 'T', p->description ? p->description : "")) ||
	    (rc = apk_text_put_field(out, 'U', p->url ? p->url : "")) ||
	    (rc = apk_text_put_field(out, 'L', p->license ? p->license : "")) ||
	    (rc = apk_text_put_optional(out, 'o', p->origin)) ||
	    (rc = apk_text_put_optional(out, 'm', p->maintainer)) ||
	    (rc = apk_text_put_number(out, 't', p->has_build_time, p->build_time)) ||
	    (rc = apk_text_put_optional(out, 'c', p->commit)) ||
	    (rc = apk_text_put_number(out, 'k', p->has_provider_priority, p->provider_priority)) ||
	    (rc = apk_text_put_list(out, 'D', &p->depends)) ||
	    (rc = apk_text_put_list(out, 'p', &p->provides)) ||
	    (rc = apk_text_put_list(out, 'i', &p->install_if)))
		return rc;
	return 0;
}

int mint_apk_index_write_text(const struct mint_apk_index *idx, struct mint_buf *out)
{
	size_t start = out->len;
	int rc = 0;
	for (size_t i = 0; i < idx->n && !rc; i++) {
		rc = mint_apk_index_write_header(&idx->pkgs[i], out);
		if (!rc)
			rc = mint_buf_putc(out, '\n');
	}
	return apk_text_rollback(out, start, rc);
}

/* ---- sorting and freeing ---- */

static int cmp_name(const struct mint_apk_pkg *a, const struct mint_apk_pkg *b)
{
	return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

/* Stable: each element moves past only strictly greater ones. Used when
 * the merge sort cannot get its scratch space. */
static void insertion_sort(struct mint_apk_pkg *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct mint_apk_pkg x = v[i];
		size_t j = i;
		for (; j > 0 && cmp_name(&v[j - 1], &x) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static void merge(struct mint_apk_pkg *v, size_t mid, size_t n, struct mint_apk_pkg *tmp)
{
	size_t i = 0, j = mid, k = 0;
	while (i < mid && j < n)
		tmp[k++] = cmp_name(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

static void merge_sort(struct mint_apk_pkg *v, size_t n, struct mint_apk_pkg *tmp)
{
	if (n < 2)
		return;
	size_t mid = n / 2;
	merge_sort(v, mid, tmp);
	merge_sort(v + mid, n - mid, tmp);
	merge(v, mid, n, tmp);
}

void mint_apk_index_sort(struct mint_apk_index *idx)
{
	if (idx->n < 2)
		return;
	struct mint_apk_pkg *tmp = malloc(idx->n * sizeof(*tmp));
	if (!tmp) {
		insertion_sort(idx->pkgs, idx->n);
		return;
	}
	merge_sort(idx->pkgs, idx->n, tmp);
	free(tmp);
}

void mint_apk_index_free(struct mint_apk_index *idx)
{
	for (size_t i = 0; i < idx->n; i++)
		mint_apk_pkg_free(&idx->pkgs[i]);
	free(idx->pkgs);
	free(idx->description);
	mint_arena_free(&idx->arena);
	memset(idx, 0, sizeof(*idx));
}
