/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apko lock entries (mint/image_lock.h): what apko records for a package
 * file, a repository and a key, the check of downloaded bytes against an
 * entry, and releasing a lock. The JSON text is lib/image/lock_json.c.
 */
#include <stdlib.h>
#include <string.h>

#include "mint/encode.h"
#include "mint/hash.h"
#include "mint/image_lock.h"

#define SHA1_BYTES 20
#define SHA256_BYTES 32

void mint_lock_package_free(struct mint_lock_package *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->url);
	free(p->version);
	free(p->architecture);
	memset(p, 0, sizeof(*p));
}

void mint_lock_key_free(struct mint_lock_key *k)
{
	if (!k)
		return;
	free(k->name);
	free(k->url);
	free(k->content);
	memset(k, 0, sizeof(*k));
}

void mint_lock_repo_free(struct mint_lock_repo *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->url);
	free(r->architecture);
	memset(r, 0, sizeof(*r));
}

static void free_repos(struct mint_lock_repo *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mint_lock_repo_free(&r[i]);
	free(r);
}

void mint_lock_free(struct mint_lock *l)
{
	if (!l)
		return;
	free(l->config_name);
	for (size_t i = 0; i < l->n_keyring; i++)
		mint_lock_key_free(&l->keyring[i]);
	free(l->keyring);
	free_repos(l->build_repositories, l->n_build_repositories);
	free_repos(l->runtime_repositories, l->n_runtime_repositories);
	free_repos(l->repositories, l->n_repositories);
	for (size_t i = 0; i < l->n_packages; i++)
		mint_lock_package_free(&l->packages[i]);
	free(l->packages);
	memset(l, 0, sizeof(*l));
}

/* "<prefix><base64 of n bytes>", n such that the text fits 64 bytes. */
static void encode_checksum(const char *prefix, const unsigned char *digest, size_t n,
			    char out[64])
{
	size_t plen = strlen(prefix);
	memcpy(out, prefix, plen);
	mint_base64_encode(digest, n, out + plen);
}

/* Decodes "<prefix><base64>" that must carry exactly want bytes. */
static int decode_prefixed(const char *text, const char *prefix, size_t want,
			   unsigned char *digest)
{
	size_t plen = strlen(prefix), got = 0;
	if (strncmp(text, prefix, plen))
		return MINT_EFORMAT;
	struct mint_span b64 = mint_span_str(text + plen);
	if (mint_base64_decode(b64, digest, MINT_HASH_MAX_BYTES, &got) || got != want)
		return MINT_EFORMAT;
	return 0;
}

int mint_lock_checksum_decode(const char *checksum, enum mint_hash_alg *alg,
			      unsigned char digest[MINT_HASH_MAX_BYTES])
{
	if (!checksum)
		return MINT_EFORMAT;
	if (!decode_prefixed(checksum, "sha1-", SHA1_BYTES, digest)) {
		*alg = MINT_HASH_SHA1;
		return 0;
	}
	if (!decode_prefixed(checksum, "sha256-", SHA256_BYTES, digest)) {
		*alg = MINT_HASH_SHA256;
		return 0;
	}
	return MINT_EFORMAT;
}

int mint_lock_identity_decode(const char *identity, unsigned char sha1[MINT_HASH_MAX_BYTES])
{
	if (!identity)
		return MINT_EFORMAT;
	return decode_prefixed(identity, "Q1", SHA1_BYTES, sha1);
}

/* --- The entry of one package file -------------------------------------- */

static int dup_or_fail(const char *s, char **out, const char *what, struct mint_err *err)
{
	if (!s)
		return mint_err_set(err, MINT_EINVAL, "package has no %s", what);
	*out = strdup(s);
	return *out ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
}

/* apko's ranges say where each member starts by the sizes of the ones
 * before it, so the members must be back to back and fill the file. */
