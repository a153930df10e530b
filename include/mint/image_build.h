/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building an image from an apko configuration: which packages (resolved
 * from the repositories, or taken from a lock), the rootfs of each
 * architecture as an image plan, one layer per architecture, and the OCI
 * documents, written into a layout directory.
 *
 *   image_packages.c   config -> packages per arch (resolve or lock), fetched
 *                      into the verifying cache and read
 *   pkgdata.c          each package's data stream inflated once into an
 *                      unlinked temporary file; the plan's content reader
 *                      preads file contents from it
 *   rootfs.c           packages + generated files -> the image plan
 *   build.c            plan -> layer -> config -> manifest, per arch in
 *                      parallel; the index over them
 *
 * Nothing is extracted and nothing is run; the same inputs give the same
 * bytes (docs/image-build.md lists what decides each byte).
 */
#ifndef MINT_IMAGE_BUILD_H
#define MINT_IMAGE_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_cache.h"
#include "mint/apk_package.h"
#include "mint/apk_trust.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/image_config.h"
#include "mint/image_lock.h"
#include "mint/image_plan.h"
#include "mint/oci.h"

/* ---- packages (image_packages.c) ---- */

struct mint_image_source_opts {
	struct mint_apk_cache *cache;
	unsigned repo_flags;          /* MINT_APK_REPO_ALLOW_UNTRUSTED */
	const struct mint_apk_limits *limits; /* NULL: the cache's */
	/* Keep each package's uncompressed data stream, copied while the
	 * package is read and verified, in an unlinked temporary file in
	 * tmpdir (NULL: $TMPDIR or /tmp), for mint_image_pkgdata_open: a
	 * build then inflates every data member once. Leave it off when only
	 * the package list is wanted (a lock). */
	bool keep_data;
	const char *tmpdir;
};

/* A package to install: its verified file in the cache, read. */
struct mint_image_install {
	char *url;              /* where it came from */
	char *lock_url;         /* what a lock records: a local repository's path
				 * stays relative, as the config wrote it */
	char *path;             /* the .apk in the cache */
	char *tag;              /* "@tag" pin of its repository, or NULL */
	struct mint_apk_package pkg;
	bool has_data_fd;       /* keep_data: data_fd holds the data stream, verified */
	int data_fd;            /* closed by mint_image_packages_free */
};

struct mint_image_arch_packages {
	enum mint_arch arch;
	struct mint_image_install *pkgs; /* install order */
	size_t n;
};

/* The keys of the config's keyring: name as given, file contents. */
struct mint_image_key {
	char *name;
	struct mint_buf pem;
};

struct mint_image_packages {
	struct mint_image_arch_packages *archs; /* cfg->archs order */
	size_t n_archs;
	struct mint_image_key *keys;
	size_t n_keys;
	struct mint_apk_keyring keyring; /* the keys above, for verification */
	char *explanation;    /* an unsatisfiable world: apk's explanation */
};

/* Reads the config's keyring (files, relative to the current directory),
 * resolves its packages on every arch of cfg (which must have archs),
 * downloads them into the cache and reads them. */
int mint_image_packages_resolve(const struct mint_image_config *cfg,
				const struct mint_image_source_opts *o,
				struct mint_image_packages *out, struct mint_err *err);
/* The same from a lock: no index is read; each package is fetched from
 * its URL and must match its lock entry byte for byte (ranges, checksums,
 * identity). A lock whose config checksum differs from cfg's is refused;
 * a lock without an arch of cfg is refused. */
int mint_image_packages_from_lock(const struct mint_image_config *cfg,
				  const struct mint_lock *lock,
				  const struct mint_image_source_opts *o,
				  struct mint_image_packages *out, struct mint_err *err);
void mint_image_packages_free(struct mint_image_packages *p);

/* The lock of what was resolved (config name as given). */
int mint_image_packages_lock(const struct mint_image_config *cfg, const char *config_name,
			     const struct mint_image_packages *p, struct mint_lock *out,
			     struct mint_err *err);

/* ---- package data (pkgdata.c) ---- */

/* Each package's data stream in an unlinked temporary file: the one the
 * package was read into (has_data_fd; used, not closed, so pkgs must
 * outlive it), else inflated again into one in tmpdir (NULL: $TMPDIR or
 * /tmp). Serves as the plan's content reader. */
