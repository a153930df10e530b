/* SPDX-License-Identifier: Apache-2.0 */
/* Reading APKINDEX.tar.gz and plain APKINDEX files (see mint/apk_index_file.h). */
#include "mint/apk_index_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "members.h"

static bool is_gzip(struct mint_span file)
{
	return file.len >= 2 && (unsigned char)file.ptr[0] == 0x1f &&
	       (unsigned char)file.ptr[1] == 0x8b;
}

static int take_content(struct mint_apk_index_file *f, struct apk_small_member *m,
			struct mint_err *err)
{
	const struct apk_small_entry *text = NULL;
	for (size_t i = 0; i < m->n; i++) {
		const struct apk_small_entry *se = &m->entries[i];
		if (apk_is_signature_name(se->name)) {
			return mint_err_set(err, MINT_EFORMAT,
					    "signature %.200s is inside the index member, not in its own",
					    se->name);
		} else if (!strcmp(se->name, "APKINDEX")) {
			if (text)
				return mint_err_set(err, MINT_EDUPLICATE, "two APKINDEX entries");
			text = se;
		} else if (!strcmp(se->name, "DESCRIPTION") && se->content.len) {
			free(f->index.description);
			f->index.description = mint_span_dup(se->content);
			if (!f->index.description)
				return mint_err_set(err, MINT_ENOMEM, "out of memory");
		}
	}
	if (!text)
		return mint_err_set(err, MINT_EFORMAT, "archive has no APKINDEX entry");
	char *description = f->index.description;
	f->index.description = NULL;
	int rc = mint_apk_index_parse_text(text->content, &f->index, err);
	if (rc)
		mint_err_prefix(err, "APKINDEX");
	free(f->index.description);
	f->index.description = description;
	return rc;
}

static int read_compressed(struct mint_apk_index_file *f, struct mint_span file,
			   const struct mint_apk_keyring *kr, const struct mint_apk_limits *limits,
			   struct mint_err *err)
{
	/* Index text can be large: its bound is max_data_bytes, not the control limit. */
	struct mint_apk_limits member_limits = *limits;
	member_limits.max_control_bytes = limits->max_data_bytes;
	struct apk_small_member first = { 0 }, content = { 0 };
	struct apk_small_member *body = &first;
	int rc = apk_read_small_member(file, 0, "first gzip member", &member_limits,
				       MINT_TAR_END_OPTIONAL, &first, err);
	if (!rc && first.n && apk_is_signature_name(first.entries[0].name)) {
		f->sig_member = first.range;
		rc = apk_take_signatures(&first, &f->sigs, &f->n_sigs, err);
		if (!rc)
			rc = apk_read_small_member(file, first.range.size, "index member",
						   &member_limits, MINT_TAR_END_REQUIRED, &content, err);
		body = &content;
	}
	if (rc)
		goto out;
	f->content_member = body->range;
	uint64_t end = body->range.offset + body->range.size;
	if (end != file.len) {
		mint_err_set_offset(err, end);
		rc = mint_err_set(err, MINT_EFORMAT, "%llu bytes follow the index member",
				  (unsigned long long)(file.len - end));
		goto out;
	}
	rc = take_content(f, body, err);
	if (!rc) {
		struct mint_span signed_bytes = mint_span_skip(file, f->sig_member.size);
		apk_decide_trust(f->sigs, f->n_sigs, kr, signed_bytes, &f->trust, f->trust_detail,
				 sizeof(f->trust_detail));
	}
out:
	apk_small_member_free(&first);
	apk_small_member_free(&content);
	return rc;
}

int mint_apk_index_file_read_mem(struct mint_span file, const struct mint_apk_keyring *kr,
				 const struct mint_apk_limits *limits, unsigned flags,
				 struct mint_apk_index_file *out, struct mint_err *err)
{
	struct mint_apk_limits defaults;
	limits = apk_limits_or_default(limits, &defaults);
	memset(out, 0, sizeof(*out));
	int rc;
	if (is_gzip(file)) {
		out->compressed = true;
		rc = read_compressed(out, file, kr, limits, err);
	} else if (file.len > limits->max_data_bytes) {
		rc = mint_err_set(err, MINT_ELIMIT, "index text is larger than %llu bytes",
				  (unsigned long long)limits->max_data_bytes);
	} else {
		out->trust = MINT_APK_TRUST_UNSIGNED;
		snprintf(out->trust_detail, sizeof(out->trust_detail), "plain-text index is not signed");
		rc = mint_apk_index_parse_text(file, &out->index, err);
	}
	if (!rc)
		rc = apk_require_trust(flags, out->trust, out->trust_detail, err);
	if (rc)
		mint_apk_index_file_free(out);
	return rc;
}

static int read_mem(struct mint_span file, const struct mint_apk_keyring *kr,
		    const struct mint_apk_limits *limits, unsigned flags, void *out,
		    struct mint_err *err)
{
	return mint_apk_index_file_read_mem(file, kr, limits, flags, out, err);
}

int mint_apk_index_file_read(const char *path, const struct mint_apk_keyring *kr,
			     const struct mint_apk_limits *limits, unsigned flags,
			     struct mint_apk_index_file *out, struct mint_err *err)
{
	return apk_read_path(path, read_mem, kr, limits, flags, out, err);
}

void mint_apk_index_file_free(struct mint_apk_index_file *f)
{
	mint_apk_index_free(&f->index);
	for (size_t i = 0; i < f->n_sigs; i++)
		mint_apk_signature_free(&f->sigs[i]);
	free(f->sigs);
	memset(f, 0, sizeof(*f));
}
