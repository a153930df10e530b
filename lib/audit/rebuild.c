/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rebuilding an image from what it says about itself, and comparing.
 *
 * Each platform of an apko or mint image carries its locked config as
 * /etc/apko.json: the config as built, with every installed package pinned
 * as name=version and archs = [that arch]. Its config document carries the
 * created time. That is enough to build the platform again: parse the
 * locked config, resolve the pins through the cache, build with the
 * created time as the build date (SOURCE_DATE_EPOCH semantics: created is
 * then exactly that time, which reproduces both ways apko sets it), and
 * write the index over all platforms as a build does. The rebuilt image
 * goes to a temporary layout (or output_dir) and is compared with the
 * original by mint_image_diff.
 *
 * Files apko dates with the build date (the CA bundles' .sha256 sidecars,
 * added certificates) tell the build date apart from created when a build
 * ran without SOURCE_DATE_EPOCH: created was then the newest package build
 * time, and the sidecar's mtime is the build date to use. The locked config
 * drops vcs-url and certificates; vcs-url comes back from the labels it
 * made, certificates cannot (docs/rebuild.md).
 *
 * This file does not print; the command formats the result.
 */
#include "audit_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/encode.h"
#include "mint/path.h"

#define LOCKED_CONFIG_PATH "etc/apko.json"
#define LOCKED_CONFIG_MAX (4u << 20)
#define ADDED_CERT_DIR "usr/local/share/ca-certificates/"
#define LABEL_SOURCE "org.opencontainers.image.source"
#define LABEL_REVISION "org.opencontainers.image.revision"

/* The .sha256 sidecars apko writes beside each CA bundle it finds. */
static const char *const sidecars[] = {
	"etc/ssl/certs/.ca-certificates.crt.sha256",
	"var/lib/ecs/deps/execute-command/certs/.tls-ca-bundle.pem.sha256",
	"kaniko/ssl/certs/.ca-certificates.crt.sha256",
};

/* What the certificates step writes or changes. */
static const char *const certificate_files[] = {
	"etc/ssl/certs/ca-certificates.crt",
	"var/lib/ecs/deps/execute-command/certs/tls-ca-bundle.pem",
	"kaniko/ssl/certs/ca-certificates.crt",
	"etc/ca-certificates.conf",
};

/* ---- reading the original ---- */

void audit_origin_free(struct audit_origin *o)
{
	if (!o)
		return;
	mint_buf_free(&o->locked_config);
	free(o->label_source);
	free(o->label_revision);
	memset(o, 0, sizeof(*o));
}

