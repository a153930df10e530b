/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/apk/cache.c with packages built by the test (tests/apkbuild.h) in a
 * local repository: paths, verification, storing, copying out, offline mode
 * and corrupt entries. Remote indexes and ETags are covered against a real
 * server in tests/conformance/conf_repo.c.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rsa.h>

#include "apkbuild.h"
#include "mint/apk_cache.h"
#include "mint/apk_index.h"
#include "mint/apk_package.h"
#include "mint/apk_repo.h"
#include "mint/fs.h"

#define N_PKGS 3

static EVP_PKEY *key;
static struct mint_apk_keyring keyring;

static const struct test_file files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/share", .type = MINT_TAR_DIR },
	{ .name = "usr/share/hello", .content = "hello from a cached package\n" },
};

static int setup(void **state)
{
	(void)state;
	key = EVP_RSA_gen(2048);
	size_t len;
	char *pem = public_pem_of(key, &len);
	struct mint_err err = { 0 };
	int rc = mint_apk_keyring_add_pem(&keyring, "test.rsa.pub", MINT_SPAN(pem, len), &err);
	free(pem);
	return key && !rc ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(key);
	mint_apk_keyring_free(&keyring);
	return 0;
}

/* A local repository, its loaded package set and a cache, for one test. */
struct fixture {
	char *repo_dir, *cache_dir, *out_dir;
	struct mint_apk_repo repo;
	struct mint_apk_cache cache;
	struct mint_apk_repo_set set;
	const struct mint_apk_repo_pkg *pkgs[N_PKGS];
};

static void build_named(const char *name, bool legacy, bool sign, struct mint_buf *out)
{
	char pkginfo[200];
	snprintf(pkginfo, sizeof(pkginfo), "pkgname = %s\npkgver = 1.%zu-r0\narch = x86_64\n", name,
		 strlen(name));
	struct test_apk spec = { .pkginfo = pkginfo, .files = files, .n_files = 3,
				 .legacy = legacy };
	if (sign) {
		spec.key = key;
		spec.key_name = "test.rsa.pub";
	}
	build_test_apk(&spec, out);
}

static void write_file(const char *dir, const char *name, struct mint_span bytes)
{
	char path[700];
	struct mint_err err = { 0 };
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_ok(mint_file_write_atomic(path, bytes.ptr, bytes.len, 0644, &err), &err);
}

/* Writes the packages and an unsigned index listing them, then loads it. */
static void fixture_open(struct fixture *f, bool legacy, bool sign)
{
	static const char *names[N_PKGS] = { "alpha", "beta", "gamma" };
	struct mint_err err = { 0 };
	memset(f, 0, sizeof(*f));
	f->repo_dir = make_tmpdir();
	f->cache_dir = make_tmpdir();
	f->out_dir = make_tmpdir();
	char arch_dir[600];
	snprintf(arch_dir, sizeof(arch_dir), "%s/x86_64", f->repo_dir);
	assert_int_equal(mkdir(arch_dir, 0755), 0);
	struct mint_apk_index idx = { .pkgs = calloc(N_PKGS, sizeof(struct mint_apk_pkg)),
				      .n = N_PKGS };
	for (size_t i = 0; i < N_PKGS; i++) {
		struct mint_buf apk = MINT_BUF_INIT;
		struct mint_apk_package p;
		build_named(names[i], legacy, sign, &apk);
		assert_ok(mint_apk_package_read_mem(mint_buf_span(&apk), NULL, NULL, 0, &p, &err),
			  &err);
		struct mint_apk_pkg *rec = &idx.pkgs[i];
		rec->name = strdup(p.info.name);
		rec->version = strdup(p.info.version);
		rec->arch = strdup("x86_64");
		rec->identity = strdup(p.identity);
		rec->has_file_size = true;
		rec->file_size = apk.len;
		char file_name[100];
		snprintf(file_name, sizeof(file_name), "%s-%s.apk", rec->name, rec->version);
		write_file(arch_dir, file_name, mint_buf_span(&apk));
		mint_apk_package_free(&p);
		mint_buf_free(&apk);
	}
	struct mint_buf text = MINT_BUF_INIT;
	assert_int_equal(mint_apk_index_write_text(&idx, &text), 0);
	write_file(arch_dir, "APKINDEX.tar.gz", mint_buf_span(&text));
	mint_buf_free(&text);
	mint_apk_index_free(&idx);

	assert_ok(mint_apk_repo_parse(mint_span_str(f->repo_dir), &f->repo, &err), &err);
	assert_ok(mint_apk_cache_open(&f->cache, f->cache_dir, &err), &err);
	assert_ok(mint_apk_repo_set_load(&f->set, &f->repo, 1, "x86_64", &f->cache, NULL,
					 MINT_APK_REPO_ALLOW_UNTRUSTED, &err), &err);
	assert_int_equal(f->set.n, N_PKGS);
	for (size_t i = 0; i < N_PKGS; i++)
		f->pkgs[i] = &f->set.pkgs[i];
}

