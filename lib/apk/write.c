/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing one .apk v2 package (mint_apk_write) and re-signing an existing
 * one (mint_apk_resign). The data member is write_data.c's; this file puts
 * .PKGINFO (with the measured size and datahash) and the extra control
 * files into the control member, signs that member's compressed bytes when
 * asked, and writes `[signature] control data` under a temporary name that
 * is renamed into place only when everything succeeded.
 */
#include <stdlib.h>
#include <string.h>

#include "mint/apk_package.h"
#include "mint/apk_pkginfo.h"
#include "mint/apk_write.h"
#include "mint/deflate.h"
#include "mint/encode.h"
#include "mint/fs.h"
#include "mint/gzip.h"
#include "mint/hash.h"
#include "write_internal.h"

static bool has_text(const char *s)
{
	return s && *s;
}

static bool is_scriptlet_name(const char *name)
{
	return has_text(name) && name[0] == '.' && !strchr(name, '/') &&
	       strcmp(name, ".PKGINFO") && strncmp(name, ".SIGN.", 6) &&
	       strcmp(name, ".") && strcmp(name, "..");
}

static int check_opts(const struct mint_apk_write_opts *o, struct mint_err *err)
{
	if (!o || !o->pkginfo || !has_text(o->destdir) || !has_text(o->out_path))
		return mint_err_set(err, MINT_EINVAL, "package write needs metadata, a directory and an output path");
	const struct mint_apk_pkg *p = o->pkginfo;
	if (!has_text(p->name) || !has_text(p->version) || !has_text(p->arch))
		return mint_err_set(err, MINT_EINVAL, "package metadata needs a name, a version and an arch");
	if (o->build_date < 0)
		return mint_err_set(err, MINT_EINVAL, "build date %lld is before 1970",
				    (long long)o->build_date);
	for (size_t i = 0; i < o->n_control; i++) {
		const char *name = o->control[i].name;
		if (!is_scriptlet_name(name))
			return mint_err_set(err, MINT_EINVAL,
					    "control file name \"%s\": must be a dotfile such as .post-install, not .PKGINFO or .SIGN.*",
					    name ? name : "");
		for (size_t j = 0; j < i; j++)
			if (!strcmp(o->control[j].name, name))
				return mint_err_set(err, MINT_EDUPLICATE,
						    "control file %s given twice", name);
	}
	return 0;
}

/* .PKGINFO text: the caller's metadata with size, datahash and builddate. */
static int pkginfo_text(const struct mint_apk_write_opts *o, const struct apk_data_result *d,
			char datahash[65], struct mint_buf *out, struct mint_err *err)
{
	struct mint_apk_pkg p = *o->pkginfo;
	mint_hex_encode(d->sha256, 32, datahash);
	p.datahash = datahash;
	p.identity = NULL;
	p.has_installed_size = true;
	p.installed_size = d->installed_size;
	p.has_build_time = o->build_date != 0;
	p.build_time = (uint64_t)o->build_date;
	p.has_file_size = false;
	int rc = mint_apk_pkginfo_write(&p, out);
	if (rc == MINT_ENOMEM)
		return mint_err_set(err, rc, "out of memory");
	if (rc)
		return mint_err_set(err, rc, "package metadata cannot be written as .PKGINFO (a value holds a newline, or a list item is empty or holds a space)");
	return 0;
}

/* The control member: .PKGINFO, then the extra files, no end-of-archive. */
static int control_member(const struct mint_apk_write_opts *o, struct mint_span pkginfo,
			  struct mint_buf *out, struct mint_err *err)
{
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_tar_writer w = { .sink = apk_buf_sink, .ctx = &tar };
	int rc = apk_tar_add_file(&w, ".PKGINFO", 0644, "root", o->build_date, pkginfo, err);
	for (size_t i = 0; i < o->n_control && !rc; i++)
		rc = apk_tar_add_file(&w, o->control[i].name, o->control[i].mode & 07777, "root",
				      o->build_date, o->control[i].data, err);
	if (!rc)
		rc = mint_gzip_compress(tar.data, tar.len, 1, MINT_GZIP_DEFAULT_LEVEL, out, err);
	mint_buf_free(&tar);
	return rc;
}

static void identity_of(struct mint_span control, char out[32])
{
	unsigned char sha1[MINT_HASH_MAX_BYTES];
	memcpy(out, "Q1", 2);
	if (mint_hash_bytes(MINT_HASH_SHA1, control.ptr, control.len, sha1)) {
		out[0] = '\0';
		return;
	}
	mint_base64_encode(sha1, 20, out + 2);
}

