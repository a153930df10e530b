/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apko's own image configurations: every .yaml in examples/ (and
 * examples/on_top_of_base/), internal/cli/testdata/ and
 * pkg/build/types/testdata/ (and its overlay/) must parse, except the files known to be
 * something else, which must fail with the message given below. Includes are
 * looked up under the apko tree and pkg/build/types, as apko's tests run
 * from there.
 *
 * Three further checks against what apko itself produced:
 *   - /etc/apko.json in the golden image (internal/cli/testdata/golden, from
 *     TestBuild: testdata/apko.yaml, the annotations in build_test.go, archs
 *     amd64 and arm64) is rebuilt byte for byte from the config the way
 *     apko's LockImageConfiguration makes its per-arch config: the input
 *     merged into an empty config, packages replaced by the locked
 *     "name=version" list (taken here from testdata/apko.lock.json), archs
 *     by the one arch;
 *   - the config checksums in the three testdata lock files equal ours;
 *   - the overlay and users tests of pkg/build/types hold.
 */
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/gzip.h"
#include "mint/image_config.h"
#include "mint/source.h"
#include "mint/tar.h"

/* Files among the fixtures that are not apko image configs, and the error
 * each must give. */
static const struct {
	const char *file;
	const char *error;
} expected_rejections[] = {
	{ "internal/cli/testdata/custom-ca-certs-1.melange.yaml", "1:1: unknown field 'package'" },
	{ "internal/cli/testdata/custom-ca-certs-2.melange.yaml", "1:1: unknown field 'package'" },
	{ "internal/cli/testdata/pretend-baselayout.melange.yaml", "1:1: unknown field 'package'" },
	{ "internal/cli/testdata/replayout.melange.yaml", "1:1: unknown field 'package'" },
};

static const char *const config_dirs[] = {
	"examples",
	"examples/on_top_of_base",
	"internal/cli/testdata",
	"pkg/build/types/testdata",
	"pkg/build/types/testdata/overlay",
};

static char *apko_root;

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", a, b);
	return p;
}

static int load(const char *rel, struct mint_image_config *cfg, char *msg, size_t cap)
{
	char *types = join(apko_root, "pkg/build/types");
	const char *paths[] = { apko_root, types };
	struct mint_image_config_opts opts = { .include_paths = paths, .n_include_paths = 2 };
	struct mint_err err = { 0 };
	char *path = join(apko_root, rel);
	int rc = mint_image_config_load(path, &opts, cfg, &err);
	if (rc)
		mint_err_format(&err, msg, cap);
	free(path);
	free(types);
	return rc;
}

static const char *expected_error(const char *rel)
{
	for (size_t i = 0; i < sizeof(expected_rejections) / sizeof(expected_rejections[0]); i++)
		if (!strcmp(rel, expected_rejections[i].file))
			return expected_rejections[i].error;
	return NULL;
}

static bool is_yaml(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".yaml");
}

struct tally {
	unsigned parsed, rejected, failed;
};

static void check_one(const char *rel, struct tally *t)
{
	struct mint_image_config cfg;
	char msg[1024] = "";
	int rc = load(rel, &cfg, msg, sizeof(msg));
	const char *want = expected_error(rel);
	if (!rc && !want) {
		t->parsed++;
		mint_image_config_free(&cfg);
	} else if (rc && want && strstr(msg, want)) {
		t->rejected++;
	} else {
		t->failed++;
		if (!rc)
			mint_image_config_free(&cfg);
		print_message("FAIL %s: %s (wanted %s)\n", rel, rc ? msg : "parsed",
			      want ? want : "to parse");
	}
}

static void test_apko_configs_parse_or_fail_as_expected(void **state)
{
	(void)state;
	struct tally t = { 0 };
	for (size_t d = 0; d < sizeof(config_dirs) / sizeof(config_dirs[0]); d++) {
		char *dir = join(apko_root, config_dirs[d]);
		DIR *dh = opendir(dir);
		assert_non_null(dh);
		struct dirent *e;
		while ((e = readdir(dh))) {
			if (!is_yaml(e->d_name))
				continue;
			char *rel = join(config_dirs[d], e->d_name);
			check_one(rel, &t);
			free(rel);
		}
		closedir(dh);
		free(dir);
	}
	printf("conformance: apko configs: %u parsed, %u rejected as expected, %u failed\n",
	       t.parsed, t.rejected, t.failed);
	assert_int_equal(t.failed, 0);
	assert_int_equal(t.rejected,
			 sizeof(expected_rejections) / sizeof(expected_rejections[0]));
	assert_true(t.parsed >= 30);
}

static json_t *load_json(const char *rel)
{
	char *path = join(apko_root, rel);
	json_error_t jerr;
	json_t *j = json_load_file(path, 0, &jerr);
	if (!j)
		fail_msg("%s: %s", path, jerr.text);
	free(path);
	return j;
}

static const char *blob_path(const char *digest)
{
	static char rel[256];
	assert_true(!strncmp(digest, "sha256:", 7));
	snprintf(rel, sizeof(rel), "internal/cli/testdata/golden/blobs/sha256/%s", digest + 7);
	return rel;
}

