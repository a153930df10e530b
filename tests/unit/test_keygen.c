/* SPDX-License-Identifier: Apache-2.0 */
/* melange-style key pairs (lib/apk/keygen.c). */
#include "testutil.h"

#include "apk_write_fixture.h"

static void test_keygen_writes_pkcs1_private_0600_and_spki_public(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *prefix = tw_join(tmp, "melange");
	struct mint_err err = { 0 };
	assert_ok(mint_apk_keygen(prefix, 2048, &err), &err);
	char *priv = tw_join(tmp, "melange.rsa"), *pub = tw_join(tmp, "melange.rsa.pub");
	struct stat st;
	assert_int_equal(stat(priv, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	struct mint_buf b = MINT_BUF_INIT;
	read_file_or_fail(priv, &b);
	assert_true(mint_span_starts_with(mint_buf_span(&b), "-----BEGIN RSA PRIVATE KEY-----\n"));
	read_file_or_fail(pub, &b);
	assert_true(mint_span_starts_with(mint_buf_span(&b), "-----BEGIN PUBLIC KEY-----\n"));
	struct mint_apk_keyring kr = { 0 };
	assert_ok(mint_apk_keyring_add_file(&kr, pub, &err), &err);
	assert_non_null(mint_apk_keyring_find(&kr, mint_span_str("melange.rsa.pub")));
	mint_apk_keyring_free(&kr);
	mint_buf_free(&b);
	free(priv);
	free(pub);
	free(prefix);
	cleanup_tmpdir(tmp);
}

static void test_keygen_refuses_to_replace_an_existing_key(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *prefix = tw_join(tmp, "k");
	char *pub = tw_join(tmp, "k.rsa.pub");
	struct mint_err err = { 0 };
	assert_ok(mint_file_write_atomic(pub, "mine", 4, 0644, &err), &err);
	assert_int_equal(mint_apk_keygen(prefix, 2048, &err), MINT_EDUPLICATE);
	assert_string_equal(err.file, pub);
	char *priv = tw_join(tmp, "k.rsa");
	assert_int_equal(access(priv, F_OK), -1);
	struct mint_buf b = MINT_BUF_INIT;
	read_file_or_fail(pub, &b);
	assert_string_equal(mint_buf_cstr(&b), "mine");
	mint_buf_free(&b);
	free(priv);
	free(pub);
	free(prefix);
	cleanup_tmpdir(tmp);
}

static void test_keygen_refuses_keys_under_2048_bits(void **state)
{
	(void)state;
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_keygen("/nonexistent/k", 1024, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "1024"));
	assert_int_equal(mint_apk_keygen("", 4096, &err), MINT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keygen_writes_pkcs1_private_0600_and_spki_public),
		cmocka_unit_test(test_keygen_refuses_to_replace_an_existing_key),
		cmocka_unit_test(test_keygen_refuses_keys_under_2048_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
