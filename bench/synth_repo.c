/* SPDX-License-Identifier: Apache-2.0 */
/* A synthetic, signed local apk repository for image benchmarks (see synth_repo.h). */
#include "synth_repo.h"

#include <errno.h>
#include <math.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/apk_index.h"
#include "mint/buf.h"
#include "mint/deflate.h"
#include "mint/encode.h"
#include "mint/fs.h"
#include "mint/hash.h"
#include "mint/tar.h"

#define KEY_NAME "bench.rsa.pub"
#define MTIME 1700000000
#define LEVEL 6
#define N_OPS 1024
#define N_WORDS 2048
#define DOC_SHARE 5 /* one file in DOC_SHARE is text under usr/share/doc */

/* ---- content ---- */

static uint64_t next_random(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/* An index in [0, n) favouring small values, as opcode and word
 * frequencies do. */
static size_t skewed(uint64_t *s, size_t n)
{
	uint64_t r = next_random(s);
	return (size_t)((((r & 0xffff) * ((r >> 16) & 0xffff)) >> 16) * n >> 16);
}

/* Tables shared by every file: "instructions" of 1..7 bytes and words. */
struct tables {
	unsigned char ops[N_OPS][8];
	unsigned char op_len[N_OPS];
	char words[N_WORDS][12];
	unsigned char word_len[N_WORDS];
};

static void make_tables(struct tables *t, uint64_t seed)
{
	static const char letters[] = "etaoinshrdlucmfwypvbgkqjxz_";
	for (size_t i = 0; i < N_OPS; i++) {
		t->op_len[i] = (unsigned char)(1 + next_random(&seed) % 7);
		for (size_t k = 0; k < 8; k++)
			t->ops[i][k] = (unsigned char)next_random(&seed);
	}
	for (size_t i = 0; i < N_WORDS; i++) {
		size_t len = 2 + next_random(&seed) % 9;
		for (size_t k = 0; k < len; k++)
			t->words[i][k] = letters[skewed(&seed, sizeof(letters) - 1)];
		t->word_len[i] = (unsigned char)len;
	}
}

static void fill_code(const struct tables *t, unsigned char *p, size_t len, uint64_t *s)
{
	size_t at = 0;
	while (at < len) {
		size_t op = skewed(s, N_OPS);
		for (size_t k = 0; k < t->op_len[op] && at < len; k++)
			p[at++] = t->ops[op][k];
		if (next_random(s) % 4)
			continue;
		uint64_t r = next_random(s);
		uint32_t imm = r % 3 ? (uint32_t)(r >> 8) % 256
				     : 0x400000u + (uint32_t)(r >> 12) % (1u << 20);
		for (size_t k = 0; k < 4 && at < len; k++)
			p[at++] = (unsigned char)(imm >> (8 * k));
	}
}

static void fill_text(const struct tables *t, unsigned char *p, size_t len, uint64_t *s)
{
	size_t at = 0, col = 0;
	while (at < len) {
		size_t w = skewed(s, N_WORDS);
		for (size_t k = 0; k < t->word_len[w] && at < len; k++)
			p[at++] = (unsigned char)t->words[w][k];
		col += t->word_len[w] + 1u;
		if (at < len)
			p[at++] = col > 72 ? '\n' : ' ';
		if (col > 72)
			col = 0;
	}
}

static void fill_random(unsigned char *p, size_t len, uint64_t *s)
{
	for (size_t at = 0; at < len; at += 8) {
		uint64_t r = next_random(s);
		memcpy(p + at, &r, len - at < 8 ? len - at : 8);
	}
}

/* A binary: mostly code, some string tables, compressed or random data and
 * zero padding, in runs of 4..68 KiB. */
static void fill_binary(const struct tables *t, unsigned char *p, size_t len, uint64_t *s)
{
	size_t at = 0;
	while (at < len) {
		size_t run = (4u << 10) + next_random(s) % (64u << 10);
		size_t n = run < len - at ? run : len - at;
		unsigned kind = (unsigned)(next_random(s) % 100);
		if (kind < 74)
			fill_code(t, p + at, n, s);
		else if (kind < 86)
			fill_text(t, p + at, n, s);
		else if (kind < 92)
			fill_random(p + at, n, s);
		else
			memset(p + at, 0, n);
		at += n;
	}
}

/* ---- writing tars into buffers ---- */

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	if (mint_buf_append(ctx, data, len))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

static int tar_add(struct mint_tar_writer *w, const char *name, enum mint_tar_type type,
		   const void *content, size_t len, const char *link, struct mint_err *err)
{
	struct mint_tar_entry e = {
		.name = (char *)name, .type = type, .link_target = (char *)link,
		.mode = type == MINT_TAR_REG ? 0644 : 0755, .size = len, .mtime = MTIME,
		.uname = "root", .gname = "root",
	};
	if (type == MINT_TAR_REG || type == MINT_TAR_SYMLINK) {
		unsigned char d[MINT_HASH_MAX_BYTES];
		const void *hashed = type == MINT_TAR_REG ? content : link;
		size_t hashed_len = type == MINT_TAR_REG ? len : strlen(link);
		if (mint_hash_bytes(MINT_HASH_SHA1, hashed, hashed_len, d))
			return mint_err_set(err, MINT_ENOMEM, "SHA-1 failed");
		e.has_apk_sha1 = true;
		memcpy(e.apk_sha1, d, 20);
	}
	return mint_tar_write_entry(w, &e, content, err);
}

/* ---- one package ---- */

struct pkg_parts {
	struct mint_buf data_tar, data_gz, control_tar, control_gz, scratch, name;
	uint64_t content_bytes;
	unsigned entries;
};

static void free_parts(struct pkg_parts *p)
{
	mint_buf_free(&p->data_tar);
	mint_buf_free(&p->data_gz);
	mint_buf_free(&p->control_tar);
	mint_buf_free(&p->control_gz);
	mint_buf_free(&p->scratch);
	mint_buf_free(&p->name);
}

/* File sizes log-uniform over three decades, scaled to the package's share. */
static void file_sizes(size_t *sizes, unsigned n, uint64_t total, uint64_t *s)
{
	double *w = malloc(n * sizeof(*w)), sum = 0;
	if (!w) {
		memset(sizes, 0, n * sizeof(*sizes));
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		w[i] = exp((double)(next_random(s) % 10000) / 10000.0 * log(1000.0));
		sum += w[i];
	}
	uint64_t given = 0;
	for (unsigned i = 0; i < n; i++) {
		sizes[i] = (size_t)((double)total * w[i] / sum);
		given += sizes[i];
	}
	if (n && given < total)
		sizes[n - 1] += (size_t)(total - given);
	free(w);
}

static int add_files(struct mint_tar_writer *w, struct pkg_parts *p, const struct tables *t,
		     unsigned pkg, const size_t *sizes, unsigned n, bool docs, uint64_t *s,
		     struct mint_err *err)
{
	int rc = 0;
	for (unsigned i = 0; !rc && i < n; i++) {
		if ((i % DOC_SHARE == DOC_SHARE - 1) != docs)
			continue;
		mint_buf_reset(&p->name);
		mint_buf_reset(&p->scratch);
		const char *fmt = docs ? "usr/share/doc/synth-%03u/note%04u.txt"
				       : "usr/lib/synth-%03u/libpart%04u.so";
		rc = mint_buf_printf(&p->name, fmt, pkg, i);
		unsigned char *at = rc ? NULL
				       : (unsigned char *)mint_buf_grow(&p->scratch, sizes[i]);
		if (!at)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		if (docs)
			fill_text(t, at, sizes[i], s);
		else
			fill_binary(t, at, sizes[i], s);
		rc = tar_add(w, p->name.data, MINT_TAR_REG, at, sizes[i], NULL, err);
		p->content_bytes += sizes[i];
		p->entries++;
	}
	return rc;
}

static int add_dir(struct mint_tar_writer *w, struct pkg_parts *p, const char *fmt, unsigned pkg,
		   struct mint_err *err)
{
	mint_buf_reset(&p->name);
	if (mint_buf_printf(&p->name, fmt, pkg))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	p->entries++;
	return tar_add(w, p->name.data, MINT_TAR_DIR, NULL, 0, NULL, err);
}

/* The data tar in melange's lexical order: usr/bin's link into the
 * package's library directory, the libraries, then the docs. */
static int data_tar(struct pkg_parts *p, const struct tables *t, unsigned pkg,
		    const struct synth_repo_spec *spec, struct mint_err *err)
{
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = &p->data_tar };
	unsigned n = spec->files_per_package ? spec->files_per_package : 1;
	uint64_t s = ((uint64_t)spec->seed << 32 | pkg) * 0x9e3779b97f4a7c15ull | 1;
	size_t *sizes = malloc(n * sizeof(*sizes));
	char link[64], target[64];
	if (!sizes)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	file_sizes(sizes, n, spec->content_bytes / (spec->n_packages ? spec->n_packages : 1), &s);
	snprintf(link, sizeof(link), "usr/bin/synth-%03u", pkg);
	snprintf(target, sizeof(target), "../lib/synth-%03u/libpart0000.so", pkg);
	int rc = add_dir(&w, p, "usr", pkg, err);
	if (!rc)
		rc = add_dir(&w, p, "usr/bin", pkg, err);
	if (!rc && !(rc = tar_add(&w, link, MINT_TAR_SYMLINK, NULL, 0, target, err)))
		p->entries++;
	if (!rc)
		rc = add_dir(&w, p, "usr/lib", pkg, err);
	if (!rc)
		rc = add_dir(&w, p, "usr/lib/synth-%03u", pkg, err);
	if (!rc)
		rc = add_files(&w, p, t, pkg, sizes, n, false, &s, err);
	if (!rc)
		rc = add_dir(&w, p, "usr/share", pkg, err);
	if (!rc)
		rc = add_dir(&w, p, "usr/share/doc", pkg, err);
	if (!rc)
		rc = add_dir(&w, p, "usr/share/doc/synth-%03u", pkg, err);
	if (!rc)
		rc = add_files(&w, p, t, pkg, sizes, n, true, &s, err);
	if (!rc)
		rc = mint_tar_write_end(&w, err);
	free(sizes);
	return rc;
}