static int append(struct mint_buf *to, const struct mint_buf *from, struct mint_err *err)
{
	if (mint_buf_append(to, from->data, from->len))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

int mint_apk_write(const struct mint_apk_write_opts *o, struct mint_apk_write_result *res,
		   struct mint_err *err)
{
	struct mint_buf data = MINT_BUF_INIT, pkginfo = MINT_BUF_INIT, control = MINT_BUF_INIT;
	struct mint_buf file = MINT_BUF_INIT;
	struct apk_data_result d;
	char datahash[65];
	int rc = check_opts(o, err);
	if (rc)
		return rc;
	rc = apk_write_data(o->destdir, o->build_date, &data, &d, err);
	if (!rc)
		rc = pkginfo_text(o, &d, datahash, &pkginfo, err);
	if (!rc)
		rc = control_member(o, mint_buf_span(&pkginfo), &control, err);
	if (!rc && o->signer)
		rc = mint_apk_signature_member(o->signer, mint_buf_span(&control), o->build_date,
					       &file, err);
	if (!rc)
		rc = append(&file, &control, err);
	if (!rc)
		rc = append(&file, &data, err);
	if (!rc)
		rc = mint_file_write_atomic(o->out_path, file.data, file.len, 0644, err);
	if (!rc && res) {
		memset(res, 0, sizeof(*res));
		identity_of(mint_buf_span(&control), res->identity);
		memcpy(res->datahash, datahash, sizeof(res->datahash));
		res->file_size = file.len;
		res->installed_size = d.installed_size;
	}
	mint_buf_free(&data);
	mint_buf_free(&pkginfo);
	mint_buf_free(&control);
	mint_buf_free(&file);
	return rc;
}

/* The tar mtime of the control member's first entry (.PKGINFO). */
static int control_mtime(struct mint_span control, int64_t *mtime, struct mint_err *err)
{
	struct mint_gzip_limits gl = { .max_output_bytes = 16u << 20, .max_ratio = 0 };
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_tar_reader *r = NULL;
	struct mint_span_source ss;
	const struct mint_tar_entry *e;
	size_t used;
	int rc = mint_gunzip_member(control, &gl, &tar, &used, err);
	if (!rc)
		rc = mint_tar_reader_new(&r, mint_span_source_init(&ss, mint_buf_span(&tar)), NULL,
					 MINT_TAR_END_OPTIONAL, err);
	if (!rc) {
		rc = mint_tar_next(r, &e, err);
		if (rc == 1) {
			*mtime = e->mtime;
			rc = 0;
		} else if (rc == 0) {
			rc = mint_err_set(err, MINT_EFORMAT, "control member is empty");
		}
	}
	mint_tar_reader_free(r);
	mint_buf_free(&tar);
	return rc;
}

int mint_apk_resign(const char *path, const struct mint_apk_signer *s, struct mint_err *err)
{
	struct mint_apk_limits limits;
	struct mint_apk_package pkg;
	struct mint_buf file = MINT_BUF_INIT, out = MINT_BUF_INIT;
	int64_t mtime = 0;
	bool have_pkg = false;
	int rc;
	mint_apk_limits_default(&limits);
	rc = mint_file_read(path, limits.max_file_bytes, &file, err);
	if (!rc) {
		rc = mint_apk_package_read_mem(mint_buf_span(&file), NULL, &limits, 0, &pkg, err);
		have_pkg = rc == 0;
	}
	if (rc)
		goto out;
	if (!pkg.info.datahash) {
		/* A legacy package's signature covers control and data; melange
		 * and mint sign the control member only. */
		rc = mint_err_set(err, MINT_EUNSUPPORTED,
				  "package has no datahash (a legacy package): not re-signing it");
		goto out;
	}
	struct mint_span control = MINT_SPAN(file.data + pkg.control_member.offset,
					     pkg.control_member.size);
	rc = control_mtime(control, &mtime, err);
	if (!rc)
		rc = mint_apk_signature_member(s, control, mtime, &out, err);
	if (!rc && mint_buf_append(&out, control.ptr, file.len - pkg.control_member.offset))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc)
		rc = mint_file_write_atomic(path, out.data, out.len, 0644, err);
out:
	if (rc)
		mint_err_set_file(err, path);
	if (have_pkg)
		mint_apk_package_free(&pkg);
	mint_buf_free(&file);
	mint_buf_free(&out);
	return rc;
}
