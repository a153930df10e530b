/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checks on written SBOMs shared by the writer tests and fuzz_spdx_merge
 * (no cmocka in here): finding elements, and the rules of SPDX 2.3 that
 * its JSON schema does not check: every SPDXID is SPDXRef- followed by
 * [A-Za-z0-9.-]+ and unique, every relationship end and documentDescribes
 * entry is an element of the document, every LicenseRef- used has
 * extracted licensing info.
 */
#ifndef MINT_TEST_SBOM_JSON_CHECK_H
#define MINT_TEST_SBOM_JSON_CHECK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mint/buf.h"

static inline json_t *sbom_check_parse(const struct mint_buf *b)
{
	return b->len ? json_loadb(b->data, b->len, JSON_REJECT_DUPLICATES, NULL) : NULL;
}

/* The element of array whose key is the string value, or NULL. */
static inline json_t *sbom_check_find(const json_t *array, const char *key, const char *value)
{
	size_t i;
	json_t *e;
	json_array_foreach(array, i, e) {
		const char *s = json_string_value(json_object_get(e, key));
		if (s && !strcmp(s, value))
			return e;
	}
	return NULL;
}

static inline bool sbom_check_has_rel(const json_t *doc, const char *a, const char *type,
				      const char *b)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(doc, "relationships"), i, r) {
		const char *x = json_string_value(json_object_get(r, "spdxElementId"));
		const char *t = json_string_value(json_object_get(r, "relationshipType"));
		const char *y = json_string_value(json_object_get(r, "relatedSpdxElement"));
		if (x && t && y && !strcmp(x, a) && !strcmp(t, type) && !strcmp(y, b))
			return true;
	}
	return false;
}

static inline bool sbom_check_id_ok(const char *id)
{
	if (!id || strncmp(id, "SPDXRef-", 8) || !id[8])
		return false;
	for (const char *p = id + 8; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return false;
	return true;
}

static inline bool sbom_check_known(const json_t *ids, const char *id)
{
	return id && json_object_get(ids, id) != NULL;
}

static inline bool sbom_check_licenses(const json_t *doc, const char *expr, char *why,
				       size_t cap)
{
	const json_t *infos = json_object_get(doc, "hasExtractedLicensingInfos");
	for (const char *p = expr ? strstr(expr, "LicenseRef-") : NULL; p;
	     p = strstr(p + 1, "LicenseRef-")) {
		size_t n = strspn(p + 11, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "0123456789.-") + 11;
		char id[512];
		snprintf(id, sizeof(id), "%.*s", (int)n, p);
		if (!sbom_check_find(infos, "licenseId", id)) {
			snprintf(why, cap, "%.200s has no extracted licensing info", id);
			return false;
		}
	}
	return true;
}

/* NULL when doc keeps the rules above, else what breaks them (in why). */
static inline const char *sbom_check_spdx(const json_t *doc, char *why, size_t cap)
{
	static const char *const kinds[] = { "packages", "files" };
	json_t *ids = json_object();
	const char *bad = NULL;
	size_t i;
	json_t *e;
	json_object_set_new(ids, "SPDXRef-DOCUMENT", json_true());
	for (size_t k = 0; !bad && k < 2; k++)
		json_array_foreach(json_object_get(doc, kinds[k]), i, e) {
			const char *id = json_string_value(json_object_get(e, "SPDXID"));
			if (!sbom_check_id_ok(id) || json_object_get(ids, id)) {
				snprintf(why, cap, "SPDXID %.200s is malformed or repeated", id ? id : "?");
				bad = why;
				break;
			}
			json_object_set_new(ids, id, json_true());
			if (!sbom_check_licenses(doc, json_string_value(json_object_get(
						 e, "licenseDeclared")), why, cap) ||
			    !sbom_check_licenses(doc, json_string_value(json_object_get(
						 e, "licenseConcluded")), why, cap)) {
				bad = why;
				break;
			}
		}
	json_array_foreach(json_object_get(doc, "relationships"), i, e) {
		if (bad)
			break;
		const char *a = json_string_value(json_object_get(e, "spdxElementId"));
		const char *b = json_string_value(json_object_get(e, "relatedSpdxElement"));
		if (!sbom_check_known(ids, a) || !sbom_check_known(ids, b)) {
			snprintf(why, cap, "relationship %.200s -> %.200s names an unknown element",
				 a ? a : "?", b ? b : "?");
			bad = why;
		}
	}
	json_array_foreach(json_object_get(doc, "documentDescribes"), i, e)
		if (!bad && !sbom_check_known(ids, json_string_value(e))) {
			snprintf(why, cap, "documentDescribes names an unknown element");
			bad = why;
		}
	json_decref(ids);
	return bad;
}

#endif