static char *label(const json_t *config, const char *key)
{
	json_t *v = json_object_get(json_object_get(json_object_get(config, "config"), "Labels"),
				    key);
	return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static int read_config(struct mint_oci_image *img, const struct mint_oci_image_ref *ref,
		       struct audit_origin *out, struct mint_err *err)
{
	struct mint_buf text = MINT_BUF_INIT;
	json_t *root = NULL;
	int rc = mint_oci_image_read_blob(img, ref->config_digest, MINT_OCI_IMAGE_JSON_MAX, &text,
					  err);
	if (!rc) {
		json_error_t je;
		root = json_loadb(text.data ? text.data : "", text.len, 0, &je);
		if (!root)
			rc = mint_err_set(err, MINT_EFORMAT, "config is not JSON: %s", je.text);
	}
	json_t *created = json_object_get(root, "created");
	if (!rc && !json_is_string(created))
		rc = mint_err_set(err, MINT_EFORMAT, "config has no created time");
	if (!rc && !mint_oci_time_parse(json_string_value(created), &out->created))
		rc = mint_err_set(err, MINT_EFORMAT, "config's created \"%.64s\" is not RFC 3339",
				  json_string_value(created));
	if (!rc) {
		out->label_source = label(root, LABEL_SOURCE);
		out->label_revision = label(root, LABEL_REVISION);
	}
	json_decref(root);
	mint_buf_free(&text);
	return rc;
}

static int read_locked_config(struct mint_tar_reader *r, const struct mint_tar_entry *e,
			      struct mint_buf *out, struct mint_err *err)
{
	if (e->type != MINT_TAR_REG)
		return mint_err_set(err, MINT_EFORMAT, LOCKED_CONFIG_PATH " is not a regular file");
	if (e->size > LOCKED_CONFIG_MAX)
		return mint_err_set(err, MINT_ELIMIT, LOCKED_CONFIG_PATH " is over %u bytes",
				    LOCKED_CONFIG_MAX);
	mint_buf_reset(out);
	char *dst = mint_buf_grow(out, (size_t)e->size);
	if (!dst && e->size)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	size_t have = 0, got;
	int rc;
	while (!(rc = mint_tar_read(r, dst + have, (size_t)e->size - have, &got, err)) && got)
		have += got;
	if (!rc && have != e->size)
		rc = mint_err_set(err, MINT_ETRUNCATED, LOCKED_CONFIG_PATH " ends early");
	return rc;
}

/* usr/local/share/ca-certificates/<name>-<64 hex>.crt, as apko names an
 * added certificate. */
static bool is_added_certificate(const char *path)
{
	size_t dir = strlen(ADDED_CERT_DIR), n = strlen(path);
	if (strncmp(path, ADDED_CERT_DIR, dir) || n < dir + 1 + 64 + 4 ||
	    strcmp(path + n - 4, ".crt") || path[n - 4 - 64 - 1] != '-')
		return false;
	for (size_t i = n - 4 - 64; i < n - 4; i++)
		if (mint_hex_digit(path[i]) < 0)
			return false;
	return true;
}

static int scan_entry(struct mint_tar_reader *r, const struct mint_tar_entry *e,
		      const char *path, struct audit_origin *out, struct mint_err *err)
{
	if (!strcmp(path, LOCKED_CONFIG_PATH))
		return read_locked_config(r, e, &out->locked_config, err);
	for (size_t i = 0; i < sizeof(sidecars) / sizeof(sidecars[0]); i++) {
		if (!strcmp(path, sidecars[i]) && e->type == MINT_TAR_REG) {
			out->has_sidecar = true;
			out->sidecar_mtime = e->mtime;
		}
	}
	if (e->type == MINT_TAR_REG && is_added_certificate(path))
		out->added_certificates = true;
	return 0;
}

static int scan_layer(struct mint_oci_image *img, const char *digest, struct audit_origin *out,
		      struct mint_err *err)
{
	struct mint_source src;
	struct mint_tar_reader *r = NULL;
	struct mint_tar_limits limits = { .max_name_bytes = MINT_PATH_MAX };
	struct mint_buf path = MINT_BUF_INIT;
	const struct mint_tar_entry *e;
	int rc = mint_oci_image_layer_open(img, digest, &src, err);
	if (!rc)
		rc = mint_tar_reader_new(&r, src, &limits, MINT_TAR_END_OPTIONAL, err);
	while (!rc && (rc = mint_tar_next(r, &e, err)) == 1) {
		rc = mint_path_clean(mint_span_str(e->name), true, &path, err);
		if (!rc)
			rc = scan_entry(r, e, mint_buf_cstr(&path), out, err);
		if (rc)
			mint_err_set_offset(err, e->header_offset);
	}
	mint_tar_reader_free(r);
	mint_oci_image_layer_close(img);
	mint_buf_free(&path);
	return rc;
}

static int platform_arch(const char *platform, enum mint_arch *out, struct mint_err *err)
{
	if (strncmp(platform, "linux/", 6) || !mint_arch_parse(platform + 6, out))
		return mint_err_set(err, MINT_EUNSUPPORTED, "platform %s is not one apko builds",
				    platform);
	return 0;
}

int audit_origin_read(struct mint_oci_image *img, const struct mint_oci_image_ref *ref,
		      struct audit_origin *out, struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->platform, sizeof(out->platform), "%s", ref->platform);
	int rc = platform_arch(ref->platform, &out->arch, err);
	if (!rc)
		rc = read_config(img, ref, out, err);
	for (size_t i = 0; !rc && i < ref->n_layers; i++) {
		rc = scan_layer(img, ref->layer_digests[i], out, err);
		if (rc)
			mint_err_prefix(err, "layer %zu", i);
	}
	if (!rc && !out->locked_config.len)
		rc = mint_err_set(err, MINT_ENOTFOUND,
				  "no " LOCKED_CONFIG_PATH ": not an image apko or mint built, "
				  "so there is no locked config to rebuild from");
	if (rc) {
		mint_err_prefix(err, "%s", ref->platform);
		audit_origin_free(out);
	}
	return rc;
}

