/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parts of an image root that apko makes beyond the packages' own
 * files, as functions over the image plan (mint/image_plan.h). Each is
 * called after the packages are in the plan, in apko's order: skeleton,
 * (accounts, /etc/apko.json), paths, certificates, busybox, devices,
 * ld.so.cache, and owner names last, when passwd and group are final.
 *
 *   rootfs_read.c      whole regular files out of the plan
 *   rootfs_skeleton.c  apk's directories, the db lock and lib/apk
 *   rootfs_devices.c   the five character devices
 *   rootfs_paths.c     the configuration's `paths`
 *   rootfs_certs.c     extra CA certificates, bundles and their .sha256
 *   rootfs_busybox.c   busybox applet links
 *   rootfs_ldso_conf.c etc/ld.so.conf and its includes
 *   rootfs_ldso.c      etc/ld.so.cache, written and read back
 *   rootfs_owners.c    uname/gname from the image's passwd and group
 *
 * Every function returns 0 or a negative MINT_E* code and fills err. Where
 * apko's behaviour is odd, mint follows it and docs/rootfs.md says so.
 */
#ifndef MINT_IMAGE_ROOTFS_H
#define MINT_IMAGE_ROOTFS_H

#include <stddef.h>
#include <stdint.h>

#include "mint/buf.h"
#include "mint/err.h"
#include "mint/image_config.h"
#include "mint/image_plan.h"
#include "mint/span.h"

/* The whole content of the regular file at path (symlinks followed, also
 * the last one; a hardlink reads its target): OWNED content copied, PACKAGE
 * content pulled through reader (which may be NULL when no package content
 * is read). out is replaced. MINT_ENOTFOUND absent, MINT_EINVAL not a
 * regular file, MINT_ELIMIT more than max bytes. */
int mint_image_plan_read_file(const struct mint_image_plan *p, const char *path,
			      const struct mint_plan_content_reader *reader, size_t max,
			      struct mint_buf *out, struct mint_err *err);

/* apko's InitDB directories, where missing: tmp (01777), dev, etc, opt,
 * proc (0555), var, usr, etc/apk, etc/apk/keys, usr/lib, usr/lib/apk,
 * usr/lib/apk/db, usr/lib/apk/exec, var/cache, var/cache/apk,
 * var/cache/misc (0755), 0:0, mtime 0; the empty usr/lib/apk/db/lock
 * (0600). apko makes these before any package, so a directory a package
 * also declares keeps the package's mtime and xattrs but gets the
 * skeleton's mode and 0:0. Then apko's resolveApkDB: lib/apk becomes the
 * symlink ../usr/lib/apk unless lib or lib/apk already points at usr/lib
 * (or usr/lib/apk); a missing lib becomes the symlink usr/lib when a
 * package provides merged-lib, else a directory. */
int mint_image_rootfs_skeleton(struct mint_image_plan *p, struct mint_err *err);

/* Character devices dev/zero 1,5, dev/urandom 1,9, dev/null 1,3,
 * dev/random 1,8 (0666) and dev/console 5,1 (0620), 0:0, mtime 0, each
 * only where nothing is; dev is created (0755) when missing. */
int mint_image_rootfs_devices(struct mint_image_plan *p, struct mint_err *err);

/* The configuration's paths, in order, with apko's semantics: directory
 * (mkdir -p, new directories get the permissions), empty-file, hardlink
 * (replaces what is there), symlink (refused where something is), each
 * with missing parents created 0755; then chmod to the permissions and,
 * when uid or gid is given, chown (the other one 0), both following
 * symlinks as apko's filesystem does; permissions (chmod and chown only);
 * recursive for directory and permissions applies the mode and owner to
 * everything below. New nodes get mtime 0 (symlinks their directory's).
 * Errors name the entry as "paths[i] (<type> <path>)". */
int mint_image_rootfs_paths(struct mint_image_plan *p, const struct mint_image_path *paths,
			    size_t n, struct mint_err *err);