static int sha256_hex(const void *data, size_t len, char hex[65], struct mint_err *err)
{
	unsigned char d[MINT_HASH_MAX_BYTES];
	if (mint_hash_bytes(MINT_HASH_SHA256, data, len, d))
		return mint_err_set(err, MINT_ENOMEM, "SHA-256 failed");
	mint_hex_encode(d, 32, hex);
	return 0;
}

/* .PKGINFO (melange's key order, datahash last) in a control tar without
 * end-of-archive blocks, as apk packages carry it. */
static int control_member(struct pkg_parts *p, const struct mint_apk_pkg *rec,
			  struct mint_err *err)
{
	char datahash[65];
	struct mint_buf info = MINT_BUF_INIT;
	int rc = sha256_hex(p->data_gz.data, p->data_gz.len, datahash, err);
	if (!rc && mint_buf_printf(&info,
				   "# Generated by mint's image benchmark\npkgname = %s\n"
				   "pkgver = %s\narch = x86_64\nsize = %llu\norigin = %s\n"
				   "pkgdesc = %s\nurl = %s\nbuilddate = %d\nlicense = %s\n"
				   "datahash = %s\n",
				   rec->name, rec->version, (unsigned long long)rec->installed_size,
				   rec->origin, rec->description, rec->url, MTIME, rec->license,
				   datahash))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = &p->control_tar };
	if (!rc)
		rc = tar_add(&w, ".PKGINFO", MINT_TAR_REG, info.data, info.len, NULL, err);
	if (!rc)
		rc = mint_gzip_compress(p->control_tar.data, p->control_tar.len, 1, LEVEL,
					&p->control_gz, err);
	mint_buf_free(&info);
	return rc;
}

