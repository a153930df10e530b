/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/rsa.h>

#include "apkbuild.h"
#include "mint/apk_package.h"
#include "mint/encode.h"
#include "mint/gzip.h"
#include "mint/hash.h"

static EVP_PKEY *key, *other_key;
static struct mint_apk_keyring keyring;

static const struct test_file usual_files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/bin", .type = MINT_TAR_DIR },
	{ .name = "usr/bin/hello", .content = "#!/bin/sh\necho hello\n" },
	{ .name = "usr/bin/hi", .type = MINT_TAR_SYMLINK, .link = "hello" },
	{ .name = "etc/motd", .content = "welcome\n" },
};

static int setup(void **state)
{
	(void)state;
	key = EVP_RSA_gen(2048);
	other_key = EVP_RSA_gen(2048);
	size_t len;
	char *pem = public_pem_of(key, &len);
	struct mint_err err = { 0 };
	int rc = mint_apk_keyring_add_pem(&keyring, "test.rsa.pub", MINT_SPAN(pem, len), &err);
	free(pem);
	return key && other_key && !rc ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(key);
	EVP_PKEY_free(other_key);
	mint_apk_keyring_free(&keyring);
	return 0;
}

static struct test_apk usual(void)
{
	return (struct test_apk){ .files = usual_files, .n_files = 5, .key = key,
				  .key_name = "test.rsa.pub" };
}

static int read_pkg(const struct mint_buf *file, unsigned flags, struct mint_apk_package *p,
		    struct mint_err *err)
{
	mint_err_clear(err);
	return mint_apk_package_read_mem(mint_buf_span(file), &keyring, NULL, flags, p, err);
}

/* Builds spec into file and reads it back into p, failing the test unless
 * the read succeeds. */
static void build_and_read(const struct test_apk *spec, unsigned flags, struct mint_buf *file,
			   struct mint_apk_package *p)
{
	struct mint_err err = { 0 };
	build_test_apk(spec, file);
	assert_ok(read_pkg(file, flags, p, &err), &err);
}

static void test_package_signed_reads_verifies_and_lists_entries(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	struct mint_buf file = MINT_BUF_INIT;
	struct mint_apk_package p;
	build_and_read(&spec, MINT_APK_HASH_FILES | MINT_APK_REQUIRE_TRUST, &file, &p);
	assert_int_equal(p.trust, MINT_APK_TRUST_VERIFIED);
	assert_string_equal(p.info.name, "test");
	assert_string_equal(p.info.version, "1.0-r0");
	assert_int_equal(p.n_sigs, 1);
	assert_string_equal(p.sigs[0].key_name, "test.rsa.pub");
	assert_int_equal(p.n_entries, 5);
	assert_string_equal(p.entries[2].path, "usr/bin/hello");
	assert_string_equal(p.entries[3].link_target, "hello");
	assert_true(p.sig_member.size > 0);
	assert_int_equal(p.control_member.offset, p.sig_member.size);
	assert_int_equal(p.data_member.offset + p.data_member.size, file.len);
	mint_apk_package_free(&p);
	mint_buf_free(&file);
}

static void test_package_identity_is_sha1_of_compressed_control_member(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	struct mint_buf file = MINT_BUF_INIT;
	struct mint_apk_package p;
	build_and_read(&spec, 0, &file, &p);
	unsigned char d[MINT_HASH_MAX_BYTES];
	mint_hash_bytes(MINT_HASH_SHA1, file.data + p.control_member.offset, p.control_member.size, d);
	char want[40] = "Q1";
	mint_base64_encode(d, 20, want + 2);
	assert_string_equal(p.identity, want);
	assert_string_equal(p.info.identity, want);
	mint_apk_package_free(&p);
	mint_buf_free(&file);
}

static void test_package_entry_offsets_point_into_uncompressed_data(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	struct mint_buf file = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	struct mint_apk_package p;
	build_and_read(&spec, 0, &file, &p);
	struct mint_err err = { 0 };
	size_t used;
	assert_ok(mint_gunzip_member(MINT_SPAN(file.data + p.data_member.offset, p.data_member.size),
				     NULL, &tar, &used, &err), &err);
	assert_int_equal(tar.len, p.data_tar_bytes);
	const struct mint_apk_entry *e = &p.entries[4];
	assert_string_equal(e->path, "etc/motd");
	assert_memory_equal(tar.data + e->data_offset, "welcome\n", 8);
	assert_true(e->header_offset < e->data_offset);
	assert_true(e->has_apk_sha1);
	mint_apk_package_free(&p);
	mint_buf_free(&file);
	mint_buf_free(&tar);
}

