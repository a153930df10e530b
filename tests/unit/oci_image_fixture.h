/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small multi-platform OCI layout built through libmint, shared by the
 * image reader and archive tests and by tests/tools/mkarchive.c (so no
 * cmocka in here: functions return 0 or MINT_E* with err filled).
 *
 * Up to three platforms (linux/amd64, linux/arm64, linux/arm/v7), each with
 * two gzip layers: one shared by all (etc/motd) and one of its own
 * (etc/arch, and usr/share/data of OCI_FIXTURE_DATA_BYTES so that a layer
 * takes many reads). index.json names the image index blob with ref.name =
 * the tag, as the image build writes it; with index_is_index_json it is the
 * image index itself, as apko writes it.
 */
#ifndef MINT_TEST_OCI_IMAGE_FIXTURE_H
#define MINT_TEST_OCI_IMAGE_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/oci.h"
#include "mint/oci_layer.h"

#define OCI_FIXTURE_MAX_PLATFORMS 3
#define OCI_FIXTURE_DATA_BYTES (300u * 1024u)

struct oci_fixture {
	size_t n;
	char index[MINT_OCI_DIGEST_MAX];
	char shared_layer[MINT_OCI_DIGEST_MAX];
	char shared_diff_id[MINT_OCI_DIGEST_MAX];
	char manifest[OCI_FIXTURE_MAX_PLATFORMS][MINT_OCI_DIGEST_MAX];
	char config[OCI_FIXTURE_MAX_PLATFORMS][MINT_OCI_DIGEST_MAX];
	char layer[OCI_FIXTURE_MAX_PLATFORMS][MINT_OCI_DIGEST_MAX];
	char diff_id[OCI_FIXTURE_MAX_PLATFORMS][MINT_OCI_DIGEST_MAX];
};

static const struct mint_oci_platform oci_fixture_platforms[OCI_FIXTURE_MAX_PLATFORMS] = {
	{ .architecture = "amd64", .os = "linux" },
	{ .architecture = "arm64", .os = "linux" },
	{ .architecture = "arm", .os = "linux", .variant = "v7" },
};

/* The bytes of usr/share/data for platform i. */
static inline unsigned char oci_fixture_data_byte(size_t i, size_t platform)
{
	return (unsigned char)((i * 13 + i / 997 + platform) & 255);
}

static inline int oci_fixture_shared_layer(const char *dir, struct mint_oci_layer_info *info,
					   struct mint_err *err)
{
	const struct mint_oci_entry_attr d = { .mode = 0755 };
	const struct mint_oci_entry_attr f = { .mode = 0644, .mtime = 1700000000 };
	struct mint_oci_layer *l = NULL;
	int rc = mint_oci_layer_new(&l, dir, 1, 6, err);
	if (!rc)
		rc = mint_oci_layer_add_dir(l, "etc", &d, err);
	if (!rc)
		rc = mint_oci_layer_add_file(l, "etc/motd", &f, "hello from mint\n", 16, err);
	if (!rc)
		rc = mint_oci_layer_finish(l, info, err);
	mint_oci_layer_free(l);
	return rc;
}

static inline int oci_fixture_own_layer(const char *dir, size_t p,
					struct mint_oci_layer_info *info, struct mint_err *err)
{
	const struct mint_oci_entry_attr d = { .mode = 0755 };
	const struct mint_oci_entry_attr f = { .mode = 0644, .mtime = 1700000000 };
	const char *arch = oci_fixture_platforms[p].architecture;
	unsigned char *data = malloc(OCI_FIXTURE_DATA_BYTES);
	if (!data)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < OCI_FIXTURE_DATA_BYTES; i++)
		data[i] = oci_fixture_data_byte(i, p);
	struct mint_oci_layer *l = NULL;
	int rc = mint_oci_layer_new(&l, dir, 1, 6, err);
	if (!rc)
		rc = mint_oci_layer_add_file(l, "etc/arch", &f, arch, strlen(arch), err);
	if (!rc)
		rc = mint_oci_layer_add_dir(l, "usr", &d, err);
	if (!rc)
		rc = mint_oci_layer_add_dir(l, "usr/share", &d, err);
	if (!rc)
		rc = mint_oci_layer_add_file(l, "usr/share/data", &f, data, OCI_FIXTURE_DATA_BYTES,
					     err);
	if (!rc)
		rc = mint_oci_layer_finish(l, info, err);
	mint_oci_layer_free(l);
	free(data);
	return rc;
}

