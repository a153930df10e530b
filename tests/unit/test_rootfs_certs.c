/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "mint/encode.h"
#include "mint/hash.h"
#include "mint/image_rootfs.h"
#include "planbuild.h"

#define EPOCH 1700000000

/* A fresh self-signed certificate: its PEM and the hex SHA-256 of its DER. */
static void make_cert(const char *cn, struct mint_buf *pem, char fp[65])
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *x = X509_new();
	assert_non_null(key);
	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME *name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509_set_pubkey(x, key);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der);
	assert_true(len > 0);
	unsigned char md[MINT_HASH_MAX_BYTES];
	assert_int_equal(mint_hash_bytes(MINT_HASH_SHA256, der, (size_t)len, md), 0);
	mint_hex_encode(md, 32, fp);
	BIO *bio = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(bio, x);
	char *data;
	long n = BIO_get_mem_data(bio, &data);
	mint_buf_reset(pem);
	mint_buf_append(pem, data, (size_t)n);
	BIO_free(bio);
	OPENSSL_free(der);
	X509_free(x);
	EVP_PKEY_free(key);
}

static const char bundle_text[] = "# the distro's bundle\n";

static struct mint_image_plan *plan_with_bundle(void)
{
	static const struct test_entry files[] = {
		{ .path = "etc/ssl/certs/ca-certificates.crt", .content = bundle_text, .mtime = 5 },
		{ .path = "etc/ssl/certs/java/cacerts", .content = "JKS", .mtime = 5 },
	};
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	plan_add_test_package(p, 0, "ca-certificates-bundle", NULL, 0, files, 2);
	return p;
}

static void read_ok(struct mint_image_plan *p, const char *path, struct mint_buf *out)
{
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_read_file(p, path, &test_plan_reader, 1 << 20, out, &err), &err);
}

static void expect_sidecar(struct mint_image_plan *p, const char *dir, const char *name)
{
	struct mint_buf data = MINT_BUF_INIT, side = MINT_BUF_INIT, want = MINT_BUF_INIT;
	char path[256], hex[65];
	unsigned char md[MINT_HASH_MAX_BYTES];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	read_ok(p, path, &data);
	mint_hash_bytes(MINT_HASH_SHA256, data.data, data.len, md);
	mint_hex_encode(md, 32, hex);
	mint_buf_printf(&want, "%s  %s\n", hex, name);
	snprintf(path, sizeof(path), "%s/.%s.sha256", dir, name);
	read_ok(p, path, &side);
	assert_string_equal(mint_buf_cstr(&side), mint_buf_cstr(&want));
	const struct mint_plan_node *n = mint_image_plan_lookup(p, path);
	assert_int_equal(n->mode, 0444);
	assert_int_equal(n->mtime, EPOCH);
	mint_buf_free(&data);
	mint_buf_free(&side);
	mint_buf_free(&want);
}

static void test_rootfs_certs_additional_written_and_appended_with_sidecar(void **state)
{
	(void)state;
	struct mint_image_plan *p = plan_with_bundle();
	struct mint_buf pem = MINT_BUF_INIT, got = MINT_BUF_INIT, messy = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char fp[65], path[256];
	make_cert("extra", &pem, fp);
	/* text around the block and CRLF line ends are dropped on the way */
	mint_buf_puts(&messy, "Subject: extra\r\n");
	for (size_t i = 0; i < pem.len; i++) {
		if (pem.data[i] == '\n')
			mint_buf_putc(&messy, '\r');
		mint_buf_putc(&messy, pem.data[i]);
	}
	struct mint_image_named_pem add = { "corp-root", messy.data };
	struct mint_image_config cfg = { .has_certificates = true,
					 .certificates_additional = &add,
					 .n_certificates_additional = 1 };
	assert_ok(mint_image_rootfs_certificates(p, &test_plan_reader, &cfg, EPOCH, &err), &err);
	snprintf(path, sizeof(path), "usr/local/share/ca-certificates/corp-root-%s.crt", fp);
	read_ok(p, path, &got);
	assert_string_equal(mint_buf_cstr(&got), mint_buf_cstr(&pem));
	assert_int_equal(mint_image_plan_lookup(p, path)->mode, 0644);
	assert_int_equal(mint_image_plan_lookup(p, path)->mtime, EPOCH);
	assert_int_equal(mint_image_plan_lookup(p, "usr/local/share")->mtime, 0);

	read_ok(p, "etc/ssl/certs/ca-certificates.crt", &got);
	assert_int_equal(got.len, strlen(bundle_text) + pem.len + 1);
	assert_memory_equal(got.data + strlen(bundle_text), pem.data, pem.len);
	assert_int_equal(got.data[got.len - 1], '\n');
	const struct mint_plan_node *b =
		mint_image_plan_lookup(p, "etc/ssl/certs/ca-certificates.crt");
	assert_int_equal(b->mtime, EPOCH);
	assert_int_equal(b->mode, 0644);
	assert_int_equal(b->owner, 0);
	expect_sidecar(p, "etc/ssl/certs", "ca-certificates.crt");
	/* the Java truststore is left alone but gets its sidecar */
	read_ok(p, "etc/ssl/certs/java/cacerts", &got);
	assert_string_equal(mint_buf_cstr(&got), "JKS");
	expect_sidecar(p, "etc/ssl/certs/java", "cacerts");
	mint_buf_free(&pem);
	mint_buf_free(&got);
	mint_buf_free(&messy);
	mint_image_plan_free(p);
}

