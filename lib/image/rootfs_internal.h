/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers the rootfs steps share: apko's MkdirAll over the plan, and the
 * file node behind a hardlink. Not a public interface.
 */
#ifndef MINT_ROOTFS_INTERNAL_H
#define MINT_ROOTFS_INTERNAL_H

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

/* The directory part of a clean relative path ("" for a top-level name),
 * written into out. 0 or MINT_ENOMEM. */
int rootfs_parent(const char *path, struct mint_buf *out);

#endif
