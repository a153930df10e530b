/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SBOMs packages ship (var/lib/db/sbom/<name>-<version>.spdx.json),
 * merged into the image's SPDX document the way apko merges them:
 *
 *   - the packages the shipped document describes (documentDescribes or a
 *     DESCRIBES relationship of SPDXRef-DOCUMENT) whose name is the apk's
 *     are the apk itself: they become mint's own package of it, which takes
 *     their copyright text (and their license when it has none);
 *   - every package reached from those by the document's relationships
 *     (element to related, transitively) is copied, with its relationships;
 *     files are dropped, so relationships to files are too;
 *   - a reached package whose name and version are another installed
 *     apk's is that apk: the relationship goes to mint's package of it;
 *   - copied packages keep their SPDXID when it is free; one that two
 *     shipped documents share is the same package (apko deduplicates by
 *     SPDXID); one that clashes with an id of mint's own becomes
 *     SPDXRef-Merged-<id>.
 *
 * Shipped documents are untrusted input. Only known fields of the types
 * and values SPDX 2.3 allows are copied, SPDXIDs are sanitized, licenses go
 * through the same check as mint's own, and nothing read is trusted to be
 * small: lookups are hashed, so the work grows with the document's size.
 * A document that cannot be read or describes something else is not an
 * error: the apk's package says so in its comment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/encode.h"
#include "spdx_doc.h"

static const char *const relationship_types[] = {
	"AMENDS", "ANCESTOR_OF", "BUILD_DEPENDENCY_OF", "BUILD_TOOL_OF", "CONTAINED_BY",
	"CONTAINS", "COPY_OF", "DATA_FILE_OF", "DEPENDENCY_MANIFEST_OF", "DEPENDENCY_OF",
	"DEPENDS_ON", "DESCENDANT_OF", "DESCRIBED_BY", "DESCRIBES", "DEV_DEPENDENCY_OF",
	"DEV_TOOL_OF", "DISTRIBUTION_ARTIFACT", "DOCUMENTATION_OF", "DYNAMIC_LINK",
	"EXAMPLE_OF", "EXPANDED_FROM_ARCHIVE", "FILE_ADDED", "FILE_DELETED", "FILE_MODIFIED",
	"GENERATED_FROM", "GENERATES", "HAS_PREREQUISITE", "METAFILE_OF",
	"OPTIONAL_COMPONENT_OF", "OPTIONAL_DEPENDENCY_OF", "OTHER", "PACKAGE_OF",
	"PATCH_APPLIED", "PATCH_FOR", "PREREQUISITE_FOR", "PROVIDED_DEPENDENCY_OF",
	"REQUIREMENT_DESCRIPTION_FOR", "RUNTIME_DEPENDENCY_OF", "SPECIFICATION_FOR",
	"STATIC_LINK", "TEST_CASE_OF", "TEST_DEPENDENCY_OF", "TEST_OF", "TEST_TOOL_OF",
	"VARIANT_OF",
};

static const char *const purposes[] = {
	"APPLICATION", "ARCHIVE", "CONTAINER", "DEVICE", "FILE", "FIRMWARE", "FRAMEWORK",
	"INSTALL", "LIBRARY", "OPERATING_SYSTEM", "OTHER", "SOURCE",
};

static const char *const checksum_algs[] = {
	"ADLER32", "BLAKE2b-256", "BLAKE2b-384", "BLAKE2b-512", "BLAKE3", "MD2", "MD4", "MD5",
	"MD6", "SHA1", "SHA224", "SHA256", "SHA3-256", "SHA3-384", "SHA3-512", "SHA384",
	"SHA512",
};

static const char *const ref_categories[] = {
	"OTHER", "PACKAGE-MANAGER", "PACKAGE_MANAGER", "PERSISTENT-ID", "PERSISTENT_ID",
	"SECURITY",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The entry of table equal to s (so that the document holds a constant),
 * or NULL. */
static const char *one_of(const char *s, const char *const *table, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(s, table[i]))
			return table[i];
	return NULL;
}