static void expect_failure(const struct test_apk *spec, unsigned flags,
			   const struct mint_apk_limits *limits, int code, const char *text)
{
	struct mint_buf file = MINT_BUF_INIT;
	build_test_apk(spec, &file);
	struct mint_apk_package p;
	struct mint_err err = { 0 };
	int rc = mint_apk_package_read_mem(mint_buf_span(&file), &keyring, limits, flags, &p, &err);
	if (rc != code || !strstr(err.msg, text))
		fail_msg("want %d with '%s', got %d: %s", code, text, rc, err.msg);
	mint_buf_free(&file);
}

static void test_package_unknown_key_is_untrusted_when_trust_required(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	spec.key = other_key;
	spec.key_name = "stranger.rsa.pub";
	expect_failure(&spec, MINT_APK_REQUIRE_TRUST, NULL, MINT_EUNTRUSTED, "stranger.rsa.pub");
}

static void test_package_known_name_wrong_key_is_bad_signature(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	spec.key = other_key;
	expect_failure(&spec, MINT_APK_REQUIRE_TRUST, NULL, MINT_ESIGNATURE, "does not verify");
}

static void test_package_unsigned_is_readable_but_not_trusted(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	spec.key = NULL;
	struct mint_buf file = MINT_BUF_INIT;
	struct mint_apk_package p;
	build_and_read(&spec, 0, &file, &p);
	assert_int_equal(p.trust, MINT_APK_TRUST_UNSIGNED);
	assert_int_equal(p.sig_member.size, 0);
	mint_apk_package_free(&p);
	mint_buf_free(&file);
	expect_failure(&spec, MINT_APK_REQUIRE_TRUST, NULL, MINT_EUNTRUSTED, "not signed");
}

static void test_package_legacy_signature_covers_control_and_data(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	spec.legacy = true;
	spec.sig_alg = "RSA";
	struct mint_buf file = MINT_BUF_INIT;
	struct mint_apk_package p;
	build_and_read(&spec, MINT_APK_REQUIRE_TRUST, &file, &p);
	mint_apk_package_free(&p);
	struct mint_err err = { 0 };
	file.data[file.len - 12] ^= 0x40; /* inside the data member's deflate stream or CRC */
	assert_int_not_equal(read_pkg(&file, MINT_APK_REQUIRE_TRUST, &p, &err), 0);
	mint_buf_free(&file);
}

static void test_package_flipped_data_byte_fails_datahash(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	struct mint_buf file = MINT_BUF_INIT;
	struct mint_apk_package p;
	build_and_read(&spec, 0, &file, &p);
	uint64_t data_at = p.data_member.offset;
	mint_apk_package_free(&p);
	struct mint_err err = { 0 };
	file.data[data_at + 4] ^= 1; /* gzip header mtime: inflates fine, hash differs */
	assert_int_equal(read_pkg(&file, 0, &p, &err), MINT_EINTEGRITY);
	assert_non_null(strstr(err.msg, "datahash"));
	assert_true(err.has_offset);
	assert_int_equal(err.offset, data_at);
	mint_buf_free(&file);
}

static void test_package_rejects_dotdot_absolute_and_long_names(void **state)
{
	(void)state;
	char long_name[400];
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	const struct test_file dotdot[] = { { .name = "usr/../../etc/passwd", .content = "x" } };
	const struct test_file absolute[] = { { .name = "/etc/passwd", .content = "x" } };
	const struct test_file too_long[] = { { .name = long_name, .content = "x" } };
	struct test_apk spec = usual();
	spec.n_files = 1;
	spec.files = dotdot;
	expect_failure(&spec, 0, NULL, MINT_EUNSAFE, "entry 'usr/../../etc/passwd'");
	spec.files = absolute;
	expect_failure(&spec, 0, NULL, MINT_EUNSAFE, "absolute");
	spec.files = too_long;
	expect_failure(&spec, 0, NULL, MINT_ELIMIT, "longer than");
}

static void test_package_rejects_duplicate_entries(void **state)
{
	(void)state;
	const struct test_file dup[] = {
		{ .name = "etc/motd", .content = "a" },
		{ .name = "./etc//motd", .content = "b" },
	};
	struct test_apk spec = usual();
	spec.files = dup;
	spec.n_files = 2;
	expect_failure(&spec, 0, NULL, MINT_EDUPLICATE, "'etc/motd' appears twice");
}

