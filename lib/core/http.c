/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET into memory over libcurl (see mint/http.h). Every request, also a
 * single one, runs on a curl multi handle: one loop starts transfers as
 * slots free up, collects finished ones, and puts a transfer that may be
 * retried back in the queue with a time before which it must not start
 * again. The loop sleeps in curl_multi_poll until a socket is ready or the
 * next retry is due.
 */
#include "mint/http.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mint/version.h"

void mint_http_options_default(struct mint_http_options *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_timeout_ms = 15000;
	o->timeout_ms = 600000;
	o->max_redirects = 10;
	o->max_bytes = (size_t)1 << 30;
	o->retries = 3;
	o->backoff_base_ms = 500;
	o->backoff_max_ms = 30000;
	o->max_parallel = 8;
}

bool mint_http_header_value(struct mint_span line, const char *name, struct mint_span *value)
{
	long colon = mint_span_find(line, ':');
	size_t name_len = strlen(name);
	if (colon < 0 || (size_t)colon != name_len || strncasecmp(line.ptr, name, name_len))
		return false;
	*value = mint_span_trim(mint_span_skip(line, name_len + 1));
	return true;
}

bool mint_http_etag_valid(struct mint_span etag)
{
	if (etag.len == 0 || etag.len > MINT_HTTP_ETAG_MAX)
		return false;
	for (size_t i = 0; i < etag.len; i++) {
		unsigned char c = (unsigned char)etag.ptr[i];
		if (c <= 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

void mint_http_response_free(struct mint_http_response *r)
{
	mint_buf_free(&r->body);
	free(r->etag);
	r->etag = NULL;
}

/* curl_global_init is only safe to call once; later calls reuse the result. */
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum transfer_state { T_WAITING, T_RUNNING, T_DONE };

struct transfer {
	const struct mint_http_request *req;
	struct mint_http_response *res;
	const struct mint_http_options *opt;
	CURL *easy;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	enum transfer_state state;
	size_t max_bytes;   /* body limit */
	long long due_ms;   /* a waiting transfer starts no earlier */
	bool over_limit;    /* the body grew past max_bytes */
	bool out_of_memory;
};

static void reset_answer(struct transfer *t)
{
	mint_buf_reset(&t->res->body);
	free(t->res->etag);
	t->res->etag = NULL;
	t->res->status = 0;
	t->res->not_modified = false;
	t->over_limit = false;
	t->out_of_memory = false;
	t->errbuf[0] = '\0';
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	size_t len = size * nmemb;
	struct mint_buf *body = &t->res->body;
	if (len > t->max_bytes - body->len) {
		t->over_limit = true;
		return 0;
	}
	if (mint_buf_append(body, ptr, len)) {
		t->out_of_memory = true;
		return 0;
	}
	return len;
}

/* A status line starts a new response (after a redirect): forget the last
 * one's ETag and body. */
static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	size_t len = size * nmemb;
	struct mint_span line = MINT_SPAN(ptr, len), value;
	if (mint_span_starts_with(line, "HTTP/")) {
		mint_buf_reset(&t->res->body);
		free(t->res->etag);
		t->res->etag = NULL;
	} else if (mint_http_header_value(line, "ETag", &value) && mint_http_etag_valid(value)) {
		free(t->res->etag);
		t->res->etag = mint_span_dup(value);
		if (!t->res->etag) {
			t->out_of_memory = true;
			return 0;
		}
	}
	return len;
}

static bool has_scheme(const char *url, const char *scheme)
{
	size_t n = strlen(scheme);
	return !strncasecmp(url, scheme, n) && !strncmp(url + n, "://", 3);
}

static int check_url(const char *url, struct mint_err *err)
{
	if (!url || !*url)
		return mint_err_set(err, MINT_EINVAL, "empty URL");
	if (has_scheme(url, "http") || has_scheme(url, "https") || has_scheme(url, "file"))
		return 0;
	mint_err_set_file(err, url);
	if (strstr(url, "://"))
		return mint_err_set(err, MINT_EUNSUPPORTED,
				    "unsupported URL scheme (http, https and file are)");
	return mint_err_set(err, MINT_EINVAL, "not a URL: no http://, https:// or file:// scheme");
}

static int fail_transfer(struct transfer *t, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Ends the transfer with an error naming the URL and how often it was tried. */
static int fail_transfer(struct transfer *t, int code, const char *fmt, ...)
{
	struct mint_err *e = &t->res->err;
	char what[MINT_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	mint_err_set_file(e, t->req->url);
	if (t->res->attempts > 1)
		mint_err_set(e, code, "%s (gave up after %u attempts)", what, t->res->attempts);
	else
		mint_err_set(e, code, "%s", what);
	mint_buf_reset(&t->res->body);
	t->res->rc = code;
	t->state = T_DONE;
	return code;
}

static int setup_easy(struct transfer *t)
{
	const struct mint_http_options *o = t->opt;
	t->easy = curl_easy_init();
	if (!t->easy)
		return fail_transfer(t, MINT_ENOMEM, "cannot create a curl handle");
	if (t->req->etag) {
		char line[MINT_HTTP_ETAG_MAX + 32];
		if (!mint_http_etag_valid(mint_span_str(t->req->etag)))
			return fail_transfer(t, MINT_EINVAL, "invalid ETag to revalidate with");
		snprintf(line, sizeof(line), "If-None-Match: %s", t->req->etag);
		t->headers = curl_slist_append(NULL, line);
		if (!t->headers)
			return fail_transfer(t, MINT_ENOMEM, "out of memory");
	}
	char agent[64];
	snprintf(agent, sizeof(agent), "mint/%s", mint_version());
	curl_off_t max = t->max_bytes > (size_t)INT64_MAX ? INT64_MAX : (curl_off_t)t->max_bytes;
	CURL *h = t->easy;
	bool bad = false;
	bad |= curl_easy_setopt(h, CURLOPT_URL, t->req->url) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,file") != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR,
				has_scheme(t->req->url, "https") ? "https" : "http,https") != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)o->max_redirects) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, max) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK;
	bad |= o->ca_file && curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_USERAGENT, agent) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_HTTPHEADER, t->headers) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_WRITEDATA, t) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_HEADERDATA, t) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t->errbuf) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_PRIVATE, t) != CURLE_OK;
	if (bad)
		return fail_transfer(t, MINT_EIO, "libcurl refused a transfer option");
	return 0;
}

