/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apk v2 package reader (see mint/apk_package.h for the contract).
 *
 * The signature and control members are small and bounded, so they are
 * inflated into memory and classified by their first entry, as apk-tools
 * does: a member whose first entry is `.SIGN.*` holds signatures, one whose
 * first entry is another dotfile is the control member. The data member is
 * streamed through the tar reader and never held whole.
 */
#include "mint/apk_package.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_pkginfo.h"
#include "mint/encode.h"
#include "mint/gzip.h"
#include "mint/hash.h"
#include "mint/path.h"

#include "members.h"

void mint_apk_limits_default(struct mint_apk_limits *l)
{
	l->max_file_bytes = (uint64_t)1 << 30;
	l->max_control_bytes = (uint64_t)16 << 20;
	l->max_data_bytes = (uint64_t)4 << 30;
	l->max_ratio = 1030;
	l->max_entries = 1000000;
}

const char *mint_apk_trust_name(enum mint_apk_trust t)
{
	switch (t) {
	case MINT_APK_TRUST_NOT_CHECKED: return "not checked";
	case MINT_APK_TRUST_VERIFIED: return "verified";
	case MINT_APK_TRUST_UNSIGNED: return "unsigned";
	case MINT_APK_TRUST_UNTRUSTED: return "untrusted";
	case MINT_APK_TRUST_BAD: return "bad signature";
	}
	return "?";
}

static const char *const script_names[] = {
	".pre-install", ".post-install", ".pre-deinstall", ".post-deinstall",
	".pre-upgrade", ".post-upgrade", ".trigger",
};

static bool is_script_name(const char *name)
{
	for (size_t i = 0; i < sizeof(script_names) / sizeof(script_names[0]); i++)
		if (!strcmp(name, script_names[i]))
			return true;
	return false;
}

