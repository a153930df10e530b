/* SPDX-License-Identifier: Apache-2.0 */
/* Small gzip members, signature entries, trust verdicts and reading a path (see members.h). */
#include "members.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/fs.h"
#include "mint/gzip.h"

#define SIGNATURE_ENTRY_MAX 65536 /* apk-tools ignores larger signature entries */

void apk_small_member_free(struct apk_small_member *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->entries[i].name);
	free(m->entries);
	mint_buf_free(&m->tar);
	memset(m, 0, sizeof(*m));
}

void apk_rebase_offset(struct mint_err *err, uint64_t base)
{
	if (err && err->has_offset)
		err->offset += base;
}

void apk_relocate_stream_offset(struct mint_err *err, const char *what, uint64_t member_offset)
{
	if (!err)
		return;
	if (err->has_offset)
		mint_err_prefix(err, "%s, uncompressed offset %llu", what,
				(unsigned long long)err->offset);
	else
		mint_err_prefix(err, "%s", what);
	err->has_offset = true;
	err->offset = member_offset;
}

/* The content of e as a span of the tar bytes the reader walks. */
static int entry_content(struct mint_span tar, const struct mint_tar_entry *e,
			 struct mint_span *out, struct mint_err *err)
{
	if (e->type != MINT_TAR_REG) {
		*out = MINT_SPAN(tar.ptr, 0);
		return 0;
	}
	if (e->data_offset > tar.len || e->size > tar.len - e->data_offset) {
		mint_err_set_offset(err, e->data_offset);
		return mint_err_set(err, MINT_ETRUNCATED, "entry '%.200s' runs past the member",
				    e->name);
	}
	*out = MINT_SPAN(tar.ptr + e->data_offset, (size_t)e->size);
	return 0;
}

static int collect_tar_entries(struct mint_span tar, const struct mint_apk_limits *limits,
			       enum mint_tar_end end, struct apk_small_member *m,
			       struct mint_err *err)
{
	struct mint_span_source ss;
	struct mint_tar_limits tl = { 4096, 1 << 20, limits->max_control_bytes };
	struct mint_tar_reader *tr = NULL;
	int rc = mint_tar_reader_new(&tr, mint_span_source_init(&ss, tar), &tl, end, err);
	const struct mint_tar_entry *e;
	while (!rc && (rc = mint_tar_next(tr, &e, err)) == 1) {
		struct apk_small_entry *grown = realloc(m->entries, (m->n + 1) * sizeof(*grown));
		if (!grown) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			break;
		}
		m->entries = grown;
		struct apk_small_entry *se = &m->entries[m->n++];
		*se = (struct apk_small_entry){ strdup(e->name), e->type, MINT_SPAN_NULL };
		rc = se->name ? entry_content(tar, e, &se->content, err)
			      : mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	mint_tar_reader_free(tr);
	return rc < 0 ? rc : 0;
}

int apk_read_small_member(struct mint_span file, uint64_t offset, const char *what,
			  const struct mint_apk_limits *limits, enum mint_tar_end end,
			  struct apk_small_member *m, struct mint_err *err)
{
	struct mint_gzip_limits gl = { limits->max_control_bytes, limits->max_ratio };
	size_t size = 0;
	m->range.offset = offset;
	int rc = mint_gunzip_member(mint_span_skip(file, offset), &gl, &m->tar, &size, err);
	if (rc) {
		apk_rebase_offset(err, offset);
		mint_err_prefix(err, "%s", what);
		goto out;
	}
	m->range.size = size;
	rc = collect_tar_entries(mint_buf_span(&m->tar), limits, end, m, err);
	if (rc)
		apk_relocate_stream_offset(err, what, offset);
out:
	return rc;
}

bool apk_is_signature_name(const char *name)
{
	return !strncmp(name, ".SIGN.", 6);
}

int apk_take_signatures(const struct apk_small_member *m, struct mint_apk_signature **sigs,
			size_t *n_sigs, struct mint_err *err)
{
	*sigs = calloc(m->n ? m->n : 1, sizeof(**sigs));
	*n_sigs = 0;
	if (!*sigs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < m->n; i++) {
		const struct apk_small_entry *se = &m->entries[i];
		if (!apk_is_signature_name(se->name))
			return mint_err_set(err, MINT_EFORMAT,
					    "signature member also holds '%.200s'", se->name);
		if (se->content.len > SIGNATURE_ENTRY_MAX)
			continue;
		struct mint_err ignored = { 0 };
		if (mint_apk_signature_init(&(*sigs)[*n_sigs], mint_span_str(se->name),
					    se->content, &ignored) == 0)
			(*n_sigs)++;
		else if (ignored.code == MINT_ENOMEM)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	return 0;
}

void apk_decide_trust(struct mint_apk_signature *sigs, size_t n_sigs,
		      const struct mint_apk_keyring *kr, struct mint_span signed_bytes,
		      enum mint_apk_trust *trust, char *detail, size_t detail_cap)
{
	detail[0] = '\0';
	if (!kr) {
		*trust = n_sigs ? MINT_APK_TRUST_NOT_CHECKED : MINT_APK_TRUST_UNSIGNED;
		if (!n_sigs)
			snprintf(detail, detail_cap, "not signed");
		return;
	}
	struct mint_err e = { 0 };
	int rc = mint_apk_signatures_verify(sigs, n_sigs, kr, signed_bytes, &e);
	if (!rc)
		*trust = MINT_APK_TRUST_VERIFIED;
	else if (!n_sigs)
		*trust = MINT_APK_TRUST_UNSIGNED;
	else
		*trust = rc == MINT_ESIGNATURE ? MINT_APK_TRUST_BAD : MINT_APK_TRUST_UNTRUSTED;
	if (rc)
		snprintf(detail, detail_cap, "%s", e.msg);
}

int apk_require_trust(unsigned flags, enum mint_apk_trust trust, const char *detail,
		      struct mint_err *err)
{
	if (!(flags & MINT_APK_REQUIRE_TRUST) || trust == MINT_APK_TRUST_VERIFIED)
		return 0;
	return mint_err_set(err, trust == MINT_APK_TRUST_BAD ? MINT_ESIGNATURE : MINT_EUNTRUSTED,
			    "%s", detail);
}

const struct mint_apk_limits *apk_limits_or_default(const struct mint_apk_limits *limits,
						   struct mint_apk_limits *defaults)
{
	if (limits)
		return limits;
	mint_apk_limits_default(defaults);
	return defaults;
}

int apk_read_path(const char *path, apk_read_mem_fn read_mem, const struct mint_apk_keyring *kr,
		  const struct mint_apk_limits *limits, unsigned flags, void *out,
		  struct mint_err *err)
{
	struct mint_apk_limits defaults;
	limits = apk_limits_or_default(limits, &defaults);
	struct mint_buf file = MINT_BUF_INIT;
	int rc = mint_file_read(path, limits->max_file_bytes, &file, err);
	if (!rc)
		rc = read_mem(mint_buf_span(&file), kr, limits, flags, out, err);
	mint_err_set_file(err, rc ? path : NULL);
	mint_buf_free(&file);
	return rc;
}
