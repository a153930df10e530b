/* SPDX-License-Identifier: Apache-2.0 */
/*
 * docker-load tars (see mint/oci_archive.h). The layout is read back through
 * the image reader (mint/oci_image.h), so the same checks apply to what we
 * pack as to what we are given; the blobs are streamed into the tar writer
 * and hashed on the way. Reference names are checked here as Docker checks
 * them, since a tag that Docker refuses makes the whole tar unloadable.
 * This file does not build or change images.
 */
#include "mint/oci_archive.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/fs.h"
#include "mint/hashmap.h"
#include "mint/oci.h"
#include "mint/oci_image.h"
#include "mint/tar.h"

#define REPO_MAX 255

/* go-containerregistry's oci-layout, byte for byte, as lib/oci/layout.c. */
static const char layout_text[] = "{\n    \"imageLayoutVersion\": \"1.0.0\"\n}";

struct repo_tag {
	char repo[REPO_MAX + 1];
	char tag[MINT_OCI_TAG_MAX + 1];
};

/* --- reference names ------------------------------------------------------- */

static bool tag_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (!first && (c == '.' || c == '-'));
}

/* Docker's tag grammar: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. */
static bool valid_tag(const char *tag)
{
	size_t n = strlen(tag);
	if (!n || n > MINT_OCI_TAG_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!tag_char(tag[i], i == 0))
			return false;
	return true;
}

/* A registry host (the first component, when it has '.' or ':' or is
 * localhost) may have capitals and a port; path components may not. */
static bool valid_component(const char *s, size_t n, bool host)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
			  c == '-' || (host && ((c >= 'A' && c <= 'Z') || c == ':'));
		if (!ok)
			return false;
	}
	return true;
}

static bool is_host(const char *s, size_t n)
{
	return memchr(s, '.', n) || memchr(s, ':', n) || (n == 9 && !memcmp(s, "localhost", 9));
}

static bool valid_repo(const char *repo)
{
	const char *p = repo;
	bool first = true;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (!valid_component(p, n, first && slash && is_host(p, n)))
			return false;
		if (!slash)
			return true;
		p = slash + 1;
		first = false;
	}
}

/* "repo[:tag]" split, checked, and "latest" filled in. */
static int parse_repo_tag(const char *text, struct repo_tag *out, struct mint_err *err)
{
	if (!text || !*text)
		return mint_err_set(err, MINT_EINVAL, "no image name to tag the archive with");
	if (strchr(text, '@'))
		return mint_err_set(err, MINT_EINVAL,
				    "\"%.200s\" names a digest; an archive needs repo:tag", text);
	const char *slash = strrchr(text, '/');
	const char *colon = strrchr(slash ? slash : text, ':');
	size_t repo_len = colon ? (size_t)(colon - text) : strlen(text);
	const char *tag = colon ? colon + 1 : "latest";
	if (repo_len > REPO_MAX)
		return mint_err_set(err, MINT_EINVAL, "image name \"%.60s...\" is over %d bytes",
				    text, REPO_MAX);
	memcpy(out->repo, text, repo_len);
	out->repo[repo_len] = '\0';
	if (!valid_repo(out->repo))
		return mint_err_set(err, MINT_EINVAL,
				    "\"%.200s\" is not a repository name Docker accepts", out->repo);
	if (!valid_tag(tag))
		return mint_err_set(err, MINT_EINVAL, "\"%.200s\" is not a tag Docker accepts", tag);
	snprintf(out->tag, sizeof(out->tag), "%s", tag);
	return 0;
}

/* "amd64", "arm-v7", "windows-amd64" from "os/arch[/variant]". */
static int platform_suffix(const char *platform, struct mint_buf *out, struct mint_err *err)
{
	const char *arch = platform ? strchr(platform, '/') : NULL;
	if (!arch || !arch[1] || arch == platform)
		return mint_err_set(err, MINT_EINVAL, "platform \"%.80s\" is not os/arch[/variant]",
				    platform ? platform : "(null)");
	size_t os_len = (size_t)(arch - platform);
	bool on_linux = os_len == 5 && !memcmp(platform, "linux", 5);
	int rc = 0;
	if (!on_linux)
		rc = mint_buf_append(out, platform, os_len) || mint_buf_putc(out, '-');
	for (const char *p = arch + 1; !rc && *p; p++)
		rc = mint_buf_putc(out, *p == '/' ? '-' : *p);
	return rc ? mint_err_set(err, MINT_ENOMEM, "out of memory") : 0;
}

int mint_oci_archive_platform_tag(const char *repo_tag, const char *platform,
				  struct mint_buf *out, struct mint_err *err)
{
	struct repo_tag rt;
	struct mint_buf suffix = MINT_BUF_INIT;
	mint_buf_reset(out);
	int rc = parse_repo_tag(repo_tag, &rt, err);
	if (!rc)
		rc = platform_suffix(platform, &suffix, err);
	char tag[2 * MINT_OCI_TAG_MAX + 2];
	if (!rc) {
		snprintf(tag, sizeof(tag), "%s-%.*s", rt.tag, MINT_OCI_TAG_MAX,
			 mint_buf_cstr(&suffix));
		if (!valid_tag(tag))
			rc = mint_err_set(err, MINT_EINVAL,
					  "tag \"%.200s\" for platform %.80s is not one Docker accepts",
					  tag, platform);
	}
	if (!rc && mint_buf_printf(out, "%s:%s", rt.repo, tag))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	mint_buf_free(&suffix);
	return rc;
}