static void test_package_rejects_hardlink_escaping_root(void **state)
{
	(void)state;
	const struct test_file files[] = {
		{ .name = "a", .type = MINT_TAR_HARDLINK, .link = "../outside" },
	};
	struct test_apk spec = usual();
	spec.files = files;
	spec.n_files = 1;
	expect_failure(&spec, 0, NULL, MINT_EUNSAFE, "hardlink");
}

static void test_package_control_over_limit_is_refused(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	struct mint_apk_limits limits;
	mint_apk_limits_default(&limits);
	limits.max_control_bytes = 100;
	expect_failure(&spec, 0, &limits, MINT_ELIMIT, "");
}

static void test_package_decompression_bomb_is_stopped(void **state)
{
	(void)state;
	size_t big = 64u << 20;
	char *zeros = calloc(1, big);
	const struct test_file files[] = { { .name = "bomb", .content = zeros, .content_len = big } };
	struct test_apk spec = usual();
	spec.files = files;
	spec.n_files = 1;
	struct mint_apk_limits limits;
	mint_apk_limits_default(&limits);
	limits.max_data_bytes = 8u << 20;
	expect_failure(&spec, 0, &limits, MINT_ELIMIT, "");
	mint_apk_limits_default(&limits);
	limits.max_ratio = 100;
	expect_failure(&spec, 0, &limits, MINT_ELIMIT, "");
	free(zeros);
}

static void test_package_wrong_file_checksum_fails_when_hashing(void **state)
{
	(void)state;
	const struct test_file files[] = { { .name = "f", .content = "abc", .wrong_checksum = true } };
	struct test_apk spec = usual();
	spec.files = files;
	spec.n_files = 1;
	expect_failure(&spec, MINT_APK_HASH_FILES, NULL, MINT_EINTEGRITY, "'f'");
}

static void test_package_v1_install_script_is_refused(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	spec.extra_control = ".INSTALL";
	expect_failure(&spec, 0, NULL, MINT_EUNSUPPORTED, ".INSTALL");
}

static void test_package_member_after_data_is_refused(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	spec.trailing_member = true;
	expect_failure(&spec, 0, NULL, MINT_EFORMAT, "follow the data member");
}

static void test_package_scripts_are_collected(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	spec.extra_control = ".post-install";
	struct mint_buf file = MINT_BUF_INIT;
	struct mint_apk_package p;
	build_and_read(&spec, 0, &file, &p);
	assert_int_equal(p.n_scripts, 1);
	assert_string_equal(p.scripts[0].name, ".post-install");
	assert_memory_equal(p.scripts[0].data, "#!/bin/sh\n", 10);
	mint_apk_package_free(&p);
	mint_buf_free(&file);
}

/* A sink that appends to a buffer, or fails once it holds fail_after bytes. */
struct collect_sink {
	struct mint_buf got;
	size_t calls;
	size_t fail_after;
};

static int collect_write(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	struct collect_sink *c = ctx;
	c->calls++;
	if (c->fail_after && c->got.len + len > c->fail_after)
		return mint_err_set(err, MINT_EIO, "sink is full");
	return mint_buf_append(&c->got, data, len) ? mint_err_set(err, MINT_ENOMEM, "oom") : 0;
}

static void test_package_read_ex_copies_the_whole_data_stream_to_the_sink(void **state)
{
	(void)state;
	static char big[600000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + (i * 13 + i / 777) % 26);
	const struct test_file files[] = {
		{ .name = "usr", .type = MINT_TAR_DIR },
		{ .name = "usr/big", .content = big, .content_len = sizeof(big) },
		{ .name = "usr/small", .content = "x\n" },
	};
	struct test_apk spec = usual();
	spec.files = files;
	spec.n_files = 3;
	struct mint_buf file = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	build_test_apk(&spec, &file);
	struct collect_sink c = { MINT_BUF_INIT, 0, 0 };
	struct mint_apk_data_sink sink = { collect_write, &c };
	struct mint_apk_package p;
	struct mint_err err = { 0 };
	assert_ok(mint_apk_package_read_mem_ex(mint_buf_span(&file), &keyring, NULL,
					       MINT_APK_REQUIRE_TRUST, &sink, &p, &err), &err);
	size_t used;
	assert_ok(mint_gunzip_member(MINT_SPAN(file.data + p.data_member.offset, p.data_member.size),
				     NULL, &tar, &used, &err), &err);
	assert_int_equal(c.got.len, p.data_tar_bytes);
	assert_int_equal(tar.len, c.got.len);
	assert_memory_equal(tar.data, c.got.data, tar.len);
	assert_true(c.calls >= 2); /* pieces, not one buffer of the whole stream */
	mint_apk_package_free(&p);
	mint_buf_free(&c.got);
	mint_buf_free(&tar);
	mint_buf_free(&file);
}