static int check_members_contiguous(const struct mint_apk_package *pkg, size_t file_len,
				    struct mint_err *err)
{
	const struct mint_apk_range *s = &pkg->sig_member, *c = &pkg->control_member,
				    *d = &pkg->data_member;
	if (pkg->file_size != file_len)
		return mint_err_set(err, MINT_EINVAL,
				    "package was read from %llu bytes, the file given has %zu",
				    (unsigned long long)pkg->file_size, file_len);
	if (!c->size || !d->size)
		return mint_err_set(err, MINT_EINVAL, "package has no %s member",
				    c->size ? "data" : "control");
	if ((s->size && s->offset != 0) || c->offset != s->size ||
	    d->offset != c->offset + c->size || d->offset + d->size != file_len)
		return mint_err_set(err, MINT_EUNSUPPORTED,
				    "package members are not back to back from offset 0 to the "
				    "end of the file, which a lock range cannot express");
	return 0;
}

static void set_range(struct mint_lock_range *r, const struct mint_apk_range *m)
{
	r->first = m->offset;
	r->last = m->offset + m->size - 1;
}

static int member_checksums(const struct mint_apk_package *pkg, struct mint_span file,
			    struct mint_lock_package *out, struct mint_err *err)
{
	unsigned char d[MINT_HASH_MAX_BYTES];
	const struct mint_apk_range *s = &pkg->sig_member, *c = &pkg->control_member;
	if (s->size) {
		if (mint_hash_bytes(MINT_HASH_SHA1, file.ptr + s->offset, s->size, d))
			return mint_err_set(err, MINT_ENOMEM, "out of memory hashing");
		set_range(&out->signature, s);
		encode_checksum("sha1-", d, SHA1_BYTES, out->signature.checksum);
	}
	/* The reader hashed the control and data members; re-hashing the small
	 * control member catches a file that is not the one pkg was read from. */
	if (mint_hash_bytes(MINT_HASH_SHA1, file.ptr + c->offset, c->size, d))
		return mint_err_set(err, MINT_ENOMEM, "out of memory hashing");
	if (memcmp(d, pkg->identity_sha1, SHA1_BYTES))
		return mint_err_set(err, MINT_EINVAL,
				    "the file's control member is not the one package %s was read from",
				    pkg->identity);
	set_range(&out->control, c);
	encode_checksum("sha1-", pkg->identity_sha1, SHA1_BYTES, out->control.checksum);
	set_range(&out->data, &pkg->data_member);
	encode_checksum("sha256-", pkg->data_sha256, SHA256_BYTES, out->data.checksum);
	return 0;
}

int mint_lock_package_from(const struct mint_apk_package *pkg, struct mint_span file,
			   const char *url, const char *arch, struct mint_lock_package *out,
			   struct mint_err *err)
{
	int rc;
	if (!out)
		return mint_err_set(err, MINT_EINVAL, "no lock entry to fill");
	memset(out, 0, sizeof(*out));
	if (!pkg || (!file.ptr && file.len))
		return mint_err_set(err, MINT_EINVAL, "no package given");
	if ((rc = check_members_contiguous(pkg, file.len, err)) ||
	    (rc = member_checksums(pkg, file, out, err)) ||
	    (rc = dup_or_fail(pkg->info.name, &out->name, "name", err)) ||
	    (rc = dup_or_fail(pkg->info.version, &out->version, "version", err)) ||
	    (rc = dup_or_fail(url, &out->url, "URL", err)) ||
	    (rc = dup_or_fail(arch ? arch : pkg->info.arch, &out->architecture, "arch", err)))
		goto out;
	if (strlen(pkg->identity) >= sizeof(out->checksum)) {
		rc = mint_err_set(err, MINT_EINVAL, "package identity is too long");
		goto out;
	}
	strcpy(out->checksum, pkg->identity);
out:
	if (rc)
		mint_lock_package_free(out);
	return rc;
}

size_t mint_lock_packages_for_arch(const struct mint_lock *l, const char *arch,
				   const struct mint_lock_package **out, size_t cap)
{
	size_t n = 0;
	if (!l || !arch)
		return 0;
	for (size_t i = 0; i < l->n_packages; i++) {
		const struct mint_lock_package *p = &l->packages[i];
		if (!p->architecture || strcmp(p->architecture, arch))
			continue;
		if (n < cap)
			out[n] = p;
		n++;
	}
	return n;
}

/* --- Checking downloaded bytes against an entry ------------------------- */

