/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to spdx.c and spdx_merge.c: an SPDX document being assembled.
 * Elements are collected first and written last, because the merge of
 * shipped SBOMs must know every SPDXID already taken and may add license
 * texts to packages written before it. Strings live in the arena.
 */
#ifndef MINT_SBOM_SPDX_DOC_H
#define MINT_SBOM_SPDX_DOC_H

#include <jansson.h>

#include "mint/arena.h"
#include "mint/hashmap.h"
#include "writer.h"

struct spdx_checksum {
	const char *alg;   /* "SHA1", "SHA256", ... */
	const char *value; /* lowercase hex */
};

struct spdx_extref {
	const char *category, *type, *locator;
};

/* NULL strings are left out of the document. */
struct spdx_package {
	const char *id, *name, *version;
	const char *license_concluded, *license_declared;
	const char *description, *download, *homepage;
	const char *originator, *supplier, *source_info, *copyright;
	const char *purpose, *comment;
	struct spdx_checksum *checksums;
	size_t n_checksums;
	struct spdx_extref *refs;
	size_t n_refs;
};

struct spdx_file {
	const char *id, *name;
	char sha1[41], sha256[65];
};

struct spdx_rel {
	const char *a, *type, *b;
};

struct spdx_license {
	const char *id, *text;
	bool synthesized; /* made by mint: a shipped SBOM's own text replaces it */
};

/* What an SPDXID in the document names. */
enum spdx_id_kind {
	SPDX_ID_OURS = 1,   /* made by mint from the model */
	SPDX_ID_MERGED = 2, /* copied from a shipped SBOM */
};

struct spdx_doc {
	const struct mint_sbom_image *img;
	struct mint_err *err;
	struct mint_arena arena;
	struct spdx_package *pkgs;
	size_t n_pkgs, cap_pkgs;
	struct spdx_file *files;
	size_t n_files;
	struct spdx_rel *rels;
	size_t n_rels, cap_rels;
	struct spdx_license *lics;
	size_t n_lics, cap_lics;
	struct mint_hashmap ids;      /* SPDXID -> enum spdx_id_kind */
	struct mint_hashmap rel_set;  /* "a type b" -> NULL: no relationship twice */
	struct mint_hashmap lic_ids;  /* licenseId -> index + 1 into lics */
	struct mint_hashmap lic_text; /* license text -> its LicenseRef id */
	struct mint_hashmap apk_ids;  /* "name\nversion" of each apk -> its SPDXID */
	struct mint_hashmap merged;   /* a shipped SPDXID, sanitized -> its id here */
	struct mint_hashmap next_suffix; /* an id taken -> the next -N to try for it */
	size_t *apk_pkg;              /* model package index -> index into pkgs */
	const char *container_id;     /* what CONTAINS the apks: the one layer, or the image */
	const char *os_supplier;      /* "Organization: <OS name>", or NULL */
};

/* All return 0 or MINT_ENOMEM (with err set). */
char *spdx_strdup(struct spdx_doc *doc, struct mint_span s);
/* "SPDXRef-<prefix><s>" with every byte outside [A-Za-z0-9.-] turned into
 * '-'; when that is taken, "-2", "-3", ... is appended. Registers the id
 * as kind. NULL when out of memory. */
const char *spdx_new_id(struct spdx_doc *doc, const char *prefix, struct mint_span s,
			enum spdx_id_kind kind);
/* "SPDXRef-<prefix><s>" sanitized as above, not registered; NULL when out
 * of memory. */
char *spdx_id_text(struct spdx_doc *doc, const char *prefix, struct mint_span s);
/* Takes id (an arena string) for kind. */
int spdx_register_id(struct spdx_doc *doc, const char *id, enum spdx_id_kind kind);
/* The kind of id, or 0 when the document has no such id. */
int spdx_id_kind(const struct spdx_doc *doc, const char *id);
/* Appends a copy of p (the struct; strings are kept as they are). */
int spdx_add_package(struct spdx_doc *doc, const struct spdx_package *p);
/* Adds a relationship unless the same one is there already. */
int spdx_add_rel(struct spdx_doc *doc, const char *a, const char *type, const char *b);
/* The licenseDeclared/licenseConcluded value for a license field: NONE
 * and NOASSERTION as they are, NULL or "" as NOASSERTION, an SPDX
 * expression as it is, anything else as a LicenseRef- of its own whose
 * text is the field. Every LicenseRef used gets extracted licensing info:
 * from infos (a shipped document's hasExtractedLicensingInfos, may be
 * NULL) when it has that id, else a text made by mint. *out is NULL only
 * on error. */
int spdx_license(struct spdx_doc *doc, const char *field, const json_t *infos,
		 const char **out);

/* spdx_merge.c: merges the SPDX document the model's package pkg ships
 * into doc. A document that cannot be merged is noted in the package's
 * comment; only running out of memory is an error. */
int spdx_merge_shipped(struct spdx_doc *doc, size_t pkg);

#endif