/* etc/apko.json out of a gzipped layer blob. */
static void apko_json_of_layer(const char *digest, struct mint_buf *out)
{
	struct mint_buf gz = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char *path = join(apko_root, blob_path(digest));
	read_file_or_fail(path, &gz);
	assert_ok(mint_gunzip_member(mint_buf_span(&gz), NULL, &tar, NULL, &err), &err);
	struct mint_span_source ss;
	struct mint_tar_reader *r;
	assert_ok(mint_tar_reader_new(&r, mint_span_source_init(&ss, mint_buf_span(&tar)), NULL,
				      MINT_TAR_END_REQUIRED, &err),
		  &err);
	const struct mint_tar_entry *e;
	bool found = false;
	while (!found && mint_tar_next(r, &e, &err) == 1) {
		if (strcmp(e->name, "etc/apko.json"))
			continue;
		char chunk[4096];
		size_t got;
		while (mint_tar_read(r, chunk, sizeof(chunk), &got, &err) == 0 && got)
			assert_int_equal(mint_buf_append(out, chunk, got), 0);
		found = true;
	}
	assert_true(found);
	mint_tar_reader_free(r);
	mint_buf_free(&gz);
	mint_buf_free(&tar);
	free(path);
}

static int str_order(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The locked package list for apk arch: sorted "name=version". */
static void locked_packages(json_t *lock, const char *apk_arch, struct mint_image_strs *out)
{
	json_t *pkgs = json_object_get(json_object_get(lock, "contents"), "packages");
	size_t i;
	json_t *p;
	out->v = calloc(json_array_size(pkgs) + 1, sizeof(char *));
	out->n = 0;
	json_array_foreach(pkgs, i, p) {
		if (strcmp(json_string_value(json_object_get(p, "architecture")), apk_arch))
			continue;
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *version = json_string_value(json_object_get(p, "version"));
		size_t len = strlen(name) + strlen(version) + 2;
		char *pinned = malloc(len);
		assert_non_null(pinned);
		snprintf(pinned, len, "%s=%s", name, version);
		out->v[out->n++] = pinned;
	}
	qsort(out->v, out->n, sizeof(char *), str_order);
}

/* What apko's LockImageConfiguration makes for one arch. */
static void locked_config(const struct mint_image_config *input, json_t *lock, enum mint_arch arch,
			  struct mint_image_config *out)
{
	memset(out, 0, sizeof(*out));
	assert_int_equal(mint_image_config_merge_into(input, out, NULL), 0);
	for (size_t i = 0; i < out->contents.packages.n; i++)
		free(out->contents.packages.v[i]);
	free(out->contents.packages.v);
	locked_packages(lock, mint_arch_to_apk(arch), &out->contents.packages);
	free(out->archs);
	out->archs = malloc(sizeof(*out->archs));
	out->archs[0] = arch;
	out->n_archs = 1;
}

/* The TestBuild config with the annotations build_test.go passes. */
static void test_build_config(json_t *cases, struct mint_image_config *cfg)
{
	json_t *tb = json_object_get(cases, "TestBuild");
	char msg[1024];
	char *rel = join("internal/cli", json_string_value(json_object_get(tb, "config")));
	if (load(rel, cfg, msg, sizeof(msg)))
		fail_msg("%s", msg);
	free(rel);
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(tb, "annotations"), key, v) {
		char kv[512];
		const char *one[] = { kv };
		snprintf(kv, sizeof(kv), "%s:%s", key, json_string_value(v));
		assert_int_equal(mint_image_config_set_annotations(cfg, one, 1, NULL), 0);
	}
}

static void test_golden_apko_json_is_reproduced_byte_for_byte(void **state)
{
	(void)state;
	json_t *index = load_json("internal/cli/testdata/golden/index.json");
	json_t *lock = load_json("internal/cli/testdata/apko.lock.json");
	json_t *cases = load_json("internal/cli/build_test.go.extracted/cases.json");
	struct mint_image_config input;
	test_build_config(cases, &input);
	unsigned same = 0, differ = 0;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(index, "manifests"), i, m) {
		enum mint_arch arch;
		const char *plat = json_string_value(
			json_object_get(json_object_get(m, "platform"), "architecture"));
		assert_true(mint_arch_parse(plat, &arch));
		json_t *manifest = load_json(blob_path(json_string_value(json_object_get(m, "digest"))));
		json_t *layer = json_array_get(json_object_get(manifest, "layers"), 0);
		struct mint_buf golden = MINT_BUF_INIT, ours = MINT_BUF_INIT;
		apko_json_of_layer(json_string_value(json_object_get(layer, "digest")), &golden);
		struct mint_image_config locked;
		locked_config(&input, lock, arch, &locked);
		assert_int_equal(mint_image_config_to_json(&locked, &ours), 0);
		if (golden.len == ours.len && !memcmp(golden.data, ours.data, ours.len)) {
			same++;
		} else {
			differ++;
			print_message("%s: golden %s\n      ours %s", plat, mint_buf_cstr(&golden),
				      mint_buf_cstr(&ours));
		}
		mint_image_config_free(&locked);
		mint_buf_free(&golden);
		mint_buf_free(&ours);
		json_decref(manifest);
	}
	printf("conformance: apko golden /etc/apko.json: %u byte-identical, %u differ\n", same,
	       differ);
	assert_int_equal(differ, 0);
	assert_int_equal(same, 2);
	mint_image_config_free(&input);
	json_decref(index);
	json_decref(lock);
	json_decref(cases);
}

