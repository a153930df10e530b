/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Deterministic tar writer (see mint/tar.h). Every header is POSIX ustar
 * ("ustar\0" "00"); numeric fields are zero-padded octal with a NUL
 * terminator, the checksum six digits, NUL and space. A field that does not
 * fit goes into a PAX 'x' header in front of the entry, and the ustar field
 * then holds 0 (numbers) or the ASCII bytes of the value cut to the field
 * (strings).
 *
 * The choices follow Go's archive/tar, which melange writes with, so that
 * our data tars can match melange's byte for byte:
 *   - a name over 100 bytes is split into prefix/name at the last '/' that
 *     fits, unless a PAX header is written anyway; then, or when no split
 *     fits, it becomes a PAX "path" record. Non-ASCII names, link targets and
 *     owner names always become PAX records.
 *   - PAX records are sorted by key (bytewise), so APK-TOOLS.checksum.SHA1
 *     comes first, then SCHILY.xattr.*, then gid, linkpath, mtime, path,
 *     size, uid, uname/gname.
 *   - the PAX header block is named dir/ + pax_prefix + basename, with mode,
 *     uid, gid and mtime 0, empty owner names and NUL device fields.
 * This file does not compress and does not read files.
 */
#include "mint/tar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/buf.h"
#include "mint/encode.h"
#include "mint/span.h"

#define DEFAULT_PAX_PREFIX "PaxHeaders.0/"
#define XATTR_PREFIX "SCHILY.xattr."
#define MAX_OCTAL_7 07777777ULL
#define MAX_OCTAL_11 077777777777ULL

static const char zero_block[MINT_TAR_BLOCK];

/* Which fields move to PAX records, and where a long name is split. */
struct layout {
	bool path, linkpath, size, uid, gid, mtime, uname, gname;
	bool pax;
	size_t split; /* 0: no ustar prefix; else index of the '/' that splits */
};

struct pax_record {
	char *key;
	const char *value; /* NULL: the value is the text in number */
	size_t value_len;
	char number[24];
};

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static int emit(struct mint_tar_writer *w, const void *data, size_t len, struct mint_err *err)
{
	if (!len)
		return 0;
	int rc = w->sink(w->ctx, data, len, err);
	if (rc)
		return rc;
	w->offset += len;
	return 0;
}

/* len-1 zero-padded octal digits and a NUL; the caller checked it fits. */
static void put_octal(char *field, size_t len, uint64_t v)
{
	for (size_t i = len - 1; i-- > 0; v >>= 3)
		field[i] = (char)('0' + (v & 7));
	field[len - 1] = '\0';
}

/* Copies the ASCII bytes of s into the field, as many as fit; returns how
 * many ASCII bytes s has. */
static size_t copy_ascii(char *field, size_t len, const char *s)
{
	size_t n = 0;
	for (const char *p = s; *p; p++) {
		if ((unsigned char)*p >= 0x80)
			continue;
		if (n < len)
			field[n] = *p;
		n++;
	}
	return n;
}

/* A string field. When the value was cut right after a '/', a NUL goes
 * before that run of slashes so that old readers do not take a file for a
 * directory (the bytes after the NUL stay, as Go leaves them). */
static void put_string(char *field, size_t len, const char *s)
{
	if (copy_ascii(field, len, s) <= len || field[len - 1] != '/')
		return;
	size_t n = len - 1;
	while (n && field[n - 1] == '/')
		n--;
	field[n] = '\0';
}

static void put_checksum(char *block)
{
	unsigned sum = 0;
	memset(block + 148, ' ', 8);
	for (size_t i = 0; i < MINT_TAR_BLOCK; i++)
		sum += (unsigned char)block[i];
	put_octal(block + 148, 7, sum);
	block[155] = ' ';
}

static void put_magic(char *block)
{
	memcpy(block + 257, "ustar\0" "00", 8);
}

/* Index of the '/' that splits name into a prefix of at most 155 bytes and a
 * non-empty rest of at most 100, preferring the longest prefix; 0 if none. */
static size_t ustar_split(const char *name)
{
	size_t len = strlen(name);
	if (len <= 100 || !is_ascii(name))
		return 0;
	size_t end = len;
	if (end > 156)
		end = 156;
	else if (name[end - 1] == '/')
		end--;
	size_t i = end;
	while (i > 0 && name[i - 1] != '/')
		i--;
	if (i <= 1)
		return 0;
	size_t slash = i - 1;
	size_t rest = len - slash - 1;
	if (rest == 0 || rest > 100 || slash > 155)
		return 0;
	return slash;
}