static void fixture_close(struct fixture *f)
{
	mint_apk_repo_set_free(&f->set);
	mint_apk_repo_free(&f->repo);
	mint_apk_cache_close(&f->cache);
	cleanup_tmpdir(f->repo_dir);
	cleanup_tmpdir(f->cache_dir);
	cleanup_tmpdir(f->out_dir);
}

static char *cached_path(struct fixture *f, size_t i)
{
	struct mint_buf path = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_apk_cache_package_path(&f->cache, f->pkgs[i]->pkg.identity, &path, &err),
		  &err);
	return mint_buf_detach(&path, NULL);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void assert_msg_contains(const struct mint_err *err, const char *needle)
{
	char text[2048];
	mint_err_format(err, text, sizeof(text));
	if (!strstr(text, needle))
		fail_msg("error '%s' does not contain '%s'", text, needle);
}

static void test_cache_default_dir_prefers_absolute_xdg_then_home(void **state)
{
	(void)state;
	char *old_xdg = getenv("XDG_CACHE_HOME") ? strdup(getenv("XDG_CACHE_HOME")) : NULL;
	char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	struct mint_buf dir = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	setenv("XDG_CACHE_HOME", "/var/cache/me", 1);
	setenv("HOME", "/home/me", 1);
	assert_ok(mint_cache_default_dir(&dir, &err), &err);
	assert_string_equal(mint_buf_cstr(&dir), "/var/cache/me/mint");
	setenv("XDG_CACHE_HOME", "relative/cache", 1);
	assert_ok(mint_cache_default_dir(&dir, &err), &err);
	assert_string_equal(mint_buf_cstr(&dir), "/home/me/.cache/mint");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("HOME");
	assert_int_equal(mint_cache_default_dir(&dir, &err), MINT_EINVAL);
	if (old_xdg)
		setenv("XDG_CACHE_HOME", old_xdg, 1);
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_xdg);
	free(old_home);
	mint_buf_free(&dir);
}

static void test_cache_paths_are_url_hash_and_identity_hex(void **state)
{
	(void)state;
	char *root = make_tmpdir();
	struct mint_apk_cache c;
	struct mint_err err = { 0 };
	char want[700];
	struct mint_buf path = MINT_BUF_INIT;
	assert_ok(mint_apk_cache_open(&c, root, &err), &err);
	snprintf(want, sizeof(want), "%s/apk/packages", root);
	assert_true(exists(want));
	assert_ok(mint_apk_cache_index_path(
			  &c, "https://example.org/alpine/main/x86_64/APKINDEX.tar.gz", &path, &err),
		  &err);
	snprintf(want, sizeof(want),
		 "%s/apk/indexes/d1403366aa7bf96b09d3a6faf51cc9be7ecf3bea5a6e2cec08e6882c60837af6"
		 ".tar.gz", root);
	assert_string_equal(mint_buf_cstr(&path), want);
	assert_ok(mint_apk_cache_package_path(&c, "Q1HYV3GHk9wRjFNygSSkFi7+gHkMs=", &path, &err),
		  &err);
	snprintf(want, sizeof(want), "%s/apk/packages/1d857718793dc118c53728124a4162efe80790cb.apk",
		 root);
	assert_string_equal(mint_buf_cstr(&path), want);
	assert_int_equal(mint_apk_cache_package_path(&c, "Q2HYV3GHk9wRjFNygSSkFi7+gHkMs=", &path,
						     &err), MINT_EFORMAT);
	assert_int_equal(mint_apk_cache_package_path(&c, "Q1HYV3GHk9wRjFNygSSk", &path, &err),
			 MINT_EFORMAT);
	assert_int_equal(mint_apk_cache_package_path(&c, "Q1../../../../etc/passwd=", &path,
						     &err), MINT_EFORMAT);
	assert_int_equal(mint_apk_cache_package_path(&c, NULL, &path, &err), MINT_EFORMAT);
	mint_buf_free(&path);
	mint_apk_cache_close(&c);
	cleanup_tmpdir(root);
}

