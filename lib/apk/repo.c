/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Repository strings, the locations of their files, and loading the indexes
 * of a list of repositories into one list of packages (see mint/apk_repo.h).
 * Downloading and caching are mint/apk_cache.h's; this file only names
 * things and sorts the records.
 */
#include "mint/apk_repo.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mint/apk_cache.h"
#include "mint/apk_index_file.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool has_control(struct mint_span s)
{
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.ptr[i] < 0x20 || s.ptr[i] == 0x7f)
			return true;
	return false;
}

/* RFC 3986 pchar, less pct-encoded: what may stand unescaped in a path segment. */
static bool is_pchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c && strchr("-._~!$&'()*+,;=:@", c);
}

static int append_encoded(struct mint_buf *b, struct mint_span s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		int rc;
		if (is_pchar(c) || (keep_slash && c == '/')) {
			rc = mint_buf_putc(b, (char)c);
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
			rc = mint_buf_append(b, esc, 3);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Length of "scheme" when s starts with "scheme://", else 0. */
static size_t scheme_len(struct mint_span s)
{
	size_t i = 0;
	while (i < s.len && ((s.ptr[i] >= 'a' && s.ptr[i] <= 'z') ||
			     (s.ptr[i] >= 'A' && s.ptr[i] <= 'Z') ||
			     (i > 0 && ((s.ptr[i] >= '0' && s.ptr[i] <= '9') ||
					strchr("+.-", s.ptr[i])))))
		i++;
	if (i == 0 || !mint_span_starts_with(mint_span_skip(s, i), "://"))
		return 0;
	return i;
}

static bool scheme_is(struct mint_span s, size_t len, const char *name)
{
	return len == strlen(name) && !strncasecmp(s.ptr, name, len);
}

static int directory_url(struct mint_span dir, struct mint_buf *url)
{
	int rc = mint_buf_puts(url, "file://");
	if (!rc && dir.ptr[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		if (!cwd)
			return MINT_EIO;
		rc = append_encoded(url, mint_span_str(cwd), true);
		free(cwd);
		if (!rc && (url->len == 0 || url->data[url->len - 1] != '/'))
			rc = mint_buf_putc(url, '/');
	}
	if (!rc)
		rc = append_encoded(url, dir, true);
	return rc;
}

/* Fills spec, url and local from the location part of a repository string. */
static int parse_location(struct mint_span loc, struct mint_apk_repo *out, struct mint_err *err)
{
	if (has_control(loc) || mint_span_find(loc, ' ') >= 0)
		return mint_err_set(err, MINT_EINVAL,
				    "repository location has a blank or control character");
	size_t sl = scheme_len(loc);
	size_t keep = sl ? sl + 3 : 1; /* "scheme://" or a lone "/" stays */
	while (loc.len > keep && loc.ptr[loc.len - 1] == '/')
		loc.len--;
	struct mint_buf url = MINT_BUF_INIT;
	int rc = 0;
	if (sl && !scheme_is(loc, sl, "http") && !scheme_is(loc, sl, "https") &&
	    !scheme_is(loc, sl, "file"))
		return mint_err_set(err, MINT_EUNSUPPORTED,
				    "repository '%.*s': unsupported scheme (http, https and file are)",
				    (int)(loc.len > 200 ? 200 : loc.len), loc.ptr);
	if (sl && !scheme_is(loc, sl, "file") && loc.len == sl + 3)
		return mint_err_set(err, MINT_EINVAL, "repository '%.*s': no host", (int)loc.len,
				    loc.ptr);
	out->local = !sl || scheme_is(loc, sl, "file");
	out->spec = mint_span_dup(loc);
	if (!out->spec)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (sl)
		rc = mint_buf_append_span(&url, loc);
	else
		rc = directory_url(loc, &url);
	if (rc) {
		mint_buf_free(&url);
		return mint_err_set(err, rc, rc == MINT_EIO ? "cannot get the current directory"
							    : "out of memory");
	}
	out->url = mint_buf_detach(&url, NULL);
	return 0;
}

int mint_apk_repo_parse(struct mint_span text, struct mint_apk_repo *out, struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	struct mint_span s = mint_span_trim(text);
	int rc = 0;
	if (s.len && s.ptr[0] == '@') {
		size_t end = 1;
		while (end < s.len && !is_blank(s.ptr[end]))
			end++;
		struct mint_span tag = MINT_SPAN(s.ptr + 1, end - 1);
		s = mint_span_trim(mint_span_skip(s, end));
		if (!tag.len)
			return mint_err_set(err, MINT_EINVAL, "repository tag after '@' is empty");
		if (has_control(tag))
			return mint_err_set(err, MINT_EINVAL, "repository tag has a control character");
		if (!s.len)
			return mint_err_set(err, MINT_EINVAL, "repository tag @%.*s has no location",
					    (int)(tag.len > 200 ? 200 : tag.len), tag.ptr);
		out->tag = mint_span_dup(tag);
		if (!out->tag)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	if (!s.len)
		rc = mint_err_set(err, MINT_EINVAL, "empty repository");
	else
		rc = parse_location(s, out, err);
	if (rc)
		mint_apk_repo_free(out);
	return rc;
}

void mint_apk_repo_free(struct mint_apk_repo *r)
{
	free(r->tag);
	free(r->spec);
	free(r->url);
	memset(r, 0, sizeof(*r));
}

static char *dup_or_null(const char *s, bool *failed)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	*failed |= !d;
	return d;
}

int mint_apk_repo_copy(const struct mint_apk_repo *r, struct mint_apk_repo *out)
{
	bool failed = false;
	out->tag = dup_or_null(r->tag, &failed);
	out->spec = dup_or_null(r->spec, &failed);
	out->url = dup_or_null(r->url, &failed);
	out->local = r->local;
	if (failed) {
		mint_apk_repo_free(out);
		return MINT_ENOMEM;
	}
	return 0;
}

static int check_segment(const char *what, const char *s, struct mint_err *err)
{
	if (!s || !*s)
		return mint_err_set(err, MINT_EINVAL, "empty %s", what);
	if (strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, ".."))
		return mint_err_set(err, MINT_EINVAL, "%s '%.200s' cannot be a file name", what, s);
	return 0;
}

static int arch_dir_url(const struct mint_apk_repo *r, const char *arch, struct mint_buf *out)
{
	mint_buf_reset(out);
	int rc = mint_buf_puts(out, r->url);
	if (!rc)
		rc = mint_buf_putc(out, '/');
	if (!rc)
		rc = append_encoded(out, mint_span_str(arch), false);
	if (!rc)
		rc = mint_buf_putc(out, '/');
	return rc;
}

int mint_apk_repo_index_url(const struct mint_apk_repo *r, const char *arch,
			    struct mint_buf *out, struct mint_err *err)
{
	int rc = check_segment("architecture", arch, err);
	if (rc)
		return rc;
	rc = arch_dir_url(r, arch, out);
	if (!rc)
		rc = mint_buf_puts(out, "APKINDEX.tar.gz");
	return rc ? mint_err_set(err, rc, "out of memory") : 0;
}

int mint_apk_repo_package_url(const struct mint_apk_repo *r, const char *arch, const char *name,
			      const char *version, struct mint_buf *out, struct mint_err *err)
{
	int rc = check_segment("architecture", arch, err);
	if (!rc)
		rc = check_segment("package name", name, err);
	if (!rc)
		rc = check_segment("package version", version, err);
	if (rc)
		return rc;
	rc = arch_dir_url(r, arch, out);
	if (!rc)
		rc = append_encoded(out, mint_span_str(name), false);
	if (!rc)
		rc = mint_buf_putc(out, '-');
	if (!rc)
		rc = append_encoded(out, mint_span_str(version), false);
	if (!rc)
		rc = mint_buf_puts(out, ".apk");
	return rc ? mint_err_set(err, rc, "out of memory") : 0;
}

bool mint_apk_repo_arch_matches(const char *pkg_arch, const char *arch)
{
	return !pkg_arch || !strcmp(pkg_arch, "noarch") || !strcmp(pkg_arch, arch);
}

/* Moves the records of f that match set->arch into set->pkgs. */
static int take_records(struct mint_apk_repo_set *set, size_t repo_i,
			struct mint_apk_index_file *f, struct mint_err *err)
{
	struct mint_apk_loaded_repo *lr = &set->repos[repo_i];
	struct mint_buf url = MINT_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < f->index.n && !rc; i++) {
		struct mint_apk_pkg *p = &f->index.pkgs[i];
		if (!mint_apk_repo_arch_matches(p->arch, set->arch))
			continue;
		rc = mint_apk_repo_package_url(&lr->repo, set->arch, p->name, p->version, &url, err);
		if (rc) {
			mint_err_set_file(err, lr->index_url);
			mint_err_prefix(err, "record %zu", i + 1);
			break;
		}
		struct mint_apk_repo_pkg *rp = &set->pkgs[set->n++];
		rp->pkg = *p;
		memset(p, 0, sizeof(*p));
		rp->repo = &lr->repo;
		rp->url = mint_buf_detach(&url, NULL);
	}
	/* The moved records point into the index's arena: it moves with them. */
	lr->arena = f->index.arena;
	f->index.arena.head = NULL;
	mint_buf_free(&url);
	return rc;
}

static int prepare_repos(struct mint_apk_repo_set *set, const struct mint_apk_repo *repos,
			 size_t n, const char *arch, struct mint_err *err)
{
	set->arch = strdup(arch);
	set->repos = calloc(n ? n : 1, sizeof(*set->repos));
	if (!set->arch || !set->repos)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	set->n_repos = n;
	struct mint_buf url = MINT_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (mint_apk_repo_copy(&repos[i], &set->repos[i].repo))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		int rc = mint_apk_repo_index_url(&repos[i], arch, &url, err);
		if (rc)
			return rc;
		set->repos[i].index_url = mint_buf_detach(&url, NULL);
	}
	return 0;
}

