/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Auditing built images: what differs between two images, and whether an
 * image rebuilds from the locked config it carries to the same digest.
 *
 *   image_tree.c   a layer stack as a map path -> (type, mode, owner,
 *                  size, sha256 of the content, link, mtime, ...)
 *   json_diff.c    two JSON documents compared field by field
 *   image_diff.c   two images compared platform by platform: the image
 *                  index, each config and manifest, then the file trees
 *   diff_format.c  one difference as one line of text
 *   rebuild.c      etc/apko.json of each platform -> packages -> build ->
 *                  compare
 *
 * Both images are untrusted: every document and layer is read through the
 * image reader (mint/oci_image.h), which checks digests, and the trees are
 * bounded (mint_image_diff_limits). Nothing is extracted to disk.
 */
#ifndef MINT_AUDIT_H
#define MINT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/arena.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/image_build.h"
#include "mint/oci.h"
#include "mint/oci_image.h"
#include "mint/tar.h"

/* ---- the diff (image_diff.c) ---- */

/* One entry of a file tree. */
struct mint_image_file {
	const char *path;            /* clean and relative: "usr/bin/x" */
	enum mint_tar_type type;
	uint32_t mode;               /* & 07777 */
	uint64_t uid, gid;
	const char *uname, *gname;   /* "" when the tar had none */
	uint64_t size;               /* content bytes of a regular file, else 0 */
	unsigned char sha256[32];    /* of the content of a regular file */
	const char *link_target;     /* hardlinks and symlinks, else NULL */
	int64_t mtime;
	uint32_t devmajor, devminor; /* character and block devices */
	bool has_xattrs;
	unsigned char xattrs_sha256[32]; /* over the sorted names and values */
};

/* Which attributes of a file changed (mint_image_difference.changed). */
enum {
	MINT_FILE_TYPE = 1u << 0,
	MINT_FILE_MODE = 1u << 1,
	MINT_FILE_UID = 1u << 2,
	MINT_FILE_GID = 1u << 3,
	MINT_FILE_UNAME = 1u << 4,
	MINT_FILE_GNAME = 1u << 5,
	MINT_FILE_SIZE = 1u << 6,
	MINT_FILE_CONTENT = 1u << 7,
	MINT_FILE_LINK = 1u << 8,
	MINT_FILE_MTIME = 1u << 9,
	MINT_FILE_DEVICE = 1u << 10,
	MINT_FILE_XATTRS = 1u << 11,
};

enum mint_diff_kind {
	MINT_DIFF_FIELD,         /* a field of a JSON document */
	MINT_DIFF_PLATFORM,      /* a platform only one image has */
	MINT_DIFF_FILE_ADDED,    /* only in the second image */
	MINT_DIFF_FILE_REMOVED,  /* only in the first image */
	MINT_DIFF_FILE_CHANGED,
};

enum mint_diff_doc {
	MINT_DIFF_DOC_INDEX,     /* the image index (platform ""), or a platform's
				  * descriptor in it (path "descriptor...") */
	MINT_DIFF_DOC_MANIFEST,
	MINT_DIFF_DOC_CONFIG,
};

struct mint_image_difference {
	enum mint_diff_kind kind;
	const char *platform;    /* "linux/amd64"; "" for the image index */
	/* MINT_DIFF_FIELD: which document and the field as a path:
	 * "config.Env", "created", "rootfs.diff_ids[0]",
	 * "config.Labels[\"org.opencontainers.image.created\"]". The path
	 * "digest" means the document's bytes differ where no field does.
	 * old_json/new_json: the values as compact JSON, NULL where absent. */
	enum mint_diff_doc doc;
	const char *field;
	const char *old_json, *new_json;
	/* MINT_DIFF_PLATFORM: true when only the second image has it. */
	bool in_second;
	/* Files: REMOVED has old_file, ADDED new_file, CHANGED both and the
	 * MINT_FILE_* bits that differ. */
	struct mint_image_file old_file, new_file;
	unsigned changed;
};

/* In order: the index's fields, then per platform (sorted) its descriptor
 * in the index, its config's and its manifest's fields (each sorted by
 * path), then its files (sorted by path). All strings live in arena. */
