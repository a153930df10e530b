/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Installed database reader and writer (see mint/apk_installed.h). The
 * package header lines go through the APKINDEX code (mint/apk_index.h);
 * this file adds the installed-only fields and the file list.
 */
#include "mint/apk_installed.h"

#include <stdlib.h>
#include <string.h>

#include "mint/apk_index.h"

#include "textfmt.h"

/* Makes room for element n of an array (passed as a pointer to the array
 * pointer) whose capacity is the smallest power of two >= n: only this
 * function grows these arrays, so the capacity need not be stored. */
static int grow(void *arrayp, size_t n, size_t size)
{
	void *array;
	if (n & (n - 1))
		return 0;
	size_t cap = n ? n * 2 : 1;
	if (cap > SIZE_MAX / size)
		return MINT_ENOMEM;
	memcpy(&array, arrayp, sizeof(array));
	array = realloc(array, cap * size);
	if (!array)
		return MINT_ENOMEM;
	memcpy(arrayp, &array, sizeof(array));
	return 0;
}

/* ---- freeing ---- */

static void free_dir(struct mint_apk_installed_dir *d)
{
	for (size_t i = 0; i < d->n_files; i++) {
		free(d->files[i].name);
		free(d->files[i].xattr_digest);
		free(d->files[i].digest);
	}
	free(d->files);
	free(d->path);
	free(d->xattr_digest);
}

static void free_pkg(struct mint_apk_installed_pkg *p)
{
	for (size_t i = 0; i < p->n_dirs; i++)
		free_dir(&p->dirs[i]);
	free(p->dirs);
	mint_apk_pkg_free(&p->pkg);
	memset(p, 0, sizeof(*p));
}

void mint_apk_installed_free(struct mint_apk_installed_db *db)
{
	for (size_t i = 0; i < db->n; i++)
		free_pkg(&db->pkgs[i]);
	free(db->pkgs);
	memset(db, 0, sizeof(*db));
}

/* ---- reading ---- */

struct db_reader {
	struct mint_apk_installed_db db;
	struct mint_apk_installed_pkg cur;
	bool open;          /* cur has at least one field */
	bool in_file;       /* the last directory has a current R: */
	unsigned rec_line;  /* where cur started */
	unsigned line;      /* the line being read */
};

static int nomem(struct db_reader *r, struct mint_err *err)
{
	return apk_text_fail_at(err, MINT_ENOMEM, r->line, 1, "out of memory");
}

/* A line that needs an earlier one (F: before R:, R: before Z:, ...). */
static int misplaced(struct db_reader *r, struct mint_err *err, const char *what)
{
	return apk_text_fail_at(err, MINT_EFORMAT, r->line, 1, "%s", what);
}

static struct mint_apk_installed_dir *cur_dir(struct db_reader *r)
{
	return r->cur.n_dirs ? &r->cur.dirs[r->cur.n_dirs - 1] : NULL;
}

static struct mint_apk_installed_file *cur_file(struct db_reader *r)
{
	struct mint_apk_installed_dir *d = cur_dir(r);
	return d && r->in_file ? &d->files[d->n_files - 1] : NULL;
}

/* "uid:gid:mode[:xattr digest]", uid and gid decimal, mode octal. */
struct acl {
	uint32_t uid, gid, mode;
	char *xattr_digest;
};

