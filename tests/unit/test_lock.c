/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <openssl/rsa.h>
#include <stdlib.h>
#include <string.h>

#include "apkbuild.h"
#include "mint/encode.h"
#include "mint/hash.h"
#include "mint/image_lock.h"

static EVP_PKEY *key;

static const struct test_file files[] = {
	{ .name = "etc", .type = MINT_TAR_DIR },
	{ .name = "etc/motd", .content = "welcome\n" },
};

static int setup(void **state)
{
	(void)state;
	key = EVP_RSA_gen(2048);
	return key ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(key);
	return 0;
}

/* A package built from parts, read back, and its lock entry. */
struct made {
	struct mint_buf file;
	struct mint_apk_package pkg;
	struct mint_lock_package entry;
};

static void make(struct made *m, bool signed_, const char *arch)
{
	struct test_apk spec = { .files = files, .n_files = 2, .key = signed_ ? key : NULL,
				 .key_name = "test.rsa.pub" };
	struct mint_err err = { 0 };
	memset(m, 0, sizeof(*m));
	build_test_apk(&spec, &m->file);
	assert_ok(mint_apk_package_read_mem(mint_buf_span(&m->file), NULL, NULL, 0, &m->pkg, &err),
		  &err);
	assert_ok(mint_lock_package_from(&m->pkg, mint_buf_span(&m->file), "https://r/x/p.apk", arch,
					 &m->entry, &err), &err);
}

static void unmake(struct made *m)
{
	mint_lock_package_free(&m->entry);
	mint_apk_package_free(&m->pkg);
	mint_buf_free(&m->file);
}

static void test_package_from_signed_ranges_are_back_to_back_over_the_file(void **state)
{
	(void)state;
	struct made m;
	make(&m, true, NULL);
	const struct mint_lock_package *e = &m.entry;
	assert_string_equal(e->name, "test");
	assert_string_equal(e->version, "1.0-r0");
	assert_string_equal(e->architecture, m.pkg.info.arch);
	assert_string_equal(e->url, "https://r/x/p.apk");
	assert_int_equal(e->signature.first, 0);
	assert_int_equal(e->control.first, e->signature.last + 1);
	assert_int_equal(e->data.first, e->control.last + 1);
	assert_int_equal(e->data.last, m.file.len - 1);
	assert_string_equal(e->checksum, m.pkg.identity);
	/* The control checksum and the identity carry the same SHA-1. */
	assert_true(!strncmp(e->control.checksum, "sha1-", 5));
	assert_string_equal(e->control.checksum + 5, e->checksum + 2);
	assert_true(!strncmp(e->signature.checksum, "sha1-", 5));
	assert_true(!strncmp(e->data.checksum, "sha256-", 7));
	unmake(&m);
}

static void test_package_from_signature_checksum_is_sha1_of_its_bytes(void **state)
{
	(void)state;
	struct made m;
	unsigned char d[MINT_HASH_MAX_BYTES];
	char b64[64];
	make(&m, true, NULL);
	assert_int_equal(mint_hash_bytes(MINT_HASH_SHA1, m.file.data,
					 m.entry.signature.last + 1, d), 0);
	mint_base64_encode(d, 20, b64);
	assert_string_equal(m.entry.signature.checksum + 5, b64);
	unmake(&m);
}

static void test_package_from_unsigned_has_no_signature_and_control_at_zero(void **state)
{
	(void)state;
	struct made m;
	make(&m, false, "riscv64");
	assert_string_equal(m.entry.signature.checksum, "");
	assert_int_equal(m.entry.control.first, 0);
	assert_string_equal(m.entry.architecture, "riscv64");
	unmake(&m);
}

