/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading whole files out of the image plan, and the helpers the other
 * rootfs steps share (mkdir -p, the file behind a hardlink). Package
 * content comes through the caller's content reader; nothing is cached.
 */
#include "mint/image_rootfs.h"

#include <string.h>

#include "mint/path.h"
#include "rootfs_internal.h"

const struct mint_plan_node *rootfs_file_node(const struct mint_image_plan *p,
					      const struct mint_plan_node *n)
{
	if (n && n->type == MINT_TAR_HARDLINK)
		n = mint_image_plan_lookup(p, n->link_target);
	return n && n->type == MINT_TAR_REG ? n : NULL;
}

int rootfs_parent(const char *path, struct mint_buf *out)
{
	const char *slash = strrchr(path, '/');
	mint_buf_reset(out);
	if (slash && mint_buf_append(out, path, (size_t)(slash - path)))
		return MINT_ENOMEM;
	return mint_buf_cstr(out) ? 0 : MINT_ENOMEM;
}

int rootfs_write_file(struct mint_image_plan *p, const char *path, const void *data, size_t len,
		      uint32_t mode, bool force_mode, int64_t mtime, bool keep_mtime,
		      struct mint_err *err)
{
	const struct mint_plan_node *n, *f;
	int rc = mint_image_plan_resolve(p, path, &n, err);
	if (rc == MINT_ENOTFOUND) {
		mint_err_clear(err);
		if (mint_image_plan_lookup(p, path))
			return mint_err_set(err, MINT_ENOTFOUND, "%s: a symlink to nothing", path);
		return mint_image_plan_put_file(p, path, data, len, mode, 0, 0, mtime, err);
	}
	if (rc)
		return rc;
	f = rootfs_file_node(p, n);
	if (!f)
		return mint_err_set(err, MINT_EINVAL, "%s: is a %s, not a file", path,
				    n->type == MINT_TAR_DIR ? "directory" : "special file");
	rc = mint_image_plan_set_content(p, path, data, len, keep_mtime ? f->mtime : mtime, err);
	if (!rc && force_mode)
		rc = mint_image_plan_chmod(p, f->path, mode, err);
	return rc;
}

static int mkdir_step(struct mint_image_plan *p, const char *prefix, uint32_t mode,
		      int64_t mtime, struct mint_err *err)
{
	const struct mint_plan_node *n = mint_image_plan_lookup(p, prefix);
	if (!n)
		return mint_image_plan_put_dir(p, prefix, mode, 0, 0, mtime, err);
	if (n->type == MINT_TAR_SYMLINK) {
		int rc = mint_image_plan_resolve(p, prefix, &n, err);
		if (rc == MINT_ENOTFOUND)
			return mint_err_set(err, MINT_ENOTFOUND, "%s: a symlink to nothing",
					    prefix);
		if (rc)
			return rc;
	}
	if (n->type != MINT_TAR_DIR)
		return mint_err_set(err, MINT_EINVAL, "%s: not a directory", prefix);
	return 0;
}

int rootfs_mkdir_all(struct mint_image_plan *p, const char *path, uint32_t mode, int64_t mtime,
		     struct mint_err *err)
{
	struct mint_buf clean = MINT_BUF_INIT;
	int rc = mint_path_clean(mint_span_str(path), true, &clean, err);
	if (!rc && !mint_buf_cstr(&clean))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < clean.len; i++) {
		if (clean.data[i + 1] != '/' && clean.data[i + 1] != '\0')
			continue;
		char keep = clean.data[i + 1];
		clean.data[i + 1] = '\0';
		rc = mkdir_step(p, clean.data, mode, mtime, err);
		clean.data[i + 1] = keep;
	}
	mint_buf_free(&clean);
	return rc;
}

static int read_package(const struct mint_plan_node *f,
			const struct mint_plan_content_reader *reader, struct mint_buf *out,
			struct mint_err *err)
{
	struct mint_source src;
	if (!reader || !reader->open)
		return mint_err_set(err, MINT_EINVAL, "%s: package content but no content reader",
				    f->path);
	char *dst = mint_buf_grow(out, (size_t)f->size);
	if (!dst)
		return mint_err_set(err, MINT_ENOMEM, "%s: out of memory", f->path);
	int rc = reader->open(reader->ctx, f, &src, err);
	if (rc)
		return rc;
	rc = mint_source_read_full(src, dst, (size_t)f->size, err);
	if (reader->close)
		reader->close(reader->ctx, f);
	if (rc)
		mint_err_prefix(err, "%s", f->path);
	return rc;
}

int mint_image_plan_read_file(const struct mint_image_plan *p, const char *path,
			      const struct mint_plan_content_reader *reader, size_t max,
			      struct mint_buf *out, struct mint_err *err)
{
	const struct mint_plan_node *n;
	mint_buf_reset(out);
	if (!p || !path || !out)
		return mint_err_set(err, MINT_EINVAL, "read file: no plan, path or buffer");
	int rc = mint_image_plan_resolve(p, path, &n, err);
	if (rc == MINT_ENOTFOUND)
		return mint_err_set(err, rc, "%s: no such file in the image", path);
	if (rc)
		return rc;
	const struct mint_plan_node *f = rootfs_file_node(p, n);
	if (!f)
		return mint_err_set(err, MINT_EINVAL, "%s: not a regular file", path);
	if (f->size > max)
		return mint_err_set(err, MINT_ELIMIT, "%s: %llu bytes, more than the %zu allowed",
				    path, (unsigned long long)f->size, max);
	if (f->content == MINT_PLAN_CONTENT_OWNED)
		rc = mint_buf_append(out, f->data, (size_t)f->size) ? MINT_ENOMEM : 0;
	else if (f->content == MINT_PLAN_CONTENT_PACKAGE)
		rc = read_package(f, reader, out, err);
	if (rc == MINT_ENOMEM)
		mint_err_set(err, rc, "%s: out of memory", path);
	if (!rc && !mint_buf_cstr(out))
		rc = mint_err_set(err, MINT_ENOMEM, "%s: out of memory", path);
	if (rc)
		mint_buf_reset(out);
	return rc;
}
