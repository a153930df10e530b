/* SPDX-License-Identifier: Apache-2.0 */
/* lib/apk/repo.c: repository strings, file locations, loading indexes. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/apk_cache.h"
#include "mint/apk_repo.h"
#include "mint/fs.h"

static int parse(const char *text, struct mint_apk_repo *r)
{
	struct mint_err err = { 0 };
	return mint_apk_repo_parse(mint_span_str(text), r, &err);
}

static void test_repo_parse_https_drops_trailing_slashes(void **state)
{
	(void)state;
	struct mint_apk_repo r;
	assert_int_equal(parse("  https://dl-cdn.alpinelinux.org/alpine/v3.19/main//  ", &r), 0);
	assert_null(r.tag);
	assert_string_equal(r.spec, "https://dl-cdn.alpinelinux.org/alpine/v3.19/main");
	assert_string_equal(r.url, r.spec);
	assert_false(r.local);
	mint_apk_repo_free(&r);
	assert_int_equal(parse("HTTP://example.org/repo", &r), 0);
	assert_false(r.local);
	mint_apk_repo_free(&r);
}

static void test_repo_parse_tagged_repository_keeps_tag(void **state)
{
	(void)state;
	struct mint_apk_repo r;
	assert_int_equal(parse("@edge\thttps://example.org/edge/main", &r), 0);
	assert_string_equal(r.tag, "edge");
	assert_string_equal(r.spec, "https://example.org/edge/main");
	mint_apk_repo_free(&r);
}

static void test_repo_parse_file_url_is_local_and_kept(void **state)
{
	(void)state;
	struct mint_apk_repo r;
	assert_int_equal(parse("file:///srv/packages/", &r), 0);
	assert_true(r.local);
	assert_string_equal(r.url, "file:///srv/packages");
	mint_apk_repo_free(&r);
}

static void test_repo_parse_absolute_directory_becomes_encoded_file_url(void **state)
{
	(void)state;
	struct mint_apk_repo r;
	assert_int_equal(parse("@local /srv/my#repo%1/", &r), 0);
	assert_string_equal(r.tag, "local");
	assert_string_equal(r.spec, "/srv/my#repo%1");
	assert_string_equal(r.url, "file:///srv/my%23repo%251");
	assert_true(r.local);
	mint_apk_repo_free(&r);
}

static void test_repo_parse_relative_directory_is_made_absolute(void **state)
{
	(void)state;
	char *cwd = getcwd(NULL, 0);
	char want[4200];
	snprintf(want, sizeof(want), "file://%s/packages", cwd);
	struct mint_apk_repo r;
	assert_int_equal(parse("@local packages", &r), 0);
	assert_string_equal(r.spec, "packages");
	if (!strpbrk(cwd, " #%?"))
		assert_string_equal(r.url, want);
	mint_apk_repo_free(&r);
	free(cwd);
}

static void test_repo_parse_refuses_empty_tag_only_blanks_and_other_schemes(void **state)
{
	(void)state;
	struct mint_apk_repo r;
	assert_int_equal(parse("", &r), MINT_EINVAL);
	assert_int_equal(parse("   ", &r), MINT_EINVAL);
	assert_int_equal(parse("@", &r), MINT_EINVAL);
	assert_int_equal(parse("@ https://x", &r), MINT_EINVAL);
	assert_int_equal(parse("@tag", &r), MINT_EINVAL);
	assert_int_equal(parse("@tag   ", &r), MINT_EINVAL);
	assert_int_equal(parse("https://a b", &r), MINT_EINVAL);
	assert_int_equal(parse("/srv/a\x01", &r), MINT_EINVAL);
	assert_int_equal(parse("@a\x01b /srv/a", &r), MINT_EINVAL);
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_repo_parse(MINT_SPAN("@\0a /srv", 8), &r, &err), MINT_EINVAL);
	assert_int_equal(parse("http://", &r), MINT_EINVAL);
	assert_int_equal(parse("ftp://example.org/x", &r), MINT_EUNSUPPORTED);
	assert_int_equal(parse("s3://bucket/x", &r), MINT_EUNSUPPORTED);
	assert_null(r.spec);
}

static void test_repo_index_url_is_arch_dir_apkindex(void **state)
{
	(void)state;
	struct mint_apk_repo r;
	struct mint_buf url = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(parse("https://example.org/main", &r), 0);
	assert_ok(mint_apk_repo_index_url(&r, "x86_64", &url, &err), &err);
	assert_string_equal(mint_buf_cstr(&url), "https://example.org/main/x86_64/APKINDEX.tar.gz");
	assert_int_equal(mint_apk_repo_index_url(&r, "", &url, &err), MINT_EINVAL);
	assert_int_equal(mint_apk_repo_index_url(&r, "x86/64", &url, &err), MINT_EINVAL);
	assert_int_equal(mint_apk_repo_index_url(&r, "..", &url, &err), MINT_EINVAL);
	mint_buf_free(&url);
	mint_apk_repo_free(&r);
}

static void test_repo_package_url_keeps_plus_and_encodes_the_rest(void **state)
{
	(void)state;
	struct mint_apk_repo r;
	struct mint_buf url = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(parse("https://example.org/main", &r), 0);
	assert_ok(mint_apk_repo_package_url(&r, "aarch64", "g++", "12.2.1_git20220924-r10", &url,
					    &err), &err);
	assert_string_equal(mint_buf_cstr(&url),
			    "https://example.org/main/aarch64/g++-12.2.1_git20220924-r10.apk");
	assert_ok(mint_apk_repo_package_url(&r, "x86_64", "a?b#c", "1 0", &url, &err), &err);
	assert_string_equal(mint_buf_cstr(&url), "https://example.org/main/x86_64/a%3Fb%23c-1%200.apk");
	assert_int_equal(mint_apk_repo_package_url(&r, "x86_64", "../x", "1", &url, &err),
			 MINT_EINVAL);
	assert_int_equal(mint_apk_repo_package_url(&r, "x86_64", "x", "", &url, &err), MINT_EINVAL);
	mint_buf_free(&url);
	mint_apk_repo_free(&r);
}

static void test_repo_arch_matches_absent_noarch_and_equal(void **state)
{
	(void)state;
	assert_true(mint_apk_repo_arch_matches(NULL, "x86_64"));
	assert_true(mint_apk_repo_arch_matches("noarch", "x86_64"));
	assert_true(mint_apk_repo_arch_matches("x86_64", "x86_64"));
	assert_false(mint_apk_repo_arch_matches("aarch64", "x86_64"));
	assert_false(mint_apk_repo_arch_matches("", "x86_64"));
}

static const char index_text[] =
	"C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:both\nV:1.0-r0\nA:x86_64\nS:10\nI:1\n\n"
	"C:Q1AQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:other-arch\nV:1.0-r0\nA:aarch64\nS:10\nI:1\n\n"
	"C:Q1AgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:no-arch\nV:2\nS:10\nI:1\n\n"
	"C:Q1AwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:docs\nV:3\nA:noarch\nS:10\nI:1\n\n";

/* A local repository with a plain-text (so unsigned) index for x86_64. */
static char *make_local_repo(void)
{
	char *dir = make_tmpdir();
	char path[600];
	struct mint_err err = { 0 };
	snprintf(path, sizeof(path), "%s/x86_64", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/x86_64/APKINDEX.tar.gz", dir);
	assert_ok(mint_file_write_atomic(path, index_text, sizeof(index_text) - 1, 0644, &err),
		  &err);
	return dir;
}

static void test_repo_set_load_keeps_matching_arch_records_with_their_repo(void **state)
{
	(void)state;
	char *dir = make_local_repo(), *cache_dir = make_tmpdir();
	char spec[700];
	struct mint_apk_repo repos[2];
	struct mint_err err = { 0 };
	snprintf(spec, sizeof(spec), "%s/", dir);
	assert_int_equal(parse(spec, &repos[0]), 0);
	snprintf(spec, sizeof(spec), "@mine file://%s", dir);
	assert_int_equal(parse(spec, &repos[1]), 0);
	struct mint_apk_cache cache;
	assert_ok(mint_apk_cache_open(&cache, cache_dir, &err), &err);
	cache.offline = true;
	struct mint_apk_repo_set set;
	assert_ok(mint_apk_repo_set_load(&set, repos, 2, "x86_64", &cache, NULL,
					 MINT_APK_REPO_ALLOW_UNTRUSTED, &err), &err);
	assert_int_equal(set.n_repos, 2);
	assert_int_equal(set.repos[0].trust, MINT_APK_TRUST_UNSIGNED);
	assert_int_equal(set.n, 6);
	const char *names[] = { "both", "no-arch", "docs" };
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(set.pkgs[i].pkg.name, names[i % 3]);
		assert_ptr_equal(set.pkgs[i].repo, &set.repos[i / 3].repo);
	}
	assert_null(set.pkgs[0].repo->tag);
	assert_string_equal(set.pkgs[3].repo->tag, "mine");
	snprintf(spec, sizeof(spec), "file://%s/x86_64/no-arch-2.apk", dir);
	assert_string_equal(set.pkgs[1].url, spec);
	assert_int_equal(cache.stats.indexes_local, 2);
	mint_apk_repo_set_free(&set);
	mint_apk_repo_free(&repos[0]);
	mint_apk_repo_free(&repos[1]);
	mint_apk_cache_close(&cache);
	cleanup_tmpdir(dir);
	cleanup_tmpdir(cache_dir);
}