static void plan_layout(const struct mint_tar_entry *e, struct layout *l)
{
	memset(l, 0, sizeof(*l));
	bool is_link = e->type == MINT_TAR_HARDLINK || e->type == MINT_TAR_SYMLINK;
	l->linkpath = is_link && (strlen(e->link_target) > 100 || !is_ascii(e->link_target));
	l->size = e->size > MAX_OCTAL_11;
	l->uid = e->uid > MAX_OCTAL_7;
	l->gid = e->gid > MAX_OCTAL_7;
	l->mtime = e->mtime < 0 || (uint64_t)e->mtime > MAX_OCTAL_11;
	l->uname = !is_ascii(e->uname);
	l->gname = !is_ascii(e->gname);
	bool other = l->linkpath || l->size || l->uid || l->gid || l->mtime || l->uname ||
		     l->gname || e->n_xattrs || e->has_apk_sha1;
	bool fits = strlen(e->name) <= 100 && is_ascii(e->name);
	if (!fits && !other)
		l->split = ustar_split(e->name);
	l->path = !fits && !l->split;
	l->pax = other || l->path;
}

static int check_entry(const struct mint_tar_writer *w, const struct mint_tar_entry *e,
		       struct mint_err *err)
{
	if (w->data_left || w->offset % MINT_TAR_BLOCK)
		return mint_err_set(err, MINT_EINVAL,
				    "tar writer: the previous entry's content or padding is missing");
	if (!e->name || !*e->name)
		return mint_err_set(err, MINT_EINVAL, "tar entry without a name");
	switch (e->type) {
	case MINT_TAR_REG: case MINT_TAR_DIR: case MINT_TAR_CHAR: case MINT_TAR_BLOCKDEV:
	case MINT_TAR_FIFO:
		break;
	case MINT_TAR_HARDLINK: case MINT_TAR_SYMLINK:
		if (!e->link_target || !*e->link_target)
			return mint_err_set(err, MINT_EINVAL, "tar link %s without a target",
					    e->name);
		break;
	default:
		return mint_err_set(err, MINT_EINVAL, "tar entry %s has unknown type %d",
				    e->name, (int)e->type);
	}
	if (e->size && e->type != MINT_TAR_REG)
		return mint_err_set(err, MINT_EINVAL,
				    "tar entry %s: only regular files carry content", e->name);
	if (e->devmajor > MAX_OCTAL_7 || e->devminor > MAX_OCTAL_7)
		return mint_err_set(err, MINT_EINVAL,
				    "tar entry %s: device number does not fit ustar", e->name);
	if (!memchr(e->uname, '\0', sizeof(e->uname)) || !memchr(e->gname, '\0', sizeof(e->gname)))
		return mint_err_set(err, MINT_EINVAL, "tar entry %s: owner name not terminated",
				    e->name);
	for (size_t i = 0; i < e->n_xattrs; i++) {
		const char *n = e->xattrs[i].name;
		if (!n || !*n || strchr(n, '='))
			return mint_err_set(err, MINT_EINVAL,
					    "tar entry %s: xattr name is empty or has '='", e->name);
	}
	return 0;
}

static void fill_header(char *block, const struct mint_tar_entry *e, const struct layout *l)
{
	memset(block, 0, MINT_TAR_BLOCK);
	if (l->split) {
		put_string(block + 0, 100, e->name + l->split + 1);
		memcpy(block + 345, e->name, l->split);
	} else {
		put_string(block + 0, 100, e->name);
	}
	put_octal(block + 100, 8, e->mode & 07777);
	put_octal(block + 108, 8, l->uid ? 0 : e->uid);
	put_octal(block + 116, 8, l->gid ? 0 : e->gid);
	put_octal(block + 124, 12, l->size ? 0 : e->size);
	put_octal(block + 136, 12, l->mtime ? 0 : (uint64_t)e->mtime);
	block[156] = (char)e->type;
	if (e->type == MINT_TAR_HARDLINK || e->type == MINT_TAR_SYMLINK)
		put_string(block + 157, 100, e->link_target);
	put_magic(block);
	put_string(block + 265, 32, e->uname);
	put_string(block + 297, 32, e->gname);
	put_octal(block + 329, 8, e->devmajor);
	put_octal(block + 337, 8, e->devminor);
	put_checksum(block);
}

