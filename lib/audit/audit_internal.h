/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the files of lib/audit share: file trees read from layers, the
 * field-by-field JSON comparison, and the pieces of a rebuild that read the
 * original image. Not a public interface.
 */
#ifndef MINT_AUDIT_INTERNAL_H
#define MINT_AUDIT_INTERNAL_H

#include <jansson.h>

#include "mint/audit.h"
#include "mint/hashmap.h"
#include "mint/source.h"

#define AUDIT_DEFAULT_MAX_ENTRIES (1u << 20)
#define AUDIT_DEFAULT_MAX_TREE_BYTES (256u << 20)
#define AUDIT_DEFAULT_MAX_DIFFERENCES (1u << 20)

/* ---- image_tree.c ---- */

struct audit_tree {
	struct mint_image_file *v; /* sorted by path after audit_tree_sort */
	size_t n, cap;
	struct mint_hashmap by_path; /* path -> index + 1 */
	struct mint_arena strings;
	size_t bytes;
	size_t max_entries, max_bytes;
};

/* Limits from l (NULL or zeros: the defaults). */
void audit_tree_init(struct audit_tree *t, const struct mint_image_diff_limits *l);
/* Overlays the entries of one uncompressed layer tar (src): an entry
 * replaces an earlier one of the same path. Names are cleaned; the root
 * itself is skipped. name is what errors call the layer. */
int audit_tree_add_tar(struct audit_tree *t, struct mint_source src, const char *name,
		       struct mint_err *err);
/* Every layer of img's platform ref, in order. */
int audit_tree_add_image(struct audit_tree *t, struct mint_oci_image *img,
			 const struct mint_oci_image_ref *ref, struct mint_err *err);
void audit_tree_sort(struct audit_tree *t);
void audit_tree_free(struct audit_tree *t);

/* The MINT_FILE_* bits in which a and b differ. */
unsigned audit_file_changes(const struct mint_image_file *a, const struct mint_image_file *b);

/* ---- json_diff.c ---- */

/* Called for each field where two documents differ: path as in
 * mint_image_difference.field, a or b NULL where the field is absent. */
typedef int (*audit_json_emit)(void *ctx, const char *path, const json_t *a, const json_t *b,
			       struct mint_err *err);

/* Walks a and b together: objects by key in byte order, arrays of equal
 * length element by element; anything else (scalars, arrays of different
 * lengths, values of different types, depth over 32) is compared whole.
 * emit's non-zero return stops the walk and is returned. */
int audit_json_diff(const json_t *a, const json_t *b, audit_json_emit emit, void *ctx,
		    struct mint_err *err);
/* Compact JSON with sorted keys, malloc'd; NULL when out of memory. */
char *audit_json_text(const json_t *v);

/* ---- rebuild.c: reading the original ---- */

/* What one platform of an image says about how it was built. */
struct audit_origin {
	char platform[MINT_OCI_PLATFORM_MAX];
	enum mint_arch arch;
	struct mint_buf locked_config; /* etc/apko.json */
	int64_t created;               /* the config's created time */
	bool has_sidecar;              /* a CA bundle's .sha256 sidecar */
	int64_t sidecar_mtime;
	bool added_certificates;       /* usr/local/share/ca-certificates/<name>-<sha256>.crt */
	char *label_source, *label_revision; /* org.opencontainers.image.{source,revision} */
};

/* Reads platform ref of img: its config (created, labels, platform) and
 * layers (etc/apko.json, sidecars, added certificates). */
int audit_origin_read(struct mint_oci_image *img, const struct mint_oci_image_ref *ref,
		      struct audit_origin *out, struct mint_err *err);
void audit_origin_free(struct audit_origin *o);

/* The config to build (etc/apko.json parsed, archs checked against the
 * platform, vcs-url restored from the labels) and the dates to build it
 * with; notes gains MINT_REBUILD_* bits. */
int audit_origin_config(const struct audit_origin *o, const char *platform,
			struct mint_image_config *cfg, struct mint_image_rootfs_opts *dates,
			unsigned *notes, struct mint_err *err);


#endif
