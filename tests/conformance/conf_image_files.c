/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image files against apko's own output: the installed database built from
 * the melange test packages and the etc/apk files and passwd for the golden
 * image's config (apko/internal/cli/testdata/apko.yaml: packages replayout,
 * repository ./testdata/packages, no accounts) compared with the files in
 * the golden x86_64 layer.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_installed.h"
#include "mint/fs.h"
#include "mint/gzip.h"
#include "mint/image_files.h"
#include "mint/source.h"
#include "mint/tar.h"

#define TESTDATA "apko/internal/cli/testdata/"
#define GOLDEN_X86_64_LAYER \
	TESTDATA "golden/blobs/sha256/c7557730da0e2d7fb242d8d1ac6dcf7e3a2439732aa5981270b4f3a02454b738"

static unsigned passed, failed;

static void check(bool ok, const char *what)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	print_error("mismatch: %s\n", what);
}

/* The named regular file of the golden layer, or fails the test. */
static void golden_file(struct mint_span layer, const char *name, struct mint_buf *out)
{
	struct mint_span_source ss;
	struct mint_tar_reader *r = NULL;
	const struct mint_tar_entry *e;
	struct mint_err err = { 0 };
	int rc;
	assert_ok(mint_tar_reader_new(&r, mint_span_source_init(&ss, layer), NULL,
				      MINT_TAR_END_REQUIRED, &err), &err);
	while ((rc = mint_tar_next(r, &e, &err)) == 1) {
		if (strcmp(e->name, name))
			continue;
		char *dst = mint_buf_grow(out, e->size);
		size_t got;
		assert_non_null(dst);
		size_t done = 0;
		while (done < e->size) {
			assert_ok(mint_tar_read(r, dst + done, e->size - done, &got, &err), &err);
			assert_true(got > 0);
			done += got;
		}
		mint_tar_reader_free(r);
		return;
	}
	assert_ok(rc, &err);
	mint_tar_reader_free(r);
	fail_msg("%s is not in the golden layer", name);
}

static void load_layer(struct mint_buf *tar)
{
	char *path = fixture_or_skip(GOLDEN_X86_64_LAYER);
	struct mint_buf raw = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	size_t member;
	if (!path)
		return;
	read_file_or_fail(path, &raw);
	free(path);
	assert_ok(mint_gunzip_member(mint_buf_span(&raw), NULL, tar, &member, &err), &err);
	mint_buf_free(&raw);
}