/* --- manifest.json --------------------------------------------------------- */

static json_t *blob_path(const char *digest)
{
	char path[MINT_OCI_DIGEST_MAX + 16];
	snprintf(path, sizeof(path), "blobs/sha256/%s", digest + 7);
	return json_string(path);
}

/* The RepoTag of image i of n. */
static int repo_tag_of(const char *repo_tag, const struct repo_tag *rt, size_t n,
		       const struct mint_oci_image_ref *ref, struct mint_buf *out,
		       struct mint_err *err)
{
	if (n > 1)
		return mint_oci_archive_platform_tag(repo_tag, ref->platform, out, err);
	mint_buf_reset(out);
	if (mint_buf_printf(out, "%s:%s", rt->repo, rt->tag))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

static json_t *manifest_item(const struct mint_oci_image_ref *ref, const char *tag)
{
	json_t *item = json_object(), *tags = json_array(), *layers = json_array();
	bool ok = item && tags && layers &&
		  !json_object_set_new(item, "Config", blob_path(ref->config_digest)) &&
		  !json_array_append_new(tags, json_string(tag));
	for (size_t i = 0; ok && i < ref->n_layers; i++)
		ok = !json_array_append_new(layers, blob_path(ref->layer_digests[i]));
	ok = ok && !json_object_set(item, "RepoTags", tags) &&
	     !json_object_set(item, "Layers", layers);
	json_decref(tags);
	json_decref(layers);
	if (!ok) {
		json_decref(item);
		return NULL;
	}
	return item;
}

/* Tags must differ, or docker load would keep only the last image. */
static int check_unique_tags(char **tags, size_t n, struct mint_oci_image *img,
			     struct mint_err *err)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (!strcmp(tags[i], tags[j]))
				return mint_err_set(err, MINT_EDUPLICATE,
						    "platforms %s and %s would both be tagged %s",
						    mint_oci_image_get(img, i)->platform,
						    mint_oci_image_get(img, j)->platform, tags[i]);
	return 0;
}

static int manifest_json(struct mint_oci_image *img, const char *repo_tag,
			 const struct repo_tag *rt, struct mint_buf *out, struct mint_err *err)
{
	size_t n = mint_oci_image_count(img);
	char **tags = calloc(n ? n : 1, sizeof(*tags));
	json_t *root = json_array();
	struct mint_buf tag = MINT_BUF_INIT;
	int rc = tags && root ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < n; i++) {
		rc = repo_tag_of(repo_tag, rt, n, mint_oci_image_get(img, i), &tag, err);
		if (!rc && !(tags[i] = strdup(mint_buf_cstr(&tag))))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = check_unique_tags(tags, n, img, err);
	for (size_t i = 0; !rc && i < n; i++)
		if (json_array_append_new(root, manifest_item(mint_oci_image_get(img, i), tags[i])))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory building manifest.json");
	char *text = rc ? NULL : json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!rc && (!text || mint_buf_puts(out, text)))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory writing manifest.json");
	free(text);
	for (size_t i = 0; tags && i < n; i++)
		free(tags[i]);
	free(tags);
	json_decref(root);
	mint_buf_free(&tag);
	return rc;
}

/* index.json: the one descriptor of the image index, named by the whole
 * "repo:tag" (a valid OCI ref.name), so that `podman load` and
 * `skopeo ... oci-archive:F:repo:tag` find it under its full name; Docker
 * (>= 25) reads io.containerd.image.name. */
static int index_json(struct mint_oci_image *img, const struct repo_tag *rt,
		      struct mint_buf *out, struct mint_err *err)
{
	struct mint_oci_descriptor d = { .media_type = MINT_OCI_MEDIA_INDEX };
	char name[sizeof(rt->repo) + sizeof(rt->tag) + 2];
	snprintf(name, sizeof(name), "%s:%s", rt->repo, rt->tag);
	struct mint_oci_kv refs[] = { { "io.containerd.image.name", name },
				      { MINT_OCI_ANNOTATION_REF_NAME, name } };
	snprintf(d.digest, sizeof(d.digest), "%s", mint_oci_image_index_digest(img));
	d.annotations = refs;
	d.n_annotations = 2;
	uint64_t size = 0;
	int rc = mint_oci_image_blob_size(img, d.digest, &size, err);
	if (rc)
		return rc;
	d.size = size;
	struct mint_oci_index ix = { .manifests = &d, .n_manifests = 1 };
	return mint_oci_index_json(&ix, out, err);
}

/* --- the tar ---------------------------------------------------------------- */