static size_t count_digits(size_t n)
{
	size_t d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* "<len> <key>=<value>\n", where len counts itself. */
static int append_record(struct mint_buf *b, const struct pax_record *r)
{
	size_t rest = strlen(r->key) + r->value_len + 3;
	size_t n = rest + count_digits(rest);
	while (n != rest + count_digits(n))
		n = rest + count_digits(n);
	const char *value = r->value ? r->value : r->number;
	if (mint_buf_printf(b, "%zu %s=", n, r->key) ||
	    mint_buf_append(b, value, r->value_len) || mint_buf_putc(b, '\n'))
		return MINT_ENOMEM;
	return 0;
}

static int cmp_record(const void *a, const void *b)
{
	const struct pax_record *x = a, *y = b;
	return strcmp(x->key, y->key);
}

static int add_record(struct pax_record *recs, size_t *n, const char *key, const char *value,
		      size_t value_len)
{
	struct pax_record *r = &recs[*n];
	r->key = strdup(key);
	if (!r->key)
		return MINT_ENOMEM;
	r->value = value;
	r->value_len = value_len;
	(*n)++;
	return 0;
}

static int add_number(struct pax_record *recs, size_t *n, const char *key, long long signed_v,
		      unsigned long long unsigned_v, bool is_signed)
{
	struct pax_record *r = &recs[*n];
	int len = is_signed ? snprintf(r->number, sizeof(r->number), "%lld", signed_v) :
			      snprintf(r->number, sizeof(r->number), "%llu", unsigned_v);
	return add_record(recs, n, key, NULL, (size_t)len);
}

static int add_xattr_records(struct pax_record *recs, size_t *n, const struct mint_tar_entry *e)
{
	for (size_t i = 0; i < e->n_xattrs; i++) {
		const struct mint_xattr *x = &e->xattrs[i];
		struct pax_record *r = &recs[*n];
		size_t len = strlen(XATTR_PREFIX) + strlen(x->name) + 1;
		r->key = malloc(len);
		if (!r->key)
			return MINT_ENOMEM;
		snprintf(r->key, len, "%s%s", XATTR_PREFIX, x->name);
		r->value = (const char *)x->value;
		r->value_len = x->value_len;
		(*n)++;
	}
	return 0;
}

static int collect_records(struct pax_record *recs, size_t *n, const struct mint_tar_entry *e,
			   const struct layout *l, char sha1_hex[41])
{
	int rc = 0;
	if (l->path)
		rc = add_record(recs, n, "path", e->name, strlen(e->name));
	if (!rc && l->linkpath)
		rc = add_record(recs, n, "linkpath", e->link_target, strlen(e->link_target));
	if (!rc && l->size)
		rc = add_number(recs, n, "size", 0, e->size, false);
	if (!rc && l->uid)
		rc = add_number(recs, n, "uid", 0, e->uid, false);
	if (!rc && l->gid)
		rc = add_number(recs, n, "gid", 0, e->gid, false);
	if (!rc && l->mtime)
		rc = add_number(recs, n, "mtime", e->mtime, 0, true);
	if (!rc && l->uname)
		rc = add_record(recs, n, "uname", e->uname, strlen(e->uname));
	if (!rc && l->gname)
		rc = add_record(recs, n, "gname", e->gname, strlen(e->gname));
	if (!rc)
		rc = add_xattr_records(recs, n, e);
	if (!rc && e->has_apk_sha1) {
		mint_hex_encode(e->apk_sha1, sizeof(e->apk_sha1), sha1_hex);
		rc = add_record(recs, n, "APK-TOOLS.checksum.SHA1", sha1_hex, 40);
	}
	return rc;
}

/* Sorted records; two equal keys can only be a repeated xattr name. */
static int build_pax_payload(const struct mint_tar_entry *e, const struct layout *l,
			     struct mint_buf *out, struct mint_err *err)
{
	char sha1_hex[41];
	size_t n = 0;
	struct pax_record *recs = calloc(e->n_xattrs + 9, sizeof(*recs));
	if (!recs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for PAX records");
	int rc = collect_records(recs, &n, e, l, sha1_hex);
	if (rc) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory for PAX records");
		goto out;
	}
	qsort(recs, n, sizeof(*recs), cmp_record);
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(recs[i - 1].key, recs[i].key)) {
			rc = mint_err_set(err, MINT_EDUPLICATE, "tar entry %s: xattr %s given twice",
					  e->name, recs[i].key + strlen(XATTR_PREFIX));
			goto out;
		}
		if (append_record(out, &recs[i])) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory for PAX records");
			goto out;
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		free(recs[i].key);
	free(recs);
	return rc;
}

/* dir/ + prefix + basename; a trailing '/' on the entry name is not part of
 * its basename. */
