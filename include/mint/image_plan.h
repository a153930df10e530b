/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The image plan: an in-memory file tree of the image's root. Packages are
 * added entry by entry (each node remembers the package that owns it and the
 * byte range of its content in that package's uncompressed data stream),
 * mint adds the files it generates (owned bytes), and a sorted depth-first
 * walk turns the tree into the entries of one OCI layer. Nothing is
 * extracted to disk.
 *
 * Rules (apk's, see docs in lib/image/plan.c):
 * - Parents a package entry needs but nobody declared are created
 *   implicitly: directories 0755, 0:0, mtime 0. The first package that
 *   declares such a directory sets its metadata; once a package declared a
 *   directory, later packages' metadata for it is ignored (the first wins).
 * - A non-directory path owned by another package is an error naming both
 *   packages, unless the new package replaces the owner's name or both
 *   share an origin (the new one wins), or the owner replaces the new
 *   package's name (the owner's file is kept).
 * - Paths are resolved inside the root: a symlink on the way is followed
 *   (absolute targets from the root), ".." above the root is the error
 *   "symlink escapes the root", at most max_symlink_hops links are followed.
 * - Explicit mutations (put_*, remove, chmod, chown) never create parents:
 *   "path mutation onto a missing parent".
 */
#ifndef MINT_IMAGE_PLAN_H
#define MINT_IMAGE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_package.h"
#include "mint/apk_pkg.h"
#include "mint/err.h"
#include "mint/oci_layer.h"
#include "mint/source.h"
#include "mint/tar.h"

#define MINT_PLAN_GENERATED SIZE_MAX /* owner of nodes mint generates */

enum mint_plan_content {
	MINT_PLAN_CONTENT_NONE,    /* not a regular file, or empty */
	MINT_PLAN_CONTENT_PACKAGE, /* pkg_index's data stream [data_offset, +size) */
	MINT_PLAN_CONTENT_OWNED,   /* data[0..size) owned by the plan */
};

struct mint_plan_node {
	char *path;               /* clean, relative, real (no symlink on the way); "" = root */
	const char *name;         /* last component, inside path */
	enum mint_tar_type type;
	uint32_t mode;            /* & 07777 */
	uint64_t uid, gid;
	char uname[33], gname[33];
	int64_t mtime;
	uint32_t devmajor, devminor;
	char *link_target;        /* symlink: as stored; hardlink: real path of the target */
	struct mint_xattr *xattrs; /* owned copies, sorted as the package had them */
	size_t n_xattrs;
	size_t owner;             /* package index, or MINT_PLAN_GENERATED */
	bool implicit;            /* a directory nobody declared (yet) */
	enum mint_plan_content content;
	uint64_t size;            /* content bytes */
	uint64_t data_offset;     /* CONTENT_PACKAGE */
	bool has_apk_sha1;
	unsigned char apk_sha1[20];
	unsigned char *data;      /* CONTENT_OWNED */

	/* The tree: children sorted by byte order of name. */
	struct mint_plan_node *parent;
	struct mint_plan_node **children;
	size_t n_children, cap_children;
};

struct mint_image_plan_limits {
	size_t max_nodes;            /* default 4,000,000 */
	unsigned max_symlink_hops;   /* default 40 */
};
void mint_image_plan_limits_default(struct mint_image_plan_limits *l);

struct mint_image_plan;

/* limits NULL: defaults. The plan starts with its root directory only
 * (0755, 0:0, mtime 0), which is never walked. */
int mint_image_plan_new(struct mint_image_plan **out, const struct mint_image_plan_limits *limits,
			struct mint_err *err);
void mint_image_plan_free(struct mint_image_plan *p);

/* Inserts every entry of pkg as package pkg_index (each index once). meta
 * gives name, origin and replaces; NULL means pkg->info. On error the plan
 * keeps the entries inserted before the failing one. */
int mint_image_plan_add_package(struct mint_image_plan *p, size_t pkg_index,
				const struct mint_apk_package *pkg,
				const struct mint_apk_pkg *meta, struct mint_err *err);
/* The name of package pkg_index, or NULL. */
const char *mint_image_plan_package_name(const struct mint_image_plan *p, size_t pkg_index);
/* One more than the highest package index added (0 for none): the range
 * to try package indexes in. */
size_t mint_image_plan_package_count(const struct mint_image_plan *p);
/* Whether package pkg_index lists name among its provides, compared with
 * the item as written ("merged-lib" does not match "merged-lib=1"), as
 * apko compares them. */
bool mint_image_plan_package_provides(const struct mint_image_plan *p, size_t pkg_index,
				      const char *name);

/* Generated content (owner MINT_PLAN_GENERATED). The parent must exist;
 * an existing non-directory is replaced, an existing directory is an error
 * except for put_dir, which then sets its metadata. */
int mint_image_plan_put_file(struct mint_image_plan *p, const char *path, const void *data,
			     size_t len, uint32_t mode, uint64_t uid, uint64_t gid, int64_t mtime,
			     struct mint_err *err);
int mint_image_plan_put_dir(struct mint_image_plan *p, const char *path, uint32_t mode,
			    uint64_t uid, uint64_t gid, int64_t mtime, struct mint_err *err);
int mint_image_plan_put_symlink(struct mint_image_plan *p, const char *path, const char *target,
				uint32_t mode, uint64_t uid, uint64_t gid, int64_t mtime,
				struct mint_err *err);
/* target must be an existing regular file (symlinks on its way followed). */
int mint_image_plan_put_hardlink(struct mint_image_plan *p, const char *path, const char *target,
				 struct mint_err *err);
/* type MINT_TAR_CHAR, MINT_TAR_BLOCKDEV or MINT_TAR_FIFO. */
int mint_image_plan_put_device(struct mint_image_plan *p, const char *path,
			       enum mint_tar_type type, uint32_t major, uint32_t minor,
			       uint32_t mode, uint64_t uid, uint64_t gid, int64_t mtime,
			       struct mint_err *err);
/* Removes path (a directory with everything under it); a final symlink is
 * removed itself, not followed. MINT_ENOTFOUND when absent. */
int mint_image_plan_remove(struct mint_image_plan *p, const char *path, struct mint_err *err);
/* Change the node path names, following a final symlink. */
int mint_image_plan_chmod(struct mint_image_plan *p, const char *path, uint32_t mode,
			  struct mint_err *err);
int mint_image_plan_chown(struct mint_image_plan *p, const char *path, uint64_t uid,
			  uint64_t gid, struct mint_err *err);

/* The node at path (symlinks on the way followed, the last one not), or NULL. */
const struct mint_plan_node *mint_image_plan_lookup(const struct mint_image_plan *p,
						    const char *path);
size_t mint_image_plan_count(const struct mint_image_plan *p); /* nodes, root excluded */
/* The node at path with every symlink followed, the last one too (a
 * hardlink node is returned as it is). MINT_ENOTFOUND when absent, a
 * dangling symlink included; MINT_EUNSAFE or MINT_ELIMIT as for lookup. */
int mint_image_plan_resolve(const struct mint_image_plan *p, const char *path,
			    const struct mint_plan_node **out, struct mint_err *err);
/* Replaces the content of the regular file at path (symlinks followed, the
 * last one too; through a hardlink its target file changes), keeping its
 * type, mode, owner, xattrs and package; mtime becomes mtime. The package's
 * checksum no longer describes the bytes and is dropped. MINT_EINVAL when
 * path is not a regular file. */
int mint_image_plan_set_content(struct mint_image_plan *p, const char *path, const void *data,
				size_t len, int64_t mtime, struct mint_err *err);
/* Calls fn for every node but the root, in walk order, to fill in its
 * uname and gname (32 bytes and a NUL at most; fn sees the old names). */
typedef void (*mint_plan_names_fn)(void *ctx, const struct mint_plan_node *node,
				   char uname[33], char gname[33]);
void mint_image_plan_set_names(struct mint_image_plan *p, mint_plan_names_fn fn, void *ctx);

/* Sorted depth-first walk without the root: a directory before its
 * children, children by byte order of name. A non-zero return of visit
 * stops the walk and is returned. */
typedef int (*mint_plan_visit_fn)(void *ctx, const struct mint_plan_node *node,
				  struct mint_err *err);
int mint_image_plan_walk(const struct mint_image_plan *p, mint_plan_visit_fn visit, void *ctx,
			 struct mint_err *err);

/* Supplies the content of CONTENT_PACKAGE nodes: open gives a source of
 * exactly node->size bytes (package node->owner, from node->data_offset);
 * close (may be NULL) is called after each successful open. */
struct mint_plan_content_reader {
	int (*open)(void *ctx, const struct mint_plan_node *node, struct mint_source *src,
		    struct mint_err *err);
	void (*close)(void *ctx, const struct mint_plan_node *node);
	void *ctx;
};

/* Writes every node, in walk order, into layer l. A hardlink whose target
 * comes later in the walk is written as the file, and the target as a
 * hardlink to it (the same inode either way). */
int mint_image_plan_write_layer(const struct mint_image_plan *p, struct mint_oci_layer *l,
				const struct mint_plan_content_reader *reader,
				struct mint_err *err);

#endif