static void test_package_from_refuses_bytes_it_was_not_read_from(void **state)
{
	(void)state;
	struct made m;
	struct mint_lock_package e;
	struct mint_err err = { 0 };
	make(&m, true, NULL);
	m.file.data[m.entry.control.first + 20] ^= 1;
	assert_int_equal(mint_lock_package_from(&m.pkg, mint_buf_span(&m.file), "u", NULL, &e, &err),
			 MINT_EINVAL);
	assert_non_null(strstr(err.msg, "control member"));
	assert_null(e.name);
	struct mint_span shorter = MINT_SPAN(m.file.data, m.file.len - 1);
	assert_int_equal(mint_lock_package_from(&m.pkg, shorter, "u", NULL, &e, NULL), MINT_EINVAL);
	unmake(&m);
}

static void test_package_from_refuses_members_that_do_not_fill_the_file(void **state)
{
	(void)state;
	struct made m;
	struct mint_lock_package e;
	struct mint_err err = { 0 };
	make(&m, true, NULL);
	m.pkg.control_member.offset++;
	assert_int_equal(mint_lock_package_from(&m.pkg, mint_buf_span(&m.file), "u", NULL, &e, &err),
			 MINT_EUNSUPPORTED);
	assert_non_null(strstr(err.msg, "back to back"));
	unmake(&m);
}

static void test_package_from_needs_url_and_arch(void **state)
{
	(void)state;
	struct made m;
	struct mint_lock_package e;
	make(&m, true, NULL);
	assert_int_equal(mint_lock_package_from(&m.pkg, mint_buf_span(&m.file), NULL, "x86_64", &e,
						NULL), MINT_EINVAL);
	free(m.pkg.info.arch);
	m.pkg.info.arch = NULL;
	assert_int_equal(mint_lock_package_from(&m.pkg, mint_buf_span(&m.file), "u", NULL, &e, NULL),
			 MINT_EINVAL);
	unmake(&m);
}

static void test_verify_accepts_the_file_the_entry_was_made_from(void **state)
{
	(void)state;
	struct made s, u;
	struct mint_err err = { 0 };
	make(&s, true, NULL);
	make(&u, false, NULL);
	assert_ok(mint_lock_verify_package(&s.entry, mint_buf_span(&s.file), &err), &err);
	assert_ok(mint_lock_verify_package(&u.entry, mint_buf_span(&u.file), &err), &err);
	unmake(&s);
	unmake(&u);
}

static void test_verify_names_package_member_and_offset_when_data_differs(void **state)
{
	(void)state;
	struct made m;
	struct mint_err err = { 0 };
	make(&m, true, NULL);
	m.file.data[m.file.len - 3] ^= 0x40;
	assert_int_equal(mint_lock_verify_package(&m.entry, mint_buf_span(&m.file), &err),
			 MINT_EINTEGRITY);
	assert_non_null(strstr(err.msg, "package test: data member is sha256-"));
	assert_non_null(strstr(err.msg, m.entry.data.checksum));
	assert_string_equal(err.file, "https://r/x/p.apk");
	assert_true(err.has_offset);
	assert_int_equal(err.offset, m.entry.data.first);
	unmake(&m);
}

static void test_verify_refuses_a_changed_signature_member(void **state)
{
	(void)state;
	struct made m;
	struct mint_err err = { 0 };
	make(&m, true, NULL);
	m.file.data[m.entry.signature.last - 9] ^= 1;
	assert_int_equal(mint_lock_verify_package(&m.entry, mint_buf_span(&m.file), &err),
			 MINT_EINTEGRITY);
	assert_non_null(strstr(err.msg, "signature member"));
	unmake(&m);
}

static void test_verify_refuses_extra_and_missing_bytes(void **state)
{
	(void)state;
	struct made m;
	struct mint_err err = { 0 };
	make(&m, false, NULL);
	assert_int_equal(mint_buf_putc(&m.file, 0), 0);
	assert_int_equal(mint_lock_verify_package(&m.entry, mint_buf_span(&m.file), &err),
			 MINT_EINTEGRITY);
	assert_non_null(strstr(err.msg, "the lock ranges cover"));
	mint_err_clear(&err);
	struct mint_span cut = MINT_SPAN(m.file.data, m.file.len - 2);
	assert_int_equal(mint_lock_verify_package(&m.entry, cut, &err), MINT_EINTEGRITY);
	assert_non_null(strstr(err.msg, "the data range ends at byte"));
	unmake(&m);
}

