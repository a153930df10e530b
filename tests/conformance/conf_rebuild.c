/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rebuilds against apko's test config and repository
 * (internal/cli/testdata): mint builds of testdata/apko.yaml under the
 * created-time rules (SOURCE_DATE_EPOCH, a build date, none) each rebuild
 * from their own etc/apko.json to the same index digest; and apko's golden
 * layout, rebuilt by mint, differs only inside files and fields, never by a
 * platform or a file that one side lacks. Runs in the testdata's directory,
 * since the locked config names the keyring and repository relative to it.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mint/apk_cache.h"
#include "mint/audit.h"
#include "mint/image_build.h"

static size_t rebuilt_same, golden_fields, golden_files, golden_platforms;

struct env {
	char *tmp;
	char cache_dir[4200];
	struct mint_apk_cache cache;
};

static void env_open(struct env *e)
{
	char *cli = fixture_or_skip("apko/internal/cli");
	if (!cli)
		return;
	assert_int_equal(chdir(cli), 0);
	free(cli);
	e->tmp = make_tmpdir();
	snprintf(e->cache_dir, sizeof(e->cache_dir), "%s/cache", e->tmp);
	struct mint_err err = { 0 };
	assert_ok(mint_apk_cache_open(&e->cache, e->cache_dir, &err), &err);
}

static void env_close(struct env *e)
{
	mint_apk_cache_close(&e->cache);
	cleanup_tmpdir(e->tmp);
}

/* mint build of testdata/apko.yaml into layout with these dates. */
static void build(struct env *e, const char *layout, struct mint_image_rootfs_opts dates,
		  char digest[MINT_OCI_DIGEST_MAX])
{
	struct mint_image_config cfg;
	struct mint_image_packages pkgs;
	struct mint_image_build_result res;
	struct mint_err err = { 0 };
	struct mint_image_source_opts so = { .cache = &e->cache };
	assert_ok(mint_image_config_load("testdata/apko.yaml", NULL, &cfg, &err), &err);
	assert_ok(mint_image_config_apply_defaults(&cfg, &err), &err);
	assert_ok(mint_image_packages_resolve(&cfg, &so, &pkgs, &err), &err);
	dates.tmpdir = e->tmp;
	struct mint_image_build_opts o = { .cfg = &cfg, .packages = &pkgs, .layout_dir = layout,
					   .ref_name = "v1", .rootfs = dates, .threads = 1 };
	assert_ok(mint_image_build(&o, &res, &err), &err);
	memcpy(digest, res.index.digest, MINT_OCI_DIGEST_MAX);
	mint_image_build_result_free(&res);
	mint_image_packages_free(&pkgs);
	mint_image_config_free(&cfg);
}

static void rebuild(struct env *e, const char *layout, const char *output_dir,
		    struct mint_image_rebuild_result *res)
{
	struct mint_oci_image *img = NULL;
	struct mint_err err = { 0 };
	struct mint_image_rebuild_opts o = { .source = { .cache = &e->cache },
					     .output_dir = output_dir, .tmpdir = e->tmp,
					     .threads = 1 };
	assert_ok(mint_oci_image_open(layout, &img, &err), &err);
	assert_ok(mint_image_rebuild(img, &o, res, &err), &err);
	mint_oci_image_free(img);
}

static size_t count_files(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	struct dirent *x;
	while ((x = readdir(d)))
		n += x->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_mint_builds_rebuild_to_the_same_digest(void **state)
{
	(void)state;
	struct env e = { 0 };
	env_open(&e);
	if (!e.tmp)
		return;
	const struct mint_image_rootfs_opts cases[] = {
		{ .build_date = 1700000000, .source_date_epoch = true },
		{ .build_date = 0 },
		{ .build_date = 1800000000 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char layout[4300], digest[MINT_OCI_DIGEST_MAX];
		snprintf(layout, sizeof(layout), "%s/layout%zu", e.tmp, i);
		build(&e, layout, cases[i], digest);
		struct mint_image_rebuild_result res;
		rebuild(&e, layout, NULL, &res);
		assert_true(res.match);
		assert_string_equal(res.original, digest);
		assert_string_equal(res.rebuilt, digest);
		assert_int_equal(res.diff.n, 0);
		assert_int_equal(res.notes, 0);
		rebuilt_same++;
		mint_image_rebuild_result_free(&res);
	}
	env_close(&e);
}

static void test_rebuild_output_dir_holds_exactly_the_image(void **state)
{
	(void)state;
	struct env e = { 0 };
	env_open(&e);
	if (!e.tmp)
		return;
	char layout[4300], out[4300], blobs[4400], digest[MINT_OCI_DIGEST_MAX];
	snprintf(layout, sizeof(layout), "%s/layout", e.tmp);
	snprintf(out, sizeof(out), "%s/rebuilt", e.tmp);
	snprintf(blobs, sizeof(blobs), "%s/blobs/sha256", out);
	build(&e, layout, (struct mint_image_rootfs_opts){ .build_date = 1700000000 }, digest);
	struct mint_image_rebuild_result res;
	rebuild(&e, layout, out, &res);
	assert_true(res.match);
	assert_int_equal(count_files(blobs), 7);
	mint_image_rebuild_result_free(&res);
	env_close(&e);
}

static void test_apko_golden_differs_inside_files_and_fields_only(void **state)
{
	(void)state;
	struct env e = { 0 };
	env_open(&e);
	if (!e.tmp)
		return;
	struct mint_image_rebuild_result res;
	rebuild(&e, "testdata/golden", NULL, &res);
	assert_false(res.match);
	struct mint_buf line = MINT_BUF_INIT;
	for (size_t i = 0; i < res.diff.n; i++) {
		const struct mint_image_difference *d = &res.diff.v[i];
		assert_int_equal(mint_image_difference_format(d, &line), 0);
		print_message("%s\n", line.data);
		assert_true(d->kind == MINT_DIFF_FIELD || d->kind == MINT_DIFF_FILE_CHANGED);
		golden_fields += d->kind == MINT_DIFF_FIELD;
		golden_files += d->kind == MINT_DIFF_FILE_CHANGED;
	}
	struct mint_oci_image *img = NULL;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_image_open("testdata/golden", &img, &err), &err);
	golden_platforms = mint_oci_image_count(img);
	mint_oci_image_free(img);
	mint_buf_free(&line);
	mint_image_rebuild_result_free(&res);
	env_close(&e);
}

static void test_figures(void **state)
{
	(void)state;
	free(fixture_or_skip("apko/internal/cli"));
	printf("conformance: rebuild: %zu mint builds of apko's testdata rebuilt to the same "
	       "digest; apko's golden (%zu platforms) rebuilt with %zu field and %zu file "
	       "differences, no platform or file missing\n",
	       rebuilt_same, golden_platforms, golden_fields, golden_files);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mint_builds_rebuild_to_the_same_digest),
		cmocka_unit_test(test_rebuild_output_dir_holds_exactly_the_image),
		cmocka_unit_test(test_apko_golden_differs_inside_files_and_fields_only),
		cmocka_unit_test(test_figures),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