static void test_lock_checksums_match(void **state)
{
	(void)state;
	static const char *const locks[] = {
		"internal/cli/testdata/apko.lock.json",
		"internal/cli/testdata/apko-discover.lock.json",
		"internal/cli/testdata/image_on_top.apko.lock.json",
	};
	unsigned matched = 0, differ = 0;
	for (size_t i = 0; i < sizeof(locks) / sizeof(locks[0]); i++) {
		json_t *lock = load_json(locks[i]);
		json_t *c = json_object_get(lock, "config");
		const char *name = json_string_value(json_object_get(c, "name"));
		/* Lock names are relative to where apko ran: internal/cli or
		 * its testdata. */
		char *rel = join(strncmp(name, "testdata/", 9) ? "internal/cli/testdata" : "internal/cli",
				 name);
		struct mint_image_config cfg;
		char msg[1024];
		if (load(rel, &cfg, msg, sizeof(msg)))
			fail_msg("%s", msg);
		if (!strcmp(cfg.checksum, json_string_value(json_object_get(c, "checksum"))))
			matched++;
		else
			differ++;
		mint_image_config_free(&cfg);
		free(rel);
		json_decref(lock);
	}
	printf("conformance: apko lock config checksums: %u matched, %u differ\n", matched, differ);
	assert_int_equal(differ, 0);
}

static bool same_set(const struct mint_image_strs *l, const char *const *want, size_t n)
{
	if (l->n != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t j = 0; j < l->n && !found; j++)
			found = !strcmp(l->v[j], want[i]);
		if (!found)
			return false;
	}
	return true;
}

static void test_types_overlay_and_users_tests_hold(void **state)
{
	(void)state;
	struct mint_image_config cfg;
	char msg[1024];
	/* TestOverlayWithAdditionalPackages */
	if (load("pkg/build/types/testdata/overlay/overlay_with_package.apko.yaml", &cfg, msg,
		 sizeof(msg)))
		fail_msg("%s", msg);
	const char *build[] = { "secret repository", "other_secret repository" };
	const char *runtime[] = { "runtime repository", "other runtime repository" };
	const char *repos[] = { "repository" }, *keys[] = { "key" };
	const char *pkgs[] = { "package", "other_package" };
	assert_true(same_set(&cfg.contents.build_repositories, build, 2));
	assert_true(same_set(&cfg.contents.runtime_repositories, runtime, 2));
	assert_true(same_set(&cfg.contents.repositories, repos, 1));
	assert_true(same_set(&cfg.contents.keyring, keys, 1));
	assert_true(same_set(&cfg.contents.packages, pkgs, 2));
	mint_image_config_free(&cfg);
	/* TestUserContents: Validate fills in the second user's homedir. */
	if (load("pkg/build/types/testdata/users.apko.yaml", &cfg, msg, sizeof(msg)))
		fail_msg("%s", msg);
	assert_int_equal(mint_image_config_apply_defaults(&cfg, NULL), 0);
	assert_string_equal(cfg.accounts.users[0].homedir, "/not/home");
	assert_string_equal(cfg.accounts.users[1].homedir, "/home/user");
	assert_false(cfg.accounts.users[1].has_gid);
	mint_image_config_free(&cfg);
	printf("conformance: apko pkg/build/types overlay and users tests: 2 passed, 0 failed\n");
}

static int setup(void **state)
{
	(void)state;
	apko_root = fixture_path("apko");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(apko_root);
	return 0;
}

static void skip_without_fixtures(void **state)
{
	(void)state;
	free(fixture_or_skip("apko/examples"));
}

int main(void)
{
	const struct CMUnitTest with_fixtures[] = {
		cmocka_unit_test(test_apko_configs_parse_or_fail_as_expected),
		cmocka_unit_test(test_golden_apko_json_is_reproduced_byte_for_byte),
		cmocka_unit_test(test_lock_checksums_match),
		cmocka_unit_test(test_types_overlay_and_users_tests_hold),
	};
	const struct CMUnitTest without[] = {
		cmocka_unit_test(skip_without_fixtures),
	};
	char *probe = fixture_path("apko/examples");
	bool have_fixtures = probe != NULL;
	free(probe);
	if (!have_fixtures)
		return tests_exit(cmocka_run_group_tests(without, NULL, NULL));
	return tests_exit(cmocka_run_group_tests(with_fixtures, setup, teardown));
}