/* ---- the config to build ---- */

static bool has_annotation(const struct mint_image_config *cfg, const char *key)
{
	for (size_t i = 0; i < cfg->annotations.n; i++)
		if (!strcmp(cfg->annotations.v[i].key, key))
			return true;
	return false;
}

/* apko turns vcs-url "URL@REV" into the source and revision labels and
 * leaves vcs-url out of the locked config; the labels give it back. */
static int restore_vcs_url(const struct audit_origin *o, struct mint_image_config *cfg,
			   unsigned *notes, struct mint_err *err)
{
	if (cfg->vcs_url || !o->label_source || !o->label_revision ||
	    has_annotation(cfg, LABEL_SOURCE) || has_annotation(cfg, LABEL_REVISION))
		return 0;
	size_t len = strlen(o->label_source) + strlen(o->label_revision) + 2;
	cfg->vcs_url = malloc(len);
	if (!cfg->vcs_url)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	snprintf(cfg->vcs_url, len, "%s@%s", o->label_source, o->label_revision);
	*notes |= MINT_REBUILD_VCS_FROM_LABELS;
	return 0;
}

int audit_origin_config(const struct audit_origin *o, const char *platform,
			struct mint_image_config *cfg, struct mint_image_rootfs_opts *dates,
			unsigned *notes, struct mint_err *err)
{
	struct mint_image_config_opts opts = { .no_include = true };
	int rc = mint_image_config_parse(mint_buf_span(&o->locked_config), LOCKED_CONFIG_PATH,
					 &opts, cfg, err);
	if (!rc && (cfg->n_archs != 1 || cfg->archs[0] != o->arch))
		rc = mint_err_set(err, MINT_EFORMAT,
				  LOCKED_CONFIG_PATH " names %zu archs, not just this platform's",
				  cfg->n_archs);
	if (!rc)
		rc = restore_vcs_url(o, cfg, notes, err);
	if (rc) {
		mint_err_prefix(err, "%s", platform);
		mint_image_config_free(cfg);
		memset(cfg, 0, sizeof(*cfg));
		return rc;
	}
	dates->source_date_epoch = !(o->has_sidecar && o->sidecar_mtime < o->created);
	dates->build_date = dates->source_date_epoch ? o->created : o->sidecar_mtime;
	if (!dates->source_date_epoch)
		*notes |= MINT_REBUILD_DATE_FROM_SIDECAR;
	if (o->added_certificates)
		*notes |= MINT_REBUILD_CERTIFICATES;
	return 0;
}

/* ---- building ---- */

struct rebuild {
	const struct mint_image_rebuild_opts *o;
	struct mint_image_rebuild_result *out;
	const char *dir;
	struct mint_image_config first_cfg; /* annotations for the index */
	bool have_first;
	struct mint_oci_descriptor *manifests;
	enum mint_arch *archs;
	char (*stray)[MINT_OCI_DIGEST_MAX]; /* per-arch index blobs */
	size_t n;
	int64_t created;
};

