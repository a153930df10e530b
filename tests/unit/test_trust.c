/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apkbuild.h"
#include "mint/apk_trust.h"
#include "mint/fs.h"

static EVP_PKEY *test_key;

static int setup(void **state)
{
	(void)state;
	test_key = EVP_RSA_gen(2048);
	return test_key ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(test_key);
	return 0;
}

static unsigned char *sign(const EVP_MD *md, const char *msg, size_t *sig_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, md, NULL, test_key), 1);
	assert_int_equal(EVP_DigestSign(ctx, NULL, sig_len, (const unsigned char *)msg, strlen(msg)), 1);
	unsigned char *sig = malloc(*sig_len);
	assert_int_equal(EVP_DigestSign(ctx, sig, sig_len, (const unsigned char *)msg, strlen(msg)), 1);
	EVP_MD_CTX_free(ctx);
	return sig;
}

static void keyring_with(struct mint_apk_keyring *kr, const char *name)
{
	size_t len;
	char *pem = public_pem_of(test_key, &len);
	struct mint_err err = { 0 };
	assert_ok(mint_apk_keyring_add_pem(kr, name, MINT_SPAN(pem, len), &err), &err);
	free(pem);
}

static int verify_one(const struct mint_apk_keyring *kr, const char *entry, const unsigned char *sig,
		      size_t sig_len, const char *msg, struct mint_apk_signature *s, struct mint_err *err)
{
	assert_ok(mint_apk_signature_init(s, mint_span_str(entry), MINT_SPAN(sig, sig_len), err), err);
	return mint_apk_signatures_verify(s, 1, kr, mint_span_str(msg), err);
}

static void test_trust_rsa256_signature_verifies_and_flipped_byte_fails(void **state)
{
	(void)state;
	struct mint_apk_keyring kr = { 0 };
	keyring_with(&kr, "melange.rsa.pub");
	size_t n;
	unsigned char *sig = sign(EVP_sha256(), "control bytes", &n);
	struct mint_apk_signature s;
	struct mint_err err = { 0 };
	assert_ok(verify_one(&kr, ".SIGN.RSA256.melange.rsa.pub", sig, n, "control bytes", &s, &err), &err);
	assert_int_equal(s.status, MINT_APK_SIG_VALID);
	assert_int_equal(s.alg, MINT_HASH_SHA256);
	mint_apk_signature_free(&s);
	assert_int_equal(verify_one(&kr, ".SIGN.RSA256.melange.rsa.pub", sig, n, "control bytez", &s,
				    &err), MINT_ESIGNATURE);
	assert_int_equal(s.status, MINT_APK_SIG_INVALID);
	assert_non_null(strstr(err.msg, ".SIGN.RSA256.melange.rsa.pub does not verify"));
	mint_apk_signature_free(&s);
	free(sig);
	mint_apk_keyring_free(&kr);
}

static void test_trust_sha1_and_sha512_names_select_their_digest(void **state)
{
	(void)state;
	struct mint_apk_keyring kr = { 0 };
	keyring_with(&kr, "k.rsa.pub");
	struct mint_err err = { 0 };
	struct mint_apk_signature s;
	size_t n;
	unsigned char *sig1 = sign(EVP_sha1(), "m", &n);
	assert_ok(verify_one(&kr, ".SIGN.RSA.k.rsa.pub", sig1, n, "m", &s, &err), &err);
	mint_apk_signature_free(&s);
	/* the same bytes claimed as SHA-512 must not verify */
	assert_int_equal(verify_one(&kr, ".SIGN.RSA512.k.rsa.pub", sig1, n, "m", &s, &err),
			 MINT_ESIGNATURE);
	mint_apk_signature_free(&s);
	unsigned char *sig512 = sign(EVP_sha512(), "m", &n);
	assert_ok(verify_one(&kr, ".SIGN.RSA512.k.rsa.pub", sig512, n, "m", &s, &err), &err);
	mint_apk_signature_free(&s);
	free(sig1);
	free(sig512);
	mint_apk_keyring_free(&kr);
}

static void test_trust_unknown_key_is_untrusted_and_names_the_key(void **state)
{
	(void)state;
	struct mint_apk_keyring kr = { 0 };
	keyring_with(&kr, "mine.rsa.pub");
	size_t n;
	unsigned char *sig = sign(EVP_sha256(), "x", &n);
	struct mint_apk_signature s;
	struct mint_err err = { 0 };
	assert_int_equal(verify_one(&kr, ".SIGN.RSA256.theirs.rsa.pub", sig, n, "x", &s, &err),
			 MINT_EUNTRUSTED);
	assert_int_equal(s.status, MINT_APK_SIG_UNKNOWN_KEY);
	assert_non_null(strstr(err.msg, "theirs.rsa.pub"));
	mint_apk_signature_free(&s);
	assert_int_equal(mint_apk_signatures_verify(NULL, 0, &kr, MINT_SPAN_LIT("x"), &err),
			 MINT_EUNTRUSTED);
	free(sig);
	mint_apk_keyring_free(&kr);
}

