/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Package SBOMs against melange's golden files
 * (melange/pkg/build/testdata/goldenfiles/sboms/, all three): for each, the
 * equivalent input (name, version, arch, license, namespace, recipe commit,
 * the sources' locations and checksums, all read back from the golden
 * document) goes through mint_pkg_sbom_spdx, and the two documents must
 * have the same top-level and creationInfo keys, the same packages in the
 * same order with the same purposes (ours may add members, never drop
 * one), the same apk purl and IDs for the apk, OS and fetched sources, the
 * same fetch purls and the same relationships by type.
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/pkg_sbom.h"

#define DIR "melange/pkg/build/testdata/goldenfiles/sboms/"

static const char *const goldens[] = {
	"7zip-two-fetches-2301-r3.spdx.json",
	"crane-0.20.2-r1.spdx.json",
	"sed-4.9-r8.spdx.json",
};

struct tally {
	unsigned passed, failed;
};

static void check(struct tally *t, bool ok, const char *file, const char *what)
{
	if (ok) {
		t->passed++;
		return;
	}
	t->failed++;
	print_message("%s: %s\n", file, what);
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static const char *purl(const json_t *pkg)
{
	return str(json_array_get(json_object_get(pkg, "externalRefs"), 0), "referenceLocator");
}

/* Every key of want is a key of got. */
static bool keys_within(const json_t *want, const json_t *got)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)want, key, v)
		if (!json_object_get(got, key))
			return false;
	return true;
}

static bool same_keys(const json_t *a, const json_t *b)
{
	return keys_within(a, b) && keys_within(b, a);
}

/* Purposes compare with '-' and '_' alike: melange writes OPERATING-SYSTEM
 * where the SPDX 2.3 schema wants OPERATING_SYSTEM, which is what we write. */
static bool same_purpose(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !(strchr("-_", *a) && strchr("-_", *b)))
			return false;
	return *a == *b;
}

static const json_t *by_purpose(const json_t *doc, const char *purpose)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(doc, "packages"), i, p)
		if (!strcmp(str(p, "primaryPackagePurpose"), purpose))
			return p;
	return NULL;
}

/* "pkg:apk/<ns>/..?arch=<arch>&..." */
static void apk_purl_parts(const char *p, char *ns, char *arch, size_t size)
{
	const char *a = strstr(p, "?arch=");
	if (strncmp(p, "pkg:apk/", 8) != 0)
		fail_msg("not an apk purl: %s", p);
	p += 8;
	snprintf(ns, size, "%.*s", (int)strcspn(p, "/"), p);
	snprintf(arch, size, "%.*s", a ? (int)strcspn(a + 6, "&") : 0, a ? a + 6 : "");
}

static const char *checksum(const json_t *pkg, const char *algorithm)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(pkg, "checksums"), i, c)
		if (!strcmp(str(c, "algorithm"), algorithm))
			return str(c, "checksumValue");
	return NULL;
}

static void compare_packages(struct tally *t, const char *f, const json_t *want, const json_t *got)
{
	const json_t *wp = json_object_get(want, "packages"), *gp = json_object_get(got, "packages");
	check(t, json_array_size(wp) == json_array_size(gp), f, "package count");
	for (size_t i = 0; i < json_array_size(wp) && i < json_array_size(gp); i++) {
		const json_t *w = json_array_get(wp, i), *g = json_array_get(gp, i);
		const char *purpose = str(w, "primaryPackagePurpose");
		check(t, same_purpose(purpose, str(g, "primaryPackagePurpose")), f, "package purpose");
		check(t, keys_within(w, g), f, "package keys");
		if (!strcmp(purpose, "INSTALL") || !strcmp(purpose, "SOURCE"))
			check(t, !strncmp(purl(g), "pkg:generic/", 12), f, "generic purl");
		else
			check(t, !strcmp(str(w, "SPDXID"), str(g, "SPDXID")), f, "package SPDXID");
		if (!strcmp(purpose, "APPLICATION"))
			check(t, !strcmp(purl(w), purl(g)), f, "apk purl");
		/* melange's fetch sources: same ID and purl */
		if (!strcmp(purpose, "SOURCE") && !strncmp(purl(w), "pkg:generic/", 12) &&
		    strstr(purl(w), "checksum=")) {
			check(t, !strcmp(str(w, "SPDXID"), str(g, "SPDXID")), f, "source SPDXID");
			check(t, !strcmp(purl(w), purl(g)), f, "fetch purl");
		}
	}
}

