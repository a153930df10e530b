/* SPDX-License-Identifier: Apache-2.0 */
/* Signer loading and signature members (lib/apk/sign.c). */
#include "testutil.h"

#include <openssl/pem.h>

#include "apk_write_fixture.h"
#include "mint/gzip.h"

static void test_signer_load_names_the_key_after_its_file_plus_pub(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	struct mint_apk_signer s;
	tw_signer(tmp, "melange", &s);
	assert_string_equal(s.key_name, "melange.rsa.pub");
	assert_non_null(s.key);
	mint_apk_signer_free(&s);
	assert_null(s.key);
	cleanup_tmpdir(tmp);
}

static void test_signer_load_reads_pkcs8_private_keys_too(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	struct mint_apk_signer s;
	tw_signer(tmp, "k", &s);
	char *p8 = tw_join(tmp, "p8.pem");
	FILE *f = fopen(p8, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_PKCS8PrivateKey(f, s.key, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
	struct mint_apk_signer t;
	struct mint_err err = { 0 };
	assert_ok(mint_apk_signer_load(p8, &t, &err), &err);
	assert_string_equal(t.key_name, "p8.pem.pub");
	assert_int_equal(EVP_PKEY_eq(s.key, t.key), 1);
	mint_apk_signer_free(&t);
	mint_apk_signer_free(&s);
	free(p8);
	cleanup_tmpdir(tmp);
}

static void test_signer_load_refuses_a_public_key_with_a_format_error(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	struct mint_apk_signer s;
	tw_signer(tmp, "k", &s);
	mint_apk_signer_free(&s);
	char *pub = tw_join(tmp, "k.rsa.pub");
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_signer_load(pub, &s, &err), MINT_EFORMAT);
	assert_string_equal(err.file, pub);
	assert_null(s.key);
	assert_null(s.key_name);
	free(pub);
	cleanup_tmpdir(tmp);
}

static void test_signature_member_is_one_tar_entry_without_end_that_verifies(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	struct mint_apk_signer s;
	tw_signer(tmp, "k", &s);
	struct mint_buf member = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	struct mint_span signed_bytes = MINT_SPAN_LIT("the control member");
	assert_ok(mint_apk_signature_member(&s, signed_bytes, 1234, &member, &err), &err);
	size_t used;
	assert_ok(mint_gunzip_member(mint_buf_span(&member), NULL, &tar, &used, &err), &err);
	assert_int_equal(used, member.len);
	/* One header and a 256-byte signature: no end-of-archive blocks. */
	assert_int_equal(tar.len, 1024);
	assert_string_equal(tar.data, ".SIGN.RSA256.k.rsa.pub");
	struct mint_apk_signature sig;
	assert_ok(mint_apk_signature_init(&sig, mint_span_str(tar.data),
					  MINT_SPAN(tar.data + 512, 256), &err), &err);
	struct mint_apk_keyring kr = { 0 };
	char *pub = tw_join(tmp, "k.rsa.pub");
	assert_ok(mint_apk_keyring_add_file(&kr, pub, &err), &err);
	assert_ok(mint_apk_signatures_verify(&sig, 1, &kr, signed_bytes, &err), &err);
	assert_int_equal(mint_apk_signatures_verify(&sig, 1, &kr, MINT_SPAN_LIT("other"), &err),
			 MINT_ESIGNATURE);
	mint_apk_signature_free(&sig);
	mint_apk_keyring_free(&kr);
	mint_buf_free(&member);
	mint_buf_free(&tar);
	mint_apk_signer_free(&s);
	free(pub);
	cleanup_tmpdir(tmp);
}

static void test_signature_member_without_key_is_invalid(void **state)
{
	(void)state;
	struct mint_apk_signer s = { 0 };
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_signature_member(&s, MINT_SPAN_LIT("x"), 0, &out, &err),
			 MINT_EINVAL);
	assert_int_equal(out.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signer_load_names_the_key_after_its_file_plus_pub),
		cmocka_unit_test(test_signer_load_reads_pkcs8_private_keys_too),
		cmocka_unit_test(test_signer_load_refuses_a_public_key_with_a_format_error),
		cmocka_unit_test(test_signature_member_is_one_tar_entry_without_end_that_verifies),
		cmocka_unit_test(test_signature_member_without_key_is_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