static char *dup_printf(const char *fmt, unsigned a)
{
	char tmp[128];
	snprintf(tmp, sizeof(tmp), fmt, a);
	return strdup(tmp);
}

static int fill_record(struct mint_apk_pkg *rec, unsigned pkg)
{
	memset(rec, 0, sizeof(*rec));
	rec->name = dup_printf("synth-%03u", pkg);
	rec->version = dup_printf("1.%u.0-r0", pkg % 7);
	rec->arch = strdup("x86_64");
	rec->description = strdup("synthetic package for image benchmarks");
	rec->url = strdup("https://example.org/synthetic");
	rec->license = strdup("Apache-2.0");
	rec->origin = strdup(rec->name ? rec->name : "");
	rec->has_build_time = true;
	rec->build_time = MTIME;
	rec->has_file_size = rec->has_installed_size = true;
	bool ok = rec->name && rec->version && rec->arch && rec->description && rec->url &&
		  rec->license && rec->origin;
	return ok ? 0 : MINT_ENOMEM;
}

static int identity_of(const struct mint_buf *control_gz, struct mint_apk_pkg *rec,
		       struct mint_err *err)
{
	unsigned char d[MINT_HASH_MAX_BYTES];
	char text[40] = "Q1";
	if (mint_hash_bytes(MINT_HASH_SHA1, control_gz->data, control_gz->len, d))
		return mint_err_set(err, MINT_ENOMEM, "SHA-1 failed");
	mint_base64_encode(d, 20, text + 2);
	rec->identity = strdup(text);
	return rec->identity ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
}

