/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small OCI layouts for the audit tests, built through libmint: one layer
 * per platform from a list of entries, a config (created, Env, labels), a
 * manifest per platform, the image index as a blob and index.json naming
 * it, as mint build writes them. Tests build two such images that differ
 * in one thing and diff them. cmocka asserts stop the test on failure.
 */
#ifndef MINT_TEST_AUDIT_IMAGE_FIXTURE_H
#define MINT_TEST_AUDIT_IMAGE_FIXTURE_H

#include <string.h>

#include "mint/oci.h"
#include "mint/oci_image.h"
#include "mint/oci_layer.h"
#include "testutil.h"

struct fx_file {
	const char *path;
	enum mint_tar_type type;   /* 0: MINT_TAR_REG */
	uint32_t mode;             /* 0: 0755 for directories, 0644 otherwise */
	uint64_t uid, gid;
	const char *content;       /* regular files */
	const char *link;          /* symlinks and hardlinks */
	int64_t mtime;
	const char *uname;
	uint32_t devmajor, devminor;
};

struct fx_image {
	const struct fx_file *files;
	size_t n_files;
	const char *const *env;
	size_t n_env;
	const char *created;       /* NULL: "2023-11-14T22:13:20Z" */
	const struct mint_oci_kv *labels;
	size_t n_labels;
	size_t n_platforms;        /* 0 or 1: linux/amd64; 2: and linux/arm64 */
	int level;                 /* gzip level; 0: 6 */
	bool reverse_index;        /* list the manifests in the index last first */
};

static const struct mint_oci_platform fx_platforms[2] = {
	{ .architecture = "amd64", .os = "linux" },
	{ .architecture = "arm64", .os = "linux" },
};

static inline void fx_add(struct mint_oci_layer *l, const struct fx_file *f)
{
	struct mint_err err = { 0 };
	enum mint_tar_type type = f->type ? f->type : MINT_TAR_REG;
	struct mint_oci_entry_attr a = {
		.mode = f->mode ? f->mode : type == MINT_TAR_DIR ? 0755 : 0644,
		.uid = f->uid, .gid = f->gid, .mtime = f->mtime, .uname = f->uname,
	};
	int rc;
	switch (type) {
	case MINT_TAR_DIR: rc = mint_oci_layer_add_dir(l, f->path, &a, &err); break;
	case MINT_TAR_SYMLINK:
		rc = mint_oci_layer_add_symlink(l, f->path, &a, f->link, &err);
		break;
	case MINT_TAR_HARDLINK:
		rc = mint_oci_layer_add_hardlink(l, f->path, &a, f->link, &err);
		break;
	case MINT_TAR_REG:
		rc = mint_oci_layer_add_file(l, f->path, &a, f->content ? f->content : "",
					     f->content ? strlen(f->content) : 0, &err);
		break;
	default:
		rc = mint_oci_layer_add_device(l, f->path, &a, type, f->devmajor, f->devminor,
					       &err);
	}
	assert_ok(rc, &err);
}

static inline void fx_platform(const char *dir, const struct fx_image *spec, size_t p,
			       struct mint_oci_descriptor *out)
{
	struct mint_err err = { 0 };
	struct mint_oci_layer *l = NULL;
	struct mint_oci_layer_info info;
	assert_ok(mint_oci_layer_new(&l, dir, 1, spec->level ? spec->level : 6, &err), &err);
	for (size_t i = 0; i < spec->n_files; i++)
		fx_add(l, &spec->files[i]);
	assert_ok(mint_oci_layer_finish(l, &info, &err), &err);
	mint_oci_layer_free(l);
	const char *diff_id = info.diff_id;
	const char *created = spec->created ? spec->created : "2023-11-14T22:13:20Z";
	struct mint_oci_image_config c = {
		.architecture = fx_platforms[p].architecture, .os = "linux", .created = created,
		.diff_ids = &diff_id, .n_diff_ids = 1, .env = spec->env, .n_env = spec->n_env,
		.labels = spec->labels, .n_labels = spec->n_labels,
	};
	struct mint_oci_manifest m = { .layers = &info.desc, .n_layers = 1 };
	assert_ok(mint_oci_layout_put_config(dir, &c, &m.config, &err), &err);
	assert_ok(mint_oci_layout_put_manifest(dir, &m, out, &err), &err);
	out->platform = &fx_platforms[p];
}

/* Builds spec into dir (created when missing); returns the index digest in
 * index_digest when not NULL. */
static inline void fx_build(const char *dir, const struct fx_image *spec, char *index_digest)
{
	struct mint_err err = { 0 };
	size_t n = spec->n_platforms ? spec->n_platforms : 1;
	struct mint_oci_descriptor m[2], ordered[2];
	assert_true(n <= 2);
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	for (size_t p = 0; p < n; p++)
		fx_platform(dir, spec, p, &m[p]);
	for (size_t p = 0; p < n; p++)
		ordered[p] = m[spec->reverse_index ? n - 1 - p : p];
	struct mint_oci_index ix = { .manifests = ordered, .n_manifests = n };
	struct mint_buf json = MINT_BUF_INIT;
	struct mint_oci_descriptor id;
	assert_ok(mint_oci_index_json(&ix, &json, &err), &err);
	assert_ok(mint_oci_layout_put_blob(dir, MINT_OCI_MEDIA_INDEX, json.data, json.len, &id,
					   &err), &err);
	mint_buf_free(&json);
	struct mint_oci_kv ref = { MINT_OCI_ANNOTATION_REF_NAME, "latest" };
	id.annotations = &ref;
	id.n_annotations = 1;
	struct mint_oci_index top = { .manifests = &id, .n_manifests = 1 };
	assert_ok(mint_oci_layout_write_index(dir, &top, &err), &err);
	if (index_digest)
		memcpy(index_digest, id.digest, MINT_OCI_DIGEST_MAX);
}

static inline struct mint_oci_image *fx_open(const char *dir)
{
	struct mint_oci_image *img = NULL;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_image_open(dir, &img, &err), &err);
	return img;
}

/* A fresh directory under the test's temporary directory. */
static inline char *fx_subdir(const char *tmp, const char *name)
{
	size_t n = strlen(tmp) + strlen(name) + 2;
	char *p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", tmp, name);
	return p;
}

#endif