static void test_cache_verify_package_checks_size_identity_and_names(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT;
	struct mint_apk_package pa;
	struct mint_err err = { 0 };
	build_named("one", false, false, &a);
	build_named("two", false, false, &b);
	assert_ok(mint_apk_package_read_mem(mint_buf_span(&a), NULL, NULL, 0, &pa, &err), &err);
	struct mint_apk_pkg rec = { .name = "one", .version = "1.3-r0", .identity = pa.identity,
				    .has_file_size = true, .file_size = a.len };
	assert_ok(mint_apk_cache_verify_package(mint_buf_span(&a), &rec, NULL, NULL, &err), &err);
	rec.file_size = b.len;
	assert_int_equal(mint_apk_cache_verify_package(mint_buf_span(&b), &rec, NULL, NULL, &err),
			 MINT_EINTEGRITY);
	assert_msg_contains(&err, "identity");
	rec.file_size = a.len + 1;
	assert_int_equal(mint_apk_cache_verify_package(mint_buf_span(&a), &rec, NULL, NULL, &err),
			 MINT_EINTEGRITY);
	assert_msg_contains(&err, "bytes");
	rec.file_size = a.len;
	rec.version = "9";
	assert_int_equal(mint_apk_cache_verify_package(mint_buf_span(&a), &rec, NULL, NULL, &err),
			 MINT_EINTEGRITY);
	rec.identity = NULL;
	assert_int_equal(mint_apk_cache_verify_package(mint_buf_span(&a), &rec, NULL, NULL, &err),
			 MINT_EINVAL);
	mint_apk_package_free(&pa);
	mint_buf_free(&a);
	mint_buf_free(&b);
}

static void test_cache_fetch_stores_verified_packages_and_copies_them_out(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	fixture_open(&f, false, false);
	assert_ok(mint_apk_cache_fetch(&f.cache, f.pkgs, N_PKGS, NULL, f.out_dir, &err), &err);
	assert_int_equal(f.cache.stats.packages_downloaded, N_PKGS);
	for (size_t i = 0; i < N_PKGS; i++) {
		char *path = cached_path(&f, i);
		char out[700], src[700];
		struct mint_buf cached = MINT_BUF_INIT, copied = MINT_BUF_INIT, orig = MINT_BUF_INIT;
		const struct mint_apk_pkg *p = &f.pkgs[i]->pkg;
		snprintf(out, sizeof(out), "%s/%s-%s.apk", f.out_dir, p->name, p->version);
		snprintf(src, sizeof(src), "%s/x86_64/%s-%s.apk", f.repo_dir, p->name, p->version);
		read_file_or_fail(path, &cached);
		read_file_or_fail(out, &copied);
		read_file_or_fail(src, &orig);
		assert_true(mint_span_eq(mint_buf_span(&cached), mint_buf_span(&orig)));
		assert_true(mint_span_eq(mint_buf_span(&copied), mint_buf_span(&orig)));
		mint_buf_free(&cached);
		mint_buf_free(&copied);
		mint_buf_free(&orig);
		free(path);
	}
	fixture_close(&f);
}

static void test_cache_warm_cache_serves_offline_without_the_repository(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	fixture_open(&f, false, false);
	assert_ok(mint_apk_cache_fetch(&f.cache, f.pkgs, N_PKGS, NULL, NULL, &err), &err);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -f '%s'/x86_64/*.apk", f.repo_dir);
	assert_int_equal(system(cmd), 0);
	f.cache.offline = true;
	assert_ok(mint_apk_cache_fetch(&f.cache, f.pkgs, N_PKGS, NULL, f.out_dir, &err), &err);
	assert_int_equal(f.cache.stats.packages_cached, N_PKGS);
	fixture_close(&f);
}

static void test_cache_offline_cold_cache_names_missing_package_and_url(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	fixture_open(&f, false, false);
	f.cache.offline = true;
	assert_int_equal(mint_apk_cache_fetch(&f.cache, f.pkgs, N_PKGS, NULL, NULL, &err),
			 MINT_ENOTFOUND);
	assert_msg_contains(&err, "offline");
	assert_msg_contains(&err, "alpha-1.5-r0");
	assert_msg_contains(&err, f.pkgs[0]->pkg.identity);
	assert_msg_contains(&err, f.pkgs[0]->url);
	assert_msg_contains(&err, "nor are 2 more");
	fixture_close(&f);
}

static void test_cache_corrupt_entry_is_discarded_and_fetched_again(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	fixture_open(&f, false, false);
	assert_ok(mint_apk_cache_fetch(&f.cache, f.pkgs, 1, NULL, NULL, &err), &err);
	char *path = cached_path(&f, 0);
	assert_int_equal(truncate(path, 100), 0);
	assert_ok(mint_apk_cache_fetch(&f.cache, f.pkgs, 1, NULL, f.out_dir, &err), &err);
	assert_int_equal(f.cache.stats.entries_discarded, 1);
	assert_int_equal(f.cache.stats.packages_downloaded, 2);
	struct mint_buf cached = MINT_BUF_INIT;
	read_file_or_fail(path, &cached);
	assert_int_equal(cached.len, f.pkgs[0]->pkg.file_size);
	/* Offline, a corrupt entry is still discarded and reported missing. */
	assert_int_equal(truncate(path, 10), 0);
	f.cache.offline = true;
	assert_int_equal(mint_apk_cache_fetch(&f.cache, f.pkgs, 1, NULL, NULL, &err),
			 MINT_ENOTFOUND);
	assert_false(exists(path));
	mint_buf_free(&cached);
	free(path);
	fixture_close(&f);
}