static void test_rootfs_certs_provider_files_in_path_order(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT, got = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char fa[65], fb[65];
	make_cert("a", &a, fa);
	make_cert("b", &b, fb);
	const struct test_entry files[] = {
		{ .path = "usr/local/share/ca-certificates/b.crt", .content = b.data },
		{ .path = "usr/local/share/ca-certificates/a.pem", .content = a.data },
		{ .path = "usr/local/share/ca-certificates/junk.crt", .content = "not PEM" },
		{ .path = "usr/local/share/ca-certificates/readme", .content = a.data },
		{ .path = "usr/share/ca-certificates/corp/c.crt", .content = b.data },
	};
	static const char *const provides[] = { "custom-ca-certificates" };
	static char *providers[] = { "custom-ca-certificates" };
	struct mint_image_plan *p = plan_with_bundle();
	plan_add_test_package(p, 1, "custom-ca-certs", provides, 1, files, 5);
	struct mint_image_config cfg = { .has_certificates = true,
					 .certificates_providers = { providers, 1 } };
	assert_ok(mint_image_rootfs_certificates(p, &test_plan_reader, &cfg, EPOCH, &err), &err);
	read_ok(p, "etc/ssl/certs/ca-certificates.crt", &got);
	/* a.pem, b.crt, then usr/share/...: byte order of the paths */
	size_t at = strlen(bundle_text);
	assert_memory_equal(got.data + at, a.data, a.len);
	at += a.len + 1;
	assert_memory_equal(got.data + at, b.data, b.len);
	at += b.len + 1;
	assert_memory_equal(got.data + at, b.data, b.len);
	assert_int_equal(got.len, at + b.len + 1);
	read_ok(p, "etc/ca-certificates.conf", &got);
	assert_string_equal(mint_buf_cstr(&got), "corp/c.crt\n");
	assert_int_equal(mint_image_plan_lookup(p, "etc/ca-certificates.conf")->mtime, EPOCH);
	mint_buf_free(&a);
	mint_buf_free(&b);
	mint_buf_free(&got);
	mint_image_plan_free(p);
}

static void test_rootfs_certs_additional_must_be_exactly_one_certificate(void **state)
{
	(void)state;
	struct mint_buf pem = MINT_BUF_INIT, two = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char fp[65];
	make_cert("x", &pem, fp);
	mint_buf_append_span(&two, mint_buf_span(&pem));
	mint_buf_append_span(&two, mint_buf_span(&pem));
	struct mint_image_named_pem add[] = { { "ok", pem.data }, { "double", two.data } };
	struct mint_image_config cfg = { .has_certificates = true,
					 .certificates_additional = add,
					 .n_certificates_additional = 2 };
	struct mint_image_plan *p = plan_with_bundle();
	assert_int_equal(mint_image_rootfs_certificates(p, NULL, &cfg, EPOCH, &err), MINT_EFORMAT);
	assert_non_null(strstr(err.msg, "certificates.additional[1] (double)"));
	assert_non_null(strstr(err.msg, "only one is allowed"));
	add[1].content = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
	assert_int_equal(mint_image_rootfs_certificates(p, NULL, &cfg, EPOCH, &err), MINT_EFORMAT);
	assert_non_null(strstr(err.msg, "expected CERTIFICATE"));
	add[1].content = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
	assert_int_equal(mint_image_rootfs_certificates(p, NULL, &cfg, EPOCH, &err), MINT_EFORMAT);
	assert_non_null(strstr(err.msg, "X.509"));
	mint_buf_free(&pem);
	mint_buf_free(&two);
	mint_image_plan_free(p);
}

static void test_rootfs_certs_without_config_only_writes_sidecars(void **state)
{
	(void)state;
	struct mint_image_plan *p = plan_with_bundle();
	struct mint_buf got = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_image_rootfs_certificates(p, &test_plan_reader, NULL, EPOCH, &err), &err);
	read_ok(p, "etc/ssl/certs/ca-certificates.crt", &got);
	assert_string_equal(mint_buf_cstr(&got), bundle_text);
	assert_int_equal(mint_image_plan_lookup(p, "etc/ssl/certs/ca-certificates.crt")->mtime, 5);
	expect_sidecar(p, "etc/ssl/certs", "ca-certificates.crt");
	assert_null(mint_image_plan_lookup(p, "kaniko"));
	mint_buf_free(&got);
	mint_image_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rootfs_certs_additional_written_and_appended_with_sidecar),
		cmocka_unit_test(test_rootfs_certs_provider_files_in_path_order),
		cmocka_unit_test(test_rootfs_certs_additional_must_be_exactly_one_certificate),
		cmocka_unit_test(test_rootfs_certs_without_config_only_writes_sidecars),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
