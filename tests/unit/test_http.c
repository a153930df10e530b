/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/core/http.c against a real server (tests/http_server.py on 127.0.0.1)
 * that fails, cuts, stalls and redirects on command, and against file://.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "httpserver.h"
#include "mint/fs.h"
#include "mint/http.h"

#define BIG_BYTES 100000

static char *root;
static struct test_server server;

static void write_or_fail(const char *dir, const char *name, const void *data, size_t len)
{
	char path[600];
	struct mint_err err = { 0 };
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_ok(mint_file_write_atomic(path, data, len, 0644, &err), &err);
}

static int setup(void **state)
{
	(void)state;
	root = make_tmpdir();
	char *big = malloc(BIG_BYTES);
	for (size_t i = 0; i < BIG_BYTES; i++)
		big[i] = (char)(i * 7 + i / 251);
	write_or_fail(root, "big.bin", big, BIG_BYTES);
	write_or_fail(root, "hello.txt", "hello\n", 6);
	free(big);
	test_server_start(&server, root, NULL, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_server_stop(&server);
	cleanup_tmpdir(root);
	return 0;
}

/* Fast retries so that the tests do not wait for real backoff. */
static void fast_options(struct mint_http_options *o)
{
	mint_http_options_default(o);
	o->backoff_base_ms = 5;
	o->backoff_max_ms = 20;
	o->connect_timeout_ms = 5000;
	o->timeout_ms = 10000;
}

static void url_of(char *out, size_t cap, const char *path)
{
	snprintf(out, cap, "%s%s", server.url, path);
}

static int get(const char *path, const char *etag, const struct mint_http_options *o,
	       struct mint_http_response *res, struct mint_err *err)
{
	char url[256];
	url_of(url, sizeof(url), path);
	struct mint_http_request req = { .url = url, .etag = etag };
	return mint_http_get(&req, o, res, err);
}

static void assert_msg_contains(const struct mint_err *err, const char *needle)
{
	char text[2048];
	mint_err_format(err, text, sizeof(text));
	if (!strstr(text, needle))
		fail_msg("error '%s' does not contain '%s'", text, needle);
}

static void test_http_header_value_matches_name_case_insensitively_and_trims(void **state)
{
	(void)state;
	struct mint_span v;
	assert_true(mint_http_header_value(MINT_SPAN_LIT("etag:  \"abc\" \r\n"), "ETag", &v));
	assert_true(mint_span_eq_str(v, "\"abc\""));
	assert_true(mint_http_header_value(MINT_SPAN_LIT("ETag:\r\n"), "ETag", &v));
	assert_int_equal(v.len, 0);
	assert_false(mint_http_header_value(MINT_SPAN_LIT("ETags: x\r\n"), "ETag", &v));
	assert_false(mint_http_header_value(MINT_SPAN_LIT("ETag x\r\n"), "ETag", &v));
	assert_false(mint_http_header_value(MINT_SPAN_LIT("E\0ag: x"), "ETag", &v));
}

static void test_http_etag_valid_refuses_blank_control_and_overlong(void **state)
{
	(void)state;
	assert_true(mint_http_etag_valid(MINT_SPAN_LIT("\"5f-abc\"")));
	assert_true(mint_http_etag_valid(MINT_SPAN_LIT("W/\"x\"")));
	assert_true(mint_http_etag_valid(MINT_SPAN_LIT("bare-etag")));
	assert_false(mint_http_etag_valid(MINT_SPAN_LIT("")));
	assert_false(mint_http_etag_valid(MINT_SPAN_LIT("\"a b\"")));
	assert_false(mint_http_etag_valid(MINT_SPAN_LIT("\"a\"\r\nX-Evil: 1")));
	assert_false(mint_http_etag_valid(MINT_SPAN_LIT("a\x7f")));
	char long_tag[MINT_HTTP_ETAG_MAX + 2];
	memset(long_tag, 'a', sizeof(long_tag));
	assert_true(mint_http_etag_valid(MINT_SPAN(long_tag, MINT_HTTP_ETAG_MAX)));
	assert_false(mint_http_etag_valid(MINT_SPAN(long_tag, MINT_HTTP_ETAG_MAX + 1)));
}

static void test_http_get_returns_body_and_etag(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	assert_ok(get("/hello.txt", NULL, &o, &res, &err), &err);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.attempts, 1);
	assert_false(res.not_modified);
	assert_string_equal(mint_buf_cstr(&res.body), "hello\n");
	assert_non_null(res.etag);
	assert_true(res.etag[0] == '"');
	mint_http_response_free(&res);
}

