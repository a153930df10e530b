/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fetch pipeline's download, done by mint on the host (the sandbox has
 * no network): the URI is read (file://, http://, https://), its SHA-256
 * or SHA-512 checked against the recipe's, and only then written into the
 * workspace. A mismatch names both digests and writes nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "build_internal.h"
#include "mint/encode.h"
#include "mint/fs.h"
#include "mint/hash.h"
#include "mint/http.h"

#define FETCH_MAX_BYTES ((size_t)4 << 30)

static int check_digest(const struct mint_build_step *s, struct mint_span body,
			struct mint_err *err)
{
	enum mint_hash_alg alg = s->expected_sha512 ? MINT_HASH_SHA512 : MINT_HASH_SHA256;
	const char *want = s->expected_sha512 ? s->expected_sha512 : s->expected_sha256;
	unsigned char md[MINT_HASH_MAX_BYTES];
	char hex[2 * MINT_HASH_MAX_BYTES + 1];
	size_t len = alg == MINT_HASH_SHA512 ? 64 : 32;
	if (!want)
		return mint_err_set(err, MINT_EINVAL,
				    "%s: fetch of %s needs expected-sha256 or expected-sha512",
				    s->origin, s->uri);
	if (mint_hash_bytes(alg, body.ptr, body.len, md))
		return mint_err_set(err, MINT_ENOMEM, "cannot hash %s", s->uri);
	mint_hex_encode(md, len, hex);
	hex[2 * len] = '\0';
	if (strcasecmp(hex, want))
		return mint_err_set(err, MINT_EINTEGRITY,
				    "%s: %s has %s %s, the recipe expects %s", s->origin, s->uri,
				    alg == MINT_HASH_SHA512 ? "sha512" : "sha256", hex, want);
	return 0;
}

static int remember_source(struct pkg_job *j, const struct mint_build_step *s,
			   struct mint_err *err)
{
	struct mint_pkg_sbom_source *v =
		realloc(j->sources, (j->n_sources + 1) * sizeof(*j->sources));
	if (!v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	j->sources = v;
	struct mint_pkg_sbom_source *src = &v[j->n_sources];
	src->uri = strdup(s->uri);
	src->sha256 = s->expected_sha256 ? strdup(s->expected_sha256) : NULL;
	src->sha512 = s->expected_sha512 ? strdup(s->expected_sha512) : NULL;
	j->n_sources++;
	if (!src->uri)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

static int destination(const struct pkg_job *j, const struct mint_build_step *s,
		       struct mint_buf *out, struct mint_err *err)
{
	struct mint_buf guest = { 0 };
	int rc = mint_buf_printf(&guest, "%s/%s", s->working_directory, s->dest);
	if (rc)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	rc = pkg_guest_to_host(j, guest.data, out, err);
	mint_buf_free(&guest);
	if (rc)
		mint_err_prefix(err, "%s: fetch destination", s->origin);
	return rc;
}

int pkg_fetch(struct pkg_job *j, const struct mint_build_step *s, struct mint_err *err)
{
	struct mint_http_options opts;
	struct mint_http_request req = { .url = s->uri };
	struct mint_http_response res = { 0 };
	struct mint_buf dest = { 0 };
	mint_http_options_default(&opts);
	opts.max_bytes = FETCH_MAX_BYTES;
	pkg_log(j, "fetching %s", s->uri);
	int rc = destination(j, s, &dest, err);
	if (!rc) {
		rc = mint_http_get(&req, &opts, &res, err);
		if (rc)
			mint_err_prefix(err, "%s: fetch", s->origin);
	}
	if (!rc)
		rc = check_digest(s, MINT_SPAN(res.body.data, res.body.len), err);
	if (!rc) {
		const char *slash = strrchr(dest.data, '/');
		struct mint_buf dir = { 0 };
		rc = mint_buf_printf(&dir, "%.*s", (int)(slash - dest.data), dest.data)
			     ? mint_err_set(err, MINT_ENOMEM, "out of memory")
			     : mint_mkdir_p(dir.data, 0755, err);
		mint_buf_free(&dir);
	}
	if (!rc)
		rc = mint_file_write_atomic(dest.data, res.body.data, res.body.len, 0644, err);
	if (!rc)
		rc = remember_source(j, s, err);
	mint_http_response_free(&res);
	mint_buf_free(&dest);
	return rc;
}
