/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers the rootfs steps share: apko's MkdirAll over the plan, and the
 * file node behind a hardlink. Not a public interface.
 */
#ifndef MINT_ROOTFS_INTERNAL_H
#define MINT_ROOTFS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/image_plan.h"

/* mkdir -p as apko's in-memory filesystem does it: every missing component
 * becomes a directory with mode, 0:0 and mtime; existing components are
 * followed through symlinks and must be directories. "" and "/" are the
 * root. */
int rootfs_mkdir_all(struct mint_image_plan *p, const char *path, uint32_t mode, int64_t mtime,
		     struct mint_err *err);

/* The regular file a node stands for: itself, or a hardlink's target;
 * NULL for anything else. */
const struct mint_plan_node *rootfs_file_node(const struct mint_image_plan *p,
					      const struct mint_plan_node *n);

/* Writes a whole file as Go's WriteFile/Create do on apko's filesystem:
 * an existing regular file (through symlinks) gets the new content and
 * keeps its metadata (its mtime too when keep_mtime, else mtime; its mode
 * too unless force_mode); a new one is made with mode, 0:0 and mtime. A
 * directory or a symlink to nothing there is an error. */
int rootfs_write_file(struct mint_image_plan *p, const char *path, const void *data, size_t len,
		      uint32_t mode, bool force_mode, int64_t mtime, bool keep_mtime,
		      struct mint_err *err);

/* The directory part of a clean relative path ("" for a top-level name),
 * written into out. 0 or MINT_ENOMEM. */
int rootfs_parent(const char *path, struct mint_buf *out);

#endif