struct member_check {
	const struct mint_lock_package *e;
	struct mint_span file;
	uint64_t next; /* where the next member must start */
	unsigned char control_sha1[MINT_HASH_MAX_BYTES];
};

static const char *entry_name(const struct mint_lock_package *e)
{
	return e->name ? e->name : "(unnamed)";
}

static int member_digest(struct member_check *c, const struct mint_lock_range *r,
			 enum mint_hash_alg alg, unsigned char d[MINT_HASH_MAX_BYTES],
			 struct mint_err *err)
{
	const char *p = c->file.ptr + r->first;
	if (mint_hash_bytes(alg, p, (size_t)(r->last - r->first + 1), d))
		return mint_err_set(err, MINT_ENOMEM, "out of memory hashing");
	return 0;
}

static int check_member(struct member_check *c, const char *what,
			const struct mint_lock_range *r, struct mint_err *err)
{
	enum mint_hash_alg alg;
	unsigned char want[MINT_HASH_MAX_BYTES], got[MINT_HASH_MAX_BYTES];
	int rc;
	if (mint_lock_checksum_decode(r->checksum, &alg, want))
		return mint_err_set(err, MINT_EFORMAT, "package %s: %s checksum \"%s\" is not "
				    "sha1-<base64> or sha256-<base64>", entry_name(c->e), what,
				    r->checksum);
	if (r->first != c->next || r->last < r->first)
		return mint_err_set(err, MINT_EFORMAT, "package %s: %s range bytes=%llu-%llu "
				    "does not start at byte %llu, after the member before it",
				    entry_name(c->e), what, (unsigned long long)r->first,
				    (unsigned long long)r->last, (unsigned long long)c->next);
	if (r->last >= c->file.len) {
		mint_err_set_offset(err, c->file.len);
		return mint_err_set(err, MINT_EINTEGRITY, "package %s: the file has %zu bytes, "
				    "the %s range ends at byte %llu", entry_name(c->e),
				    c->file.len, what, (unsigned long long)r->last);
	}
	if ((rc = member_digest(c, r, alg, got, err)))
		return rc;
	if (memcmp(want, got, mint_hash_len(alg))) {
		char text[64];
		encode_checksum(alg == MINT_HASH_SHA1 ? "sha1-" : "sha256-", got,
				mint_hash_len(alg), text);
		mint_err_set_offset(err, r->first);
		return mint_err_set(err, MINT_EINTEGRITY, "package %s: %s member is %s, the lock "
				    "says %s", entry_name(c->e), what, text, r->checksum);
	}
	c->next = r->last + 1;
	return 0;
}

static int check_identity(struct member_check *c, struct mint_err *err)
{
	const struct mint_lock_package *e = c->e;
	unsigned char want[MINT_HASH_MAX_BYTES], got[MINT_HASH_MAX_BYTES];
	char text[64];
	if (!e->checksum[0])
		return 0;
	if (mint_lock_identity_decode(e->checksum, want))
		return mint_err_set(err, MINT_EFORMAT, "package %s: checksum \"%s\" is not "
				    "Q1<base64 SHA-1>", entry_name(e), e->checksum);
	int rc = member_digest(c, &e->control, MINT_HASH_SHA1, got, err);
	if (rc)
		return rc;
	if (!memcmp(want, got, SHA1_BYTES))
		return 0;
	encode_checksum("Q1", got, SHA1_BYTES, text);
	return mint_err_set(err, MINT_EINTEGRITY, "package %s: identity is %s, the lock says %s",
			    entry_name(e), text, e->checksum);
}

int mint_lock_verify_package(const struct mint_lock_package *e, struct mint_span file,
			     struct mint_err *err)
{
	struct member_check c = { e, file, 0, { 0 } };
	int rc;
	if (!e || (!file.ptr && file.len))
		return mint_err_set(err, MINT_EINVAL, "no lock entry or file given");
	if (e->signature.checksum[0] && (rc = check_member(&c, "signature", &e->signature, err)))
		goto out;
	if ((rc = check_member(&c, "control", &e->control, err)) ||
	    (rc = check_member(&c, "data", &e->data, err)))
		goto out;
	if (c.next != file.len) {
		mint_err_set_offset(err, c.next);
		rc = mint_err_set(err, MINT_EINTEGRITY, "package %s: the file has %zu bytes, the "
				  "lock ranges cover %llu", entry_name(e), file.len,
				  (unsigned long long)c.next);
		goto out;
	}
	rc = check_identity(&c, err);
out:
	if (rc)
		mint_err_set_file(err, e ? e->url : NULL);
	return rc;
}

