/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One difference between two images as one line of text, the form `mint
 * diff` and `mint rebuild` print: where (platform, document or file), what
 * (the field or the attributes that changed) and old -> new. Paths come from
 * untrusted layers, so control bytes are escaped and a line stays a line.
 */
#include "audit_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mint/encode.h"

static const char *doc_name(enum mint_diff_doc doc)
{
	switch (doc) {
	case MINT_DIFF_DOC_INDEX: return "index";
	case MINT_DIFF_DOC_MANIFEST: return "manifest";
	case MINT_DIFF_DOC_CONFIG: return "config";
	}
	return "?";
}

/* s with bytes below 0x20 and 0x7f as \xHH, and backslash too unless s
 * is JSON text (whose backslashes are its own escapes). */
static int escape_bytes(struct mint_buf *out, const char *s, bool backslash)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bool hex = *p < 0x20 || *p == 0x7f || (backslash && *p == '\\');
		int rc = hex ? mint_buf_printf(out, "\\x%02x", *p) : mint_buf_putc(out, (char)*p);
		if (rc)
			return rc;
	}
	return 0;
}

static int escaped(struct mint_buf *out, const char *s)
{
	return escape_bytes(out, s, true);
}

static int json_text(struct mint_buf *out, const char *s)
{
	return escape_bytes(out, s, false);
}

static const char *type_name(enum mint_tar_type t)
{
	switch (t) {
	case MINT_TAR_REG: return "file";
	case MINT_TAR_HARDLINK: return "hardlink";
	case MINT_TAR_SYMLINK: return "symlink";
	case MINT_TAR_CHAR: return "char";
	case MINT_TAR_BLOCKDEV: return "block";
	case MINT_TAR_DIR: return "dir";
	case MINT_TAR_FIFO: return "fifo";
	}
	return "entry";
}

static int hash_text(struct mint_buf *out, const unsigned char sha256[32])
{
	char hex[65];
	mint_hex_encode(sha256, 32, hex);
	return mint_buf_printf(out, "sha256:%s", hex);
}

static int owner(struct mint_buf *out, const struct mint_image_file *f)
{
	int rc = mint_buf_printf(out, "%" PRIu64 ":%" PRIu64, f->uid, f->gid);
	if (!rc && (*f->uname || *f->gname)) {
		rc = mint_buf_puts(out, " (");
		if (!rc)
			rc = escaped(out, f->uname);
		if (!rc)
			rc = mint_buf_putc(out, ':');
		if (!rc)
			rc = escaped(out, f->gname);
		if (!rc)
			rc = mint_buf_putc(out, ')');
	}
	return rc;
}

static int time_text(struct mint_buf *out, int64_t t)
{
	char text[MINT_OCI_TIME_MAX];
	if (mint_oci_time(t, text, NULL))
		return mint_buf_printf(out, "%" PRId64, t);
	return mint_buf_puts(out, text);
}

static int target(struct mint_buf *out, const struct mint_image_file *f)
{
	return escaped(out, f->link_target ? f->link_target : "");
}

static int link_text(struct mint_buf *out, const struct mint_image_file *f)
{
	return mint_buf_puts(out, "-> ") || target(out, f);
}

static int xattrs_text(struct mint_buf *out, const struct mint_image_file *f)
{
	return f->has_xattrs ? hash_text(out, f->xattrs_sha256) : mint_buf_puts(out, "none");
}

/* "file 0755 0:0 12 bytes sha256:<hex> mtime <time>" and the like. */
static int describe(struct mint_buf *out, const struct mint_image_file *f)
{
	int rc = mint_buf_printf(out, "%s %04o ", type_name(f->type), (unsigned)f->mode);
	if (!rc)
		rc = owner(out, f);
	if (!rc && f->type == MINT_TAR_REG) {
		rc = mint_buf_printf(out, " %" PRIu64 " bytes ", f->size);
		if (!rc)
			rc = hash_text(out, f->sha256);
	} else if (!rc && (f->type == MINT_TAR_SYMLINK || f->type == MINT_TAR_HARDLINK)) {
		rc = mint_buf_putc(out, ' ') || link_text(out, f);
	} else if (!rc && (f->type == MINT_TAR_CHAR || f->type == MINT_TAR_BLOCKDEV)) {
		rc = mint_buf_printf(out, " %u,%u", f->devmajor, f->devminor);
	}
	if (!rc)
		rc = mint_buf_puts(out, " mtime ");
	if (!rc)
		rc = time_text(out, f->mtime);
	if (!rc && f->has_xattrs)
		rc = mint_buf_puts(out, " xattrs ") || hash_text(out, f->xattrs_sha256);
	return rc;
}

/* ", what old -> new" for one changed attribute. */
static int change(struct mint_buf *out, bool *first, const char *what)
{
	int rc = mint_buf_printf(out, "%s%s ", *first ? "" : ", ", what);
	*first = false;
	return rc;
}