static void test_verify_refuses_an_identity_other_than_the_control_sha1(void **state)
{
	(void)state;
	struct made m;
	struct mint_err err = { 0 };
	make(&m, true, NULL);
	strcpy(m.entry.checksum, "Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	assert_int_equal(mint_lock_verify_package(&m.entry, mint_buf_span(&m.file), &err),
			 MINT_EINTEGRITY);
	assert_non_null(strstr(err.msg, "identity is Q1"));
	strcpy(m.entry.checksum, "Q1nope");
	assert_int_equal(mint_lock_verify_package(&m.entry, mint_buf_span(&m.file), NULL),
			 MINT_EFORMAT);
	m.entry.checksum[0] = '\0'; /* pre-0.13 entries have none: nothing to compare */
	assert_int_equal(mint_lock_verify_package(&m.entry, mint_buf_span(&m.file), NULL), 0);
	unmake(&m);
}

static void test_verify_refuses_ranges_with_a_gap_or_a_bad_checksum(void **state)
{
	(void)state;
	struct made m;
	struct mint_err err = { 0 };
	make(&m, true, NULL);
	m.entry.data.first++;
	assert_int_equal(mint_lock_verify_package(&m.entry, mint_buf_span(&m.file), &err),
			 MINT_EFORMAT);
	assert_non_null(strstr(err.msg, "does not start at byte"));
	m.entry.data.first--;
	strcpy(m.entry.control.checksum, "md5-AAAA");
	assert_int_equal(mint_lock_verify_package(&m.entry, mint_buf_span(&m.file), NULL),
			 MINT_EFORMAT);
	unmake(&m);
}

static void test_verify_takes_the_algorithm_from_the_checksum(void **state)
{
	(void)state;
	struct made m;
	unsigned char d[MINT_HASH_MAX_BYTES];
	struct mint_err err = { 0 };
	make(&m, true, NULL);
	const struct mint_lock_range *c = &m.entry.control;
	assert_int_equal(mint_hash_bytes(MINT_HASH_SHA256, m.file.data + c->first,
					 c->last - c->first + 1, d), 0);
	strcpy(m.entry.control.checksum, "sha256-");
	mint_base64_encode(d, 32, m.entry.control.checksum + 7);
	assert_ok(mint_lock_verify_package(&m.entry, mint_buf_span(&m.file), &err), &err);
	unmake(&m);
}

static void expect_repo(const char *repo, const char *arch, const char *name, const char *url)
{
	struct mint_lock_repo r;
	struct mint_err err = { 0 };
	assert_ok(mint_lock_repo_for(repo, arch, &r, &err), &err);
	assert_string_equal(r.name, name);
	assert_string_equal(r.url, url);
	assert_string_equal(r.architecture, arch);
	mint_lock_repo_free(&r);
}

static void test_repo_for_strips_the_scheme_and_adds_arch_and_index(void **state)
{
	(void)state;
	expect_repo("https://dl-cdn.alpinelinux.org/alpine/v3.22/main", "x86_64",
		    "dl-cdn.alpinelinux.org/alpine/v3.22/main/x86_64",
		    "https://dl-cdn.alpinelinux.org/alpine/v3.22/main/x86_64/APKINDEX.tar.gz");
	expect_repo("http://r.example/os", "aarch64", "r.example/os/aarch64",
		    "http://r.example/os/aarch64/APKINDEX.tar.gz");
	expect_repo("./testdata/packages", "x86_64", "./testdata/packages/x86_64",
		    "./testdata/packages/x86_64/APKINDEX.tar.gz");
}

static void test_repo_for_keeps_a_trailing_slash_as_apko_does(void **state)
{
	(void)state;
	expect_repo("https://r.example/os/", "x86_64", "r.example/os//x86_64",
		    "https://r.example/os//x86_64/APKINDEX.tar.gz");
}