static int build_one(struct rebuild *rb, const struct audit_origin *origin, const char *platform,
		     struct mint_err *err)
{
	struct mint_image_config cfg;
	struct mint_image_packages pkgs = { 0 };
	struct mint_image_build_result res = { 0 };
	struct mint_image_rootfs_opts dates = { .tmpdir = rb->dir };
	int rc = audit_origin_config(origin, platform, &cfg, &dates, &rb->out->notes, err);
	if (rc)
		return rc;
	/* Keep each package's data stream from the verifying read, so the
	 * layer is written without inflating it again (as mint build does). */
	struct mint_image_source_opts source = rb->o->source;
	source.keep_data = true;
	source.tmpdir = rb->dir;
	rc = mint_image_packages_resolve(&cfg, &source, &pkgs, err);
	if (rc && pkgs.explanation && !rb->out->explanation) {
		rb->out->explanation = pkgs.explanation;
		pkgs.explanation = NULL;
	}
	struct mint_image_build_opts bo = { .cfg = &cfg, .packages = &pkgs, .layout_dir = rb->dir,
					    .rootfs = dates, .threads = rb->o->threads };
	if (!rc)
		rc = mint_image_build(&bo, &res, err);
	if (!rc) {
		rb->manifests[rb->n] = res.manifests[0];
		rb->archs[rb->n] = origin->arch;
		memcpy(rb->stray[rb->n], res.index.digest, MINT_OCI_DIGEST_MAX);
		if (!rb->n || res.created > rb->created)
			rb->created = res.created;
		rb->n++;
	}
	mint_image_build_result_free(&res);
	mint_image_packages_free(&pkgs);
	if (rc) {
		mint_err_prefix(err, "%s", platform);
	} else if (!rb->have_first) {
		rb->first_cfg = cfg;
		rb->have_first = true;
		return 0;
	}
	mint_image_config_free(&cfg);
	return rc;
}

static int origin_order(const void *a, const void *b)
{
	return mint_arch_compare(((const struct audit_origin *)a)->arch,
				 ((const struct audit_origin *)b)->arch);
}

static int read_origins(struct mint_oci_image *img, struct audit_origin *origins, size_t n,
			struct mint_err *err)
{
	for (size_t i = 0; i < n; i++) {
		int rc = audit_origin_read(img, mint_oci_image_get(img, i), &origins[i], err);
		if (rc)
			return rc;
	}
	qsort(origins, n, sizeof(*origins), origin_order);
	for (size_t i = 1; i < n; i++)
		if (origins[i].arch == origins[i - 1].arch)
			return mint_err_set(err, MINT_EFORMAT, "two images for %s",
					    mint_arch_to_oci(origins[i].arch));
	return 0;
}

static void remove_layout(const char *dir)
{
	char path[MINT_PATH_MAX + 128];
	snprintf(path, sizeof(path), "%s/blobs/sha256", dir);
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/blobs/sha256/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	const char *const parts[] = { "blobs/sha256", "blobs", "index.json", "oci-layout" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, parts[i]);
		if (i < 2)
			rmdir(path);
		else
			unlink(path);
	}
	rmdir(dir);
}

/* The per-arch index blobs the builds wrote, except the final index. */
static void remove_stray(const struct rebuild *rb, const char *final)
{
	for (size_t i = 0; i < rb->n; i++) {
		if (!strcmp(rb->stray[i], final))
			continue;
		char *path = mint_oci_blob_path(rb->dir, rb->stray[i]);
		if (path)
			unlink(path);
		free(path);
	}
}

static int temp_layout(const char *tmpdir, char **out, struct mint_err *err)
{
	const char *base = tmpdir ? tmpdir : getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	size_t len = strlen(base) + sizeof("/mint-rebuild-XXXXXX");
	char *dir = malloc(len);
	if (!dir)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	snprintf(dir, len, "%s/mint-rebuild-XXXXXX", base);
	if (!mkdtemp(dir)) {
		free(dir);
		mint_err_set_file(err, base);
		return mint_err_set(err, MINT_EIO, "cannot create a temporary directory: %s",
				    strerror(errno));
	}
	*out = dir;
	return 0;
}

static bool is_certificate_file(const char *path)
{
	if (!strncmp(path, ADDED_CERT_DIR, strlen(ADDED_CERT_DIR)))
		return true;
	for (size_t i = 0; i < sizeof(certificate_files) / sizeof(certificate_files[0]); i++)
		if (!strcmp(path, certificate_files[i]))
			return true;
	return false;
}