static void test_trust_first_known_key_decides_like_apk_tools(void **state)
{
	(void)state;
	struct mint_apk_keyring kr = { 0 };
	keyring_with(&kr, "a.rsa.pub");
	keyring_with(&kr, "b.rsa.pub");
	size_t n;
	unsigned char *good = sign(EVP_sha256(), "data", &n);
	unsigned char *bad = calloc(1, n);
	struct mint_apk_signature s[3];
	struct mint_err err = { 0 };
	assert_ok(mint_apk_signature_init(&s[0], MINT_SPAN_LIT(".SIGN.RSA256.other.rsa.pub"),
					  MINT_SPAN(bad, n), &err), &err);
	assert_ok(mint_apk_signature_init(&s[1], MINT_SPAN_LIT(".SIGN.RSA256.a.rsa.pub"),
					  MINT_SPAN(good, n), &err), &err);
	assert_ok(mint_apk_signature_init(&s[2], MINT_SPAN_LIT(".SIGN.RSA256.b.rsa.pub"),
					  MINT_SPAN(bad, n), &err), &err);
	assert_ok(mint_apk_signatures_verify(s, 3, &kr, MINT_SPAN_LIT("data"), &err), &err);
	assert_int_equal(s[0].status, MINT_APK_SIG_UNKNOWN_KEY);
	assert_int_equal(s[1].status, MINT_APK_SIG_VALID);
	assert_int_equal(s[2].status, MINT_APK_SIG_INVALID);
	for (int i = 0; i < 3; i++)
		mint_apk_signature_free(&s[i]);
	free(good);
	free(bad);
	mint_apk_keyring_free(&kr);
}

static void test_trust_key_found_without_rsa_pub_suffix_as_apko_does(void **state)
{
	(void)state;
	struct mint_apk_keyring kr = { 0 };
	keyring_with(&kr, "wolfi-signing");
	assert_non_null(mint_apk_keyring_find(&kr, MINT_SPAN_LIT("wolfi-signing.rsa.pub")));
	assert_null(mint_apk_keyring_find(&kr, MINT_SPAN_LIT("wolfi.rsa.pub")));
	mint_apk_keyring_free(&kr);
}

static void test_trust_signature_names_parse_and_dsa_is_refused(void **state)
{
	(void)state;
	struct mint_apk_signature s;
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_signature_init(&s, MINT_SPAN_LIT(".PKGINFO"), MINT_SPAN_LIT(""), &err),
			 MINT_EFORMAT);
	assert_int_equal(mint_apk_signature_init(&s, MINT_SPAN_LIT(".SIGN.RSA256."), MINT_SPAN_LIT(""),
						 &err), MINT_EFORMAT);
	struct mint_apk_keyring kr = { 0 };
	keyring_with(&kr, "k.rsa.pub");
	assert_ok(mint_apk_signature_init(&s, MINT_SPAN_LIT(".SIGN.DSA.k.rsa.pub"), MINT_SPAN_LIT("zz"),
					  &err), &err);
	assert_true(s.dsa);
	assert_int_equal(mint_apk_signatures_verify(&s, 1, &kr, MINT_SPAN_LIT("d"), &err),
			 MINT_EUNTRUSTED);
	assert_int_equal(s.status, MINT_APK_SIG_UNSUPPORTED);
	mint_apk_signature_free(&s);
	mint_apk_keyring_free(&kr);
}

static void test_trust_keyring_dir_skips_hidden_and_rejects_non_keys(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[512];
	size_t len;
	char *pem = public_pem_of(test_key, &len);
	struct mint_err err = { 0 };
	snprintf(path, sizeof(path), "%s/b.rsa.pub", dir);
	assert_ok(mint_file_write_atomic(path, pem, len, 0644, &err), &err);
	snprintf(path, sizeof(path), "%s/a.rsa.pub", dir);
	assert_ok(mint_file_write_atomic(path, pem, len, 0644, &err), &err);
	snprintf(path, sizeof(path), "%s/.hidden", dir);
	assert_ok(mint_file_write_atomic(path, "junk", 4, 0644, &err), &err);
	struct mint_apk_keyring kr = { 0 };
	assert_ok(mint_apk_keyring_add_dir(&kr, dir, &err), &err);
	assert_int_equal(kr.n, 2);
	assert_string_equal(kr.keys[0].name, "a.rsa.pub");
	mint_apk_keyring_free(&kr);
	snprintf(path, sizeof(path), "%s/c.rsa.pub", dir);
	assert_ok(mint_file_write_atomic(path, "not a key", 9, 0644, &err), &err);
	assert_int_equal(mint_apk_keyring_add_dir(&kr, dir, &err), MINT_EFORMAT);
	assert_non_null(strstr(err.file, "c.rsa.pub"));
	mint_apk_keyring_free(&kr);
	free(pem);
	cleanup_tmpdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trust_rsa256_signature_verifies_and_flipped_byte_fails),
		cmocka_unit_test(test_trust_sha1_and_sha512_names_select_their_digest),
		cmocka_unit_test(test_trust_unknown_key_is_untrusted_and_names_the_key),
		cmocka_unit_test(test_trust_first_known_key_decides_like_apk_tools),
		cmocka_unit_test(test_trust_key_found_without_rsa_pub_suffix_as_apko_does),
		cmocka_unit_test(test_trust_signature_names_parse_and_dsa_is_refused),
		cmocka_unit_test(test_trust_keyring_dir_skips_hidden_and_rejects_non_keys),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
