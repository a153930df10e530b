/* SPDX-License-Identifier: Apache-2.0 */
/*
 * etc/ld.so.conf read as apko's ldsocache.ParseLDSOConf reads it, inside
 * the plan: '#' starts a comment, blank lines are skipped, a line
 * "include <glob>" reads the files the glob matches (relative to the root,
 * leading '/' dropped, Go's fs.Glob and path.Match rules) and ENDS the
 * file: apko returns right after its first include, so the lines after it
 * are never read. Other lines are directories, kept as written (trimmed),
 * a repeat of an earlier line of the same file dropped. An included file
 * that cannot be read is skipped; the top file must be readable.
 *
 * Bounds apko does not have: includes nest at most 16 deep and at most
 * 1024 files are read in all (apko recurses until the stack ends), and a
 * file is at most 16 MiB. A line of 64 KiB or more fails as Go's
 * bufio.Scanner fails on it.
 */
#include "mint/image_rootfs.h"

#include <stdlib.h>
#include <string.h>

#include "mint/path.h"
#include "rootfs_internal.h"

#define CONF_MAX (16u << 20)
#define LINE_MAX_BYTES 65536
#define MAX_DEPTH 16
#define MAX_FILES 1024

struct conf_run {
	const struct mint_image_plan *p;
	const struct mint_plan_content_reader *reader;
	unsigned files;
	bool over_budget;  /* MAX_FILES reached: the whole parse fails */
};

struct strs {
	char **v;
	size_t n;
};

static void strs_free(struct strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static int strs_add(struct strs *s, struct mint_span item)
{
	char **v = realloc(s->v, (s->n + 1) * sizeof(*v));
	if (!v)
		return MINT_ENOMEM;
	s->v = v;
	if (!(v[s->n] = mint_span_dup(item)))
		return MINT_ENOMEM;
	s->n++;
	return 0;
}

static bool strs_has(const struct strs *s, struct mint_span item)
{
	for (size_t i = 0; i < s->n; i++)
		if (mint_span_eq_str(item, s->v[i]))
			return true;
	return false;
}

/* ---- path.Match ---- */

/* The length of the UTF-8 sequence at s (1 for a bad one), as Go decodes. */
static size_t rune_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	size_t len = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3
		   : c >= 0xf0 && c < 0xf5 ? 4 : 1;
	if (len > n)
		return 1;
	for (size_t i = 1; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 1;
	return len;
}

static uint32_t rune_at(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	switch (len) {
	case 2: return (uint32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f);
	case 3: return (uint32_t)(u[0] & 0x0f) << 12 | (uint32_t)(u[1] & 0x3f) << 6 | (u[2] & 0x3f);
	case 4: return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3f) << 12 |
		       (uint32_t)(u[2] & 0x3f) << 6 | (u[3] & 0x3f);
	default: return u[0] < 0x80 ? u[0] : 0xfffd;
	}
}

/* One class member or literal: an optional '\\', then a rune. false: bad. */
static bool get_esc(const char *p, size_t n, size_t *i, uint32_t *r)
{
	if (*i >= n || p[*i] == '-' || p[*i] == ']')
		return false;
	if (p[*i] == '\\' && ++*i >= n)
		return false;
	size_t l = rune_len(p + *i, n - *i);
	if (l == 1 && (unsigned char)p[*i] >= 0x80)
		return false; /* not UTF-8 */
	*r = rune_at(p + *i, l);
	*i += l;
	return *i < n;
}

/* A '[...]' class starting at p[*i] == '[': whether rune r is in it;
 * false with *bad when the class is malformed. */
static bool in_class(const char *p, size_t n, size_t *i, uint32_t r, bool *bad)
{
	bool neg = false, hit = false;
	size_t nrange = 0;
	(*i)++;
	if (*i < n && p[*i] == '^') {
		neg = true;
		(*i)++;
	}
	for (;;) {
		if (*i < n && p[*i] == ']' && nrange > 0) {
			(*i)++;
			break;
		}
		uint32_t lo, hi;
		if (!get_esc(p, n, i, &lo)) {
			*bad = true;
			return false;
		}
		hi = lo;
		if (p[*i] == '-') {
			(*i)++;
			if (!get_esc(p, n, i, &hi)) {
				*bad = true;
				return false;
			}
		}
		hit |= lo <= r && r <= hi;
		nrange++;
	}
	return hit != neg;
}

/* Whether one pattern element at p[*pi] matches the rune at name[*ni];
 * both advance on a match. */
