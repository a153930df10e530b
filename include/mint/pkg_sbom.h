/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SPDX 2.3 SBOM every built package carries at
 * var/lib/db/sbom/<name>-<version>-r<epoch>.spdx.json, shaped as
 * melange's (pkg/build/sbom/spdx): the document describes the apk
 * package (purl pkg:apk/<namespace>/<name>@<full-version>?arch=...,
 * licenseDeclared from the recipe's copyright), its OS, the recipe as an
 * INSTALL-time package and the fetched sources. Deterministic: the
 * document namespace and created time come from the inputs only.
 */
#ifndef MINT_PKG_SBOM_H
#define MINT_PKG_SBOM_H

#include <stddef.h>
#include <stdint.h>

#include "mint/buf.h"
#include "mint/err.h"

struct mint_pkg_sbom_source {
	const char *uri;
	const char *sha256;     /* hex or NULL */
	const char *sha512;     /* hex or NULL */
};

struct mint_pkg_sbom_in {
	const char *name;
	const char *full_version;  /* "1.2.3-r0" */
	const char *arch;          /* apk arch */
	const char *license;       /* SPDX expression or NULL (NOASSERTION) */
	const char *namespace_;    /* melange --namespace; NULL: "unknown" */
	const char *description;
	const char *url;
	const char *commit;
	const char *recipe_name;   /* the origin package's name */
	const char *recipe_sha256; /* hex of the recipe file's bytes */
	const struct mint_pkg_sbom_source *sources;
	size_t n_sources;
	int64_t created;           /* SOURCE_DATE_EPOCH */
};

/* Appends the JSON document (two-space indented, trailing newline). */
int mint_pkg_sbom_spdx(const struct mint_pkg_sbom_in *in, struct mint_buf *out,
		       struct mint_err *err);

#endif
