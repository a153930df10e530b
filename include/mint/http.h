/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Downloads into memory over libcurl: http://, https:// and file:// URLs
 * through one API, one request or many at once (run concurrently on one
 * curl multi handle, each with its own result).
 *
 * What every request gets: TLS verification (always on; a private CA can be
 * added with ca_file), redirects followed up to a bound and never to another
 * scheme than http(s) (https only when the request was https), connect and
 * total timeouts, a response size limit that stops the download
 * (MINT_ELIMIT), and retries with exponential backoff on connection errors,
 * timeouts, HTTP 429 and 5xx. A request may carry a known ETag; a 304 answer
 * is then "not modified" with an empty body. The response's ETag is returned
 * when it is safe to send back (see mint_http_etag_valid).
 *
 * Not here: uploads, methods other than GET, cookies, authentication.
 */
#ifndef MINT_HTTP_H
#define MINT_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "mint/buf.h"
#include "mint/err.h"
#include "mint/span.h"

/* Longest ETag mint keeps and sends back. */
#define MINT_HTTP_ETAG_MAX 512

struct mint_http_options {
	long connect_timeout_ms; /* per attempt */
	long timeout_ms;         /* whole transfer, per attempt; 0: none */
	unsigned max_redirects;
	size_t max_bytes;        /* response body limit */
	unsigned retries;        /* attempts after the first */
	long backoff_base_ms;    /* attempt k+1 waits base * 2^(k-1) ... */
	long backoff_max_ms;     /* ... but never longer than this */
	unsigned max_parallel;   /* transfers running at once in mint_http_get_many */
	const char *ca_file;     /* extra trusted CA bundle (PEM), or NULL */
};

/* 15 s connect, 10 min total, 10 redirects, 1 GiB, 3 retries backing off
 * from 500 ms up to 30 s, 8 transfers at once, the system CA store. */
void mint_http_options_default(struct mint_http_options *o);

struct mint_http_request {
	const char *url;
	const char *etag; /* sent as If-None-Match when not NULL */
	size_t max_bytes; /* a tighter body limit than the options', or 0 */
};

struct mint_http_response {
	int rc;               /* 0 or a MINT_E* code; err says more */
	struct mint_err err;  /* err.file is the URL */
	long status;          /* final HTTP status; 0 for file:// or no answer */
	bool not_modified;    /* 304 to an If-None-Match: body is empty */
	struct mint_buf body;
	char *etag;           /* the answer's ETag, or NULL */
	unsigned attempts;
};

/*
 * Runs n requests, at most o->max_parallel at a time (o NULL: defaults), and
 * fills res[i] for reqs[i]. Returns 0 when every request succeeded (200, a
 * file that was read, or a 304 to an If-None-Match); otherwise the code of
 * the first failed request in reqs order, with its error copied to err.
 * Codes: MINT_ENOTFOUND (HTTP 404/410, missing file), MINT_ELIMIT (body over
 * max_bytes), MINT_EINVAL (bad URL), MINT_EUNSUPPORTED (scheme), MINT_EIO
 * (anything else: HTTP status, connection error, timeout, TLS), MINT_ENOMEM.
 * Free every res[i] with mint_http_response_free, also on failure.
 */
int mint_http_get_many(const struct mint_http_request *reqs, size_t n,
		       const struct mint_http_options *o, struct mint_http_response *res,
		       struct mint_err *err);
/* One request. */
int mint_http_get(const struct mint_http_request *req, const struct mint_http_options *o,
		  struct mint_http_response *res, struct mint_err *err);
void mint_http_response_free(struct mint_http_response *r);

/*
 * Header parsing (exposed for the fuzzer and the cache).
 * mint_http_header_value: for one raw header line ("Name: value\r\n"), true
 * when its name equals name (ASCII case-insensitive); *value gets the value
 * without surrounding blanks and line end.
 * mint_http_etag_valid: 1 to MINT_HTTP_ETAG_MAX bytes, none of them a
 * control character, space or DEL, so it cannot break the header it is
 * sent back in. Quoted or not: some servers send bare ETags.
 */
bool mint_http_header_value(struct mint_span line, const char *name, struct mint_span *value);
bool mint_http_etag_valid(struct mint_span etag);

#endif