static void test_repo_for_tagged_repo_drops_tags_but_keeps_its_scheme_in_name(void **state)
{
	(void)state;
	expect_repo("@local https://r.example/os", "x86_64", "https://r.example/os/x86_64",
		    "https://r.example/os/x86_64/APKINDEX.tar.gz");
	expect_repo("@a @b ./pkgs", "aarch64", "./pkgs/aarch64", "./pkgs/aarch64/APKINDEX.tar.gz");
}

static void test_repo_for_refuses_a_tag_without_url_and_empty_input(void **state)
{
	(void)state;
	struct mint_lock_repo r;
	struct mint_err err = { 0 };
	assert_int_equal(mint_lock_repo_for("@local", "x86_64", &r, &err), MINT_EFORMAT);
	assert_non_null(strstr(err.msg, "\"@local\" has a tag but no URL"));
	assert_null(r.name);
	assert_int_equal(mint_lock_repo_for("", "x86_64", &r, NULL), MINT_EINVAL);
	assert_int_equal(mint_lock_repo_for("./r", "", &r, NULL), MINT_EINVAL);
}

static void test_key_for_strips_the_scheme_from_the_name_only(void **state)
{
	(void)state;
	struct mint_lock_key k;
	struct mint_err err = { 0 };
	const char *url = "https://apk.cgr.dev/chainguard/chainguard-1.rsa.pub";
	assert_ok(mint_lock_key_for(url, MINT_SPAN_LIT("PEM\n"), &k, &err), &err);
	assert_string_equal(k.name, "apk.cgr.dev/chainguard/chainguard-1.rsa.pub");
	assert_string_equal(k.url, url);
	assert_string_equal(k.content, "PEM\n");
	mint_lock_key_free(&k);
	assert_ok(mint_lock_key_for("./k.pub", MINT_SPAN_LIT(""), &k, &err), &err);
	assert_string_equal(k.name, "./k.pub");
	assert_string_equal(k.content, "");
	mint_lock_key_free(&k);
	assert_int_equal(mint_lock_key_for("k", MINT_SPAN("a\0b", 3), &k, NULL), MINT_EFORMAT);
	assert_int_equal(mint_lock_key_for("", MINT_SPAN_LIT("x"), &k, NULL), MINT_EINVAL);
}

static void test_packages_for_arch_keeps_lock_order_and_counts_past_cap(void **state)
{
	(void)state;
	struct mint_lock_package p[4] = {
		{ .name = "a", .architecture = "x86_64" },
		{ .name = "b", .architecture = "aarch64" },
		{ .name = "c", .architecture = "x86_64" },
		{ .name = "d", .architecture = NULL },
	};
	struct mint_lock l = { .packages = p, .n_packages = 4 };
	const struct mint_lock_package *out[1];
	assert_int_equal(mint_lock_packages_for_arch(&l, "x86_64", NULL, 0), 2);
	assert_int_equal(mint_lock_packages_for_arch(&l, "x86_64", out, 1), 2);
	assert_string_equal(out[0]->name, "a");
	assert_int_equal(mint_lock_packages_for_arch(&l, "aarch64", out, 1), 1);
	assert_string_equal(out[0]->name, "b");
	assert_int_equal(mint_lock_packages_for_arch(&l, "s390x", out, 1), 0);
}

static void test_sort_keyring_orders_by_name_bytewise_and_stably(void **state)
{
	(void)state;
	struct mint_lock_key k[4] = {
		{ .name = "apk.cgr.dev/k", .url = "1" },
		{ .name = "./testdata/k", .url = "2" },
		{ .name = "alpinelinux.org/k", .url = "3" },
		{ .name = "./testdata/k", .url = "4" },
	};
	struct mint_lock l = { .keyring = k, .n_keyring = 4 };
	mint_lock_sort_keyring(&l);
	assert_string_equal(k[0].url, "2");
	assert_string_equal(k[1].url, "4");
	assert_string_equal(k[2].url, "3");
	assert_string_equal(k[3].url, "1");
}

