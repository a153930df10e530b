/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apko's own lock files (apko/internal/cli/testdata): each parses and
 * writes back byte for byte; each package entry is what mint computes from
 * the .apk it names; the repository and key entries and the config
 * checksum are what mint derives from the config the lock was made from.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_package.h"
#include "mint/image_config.h"
#include "mint/image_lock.h"

#define TESTDATA "apko/internal/cli/testdata/"

/* The locks made from the package files in testdata/packages today, with
 * the config each was made from. */
static const struct {
	const char *lock, *config;
} current[] = {
	{ "apko.lock.json", "apko.yaml" },
	{ "apko-discover.lock.json", "apko-discover.yaml" },
	{ "image_on_top.apko.lock.json", "image_on_top.apko.yaml" },
};

/* Made by apko before 0.13 from older builds of the same packages. */
#define PRE_0_13 "apko.pre-0.13.lock.json"

static void load_lock(const char *rel, struct mint_buf *text, struct mint_lock *l)
{
	char buf[256];
	snprintf(buf, sizeof(buf), TESTDATA "%s", rel);
	char *path = fixture_or_skip(buf);
	struct mint_err err = { 0 };
	read_file_or_fail(path, text);
	assert_ok(mint_lock_parse(mint_buf_span(text), path, l, &err), &err);
	free(path);
}

/* The lock names files as apko's tests ran it: "./testdata/...". */
static char *file_of_url(const char *url)
{
	char rel[512];
	assert_true(!strncmp(url, "./testdata/", 11));
	snprintf(rel, sizeof(rel), TESTDATA "%s", url + 11);
	return fixture_or_skip(rel);
}

static void test_apko_locks_write_back_byte_identical(void **state)
{
	(void)state;
	const char *locks[] = { current[0].lock, current[1].lock, current[2].lock, PRE_0_13 };
	size_t n = sizeof(locks) / sizeof(locks[0]), same = 0;
	for (size_t i = 0; i < n; i++) {
		struct mint_buf text = MINT_BUF_INIT, out = MINT_BUF_INIT;
		struct mint_lock l;
		struct mint_err err = { 0 };
		load_lock(locks[i], &text, &l);
		assert_ok(mint_lock_write(&l, &out, &err), &err);
		if (out.len == text.len && !memcmp(out.data, text.data, text.len))
			same++;
		else
			print_message("%s: written back differently\n", locks[i]);
		assert_int_equal(l.form, strcmp(locks[i], PRE_0_13) ? MINT_LOCK_FORM_CURRENT
								   : MINT_LOCK_FORM_PRE_0_13);
		mint_lock_free(&l);
		mint_buf_free(&text);
		mint_buf_free(&out);
	}
	print_message("conformance: apko lock files: %zu of %zu byte-identical round trip\n", same,
		      n);
	assert_int_equal(same, n);
}

static bool range_eq(const struct mint_lock_range *a, const struct mint_lock_range *b)
{
	return a->first == b->first && a->last == b->last && !strcmp(a->checksum, b->checksum);
}

static bool entry_eq(const struct mint_lock_package *a, const struct mint_lock_package *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->url, b->url) &&
	       !strcmp(a->version, b->version) && !strcmp(a->architecture, b->architecture) &&
	       range_eq(&a->signature, &b->signature) && range_eq(&a->control, &b->control) &&
	       range_eq(&a->data, &b->data) && !strcmp(a->checksum, b->checksum);
}

/* Computes the entry for the package file e names and checks it equals e;
 * the file must also verify against e. */
static bool entry_matches_file(const struct mint_lock_package *e)
{
	char *path = file_of_url(e->url);
	struct mint_buf file = MINT_BUF_INIT;
	struct mint_apk_package pkg;
	struct mint_lock_package mine;
	struct mint_err err = { 0 };
	read_file_or_fail(path, &file);
	assert_ok(mint_apk_package_read_mem(mint_buf_span(&file), NULL, NULL, 0, &pkg, &err), &err);
	/* NULL arch: the package's own, which is what apko records. */
	assert_ok(mint_lock_package_from(&pkg, mint_buf_span(&file), e->url, NULL, &mine, &err),
		  &err);
	bool same = entry_eq(&mine, e);
	if (!same)
		print_message("%s: computed entry differs (control %s, data %s)\n", e->url,
			      mine.control.checksum, mine.data.checksum);
	assert_ok(mint_lock_verify_package(e, mint_buf_span(&file), &err), &err);
	mint_lock_package_free(&mine);
	mint_apk_package_free(&pkg);
	mint_buf_free(&file);
	free(path);
	return same;
}

static void test_apko_lock_entries_equal_entries_computed_from_package_files(void **state)
{
	(void)state;
	size_t total = 0, same = 0;
	for (size_t i = 0; i < sizeof(current) / sizeof(current[0]); i++) {
		struct mint_buf text = MINT_BUF_INIT;
		struct mint_lock l;
		load_lock(current[i].lock, &text, &l);
		for (size_t j = 0; j < l.n_packages; j++, total++)
			same += entry_matches_file(&l.packages[j]);
		mint_lock_free(&l);
		mint_buf_free(&text);
	}
	print_message("conformance: apko lock entries: %zu of %zu identical\n", same, total);
	assert_int_equal(same, total);
	assert_true(total > 0);
}