static void test_cache_package_not_matching_its_index_record_is_not_cached(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	fixture_open(&f, false, false);
	/* Same size, other content: a package the index did not list. */
	struct mint_buf other = MINT_BUF_INIT;
	build_named("alphx", false, false, &other);
	const struct mint_apk_pkg *p = &f.pkgs[0]->pkg;
	char name[100];
	snprintf(name, sizeof(name), "x86_64/%s-%s.apk", p->name, p->version);
	write_file(f.repo_dir, name, mint_buf_span(&other));
	assert_int_equal(other.len, p->file_size);
	assert_int_equal(mint_apk_cache_fetch(&f.cache, f.pkgs, N_PKGS, NULL, f.out_dir, &err),
			 MINT_EINTEGRITY);
	assert_msg_contains(&err, "identity");
	assert_string_equal(err.file, f.pkgs[0]->url);
	char *path = cached_path(&f, 0);
	char out[700];
	snprintf(out, sizeof(out), "%s/%s-%s.apk", f.out_dir, p->name, p->version);
	assert_false(exists(path));
	assert_false(exists(out));
	assert_int_equal(f.cache.stats.packages_downloaded, N_PKGS - 1);
	free(path);
	mint_buf_free(&other);
	fixture_close(&f);
}

static void test_cache_legacy_package_needs_a_trusted_signature(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	fixture_open(&f, true, false);
	assert_int_equal(mint_apk_cache_fetch(&f.cache, f.pkgs, 1, &keyring, NULL, &err),
			 MINT_EINTEGRITY);
	assert_msg_contains(&err, "legacy");
	fixture_close(&f);
	fixture_open(&f, true, true);
	assert_ok(mint_apk_cache_fetch(&f.cache, f.pkgs, 1, &keyring, NULL, &err), &err);
	fixture_close(&f);
}

static void test_cache_read_package_hit_parses_once_and_names_the_file(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	struct mint_apk_package pkg;
	char *got = NULL;
	fixture_open(&f, false, false);
	assert_ok(mint_apk_cache_fetch(&f.cache, f.pkgs, N_PKGS, NULL, NULL, &err), &err);
	char *path = cached_path(&f, 1);
	assert_ok(mint_apk_cache_read_package(&f.cache, f.pkgs[1], NULL, &pkg, &got, &err), &err);
	assert_string_equal(got, path);
	assert_string_equal(pkg.identity, f.pkgs[1]->pkg.identity);
	assert_string_equal(pkg.info.name, f.pkgs[1]->pkg.name);
	assert_true(pkg.n_entries > 0);
	assert_true(exists(path));
	mint_apk_package_free(&pkg);
	free(got);
	free(path);
	fixture_close(&f);
}

static void test_cache_read_package_missing_entry_is_not_found(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	struct mint_apk_package pkg;
	char *got = NULL;
	fixture_open(&f, false, false);
	assert_int_equal(mint_apk_cache_read_package(&f.cache, f.pkgs[0], NULL, &pkg, &got, &err),
			 MINT_ENOTFOUND);
	assert_null(got);
	fixture_close(&f);
}