static void test_http_matching_etag_gives_not_modified_and_no_body(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	assert_ok(get("/big.bin", NULL, &o, &res, &err), &err);
	char *etag = strdup(res.etag);
	mint_http_response_free(&res);
	assert_ok(get("/big.bin", etag, &o, &res, &err), &err);
	assert_true(res.not_modified);
	assert_int_equal(res.status, 304);
	assert_int_equal(res.body.len, 0);
	assert_int_equal(test_server_count304(&server, "/big.bin"), 1);
	mint_http_response_free(&res);
	free(etag);
}

static void test_http_changed_etag_gives_full_body_and_new_etag(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	test_server_cmd(&server, "rule /hello.txt etag \"v2\"");
	assert_ok(get("/hello.txt", "\"v1\"", &o, &res, &err), &err);
	assert_false(res.not_modified);
	assert_string_equal(mint_buf_cstr(&res.body), "hello\n");
	assert_string_equal(res.etag, "\"v2\"");
	mint_http_response_free(&res);
}

static void test_http_500_twice_then_success_is_retried(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	test_server_cmd(&server, "rule /hello.txt fail500 2");
	assert_ok(get("/hello.txt", NULL, &o, &res, &err), &err);
	assert_int_equal(res.attempts, 3);
	assert_string_equal(mint_buf_cstr(&res.body), "hello\n");
	assert_int_equal(test_server_count(&server, "/hello.txt"), 3);
	mint_http_response_free(&res);
}

static void test_http_500_beyond_retries_names_url_status_and_attempts(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	o.retries = 1;
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	test_server_cmd(&server, "rule /hello.txt fail500 5");
	assert_int_equal(get("/hello.txt", NULL, &o, &res, &err), MINT_EIO);
	assert_int_equal(res.status, 500);
	assert_int_equal(res.body.len, 0);
	assert_msg_contains(&err, "/hello.txt");
	assert_msg_contains(&err, "HTTP status 500");
	assert_msg_contains(&err, "gave up after 2 attempts");
	assert_int_equal(test_server_count(&server, "/hello.txt"), 2);
	mint_http_response_free(&res);
}

static void test_http_429_once_is_retried(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	test_server_cmd(&server, "rule /hello.txt fail429 1");
	assert_ok(get("/hello.txt", NULL, &o, &res, &err), &err);
	assert_int_equal(res.attempts, 2);
	mint_http_response_free(&res);
}

static void test_http_404_is_not_found_and_not_retried(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	assert_int_equal(get("/missing", NULL, &o, &res, &err), MINT_ENOTFOUND);
	assert_msg_contains(&err, "HTTP status 404");
	assert_int_equal(test_server_count(&server, "/missing"), 1);
	mint_http_response_free(&res);
}

static void test_http_cut_mid_body_once_is_retried(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	test_server_cmd(&server, "rule /big.bin cut 1");
	assert_ok(get("/big.bin", NULL, &o, &res, &err), &err);
	assert_int_equal(res.attempts, 2);
	assert_int_equal(res.body.len, BIG_BYTES);
	mint_http_response_free(&res);
}

static void test_http_cut_mid_body_every_time_fails_with_no_body(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	o.retries = 2;
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	test_server_cmd(&server, "rule /big.bin cut -1");
	assert_int_equal(get("/big.bin", NULL, &o, &res, &err), MINT_EIO);
	assert_int_equal(res.body.len, 0);
	assert_int_equal(res.attempts, 3);
	assert_msg_contains(&err, "/big.bin");
	assert_msg_contains(&err, "bytes remaining");
	mint_http_response_free(&res);
}

static void test_http_stalled_server_times_out(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	o.retries = 0;
	o.timeout_ms = 300;
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	test_server_cmd(&server, "rule /big.bin stall 5");
	time_t start = time(NULL);
	assert_int_equal(get("/big.bin", NULL, &o, &res, &err), MINT_EIO);
	assert_true(time(NULL) - start < 4);
	assert_int_equal(res.body.len, 0);
	assert_msg_contains(&err, "timed out");
	mint_http_response_free(&res);
}

static void test_http_body_over_limit_stops_with_elimit(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	o.max_bytes = 1000;
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	assert_int_equal(get("/big.bin", NULL, &o, &res, &err), MINT_ELIMIT);
	assert_int_equal(res.attempts, 1);
	assert_int_equal(res.body.len, 0);
	assert_msg_contains(&err, "1000 bytes");
	mint_http_response_free(&res);
}