static bool match_one(const char *p, size_t pn, size_t *pi, const char *name, size_t nn,
		      size_t *ni, bool *bad)
{
	size_t l = rune_len(name + *ni, nn - *ni);
	uint32_t r = rune_at(name + *ni, l);
	bool ok;
	switch (p[*pi]) {
	case '?':
		ok = name[*ni] != '/';
		(*pi)++;
		break;
	case '[':
		ok = in_class(p, pn, pi, r, bad);
		break;
	case '\\':
		if (*pi + 1 >= pn) {
			*bad = true;
			return false;
		}
		ok = p[*pi + 1] == name[*ni];
		*pi += 2;
		l = 1;
		break;
	default:
		ok = p[*pi] == name[*ni];
		(*pi)++;
		l = 1;
	}
	if (ok)
		*ni += l;
	return ok && !*bad;
}

/* Go's pattern syntax check: classes closed and well formed, no trailing
 * '\\'. */
static bool pattern_ok(const char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		bool bad = false;
		if (p[i] == '\\') {
			if (i + 1 >= n)
				return false;
			i += 2;
		} else if (p[i] == '[') {
			in_class(p, n, &i, 0, &bad);
			if (bad)
				return false;
		} else {
			i++;
		}
	}
	return true;
}

/* path.Match for a valid pattern: '*' any run of non-'/' runes. */
static bool glob_match(const char *p, const char *name)
{
	size_t pn = strlen(p), nn = strlen(name), pi = 0, ni = 0;
	size_t star_p = SIZE_MAX, star_n = 0;
	bool bad = false;
	while (ni < nn) {
		if (pi < pn && p[pi] == '*') {
			star_p = ++pi;
			star_n = ni;
			continue;
		}
		size_t tp = pi, tn = ni;
		if (pi < pn && match_one(p, pn, &tp, name, nn, &tn, &bad)) {
			pi = tp;
			ni = tn;
			continue;
		}
		if (star_p == SIZE_MAX || name[star_n] == '/')
			return false;
		star_n += rune_len(name + star_n, nn - star_n);
		ni = star_n;
		pi = star_p;
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

/* ---- fs.Glob over the plan ---- */

static bool has_meta(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}

/* The plan node at a glob path ("." is the root), symlinks followed. */
static const struct mint_plan_node *stat_path(const struct mint_image_plan *p, const char *path)
{
	const struct mint_plan_node *n;
	if (strcmp(path, ".") == 0)
		path = "";
	return mint_image_plan_resolve(p, path, &n, NULL) ? NULL : n;
}

static int join_into(struct strs *out, const char *dir, const char *name)
{
	struct mint_buf b = MINT_BUF_INIT;
	int rc = strcmp(dir, ".") ? mint_buf_printf(&b, "%s/%s", dir, name)
				  : mint_buf_puts(&b, name);
	if (!rc)
		rc = strs_add(out, mint_buf_span(&b));
	mint_buf_free(&b);
	return rc;
}

/* Names in dir matching pattern, appended as dir/name. */
static int glob_in(const struct mint_image_plan *p, const char *dir, const char *pattern,
		   struct strs *out)
{
	const struct mint_plan_node *d = stat_path(p, dir);
	if (!d || d->type != MINT_TAR_DIR)
		return 0;
	for (size_t i = 0; i < d->n_children; i++) {
		if (!glob_match(pattern, d->children[i]->name))
			continue;
		int rc = join_into(out, dir, d->children[i]->name);
		if (rc)
			return rc;
	}
	return 0;
}

/* fs.Glob: 0, MINT_ENOMEM, or MINT_EFORMAT for a bad pattern. */
static int glob(const struct mint_image_plan *p, const char *pattern, struct strs *out)
{
	if (!pattern_ok(pattern, strlen(pattern)))
		return MINT_EFORMAT;
	if (!has_meta(pattern))
		return stat_path(p, pattern) ? strs_add(out, mint_span_str(pattern)) : 0;
	const char *slash = strrchr(pattern, '/');
	const char *file = slash ? slash + 1 : pattern;
	char *dir = slash ? mint_span_dup(MINT_SPAN(pattern, (size_t)(slash - pattern)))
			  : strdup(".");
	int rc = 0;
	if (!dir)
		return MINT_ENOMEM;
	if (!dir[0]) {
		free(dir);
		dir = strdup("/");
		if (!dir)
			return MINT_ENOMEM;
	}
	if (!has_meta(dir)) {
		rc = glob_in(p, dir, file, out);
	} else {
		struct strs dirs = { NULL, 0 };
		rc = glob(p, dir, &dirs);
		for (size_t i = 0; !rc && i < dirs.n; i++)
			rc = glob_in(p, dirs.v[i], file, out);
		strs_free(&dirs);
	}
	free(dir);
	return rc;
}

/* ---- the file ---- */

static int parse_conf(struct conf_run *r, const char *path, unsigned depth, struct strs *out,
		      struct mint_err *err);

/* "include <glob>": every match read (unreadable ones skipped). */
static int include(struct conf_run *r, struct mint_span arg, unsigned depth, struct strs *out,
		   struct mint_err *err)
{
	struct strs matches = { NULL, 0 };
	arg = mint_span_trim(arg);
	while (arg.len && arg.ptr[0] == '/')
		arg = mint_span_skip(arg, 1);
	char *pattern = mint_span_dup(arg);
	if (!pattern)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	int rc = glob(r->p, pattern, &matches);
	free(pattern);
	if (rc == MINT_EFORMAT)
		return 1; /* a bad glob: the line is skipped and reading goes on */
	for (size_t i = 0; !rc && i < matches.n; i++) {
		struct strs inc = { NULL, 0 };
		struct mint_err inner = { 0 };
		rc = parse_conf(r, matches.v[i], depth + 1, &inc, &inner);
		if (rc == MINT_ENOMEM || r->over_budget) {
			if (err)
				*err = inner;
		} else if (!rc) {
			for (size_t j = 0; !rc && j < inc.n; j++)
				rc = strs_add(out, mint_span_str(inc.v[j]));
			if (rc)
				mint_err_set(err, rc, "out of memory");
		} else {
			rc = 0;
		}
		strs_free(&inc);
	}
	strs_free(&matches);
	return rc;
}

static int parse_lines(struct conf_run *r, const char *path, struct mint_span text,
		       unsigned depth, struct strs *out, struct mint_err *err)
{
	struct mint_span rest = text, line;
	unsigned line_no = 0;
	while (rest.len && mint_span_split(&rest, '\n', &line)) {
		line_no++;
		if (line.len >= LINE_MAX_BYTES) {
			mint_err_set_file(err, path);
			mint_err_set_pos(err, line_no, 1);
			return mint_err_set(err, MINT_ELIMIT, "line too long (64 KiB or more)");
		}
		long hash = mint_span_find(line, '#');
		if (hash >= 0)
			line.len = (size_t)hash;
		line = mint_span_trim(line);
		if (!line.len)
			continue;
		if (mint_span_starts_with(line, "include ")) {
			int rc = include(r, mint_span_skip(line, 8), depth, out, err);
			if (rc <= 0)
				return rc;
			continue;
		}
		if (!strs_has(out, line) && strs_add(out, line))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	return 0;
}

static int parse_conf(struct conf_run *r, const char *path, unsigned depth, struct strs *out,
		      struct mint_err *err)
{
	struct mint_buf text = MINT_BUF_INIT;
	if (depth > MAX_DEPTH)
		return mint_err_set(err, MINT_EINVAL, "%s: includes nested deeper than %u", path,
				    MAX_DEPTH);
	if (++r->files > MAX_FILES) {
		r->over_budget = true;
		return mint_err_set(err, MINT_ELIMIT, "ld.so.conf: more than %u files included",
				    MAX_FILES);
	}
	int rc = mint_image_plan_read_file(r->p, path, r->reader, CONF_MAX, &text, err);
	if (!rc)
		rc = parse_lines(r, path, mint_buf_span(&text), depth, out, err);
	mint_buf_free(&text);
	return rc;
}

int mint_image_ldso_conf_dirs(const struct mint_image_plan *p,
			      const struct mint_plan_content_reader *reader,
			      struct mint_image_ldso_dirs *out, struct mint_err *err)
{
	struct conf_run r = { p, reader, 0, false };
	struct strs dirs = { NULL, 0 };
	out->v = NULL;
	out->n = 0;
	if (!p)
		return mint_err_set(err, MINT_EINVAL, "ld.so.conf: no plan");
	int rc = parse_conf(&r, "etc/ld.so.conf", 0, &dirs, err);
	if (rc) {
		strs_free(&dirs);
		return rc;
	}
	out->v = dirs.v;
	out->n = dirs.n;
	return 0;
}

void mint_image_ldso_dirs_free(struct mint_image_ldso_dirs *d)
{
	struct strs s = { d->v, d->n };
	strs_free(&s);
	d->v = NULL;
	d->n = 0;
}
