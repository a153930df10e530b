/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/pkgbuild/fetch.c: a file:// download checked against the recipe's
 * digest lands in the workspace; a wrong digest, a missing file or a
 * destination outside the workspace is an error that writes nothing.
 */
#include "pkgbuild_fixture.h"

#include "lib/pkgbuild/build_internal.h"
#include "mint/encode.h"
#include "mint/hash.h"

#define SOURCE_TEXT "source bytes\n"

struct fetch_case {
	char *dir;
	char ws[1100];
	char uri[1200];
	char sha256[65];
	char sha512[129];
	struct mint_pkg_build_opts o;
	struct mint_pkg_build_result res;
	struct pkg_job j;
	struct mint_build_step s;
	struct mint_err err;
};

static void hex_digest(enum mint_hash_alg alg, const char *text, char *out, size_t len)
{
	unsigned char md[MINT_HASH_MAX_BYTES];
	assert_int_equal(mint_hash_bytes(alg, text, strlen(text), md), 0);
	mint_hex_encode(md, len, out);
	out[2 * len] = '\0';
}

static void fetch_open(struct fetch_case *c)
{
	memset(c, 0, sizeof(*c));
	c->dir = make_tmpdir();
	pb_write(c->dir, "src/source.txt", SOURCE_TEXT);
	snprintf(c->ws, sizeof(c->ws), "%s/ws", c->dir);
	assert_int_equal(mkdir(c->ws, 0755), 0);
	snprintf(c->uri, sizeof(c->uri), "file://%s/src/source.txt", c->dir);
	hex_digest(MINT_HASH_SHA256, SOURCE_TEXT, c->sha256, 32);
	hex_digest(MINT_HASH_SHA512, SOURCE_TEXT, c->sha512, 64);
	c->o.recipe_path = "recipe.yaml";
	c->j.o = &c->o;
	c->j.res = &c->res;
	c->j.workspace = strdup(c->ws);
	c->s = (struct mint_build_step){
		.kind = MINT_BUILD_STEP_FETCH,
		.name = "fetch",
		.origin = "recipe.yaml:3:5",
		.working_directory = "/home/build/sub",
		.uri = c->uri,
		.expected_sha256 = c->sha256,
		.dest = "source.txt",
	};
}

static void fetch_close(struct fetch_case *c)
{
	pkg_job_free(&c->j); /* also removes the workspace */
	cleanup_tmpdir(c->dir);
}

static char *formatted(const struct mint_err *err)
{
	static char text[2048];
	mint_err_format(err, text, sizeof(text));
	return text;
}

static void test_fetch_file_uri_with_right_sha256_lands_at_dest_with_mode_0644(void **state)
{
	(void)state;
	struct fetch_case c;
	struct stat st;
	struct mint_buf got = { 0 };
	char path[1300];
	fetch_open(&c);
	mode_t old = umask(077);
	int rc = pkg_fetch(&c.j, &c.s, &c.err);
	umask(old);
	assert_ok(rc, &c.err);
	snprintf(path, sizeof(path), "%s/sub/source.txt", c.ws);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	read_file_or_fail(path, &got);
	assert_int_equal(got.len, strlen(SOURCE_TEXT));
	assert_memory_equal(got.data, SOURCE_TEXT, got.len);
	mint_buf_free(&got);
	assert_int_equal(c.j.n_sources, 1);
	assert_string_equal(c.j.sources[0].uri, c.uri);
	assert_string_equal(c.j.sources[0].sha256, c.sha256);
	assert_null(c.j.sources[0].sha512);
	fetch_close(&c);
}