struct mint_image_pkgdata;
int mint_image_pkgdata_open(struct mint_image_pkgdata **out,
			    const struct mint_image_arch_packages *pkgs, const char *tmpdir,
			    struct mint_err *err);
/* An unlinked temporary file in tmpdir (NULL: $TMPDIR or /tmp), read-write. */
int mint_image_pkgdata_tmpfile(const char *tmpdir, int *fd, struct mint_err *err);
/* A sink that appends to the file *fd (for mint_apk_cache_read_package_ex). */
struct mint_apk_data_sink mint_image_pkgdata_sink(int *fd);
void mint_image_pkgdata_reader(struct mint_image_pkgdata *d, struct mint_plan_content_reader *r);
void mint_image_pkgdata_free(struct mint_image_pkgdata *d);

/* ---- the rootfs of one arch (rootfs.c) ---- */

struct mint_image_rootfs {
	struct mint_image_plan *plan;
	struct mint_image_pkgdata *data;
	struct mint_plan_content_reader reader;
	int64_t created;        /* the image's created time */
	struct mint_buf locked_config; /* /etc/apko.json */
};

struct mint_image_rootfs_opts {
	int64_t build_date;     /* --build-date or SOURCE_DATE_EPOCH, else 0 */
	bool source_date_epoch; /* created = build_date exactly */
	const char *tmpdir;
};

/* Everything apko puts in the root of one architecture, in apko's order:
 * packages, the apk database and /etc/apk, accounts, /etc/apko.json,
 * paths, certificates, runtime keys, busybox links, device nodes,
 * ld.so.cache. */
int mint_image_rootfs_build(const struct mint_image_config *cfg,
			    const struct mint_image_packages *all, size_t arch_index,
			    const struct mint_image_rootfs_opts *o, struct mint_image_rootfs *out,
			    struct mint_err *err);
void mint_image_rootfs_free(struct mint_image_rootfs *r);

/* The locked config of one arch: packages = every installed package as
 * sorted "name=version" (with its repository's @tag), archs = [arch]. */
int mint_image_locked_config(const struct mint_image_config *cfg,
			     const struct mint_image_arch_packages *pkgs,
			     struct mint_image_config *out, struct mint_err *err);

/* ---- words (shell_words.c) ---- */

/* Splits an entrypoint command or cmd into words as apko does (Go's
 * shlex): blanks separate, quotes group, backslash escapes, '#' starts a
 * comment. out is NULL-terminated; free each word and v. */
int mint_shell_split(const char *s, struct mint_image_strs *out, struct mint_err *err);

/* ---- vcs (vcs.c) ---- */

/* apko's --vcs: "<origin URL>@<HEAD commit>" of the git checkout holding
 * config_path (searched up to the current directory), or empty when there
 * is none (or its origin is a local path). Reads git's files, runs nothing. */
int mint_image_vcs_probe(const char *config_path, struct mint_buf *out, struct mint_err *err);

/* ---- the image (build.c) ---- */

struct mint_image_build_opts {
	const struct mint_image_config *cfg;
	const struct mint_image_packages *packages;
	const char *layout_dir;   /* created when missing */
	const char *ref_name;     /* index.json annotation; NULL: none */
	struct mint_image_rootfs_opts rootfs;
	unsigned threads;         /* compression threads per layer; 0: online CPUs */
	int level;                /* gzip level; 0: 6 */
};

struct mint_image_build_result {
	struct mint_oci_descriptor index;       /* the image index blob */
	struct mint_oci_descriptor *manifests;  /* per arch, cfg->archs order */
	size_t n_manifests;
	int64_t created;
};

/* Builds every arch (in parallel), writes the index blob and index.json
 * holding one descriptor for it. */
int mint_image_build(const struct mint_image_build_opts *o, struct mint_image_build_result *out,
		     struct mint_err *err);
void mint_image_build_result_free(struct mint_image_build_result *r);

/* The image index over manifests built one arch at a time (manifests[i]
 * is archs[i]'s, in the order given), annotated as mint_image_build
 * annotates it for cfg, with created as its created time; written as a
 * blob of layout_dir and named by index.json (tagged ref_name unless
 * NULL). out gets the index blob's descriptor (no annotations). */
int mint_image_write_index(const char *layout_dir, const struct mint_image_config *cfg,
			   const struct mint_oci_descriptor *manifests, const enum mint_arch *archs,
			   size_t n, int64_t created, const char *ref_name,
			   struct mint_oci_descriptor *out, struct mint_err *err);

#endif