static bool to_u32(struct mint_span s, int base, uint32_t *out)
{
	uint64_t v = 0;
	if (!s.len)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		unsigned d = (unsigned)(s.ptr[i] - '0');
		if (s.ptr[i] < '0' || d >= (unsigned)base)
			return false;
		v = v * (unsigned)base + d;
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

static int parse_acl(struct db_reader *r, struct mint_span value, struct acl *acl,
		     struct mint_err *err)
{
	static const char *const what[] = { "uid (decimal)", "gid (decimal)", "mode (octal)" };
	uint32_t *nums[] = { &acl->uid, &acl->gid, &acl->mode };
	struct mint_span rest = value, part;
	size_t col = 3;

	for (int i = 0; i < 3; i++) {
		bool had_sep = mint_span_find(rest, ':') >= 0;
		mint_span_split(&rest, ':', &part);
		if (!to_u32(part, i == 2 ? 8 : 10, nums[i]))
			return apk_text_fail_at(err, MINT_EFORMAT, r->line, col, "bad %s \"%.*s\"",
						what[i], part.len > 20 ? 20 : (int)part.len, part.ptr);
		col += part.len + 1;
		if (i < 2 && !had_sep)
			return apk_text_fail_at(err, MINT_EFORMAT, r->line, col - 1,
						"expected uid:gid:mode[:xattr digest]");
		if (i == 2 && had_sep && !rest.len)
			return apk_text_fail_at(err, MINT_EFORMAT, r->line, col, "empty xattr digest");
	}
	acl->xattr_digest = NULL;
	if (rest.len && !(acl->xattr_digest = mint_span_dup(rest)))
		return nomem(r, err);
	return 0;
}

static int read_dir_acl(struct db_reader *r, struct mint_span value, struct mint_err *err)
{
	struct mint_apk_installed_dir *d = cur_dir(r);
	struct acl acl;
	if (!d)
		return misplaced(r, err, "M: before any F: (directory)");
	int rc = parse_acl(r, value, &acl, err);
	if (rc)
		return rc;
	free(d->xattr_digest);
	d->has_acl = true;
	d->uid = acl.uid;
	d->gid = acl.gid;
	d->mode = acl.mode;
	d->xattr_digest = acl.xattr_digest;
	return 0;
}

static int read_file_acl(struct db_reader *r, struct mint_span value, struct mint_err *err)
{
	struct mint_apk_installed_file *f = cur_file(r);
	struct acl acl;
	if (!f)
		return misplaced(r, err, "a: before any R: (file) in this directory");
	int rc = parse_acl(r, value, &acl, err);
	if (rc)
		return rc;
	free(f->xattr_digest);
	f->has_acl = true;
	f->uid = acl.uid;
	f->gid = acl.gid;
	f->mode = acl.mode;
	f->xattr_digest = acl.xattr_digest;
	return 0;
}

static int add_dir(struct db_reader *r, struct mint_span path, struct mint_err *err)
{
	if (!r->cur.pkg.name)
		return misplaced(r, err, "F: before the package's P: line");
	if (grow(&r->cur.dirs, r->cur.n_dirs, sizeof(*r->cur.dirs)))
		return nomem(r, err);
	struct mint_apk_installed_dir *d = &r->cur.dirs[r->cur.n_dirs];
	memset(d, 0, sizeof(*d));
	if (!(d->path = mint_span_dup(path)))
		return nomem(r, err);
	r->cur.n_dirs++;
	r->in_file = false;
	return 0;
}

static int add_file(struct db_reader *r, struct mint_span name, struct mint_err *err)
{
	struct mint_apk_installed_dir *d = cur_dir(r);
	if (!d)
		return misplaced(r, err, "R: before any F: (directory)");
	if (grow(&d->files, d->n_files, sizeof(*d->files)))
		return nomem(r, err);
	struct mint_apk_installed_file *f = &d->files[d->n_files];
	memset(f, 0, sizeof(*f));
	if (!(f->name = mint_span_dup(name)))
		return nomem(r, err);
	d->n_files++;
	r->in_file = true;
	return 0;
}

static int set_digest(struct db_reader *r, struct mint_span value, struct mint_err *err)
{
	struct mint_apk_installed_file *f = cur_file(r);
	if (!f)
		return misplaced(r, err, "Z: before any R: (file) in this directory");
	return apk_text_set_string(&f->digest, value) ? nomem(r, err) : 0;
}

static int read_flags(struct db_reader *r, struct mint_span value, struct mint_err *err)
{
	unsigned flags = 0;
	for (size_t i = 0; i < value.len; i++) {
		switch (value.ptr[i]) {
		case 'f': flags |= MINT_APK_DBF_BROKEN_FILES; break;
		case 's': flags |= MINT_APK_DBF_BROKEN_SCRIPT; break;
		case 'x': flags |= MINT_APK_DBF_BROKEN_XATTR; break;
		case 'S': flags |= MINT_APK_DBF_SHA256_160; break;
		default:
			return apk_text_fail_at(err, MINT_EUNSUPPORTED, r->line, i + 3,
						"unknown package flag '%c' in f: (written by a newer apk-tools?)",
						value.ptr[i]);
		}
	}
	r->cur.pkg.db_flags = flags;
	return 0;
}

static int read_replaces_priority(struct db_reader *r, struct mint_span value,
				  struct mint_err *err)
{
	uint64_t v;
	int rc = apk_text_to_u64(value, "q", &v, err);
	if (rc) {
		mint_err_set_pos(err, r->line, 3);
		return rc;
	}
	r->cur.pkg.replaces_priority = v;
	r->cur.pkg.has_replaces_priority = true;
	return 0;
}

static int read_header_field(struct db_reader *r, char letter, struct mint_span value,
			     struct mint_err *err)
{
	bool known;
	int rc = mint_apk_index_field_apply(&r->cur.pkg, letter, value, &known, err);
	if (rc) {
		mint_err_set_pos(err, r->line, 3);
		return rc;
	}
	if (!known)
		return apk_text_fail_at(err, MINT_EUNSUPPORTED, r->line, 1,
					"unknown field '%c:' (database written by a newer apk-tools?)",
					letter);
	return 0;
}

static int read_field(struct db_reader *r, char letter, struct mint_span value,
		      struct mint_err *err)
{
	switch (letter) {
	case 'F': return add_dir(r, value, err);
	case 'M': return read_dir_acl(r, value, err);
	case 'R': return add_file(r, value, err);
	case 'a': return read_file_acl(r, value, err);
	case 'Z': return set_digest(r, value, err);
	case 'f': return read_flags(r, value, err);
	case 'q': return read_replaces_priority(r, value, err);
	case 's': return apk_text_set_string(&r->cur.pkg.repo_tag, value) ? nomem(r, err) : 0;
	case 'r': return apk_text_add_items(&r->cur.pkg.replaces, value) ? nomem(r, err) : 0;
	case 'g': return apk_text_add_items(&r->cur.pkg.tags, value) ? nomem(r, err) : 0;
	}
	return read_header_field(r, letter, value, err);
}

static int push_record(struct db_reader *r, struct mint_err *err)
{
	const struct mint_apk_pkg *p = &r->cur.pkg;
	const char *missing = !p->name || !p->name[0] ? "P: (package name)" :
			      !p->version || !p->version[0] ? "V: (package version)" : NULL;
	if (missing)
		return apk_text_fail_at(err, MINT_EFORMAT, r->rec_line, 1, "record has no %s", missing);
	if (grow(&r->db.pkgs, r->db.n, sizeof(*r->db.pkgs)))
		return nomem(r, err);
	r->db.pkgs[r->db.n++] = r->cur;
	memset(&r->cur, 0, sizeof(r->cur));
	r->open = false;
	r->in_file = false;
	return 0;
}

static int read_line(void *ctx, struct mint_span line, unsigned lineno, struct mint_err *err)
{
	struct db_reader *r = ctx;
	r->line = lineno;
	int rc = apk_text_reject_nul(line, r->line, err);
	if (rc)
		return rc;
	if (!line.len)
		return r->open ? push_record(r, err) : 0;
	if (line.len < 2 || line.ptr[1] != ':')
		return apk_text_fail_at(err, MINT_EFORMAT, r->line, 2,
					"expected a field \"X:value\" or a blank line");
	if (!r->open) {
		r->open = true;
		r->rec_line = r->line;
	}
	return read_field(r, line.ptr[0], mint_span_skip(line, 2), err);
}

int mint_apk_installed_parse(struct mint_span text, struct mint_apk_installed_db *out,
			     struct mint_err *err)
{
	struct db_reader r = { 0 };

	memset(out, 0, sizeof(*out));
	int rc = apk_text_each_line(text, read_line, &r, err);
	if (!rc && r.open)
		rc = push_record(&r, err);
	free_pkg(&r.cur);
	if (rc)
		mint_apk_installed_free(&r.db);
	else
		*out = r.db;
	return rc;
}

/* ---- writing ---- */

static int put_acl(struct mint_buf *out, char letter, uint32_t uid, uint32_t gid, uint32_t mode,
		   const char *xattr_digest)
{
	if (xattr_digest && !apk_text_valid_value(xattr_digest))
		return MINT_EINVAL;
	if (mint_buf_printf(out, "%c:%u:%u:%o", letter, uid, gid, mode) ||
	    (xattr_digest && (mint_buf_putc(out, ':') || mint_buf_puts(out, xattr_digest))) ||
	    mint_buf_putc(out, '\n'))
		return MINT_ENOMEM;
	return 0;
}

static int put_flags(struct mint_buf *out, unsigned flags)
{
	static const struct { unsigned bit; char letter; } order[] = {
		{ MINT_APK_DBF_BROKEN_FILES, 'f' },
		{ MINT_APK_DBF_BROKEN_SCRIPT, 's' },
		{ MINT_APK_DBF_BROKEN_XATTR, 'x' },
		{ MINT_APK_DBF_SHA256_160, 'S' },
	};
	char text[8];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (flags & order[i].bit)
			text[n++] = order[i].letter;
	text[n] = '\0';
	return n ? apk_text_put_field(out, 'f', text) : 0;
}

static int put_installed_fields(struct mint_buf *out, const struct mint_apk_pkg *p)
{
	int rc;
	if ((rc = apk_text_put_list(out, 'g', &p->tags)) ||
	    (rc = apk_text_put_list(out, 'r', &p->replaces)) ||
	    (rc = apk_text_put_number(out, 'q', p->has_replaces_priority, p->replaces_priority)) ||
	    (rc = apk_text_put_optional(out, 's', p->repo_tag)))
		return rc;
	return put_flags(out, p->db_flags);
}

static int put_file(struct mint_buf *out, const struct mint_apk_installed_file *f)
{
	int rc;
	if (!f->name)
		return MINT_EINVAL;
	if ((rc = apk_text_put_field(out, 'R', f->name)))
		return rc;
	if (f->has_acl && (rc = put_acl(out, 'a', f->uid, f->gid, f->mode, f->xattr_digest)))
		return rc;
	return apk_text_put_optional(out, 'Z', f->digest);
}

static int put_dir(struct mint_buf *out, const struct mint_apk_installed_dir *d)
{
	int rc;
	if (!d->path)
		return MINT_EINVAL;
	if ((rc = apk_text_put_field(out, 'F', d->path)))
		return rc;
	if (d->has_acl && (rc = put_acl(out, 'M', d->uid, d->gid, d->mode, d->xattr_digest)))
		return rc;
	for (size_t i = 0; i < d->n_files; i++)
		if ((rc = put_file(out, &d->files[i])))
			return rc;
	return 0;
}

static int put_record(struct mint_buf *out, const struct mint_apk_installed_pkg *p)
{
	int rc;
	if ((rc = mint_apk_index_write_header(&p->pkg, out)) ||
	    (rc = put_installed_fields(out, &p->pkg)))
		return rc;
	for (size_t i = 0; i < p->n_dirs; i++)
		if ((rc = put_dir(out, &p->dirs[i])))
			return rc;
	return mint_buf_putc(out, '\n');
}

int mint_apk_installed_write(const struct mint_apk_installed_db *db, struct mint_buf *out)
{
	size_t start = out->len;
	int rc = 0;
	for (size_t i = 0; i < db->n && !rc; i++)
		rc = put_record(out, &db->pkgs[i]);
	return apk_text_rollback(out, start, rc);
}