static int write_package(const char *arch_dir, unsigned pkg, const struct tables *t,
			 const struct synth_repo_spec *spec, struct mint_apk_pkg *rec,
			 struct synth_repo_stats *stats, struct mint_err *err)
{
	struct pkg_parts p = { MINT_BUF_INIT, MINT_BUF_INIT, MINT_BUF_INIT, MINT_BUF_INIT,
			       MINT_BUF_INIT, MINT_BUF_INIT, 0, 0 };
	struct mint_buf path = MINT_BUF_INIT, file = MINT_BUF_INIT;
	int rc = fill_record(rec, pkg) ? mint_err_set(err, MINT_ENOMEM, "out of memory") : 0;
	if (!rc)
		rc = data_tar(&p, t, pkg, spec, err);
	if (!rc)
		rc = mint_gzip_compress(p.data_tar.data, p.data_tar.len, 0, LEVEL, &p.data_gz, err);
	rec->installed_size = p.content_bytes;
	if (!rc)
		rc = control_member(&p, rec, err);
	if (!rc)
		rc = identity_of(&p.control_gz, rec, err);
	if (!rc && (mint_buf_append(&file, p.control_gz.data, p.control_gz.len) ||
		    mint_buf_append(&file, p.data_gz.data, p.data_gz.len) ||
		    mint_buf_printf(&path, "%s/%s-%s.apk", arch_dir, rec->name, rec->version)))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	rec->file_size = file.len;
	if (!rc)
		rc = mint_file_write_atomic(path.data, file.data, file.len, 0644, err);
	stats->content_bytes += p.content_bytes;
	stats->apk_bytes += file.len;
	stats->entries += p.entries;
	free_parts(&p);
	mint_buf_free(&path);
	mint_buf_free(&file);
	return rc;
}

/* ---- the signed index ---- */

static int sign_sha256(EVP_PKEY *key, const struct mint_buf *data, struct mint_buf *sig,
		       struct mint_err *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = 0;
	int rc = ctx && EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) == 1 &&
			 EVP_DigestSign(ctx, NULL, &n, (const unsigned char *)data->data,
					data->len) == 1 ? 0 : -1;
	unsigned char *at = rc ? NULL : (unsigned char *)mint_buf_grow(sig, n);
	if (!at || EVP_DigestSign(ctx, at, &n, (const unsigned char *)data->data, data->len) != 1)
		rc = mint_err_set(err, MINT_ESIGNATURE, "cannot sign the index");
	else
		sig->len = n;
	EVP_MD_CTX_free(ctx);
	return rc;
}

/* [.SIGN.RSA256.<key> member][gzip of the tar APKINDEX + DESCRIPTION], the
 * signature over the second member's compressed bytes. */
static int write_index(const char *arch_dir, const struct mint_apk_index *idx, EVP_PKEY *key,
		       struct mint_err *err)
{
	struct mint_buf text = MINT_BUF_INIT, tar = MINT_BUF_INIT, gz = MINT_BUF_INIT;
	struct mint_buf sig = MINT_BUF_INIT, sig_tar = MINT_BUF_INIT, file = MINT_BUF_INIT;
	struct mint_buf path = MINT_BUF_INIT;
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = &tar };
	struct mint_tar_writer sw = { .sink = buf_sink, .ctx = &sig_tar };
	int rc = mint_apk_index_write_text(idx, &text);
	if (rc)
		mint_err_set(err, rc, "cannot write the index text");
	if (!rc)
		rc = tar_add(&w, "APKINDEX", MINT_TAR_REG, text.data, text.len, NULL, err);
	if (!rc)
		rc = tar_add(&w, "DESCRIPTION", MINT_TAR_REG, "", 0, NULL, err);
	if (!rc)
		rc = mint_tar_write_end(&w, err);
	if (!rc)
		rc = mint_gzip_compress(tar.data, tar.len, 1, LEVEL, &gz, err);
	if (!rc)
		rc = sign_sha256(key, &gz, &sig, err);
	if (!rc)
		rc = tar_add(&sw, ".SIGN.RSA256." KEY_NAME, MINT_TAR_REG, sig.data, sig.len, NULL,
			     err);
	if (!rc)
		rc = mint_gzip_compress(sig_tar.data, sig_tar.len, 1, LEVEL, &file, err);
	if (!rc && (mint_buf_append(&file, gz.data, gz.len) ||
		    mint_buf_printf(&path, "%s/APKINDEX.tar.gz", arch_dir)))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc)
		rc = mint_file_write_atomic(path.data, file.data, file.len, 0644, err);
	struct mint_buf *all[] = { &text, &tar, &gz, &sig, &sig_tar, &file, &path };
	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++)
		mint_buf_free(all[i]);
	return rc;
}