static void test_package_read_ex_failing_sink_fails_the_read_with_its_code(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	struct mint_buf file = MINT_BUF_INIT;
	build_test_apk(&spec, &file);
	struct collect_sink c = { MINT_BUF_INIT, 0, 1 };
	struct mint_apk_data_sink sink = { collect_write, &c };
	struct mint_apk_package p;
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_package_read_mem_ex(mint_buf_span(&file), &keyring, NULL, 0,
						      &sink, &p, &err), MINT_EIO);
	assert_non_null(strstr(err.msg, "sink is full"));
	assert_int_equal(p.n_entries, 0);
	mint_buf_free(&c.got);
	mint_buf_free(&file);
}

static void test_package_read_ex_sink_sees_bytes_of_a_package_that_then_fails(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	struct mint_buf file = MINT_BUF_INIT;
	struct mint_apk_package p;
	build_and_read(&spec, 0, &file, &p);
	uint64_t data_at = p.data_member.offset;
	mint_apk_package_free(&p);
	file.data[data_at + 4] ^= 1; /* inflates fine, datahash differs */
	struct collect_sink c = { MINT_BUF_INIT, 0, 0 };
	struct mint_apk_data_sink sink = { collect_write, &c };
	struct mint_err err = { 0 };
	/* the stream went to the sink, the verdict comes after: callers discard */
	assert_int_equal(mint_apk_package_read_mem_ex(mint_buf_span(&file), &keyring, NULL, 0,
						      &sink, &p, &err), MINT_EINTEGRITY);
	assert_true(c.got.len > 0);
	mint_buf_free(&c.got);
	mint_buf_free(&file);
}

static void test_package_truncated_at_every_byte_fails_cleanly(void **state)
{
	(void)state;
	struct test_apk spec = usual();
	struct mint_buf file = MINT_BUF_INIT;
	build_test_apk(&spec, &file);
	for (size_t cut = 0; cut < file.len; cut++) {
		struct mint_apk_package p;
		struct mint_err err = { 0 };
		int rc = mint_apk_package_read_mem(MINT_SPAN(file.data, cut), &keyring, NULL, 0, &p, &err);
		if (rc == 0)
			fail_msg("truncation at %zu of %zu was accepted", cut, file.len);
		assert_true(err.msg[0] != '\0');
	}
	mint_buf_free(&file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_package_signed_reads_verifies_and_lists_entries),
		cmocka_unit_test(test_package_identity_is_sha1_of_compressed_control_member),
		cmocka_unit_test(test_package_entry_offsets_point_into_uncompressed_data),
		cmocka_unit_test(test_package_unknown_key_is_untrusted_when_trust_required),
		cmocka_unit_test(test_package_known_name_wrong_key_is_bad_signature),
		cmocka_unit_test(test_package_unsigned_is_readable_but_not_trusted),
		cmocka_unit_test(test_package_legacy_signature_covers_control_and_data),
		cmocka_unit_test(test_package_flipped_data_byte_fails_datahash),
		cmocka_unit_test(test_package_rejects_dotdot_absolute_and_long_names),
		cmocka_unit_test(test_package_rejects_duplicate_entries),
		cmocka_unit_test(test_package_rejects_hardlink_escaping_root),
		cmocka_unit_test(test_package_control_over_limit_is_refused),
		cmocka_unit_test(test_package_decompression_bomb_is_stopped),
		cmocka_unit_test(test_package_wrong_file_checksum_fails_when_hashing),
		cmocka_unit_test(test_package_v1_install_script_is_refused),
		cmocka_unit_test(test_package_member_after_data_is_refused),
		cmocka_unit_test(test_package_scripts_are_collected),
		cmocka_unit_test(test_package_read_ex_copies_the_whole_data_stream_to_the_sink),
		cmocka_unit_test(test_package_read_ex_failing_sink_fails_the_read_with_its_code),
		cmocka_unit_test(test_package_read_ex_sink_sees_bytes_of_a_package_that_then_fails),
		cmocka_unit_test(test_package_truncated_at_every_byte_fails_cleanly),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
