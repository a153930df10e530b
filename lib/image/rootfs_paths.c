/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The configuration's `paths`, applied as apko's mutatePaths applies them
 * to its in-memory filesystem. That filesystem follows symlinks in every
 * lookup, the last component too, so chmod and chown after a symlink
 * mutation change the link's target (and fail when it dangles), and a
 * hardlink shares one inode with its target: a mode set through either is
 * the mode of both, which mint keeps by copying it to every hardlink of a
 * file it changed.
 */
#include "mint/image_rootfs.h"

#include <stdlib.h>
#include <string.h>

#include "mint/hashmap.h"
#include "mint/path.h"
#include "rootfs_internal.h"

struct paths_run {
	struct mint_image_plan *p;
	const struct mint_image_path *m;
	struct mint_hashmap touched; /* real paths of files whose mode/owner changed */
};

static const char *type_word(enum mint_image_path_type t)
{
	switch (t) {
	case MINT_IMAGE_PATH_DIRECTORY: return "directory";
	case MINT_IMAGE_PATH_EMPTY_FILE: return "empty-file";
	case MINT_IMAGE_PATH_HARDLINK: return "hardlink";
	case MINT_IMAGE_PATH_SYMLINK: return "symlink";
	case MINT_IMAGE_PATH_PERMISSIONS: return "permissions";
	}
	return "unknown";
}

static int touch(struct paths_run *r, const char *file, struct mint_err *err)
{
	if (mint_hashmap_get(&r->touched, mint_span_str(file), NULL))
		return 0;
	char *key = strdup(file);
	if (!key || mint_hashmap_put(&r->touched, mint_span_str(key), key)) {
		free(key);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	return 0;
}

/* chmod, then chown when the entry sets an owner, through every symlink. */
static int set_mode_owner(struct paths_run *r, const char *path, struct mint_err *err)
{
	const struct mint_plan_node *n;
	int rc = mint_image_plan_resolve(r->p, path, &n, err);
	if (rc == MINT_ENOTFOUND)
		return mint_err_set(err, rc, "%s: no such path (or a symlink to nothing)", path);
	if (rc)
		return rc;
	const struct mint_plan_node *f = rootfs_file_node(r->p, n);
	const char *real = f ? f->path : n->path;
	if (f && (rc = touch(r, f->path, err)))
		return rc;
	if (!real[0])
		return 0; /* the root: never an entry of the layer */
	rc = mint_image_plan_chmod(r->p, real, r->m->permissions, err);
	if (!rc && (r->m->has_uid || r->m->has_gid))
		rc = mint_image_plan_chown(r->p, real, r->m->has_uid ? r->m->uid : 0,
					   r->m->has_gid ? r->m->gid : 0, err);
	return rc;
}

/* The paths of n and everything below it, NUL-separated, in walk order. */
static int collect(struct mint_buf *list, const struct mint_plan_node *n, struct mint_err *err)
{
	if (mint_buf_append(list, n->path, strlen(n->path) + 1))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; n->type == MINT_TAR_DIR && i < n->n_children; i++) {
		int rc = collect(list, n->children[i], err);
		if (rc)
			return rc;
	}
	return 0;
}

/* Everything under dir (itself included), as apko's WalkDir visits it:
 * into dir through a symlink, but not into symlinks below it. */
static int apply_recursive(struct paths_run *r, const char *path, struct mint_err *err)
{
	const struct mint_plan_node *d;
	struct mint_buf list = MINT_BUF_INIT;
	int rc = mint_image_plan_resolve(r->p, path, &d, err);
	if (rc)
		return rc;
	rc = set_mode_owner(r, path, err);
	if (!rc && d->type == MINT_TAR_DIR) {
		for (size_t i = 0; !rc && i < d->n_children; i++)
			rc = collect(&list, d->children[i], err);
	}
	for (size_t at = 0; !rc && at < list.len; at += strlen(list.data + at) + 1)
		rc = set_mode_owner(r, list.data + at, err);
	mint_buf_free(&list);
	return rc;
}

static int ensure_parent(struct paths_run *r, const char *path, struct mint_buf *parent,
			 struct mint_err *err)
{
	if (rootfs_parent(path, parent))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return rootfs_mkdir_all(r->p, parent->data, 0755, 0, err);
}

/* Create(): an existing file is truncated (through a final symlink), a new
 * one is 0666 until the chmod that follows. */
static int empty_file(struct paths_run *r, const char *path, struct mint_err *err)
{
	const struct mint_plan_node *n = mint_image_plan_lookup(r->p, path), *t;
	if (n && n->type == MINT_TAR_SYMLINK) {
		int rc = mint_image_plan_resolve(r->p, path, &t, err);
		if (rc == MINT_ENOTFOUND)
			return mint_err_set(err, rc, "%s: a symlink to nothing", path);
		if (rc)
			return rc;
		n = t;
	}
	if (n && n->type == MINT_TAR_DIR)
		return mint_err_set(err, MINT_EINVAL, "%s: is a directory", path);
	const struct mint_plan_node *f = n ? rootfs_file_node(r->p, n) : NULL;
	if (f)
		return mint_image_plan_set_content(r->p, path, NULL, 0, f->mtime, err);
	if (n)
		return 0; /* a device or fifo: apko's Create leaves it as it is */
	return mint_image_plan_put_file(r->p, path, NULL, 0, 0666, 0, 0, 0, err);
}

