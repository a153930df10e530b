/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image tars for `docker load`: one tar that is at once an OCI image layout
 * and a docker-archive, the way `docker save` writes them since Docker 25:
 *
 *   oci-layout, index.json, manifest.json, blobs/, blobs/sha256/,
 *   blobs/sha256/<hex> for the image index, then per platform (index order)
 *   its manifest, config and layers, each blob once.
 *
 * index.json holds one descriptor, the image index, annotated with
 * org.opencontainers.image.ref.name = the tag. manifest.json lists one item
 * per platform: {"Config","RepoTags","Layers"} with paths into blobs/. With
 * one platform RepoTags is [repo_tag]; with several, each platform gets
 * "<repo>:<tag>-<suffix>" (mint_oci_archive_platform_tag), as apko names
 * them, but without apko's collisions between arm variants.
 *
 * Bytes depend only on the layout: fixed entry order, mode 0644 (dirs
 * 0755), uid/gid 0, mtime 0, empty owner names, no padding after the two
 * end blocks. Every blob is hashed again while it is copied; a mismatch
 * fails the write. The tar goes to a temporary file renamed into place.
 *
 * This file does not build images; it packs a finished layout.
 */
#ifndef MINT_OCI_ARCHIVE_H
#define MINT_OCI_ARCHIVE_H

#include <stddef.h>

#include "mint/buf.h"
#include "mint/err.h"

/* The longest tag Docker accepts. */
#define MINT_OCI_TAG_MAX 128

/* layout_dir: a layout directory (or anything mint_oci_image_open reads
 * that has an image index). repo_tag: "repo[:tag]", tag "latest" when
 * absent; "repo@digest" is MINT_EINVAL, as are names Docker would refuse. */
int mint_oci_archive_write(const char *layout_dir, const char *repo_tag, const char *out_path,
			   struct mint_err *err);

/* The RepoTag of one platform of a multi-platform archive into out
 * (replacing its contents): "<repo>:<tag>-<suffix>", where the suffix is the
 * architecture, then "-<variant>" when the platform has one, with "<os>-" in
 * front when the os is not linux: linux/amd64 -> amd64, linux/arm/v7 ->
 * arm-v7, windows/amd64 -> windows-amd64. platform as in
 * struct mint_oci_image_ref. */
int mint_oci_archive_platform_tag(const char *repo_tag, const char *platform,
				  struct mint_buf *out, struct mint_err *err);

#endif