static int start_transfer(CURLM *multi, struct transfer *t)
{
	if (!t->easy && setup_easy(t))
		return -1;
	reset_answer(t);
	if (curl_multi_add_handle(multi, t->easy) != CURLM_OK) {
		fail_transfer(t, MINT_EIO, "libcurl could not start the transfer");
		return -1;
	}
	t->res->attempts++;
	t->state = T_RUNNING;
	return 0;
}

static bool transient_curl_error(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

static long backoff_ms(const struct mint_http_options *o, unsigned attempts)
{
	long wait = o->backoff_base_ms > 0 ? o->backoff_base_ms : 0;
	for (unsigned i = 1; i < attempts && wait < o->backoff_max_ms; i++)
		wait *= 2;
	return wait < o->backoff_max_ms ? wait : o->backoff_max_ms;
}

/* Returns true when the transfer should be tried again. */
static bool judge(struct transfer *t, CURLcode cc)
{
	struct mint_http_response *r = t->res;
	const char *detail = t->errbuf[0] ? t->errbuf : curl_easy_strerror(cc);
	long status = 0;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	r->status = status;
	if (t->over_limit || cc == CURLE_FILESIZE_EXCEEDED) {
		fail_transfer(t, MINT_ELIMIT, "response is larger than the limit of %zu bytes",
			      t->max_bytes);
		return false;
	}
	if (t->out_of_memory) {
		fail_transfer(t, MINT_ENOMEM, "out of memory");
		return false;
	}
	if (cc == CURLE_OK) {
		if (status == 0 || status == 200) {
			t->state = T_DONE;
			return false;
		}
		if (status == 304 && t->req->etag) {
			mint_buf_reset(&r->body);
			r->not_modified = true;
			t->state = T_DONE;
			return false;
		}
		if ((status == 429 || status >= 500) && r->attempts <= t->opt->retries)
			return true;
		fail_transfer(t, status == 404 || status == 410 ? MINT_ENOTFOUND : MINT_EIO,
			      "HTTP status %ld", status);
		return false;
	}
	if (transient_curl_error(cc) && r->attempts <= t->opt->retries)
		return true;
	switch (cc) {
	case CURLE_URL_MALFORMAT:
		fail_transfer(t, MINT_EINVAL, "malformed URL: %s", detail);
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		fail_transfer(t, MINT_EUNSUPPORTED, "%s", detail);
		break;
	case CURLE_FILE_COULDNT_READ_FILE:
		fail_transfer(t, MINT_ENOTFOUND, "%s", detail);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		fail_transfer(t, MINT_EIO, "timed out: %s", detail);
		break;
	default:
		fail_transfer(t, MINT_EIO, "%s", detail);
		break;
	}
	return false;
}

static void finish_transfer(struct transfer *t, CURLcode cc)
{
	if (!judge(t, cc))
		return;
	reset_answer(t);
	t->state = T_WAITING;
	t->due_ms = now_ms() + backoff_ms(t->opt, t->res->attempts);
}

/* Starts what may start; returns how long the loop may sleep (ms). */
static long start_due(CURLM *multi, struct transfer *ts, size_t n, size_t *running,
		      unsigned max_parallel)
{
	long long now = now_ms();
	long sleep_ms = 1000;
	for (size_t i = 0; i < n; i++) {
		struct transfer *t = &ts[i];
		if (t->state != T_WAITING)
			continue;
		if (t->due_ms > now) {
			if (t->due_ms - now < sleep_ms)
				sleep_ms = (long)(t->due_ms - now);
			continue;
		}
		if (*running >= max_parallel)
			continue;
		if (!start_transfer(multi, t))
			(*running)++;
	}
	return sleep_ms;
}

static size_t collect_done(CURLM *multi, size_t *running)
{
	size_t finished = 0;
	CURLMsg *m;
	int queued;
	while ((m = curl_multi_info_read(multi, &queued))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		char *priv = NULL;
		CURL *easy = m->easy_handle;
		CURLcode cc = m->data.result;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
		struct transfer *t = (struct transfer *)priv;
		curl_multi_remove_handle(multi, easy);
		(*running)--;
		finished++;
		finish_transfer(t, cc);
	}
	return finished;
}

static size_t count_done(const struct transfer *ts, size_t n)
{
	size_t done = 0;
	for (size_t i = 0; i < n; i++)
		done += ts[i].state == T_DONE;
	return done;
}

static void fail_unfinished(CURLM *multi, struct transfer *ts, size_t n, CURLMcode mc)
{
	for (size_t i = 0; i < n; i++) {
		if (ts[i].state == T_DONE)
			continue;
		if (ts[i].state == T_RUNNING)
			curl_multi_remove_handle(multi, ts[i].easy);
		fail_transfer(&ts[i], MINT_EIO, "libcurl: %s", curl_multi_strerror(mc));
	}
}

static void run_transfers(CURLM *multi, struct transfer *ts, size_t n, unsigned max_parallel)
{
	size_t running = 0;
	while (count_done(ts, n) < n) {
		long sleep_ms = start_due(multi, ts, n, &running, max_parallel);
		int still;
		CURLMcode mc = curl_multi_perform(multi, &still);
		if (mc == CURLM_OK && collect_done(multi, &running))
			continue;
		if (mc == CURLM_OK)
			mc = curl_multi_poll(multi, NULL, 0, (int)sleep_ms, NULL);
		if (mc != CURLM_OK) {
			fail_unfinished(multi, ts, n, mc);
			return;
		}
	}
}

static int first_failure(struct mint_http_response *res, size_t n, struct mint_err *err)
{
	for (size_t i = 0; i < n; i++) {
		if (res[i].rc) {
			if (err)
				*err = res[i].err;
			return res[i].rc;
		}
	}
	return 0;
}

int mint_http_get_many(const struct mint_http_request *reqs, size_t n,
		       const struct mint_http_options *o, struct mint_http_response *res,
		       struct mint_err *err)
{
	struct mint_http_options defaults;
	if (!o) {
		mint_http_options_default(&defaults);
		o = &defaults;
	}
	memset(res, 0, n * sizeof(*res));
	if (n == 0)
		return 0;
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK)
		return mint_err_set(err, MINT_EIO, "libcurl: %s", curl_easy_strerror(global_rc));
	struct transfer *ts = calloc(n, sizeof(*ts));
	CURLM *multi = curl_multi_init();
	if (!ts || !multi) {
		free(ts);
		if (multi)
			curl_multi_cleanup(multi);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		size_t max = reqs[i].max_bytes;
		ts[i] = (struct transfer){ .req = &reqs[i], .res = &res[i], .opt = o,
					   .max_bytes = max && max < o->max_bytes ? max : o->max_bytes };
		res[i].rc = check_url(reqs[i].url, &res[i].err);
		if (res[i].rc)
			ts[i].state = T_DONE;
	}
	run_transfers(multi, ts, n, o->max_parallel ? o->max_parallel : 1);
	for (size_t i = 0; i < n; i++) {
		if (ts[i].easy)
			curl_easy_cleanup(ts[i].easy);
		curl_slist_free_all(ts[i].headers);
	}
	curl_multi_cleanup(multi);
	free(ts);
	return first_failure(res, n, err);
}

int mint_http_get(const struct mint_http_request *req, const struct mint_http_options *o,
		  struct mint_http_response *res, struct mint_err *err)
{
	return mint_http_get_many(req, 1, o, res, err);
}