/* apko's certificates: each certificates.additional entry (one PEM
 * CERTIFICATE) is written to usr/local/share/ca-certificates/
 * <name>-<sha256 of the DER>.crt (0644); the .crt and .pem files of the
 * packages that provide one of certificates.providers are read in sorted
 * path order (those that are not one certificate are skipped, those under
 * usr/share/ca-certificates/ are listed in etc/ca-certificates.conf); all
 * of them, re-encoded, are appended with a newline each to whichever of
 * etc/ssl/certs/ca-certificates.crt, var/lib/ecs/deps/execute-command/
 * certs/tls-ca-bundle.pem and kaniko/ssl/certs/ca-certificates.crt exist.
 * Then, always, each of those bundles and etc/ssl/certs/java/cacerts that
 * exists gets the sidecar .<name>.sha256 ("<hex>  <name>\n", 0444). Files
 * written or changed get mtime build_epoch. The Java truststore itself is
 * never changed (see docs/rootfs.md). cfg may be NULL: sidecars only. */
int mint_image_rootfs_certificates(struct mint_image_plan *p,
				   const struct mint_plan_content_reader *reader,
				   const struct mint_image_config *cfg, int64_t build_epoch,
				   struct mint_err *err);

/* Busybox links: when bin/busybox exists, every line of every regular file
 * in etc/busybox-paths.d/ (files in byte order) names a path that becomes
 * an absolute symlink to /bin/busybox, unless a symlink or regular file is
 * there already; missing parents are created 0755 with the mtime of
 * bin/busybox, links get their directory's mtime. Without
 * etc/busybox-paths.d nothing is done (apko falls back to a compiled-in
 * table per busybox version, which mint does not carry). */
int mint_image_rootfs_busybox(struct mint_image_plan *p,
			      const struct mint_plan_content_reader *reader,
			      struct mint_err *err);

/* glibc's cache as apko writes it: when etc/ld.so.conf exists, the
 * directories it names (includes resolved in the plan) after /lib are
 * scanned for lib*.so* / ld-*.so* ELF shared objects whose SONAME (or, for
 * a *.so without one, its name) fits the file name, and etc/ld.so.cache is
 * written in the "glibc-ld.so.cache1.1" format, entries in descending order
 * of file name. Only for amd64 and arm64; other archs: nothing is done. */
int mint_image_rootfs_ldso_cache(struct mint_image_plan *p,
				 const struct mint_plan_content_reader *reader,
				 enum mint_arch arch, struct mint_err *err);

/* Lists the directories of etc/ld.so.conf as apko reads them (for tests,
 * fuzzing and `mint` diagnostics): each entry a malloc'd string, as written
 * in the file. Free with mint_image_ldso_dirs_free. */
struct mint_image_ldso_dirs {
	char **v;
	size_t n;
};
int mint_image_ldso_conf_dirs(const struct mint_image_plan *p,
			      const struct mint_plan_content_reader *reader,
			      struct mint_image_ldso_dirs *out, struct mint_err *err);
void mint_image_ldso_dirs_free(struct mint_image_ldso_dirs *d);

/* One entry of an ld.so.cache file as read back by mint_image_ldso_cache_parse. */
struct mint_image_ldso_entry {
	uint32_t flags;
	struct mint_span key;    /* the library's file name */
	struct mint_span value;  /* its absolute path */
	uint32_t os_version;
	uint64_t hwcap;
};

/* Reads a "glibc-ld.so.cache1.1" file (little endian, standalone new
 * format, as apko and glibc's ldconfig write it), calling fn for each entry;
 * strings point into data. MINT_EFORMAT / MINT_ETRUNCATED with the offset
 * when the bytes do not hold. *n_entries gets the header's count. */
typedef int (*mint_ldso_entry_fn)(void *ctx, const struct mint_image_ldso_entry *e,
				  struct mint_err *err);
int mint_image_ldso_cache_parse(struct mint_span data, mint_ldso_entry_fn fn, void *ctx,
				uint32_t *n_entries, struct mint_err *err);

/* uname/gname of every node: the name passwd (by uid) and group (by gid)
 * give, else "". Like apko, the last line with an id wins, reading stops at
 * the first malformed line (blank lines and '#' comments are skipped), and
 * a name longer than 32 bytes (a tar header's field) leaves the field
 * empty. */
int mint_image_rootfs_owner_names(struct mint_image_plan *p, struct mint_span passwd,
				  struct mint_span group, struct mint_err *err);

#endif