static void test_repo_set_load_refuses_unsigned_index_without_allow_untrusted(void **state)
{
	(void)state;
	char *dir = make_local_repo(), *cache_dir = make_tmpdir();
	struct mint_apk_repo repo;
	struct mint_err err = { 0 };
	assert_int_equal(parse(dir, &repo), 0);
	struct mint_apk_cache cache;
	assert_ok(mint_apk_cache_open(&cache, cache_dir, &err), &err);
	struct mint_apk_repo_set set;
	assert_int_equal(mint_apk_repo_set_load(&set, &repo, 1, "x86_64", &cache, NULL, 0, &err),
			 MINT_EUNTRUSTED);
	assert_true(strstr(err.file, "/x86_64/APKINDEX.tar.gz") != NULL);
	assert_int_equal(set.n, 0);
	assert_int_equal(mint_apk_repo_set_load(&set, &repo, 1, "aarch64", &cache, NULL,
						MINT_APK_REPO_ALLOW_UNTRUSTED, &err),
			 MINT_ENOTFOUND);
	mint_apk_repo_free(&repo);
	mint_apk_cache_close(&cache);
	cleanup_tmpdir(dir);
	cleanup_tmpdir(cache_dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repo_parse_https_drops_trailing_slashes),
		cmocka_unit_test(test_repo_parse_tagged_repository_keeps_tag),
		cmocka_unit_test(test_repo_parse_file_url_is_local_and_kept),
		cmocka_unit_test(test_repo_parse_absolute_directory_becomes_encoded_file_url),
		cmocka_unit_test(test_repo_parse_relative_directory_is_made_absolute),
		cmocka_unit_test(test_repo_parse_refuses_empty_tag_only_blanks_and_other_schemes),
		cmocka_unit_test(test_repo_index_url_is_arch_dir_apkindex),
		cmocka_unit_test(test_repo_package_url_keeps_plus_and_encodes_the_rest),
		cmocka_unit_test(test_repo_arch_matches_absent_noarch_and_equal),
		cmocka_unit_test(test_repo_set_load_keeps_matching_arch_records_with_their_repo),
		cmocka_unit_test(test_repo_set_load_refuses_unsigned_index_without_allow_untrusted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