int mint_apk_repo_set_load(struct mint_apk_repo_set *set, const struct mint_apk_repo *repos,
			   size_t n, const char *arch, struct mint_apk_cache *cache,
			   const struct mint_apk_keyring *kr, unsigned flags, struct mint_err *err)
{
	memset(set, 0, sizeof(*set));
	if (!cache)
		return mint_err_set(err, MINT_EINVAL, "loading repositories needs a cache");
	const char **urls = calloc(n ? n : 1, sizeof(*urls));
	struct mint_apk_index_file *files = calloc(n ? n : 1, sizeof(*files));
	int rc = 0;
	if (!urls || !files) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	rc = prepare_repos(set, repos, n, arch, err);
	if (rc)
		goto out;
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		urls[i] = set->repos[i].index_url;
	rc = mint_apk_cache_get_indexes(cache, urls, n, kr, flags, files, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < n; i++)
		total += files[i].index.n;
	set->pkgs = calloc(total ? total : 1, sizeof(*set->pkgs));
	if (!set->pkgs) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		set->repos[i].trust = files[i].trust;
		set->repos[i].description = files[i].index.description;
		files[i].index.description = NULL;
		rc = take_records(set, i, &files[i], err);
	}
out:
	for (size_t i = 0; files && i < n; i++)
		mint_apk_index_file_free(&files[i]);
	free(files);
	free(urls);
	if (rc)
		mint_apk_repo_set_free(set);
	return rc;
}

void mint_apk_repo_set_free(struct mint_apk_repo_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		mint_apk_pkg_free(&set->pkgs[i].pkg);
		free(set->pkgs[i].url);
	}
	free(set->pkgs);
	for (size_t i = 0; set->repos && i < set->n_repos; i++) {
		mint_apk_repo_free(&set->repos[i].repo);
		free(set->repos[i].index_url);
		mint_arena_free(&set->repos[i].arena);
		free(set->repos[i].description);
	}
	free(set->repos);
	free(set->arch);
	memset(set, 0, sizeof(*set));
}