/* Differences in what the certificates step writes mean the original had
 * certificates the locked config no longer names. */
static unsigned certificate_notes(const struct mint_image_diff *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct mint_image_difference *x = &d->v[i];
		const char *path = x->kind == MINT_DIFF_FILE_ADDED ? x->new_file.path
								   : x->old_file.path;
		if (x->kind >= MINT_DIFF_FILE_ADDED && path && is_certificate_file(path))
			return MINT_REBUILD_CERTIFICATES;
	}
	return 0;
}

static int compare(struct rebuild *rb, struct mint_oci_image *img, struct mint_err *err)
{
	struct mint_oci_image *rebuilt = NULL;
	int rc = mint_oci_image_open(rb->dir, &rebuilt, err);
	if (rc) {
		mint_err_prefix(err, "the rebuilt image");
		return rc;
	}
	rc = mint_image_diff(img, rebuilt, &rb->o->limits, &rb->out->diff, err);
	mint_oci_image_free(rebuilt);
	if (!rc) {
		rb->out->match = *rb->out->original && !strcmp(rb->out->original, rb->out->rebuilt);
		rb->out->notes |= certificate_notes(&rb->out->diff);
	}
	return rc;
}

static int build_all(struct rebuild *rb, struct mint_oci_image *img, struct audit_origin *origins,
		     size_t n, struct mint_err *err)
{
	int rc = mint_oci_layout_init(rb->dir, err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = build_one(rb, &origins[i], origins[i].platform, err);
	struct mint_oci_descriptor index;
	if (!rc)
		rc = mint_image_write_index(rb->dir, &rb->first_cfg, rb->manifests, rb->archs,
					    rb->n, rb->created, NULL, &index, err);
	if (rc)
		return rc;
	remove_stray(rb, index.digest);
	snprintf(rb->out->original, sizeof(rb->out->original), "%s",
		 mint_oci_image_index_digest(img));
	memcpy(rb->out->rebuilt, index.digest, MINT_OCI_DIGEST_MAX);
	return compare(rb, img, err);
}

int mint_image_rebuild(struct mint_oci_image *img, const struct mint_image_rebuild_opts *o,
		       struct mint_image_rebuild_result *out, struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	size_t n = mint_oci_image_count(img);
	struct rebuild rb = { .o = o, .out = out };
	struct audit_origin *origins = calloc(n + 1, sizeof(*origins));
	rb.manifests = calloc(n + 1, sizeof(*rb.manifests));
	rb.archs = calloc(n + 1, sizeof(*rb.archs));
	rb.stray = calloc(n + 1, sizeof(*rb.stray));
	char *tmp = NULL;
	int rc = 0;
	if (!origins || !rb.manifests || !rb.archs || !rb.stray) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	rc = n ? read_origins(img, origins, n, err)
	       : mint_err_set(err, MINT_ENOTFOUND, "the image has no platforms");
	if (!rc && !o->output_dir)
		rc = temp_layout(o->tmpdir, &tmp, err);
	rb.dir = o->output_dir ? o->output_dir : tmp;
	if (!rc)
		rc = build_all(&rb, img, origins, n, err);
out:
	if (tmp)
		remove_layout(tmp);
	free(tmp);
	for (size_t i = 0; origins && i < n; i++)
		audit_origin_free(&origins[i]);
	free(origins);
	if (rb.have_first)
		mint_image_config_free(&rb.first_cfg);
	free(rb.manifests);
	free(rb.archs);
	free(rb.stray);
	if (rc) {
		char *explanation = out->explanation;
		out->explanation = NULL;
		mint_image_rebuild_result_free(out);
		out->explanation = explanation;
	}
	return rc;
}

void mint_image_rebuild_result_free(struct mint_image_rebuild_result *r)
{
	if (!r)
		return;
	mint_image_diff_free(&r->diff);
	free(r->explanation);
	memset(r, 0, sizeof(*r));
}