struct shipped {
	struct spdx_doc *doc;
	size_t pkg;                /* the apk, an index into the model */
	const char *apk_id;
	json_t *root;
	json_t *infos;             /* licenseId -> extractedText */
	struct mint_hashmap by_id; /* shipped SPDXID -> its package object */
	struct mint_hashmap first_rel; /* spdxElementId -> index + 1 of its first relationship */
	size_t *next_rel;          /* index + 1 of the element's next relationship, or 0 */
	struct mint_hashmap final; /* shipped SPDXID -> id in the document (NULL: dropped) */
	const char **queue;        /* shipped SPDXIDs whose relationships are to follow */
	size_t n_queue, cap_queue;
};

static int oom(struct shipped *sh)
{
	return mint_err_set(sh->doc->err, MINT_ENOMEM, "out of memory merging a shipped SBOM");
}

static const char *str_of(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* The apk's package comment says why its SBOM was not merged. */
static int note(struct shipped *sh, const char *why)
{
	struct spdx_doc *doc = sh->doc;
	const struct mint_sbom_package *m = &doc->img->packages[sh->pkg];
	struct mint_buf b = MINT_BUF_INIT;
	int rc = mint_buf_printf(&b, "The SBOM the package ships (%s) was not merged: %s",
				 m->shipped_sbom_path ? m->shipped_sbom_path : "var/lib/db/sbom",
				 why);
	char *text = rc ? NULL : spdx_strdup(doc, mint_buf_span(&b));
	mint_buf_free(&b);
	if (!text)
		return oom(sh);
	doc->pkgs[doc->apk_pkg[sh->pkg]].comment = text;
	return 0;
}

static int index_packages(struct shipped *sh, const json_t *packages)
{
	size_t i;
	json_t *p;
	json_array_foreach(packages, i, p) {
		const char *id = str_of(p, "SPDXID");
		if (!id || mint_hashmap_get(&sh->by_id, mint_span_str(id), NULL))
			continue;
		if (mint_hashmap_put(&sh->by_id, mint_span_str(id), p))
			return oom(sh);
	}
	return 0;
}

static int index_infos(struct shipped *sh, const json_t *infos)
{
	size_t i;
	json_t *info;
	sh->infos = json_object();
	if (!sh->infos)
		return oom(sh);
	json_array_foreach(infos, i, info) {
		const char *id = str_of(info, "licenseId");
		json_t *text = json_object_get(info, "extractedText");
		if (!id || !json_is_string(text) || json_object_get(sh->infos, id))
			continue;
		if (json_object_set(sh->infos, id, text))
			return oom(sh);
	}
	return 0;
}

/* A relationship worth following: three strings and a known type. */
static bool usable_rel(const json_t *r)
{
	return str_of(r, "spdxElementId") && str_of(r, "relatedSpdxElement") &&
	       one_of(str_of(r, "relationshipType"), relationship_types, N_OF(relationship_types));
}

/* Chains the relationships by element, in document order. */
static int index_rels(struct shipped *sh, const json_t *rels)
{
	size_t n = json_array_size(rels);
	sh->next_rel = calloc(n ? n : 1, sizeof(*sh->next_rel));
	if (!sh->next_rel)
		return oom(sh);
	for (size_t i = n; i-- > 0;) {
		const json_t *r = json_array_get(rels, i);
		if (!usable_rel(r))
			continue;
		struct mint_span el = mint_span_str(str_of(r, "spdxElementId"));
		void *head = NULL;
		mint_hashmap_get(&sh->first_rel, el, &head);
		sh->next_rel[i] = (size_t)(uintptr_t)head;
		if (mint_hashmap_put(&sh->first_rel, el, (void *)(uintptr_t)(i + 1)))
			return oom(sh);
	}
	return 0;
}

static int enqueue(struct shipped *sh, const char *id)
{
	if (sh->n_queue == sh->cap_queue) {
		size_t cap = sh->cap_queue ? sh->cap_queue * 2 : 16;
		const char **q = realloc(sh->queue, cap * sizeof(*q));
		if (!q)
			return oom(sh);
		sh->queue = q;
		sh->cap_queue = cap;
	}
	sh->queue[sh->n_queue++] = id;
	return 0;
}

static int set_final(struct shipped *sh, const char *shipped_id, const char *id)
{
	if (mint_hashmap_put(&sh->final, mint_span_str(shipped_id), (void *)id))
		return oom(sh);
	return 0;
}

/* ---- copying one package ---- */

static int copy_str(struct shipped *sh, const json_t *p, const char *key, const char **out)
{
	const char *s = str_of(p, key);
	*out = NULL;
	if (s && !(*out = spdx_strdup(sh->doc, mint_span_str(s))))
		return oom(sh);
	return 0;
}

/* supplier and originator: "Person: ...", "Organization: ..." or
 * NOASSERTION; anything else (or nothing) is the OS, as apko fills in. */
static int copy_agent(struct shipped *sh, const json_t *p, const char *key, const char **out)
{
	const char *s = str_of(p, key);
	*out = sh->doc->os_supplier;
	if (!s || (strncmp(s, "Person: ", 8) && strncmp(s, "Organization: ", 14) &&
		   strcmp(s, "NOASSERTION")))
		return 0;
	return copy_str(sh, p, key, out);
}

static int copy_license(struct shipped *sh, const json_t *p, const char *key, const char **out)
{
	const char *s = str_of(p, key);
	*out = NULL;
	return s ? spdx_license(sh->doc, s, sh->infos, out) : 0;
}

static bool lower_hex(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static int copy_checksums(struct shipped *sh, const json_t *p, struct spdx_package *out)
{
	const json_t *list = json_object_get(p, "checksums");
	size_t i, n = json_array_size(list);
	json_t *c;
	if (!n)
		return 0;
	out->checksums = mint_arena_alloc(&sh->doc->arena, n * sizeof(*out->checksums));
	if (!out->checksums)
		return oom(sh);
	json_array_foreach(list, i, c) {
		const char *alg = one_of(str_of(c, "algorithm"), checksum_algs, N_OF(checksum_algs));
		const char *value = str_of(c, "checksumValue");
		if (!alg || !value || !lower_hex(value))
			continue;
		value = spdx_strdup(sh->doc, mint_span_str(value));
		if (!value)
			return oom(sh);
		out->checksums[out->n_checksums++] = (struct spdx_checksum){ alg, value };
	}
	return 0;
}

static int copy_refs(struct shipped *sh, const json_t *p, struct spdx_package *out)
{
	const json_t *list = json_object_get(p, "externalRefs");
	size_t i, n = json_array_size(list);
	json_t *r;
	if (!n)
		return 0;
	out->refs = mint_arena_alloc(&sh->doc->arena, n * sizeof(*out->refs));
	if (!out->refs)
		return oom(sh);
	json_array_foreach(list, i, r) {
		const char *cat = one_of(str_of(r, "referenceCategory"), ref_categories,
					 N_OF(ref_categories));
		const char *type = str_of(r, "referenceType"), *loc = str_of(r, "referenceLocator");
		if (!cat || !type || !*type || !loc || !*loc)
			continue;
		type = spdx_strdup(sh->doc, mint_span_str(type));
		loc = spdx_strdup(sh->doc, mint_span_str(loc));
		if (!type || !loc)
			return oom(sh);
		out->refs[out->n_refs++] = (struct spdx_extref){ cat, type, loc };
	}
	return 0;
}

static int copy_package(struct shipped *sh, const json_t *p, const char *id)
{
	struct spdx_package out = { .id = id };
	int rc = copy_str(sh, p, "name", &out.name);
	if (!rc)
		rc = copy_str(sh, p, "versionInfo", &out.version);
	if (!rc)
		rc = copy_license(sh, p, "licenseConcluded", &out.license_concluded);
	if (!rc)
		rc = copy_license(sh, p, "licenseDeclared", &out.license_declared);
	if (!rc)
		rc = copy_str(sh, p, "description", &out.description);
	if (!rc)
		rc = copy_str(sh, p, "downloadLocation", &out.download);
	if (!rc)
		rc = copy_str(sh, p, "homepage", &out.homepage);
	if (!rc)
		rc = copy_agent(sh, p, "originator", &out.originator);
	if (!rc)
		rc = copy_agent(sh, p, "supplier", &out.supplier);
	if (!rc)
		rc = copy_str(sh, p, "sourceInfo", &out.source_info);
	if (!rc)
		rc = copy_str(sh, p, "copyrightText", &out.copyright);
	if (!rc)
		rc = copy_str(sh, p, "comment", &out.comment);
	out.purpose = one_of(str_of(p, "primaryPackagePurpose"), purposes, N_OF(purposes));
	if (!rc)
		rc = copy_checksums(sh, p, &out);
	if (!rc)
		rc = copy_refs(sh, p, &out);
	if (!out.download)
		out.download = "NOASSERTION";
	return rc ? rc : spdx_add_package(sh->doc, &out);
}

/* ---- which id a shipped package gets ---- */

/* Another installed apk, by name and version: its own package in the
 * document, or NULL. */
static const char *installed_apk(struct shipped *sh, const json_t *p, int *rc)
{
	const char *name = str_of(p, "name"), *version = str_of(p, "versionInfo");
	struct mint_buf key = MINT_BUF_INIT;
	void *id = NULL;
	*rc = 0;
	if (!name || !version)
		return NULL;
	if (mint_buf_printf(&key, "%s\n%s", name, version))
		*rc = oom(sh);
	else
		mint_hashmap_get(&sh->doc->apk_ids, mint_buf_span(&key), &id);
	mint_buf_free(&key);
	return id;
}

/* The id a copied package gets (see the top of the file); *copy tells
 * whether it is new to the document. */
static const char *merged_id(struct shipped *sh, const char *shipped_id, bool *copy)
{
	struct spdx_doc *doc = sh->doc;
	struct mint_span rest = mint_span_str(shipped_id);
	if (mint_span_starts_with(rest, "SPDXRef-"))
		rest = mint_span_skip(rest, 8);
	char *cand = spdx_id_text(doc, "", rest);
	void *known = NULL;
	*copy = false;
	if (!cand)
		return NULL;
	if (mint_hashmap_get(&doc->merged, mint_span_str(cand), &known))
		return known;
	const char *id = cand;
	if (!spdx_id_kind(doc, cand)) {
		if (spdx_register_id(doc, cand, SPDX_ID_MERGED))
			return NULL;
	} else if (!(id = spdx_new_id(doc, "Merged-", rest, SPDX_ID_MERGED))) {
		return NULL;
	}
	if (mint_hashmap_put(&doc->merged, mint_span_str(cand), (void *)id))
		return NULL;
	*copy = true;
	return id;
}

/* The id a related element has in the document, copying the package it
 * names on first sight; NULL for what is not merged (files, snippets,
 * other documents, packages without a name). */
static int resolve(struct shipped *sh, const char *shipped_id, const char **out)
{
	void *v = NULL;
	int rc = 0;
	bool copy = false;
	if (mint_hashmap_get(&sh->final, mint_span_str(shipped_id), &v)) {
		*out = v;
		return 0;
	}
	const json_t *p = NULL;
	mint_hashmap_get(&sh->by_id, mint_span_str(shipped_id), (void **)&p);
	const char *id = NULL;
	if (p && str_of(p, "name")) {
		id = installed_apk(sh, p, &rc);
		if (!rc && !id) {
			id = merged_id(sh, shipped_id, &copy);
			if (!id)
				rc = oom(sh);
			else if (!(rc = enqueue(sh, shipped_id)) && copy)
				rc = copy_package(sh, p, id);
		}
	}
	if (!rc)
		rc = set_final(sh, shipped_id, id);
	*out = id;
	return rc;
}

static int follow(struct shipped *sh, const json_t *rels, const char *shipped_id)
{
	void *from = NULL, *first = NULL;
	mint_hashmap_get(&sh->final, mint_span_str(shipped_id), &from);
	mint_hashmap_get(&sh->first_rel, mint_span_str(shipped_id), &first);
	for (size_t i = (size_t)(uintptr_t)first; i; i = sh->next_rel[i - 1]) {
		const json_t *r = json_array_get(rels, i - 1);
		const char *to = NULL;
		int rc = resolve(sh, str_of(r, "relatedSpdxElement"), &to);
		if (!rc && to && from && strcmp(from, to))
			rc = spdx_add_rel(sh->doc, from, one_of(str_of(r, "relationshipType"),
								 relationship_types,
								 N_OF(relationship_types)), to);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- the described package: the apk itself ---- */

/* What mint's package of the apk takes from the shipped description. */
static int adopt(struct shipped *sh, const json_t *p)
{
	struct spdx_doc *doc = sh->doc;
	size_t k = doc->apk_pkg[sh->pkg];
	const char *copyright = str_of(p, "copyrightText"), *lic = NULL;
	int rc = 0;
	if (copyright && !strcmp(doc->pkgs[k].copyright, "NOASSERTION")) {
		doc->pkgs[k].copyright = spdx_strdup(doc, mint_span_str(copyright));
		if (!doc->pkgs[k].copyright)
			return oom(sh);
	}
	/* A LicenseRef of the apk's own license takes the shipped text. */
	rc = spdx_license(doc, doc->pkgs[k].license_declared, sh->infos, &lic);
	if (!rc && !strcmp(doc->pkgs[k].license_declared, "NOASSERTION") &&
	    str_of(p, "licenseDeclared"))
		rc = copy_license(sh, p, "licenseDeclared", &doc->pkgs[k].license_declared);
	return rc;
}

static int take_described(struct shipped *sh, const char *shipped_id, size_t *found)
{
	const json_t *p = NULL;
	const char *name = sh->doc->img->packages[sh->pkg].info.name;
	if (!shipped_id || mint_hashmap_get(&sh->final, mint_span_str(shipped_id), NULL))
		return 0;
	mint_hashmap_get(&sh->by_id, mint_span_str(shipped_id), (void **)&p);
	if (!p || !str_of(p, "name") || strcmp(str_of(p, "name"), name))
		return 0;
	(*found)++;
	int rc = set_final(sh, shipped_id, sh->apk_id);
	if (!rc)
		rc = enqueue(sh, shipped_id);
	return rc ? rc : adopt(sh, p);
}

static int take_top(struct shipped *sh, const json_t *rels, size_t *found)
{
	size_t i;
	json_t *v;
	int rc = 0;
	json_array_foreach(json_object_get(sh->root, "documentDescribes"), i, v)
		if (!rc)
			rc = take_described(sh, json_string_value(v), found);
	json_array_foreach(rels, i, v)
		if (!rc && usable_rel(v) && !strcmp(str_of(v, "spdxElementId"), "SPDXRef-DOCUMENT") &&
		    !strcmp(str_of(v, "relationshipType"), "DESCRIBES"))
			rc = take_described(sh, str_of(v, "relatedSpdxElement"), found);
	return rc;
}

static int merge(struct shipped *sh)
{
	const struct mint_sbom_package *m = &sh->doc->img->packages[sh->pkg];
	json_error_t jerr;
	size_t found = 0;
	sh->root = json_loadb(m->shipped_sbom.data, m->shipped_sbom.len, 0, &jerr);
	if (!json_is_object(sh->root)) {
		char why[256];
		snprintf(why, sizeof(why), "%d:%d: %s", jerr.line, jerr.column,
			 sh->root ? "not a JSON object" : jerr.text);
		return note(sh, why);
	}
	const json_t *rels = json_object_get(sh->root, "relationships");
	int rc = index_packages(sh, json_object_get(sh->root, "packages"));
	if (!rc)
		rc = index_infos(sh, json_object_get(sh->root, "hasExtractedLicensingInfos"));
	if (!rc)
		rc = index_rels(sh, rels);
	if (!rc)
		rc = take_top(sh, rels, &found);
	if (!rc && !found)
		return note(sh, "it describes no package of that name");
	for (size_t i = 0; !rc && i < sh->n_queue; i++)
		rc = follow(sh, rels, sh->queue[i]);
	return rc;
}

int spdx_merge_shipped(struct spdx_doc *doc, size_t pkg)
{
	struct shipped sh = {
		.doc = doc, .pkg = pkg, .apk_id = doc->pkgs[doc->apk_pkg[pkg]].id,
	};
	int rc = merge(&sh);
	json_decref(sh.root);
	json_decref(sh.infos);
	mint_hashmap_free(&sh.by_id);
	mint_hashmap_free(&sh.first_rel);
	mint_hashmap_free(&sh.final);
	free(sh.next_rel);
	free(sh.queue);
	return rc;
}
