/* SPDX-License-Identifier: Apache-2.0 */
/*
 * APKINDEX text reader, writer and sort (see mint/apk_index.h). The record
 * header code here is also what the installed database uses for its first
 * lines; this file knows nothing of tar or gzip.
 */
#include "mint/apk_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- one header field ---- */

static int set_string(char **field, struct mint_span value)
{
	char *copy = mint_span_dup(value);
	if (!copy)
		return MINT_ENOMEM;
	free(*field);
	*field = copy;
	return 0;
}

static int set_number(bool *has, uint64_t *field, char letter, struct mint_span value,
		      struct mint_err *err)
{
	if (!mint_span_to_u64(value, field))
		return mint_err_set(err, MINT_EFORMAT, "%c: \"%.*s\" is not a decimal number",
				    letter, value.len > 40 ? 40 : (int)value.len, value.ptr);
	*has = true;
	return 0;
}

static int add_items(struct mint_strlist *list, struct mint_span value)
{
	struct mint_span item;
	while (mint_span_split(&value, ' ', &item)) {
		if (item.len && mint_strlist_add(list, item.ptr, item.len))
			return MINT_ENOMEM;
	}
	return 0;
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
		rc = set_string(s, value);
	else if (l)
		rc = add_items(l, value);
	else
		return apply_number(p, letter, value, known, err);
	if (rc)
		return mint_err_set(err, rc, "out of memory");
	return 0;
}

/* ---- reading ---- */

struct index_reader {
	struct mint_apk_index idx;
	size_t cap;
	struct mint_apk_pkg cur;
	bool open;          /* cur has at least one field */
	unsigned rec_line;  /* where cur started */
};

static bool next_line(struct mint_span *rest, struct mint_span *line)
{
	if (!rest->len)
		return false;
	long at = mint_span_find(*rest, '\n');
	size_t len = at < 0 ? rest->len : (size_t)at;
	*line = MINT_SPAN(rest->ptr, len);
	*rest = mint_span_skip(*rest, at < 0 ? len : len + 1);
	return true;
}

static int fail_at(struct mint_err *err, int code, unsigned line, size_t column, const char *what)
{
	mint_err_set(err, code, "%s", what);
	mint_err_set_pos(err, line, (unsigned)column);
	return code;
}

static int push_record(struct index_reader *r, struct mint_err *err)
{
	if (!r->cur.name || !r->cur.name[0])
		return fail_at(err, MINT_EFORMAT, r->rec_line, 1, "record has no P: (package name)");
	if (!r->cur.version || !r->cur.version[0])
		return fail_at(err, MINT_EFORMAT, r->rec_line, 1,
			       "record has no V: (package version)");
	if (r->idx.n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct mint_apk_pkg *pkgs = realloc(r->idx.pkgs, cap * sizeof(*pkgs));
		if (!pkgs)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		r->idx.pkgs = pkgs;
		r->cap = cap;
	}
	r->idx.pkgs[r->idx.n++] = r->cur;
	memset(&r->cur, 0, sizeof(r->cur));
	r->open = false;
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
		return fail_at(err, MINT_EFORMAT, lineno, 2,
			       "expected a field \"X:value\" or a blank line");
	if (!r->open) {
		r->open = true;
		r->rec_line = lineno;
	}
	char letter = line.ptr[0];
	bool known;
	int rc = mint_apk_index_field_apply(&r->cur, letter, mint_span_skip(line, 2), &known, err);
	if (rc) {
		mint_err_set_pos(err, lineno, 3);
		return rc;
	}
	if (!known && !installed_only(letter) && !(letter >= 'a' && letter <= 'z'))
		r->cur.uninstallable = true;
	return 0;
}

static int read_line(struct index_reader *r, struct mint_span line, unsigned lineno,
		     struct mint_err *err)
{
	const char *nul = memchr(line.ptr, '\0', line.len);
	if (nul)
		return fail_at(err, MINT_EFORMAT, lineno, (size_t)(nul - line.ptr) + 1,
			       "NUL byte in text");
	if (!line.len)
		return r->open ? push_record(r, err) : 0;
	return read_field(r, line, lineno, err);
}

int mint_apk_index_parse_text(struct mint_span text, struct mint_apk_index *out,
			      struct mint_err *err)
{
	struct index_reader r = { 0 };
	struct mint_span rest = text, line;
	unsigned lineno = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while (next_line(&rest, &line)) {
		rc = read_line(&r, line, ++lineno, err);
		if (rc)
			goto out;
	}
	if (r.open)
		rc = push_record(&r, err);
out:
	mint_apk_pkg_free(&r.cur);
	if (rc)
		mint_apk_index_free(&r.idx);
	else
		*out = r.idx;
	return rc;
}

/* ---- writing ---- */

static bool valid_value(const char *s)
{
	return !strchr(s, '\n');
}

static int put_field(struct mint_buf *out, char letter, const char *value)
{
	if (!valid_value(value))
		return MINT_EINVAL;
	char head[2] = { letter, ':' };
	if (mint_buf_append(out, head, 2) || mint_buf_puts(out, value) || mint_buf_putc(out, '\n'))
		return MINT_ENOMEM;
	return 0;
}

static int put_optional(struct mint_buf *out, char letter, const char *value)
{
	return value ? put_field(out, letter, value) : 0;
}

static int put_number(struct mint_buf *out, char letter, bool present, uint64_t v)
{
	char num[24];
	if (!present)
		return 0;
	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	return put_field(out, letter, num);
}

static int put_list(struct mint_buf *out, char letter, const struct mint_strlist *l)
{
	char head[2] = { letter, ':' };
	if (!l->n)
		return 0;
	if (mint_buf_append(out, head, 2))
		return MINT_ENOMEM;
	for (size_t i = 0; i < l->n; i++) {
		const char *item = l->items[i];
		if (!item[0] || strpbrk(item, " \n"))
			return MINT_EINVAL;
		if ((i && mint_buf_putc(out, ' ')) || mint_buf_puts(out, item))
			return MINT_ENOMEM;
	}
	return mint_buf_putc(out, '\n');
}

int mint_apk_index_write_header(const struct mint_apk_pkg *p, struct mint_buf *out)
{
	int rc;
	if (!p->name || !p->name[0] || !p->version || !p->version[0])
		return MINT_EINVAL;
	if ((rc = put_optional(out, 'C', p->identity)) ||
	    (rc = put_field(out, 'P', p->name)) ||
	    (rc = put_field(out, 'V', p->version)) ||
	    (rc = put_optional(out, 'A', p->arch)) ||
	    (rc = put_number(out, 'S', true, p->file_size)) ||
	    (rc = put_number(out, 'I', true, p->installed_size)) ||
	    (rc = put_field(out, 'T', p->description ? p->description : "")) ||
	    (rc = put_field(out, 'U', p->url ? p->url : "")) ||
	    (rc = put_field(out, 'L', p->license ? p->license : "")) ||
	    (rc = put_optional(out, 'o', p->origin)) ||
	    (rc = put_optional(out, 'm', p->maintainer)) ||
	    (rc = put_number(out, 't', p->has_build_time, p->build_time)) ||
	    (rc = put_optional(out, 'c', p->commit)) ||
	    (rc = put_number(out, 'k', p->has_provider_priority, p->provider_priority)) ||
	    (rc = put_list(out, 'D', &p->depends)) ||
	    (rc = put_list(out, 'p', &p->provides)) ||
	    (rc = put_list(out, 'i', &p->install_if)))
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
	if (rc && out->data) {
		out->len = start;
		out->data[start] = '\0';
	}
	return rc;
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
	memset(idx, 0, sizeof(*idx));
}