static void compare_relationships(struct tally *t, const char *f, const json_t *want,
				  const json_t *got)
{
	const json_t *wr = json_object_get(want, "relationships");
	const json_t *gr = json_object_get(got, "relationships");
	check(t, json_array_size(wr) == json_array_size(gr), f, "relationship count");
	for (size_t i = 0; i < json_array_size(wr) && i < json_array_size(gr); i++) {
		const json_t *w = json_array_get(wr, i), *g = json_array_get(gr, i);
		check(t, same_keys(w, g), f, "relationship keys");
		check(t, !strcmp(str(w, "relationshipType"), str(g, "relationshipType")), f,
		      "relationship type");
		check(t, !strcmp(str(w, "spdxElementId"), str(g, "spdxElementId")), f,
		      "relationship element");
	}
}

static void one(struct tally *t, const char *file)
{
	char rel[256], ns[128], arch[64], recipe[256];
	snprintf(rel, sizeof(rel), DIR "%s", file);
	char *path = fixture_or_skip(rel);
	json_error_t jerr;
	json_t *want = json_load_file(path, 0, &jerr);
	assert_non_null(want);
	const json_t *apk = by_purpose(want, "APPLICATION");
	const json_t *recipe_pkg = by_purpose(want, "INSTALL");
	assert_non_null(apk);
	apk_purl_parts(purl(apk), ns, arch, sizeof(ns));
	const char *rname = recipe_pkg ? str(recipe_pkg, "name") : "";
	const char *base = strrchr(rname, '/');
	snprintf(recipe, sizeof(recipe), "%.*s", (int)strcspn(base ? base + 1 : rname, "."),
		 base ? base + 1 : rname);
	struct mint_pkg_sbom_source src[8];
	size_t n = 0, i;
	json_t *p;
	json_array_foreach(json_object_get(want, "packages"), i, p) {
		if (strcmp(str(p, "primaryPackagePurpose"), "SOURCE") || n == 8)
			continue;
		src[n++] = (struct mint_pkg_sbom_source){ str(p, "downloadLocation"),
							  checksum(p, "SHA256"),
							  checksum(p, "SHA512") };
	}
	struct mint_pkg_sbom_in in = {
		.name = str(apk, "name"), .full_version = str(apk, "versionInfo"), .arch = arch,
		.license = str(apk, "licenseDeclared"), .namespace_ = ns,
		.recipe_name = recipe, .commit = recipe_pkg ? str(recipe_pkg, "versionInfo") : NULL,
		.sources = src, .n_sources = n, .created = 0,
	};
	struct mint_buf text = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_pkg_sbom_spdx(&in, &text, &err), &err);
	json_t *got = json_loadb(text.data, text.len, 0, &jerr);
	assert_non_null(got);
	check(t, same_keys(want, got), file, "top-level keys");
	check(t, same_keys(json_object_get(want, "creationInfo"), json_object_get(got, "creationInfo")),
	      file, "creationInfo keys");
	check(t, !strcmp(str(want, "name"), str(got, "name")), file, "document name");
	check(t, json_equal(json_object_get(want, "documentDescribes"),
			    json_object_get(got, "documentDescribes")), file, "documentDescribes");
	compare_packages(t, file, want, got);
	compare_relationships(t, file, want, got);
	json_decref(want);
	json_decref(got);
	mint_buf_free(&text);
	free(path);
}

static void test_pkg_sbom_matches_melange_golden_files(void **state)
{
	(void)state;
	struct tally t = { 0 };
	for (size_t i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++)
		one(&t, goldens[i]);
	printf("conformance: melange golden package SBOMs: %u passed, %u failed\n", t.passed,
	       t.failed);
	assert_int_equal(t.failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkg_sbom_matches_melange_golden_files),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