struct archive {
	struct mint_oci_image *img;
	struct mint_atomic_file file;
	struct mint_tar_writer tar;
	struct mint_hashmap written; /* digests of blobs already in the tar */
};

static int file_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	struct archive *a = ctx;
	return mint_atomic_write(&a->file, data, len, err);
}

static int put_entry(struct archive *a, const char *name, enum mint_tar_type type,
		     const void *data, size_t len, struct mint_err *err)
{
	struct mint_tar_entry e = {
		.name = (char *)name,
		.type = type,
		.mode = type == MINT_TAR_DIR ? 0755 : 0644,
		.size = len,
	};
	int rc = mint_tar_write_entry(&a->tar, &e, data, err);
	if (rc)
		mint_err_prefix(err, "archive entry %s", name);
	return rc;
}

static int tar_data_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	struct archive *a = ctx;
	return mint_tar_write_data(&a->tar, data, len, err);
}

/* blobs/sha256/<hex>, streamed from the layout; each digest once. */
static int put_blob(struct archive *a, const char *digest, struct mint_err *err)
{
	if (mint_hashmap_get(&a->written, mint_span_str(digest), NULL))
		return 0;
	char name[MINT_OCI_DIGEST_MAX + 16];
	snprintf(name, sizeof(name), "blobs/sha256/%s", digest + 7);
	struct mint_tar_entry e = { .name = name, .type = MINT_TAR_REG, .mode = 0644 };
	int rc = mint_oci_image_blob_size(a->img, digest, &e.size, err);
	if (!rc)
		rc = mint_tar_write_header(&a->tar, &e, err);
	if (!rc)
		rc = mint_oci_image_copy_blob(a->img, digest, tar_data_sink, a, err);
	if (!rc)
		rc = mint_tar_write_pad(&a->tar, err);
	if (!rc && mint_hashmap_put(&a->written, mint_span_str(digest), NULL))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	return rc;
}

static int put_blobs(struct archive *a, struct mint_err *err)
{
	int rc = put_entry(a, "blobs/", MINT_TAR_DIR, NULL, 0, err);
	if (!rc)
		rc = put_entry(a, "blobs/sha256/", MINT_TAR_DIR, NULL, 0, err);
	if (!rc)
		rc = put_blob(a, mint_oci_image_index_digest(a->img), err);
	for (size_t i = 0; !rc && i < mint_oci_image_count(a->img); i++) {
		const struct mint_oci_image_ref *ref = mint_oci_image_get(a->img, i);
		rc = put_blob(a, ref->manifest_digest, err);
		if (!rc)
			rc = put_blob(a, ref->config_digest, err);
		for (size_t k = 0; !rc && k < ref->n_layers; k++)
			rc = put_blob(a, ref->layer_digests[k], err);
	}
	return rc;
}

static int write_tar(struct archive *a, const struct mint_buf *index,
		     const struct mint_buf *manifest, struct mint_err *err)
{
	int rc = put_entry(a, "oci-layout", MINT_TAR_REG, layout_text, sizeof(layout_text) - 1,
			   err);
	if (!rc)
		rc = put_entry(a, "index.json", MINT_TAR_REG, index->data, index->len, err);
	if (!rc)
		rc = put_entry(a, "manifest.json", MINT_TAR_REG, manifest->data, manifest->len, err);
	if (!rc)
		rc = put_blobs(a, err);
	if (!rc)
		rc = mint_tar_write_end(&a->tar, err);
	return rc;
}

int mint_oci_archive_write(const char *layout_dir, const char *repo_tag, const char *out_path,
			   struct mint_err *err)
{
	struct archive a = { .file.fd = -1, .written = MINT_HASHMAP_INIT };
	struct mint_buf index = MINT_BUF_INIT, manifest = MINT_BUF_INIT;
	struct repo_tag rt;
	if (!layout_dir || !out_path)
		return mint_err_set(err, MINT_EINVAL,
				    "an archive needs a layout and an output path");
	int rc = parse_repo_tag(repo_tag, &rt, err);
	if (!rc)
		rc = mint_oci_image_open(layout_dir, &a.img, err);
	if (!rc && !mint_oci_image_index_digest(a.img)[0]) {
		mint_err_set_file(err, layout_dir);
		rc = mint_err_set(err, MINT_EUNSUPPORTED, "the image has no image index to pack");
	}
	if (!rc)
		rc = index_json(a.img, &rt, &index, err);
	if (!rc)
		rc = manifest_json(a.img, repo_tag, &rt, &manifest, err);
	if (!rc)
		rc = mint_atomic_open(&a.file, out_path, err);
	if (rc)
		goto out;
	a.tar.sink = file_sink;
	a.tar.ctx = &a;
	rc = write_tar(&a, &index, &manifest, err);
	if (!rc)
		rc = mint_atomic_commit(&a.file, 0644, err);
out:
	mint_atomic_abort(&a.file);
	mint_oci_image_free(a.img);
	mint_hashmap_free(&a.written);
	mint_buf_free(&index);
	mint_buf_free(&manifest);
	return rc;
}