static int hardlink(struct paths_run *r, const char *path, struct mint_err *err)
{
	const struct mint_plan_node *n;
	if (!r->m->source)
		return mint_err_set(err, MINT_EINVAL, "no source to link to");
	if (!mint_image_plan_resolve(r->p, path, &n, NULL)) {
		int rc = mint_image_plan_remove(r->p, path, err);
		if (rc)
			return rc;
	} else if (mint_image_plan_lookup(r->p, path)) {
		return mint_err_set(err, MINT_EDUPLICATE,
				    "%s: already exists (a symlink to nothing)", path);
	}
	return mint_image_plan_put_hardlink(r->p, path, r->m->source, err);
}

static int make_symlink(struct paths_run *r, const char *path, const char *parent,
		   struct mint_err *err)
{
	const struct mint_plan_node *dir;
	if (!r->m->source || !r->m->source[0])
		return mint_err_set(err, MINT_EINVAL, "no source to link to");
	if (mint_image_plan_lookup(r->p, path))
		return mint_err_set(err, MINT_EDUPLICATE, "%s: already exists", path);
	int rc = mint_image_plan_resolve(r->p, parent, &dir, err);
	if (rc)
		return rc;
	return mint_image_plan_put_symlink(r->p, path, r->m->source, 0777, 0, 0, dir->mtime, err);
}

static int apply_one(struct paths_run *r, const char *path, struct mint_err *err)
{
	struct mint_buf parent = MINT_BUF_INIT;
	int rc = 0;
	switch (r->m->type) {
	case MINT_IMAGE_PATH_DIRECTORY:
		rc = rootfs_mkdir_all(r->p, path, r->m->permissions, 0, err);
		if (!rc && r->m->recursive)
			rc = apply_recursive(r, path, err);
		break;
	case MINT_IMAGE_PATH_EMPTY_FILE:
		rc = ensure_parent(r, path, &parent, err);
		if (!rc)
			rc = empty_file(r, path, err);
		break;
	case MINT_IMAGE_PATH_HARDLINK:
		rc = ensure_parent(r, path, &parent, err);
		if (!rc)
			rc = hardlink(r, path, err);
		break;
	case MINT_IMAGE_PATH_SYMLINK:
		rc = ensure_parent(r, path, &parent, err);
		if (!rc)
			rc = make_symlink(r, path, parent.data, err);
		break;
	case MINT_IMAGE_PATH_PERMISSIONS:
		rc = r->m->recursive ? apply_recursive(r, path, err) : set_mode_owner(r, path, err);
		break;
	default:
		rc = mint_err_set(err, MINT_EINVAL, "unsupported path mutation type");
	}
	if (!rc && r->m->type != MINT_IMAGE_PATH_PERMISSIONS)
		rc = set_mode_owner(r, path, err);
	mint_buf_free(&parent);
	return rc;
}

/* A hardlink shows its file's mode and owner, as the shared inode does. */
static void sync_hardlinks(struct paths_run *r, const struct mint_plan_node *dir)
{
	for (size_t i = 0; i < dir->n_children; i++) {
		const struct mint_plan_node *c = dir->children[i], *f;
		if (c->type == MINT_TAR_DIR) {
			sync_hardlinks(r, c);
			continue;
		}
		if (c->type != MINT_TAR_HARDLINK ||
		    !mint_hashmap_get(&r->touched, mint_span_str(c->link_target), NULL))
			continue;
		f = rootfs_file_node(r->p, c);
		if (!f)
			continue;
		mint_image_plan_chmod(r->p, c->path, f->mode, NULL);
		mint_image_plan_chown(r->p, c->path, f->uid, f->gid, NULL);
	}
}

static void free_touched(struct mint_hashmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].value);
	mint_hashmap_free(m);
}

int mint_image_rootfs_paths(struct mint_image_plan *p, const struct mint_image_path *paths,
			    size_t n, struct mint_err *err)
{
	struct paths_run r = { p, NULL, MINT_HASHMAP_INIT };
	struct mint_buf clean = MINT_BUF_INIT;
	int rc = 0;
	if (!p || (n && !paths))
		return mint_err_set(err, MINT_EINVAL, "paths: no plan or entries");
	for (size_t i = 0; !rc && i < n; i++) {
		r.m = &paths[i];
		rc = r.m->path ? mint_path_clean(mint_span_str(r.m->path), true, &clean, err)
			       : mint_err_set(err, MINT_EINVAL, "no path");
		if (!rc && !mint_buf_cstr(&clean))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		if (!rc)
			rc = apply_one(&r, clean.data, err);
		if (rc)
			mint_err_prefix(err, "paths[%zu] (%s %s)", i, type_word(r.m->type),
					r.m->path ? r.m->path : "");
	}
	if (r.touched.n) {
		const struct mint_plan_node *root = mint_image_plan_lookup(p, "");
		sync_hardlinks(&r, root);
	}
	free_touched(&r.touched);
	mint_buf_free(&clean);
	return rc;
}