static void test_http_request_limit_tighter_than_options_applies(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	char url[256];
	url_of(url, sizeof(url), "/big.bin");
	struct mint_http_request req = { .url = url, .max_bytes = BIG_BYTES - 1 };
	struct mint_http_response res;
	struct mint_err err = { 0 };
	assert_int_equal(mint_http_get(&req, &o, &res, &err), MINT_ELIMIT);
	mint_http_response_free(&res);
	req.max_bytes = BIG_BYTES;
	assert_ok(mint_http_get(&req, &o, &res, &err), &err);
	mint_http_response_free(&res);
}

static void test_http_redirect_is_followed(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	test_server_cmd(&server, "rule /moved redirect /hello.txt");
	assert_ok(get("/moved", NULL, &o, &res, &err), &err);
	assert_string_equal(mint_buf_cstr(&res.body), "hello\n");
	mint_http_response_free(&res);
}

static void test_http_redirect_loop_and_redirect_to_file_fail(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	o.max_redirects = 3;
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	test_server_cmd(&server, "rule /loop redirect /loop");
	assert_int_equal(get("/loop", NULL, &o, &res, &err), MINT_EIO);
	assert_int_equal(test_server_count(&server, "/loop"), 4);
	mint_http_response_free(&res);
	char target[700];
	snprintf(target, sizeof(target), "file://%s/hello.txt", root);
	test_server_cmd(&server, "rule /escape redirect %s", target);
	assert_true(get("/escape", NULL, &o, &res, &err) != 0);
	assert_int_equal(res.body.len, 0);
	mint_http_response_free(&res);
}

static void test_http_file_url_reads_file_and_missing_is_not_found(void **state)
{
	(void)state;
	char url[700];
	snprintf(url, sizeof(url), "file://%s/hello.txt", root);
	struct mint_http_request req = { .url = url };
	struct mint_http_response res;
	struct mint_err err = { 0 };
	assert_ok(mint_http_get(&req, NULL, &res, &err), &err);
	assert_string_equal(mint_buf_cstr(&res.body), "hello\n");
	assert_int_equal(res.status, 0);
	mint_http_response_free(&res);
	snprintf(url, sizeof(url), "file://%s/nothing-here", root);
	assert_int_equal(mint_http_get(&req, NULL, &res, &err), MINT_ENOTFOUND);
	assert_msg_contains(&err, "nothing-here");
	mint_http_response_free(&res);
}

static void test_http_url_without_known_scheme_is_refused(void **state)
{
	(void)state;
	struct mint_http_request req = { .url = "ftp://example.org/x" };
	struct mint_http_response res;
	struct mint_err err = { 0 };
	assert_int_equal(mint_http_get(&req, NULL, &res, &err), MINT_EUNSUPPORTED);
	mint_http_response_free(&res);
	req.url = "example.org/x";
	assert_int_equal(mint_http_get(&req, NULL, &res, &err), MINT_EINVAL);
	mint_http_response_free(&res);
	req.url = "";
	assert_int_equal(mint_http_get(&req, NULL, &res, &err), MINT_EINVAL);
	mint_http_response_free(&res);
}

static void test_http_etag_with_line_break_is_refused_before_sending(void **state)
{
	(void)state;
	char url[256];
	url_of(url, sizeof(url), "/hello.txt");
	struct mint_http_request req = { .url = url, .etag = "\"a\"\r\nX-Evil: 1" };
	struct mint_http_response res;
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	assert_int_equal(mint_http_get(&req, NULL, &res, &err), MINT_EINVAL);
	assert_int_equal(test_server_count(&server, "/hello.txt"), 0);
	mint_http_response_free(&res);
}

/* A port nothing listens on: bound once, then released. */
static unsigned closed_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void test_http_refused_connection_is_retried_then_named(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	o.retries = 2;
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/x", closed_port());
	struct mint_http_request req = { .url = url };
	struct mint_http_response res;
	struct mint_err err = { 0 };
	assert_int_equal(mint_http_get(&req, &o, &res, &err), MINT_EIO);
	assert_int_equal(res.attempts, 3);
	assert_string_equal(err.file, url);
	assert_msg_contains(&err, "gave up after 3 attempts");
	mint_http_response_free(&res);
}