static int write_public_key(const char *dir, EVP_PKEY *key, struct mint_err *err)
{
	struct mint_buf path = MINT_BUF_INIT;
	BIO *bio = BIO_new(BIO_s_mem());
	char *pem = NULL;
	long len = bio && PEM_write_bio_PUBKEY(bio, key) ? BIO_get_mem_data(bio, &pem) : 0;
	int rc = len > 0 && !mint_buf_printf(&path, "%s/" KEY_NAME, dir)
			 ? mint_file_write_atomic(path.data, pem, (size_t)len, 0644, err)
			 : mint_err_set(err, MINT_ENOMEM, "cannot write the public key");
	BIO_free(bio);
	mint_buf_free(&path);
	return rc;
}

static int write_config(const char *dir, const struct mint_apk_index *idx, struct mint_err *err)
{
	struct mint_buf y = MINT_BUF_INIT, path = MINT_BUF_INIT;
	int bad = mint_buf_printf(&y, "contents:\n  keyring:\n    - %s/" KEY_NAME "\n"
				  "  repositories:\n    - %s/repo\n  packages:\n", dir, dir);
	for (size_t i = 0; !bad && i < idx->n; i++)
		bad = mint_buf_printf(&y, "    - %s\n", idx->pkgs[i].name);
	if (!bad)
		bad = mint_buf_puts(&y, "archs:\n  - x86_64\n") ||
		      mint_buf_printf(&path, "%s/image.yaml", dir);
	int rc = bad ? mint_err_set(err, MINT_ENOMEM, "out of memory")
		     : mint_file_write_atomic(path.data, y.data, y.len, 0644, err);
	mint_buf_free(&y);
	mint_buf_free(&path);
	return rc;
}

static int make_dirs(const char *dir, struct mint_buf *arch_dir, struct mint_err *err)
{
	struct mint_buf repo = MINT_BUF_INIT;
	int rc = mint_buf_printf(&repo, "%s/repo", dir) ||
			 mint_buf_printf(arch_dir, "%s/repo/x86_64", dir)
		 ? MINT_ENOMEM : 0;
	if (rc)
		mint_err_set(err, rc, "out of memory");
	else if ((mkdir(repo.data, 0755) && errno != EEXIST) ||
		 (mkdir(arch_dir->data, 0755) && errno != EEXIST))
		rc = mint_err_set(err, MINT_EIO, "cannot create %s: %s", arch_dir->data,
				  strerror(errno));
	mint_buf_free(&repo);
	return rc;
}

int synth_repo_write(const char *dir, const struct synth_repo_spec *spec,
		     struct synth_repo_stats *stats, struct mint_err *err)
{
	struct mint_apk_index idx = { 0 };
	struct mint_buf arch_dir = MINT_BUF_INIT;
	struct tables *t = malloc(sizeof(*t));
	EVP_PKEY *key = EVP_RSA_gen(2048);
	memset(stats, 0, sizeof(*stats));
	idx.pkgs = calloc(spec->n_packages ? spec->n_packages : 1, sizeof(*idx.pkgs));
	int rc = t && key && idx.pkgs ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc) {
		make_tables(t, 0x5eed0000u + spec->seed);
		rc = make_dirs(dir, &arch_dir, err);
	}
	for (unsigned i = 0; !rc && i < spec->n_packages; i++, idx.n++)
		rc = write_package(arch_dir.data, i, t, spec, &idx.pkgs[i], stats, err);
	if (!rc)
		rc = write_index(arch_dir.data, &idx, key, err);
	if (!rc)
		rc = write_public_key(dir, key, err);
	if (!rc)
		rc = write_config(dir, &idx, err);
	for (size_t i = 0; idx.pkgs && i <= idx.n && i < spec->n_packages; i++)
		mint_apk_pkg_free(&idx.pkgs[i]);
	free(idx.pkgs);
	idx.pkgs = NULL;
	mint_buf_free(&arch_dir);
	EVP_PKEY_free(key);
	free(t);
	return rc;
}
