/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper for tests/e2e/oci_layout.sh: builds a one-layer OCI image from
 * a handful of files into a layout directory, through the library alone, so
 * that real clients (skopeo, umoci, the OCI JSON schemas) can judge it.
 *
 * usage: oci_mkimage DIR TAG THREADS
 * prints: "manifest sha256:...", "config sha256:...", "layer sha256:..."
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/deflate.h"
#include "mint/oci.h"
#include "mint/oci_layer.h"

#define BIG_BYTES (3u << 20)
#define T0 "1970-01-01T00:00:00Z"

static int die(const struct mint_err *err)
{
	char line[2048];
	mint_err_format(err, line, sizeof(line));
	fprintf(stderr, "oci_mkimage: %s\n", line);
	return 1;
}

/* The layer; big holds BIG_BYTES of (i * 7 + i / 1000) & 255. */
static int add_files(struct mint_oci_layer *l, const unsigned char *big, struct mint_err *err)
{
	const struct mint_oci_entry_attr dir = { .mode = 0755 };
	const struct mint_oci_entry_attr file = { .mode = 0644, .mtime = 1700000000 };
	const struct mint_oci_entry_attr exec = { .mode = 0755, .mtime = 1700000000 };
	const struct mint_oci_entry_attr secret = { .mode = 0600, .uid = 65532, .gid = 65532 };
	const struct mint_oci_entry_attr sticky = { .mode = 01777 };
	const struct mint_oci_entry_attr private_dir = { .mode = 0700 };
	static const char tool[] = "#!/bin/sh\necho tool\n";
	int rc = 0;
	if (!rc) rc = mint_oci_layer_add_dir(l, "etc", &dir, err);
	if (!rc) rc = mint_oci_layer_add_file(l, "etc/motd", &file, "hello from mint\n", 16, err);
	if (!rc) rc = mint_oci_layer_add_file(l, "etc/secret", &secret, "s3cret\n", 7, err);
	if (!rc) rc = mint_oci_layer_add_dir(l, "tmp", &sticky, err);
	if (!rc) rc = mint_oci_layer_add_dir(l, "usr", &dir, err);
	if (!rc) rc = mint_oci_layer_add_dir(l, "usr/bin", &dir, err);
	if (!rc) rc = mint_oci_layer_add_symlink(l, "usr/bin/link", &file, "tool", err);
	if (!rc) rc = mint_oci_layer_add_file(l, "usr/bin/tool", &exec, tool, sizeof(tool) - 1, err);
	if (!rc) rc = mint_oci_layer_add_hardlink(l, "usr/bin/tool2", &exec, "usr/bin/tool", err);
	if (!rc) rc = mint_oci_layer_add_dir(l, "usr/share", &dir, err);
	if (!rc) rc = mint_oci_layer_add_file(l, "usr/share/big", &file, big, BIG_BYTES, err);
	if (!rc) rc = mint_oci_layer_add_dir(l, "var", &dir, err);
	if (!rc) rc = mint_oci_layer_add_dir(l, "var/empty", &private_dir, err);
	return rc;
}

static int build(const char *dir, const char *tag, unsigned threads, struct mint_err *err)
{
	unsigned char *big = malloc(BIG_BYTES);
	if (!big)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < BIG_BYTES; i++)
		big[i] = (unsigned char)((i * 7 + i / 1000) & 255);
	struct mint_oci_layer *l = NULL;
	struct mint_oci_layer_info info;
	int rc = mint_oci_layout_init(dir, err);
	if (!rc)
		rc = mint_oci_layer_new(&l, dir, threads, MINT_GZIP_DEFAULT_LEVEL, err);
	if (!rc)
		rc = add_files(l, big, err);
	if (!rc)
		rc = mint_oci_layer_finish(l, &info, err);
	mint_oci_layer_free(l);
	free(big);
	if (rc)
		return rc;

	const char *diff_ids[] = { info.diff_id };
	const char *entrypoint[] = { "/usr/bin/tool" };
	const char *env[] = { "PATH=/usr/bin" };
	struct mint_oci_history h = { .author = "mint", .created = T0, .created_by = "mint" };
	struct mint_oci_image_config c = {
		.architecture = "amd64", .os = "linux", .created = T0, .history = &h, .n_history = 1,
		.diff_ids = diff_ids, .n_diff_ids = 1, .entrypoint = entrypoint, .n_entrypoint = 1,
		.env = env, .n_env = 1,
	};
	struct mint_oci_manifest m = { .layers = &info.desc, .n_layers = 1 };
	struct mint_oci_descriptor md;
	rc = mint_oci_layout_put_config(dir, &c, &m.config, err);
	if (!rc)
		rc = mint_oci_layout_put_manifest(dir, &m, &md, err);
	if (rc)
		return rc;
	struct mint_oci_platform p = { .architecture = "amd64", .os = "linux" };
	struct mint_oci_kv ref = { MINT_OCI_ANNOTATION_REF_NAME, tag };
	md.annotations = &ref;
	md.n_annotations = 1;
	md.platform = &p;
	struct mint_oci_index ix = { .manifests = &md, .n_manifests = 1 };
	rc = mint_oci_layout_write_index(dir, &ix, err);
	if (!rc)
		printf("manifest %s\nconfig %s\nlayer %s\n", md.digest, m.config.digest,
		       info.desc.digest);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: oci_mkimage DIR TAG THREADS\n");
		return 2;
	}
	struct mint_err err = { 0 };
	if (build(argv[1], argv[2], (unsigned)atoi(argv[3]), &err))
		return die(&err);
	return 0;
}