static void test_checksum_decode_takes_sha1_and_sha256_of_their_sizes_only(void **state)
{
	(void)state;
	enum mint_hash_alg alg;
	unsigned char d[MINT_HASH_MAX_BYTES];
	assert_int_equal(mint_lock_checksum_decode("sha1-S+THz+JYZxcNzNCw2jI9YlnDnE4=", &alg, d), 0);
	assert_int_equal(alg, MINT_HASH_SHA1);
	assert_int_equal(mint_lock_checksum_decode(
				 "sha256-ckBapsaMu5EOb/e4Ei1s2l/+dZMEamHhUmaoJ8yeZwg=", &alg, d), 0);
	assert_int_equal(alg, MINT_HASH_SHA256);
	assert_int_equal(mint_lock_checksum_decode(
				 "sha1-ckBapsaMu5EOb/e4Ei1s2l/+dZMEamHhUmaoJ8yeZwg=", &alg, d),
			 MINT_EFORMAT);
	assert_int_equal(mint_lock_checksum_decode("sha1-S+THz+JYZxcNzNCw2jI9YlnDnE4", &alg, d),
			 MINT_EFORMAT);
	assert_int_equal(mint_lock_checksum_decode("md5-AAAA", &alg, d), MINT_EFORMAT);
	assert_int_equal(mint_lock_checksum_decode("", &alg, d), MINT_EFORMAT);
	assert_int_equal(mint_lock_identity_decode("Q1m6wB0UFePGN8Drz82pC8y2uAiu8=", d), 0);
	assert_int_equal(mint_lock_identity_decode("Q2m6wB0UFePGN8Drz82pC8y2uAiu8=", d),
			 MINT_EFORMAT);
}

static void test_free_of_a_zeroed_lock_is_safe(void **state)
{
	(void)state;
	struct mint_lock l = { 0 };
	mint_lock_free(&l);
	mint_lock_free(NULL);
	mint_lock_package_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_package_from_signed_ranges_are_back_to_back_over_the_file),
		cmocka_unit_test(test_package_from_signature_checksum_is_sha1_of_its_bytes),
		cmocka_unit_test(test_package_from_unsigned_has_no_signature_and_control_at_zero),
		cmocka_unit_test(test_package_from_refuses_bytes_it_was_not_read_from),
		cmocka_unit_test(test_package_from_refuses_members_that_do_not_fill_the_file),
		cmocka_unit_test(test_package_from_needs_url_and_arch),
		cmocka_unit_test(test_verify_accepts_the_file_the_entry_was_made_from),
		cmocka_unit_test(test_verify_names_package_member_and_offset_when_data_differs),
		cmocka_unit_test(test_verify_refuses_a_changed_signature_member),
		cmocka_unit_test(test_verify_refuses_extra_and_missing_bytes),
		cmocka_unit_test(test_verify_refuses_an_identity_other_than_the_control_sha1),
		cmocka_unit_test(test_verify_refuses_ranges_with_a_gap_or_a_bad_checksum),
		cmocka_unit_test(test_verify_takes_the_algorithm_from_the_checksum),
		cmocka_unit_test(test_repo_for_strips_the_scheme_and_adds_arch_and_index),
		cmocka_unit_test(test_repo_for_keeps_a_trailing_slash_as_apko_does),
		cmocka_unit_test(test_repo_for_tagged_repo_drops_tags_but_keeps_its_scheme_in_name),
		cmocka_unit_test(test_repo_for_refuses_a_tag_without_url_and_empty_input),
		cmocka_unit_test(test_key_for_strips_the_scheme_from_the_name_only),
		cmocka_unit_test(test_packages_for_arch_keeps_lock_order_and_counts_past_cap),
		cmocka_unit_test(test_sort_keyring_orders_by_name_bytewise_and_stably),
		cmocka_unit_test(test_checksum_decode_takes_sha1_and_sha256_of_their_sizes_only),
		cmocka_unit_test(test_free_of_a_zeroed_lock_is_safe),
	};
	return tests_exit(cmocka_run_group_tests(tests, setup, teardown));
}