/* --- Repository and key entries ----------------------------------------- */

/* apko's stripURLScheme: https:// first, then http://. */
static const char *strip_scheme(const char *s)
{
	if (!strncmp(s, "https://", 8))
		s += 8;
	if (!strncmp(s, "http://", 7))
		s += 7;
	return s;
}

/* apko's RemoveLabel: while the text starts with '@', drop through the
 * first space. */
static int remove_tags(const char *s, const char **out, const char *repo, struct mint_err *err)
{
	while (*s == '@') {
		const char *sp = strchr(s, ' ');
		if (!sp)
			return mint_err_set(err, MINT_EFORMAT, "repository \"%s\" has a tag but no "
					    "URL (expected \"@tag URL\")", repo);
		s = sp + 1;
	}
	*out = s;
	return 0;
}

static char *join3(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s = malloc(la + lb + lc + 1);
	if (!s)
		return NULL;
	memcpy(s, a, la);
	memcpy(s + la, b, lb);
	memcpy(s + la + lb, c, lc + 1);
	return s;
}

int mint_lock_repo_for(const char *repo, const char *arch, struct mint_lock_repo *out,
		       struct mint_err *err)
{
	const char *name = NULL, *url = NULL;
	char *uri = NULL, *index = NULL;
	int rc;
	if (!out)
		return mint_err_set(err, MINT_EINVAL, "no repository entry to fill");
	memset(out, 0, sizeof(*out));
	if (!repo || !*repo || !arch || !*arch)
		return mint_err_set(err, MINT_EINVAL, "repository entry needs a repository and an arch");
	uri = join3(repo, "/", arch);
	index = uri ? join3(uri, "/", "APKINDEX.tar.gz") : NULL;
	if (!index) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	/* apko strips the scheme before it removes the tags, so a tagged
	 * https repository keeps its scheme in the name. */
	if ((rc = remove_tags(strip_scheme(uri), &name, repo, err)) ||
	    (rc = remove_tags(index, &url, repo, err)))
		goto out;
	out->name = strdup(name);
	out->url = strdup(url);
	out->architecture = strdup(arch);
	if (!out->name || !out->url || !out->architecture)
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
out:
	free(uri);
	free(index);
	if (rc)
		mint_lock_repo_free(out);
	return rc;
}

int mint_lock_key_for(const char *key, struct mint_span pem, struct mint_lock_key *out,
		      struct mint_err *err)
{
	if (!out)
		return mint_err_set(err, MINT_EINVAL, "no key entry to fill");
	memset(out, 0, sizeof(*out));
	if (!key || !*key || (!pem.ptr && pem.len))
		return mint_err_set(err, MINT_EINVAL, "key entry needs a key and its bytes");
	if (pem.len && memchr(pem.ptr, '\0', pem.len))
		return mint_err_set(err, MINT_EFORMAT, "key %s contains a NUL byte", key);
	out->name = strdup(strip_scheme(key));
	out->url = strdup(key);
	out->content = mint_span_dup(pem);
	if (!out->name || !out->url || !out->content) {
		mint_lock_key_free(out);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	return 0;
}

static int key_name_cmp(const struct mint_lock_key *a, const struct mint_lock_key *b)
{
	return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

void mint_lock_sort_keyring(struct mint_lock *l)
{
	/* Insertion sort: stable, and keyrings are short. */
	for (size_t i = 1; l && i < l->n_keyring; i++) {
		struct mint_lock_key k = l->keyring[i];
		size_t j = i;
		for (; j > 0 && key_name_cmp(&l->keyring[j - 1], &k) > 0; j--)
			l->keyring[j] = l->keyring[j - 1];
		l->keyring[j] = k;
	}
}
