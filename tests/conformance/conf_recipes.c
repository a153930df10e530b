/* SPDX-License-Identifier: Apache-2.0 */
/*
 * melange's own recipes against the recipe reader: every example and test
 * configuration parses or is refused as unsupported with the feature named;
 * melange's invalid configurations fail with the kind of message melange
 * gives; range subpackages expand to the names melange's tests expect.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/recipe.h"

static const char *const parse_dirs[] = {
	"melange/examples",
	"melange/examples/simple-hello",
	"melange/pkg/build/testdata/build_configs",
	"melange/pkg/build/testdata/configuration_load",
	"melange/pkg/build/testdata/test_configuration_load",
};

/* melange's invalid configurations, and what mint's message must say. */
static const struct {
	const char *file;
	int code;
	const char *want;
} invalid[] = {
	{ "invalid-duplicate-package-name.melange.yaml", MINT_EDUPLICATE,
	  ":6:11: 'subpackages[0].name': \"hello\" is the name of the package itself" },
	{ "invalid-package-name.melange.yaml", MINT_EFORMAT,
	  ":2:9: 'package.name': \"boost-\"mobile\"\" is not a valid package name" },
	{ "invalid-range-subpackage-name.melange.yaml", MINT_EFORMAT,
	  ":19:11: 'subpackages[0].name': \"turtle-\"donatello\"\" is not a valid package name" },
	{ "missing-package-name.melange.yaml", MINT_EFORMAT, ":2:8: 'package.name' is required" },
	{ "unknown-fields.melange.yaml", MINT_EFORMAT,
	  ":7:3: unknown field 'repositories' in 'environment'" },
	{ "uses-and-runs.melange.yaml", MINT_EFORMAT, ":7:5: step 'pipeline[0]' has both" },
	{ "with-and-runs.melange.yaml", MINT_EFORMAT, ":7:5: step 'pipeline[0]' has 'with'" },
};

static bool is_invalid_fixture(const char *name)
{
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		if (!strcmp(invalid[i].file, name))
			return true;
	return false;
}

static bool is_yaml(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".yaml");
}

/* melange's load tests use the version "world", which apk cannot order:
 * mint refuses it as unsupported, so those tests read "1.0.0" instead. */
static int parse_with_apk_version(const char *path, struct mint_recipe *r, struct mint_err *err)
{
	struct mint_buf text = MINT_BUF_INIT;
	read_file_or_fail(path, &text);
	mint_buf_putc(&text, '\0');
	char *world = strstr(text.data, "version: world\n");
	if (world)
		memcpy(world, "version: 1.0.0\n", strlen("version: 1.0.0\n"));
	int rc = mint_recipe_parse(mint_span_str(text.data), path, r, err);
	mint_buf_free(&text);
	return rc;
}

struct tally {
	unsigned parsed, unsupported, failed;
	char reasons[2048];
};

static void note_unsupported(struct tally *t, const char *name, const char *msg)
{
	const char *what = strstr(msg, "not a valid apk version") ? "version apk cannot order"
			 : strstr(msg, "regular expression")        ? "regular expression"
								    : msg;
	size_t used = strlen(t->reasons);
	snprintf(t->reasons + used, sizeof(t->reasons) - used, "%s%s: %s", used ? "; " : "", name,
		 what);
	t->unsupported++;
}

static void check_one(const char *dir, const char *name, struct tally *t)
{
	char rel[1024], msg[1024] = "";
	struct mint_recipe r;
	struct mint_err err = { 0 };
	snprintf(rel, sizeof(rel), "%s/%s", dir, name);
	char *path = fixture_path(rel);
	int rc = mint_recipe_load(path, &r, &err);
	mint_recipe_free(&r);
	mint_err_format(&err, msg, sizeof(msg));
	if (!rc) {
		t->parsed++;
	} else if (rc == MINT_EUNSUPPORTED) {
		note_unsupported(t, name, msg);
	} else {
		t->failed++;
		print_message("FAIL %s: %s\n", rel, msg);
	}
	free(path);
}

static void test_melange_recipes_parse_or_are_unsupported(void **state)
{
	(void)state;
	struct tally t = { 0 };
	free(fixture_or_skip("melange/examples/minimal.yaml"));
	for (size_t d = 0; d < sizeof(parse_dirs) / sizeof(parse_dirs[0]); d++) {
		char *dir = fixture_path(parse_dirs[d]);
		DIR *dh = opendir(dir);
		assert_non_null(dh);
		struct dirent *e;
		while ((e = readdir(dh)))
			if (is_yaml(e->d_name) && !is_invalid_fixture(e->d_name))
				check_one(parse_dirs[d], e->d_name, &t);
		closedir(dh);
		free(dir);
	}
	printf("conformance: melange recipes: %u parsed, %u unsupported (%s), %u failed\n",
	       t.parsed, t.unsupported, t.reasons, t.failed);
	assert_int_equal(t.failed, 0);
	assert_true(t.parsed >= 30);
}

static void test_melange_invalid_configurations_fail_as_melange_says(void **state)
{
	(void)state;
	unsigned passed = 0;
	free(fixture_or_skip("melange/pkg/build/testdata/configuration_load"));
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		char rel[512], msg[1024];
		struct mint_recipe r;
		struct mint_err err = { 0 };
		snprintf(rel, sizeof(rel), "melange/pkg/build/testdata/configuration_load/%s",
			 invalid[i].file);
		char *path = fixture_path(rel);
		int rc = parse_with_apk_version(path, &r, &err);
		mint_recipe_free(&r);
		mint_err_format(&err, msg, sizeof(msg));
		if (rc == invalid[i].code && strstr(msg, invalid[i].want))
			passed++;
		else
			print_message("FAIL %s: %d %s (wanted %s)\n", invalid[i].file, rc, msg,
				      invalid[i].want);
		free(path);
	}
	printf("conformance: melange invalid configurations: %u rejected as expected, %u failed\n",
	       passed, (unsigned)(sizeof(invalid) / sizeof(invalid[0])) - passed);
	assert_int_equal(passed, sizeof(invalid) / sizeof(invalid[0]));
}

static void test_melange_range_subpackages_expand(void **state)
{
	(void)state;
	static const char *const names[] = { "cats", "dogs", "turtles", "donatello",
					     "leonardo", "michelangelo", "raphael" };
	static const char *const runs[] = { "cats are angry", "dogs are loyal",
					    "turtles are slow", "donatello's color is purple" };
	char *path = fixture_or_skip(
		"melange/pkg/build/testdata/configuration_load/range-subpackages.melange.yaml");
	struct mint_recipe r;
	struct mint_err err = { 0 };
	assert_ok(parse_with_apk_version(path, &r, &err), &err);
	assert_int_equal(r.n_subpackages, 7);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(r.subpackages[i].meta.name, names[i]);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(r.subpackages[i].pipeline[0].runs, runs[i]);
	assert_string_equal(r.subpackages[3].pipeline[1].uses, "go/build");
	assert_string_equal(r.subpackages[3].pipeline[1].with.v[0].key, "packages");
	assert_string_equal(r.subpackages[3].pipeline[1].with.v[0].value, "purple");
	printf("conformance: melange range-subpackages: 7 of 7 subpackages as melange expands them\n");
	mint_recipe_free(&r);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_melange_recipes_parse_or_are_unsupported),
		cmocka_unit_test(test_melange_invalid_configurations_fail_as_melange_says),
		cmocka_unit_test(test_melange_range_subpackages_expand),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
