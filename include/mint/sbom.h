/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SBOMs of images: one model of what an image holds, filled from the image's
 * own root (its installed database, /etc/os-release, the SBOMs packages ship
 * in var/lib/db/sbom/ and, on request, every regular file's hashes), and
 * writers that turn the model into SPDX 2.3 and CycloneDX 1.6 JSON.
 *
 *   collect.c    the collector: entries of a root in walk order -> model;
 *                adapters for an image plan (at build time) and for a
 *                layer's tar stream (an image that already exists)
 *   spdx.c       SPDX 2.3 JSON, per image and for the index
 *   cyclonedx.c  CycloneDX 1.6 JSON, per image and for the index
 *
 * Both ways of filling the model read the same files, so an SBOM made after
 * the fact equals the one made at build time. Everything is deterministic:
 * no wall clock (times are the image's created time), no random IDs
 * (namespaces and serial numbers are derived from digests), lists sorted.
 */
#ifndef MINT_SBOM_H
#define MINT_SBOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_pkg.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/image_plan.h"
#include "mint/oci.h"
#include "mint/source.h"
#include "mint/tar.h"

#define MINT_SBOM_BY_MINT SIZE_MAX /* owner of files no package installed */

/* A regular file of the image (only with hash_files). */
struct mint_sbom_file {
	char *path;                 /* "usr/bin/x", no leading '/' */
	uint64_t size;
	unsigned char sha256[32];
	unsigned char sha1[20];
	size_t owner;               /* index into packages, or MINT_SBOM_BY_MINT */
};

/* An installed package, from usr/lib/apk/db/installed (or lib/apk/db). */
struct mint_sbom_package {
	struct mint_apk_pkg info;   /* name, version, arch, license, origin,
				     * maintainer, url, commit, identity (C:),
				     * depends, provides, ... owned */
	size_t *depends_on;         /* packages this one's D: resolve to, sorted */
	size_t n_depends_on;
	struct mint_buf shipped_sbom; /* var/lib/db/sbom/<name>-<version>.spdx.json
				       * (apko's fallbacks), empty when none */
	char *shipped_sbom_path;
};

/* /etc/os-release (or usr/lib/os-release); present false when missing. */
struct mint_sbom_os {
	bool present;
	char *id, *name, *version_id, *pretty_name, *home_url;
};

struct mint_sbom_layer {
	char digest[MINT_OCI_DIGEST_MAX];  /* compressed */
	char diff_id[MINT_OCI_DIGEST_MAX];
	uint64_t size;
	const char *media_type;
};

/* One architecture's image. The collector fills os, packages and files;
 * the caller fills the rest (known once the image is written). */
struct mint_sbom_image {
	const char *apk_arch;       /* "x86_64" */
	const char *oci_arch;       /* "amd64" */
	const char *variant;        /* "v7" or NULL */
	char *name;                 /* repository for purls: "example.org/app" */
	char manifest_digest[MINT_OCI_DIGEST_MAX];
	char config_digest[MINT_OCI_DIGEST_MAX];
	uint64_t manifest_size;
	struct mint_sbom_layer *layers;
	size_t n_layers;
	int64_t created;            /* the image's created time */
	const char *vcs_url;        /* "url@commit" or NULL */

	struct mint_sbom_os os;
	struct mint_sbom_package *packages; /* installed db order */
	size_t n_packages;
	bool has_files;
	struct mint_sbom_file *files;       /* sorted by path */
	size_t n_files;
};

struct mint_sbom_index {
	char *name;
	char digest[MINT_OCI_DIGEST_MAX];
	uint64_t size;
	int64_t created;
	const struct mint_sbom_image *images; /* one per arch, index order */
	size_t n_images;
};

void mint_sbom_image_free(struct mint_sbom_image *img); /* what the collector and caller own */

/* ---- collecting (collect.c) ---- */

struct mint_sbom_collector;

struct mint_sbom_collect_opts {
	bool hash_files;            /* --sbom-files */
	size_t max_file_bytes;      /* small files read whole (db, os-release,
				     * shipped SBOMs); 0: 64 MiB */
};

int mint_sbom_collector_new(struct mint_sbom_collector **out,
			    const struct mint_sbom_collect_opts *opts, struct mint_err *err);
/* Every entry of the root, in walk order; content is the regular file's
 * bytes (exactly size of them), NULL for other types. A hardlink names
 * its target in link_target (content NULL: the collector reuses the
 * target's hashes). */
int mint_sbom_collector_entry(struct mint_sbom_collector *c, const char *path,
			      enum mint_tar_type type, uint64_t size, const char *link_target,
			      struct mint_source *content, struct mint_err *err);
/* Builds the model into img (os, packages, depends_on, shipped SBOMs,
 * files with owners: R: entries of the installed db; every other regular
 * file is MINT_SBOM_BY_MINT). */
int mint_sbom_collector_finish(struct mint_sbom_collector *c, struct mint_sbom_image *img,
			       struct mint_err *err);
void mint_sbom_collector_free(struct mint_sbom_collector *c);
/* Whether the collector reads the content of a regular file at path (a
 * clean path, as entries are named after cleaning): adapters open content
 * only then and pass NULL otherwise. */
bool mint_sbom_collector_wants_content(const struct mint_sbom_collector *c, const char *path);
/* One layer's tar (names cleaned; untrusted: errors carry the entry's
 * offset). Layers go in bottom-up order; a later layer's entry replaces an
 * earlier one at the same path, and its whiteouts (".wh.<name>",
 * ".wh..wh..opq") remove what the layers below had there. */
int mint_sbom_collector_add_tar(struct mint_sbom_collector *c, struct mint_source tar,
				struct mint_err *err);

/* os-release text (KEY=value lines, shell quoting, # comments) into *out,
 * present set; unknown keys and malformed lines are skipped, a later key
 * wins. 0 or MINT_ENOMEM (*out then zeroed). Free with mint_sbom_os_free. */
int mint_sbom_os_release_parse(struct mint_span text, struct mint_sbom_os *out);
void mint_sbom_os_free(struct mint_sbom_os *os);

/* Adapters: the plan's walk (content through reader), or a layer's tar. */
int mint_sbom_collect_plan(const struct mint_image_plan *p,
			   const struct mint_plan_content_reader *reader,
			   const struct mint_sbom_collect_opts *opts, struct mint_sbom_image *img,
			   struct mint_err *err);
int mint_sbom_collect_tar(struct mint_source tar, const struct mint_sbom_collect_opts *opts,
			  struct mint_sbom_image *img, struct mint_err *err);

/* ---- writing (spdx.c, cyclonedx.c) ---- */

/* The documents as bytes: JSON with two-space indent and a final newline. */
int mint_sbom_spdx_image(const struct mint_sbom_image *img, struct mint_buf *out,
			 struct mint_err *err);
int mint_sbom_spdx_index(const struct mint_sbom_index *ix, struct mint_buf *out,
			 struct mint_err *err);
int mint_sbom_cdx_image(const struct mint_sbom_image *img, struct mint_buf *out,
			struct mint_err *err);
int mint_sbom_cdx_index(const struct mint_sbom_index *ix, struct mint_buf *out,
			struct mint_err *err);

/* "pkg:apk/<os id or unknown>/<name>@<version>?arch=<arch>" (purl-escaped). */
int mint_sbom_apk_purl(const struct mint_sbom_image *img, const struct mint_sbom_package *p,
		       struct mint_buf *out);

#endif