static int pax_header_name(const char *name, const char *prefix, struct mint_buf *out)
{
	size_t len = strlen(name);
	while (len > 1 && name[len - 1] == '/')
		len--;
	size_t base = len;
	while (base > 0 && name[base - 1] != '/')
		base--;
	if (mint_buf_append(out, name, base) || mint_buf_puts(out, prefix) ||
	    mint_buf_append(out, name + base, len - base))
		return MINT_ENOMEM;
	return 0;
}

static int write_pax_header(struct mint_tar_writer *w, const struct mint_tar_entry *e,
			    const struct layout *l, struct mint_err *err)
{
	struct mint_buf payload = MINT_BUF_INIT;
	struct mint_buf name = MINT_BUF_INIT;
	char block[MINT_TAR_BLOCK];
	int rc = build_pax_payload(e, l, &payload, err);
	if (rc)
		goto out;
	if (payload.len > MAX_OCTAL_11) {
		rc = mint_err_set(err, MINT_EINVAL, "tar entry %s: PAX records too large", e->name);
		goto out;
	}
	if (pax_header_name(e->name, w->pax_prefix ? w->pax_prefix : DEFAULT_PAX_PREFIX, &name)) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory for a PAX header name");
		goto out;
	}
	memset(block, 0, sizeof(block));
	copy_ascii(block, 100, mint_buf_cstr(&name));
	for (size_t i = 99; i > 0 && (block[i] == '/' || !block[i]); i--)
		block[i] = '\0';
	put_octal(block + 100, 8, 0);
	put_octal(block + 108, 8, 0);
	put_octal(block + 116, 8, 0);
	put_octal(block + 124, 12, payload.len);
	put_octal(block + 136, 12, 0);
	block[156] = 'x';
	put_magic(block);
	put_checksum(block);
	rc = emit(w, block, sizeof(block), err);
	if (!rc)
		rc = emit(w, payload.data, payload.len, err);
	if (!rc)
		rc = emit(w, zero_block, (MINT_TAR_BLOCK - payload.len % MINT_TAR_BLOCK) %
			  MINT_TAR_BLOCK, err);
out:
	mint_buf_free(&payload);
	mint_buf_free(&name);
	return rc;
}

int mint_tar_write_header(struct mint_tar_writer *w, const struct mint_tar_entry *e,
			  struct mint_err *err)
{
	int rc = check_entry(w, e, err);
	if (rc)
		return rc;
	struct layout l;
	plan_layout(e, &l);
	if (l.pax) {
		rc = write_pax_header(w, e, &l, err);
		if (rc)
			return rc;
	}
	char block[MINT_TAR_BLOCK];
	fill_header(block, e, &l);
	rc = emit(w, block, sizeof(block), err);
	if (!rc)
		w->data_left = e->size;
	return rc;
}

int mint_tar_write_data(struct mint_tar_writer *w, const void *data, size_t len,
			struct mint_err *err)
{
	if (len > w->data_left)
		return mint_err_set(err, MINT_EINVAL,
				    "tar writer: %zu content bytes but only %llu are left", len,
				    (unsigned long long)w->data_left);
	int rc = emit(w, data, len, err);
	if (!rc)
		w->data_left -= len;
	return rc;
}

int mint_tar_write_pad(struct mint_tar_writer *w, struct mint_err *err)
{
	if (w->data_left)
		return mint_err_set(err, MINT_EINVAL,
				    "tar writer: padding with %llu content bytes still missing",
				    (unsigned long long)w->data_left);
	size_t partial = (size_t)(w->offset % MINT_TAR_BLOCK);
	return partial ? emit(w, zero_block, MINT_TAR_BLOCK - partial, err) : 0;
}

int mint_tar_write_entry(struct mint_tar_writer *w, const struct mint_tar_entry *e,
			 const void *content, struct mint_err *err)
{
	if (e->size && !content)
		return mint_err_set(err, MINT_EINVAL, "tar entry %s: content missing", e->name);
	if (e->size > SIZE_MAX)
		return mint_err_set(err, MINT_EINVAL, "tar entry %s: content too large", e->name);
	int rc = mint_tar_write_header(w, e, err);
	if (!rc)
		rc = mint_tar_write_data(w, content, (size_t)e->size, err);
	if (!rc)
		rc = mint_tar_write_pad(w, err);
	return rc;
}

int mint_tar_write_end(struct mint_tar_writer *w, struct mint_err *err)
{
	if (w->data_left || w->offset % MINT_TAR_BLOCK)
		return mint_err_set(err, MINT_EINVAL,
				    "tar writer: the last entry's content or padding is missing");
	int rc = emit(w, zero_block, MINT_TAR_BLOCK, err);
	if (!rc)
		rc = emit(w, zero_block, MINT_TAR_BLOCK, err);
	return rc;
}
