/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bytes of the files apko generates inside an image, as pure functions:
 * nothing here touches the file system, each function fills a buffer.
 *
 *   installed_db.c  usr/lib/apk/db/{installed,scripts.tar,triggers}
 *   apk_etc.c       etc/apk/{world,repositories,arch} and key names
 *   accounts.c      etc/passwd, etc/group, etc/shadow, home directories, run-as
 */
#ifndef MINT_IMAGE_FILES_H
#define MINT_IMAGE_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_installed.h"
#include "mint/apk_package.h"
#include "mint/apk_pkg.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/span.h"
#include "mint/tar.h"

/* ---- installed database (installed_db.c) ---- */

/* One installed package, borrowed from its reader (mint/apk_package.h). */
struct mint_image_pkg {
	const struct mint_apk_pkg *info;   /* .PKGINFO; info->identity set */
	const struct mint_apk_entry *entries; /* data entries, archive order */
	size_t n_entries;
	const struct mint_apk_script *scripts; /* ".post-install", ... */
	size_t n_scripts;
};

/* "Q1" + base64 of the SHA-1 apk computes over xattrs: for each (sorted by
 * name) a big-endian u32 name length, the name, a big-endian u32 value
 * length, the value. out needs 32 bytes. */
int mint_image_xattr_digest(const struct mint_xattr *x, size_t n, char out[32]);

/* Builds the records for pkgs in install order: F: per directory (M: when
 * not 0:0:0755 or with xattrs), R: per non-directory (a: when not 0:0:0644
 * or with xattrs), Z: from the entry's APK-TOOLS.checksum.SHA1 (for a
 * symlink without one, the SHA-1 of its target). A path a later package
 * also ships is dropped from the earlier record, as apko does. The records'
 * pkg members are shallow copies of the inputs' info (borrowed strings):
 * release with mint_image_installed_db_free, never mint_apk_installed_free. */
int mint_image_installed_db_build(const struct mint_image_pkg *pkgs, size_t n,
				  struct mint_apk_installed_db *out, struct mint_err *err);
void mint_image_installed_db_free(struct mint_apk_installed_db *db);
/* The file's bytes: build + mint_apk_installed_write. */
int mint_image_installed_db(const struct mint_image_pkg *pkgs, size_t n, struct mint_buf *out,
			    struct mint_err *err);

/* scripts.tar: every control script as <name>-<ver>.<identity>.<action>,
 * mtime = the package's build time; an empty archive when there are none. */
int mint_image_scripts_tar(const struct mint_image_pkg *pkgs, size_t n, struct mint_buf *out,
			   struct mint_err *err);
/* triggers: "<identity> <glob>..." for each package with triggers. */
int mint_image_triggers(const struct mint_image_pkg *pkgs, size_t n, struct mint_buf *out,
			struct mint_err *err);

/* ---- /etc/apk (apk_etc.c) ---- */

/* etc/apk/world: each constraint parsed and written back canonically, one
 * per line, sorted byte-wise, duplicates once. */
int mint_image_world(const char *const *constraints, size_t n, struct mint_buf *out,
		     struct mint_err *err);
/* etc/apk/repositories: "url" or "@tag url" per line, trailing '/' of the
 * url trimmed, sorted, duplicates once. */
int mint_image_repositories(const char *const *repos, size_t n, struct mint_buf *out,
			    struct mint_err *err);
/* etc/apk/arch: the arch and a newline. */
int mint_image_arch(const char *arch, struct mint_buf *out, struct mint_err *err);
/* "etc/apk/keys/<basename of key_path>" (key contents are copied as-is). */
int mint_image_key_path(const char *key_path, struct mint_buf *out, struct mint_err *err);

/* ---- accounts (accounts.c) ---- */

struct mint_image_account_user {
	const char *username;
	uint32_t uid;        /* not 0 */
	bool has_gid;
	uint32_t gid;        /* default: uid */
	const char *shell;   /* NULL: /bin/sh */
	const char *homedir; /* NULL: /home/<username> */
};

struct mint_image_account_group {
	const char *groupname;
	uint32_t gid;
	const char *const *members;
	size_t n_members;
};

struct mint_image_account_spec {
	const struct mint_image_account_user *users;
	size_t n_users;
	const struct mint_image_account_group *groups;
	size_t n_groups;
	const char *run_as; /* user name or decimal uid, or NULL */
};

struct mint_image_home {
	char *path;          /* absolute, as configured */
	uint32_t uid, gid, mode; /* mode 0700; parents are the planner's (0755) */
};

struct mint_image_account_files {
	struct mint_buf passwd;  /* always written, maybe empty */
	bool write_group;        /* groups configured */
	struct mint_buf group;
	bool write_shadow;       /* users configured */
	struct mint_buf shadow;
	struct mint_image_home *homes; /* one per user, /dev/null skipped */
	size_t n_homes;
	bool has_run_as;
	uint32_t run_as_uid;
};

/* Appends the configured users and groups to what the packages ship (empty
 * spans when they ship nothing): existing lines are kept as they are, then
 * "name:x:uid:gid:Account created by apko:home:shell" per user,
 * "name:x:gid:m1,m2" per group and "name:!:::::::" in shadow. A username,
 * uid or group name given twice (or already in the shipped file) is
 * MINT_EDUPLICATE; a malformed shipped line MINT_EFORMAT with line:column;
 * run-as naming no user MINT_ENOTFOUND. */
int mint_image_accounts_build(const struct mint_image_account_spec *cfg, struct mint_span passwd,
			      struct mint_span group, struct mint_span shadow,
			      struct mint_image_account_files *out, struct mint_err *err);
void mint_image_account_files_free(struct mint_image_account_files *f);

#endif