static void test_cache_read_package_corrupt_entry_is_deleted(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	struct mint_apk_package pkg;
	char *got = NULL;
	fixture_open(&f, false, false);
	assert_ok(mint_apk_cache_fetch(&f.cache, f.pkgs, 1, NULL, NULL, &err), &err);
	char *path = cached_path(&f, 0);
	assert_int_equal(truncate(path, 100), 0);
	assert_int_not_equal(mint_apk_cache_read_package(&f.cache, f.pkgs[0], NULL, &pkg, &got,
							 &err), 0);
	assert_msg_contains(&err, "deleted");
	assert_null(got);
	assert_false(exists(path));
	/* Fetched again, it reads. */
	assert_ok(mint_apk_cache_fetch(&f.cache, f.pkgs, 1, NULL, NULL, &err), &err);
	assert_ok(mint_apk_cache_read_package(&f.cache, f.pkgs[0], NULL, &pkg, NULL, &err), &err);
	mint_apk_package_free(&pkg);
	free(path);
	fixture_close(&f);
}

static void test_cache_read_package_record_mismatch_is_deleted(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	struct mint_apk_package pkg;
	fixture_open(&f, false, false);
	assert_ok(mint_apk_cache_fetch(&f.cache, f.pkgs, 1, NULL, NULL, &err), &err);
	char *path = cached_path(&f, 0);
	/* The right bytes, but the record names another version. */
	struct mint_apk_repo_pkg rp = *f.pkgs[0];
	rp.pkg.version = "9.9-r0";
	assert_int_equal(mint_apk_cache_read_package(&f.cache, &rp, NULL, &pkg, NULL, &err),
			 MINT_EINTEGRITY);
	assert_msg_contains(&err, ".PKGINFO names");
	assert_false(exists(path));
	free(path);
	fixture_close(&f);
}

struct count_sink {
	size_t bytes;
	bool fail;
};

static int count_write(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	struct count_sink *c = ctx;
	(void)data;
	if (c->fail)
		return mint_err_set(err, MINT_EIO, "no space left for the copy");
	c->bytes += len;
	return 0;
}

static void test_cache_read_package_ex_copies_the_data_stream_of_a_hit(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	struct mint_apk_package pkg;
	struct count_sink c = { 0, false };
	struct mint_apk_data_sink sink = { count_write, &c };
	fixture_open(&f, false, false);
	assert_ok(mint_apk_cache_fetch(&f.cache, f.pkgs, N_PKGS, NULL, NULL, &err), &err);
	assert_ok(mint_apk_cache_read_package_ex(&f.cache, f.pkgs[1], NULL, &sink, &pkg, NULL,
						 &err), &err);
	assert_true(pkg.data_tar_bytes > 0);
	assert_int_equal(c.bytes, pkg.data_tar_bytes);
	mint_apk_package_free(&pkg);
	fixture_close(&f);
}

static void test_cache_read_package_ex_failing_sink_keeps_the_entry(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_err err = { 0 };
	struct mint_apk_package pkg;
	struct count_sink c = { 0, true };
	struct mint_apk_data_sink sink = { count_write, &c };
	fixture_open(&f, false, false);
	assert_ok(mint_apk_cache_fetch(&f.cache, f.pkgs, 1, NULL, NULL, &err), &err);
	char *path = cached_path(&f, 0);
	assert_int_equal(mint_apk_cache_read_package_ex(&f.cache, f.pkgs[0], NULL, &sink, &pkg,
							NULL, &err), MINT_EIO);
	assert_msg_contains(&err, "no space left");
	assert_true(exists(path)); /* the entry is fine; the copy was not */
	free(path);
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_default_dir_prefers_absolute_xdg_then_home),
		cmocka_unit_test(test_cache_paths_are_url_hash_and_identity_hex),
		cmocka_unit_test(test_cache_verify_package_checks_size_identity_and_names),
		cmocka_unit_test(test_cache_fetch_stores_verified_packages_and_copies_them_out),
		cmocka_unit_test(test_cache_warm_cache_serves_offline_without_the_repository),
		cmocka_unit_test(test_cache_offline_cold_cache_names_missing_package_and_url),
		cmocka_unit_test(test_cache_corrupt_entry_is_discarded_and_fetched_again),
		cmocka_unit_test(test_cache_package_not_matching_its_index_record_is_not_cached),
		cmocka_unit_test(test_cache_legacy_package_needs_a_trusted_signature),
		cmocka_unit_test(test_cache_read_package_hit_parses_once_and_names_the_file),
		cmocka_unit_test(test_cache_read_package_missing_entry_is_not_found),
		cmocka_unit_test(test_cache_read_package_corrupt_entry_is_deleted),
		cmocka_unit_test(test_cache_read_package_record_mismatch_is_deleted),
		cmocka_unit_test(test_cache_read_package_ex_copies_the_data_stream_of_a_hit),
		cmocka_unit_test(test_cache_read_package_ex_failing_sink_keeps_the_entry),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
