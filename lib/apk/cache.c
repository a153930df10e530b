/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The download cache for indexes and packages (see mint/apk_cache.h).
 *
 * Both entry points work in three steps: look at what the cache holds
 * (verifying it, and deleting what fails), download what is missing or must
 * be revalidated in one parallel batch, then verify and store the answers.
 * A cache entry is only ever handed on after it verified in this run.
 */
#include "mint/apk_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/encode.h"
#include "mint/fs.h"
#include "mint/hash.h"

int mint_cache_default_dir(struct mint_buf *out, struct mint_err *err)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int rc;
	mint_buf_reset(out);
	if (xdg && xdg[0] == '/')
		rc = mint_buf_printf(out, "%s/mint", xdg);
	else if (home && home[0])
		rc = mint_buf_printf(out, "%s/.cache/mint", home);
	else
		return mint_err_set(err, MINT_EINVAL,
				    "no cache directory: neither XDG_CACHE_HOME nor HOME is set");
	return rc ? mint_err_set(err, rc, "out of memory") : 0;
}

int mint_apk_cache_open(struct mint_apk_cache *c, const char *root, struct mint_err *err)
{
	memset(c, 0, sizeof(*c));
	mint_http_options_default(&c->http);
	mint_apk_limits_default(&c->limits);
	struct mint_buf path = MINT_BUF_INIT;
	int rc = root ? mint_buf_puts(&path, root) : mint_cache_default_dir(&path, err);
	if (rc) {
		mint_buf_free(&path);
		return root ? mint_err_set(err, rc, "out of memory") : rc;
	}
	c->root = mint_buf_detach(&path, NULL);
	const char *subdirs[] = { "apk/indexes", "apk/packages" };
	for (size_t i = 0; i < 2 && !rc; i++) {
		rc = mint_buf_printf(&path, "%s/%s", c->root, subdirs[i]);
		rc = rc ? mint_err_set(err, rc, "out of memory") : mint_mkdir_p(mint_buf_cstr(&path), 0755, err);
		mint_buf_reset(&path);
	}
	mint_buf_free(&path);
	if (rc)
		mint_apk_cache_close(c);
	return rc;
}

void mint_apk_cache_close(struct mint_apk_cache *c)
{
	free(c->root);
	c->root = NULL;
}