static void test_fetch_accepts_sha512_and_uppercase_hex(void **state)
{
	(void)state;
	struct fetch_case c;
	fetch_open(&c);
	for (char *p = c.sha512; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	c.s.expected_sha256 = NULL;
	c.s.expected_sha512 = c.sha512;
	assert_ok(pkg_fetch(&c.j, &c.s, &c.err), &c.err);
	assert_true(pb_exists(c.ws, "sub/source.txt"));
	assert_string_equal(c.j.sources[0].sha512, c.sha512);
	fetch_close(&c);
}

static void test_fetch_wrong_sha256_is_integrity_error_naming_both_and_writes_nothing(void **state)
{
	(void)state;
	struct fetch_case c;
	static char wrong[] = "1111111111111111111111111111111111111111111111111111111111111111";
	fetch_open(&c);
	c.s.expected_sha256 = wrong;
	assert_int_equal(pkg_fetch(&c.j, &c.s, &c.err), MINT_EINTEGRITY);
	assert_non_null(strstr(c.err.msg, "recipe.yaml:3:5"));
	assert_non_null(strstr(c.err.msg, "sha256"));
	assert_non_null(strstr(c.err.msg, c.sha256));
	assert_non_null(strstr(c.err.msg, wrong));
	assert_int_equal(pb_count(c.ws, "", ""), 0);
	assert_int_equal(c.j.n_sources, 0);
	fetch_close(&c);
}

static void test_fetch_wrong_sha512_is_integrity_error_naming_both_and_writes_nothing(void **state)
{
	(void)state;
	struct fetch_case c;
	char wrong[129];
	fetch_open(&c);
	memset(wrong, 'a', 128);
	wrong[128] = '\0';
	c.s.expected_sha256 = NULL;
	c.s.expected_sha512 = wrong;
	assert_int_equal(pkg_fetch(&c.j, &c.s, &c.err), MINT_EINTEGRITY);
	assert_non_null(strstr(c.err.msg, "sha512"));
	assert_non_null(strstr(c.err.msg, c.sha512));
	assert_non_null(strstr(c.err.msg, wrong));
	assert_int_equal(pb_count(c.ws, "", ""), 0);
	fetch_close(&c);
}

static void test_fetch_without_expected_digest_is_refused(void **state)
{
	(void)state;
	struct fetch_case c;
	fetch_open(&c);
	c.s.expected_sha256 = NULL;
	assert_int_equal(pkg_fetch(&c.j, &c.s, &c.err), MINT_EINVAL);
	assert_non_null(strstr(c.err.msg, "expected-sha256 or expected-sha512"));
	assert_int_equal(pb_count(c.ws, "", ""), 0);
	fetch_close(&c);
}

static void test_fetch_of_a_missing_file_names_the_uri(void **state)
{
	(void)state;
	struct fetch_case c;
	fetch_open(&c);
	snprintf(c.uri, sizeof(c.uri), "file://%s/src/missing.tar.gz", c.dir);
	int rc = pkg_fetch(&c.j, &c.s, &c.err);
	assert_true(rc < 0);
	char *text = formatted(&c.err);
	if (!strstr(text, c.uri) || !strstr(text, "recipe.yaml:3:5"))
		fail_msg("the error does not name the URI and the step: %s", text);
	assert_int_equal(pb_count(c.ws, "", ""), 0);
	fetch_close(&c);
}

static void test_fetch_dest_escaping_the_workspace_is_refused(void **state)
{
	(void)state;
	static const struct {
		const char *workdir, *dest;
	} bad[] = {
		{ "/home/build", "../escaped.txt" },
		{ "/home/build/sub", "../../escaped.txt" },
		{ "/etc", "escaped.txt" },
		{ "/home/buildx", "escaped.txt" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fetch_case c;
		fetch_open(&c);
		c.s.working_directory = (char *)bad[i].workdir;
		c.s.dest = (char *)bad[i].dest;
		int rc = pkg_fetch(&c.j, &c.s, &c.err);
		if (rc != MINT_EUNSAFE)
			fail_msg("%s + %s: got %d (%s)", bad[i].workdir, bad[i].dest, rc, c.err.msg);
		assert_non_null(strstr(c.err.msg, "fetch destination"));
		assert_int_equal(pb_count(c.ws, "", ""), 0);
		assert_int_equal(pb_count(c.dir, "escaped", ""), 0);
		fetch_close(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_file_uri_with_right_sha256_lands_at_dest_with_mode_0644),
		cmocka_unit_test(test_fetch_accepts_sha512_and_uppercase_hex),
		cmocka_unit_test(test_fetch_wrong_sha256_is_integrity_error_naming_both_and_writes_nothing),
		cmocka_unit_test(test_fetch_wrong_sha512_is_integrity_error_naming_both_and_writes_nothing),
		cmocka_unit_test(test_fetch_without_expected_digest_is_refused),
		cmocka_unit_test(test_fetch_of_a_missing_file_names_the_uri),
		cmocka_unit_test(test_fetch_dest_escaping_the_workspace_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