struct mint_image_diff {
	struct mint_image_difference *v;
	size_t n;
	struct mint_arena arena;
};

struct mint_image_diff_limits {
	size_t max_entries;      /* files in one platform's tree; 0: 1 << 20 */
	size_t max_tree_bytes;   /* paths, link targets, owner names; 0: 256 MiB */
	size_t max_differences;  /* 0: 1 << 20 */
};

/* Compares a (the first, "old") with b (the second, "new"). Two images
 * with the same index digest are identical without reading more. Platforms
 * are paired by their "os/arch[/variant]" text. Layers are read only when
 * the diff_ids differ; a platform's layers are overlaid by path (a later
 * layer's entry replaces an earlier one; whiteout files are compared as the
 * entries they are). A document or file tree that cannot be read is an
 * error naming the image, platform and document. out is empty on error. */
int mint_image_diff(struct mint_oci_image *a, struct mint_oci_image *b,
		    const struct mint_image_diff_limits *limits, struct mint_image_diff *out,
		    struct mint_err *err);
void mint_image_diff_free(struct mint_image_diff *d);

/* One line (no newline) into out, replacing its contents:
 *   index annotations["k"]: "a" -> "b"
 *   linux/amd64 config created: "2023-11-14T22:13:20Z" -> "2024-01-01T00:00:00Z"
 *   linux/arm64 platform only in the first image
 *   linux/amd64 added usr/bin/x: file 0755 0:0 12 bytes sha256:<hex> mtime <time>
 *   linux/amd64 changed etc/passwd: mode 0644 -> 0600, size 10 -> 12, ...
 * Bytes of paths and names below 0x20, 0x7f and backslash are written as
 * \xHH. 0 or MINT_ENOMEM. */
int mint_image_difference_format(const struct mint_image_difference *d, struct mint_buf *out);

/* ---- rebuild (rebuild.c) ---- */

/* What a rebuild could not take from etc/apko.json and how it coped. */
enum {
	/* vcs-url rebuilt from the source and revision labels (apko's locked
	 * config drops vcs-url; the labels are what it made). */
	MINT_REBUILD_VCS_FROM_LABELS = 1u << 0,
	/* The build date taken from a CA bundle's .sha256 sidecar, older than
	 * the created time (a build without SOURCE_DATE_EPOCH). */
	MINT_REBUILD_DATE_FROM_SIDECAR = 1u << 1,
	/* The original has certificates that `certificates:` added; the
	 * locked config drops that field, so they cannot be rebuilt. */
	MINT_REBUILD_CERTIFICATES = 1u << 2,
};

struct mint_image_rebuild_opts {
	struct mint_image_source_opts source; /* cache and repository flags */
	const char *output_dir; /* keep the rebuilt layout here; NULL: a temporary
				 * directory, removed at the end */
	const char *tmpdir;     /* NULL: $TMPDIR or /tmp */
	unsigned threads;       /* compression threads per layer; 0: online CPUs */
	struct mint_image_diff_limits limits;
};

struct mint_image_rebuild_result {
	bool match;                              /* the index digests are equal */
	char original[MINT_OCI_DIGEST_MAX];      /* "" when the image has no index */
	char rebuilt[MINT_OCI_DIGEST_MAX];
	struct mint_image_diff diff;             /* empty on a match */
	unsigned notes;                          /* MINT_REBUILD_* */
	char *explanation;                       /* why packages did not resolve */
};

/* For each platform of img: reads its etc/apko.json (the locked config)
 * and config's created time, resolves the pinned packages through the
 * cache (keyring and local repositories named in the locked config are
 * read relative to the current directory, as the build read them), builds
 * it, then the index over all platforms, and compares with img. The build
 * date is the created time with SOURCE_DATE_EPOCH semantics, unless a CA
 * bundle sidecar shows an older build date (docs/rebuild.md). */
int mint_image_rebuild(struct mint_oci_image *img, const struct mint_image_rebuild_opts *o,
		       struct mint_image_rebuild_result *out, struct mint_err *err);
void mint_image_rebuild_result_free(struct mint_image_rebuild_result *r);

#endif