static void read_package(const char *name, struct mint_apk_package *p)
{
	char rel[256];
	struct mint_apk_limits limits;
	struct mint_err err = { 0 };
	snprintf(rel, sizeof(rel), TESTDATA "packages/x86_64/%s", name);
	char *path = fixture_or_skip(rel);
	assert_non_null(path);
	mint_apk_limits_default(&limits);
	assert_ok(mint_apk_package_read(path, NULL, &limits, MINT_APK_HASH_FILES, p, &err), &err);
	free(path);
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static void compare_dirs(const struct mint_apk_installed_pkg *got,
			 const struct mint_apk_installed_pkg *want)
{
	check(got->n_dirs == want->n_dirs, "directory count");
	for (size_t i = 0; i < got->n_dirs && i < want->n_dirs; i++) {
		const struct mint_apk_installed_dir *g = &got->dirs[i], *w = &want->dirs[i];
		check(!strcmp(g->path, w->path), "F: path");
		check(g->has_acl == w->has_acl && (!g->has_acl || (g->uid == w->uid &&
			g->gid == w->gid && g->mode == w->mode)), "M: line");
		check(g->n_files == w->n_files, "file count");
		for (size_t j = 0; j < g->n_files && j < w->n_files; j++) {
			const struct mint_apk_installed_file *gf = &g->files[j], *wf = &w->files[j];
			check(!strcmp(gf->name, wf->name), "R: name");
			check(gf->has_acl == wf->has_acl && (!gf->has_acl || (gf->uid == wf->uid &&
				gf->gid == wf->gid && gf->mode == wf->mode)), "a: line");
			check(same_str(gf->digest, wf->digest), "Z: digest");
		}
	}
}

static void compare_db(const struct mint_apk_installed_db *got,
		       const struct mint_apk_installed_db *want)
{
	check(got->n == want->n, "package count");
	for (size_t i = 0; i < got->n && i < want->n; i++) {
		check(same_str(got->pkgs[i].pkg.name, want->pkgs[i].pkg.name), "P: name");
		check(same_str(got->pkgs[i].pkg.version, want->pkgs[i].pkg.version), "V: version");
		check(same_str(got->pkgs[i].pkg.identity, want->pkgs[i].pkg.identity), "C: identity");
		compare_dirs(&got->pkgs[i], &want->pkgs[i]);
	}
}

static void test_installed_db_matches_golden_image(void **state)
{
	(void)state;
	struct mint_buf tar = MINT_BUF_INIT, golden = MINT_BUF_INIT, ours = MINT_BUF_INIT;
	struct mint_apk_package a, b;
	struct mint_apk_installed_db want, built, reread;
	struct mint_err err = { 0 };
	load_layer(&tar);
	golden_file(mint_buf_span(&tar), "usr/lib/apk/db/installed", &golden);
	read_package("pretend-baselayout-1.0.0-r0.apk", &a);
	read_package("replayout-1.0.0-r0.apk", &b);
	struct mint_image_pkg pkgs[] = {
		{ &a.info, a.entries, a.n_entries, a.scripts, a.n_scripts },
		{ &b.info, b.entries, b.n_entries, b.scripts, b.n_scripts },
	};
	assert_ok(mint_apk_installed_parse(mint_buf_span(&golden), &want, &err), &err);
	assert_ok(mint_image_installed_db_build(pkgs, 2, &built, &err), &err);
	compare_db(&built, &want);
	assert_ok(mint_image_installed_db(pkgs, 2, &ours, &err), &err);
	assert_ok(mint_apk_installed_parse(mint_buf_span(&ours), &reread, &err), &err);
	compare_db(&reread, &want);
	mint_apk_installed_free(&reread);
	mint_image_installed_db_free(&built);
	mint_apk_installed_free(&want);
	mint_buf_reset(&ours);
	assert_ok(mint_image_scripts_tar(pkgs, 2, &ours, &err), &err);
	mint_buf_reset(&golden);
	golden_file(mint_buf_span(&tar), "usr/lib/apk/db/scripts.tar", &golden);
	check(ours.len == golden.len && !memcmp(ours.data, golden.data, ours.len), "scripts.tar");
	mint_buf_reset(&ours);
	assert_ok(mint_image_triggers(pkgs, 2, &ours, &err), &err);
	check(ours.len == 0, "triggers");
	mint_apk_package_free(&a);
	mint_apk_package_free(&b);
	mint_buf_free(&ours);
	mint_buf_free(&golden);
	mint_buf_free(&tar);
}

static void compare_file(struct mint_span layer, const char *name, const struct mint_buf *ours)
{
	struct mint_buf golden = MINT_BUF_INIT;
	golden_file(layer, name, &golden);
	check(golden.len == ours->len && !memcmp(golden.data, ours->data, ours->len), name);
	mint_buf_free(&golden);
}

static void test_etc_files_match_golden_image(void **state)
{
	(void)state;
	/* apko.yaml, with the locked package versions of the golden image */
	const char *world[] = { "replayout=1.0.0-r0", "pretend-baselayout=1.0.0-r0" };
	const char *repos[] = { "./testdata/packages" };
	struct mint_image_account_spec accounts = { 0 };
	struct mint_image_account_files files;
	struct mint_buf tar = MINT_BUF_INIT, out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	load_layer(&tar);
	assert_ok(mint_image_world(world, 2, &out, &err), &err);
	compare_file(mint_buf_span(&tar), "etc/apk/world", &out);
	mint_buf_reset(&out);
	assert_ok(mint_image_repositories(repos, 1, &out, &err), &err);
	compare_file(mint_buf_span(&tar), "etc/apk/repositories", &out);
	mint_buf_reset(&out);
	assert_ok(mint_image_arch("x86_64", &out, &err), &err);
	compare_file(mint_buf_span(&tar), "etc/apk/arch", &out);
	mint_buf_reset(&out);
	assert_ok(mint_image_key_path("./testdata/melange.rsa.pub", &out, &err), &err);
	check(!strcmp(mint_buf_cstr(&out), "etc/apk/keys/melange.rsa.pub"), "key name");
	assert_ok(mint_image_accounts_build(&accounts, MINT_SPAN_NULL, MINT_SPAN_NULL,
					    MINT_SPAN_NULL, &files, &err), &err);
	compare_file(mint_buf_span(&tar), "etc/passwd", &files.passwd);
	check(!files.write_group && !files.write_shadow, "no group or shadow without accounts");
	mint_image_account_files_free(&files);
	mint_buf_free(&out);
	mint_buf_free(&tar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_installed_db_matches_golden_image),
		cmocka_unit_test(test_etc_files_match_golden_image),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("conformance: apko golden image files: %u passed, %u failed\n", passed, failed);
	if (failed && !rc)
		rc = 1;
	return tests_exit(rc);
}
