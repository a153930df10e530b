/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One package's metadata, as every apk text format carries it: a .PKGINFO,
 * a record of an APKINDEX and a record of the installed database all fill
 * this same struct, so they convert into each other without loss.
 *
 * Strings are malloc'd and NUL-terminated, NULL when absent (an empty field
 * that was present, such as "U:", is ""). Dependency-like fields are kept as
 * lists of their textual items ("so:libc.musl-x86_64.so.1", "foo>=1.2");
 * mint/apk_dep.h parses an item.
 */
#ifndef MINT_APK_PKG_H
#define MINT_APK_PKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mint_strlist {
	char **items;
	size_t n;
	size_t cap; /* allocated slots; managed by mint_strlist_add */
};

int mint_strlist_add(struct mint_strlist *l, const char *s, size_t len);
void mint_strlist_free(struct mint_strlist *l);

struct mint_apk_pkg {
	char *name;         /* P / pkgname */
	char *version;      /* V / pkgver */
	char *arch;         /* A / arch */
	char *description;  /* T / pkgdesc */
	char *url;          /* U / url */
	char *license;      /* L / license */
	char *origin;       /* o / origin */
	char *maintainer;   /* m / maintainer */
	char *commit;       /* c / commit */
	char *packager;     /* .PKGINFO packager (not in indexes) */
	char *identity;     /* C: "Q1<base64 SHA-1>" text, as written */
	char *datahash;     /* .PKGINFO datahash: hex SHA-256 of the data member */

	bool has_build_time;
	uint64_t build_time;     /* t / builddate, unix seconds */
	bool has_file_size;
	uint64_t file_size;      /* S: size of the .apk file */
	bool has_installed_size;
	uint64_t installed_size; /* I / size */
	bool has_provider_priority;
	uint64_t provider_priority; /* k / provider_priority */
	bool has_replaces_priority;
	uint64_t replaces_priority; /* q / replaces_priority */

	struct mint_strlist depends;    /* D / depend */
	struct mint_strlist provides;   /* p / provides */
	struct mint_strlist install_if; /* i / install_if */
	struct mint_strlist replaces;   /* r / replaces */
	struct mint_strlist triggers;   /* .PKGINFO triggers */

	/* Index reader verdict: the record carried an unknown uppercase field,
	 * so apk-tools would refuse to install it. Never written out. */
	bool uninstallable;
	/* The strings and lists live in their index's arena (mint/apk_index.h):
	 * read-only, released with the index; mint_apk_pkg_free only clears. */
	bool arena_owned;

	/* Installed database only (lib/apk/db/installed). */
	struct mint_strlist tags;       /* g: space-separated tags */
	char *repo_tag;                 /* s: repository tag the package came from */
	unsigned db_flags;              /* f: MINT_APK_DBF_* */
};

/* Letters of the installed database's f: field. */
enum mint_apk_db_flag {
	MINT_APK_DBF_BROKEN_FILES = 1 << 0,  /* 'f' */
	MINT_APK_DBF_BROKEN_SCRIPT = 1 << 1, /* 's' */
	MINT_APK_DBF_BROKEN_XATTR = 1 << 2,  /* 'x' */
	MINT_APK_DBF_SHA256_160 = 1 << 3,    /* 'S': Z: digests are SHA-256 cut to 160 bits */
};

void mint_apk_pkg_free(struct mint_apk_pkg *p);

#endif