static int index_path_ext(const struct mint_apk_cache *c, const char *url, const char *ext,
			  struct mint_buf *out, struct mint_err *err)
{
	unsigned char digest[MINT_HASH_MAX_BYTES];
	char hex[2 * 32 + 1];
	if (mint_hash_bytes(MINT_HASH_SHA256, url, strlen(url), digest))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	mint_hex_encode(digest, 32, hex);
	mint_buf_reset(out);
	if (mint_buf_printf(out, "%s/apk/indexes/%s%s", c->root, hex, ext))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

int mint_apk_cache_index_path(const struct mint_apk_cache *c, const char *url,
			      struct mint_buf *out, struct mint_err *err)
{
	return index_path_ext(c, url, ".tar.gz", out, err);
}

int mint_apk_cache_package_path(const struct mint_apk_cache *c, const char *identity,
				struct mint_buf *out, struct mint_err *err)
{
	unsigned char sha1[20];
	size_t len = 0;
	char hex[41];
	struct mint_span id = mint_span_str(identity ? identity : "");
	if (!mint_span_starts_with(id, "Q1") ||
	    mint_base64_decode(mint_span_skip(id, 2), sha1, sizeof(sha1), &len) || len != 20)
		return mint_err_set(err, MINT_EFORMAT, "'%.100s' is not a Q1 package identity",
				    identity ? identity : "");
	mint_hex_encode(sha1, 20, hex);
	mint_buf_reset(out);
	if (mint_buf_printf(out, "%s/apk/packages/%s.apk", c->root, hex))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

/* Reads a cache entry; false when it is absent or unreadable. */
static bool read_entry(const char *path, size_t max_bytes, struct mint_buf *out)
{
	struct stat st;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return false;
	return mint_file_read(path, max_bytes, out, NULL) == 0;
}

static int store_entry(const char *path, struct mint_span bytes, struct mint_err *err)
{
	return mint_file_write_atomic(path, bytes.ptr, bytes.len, 0644, err);
}

/* ---- indexes ---- */

static int verify_index(struct mint_span bytes, const char *name,
			const struct mint_apk_keyring *kr, unsigned flags,
			const struct mint_apk_limits *limits, struct mint_apk_index_file *out,
			struct mint_err *err)
{
	unsigned read_flags = (flags & MINT_APK_REPO_ALLOW_UNTRUSTED) ? 0 : MINT_APK_REQUIRE_TRUST;
	int rc = mint_apk_index_file_read_mem(bytes, kr, limits, read_flags, out, err);
	if (!rc && out->trust == MINT_APK_TRUST_BAD) {
		rc = mint_err_set(err, MINT_ESIGNATURE, "%s", out->trust_detail);
		mint_apk_index_file_free(out);
	}
	if (rc)
		mint_err_set_file(err, name);
	return rc;
}

struct index_job {
	const char *url;
	bool local;
	struct mint_buf path, etag_path;
	bool have_cached;
	struct mint_apk_index_file cached;
	char *etag;        /* of the cached copy */
	long request;      /* into the request list, or -1 */
};

static void index_job_free(struct index_job *j)
{
	mint_buf_free(&j->path);
	mint_buf_free(&j->etag_path);
	mint_apk_index_file_free(&j->cached);
	free(j->etag);
}

static char *read_etag(const char *path)
{
	struct mint_buf b = MINT_BUF_INIT;
	char *etag = NULL;
	if (read_entry(path, MINT_HTTP_ETAG_MAX + 2, &b)) {
		struct mint_span s = mint_span_trim(mint_buf_span(&b));
		if (mint_http_etag_valid(s))
			etag = mint_span_dup(s);
	}
	mint_buf_free(&b);
	return etag;
}

static void discard_index(struct mint_apk_cache *c, struct index_job *j)
{
	unlink(mint_buf_cstr(&j->etag_path));
	unlink(mint_buf_cstr(&j->path));
	c->stats.entries_discarded++;
}

/* Loads and verifies the cached copy of a remote index, if there is one;
 * a copy that does not verify is deleted. */
static void load_cached_index(struct mint_apk_cache *c, struct index_job *j,
			      const struct mint_apk_keyring *kr, unsigned flags)
{
	struct mint_buf bytes = MINT_BUF_INIT;
	if (read_entry(mint_buf_cstr(&j->path), c->limits.max_file_bytes, &bytes)) {
		if (verify_index(mint_buf_span(&bytes), j->url, kr, flags, &c->limits, &j->cached,
				 NULL) == 0) {
			j->have_cached = true;
			j->etag = read_etag(mint_buf_cstr(&j->etag_path));
		} else {
			discard_index(c, j);
		}
	}
	mint_buf_free(&bytes);
}

static int plan_index(struct mint_apk_cache *c, struct index_job *j, const char *url,
		      const struct mint_apk_keyring *kr, unsigned flags,
		      struct mint_http_request *reqs, size_t *n_req, struct mint_err *err)
{
	j->url = url;
	j->request = -1;
	j->local = !strncasecmp(url, "file://", 7);
	if (!j->local) {
		int rc = mint_apk_cache_index_path(c, url, &j->path, err);
		if (!rc)
			rc = index_path_ext(c, url, ".etag", &j->etag_path, err);
		if (rc)
			return rc;
		load_cached_index(c, j, kr, flags);
		if (c->offline && j->have_cached)
			return 0;
		if (c->offline) {
			mint_err_set_file(err, url);
			return mint_err_set(err, MINT_ENOTFOUND,
					    "offline, and this index is not in the cache");
		}
	}
	j->request = (long)*n_req;
	reqs[(*n_req)++] = (struct mint_http_request){ .url = url, .etag = j->etag };
	return 0;
}

static int store_index(struct index_job *j, struct mint_span bytes, const char *etag,
		       struct mint_err *err)
{
	/* The old ETag is removed first, so that a crash before the new one
	 * is written leaves no ETag beside a body it does not describe (the
	 * next run then downloads the index again). */
	unlink(mint_buf_cstr(&j->etag_path));
	int rc = store_entry(mint_buf_cstr(&j->path), bytes, err);
	if (!rc && etag)
		rc = store_entry(mint_buf_cstr(&j->etag_path), mint_span_str(etag), err);
	return rc;
}

static void take_index(struct mint_apk_index_file *dst, struct mint_apk_index_file *src)
{
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

static int finish_index(struct mint_apk_cache *c, struct index_job *j,
			struct mint_http_response *res, const struct mint_apk_keyring *kr,
			unsigned flags, struct mint_apk_index_file *out, struct mint_err *err)
{
	if (!res) {
		c->stats.indexes_offline++;
		take_index(out, &j->cached);
		return 0;
	}
	if (res->rc) {
		if (err)
			*err = res->err;
		return res->rc;
	}
	if (res->not_modified) {
		c->stats.indexes_not_modified++;
		take_index(out, &j->cached);
		return 0;
	}
	int rc = verify_index(mint_buf_span(&res->body), j->url, kr, flags, &c->limits, out, err);
	if (rc)
		return rc;
	if (j->local) {
		c->stats.indexes_local++;
		return 0;
	}
	rc = store_index(j, mint_buf_span(&res->body), res->etag, err);
	if (!rc)
		c->stats.indexes_downloaded++;
	return rc;
}

int mint_apk_cache_get_indexes(struct mint_apk_cache *c, const char *const *urls, size_t n,
			       const struct mint_apk_keyring *kr, unsigned flags,
			       struct mint_apk_index_file *out, struct mint_err *err)
{
	memset(out, 0, n * sizeof(*out));
	size_t cap = n ? n : 1, n_req = 0;
	struct index_job *jobs = calloc(cap, sizeof(*jobs));
	struct mint_http_request *reqs = calloc(cap, sizeof(*reqs));
	struct mint_http_response *res = calloc(cap, sizeof(*res));
	int rc = 0;
	if (!jobs || !reqs || !res) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = plan_index(c, &jobs[i], urls[i], kr, flags, reqs, &n_req, err);
	if (rc)
		goto out;
	struct mint_http_options http = c->http;
	if (http.max_bytes > c->limits.max_file_bytes)
		http.max_bytes = (size_t)c->limits.max_file_bytes;
	mint_http_get_many(reqs, n_req, &http, res, NULL);
	for (size_t i = 0; i < n && !rc; i++) {
		struct mint_http_response *r = jobs[i].request < 0 ? NULL : &res[jobs[i].request];
		rc = finish_index(c, &jobs[i], r, kr, flags, &out[i], err);
	}
out:
	for (size_t i = 0; res && i < n_req; i++)
		mint_http_response_free(&res[i]);
	for (size_t i = 0; jobs && i < n; i++)
		index_job_free(&jobs[i]);
	for (size_t i = 0; rc && i < n; i++)
		mint_apk_index_file_free(&out[i]);
	free(jobs);
	free(reqs);
	free(res);
	return rc;
}

/* ---- packages ---- */

static bool str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Checks a parsed package against its index record: identity, trust of a
 * legacy package, name and version. */
static int check_parsed(const struct mint_apk_package *p, const struct mint_apk_pkg *record,
			struct mint_err *err)
{
	if (strcmp(p->identity, record->identity))
		return mint_err_set(err, MINT_EINTEGRITY,
				    "identity %s does not match the index's %.100s", p->identity,
				    record->identity);
	if (!p->info.datahash && p->trust != MINT_APK_TRUST_VERIFIED)
		return mint_err_set(err, MINT_EINTEGRITY,
				    "legacy package without datahash, and its signature is not "
				    "trusted: %s", p->trust_detail);
	if (!str_eq(p->info.name, record->name) || !str_eq(p->info.version, record->version))
		return mint_err_set(err, MINT_EINTEGRITY,
				    ".PKGINFO names %.100s-%.100s, the index %.100s-%.100s",
				    p->info.name ? p->info.name : "?",
				    p->info.version ? p->info.version : "?",
				    record->name ? record->name : "?",
				    record->version ? record->version : "?");
	return 0;
}

/* The checks that need only the record and the file's size. */
static int check_record_and_size(size_t file_len, const struct mint_apk_pkg *record,
				 struct mint_err *err)
{
	if (!record->identity)
		return mint_err_set(err, MINT_EINVAL, "the index record of %.100s has no C: identity",
				    record->name ? record->name : "?");
	if (record->has_file_size && record->file_size && record->file_size != file_len)
		return mint_err_set(err, MINT_EINTEGRITY, "package is %zu bytes, the index says %llu",
				    file_len, (unsigned long long)record->file_size);
	return 0;
}

/* Parses file into out and checks it against record; out is zeroed on failure. */
static int read_verified(struct mint_span file, const struct mint_apk_pkg *record,
			 const struct mint_apk_keyring *kr, const struct mint_apk_limits *limits,
			 const struct mint_apk_data_sink *sink, struct mint_apk_package *out,
			 struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	int rc = check_record_and_size(file.len, record, err);
	if (!rc)
		rc = mint_apk_package_read_mem_ex(file, kr, limits, 0, sink, out, err);
	if (rc)
		return rc;
	rc = check_parsed(out, record, err);
	if (rc)
		mint_apk_package_free(out);
	return rc;
}

int mint_apk_cache_verify_package(struct mint_span file, const struct mint_apk_pkg *record,
				  const struct mint_apk_keyring *kr,
				  const struct mint_apk_limits *limits, struct mint_err *err)
{
	struct mint_apk_package p;
	int rc = read_verified(file, record, kr, limits, NULL, &p, err);
	if (!rc)
		mint_apk_package_free(&p);
	return rc;
}

/* A cached package read whole into pages of its own, so that unmapping
 * gives them back to the system at once: a heap buffer of several MiB,
 * freed by each of a few reader threads in turn, stays in the process
 * (glibc raises its mmap threshold after such a free), and the peak RSS of
 * a build then grows with the number of packages. */
struct cached_file {
	unsigned char *data;
	size_t len, mapped;
};

static void cached_file_free(struct cached_file *f)
{
	if (f->mapped)
		munmap(f->data, f->mapped);
	memset(f, 0, sizeof(*f));
}

static int read_into(int fd, struct cached_file *f, size_t want, const char *path,
		     struct mint_err *err)
{
	while (f->len < want) {
		ssize_t n = read(fd, f->data + f->len, want - f->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			mint_err_set_file(err, path);
			return mint_err_set(err, MINT_EIO, "cannot read: %s", strerror(errno));
		}
		if (n == 0)
			break; /* it shrank: the checks that follow see what is there */
		f->len += (size_t)n;
	}
	return 0;
}

static int read_cached_file(const char *path, uint64_t max_bytes, struct cached_file *f,
			    struct mint_err *err)
{
	struct stat st;
	memset(f, 0, sizeof(*f));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		mint_err_set_file(err, path);
		return mint_err_set(err, MINT_ENOTFOUND, "the package is not in the cache");
	}
	int rc = 0;
	if ((uint64_t)st.st_size > max_bytes || (uint64_t)st.st_size >= SIZE_MAX) {
		mint_err_set_file(err, path);
		rc = mint_err_set(err, MINT_ELIMIT, "file is larger than the limit of %llu bytes",
				  (unsigned long long)max_bytes);
	} else if (st.st_size > 0) {
		size_t size = (size_t)st.st_size;
		f->data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (f->data == MAP_FAILED) {
			f->data = NULL;
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory reading %s", path);
		} else {
			f->mapped = size;
			rc = read_into(fd, f, size, path, err);
		}
	}
	close(fd);
	if (rc)
		cached_file_free(f);
	return rc;
}

int mint_apk_cache_read_package(struct mint_apk_cache *c, const struct mint_apk_repo_pkg *rp,
				const struct mint_apk_keyring *kr, struct mint_apk_package *out,
				char **path_out, struct mint_err *err)
{
	return mint_apk_cache_read_package_ex(c, rp, kr, NULL, out, path_out, err);
}

/* The caller's sink, noting whether it failed: a sink that cannot write
 * says nothing about the cache entry, which is then kept. */
struct watched_sink {
	const struct mint_apk_data_sink *inner;
	bool failed;
};

static int watched_sink_write(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	struct watched_sink *w = ctx;
	int rc = w->inner->write(w->inner->ctx, data, len, err);
	if (rc)
		w->failed = true;
	return rc;
}

int mint_apk_cache_read_package_ex(struct mint_apk_cache *c, const struct mint_apk_repo_pkg *rp,
				   const struct mint_apk_keyring *kr,
				   const struct mint_apk_data_sink *sink,
				   struct mint_apk_package *out, char **path_out,
				   struct mint_err *err)
{
	struct mint_buf path = MINT_BUF_INIT;
	struct cached_file bytes = { 0 };
	struct watched_sink watched = { sink, false };
	struct mint_apk_data_sink watching = { watched_sink_write, &watched };
	memset(out, 0, sizeof(*out));
	if (path_out)
		*path_out = NULL;
	int rc = mint_apk_cache_package_path(c, rp->pkg.identity, &path, err);
	if (rc)
		goto out;
	rc = read_cached_file(mint_buf_cstr(&path), c->limits.max_file_bytes, &bytes, err);
	if (rc)
		goto out;
	rc = read_verified(MINT_SPAN(bytes.data, bytes.len), &rp->pkg, kr, &c->limits,
			   sink ? &watching : NULL, out, err);
	if (rc && rc != MINT_ENOMEM && !watched.failed) {
		unlink(mint_buf_cstr(&path));
		mint_err_set_file(err, mint_buf_cstr(&path));
		mint_err_prefix(err, "cache entry of %s-%s deleted",
				rp->pkg.name ? rp->pkg.name : "?",
				rp->pkg.version ? rp->pkg.version : "?");
	}
	if (rc)
		goto out;
	if (path_out && !(*path_out = mint_buf_detach(&path, NULL))) {
		mint_apk_package_free(out);
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
out:
	mint_buf_free(&path);
	cached_file_free(&bytes);
	return rc;
}

struct pkg_job {
	const struct mint_apk_repo_pkg *rp;
	struct mint_buf path;
	bool missing;
};

static int check_file_name_part(const char *what, const char *s, struct mint_err *err)
{
	if (!s || !*s || strchr(s, '/'))
		return mint_err_set(err, MINT_EINVAL, "%s '%.100s' cannot be part of a file name",
				    what, s ? s : "");
	return 0;
}

static int copy_out(const char *out_dir, const struct mint_apk_pkg *p, struct mint_span bytes,
		    struct mint_err *err)
{
	if (!out_dir)
		return 0;
	struct mint_buf path = MINT_BUF_INIT;
	int rc = mint_buf_printf(&path, "%s/%s-%s.apk", out_dir, p->name, p->version);
	rc = rc ? mint_err_set(err, rc, "out of memory")
		: store_entry(mint_buf_cstr(&path), bytes, err);
	mint_buf_free(&path);
	return rc;
}

/* A verified cache hit is copied out; anything else is deleted and marked missing. */
static int use_cached_package(struct mint_apk_cache *c, struct pkg_job *j,
			      const struct mint_apk_keyring *kr, const char *out_dir,
			      struct mint_err *err)
{
	struct mint_buf bytes = MINT_BUF_INIT;
	const char *path = mint_buf_cstr(&j->path);
	int rc = 0;
	j->missing = true;
	if (read_entry(path, c->limits.max_file_bytes, &bytes)) {
		if (mint_apk_cache_verify_package(mint_buf_span(&bytes), &j->rp->pkg, kr, &c->limits,
						  NULL) == 0) {
			j->missing = false;
			c->stats.packages_cached++;
			rc = copy_out(out_dir, &j->rp->pkg, mint_buf_span(&bytes), err);
		} else {
			unlink(path);
			c->stats.entries_discarded++;
		}
	}
	mint_buf_free(&bytes);
	return rc;
}

static int plan_package(struct mint_apk_cache *c, struct pkg_job *j,
			const struct mint_apk_repo_pkg *rp, struct mint_err *err)
{
	j->rp = rp;
	int rc = check_file_name_part("package name", rp->pkg.name, err);
	if (!rc)
		rc = check_file_name_part("package version", rp->pkg.version, err);
	if (!rc && !rp->url)
		rc = mint_err_set(err, MINT_EINVAL, "package %s-%s has no URL", rp->pkg.name,
				  rp->pkg.version);
	if (!rc && !rp->pkg.identity)
		rc = mint_err_set(err, MINT_EINVAL, "the index record of %s-%s has no C: identity",
				  rp->pkg.name, rp->pkg.version);
	if (!rc)
		rc = mint_apk_cache_package_path(c, rp->pkg.identity, &j->path, err);
	return rc;
}

static int report_offline_missing(const struct pkg_job *jobs, size_t n, struct mint_err *err)
{
	const struct pkg_job *first = NULL;
	size_t missing = 0;
	for (size_t i = 0; i < n; i++) {
		if (jobs[i].missing && !missing++)
			first = &jobs[i];
	}
	if (!first)
		return 0;
	const struct mint_apk_pkg *p = &first->rp->pkg;
	mint_err_set_file(err, first->rp->url);
	if (missing > 1)
		return mint_err_set(err, MINT_ENOTFOUND,
				    "offline, and package %s-%s (%s) is not in the cache (nor are %zu more)",
				    p->name, p->version, p->identity, missing - 1);
	return mint_err_set(err, MINT_ENOTFOUND, "offline, and package %s-%s (%s) is not in the cache",
			    p->name, p->version, p->identity);
}

static int store_package(struct mint_apk_cache *c, struct pkg_job *j,
			 struct mint_http_response *res, const struct mint_apk_keyring *kr,
			 const char *out_dir, struct mint_err *err)
{
	if (res->rc) {
		if (err)
			*err = res->err;
		return res->rc;
	}
	struct mint_span bytes = mint_buf_span(&res->body);
	int rc = mint_apk_cache_verify_package(bytes, &j->rp->pkg, kr, &c->limits, err);
	if (rc) {
		mint_err_set_file(err, j->rp->url);
		return rc;
	}
	rc = store_entry(mint_buf_cstr(&j->path), bytes, err);
	if (!rc) {
		c->stats.packages_downloaded++;
		rc = copy_out(out_dir, &j->rp->pkg, bytes, err);
	}
	return rc;
}

/* Downloads the missing packages of jobs[0..n) at once; the first failure wins. */
static int download_batch(struct mint_apk_cache *c, struct pkg_job *jobs, size_t n,
			  const struct mint_apk_keyring *kr, const char *out_dir,
			  struct mint_err *err)
{
	struct mint_http_request *reqs = calloc(n, sizeof(*reqs));
	struct mint_http_response *res = calloc(n, sizeof(*res));
	size_t *job_of = calloc(n, sizeof(*job_of));
	size_t n_req = 0;
	int rc = 0;
	if (!reqs || !res || !job_of) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct mint_apk_pkg *p = &jobs[i].rp->pkg;
		if (!jobs[i].missing)
			continue;
		reqs[n_req] = (struct mint_http_request){ .url = jobs[i].rp->url };
		if (p->has_file_size && p->file_size <= SIZE_MAX)
			reqs[n_req].max_bytes = (size_t)p->file_size;
		job_of[n_req++] = i;
	}
	struct mint_http_options http = c->http;
	if (http.max_bytes > c->limits.max_file_bytes)
		http.max_bytes = (size_t)c->limits.max_file_bytes;
	mint_http_get_many(reqs, n_req, &http, res, NULL);
	for (size_t k = 0; k < n_req; k++) {
		struct mint_err one = { 0 };
		int r = store_package(c, &jobs[job_of[k]], &res[k], kr, out_dir, &one);
		if (r && !rc) {
			rc = r;
			if (err)
				*err = one;
		}
	}
out:
	for (size_t k = 0; res && k < n_req; k++)
		mint_http_response_free(&res[k]);
	free(reqs);
	free(res);
	free(job_of);
	return rc;
}

int mint_apk_cache_fetch(struct mint_apk_cache *c, const struct mint_apk_repo_pkg *const *pkgs,
			 size_t n, const struct mint_apk_keyring *kr, const char *out_dir,
			 struct mint_err *err)
{
	struct pkg_job *jobs = calloc(n ? n : 1, sizeof(*jobs));
	int rc = 0;
	if (!jobs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && !rc; i++)
		rc = plan_package(c, &jobs[i], pkgs[i], err);
	if (!rc && out_dir)
		rc = mint_mkdir_p(out_dir, 0755, err);
	for (size_t i = 0; i < n && !rc; i++)
		rc = use_cached_package(c, &jobs[i], kr, out_dir, err);
	if (!rc && c->offline)
		rc = report_offline_missing(jobs, n, err);
	/* Batches of max_parallel bound the memory held by downloaded bodies. */
	size_t batch = c->http.max_parallel ? c->http.max_parallel : 1;
	for (size_t i = 0; i < n && !rc; i += batch)
		rc = download_batch(c, &jobs[i], n - i < batch ? n - i : batch, kr, out_dir, err);
	for (size_t i = 0; i < n; i++)
		mint_buf_free(&jobs[i].path);
	free(jobs);
	return rc;
}
