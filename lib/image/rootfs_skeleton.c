/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apk's database skeleton as apko's InitDB makes it (directories and the db
 * lock), and apko's resolveApkDB, which points lib/apk at usr/lib/apk.
 *
 * apko makes the skeleton before installing any package and mint after, so
 * the order is emulated: a directory missing or only implicit in the plan
 * gets the skeleton's metadata; a directory a package declared keeps the
 * package's mtime and xattrs (apko's Chtimes on an existing directory) but
 * gets the skeleton's mode and 0:0 (apko's MkdirAll leaves the existing
 * directory's mode alone). resolveApkDB runs after the packages in apko
 * too, so it is followed as written.
 */
#include "mint/image_rootfs.h"

#include <string.h>

#include "rootfs_internal.h"

struct skel_dir {
	const char *path;
	uint32_t mode;
};

static const struct skel_dir skeleton_dirs[] = {
	{ "tmp", 01777 },       { "dev", 0755 },         { "etc", 0755 },
	{ "opt", 0755 },        { "proc", 0555 },        { "var", 0755 },
	{ "usr", 0755 },        { "etc/apk", 0755 },     { "etc/apk/keys", 0755 },
	{ "usr/lib", 0755 },    { "usr/lib/apk", 0755 }, { "usr/lib/apk/db", 0755 },
	{ "usr/lib/apk/exec", 0755 }, { "var/cache", 0755 }, { "var/cache/apk", 0755 },
	{ "var/cache/misc", 0755 },
};

static int skeleton_dir(struct mint_image_plan *p, const struct skel_dir *d,
			struct mint_err *err)
{
	const struct mint_plan_node *n = mint_image_plan_lookup(p, d->path);
	if (!n || (n->type == MINT_TAR_DIR && n->implicit))
		return mint_image_plan_put_dir(p, d->path, d->mode, 0, 0, 0, err);
	if (n->type == MINT_TAR_SYMLINK) {
		const struct mint_plan_node *t;
		int rc = mint_image_plan_resolve(p, d->path, &t, err);
		if (rc || t->type != MINT_TAR_DIR)
			return mint_err_set(err, rc ? rc : MINT_EINVAL,
					    "skeleton: %s is a symlink to no directory", d->path);
		return 0;
	}
	if (n->type != MINT_TAR_DIR)
		return mint_err_set(err, MINT_EINVAL,
				    "skeleton: %s must be a directory, the packages made it "
				    "something else", d->path);
	int rc = mint_image_plan_chmod(p, d->path, d->mode, err);
	return rc ? rc : mint_image_plan_chown(p, d->path, 0, 0, err);
}

static bool points_at(const struct mint_plan_node *n, const char *where)
{
	if (!n || n->type != MINT_TAR_SYMLINK)
		return false;
	/* path.Clean("/" + target) == where, for the forms that occur */
	const char *t = n->link_target;
	while (*t == '/' || (t[0] == '.' && t[1] == '.' && (t[2] == '/' || !t[2])) ||
	       (t[0] == '.' && (t[1] == '/' || !t[1])))
		t += t[0] == '/' ? 1 : (t[1] == '.' ? 2 : 1);
	size_t len = strlen(t);
	while (len && t[len - 1] == '/')
		len--;
	return len == strlen(where) && memcmp(t, where, len) == 0;
}

static bool provides_merged_lib(const struct mint_image_plan *p)
{
	for (size_t i = 0; i < mint_image_plan_package_count(p); i++) {
		if (mint_image_plan_package_provides(p, i, "merged-lib"))
			return true;
	}
	return false;
}

/* lib/apk is an empty directory tree apk-tools made: it may be replaced. */
static int clear_lib_apk(struct mint_image_plan *p, const struct mint_plan_node *d,
			 struct mint_err *err)
{
	struct mint_buf path = MINT_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < d->n_children; i++) {
		const struct mint_plan_node *c = d->children[i];
		if (c->type != MINT_TAR_DIR)
			return mint_err_set(err, MINT_EINVAL,
					    "/lib/apk contains file %s, refusing to replace",
					    c->name);
		if (c->n_children)
			return mint_err_set(err, MINT_EINVAL,
					    "/lib/apk/%s is not empty, refusing to replace",
					    c->name);
	}
	while (!rc && d->n_children) {
		mint_buf_reset(&path);
		if (mint_buf_printf(&path, "lib/apk/%s", d->children[0]->name))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		else
			rc = mint_image_plan_remove(p, path.data, err);
	}
	mint_buf_free(&path);
	return rc ? rc : mint_image_plan_remove(p, "lib/apk", err);
}

static int resolve_apk_db(struct mint_image_plan *p, struct mint_err *err)
{
	const struct mint_plan_node *lib = mint_image_plan_lookup(p, "lib"), *d;
	if (points_at(lib, "usr/lib") || points_at(mint_image_plan_lookup(p, "lib/apk"),
						   "usr/lib/apk"))
		return 0;
	int rc = mint_image_plan_resolve(p, "lib", &d, err);
	if (rc == MINT_ENOTFOUND) {
		mint_err_clear(err);
		if (provides_merged_lib(p) && lib)
			return 0;
		if (provides_merged_lib(p))
			return mint_image_plan_put_symlink(p, "lib", "usr/lib", 0777, 0, 0, 0, err);
		if (lib)
			return mint_err_set(err, MINT_EINVAL,
					    "creating lib: a symlink to nothing is there");
		rc = mint_image_plan_put_dir(p, "lib", 0755, 0, 0, 0, err);
		if (!rc)
			rc = mint_image_plan_resolve(p, "lib", &d, err);
	}
	if (rc)
		return rc;
	if (d->type != MINT_TAR_DIR)
		return mint_err_set(err, MINT_EINVAL,
				    "creating lib/apk symlink: lib is not a directory");
	const struct mint_plan_node *apk;
	if (!mint_image_plan_resolve(p, "lib/apk", &apk, NULL) && apk->type == MINT_TAR_DIR &&
	    (rc = clear_lib_apk(p, apk, err)))
		return rc;
	if (mint_image_plan_lookup(p, "lib/apk"))
		return mint_err_set(err, MINT_EDUPLICATE,
				    "creating lib/apk symlink: something is there already");
	return mint_image_plan_put_symlink(p, "lib/apk", "../usr/lib/apk", 0777, 0, 0, d->mtime,
					   err);
}

int mint_image_rootfs_skeleton(struct mint_image_plan *p, struct mint_err *err)
{
	if (!p)
		return mint_err_set(err, MINT_EINVAL, "skeleton: no plan");
	for (size_t i = 0; i < sizeof(skeleton_dirs) / sizeof(skeleton_dirs[0]); i++) {
		int rc = skeleton_dir(p, &skeleton_dirs[i], err);
		if (rc)
			return rc;
	}
	const struct mint_plan_node *lock;
	int rc = mint_image_plan_resolve(p, "usr/lib/apk/db/lock", &lock, NULL);
	if (rc == MINT_ENOTFOUND && !mint_image_plan_lookup(p, "usr/lib/apk/db/lock"))
		rc = mint_image_plan_put_file(p, "usr/lib/apk/db/lock", NULL, 0, 0600, 0, 0, 0,
					      err);
	else
		rc = 0;
	return rc ? rc : resolve_apk_db(p, err);
}