static void test_http_many_run_together_each_with_its_own_result(void **state)
{
	(void)state;
	struct mint_http_options o;
	fast_options(&o);
	o.max_parallel = 3;
	char urls[6][700];
	url_of(urls[0], sizeof(urls[0]), "/hello.txt");
	url_of(urls[1], sizeof(urls[1]), "/big.bin");
	url_of(urls[2], sizeof(urls[2]), "/missing");
	snprintf(urls[3], sizeof(urls[3]), "file://%s/hello.txt", root);
	url_of(urls[4], sizeof(urls[4]), "/flaky");
	url_of(urls[5], sizeof(urls[5]), "/big.bin");
	struct mint_http_request reqs[6];
	for (int i = 0; i < 6; i++)
		reqs[i] = (struct mint_http_request){ .url = urls[i] };
	struct mint_http_response res[6];
	struct mint_err err = { 0 };
	test_server_cmd(&server, "clear");
	test_server_cmd(&server, "rule /flaky fail500 -1");
	assert_int_equal(mint_http_get_many(reqs, 6, &o, res, &err), MINT_ENOTFOUND);
	assert_msg_contains(&err, "/missing");
	assert_int_equal(res[0].rc, 0);
	assert_string_equal(mint_buf_cstr(&res[0].body), "hello\n");
	assert_int_equal(res[1].rc, 0);
	assert_int_equal(res[1].body.len, BIG_BYTES);
	assert_int_equal(res[2].rc, MINT_ENOTFOUND);
	assert_int_equal(res[3].rc, 0);
	assert_string_equal(mint_buf_cstr(&res[3].body), "hello\n");
	assert_int_equal(res[4].rc, MINT_EIO);
	assert_int_equal(res[4].attempts, 4);
	assert_int_equal(res[5].rc, 0);
	assert_int_equal(res[5].body.len, BIG_BYTES);
	for (int i = 0; i < 6; i++)
		mint_http_response_free(&res[i]);
}

static bool make_self_signed(const char *dir, char *cert, char *key, size_t cap)
{
	snprintf(cert, cap, "%s/cert.pem", dir);
	snprintf(key, cap, "%s/key.pem", dir);
	char cmd[2048];
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
		 "-addext subjectAltName=IP:127.0.0.1 -keyout '%s' -out '%s' >/dev/null 2>&1",
		 key, cert);
	return system(cmd) == 0;
}

static void test_https_verifies_certificates_by_default(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char cert[600], key[600], url[128];
	if (!make_self_signed(dir, cert, key, sizeof(cert))) {
		cleanup_tmpdir(dir);
		skip();
	}
	struct test_server tls;
	test_server_start(&tls, root, cert, key);
	snprintf(url, sizeof(url), "%s/hello.txt", tls.url);
	struct mint_http_options o;
	fast_options(&o);
	o.retries = 0;
	struct mint_http_request req = { .url = url };
	struct mint_http_response res;
	struct mint_err err = { 0 };
	assert_int_equal(mint_http_get(&req, &o, &res, &err), MINT_EIO);
	assert_msg_contains(&err, "certificate");
	mint_http_response_free(&res);
	o.ca_file = cert;
	assert_ok(mint_http_get(&req, &o, &res, &err), &err);
	assert_string_equal(mint_buf_cstr(&res.body), "hello\n");
	mint_http_response_free(&res);
	test_server_stop(&tls);
	cleanup_tmpdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_header_value_matches_name_case_insensitively_and_trims),
		cmocka_unit_test(test_http_etag_valid_refuses_blank_control_and_overlong),
		cmocka_unit_test(test_http_get_returns_body_and_etag),
		cmocka_unit_test(test_http_matching_etag_gives_not_modified_and_no_body),
		cmocka_unit_test(test_http_changed_etag_gives_full_body_and_new_etag),
		cmocka_unit_test(test_http_500_twice_then_success_is_retried),
		cmocka_unit_test(test_http_500_beyond_retries_names_url_status_and_attempts),
		cmocka_unit_test(test_http_429_once_is_retried),
		cmocka_unit_test(test_http_404_is_not_found_and_not_retried),
		cmocka_unit_test(test_http_cut_mid_body_once_is_retried),
		cmocka_unit_test(test_http_cut_mid_body_every_time_fails_with_no_body),
		cmocka_unit_test(test_http_stalled_server_times_out),
		cmocka_unit_test(test_http_body_over_limit_stops_with_elimit),
		cmocka_unit_test(test_http_request_limit_tighter_than_options_applies),
		cmocka_unit_test(test_http_redirect_is_followed),
		cmocka_unit_test(test_http_redirect_loop_and_redirect_to_file_fail),
		cmocka_unit_test(test_http_file_url_reads_file_and_missing_is_not_found),
		cmocka_unit_test(test_http_url_without_known_scheme_is_refused),
		cmocka_unit_test(test_http_etag_with_line_break_is_refused_before_sending),
		cmocka_unit_test(test_http_refused_connection_is_retried_then_named),
		cmocka_unit_test(test_http_many_run_together_each_with_its_own_result),
		cmocka_unit_test(test_https_verifies_certificates_by_default),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