static int take_script(struct mint_apk_package *p, struct apk_small_entry *se, struct mint_err *err)
{
	struct mint_apk_script *grown = realloc(p->scripts, (p->n_scripts + 1) * sizeof(*grown));
	if (!grown)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	p->scripts = grown;
	char *name = strdup(se->name);
	unsigned char *data = malloc(se->content.len + 1);
	if (!name || !data) {
		free(name);
		free(data);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	memcpy(data, se->content.ptr, se->content.len);
	p->scripts[p->n_scripts++] = (struct mint_apk_script){ name, data, se->content.len };
	return 0;
}

static int take_control(struct mint_apk_package *p, struct apk_small_member *m, struct mint_err *err)
{
	const struct apk_small_entry *pkginfo = NULL;
	for (size_t i = 0; i < m->n; i++) {
		struct apk_small_entry *se = &m->entries[i];
		if (se->name[0] != '.' || strchr(se->name, '/'))
			return mint_err_set(err, MINT_EFORMAT,
					    "control member holds data entry '%s' (data must start a new gzip member)",
					    se->name);
		if (!strcmp(se->name, ".INSTALL"))
			return mint_err_set(err, MINT_EUNSUPPORTED,
					    "v1 .INSTALL script is not supported (apk-tools refuses it too)");
		if (apk_is_signature_name(se->name))
			return mint_err_set(err, MINT_EFORMAT,
					    "signature '%s' inside the control member", se->name);
		if (!strcmp(se->name, ".PKGINFO")) {
			if (pkginfo)
				return mint_err_set(err, MINT_EDUPLICATE, "two .PKGINFO entries");
			pkginfo = se;
		} else if (is_script_name(se->name)) {
			int rc = take_script(p, se, err);
			if (rc)
				return rc;
		}
	}
	if (!pkginfo)
		return mint_err_set(err, MINT_EFORMAT, "control member has no .PKGINFO");
	int rc = mint_apk_pkginfo_parse(pkginfo->content, &p->info, err);
	if (rc)
		mint_err_prefix(err, ".PKGINFO");
	return rc;
}

static int compute_identity(struct mint_apk_package *p, struct mint_span file, struct mint_err *err)
{
	unsigned char d[MINT_HASH_MAX_BYTES];
	struct mint_span control = MINT_SPAN(file.ptr + p->control_member.offset,
					     p->control_member.size);
	if (mint_hash_bytes(MINT_HASH_SHA1, control.ptr, control.len, d))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	memcpy(p->identity_sha1, d, 20);
	memcpy(p->identity, "Q1", 2);
	mint_base64_encode(d, 20, p->identity + 2);
	free(p->info.identity);
	p->info.identity = strdup(p->identity);
	return p->info.identity ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
}

static int check_datahash(struct mint_apk_package *p, struct mint_span file, struct mint_err *err)
{
	unsigned char d[MINT_HASH_MAX_BYTES];
	if (mint_hash_bytes(MINT_HASH_SHA256, file.ptr + p->data_member.offset,
			    file.len - p->data_member.offset, d))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	memcpy(p->data_sha256, d, 32);
	if (!p->info.datahash)
		return 0;
	char hex[65];
	mint_hex_encode(d, 32, hex);
	if (strcmp(hex, p->info.datahash)) {
		mint_err_set_offset(err, p->data_member.offset);
		return mint_err_set(err, MINT_EINTEGRITY,
				    "data member does not match .PKGINFO datahash (want %.64s, have %s)",
				    p->info.datahash, hex);
	}
	return 0;
}

static void check_trust(struct mint_apk_package *p, struct mint_span file,
			const struct mint_apk_keyring *kr)
{
	/* With a datahash the control member alone is signed; legacy packages
	 * sign control and data together. */
	uint64_t end = p->info.datahash ? p->control_member.offset + p->control_member.size
					: file.len;
	struct mint_span signed_bytes = MINT_SPAN(file.ptr + p->control_member.offset,
						  end - p->control_member.offset);
	apk_decide_trust(p->sigs, p->n_sigs, kr, signed_bytes, &p->trust, p->trust_detail,
			 sizeof(p->trust_detail));
}

static int copy_xattrs(struct mint_apk_entry *out, const struct mint_tar_entry *e)
{
	if (!e->n_xattrs)
		return 0;
	out->xattrs = calloc(e->n_xattrs, sizeof(*out->xattrs));
	if (!out->xattrs)
		return MINT_ENOMEM;
	for (size_t i = 0; i < e->n_xattrs; i++) {
		struct mint_xattr *x = &out->xattrs[i];
		x->name = strdup(e->xattrs[i].name);
		x->value = malloc(e->xattrs[i].value_len + 1);
		out->n_xattrs++;
		if (!x->name || !x->value)
			return MINT_ENOMEM;
		memcpy(x->value, e->xattrs[i].value, e->xattrs[i].value_len);
		x->value_len = e->xattrs[i].value_len;
	}
	return 0;
}

static void entry_free(struct mint_apk_entry *e)
{
	free(e->path);
	free(e->link_target);
	for (size_t i = 0; i < e->n_xattrs; i++) {
		free(e->xattrs[i].name);
		free(e->xattrs[i].value);
	}
	free(e->xattrs);
}

static int clean_link_target(const struct mint_tar_entry *e, char **out, struct mint_err *err)
{
	if (!e->link_target)
		return 0;
	if (e->type != MINT_TAR_HARDLINK) {
		*out = strdup(e->link_target);
		return *out ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	struct mint_buf clean = MINT_BUF_INIT;
	int rc = mint_path_clean(mint_span_str(e->link_target), false, &clean, err);
	if (rc)
		mint_err_prefix(err, "hardlink '%s' -> '%s'", e->name, e->link_target);
	else
		*out = mint_buf_detach(&clean, NULL);
	mint_buf_free(&clean);
	return rc;
}

static int add_entry(struct mint_apk_package *p, const struct mint_tar_entry *e, char *path,
		     struct mint_err *err)
{
	struct mint_apk_entry *grown = realloc(p->entries, (p->n_entries + 1) * sizeof(*grown));
	if (!grown) {
		free(path);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	p->entries = grown;
	struct mint_apk_entry *a = &p->entries[p->n_entries++];
	*a = (struct mint_apk_entry){
		.path = path, .type = e->type, .mode = e->mode, .uid = e->uid, .gid = e->gid,
		.size = e->size, .mtime = e->mtime, .devmajor = e->devmajor,
		.devminor = e->devminor, .has_apk_sha1 = e->has_apk_sha1,
		.header_offset = e->header_offset, .data_offset = e->data_offset,
	};
	memcpy(a->uname, e->uname, sizeof(a->uname));
	memcpy(a->gname, e->gname, sizeof(a->gname));
	memcpy(a->apk_sha1, e->apk_sha1, sizeof(a->apk_sha1));
	int rc = clean_link_target(e, &a->link_target, err);
	if (!rc && copy_xattrs(a, e))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	return rc;
}

static int hash_file_content(struct mint_tar_reader *tr, const struct mint_apk_entry *a,
			     struct mint_err *err)
{
	enum { CHUNK = 65536 };
	struct mint_hash h;
	unsigned char d[MINT_HASH_MAX_BYTES];
	unsigned char *chunk = malloc(CHUNK);
	if (!chunk || mint_hash_init(&h, MINT_HASH_SHA1)) {
		free(chunk);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	size_t got;
	int rc;
	do {
		rc = mint_tar_read(tr, chunk, CHUNK, &got, err);
		if (!rc && mint_hash_update(&h, chunk, got))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	} while (!rc && got);
	free(chunk);
	if (rc) {
		mint_hash_free(&h);
		return rc;
	}
	if (mint_hash_final(&h, d))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (memcmp(d, a->apk_sha1, 20)) {
		mint_err_set_offset(err, a->data_offset);
		return mint_err_set(err, MINT_EINTEGRITY,
				    "content of '%s' does not match its APK-TOOLS.checksum.SHA1", a->path);
	}
	return 0;
}

/* The inflated data stream, staged in large pieces (few, large inflate
 * calls and writes): each piece goes whole to the caller's sink, if any,
 * then feeds the tar reader. gzip_failed tells a failure to inflate
 * (compressed offsets) from one of the tar layer or the sink (uncompressed
 * offsets). */
#define DATA_STAGE_BYTES (256u << 10)

struct data_source {
	struct mint_gunzip gz;
	const struct mint_apk_data_sink *sink;
	unsigned char *stage;
	size_t stage_len, stage_pos;
	bool gzip_failed;
};

static int refill_stage(struct data_source *ds, struct mint_err *err)
{
	size_t got = 0;
	int rc = mint_gunzip_read(&ds->gz, ds->stage, DATA_STAGE_BYTES, &got, err);
	if (rc) {
		ds->gzip_failed = true;
		return rc;
	}
	ds->stage_len = got;
	ds->stage_pos = 0;
	if (got && ds->sink)
		rc = ds->sink->write(ds->sink->ctx, ds->stage, got, err);
	return rc;
}

static int data_source_read(void *ctx, void *buf, size_t cap, size_t *got, struct mint_err *err)
{
	struct data_source *ds = ctx;
	*got = 0;
	if (ds->stage_pos == ds->stage_len) {
		int rc = refill_stage(ds, err);
		if (rc)
			return rc;
	}
	size_t n = ds->stage_len - ds->stage_pos;
	if (n > cap)
		n = cap;
	memcpy(buf, ds->stage + ds->stage_pos, n);
	ds->stage_pos += n;
	*got = n;
	return 0;
}

static int take_data_entry(struct mint_apk_package *p, struct mint_tar_reader *tr,
			   const struct mint_tar_entry *e, const struct mint_apk_limits *limits,
			   unsigned flags, struct mint_err *err)
{
	if (p->n_entries >= limits->max_entries)
		return mint_err_set(err, MINT_ELIMIT, "more than %llu entries",
				    (unsigned long long)limits->max_entries);
	struct mint_buf clean = MINT_BUF_INIT;
	int rc = mint_path_clean(mint_span_str(e->name), false, &clean, err);
	if (rc) {
		mint_buf_free(&clean);
		mint_err_set_offset(err, e->header_offset);
		mint_err_prefix(err, "entry '%.200s'", e->name);
		return rc;
	}
	if (!clean.len) { /* the root directory itself */
		mint_buf_free(&clean);
		return 0;
	}
	rc = add_entry(p, e, mint_buf_detach(&clean, NULL), err);
	if (rc)
		return rc;
	const struct mint_apk_entry *a = &p->entries[p->n_entries - 1];
	if ((flags & MINT_APK_HASH_FILES) && a->type == MINT_TAR_REG && a->has_apk_sha1)
		rc = hash_file_content(tr, a, err);
	return rc;
}

static int read_data_member(struct mint_apk_package *p, struct mint_span file,
			    const struct mint_apk_limits *limits, unsigned flags,
			    const struct mint_apk_data_sink *sink, struct mint_err *err)
{
	uint64_t off = p->data_member.offset;
	if (off >= file.len) {
		mint_err_set_offset(err, off);
		return mint_err_set(err, MINT_EFORMAT, "package has no data member");
	}
	struct mint_gzip_limits gl = { limits->max_data_bytes, limits->max_ratio };
	struct mint_tar_limits tl = { 4096, 1 << 20, limits->max_data_bytes };
	struct data_source ds = { .sink = sink, .stage = malloc(DATA_STAGE_BYTES) };
	struct mint_tar_reader *tr = NULL;
	if (!ds.stage)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	int rc = mint_gunzip_init(&ds.gz, mint_span_skip(file, off), &gl, err);
	if (!rc)
		rc = mint_tar_reader_new(&tr, (struct mint_source){ data_source_read, &ds }, &tl,
					 MINT_TAR_END_REQUIRED, err);
	const struct mint_tar_entry *e;
	while (!rc && (rc = mint_tar_next(tr, &e, err)) == 1)
		rc = take_data_entry(p, tr, e, limits, flags, err);
	if (rc < 0 && ds.gzip_failed) {
		apk_rebase_offset(err, off);
		mint_err_prefix(err, "data member");
	} else if (rc < 0) {
		apk_relocate_stream_offset(err, "data tar", off);
	} else {
		rc = 0;
		p->data_tar_bytes = mint_tar_offset(tr);
		p->data_member.size = mint_gunzip_consumed(&ds.gz);
		if (off + p->data_member.size != file.len) {
			mint_err_set_offset(err, off + p->data_member.size);
			rc = mint_err_set(err, MINT_EFORMAT,
					  "%llu bytes follow the data member (data must be one gzip member)",
					  (unsigned long long)(file.len - off - p->data_member.size));
		}
	}
	mint_tar_reader_free(tr);
	mint_gunzip_free(&ds.gz);
	free(ds.stage);
	return rc;
}

static int cmp_entry_path(const void *a, const void *b)
{
	const struct mint_apk_entry *const *x = a, *const *y = b;
	return strcmp((*x)->path, (*y)->path);
}

static int check_duplicates(const struct mint_apk_package *p, struct mint_err *err)
{
	if (p->n_entries < 2)
		return 0;
	const struct mint_apk_entry **sorted = malloc(p->n_entries * sizeof(*sorted));
	if (!sorted)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < p->n_entries; i++)
		sorted[i] = &p->entries[i];
	qsort(sorted, p->n_entries, sizeof(*sorted), cmp_entry_path);
	int rc = 0;
	for (size_t i = 1; i < p->n_entries && !rc; i++)
		if (!strcmp(sorted[i - 1]->path, sorted[i]->path)) {
			mint_err_set_offset(err, p->data_member.offset);
			rc = mint_err_set(err, MINT_EDUPLICATE,
					  "data tar, uncompressed offset %llu: entry '%s' appears twice",
					  (unsigned long long)sorted[i]->header_offset, sorted[i]->path);
		}
	free(sorted);
	return rc;
}

/* Signature member (optional) then control member; sets the member ranges. */
static int read_head_members(struct mint_apk_package *p, struct mint_span file,
			     const struct mint_apk_limits *limits, struct mint_err *err)
{
	struct apk_small_member first = { 0 }, control = { 0 };
	int rc = apk_read_small_member(file, 0, "first gzip member", limits,
				       MINT_TAR_END_OPTIONAL, &first, err);
	if (rc)
		goto out;
	if (!first.n) {
		mint_err_set_offset(err, 0);
		rc = mint_err_set(err, MINT_EFORMAT, "first gzip member holds no tar entries");
		goto out;
	}
	struct apk_small_member *ctl = &first;
	if (apk_is_signature_name(first.entries[0].name)) {
		p->sig_member = first.range;
		rc = apk_take_signatures(&first, &p->sigs, &p->n_sigs, err);
		if (!rc)
			rc = apk_read_small_member(file, first.range.size, "control member",
						   limits, MINT_TAR_END_OPTIONAL, &control, err);
		if (rc)
			goto out;
		ctl = &control;
	}
	p->control_member = ctl->range;
	rc = take_control(p, ctl, err);
	if (rc)
		mint_err_set_offset(err, ctl->range.offset);
out:
	apk_small_member_free(&first);
	apk_small_member_free(&control);
	return rc;
}

int mint_apk_package_read_mem(struct mint_span file, const struct mint_apk_keyring *kr,
			      const struct mint_apk_limits *limits, unsigned flags,
			      struct mint_apk_package *out, struct mint_err *err)
{
	return mint_apk_package_read_mem_ex(file, kr, limits, flags, NULL, out, err);
}

int mint_apk_package_read_mem_ex(struct mint_span file, const struct mint_apk_keyring *kr,
				 const struct mint_apk_limits *limits, unsigned flags,
				 const struct mint_apk_data_sink *sink,
				 struct mint_apk_package *out, struct mint_err *err)
{
	struct mint_apk_limits defaults;
	limits = apk_limits_or_default(limits, &defaults);
	memset(out, 0, sizeof(*out));
	out->file_size = file.len;
	int rc = read_head_members(out, file, limits, err);
	if (!rc) {
		out->data_member.offset = out->control_member.offset + out->control_member.size;
		rc = compute_identity(out, file, err);
	}
	if (!rc)
		rc = read_data_member(out, file, limits, flags, sink, err);
	if (!rc)
		rc = check_duplicates(out, err);
	if (!rc)
		rc = check_datahash(out, file, err);
	if (!rc) {
		check_trust(out, file, kr);
		rc = apk_require_trust(flags, out->trust, out->trust_detail, err);
	}
	if (rc)
		mint_apk_package_free(out);
	return rc;
}

static int read_mem(struct mint_span file, const struct mint_apk_keyring *kr,
		    const struct mint_apk_limits *limits, unsigned flags, void *out,
		    struct mint_err *err)
{
	return mint_apk_package_read_mem(file, kr, limits, flags, out, err);
}

int mint_apk_package_read(const char *path, const struct mint_apk_keyring *kr,
			  const struct mint_apk_limits *limits, unsigned flags,
			  struct mint_apk_package *out, struct mint_err *err)
{
	return apk_read_path(path, read_mem, kr, limits, flags, out, err);
}

void mint_apk_package_free(struct mint_apk_package *p)
{
	mint_apk_pkg_free(&p->info);
	for (size_t i = 0; i < p->n_sigs; i++)
		mint_apk_signature_free(&p->sigs[i]);
	free(p->sigs);
	for (size_t i = 0; i < p->n_scripts; i++) {
		free(p->scripts[i].name);
		free(p->scripts[i].data);
	}
	free(p->scripts);
	for (size_t i = 0; i < p->n_entries; i++)
		entry_free(&p->entries[i]);
	free(p->entries);
	memset(p, 0, sizeof(*p));
}