static void test_pre_0_13_entries_refuse_todays_package_files(void **state)
{
	(void)state;
	struct mint_buf text = MINT_BUF_INIT;
	struct mint_lock l;
	size_t refused = 0;
	load_lock(PRE_0_13, &text, &l);
	for (size_t i = 0; i < l.n_packages; i++) {
		char *path = file_of_url(l.packages[i].url);
		struct mint_buf file = MINT_BUF_INIT;
		struct mint_err err = { 0 };
		read_file_or_fail(path, &file);
		if (mint_lock_verify_package(&l.packages[i], mint_buf_span(&file), &err) ==
		    MINT_EINTEGRITY)
			refused++;
		mint_buf_free(&file);
		free(path);
	}
	print_message("conformance: apko pre-0.13 lock entries (older builds): %zu of %zu refused "
		      "against today's package files\n", refused, l.n_packages);
	assert_int_equal(refused, l.n_packages);
	mint_lock_free(&l);
	mint_buf_free(&text);
}

static bool repo_eq(const struct mint_lock_repo *a, const struct mint_lock_repo *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->url, b->url) &&
	       !strcmp(a->architecture, b->architecture);
}

/* The repository entries of a config: per arch (in the config's order, as
 * apko builds them), one for each repository. */
static size_t count_matching_repos(const struct mint_image_config *cfg, const struct mint_lock *l)
{
	size_t k = 0, same = 0;
	for (size_t a = 0; a < cfg->n_archs; a++) {
		const char *arch = mint_arch_to_apk(cfg->archs[a]);
		for (size_t r = 0; r < cfg->contents.repositories.n; r++, k++) {
			struct mint_lock_repo mine;
			struct mint_err err = { 0 };
			assert_ok(mint_lock_repo_for(cfg->contents.repositories.v[r], arch, &mine,
						     &err), &err);
			same += k < l->n_repositories && repo_eq(&mine, &l->repositories[k]);
			mint_lock_repo_free(&mine);
		}
	}
	assert_int_equal(k, l->n_repositories);
	return same;
}

/* The configured keys are files under testdata; discovered keys come from
 * the network and are left out. */
static size_t count_matching_keys(const struct mint_image_config *cfg, const struct mint_lock *l)
{
	size_t same = 0;
	for (size_t i = 0; i < cfg->contents.keyring.n; i++) {
		const char *key = cfg->contents.keyring.v[i];
		char *path = file_of_url(key);
		struct mint_buf pem = MINT_BUF_INIT;
		struct mint_lock_key mine;
		struct mint_err err = { 0 };
		read_file_or_fail(path, &pem);
		assert_ok(mint_lock_key_for(key, mint_buf_span(&pem), &mine, &err), &err);
		for (size_t j = 0; j < l->n_keyring; j++) {
			const struct mint_lock_key *k = &l->keyring[j];
			same += !strcmp(k->name, mine.name) && !strcmp(k->url, mine.url) &&
				k->content && !strcmp(k->content, mine.content);
		}
		mint_lock_key_free(&mine);
		mint_buf_free(&pem);
		free(path);
	}
	return same;
}

static void test_apko_lock_repositories_keys_and_config_checksum_follow_the_config(void **state)
{
	(void)state;
	size_t repos = 0, repos_same = 0, keys = 0, keys_same = 0, sums_same = 0;
	size_t n = sizeof(current) / sizeof(current[0]);
	for (size_t i = 0; i < n; i++) {
		char rel[256];
		snprintf(rel, sizeof(rel), TESTDATA "%s", current[i].config);
		char *path = fixture_or_skip(rel);
		struct mint_image_config cfg;
		struct mint_buf text = MINT_BUF_INIT;
		struct mint_lock l;
		struct mint_err err = { 0 };
		assert_ok(mint_image_config_load(path, NULL, &cfg, &err), &err);
		load_lock(current[i].lock, &text, &l);
		repos += l.n_repositories;
		repos_same += count_matching_repos(&cfg, &l);
		keys += cfg.contents.keyring.n;
		keys_same += count_matching_keys(&cfg, &l);
		sums_same += l.has_config && !strcmp(l.config_checksum, cfg.checksum);
		mint_lock_free(&l);
		mint_buf_free(&text);
		mint_image_config_free(&cfg);
		free(path);
	}
	print_message("conformance: apko lock repositories: %zu of %zu identical, configured keys: "
		      "%zu of %zu identical, config checksums: %zu of %zu identical\n", repos_same,
		      repos, keys_same, keys, sums_same, n);
	assert_int_equal(repos_same, repos);
	assert_int_equal(keys_same, keys);
	assert_int_equal(sums_same, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apko_locks_write_back_byte_identical),
		cmocka_unit_test(test_apko_lock_entries_equal_entries_computed_from_package_files),
		cmocka_unit_test(test_pre_0_13_entries_refuse_todays_package_files),
		cmocka_unit_test(test_apko_lock_repositories_keys_and_config_checksum_follow_the_config),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