/* Config and manifest of platform p over the shared and its own layer. */
static inline int oci_fixture_image(const char *dir, size_t p,
				    const struct mint_oci_layer_info *shared,
				    struct oci_fixture *fx, struct mint_oci_descriptor *md,
				    struct mint_err *err)
{
	struct mint_oci_layer_info own;
	int rc = oci_fixture_own_layer(dir, p, &own, err);
	if (rc)
		return rc;
	const struct mint_oci_platform *pl = &oci_fixture_platforms[p];
	const char *diff_ids[] = { shared->diff_id, own.diff_id };
	const char *env[] = { "PATH=/usr/bin" };
	struct mint_oci_image_config c = {
		.architecture = pl->architecture, .os = pl->os, .variant = pl->variant,
		.created = "1970-01-01T00:00:00Z", .diff_ids = diff_ids, .n_diff_ids = 2,
		.env = env, .n_env = 1,
	};
	struct mint_oci_descriptor layers[2] = { shared->desc, own.desc };
	struct mint_oci_manifest m = { .layers = layers, .n_layers = 2 };
	rc = mint_oci_layout_put_config(dir, &c, &m.config, err);
	if (!rc)
		rc = mint_oci_layout_put_manifest(dir, &m, md, err);
	if (rc)
		return rc;
	md->platform = pl;
	memcpy(fx->manifest[p], md->digest, MINT_OCI_DIGEST_MAX);
	memcpy(fx->config[p], m.config.digest, MINT_OCI_DIGEST_MAX);
	memcpy(fx->layer[p], own.desc.digest, MINT_OCI_DIGEST_MAX);
	memcpy(fx->diff_id[p], own.diff_id, MINT_OCI_DIGEST_MAX);
	return 0;
}

static inline int oci_fixture_build(const char *dir, const char *tag, size_t n_platforms,
				    bool index_is_index_json, struct oci_fixture *fx,
				    struct mint_err *err)
{
	memset(fx, 0, sizeof(*fx));
	if (n_platforms < 1 || n_platforms > OCI_FIXTURE_MAX_PLATFORMS)
		return mint_err_set(err, MINT_EINVAL, "1 to 3 platforms");
	fx->n = n_platforms;
	struct mint_oci_layer_info shared;
	struct mint_oci_descriptor md[OCI_FIXTURE_MAX_PLATFORMS];
	int rc = mint_oci_layout_init(dir, err);
	if (!rc)
		rc = oci_fixture_shared_layer(dir, &shared, err);
	for (size_t p = 0; !rc && p < n_platforms; p++)
		rc = oci_fixture_image(dir, p, &shared, fx, &md[p], err);
	if (rc)
		return rc;
	memcpy(fx->shared_layer, shared.desc.digest, MINT_OCI_DIGEST_MAX);
	memcpy(fx->shared_diff_id, shared.diff_id, MINT_OCI_DIGEST_MAX);
	struct mint_oci_index ix = { .manifests = md, .n_manifests = n_platforms };
	if (index_is_index_json) {
		struct mint_buf text = MINT_BUF_INIT;
		rc = mint_oci_layout_write_index(dir, &ix, err);
		if (!rc)
			rc = mint_oci_index_json(&ix, &text, err);
		if (!rc)
			rc = mint_oci_digest_of(text.data, text.len, fx->index, err);
		mint_buf_free(&text);
		return rc;
	}
	struct mint_buf text = MINT_BUF_INIT;
	struct mint_oci_descriptor id;
	rc = mint_oci_index_json(&ix, &text, err);
	if (!rc)
		rc = mint_oci_layout_put_blob(dir, MINT_OCI_MEDIA_INDEX, text.data, text.len, &id,
					      err);
	mint_buf_free(&text);
	if (rc)
		return rc;
	memcpy(fx->index, id.digest, MINT_OCI_DIGEST_MAX);
	struct mint_oci_kv ref = { MINT_OCI_ANNOTATION_REF_NAME, tag };
	id.annotations = &ref;
	id.n_annotations = 1;
	struct mint_oci_index top = { .manifests = &id, .n_manifests = 1 };
	return mint_oci_layout_write_index(dir, &top, err);
}

#endif