static int changed_owner(struct mint_buf *out, const struct mint_image_difference *d, bool *first)
{
	const struct mint_image_file *a = &d->old_file, *b = &d->new_file;
	int rc = 0;
	if (d->changed & (MINT_FILE_UID | MINT_FILE_GID | MINT_FILE_UNAME | MINT_FILE_GNAME)) {
		rc = change(out, first, "owner");
		if (!rc)
			rc = owner(out, a);
		if (!rc)
			rc = mint_buf_puts(out, " -> ");
		if (!rc)
			rc = owner(out, b);
	}
	return rc;
}

static int changed_content(struct mint_buf *out, const struct mint_image_difference *d,
			   bool *first)
{
	const struct mint_image_file *a = &d->old_file, *b = &d->new_file;
	int rc = 0;
	if (d->changed & MINT_FILE_SIZE)
		rc = change(out, first, "size") ||
		     mint_buf_printf(out, "%" PRIu64 " -> %" PRIu64, a->size, b->size);
	if (!rc && (d->changed & MINT_FILE_CONTENT))
		rc = change(out, first, "content") || hash_text(out, a->sha256) ||
		     mint_buf_puts(out, " -> ") || hash_text(out, b->sha256);
	if (!rc && (d->changed & MINT_FILE_LINK))
		rc = change(out, first, "link") || target(out, a) || mint_buf_puts(out, " -> ") ||
		     target(out, b);
	if (!rc && (d->changed & MINT_FILE_DEVICE))
		rc = change(out, first, "device") ||
		     mint_buf_printf(out, "%u,%u -> %u,%u", a->devmajor, a->devminor, b->devmajor,
				     b->devminor);
	return rc;
}

static int changed_file(struct mint_buf *out, const struct mint_image_difference *d)
{
	const struct mint_image_file *a = &d->old_file, *b = &d->new_file;
	bool first = true;
	int rc = 0;
	if (d->changed & MINT_FILE_TYPE)
		rc = change(out, &first, "type") ||
		     mint_buf_printf(out, "%s -> %s", type_name(a->type), type_name(b->type));
	if (!rc && (d->changed & MINT_FILE_MODE))
		rc = change(out, &first, "mode") ||
		     mint_buf_printf(out, "%04o -> %04o", (unsigned)a->mode, (unsigned)b->mode);
	if (!rc)
		rc = changed_owner(out, d, &first);
	if (!rc)
		rc = changed_content(out, d, &first);
	if (!rc && (d->changed & MINT_FILE_MTIME))
		rc = change(out, &first, "mtime") || time_text(out, a->mtime) ||
		     mint_buf_puts(out, " -> ") || time_text(out, b->mtime);
	if (!rc && (d->changed & MINT_FILE_XATTRS))
		rc = change(out, &first, "xattrs") || xattrs_text(out, a) ||
		     mint_buf_puts(out, " -> ") || xattrs_text(out, b);
	return rc;
}

static int file_line(struct mint_buf *out, const struct mint_image_difference *d)
{
	static const char *const verbs[] = {
		[MINT_DIFF_FILE_ADDED] = "added", [MINT_DIFF_FILE_REMOVED] = "removed",
		[MINT_DIFF_FILE_CHANGED] = "changed",
	};
	const struct mint_image_file *f = d->kind == MINT_DIFF_FILE_ADDED ? &d->new_file
									  : &d->old_file;
	int rc = mint_buf_printf(out, "%s ", verbs[d->kind]);
	if (!rc)
		rc = escaped(out, f->path ? f->path : "");
	if (!rc)
		rc = mint_buf_puts(out, ": ");
	if (!rc)
		rc = d->kind == MINT_DIFF_FILE_CHANGED ? changed_file(out, d) : describe(out, f);
	return rc;
}

static int field_line(struct mint_buf *out, const struct mint_image_difference *d)
{
	int rc = mint_buf_printf(out, "%s ", doc_name(d->doc));
	if (!rc)
		rc = json_text(out, d->field ? d->field : "");
	if (!rc)
		rc = mint_buf_puts(out, ": ");
	if (!rc)
		rc = json_text(out, d->old_json ? d->old_json : "(absent)");
	if (!rc)
		rc = mint_buf_puts(out, " -> ");
	if (!rc)
		rc = json_text(out, d->new_json ? d->new_json : "(absent)");
	return rc;
}

int mint_image_difference_format(const struct mint_image_difference *d, struct mint_buf *out)
{
	mint_buf_reset(out);
	int rc = 0;
	if (d->platform && *d->platform)
		rc = escaped(out, d->platform) || mint_buf_putc(out, ' ');
	if (rc)
		return MINT_ENOMEM;
	switch (d->kind) {
	case MINT_DIFF_FIELD:
		rc = field_line(out, d);
		break;
	case MINT_DIFF_PLATFORM:
		rc = mint_buf_printf(out, "platform only in the %s image",
				     d->in_second ? "second" : "first");
		break;
	case MINT_DIFF_FILE_ADDED:
	case MINT_DIFF_FILE_REMOVED:
	case MINT_DIFF_FILE_CHANGED:
		rc = file_line(out, d);
		break;
	}
	if (!rc && !out->data)
		rc = mint_buf_puts(out, "");
	return rc ? MINT_ENOMEM : 0;
}
