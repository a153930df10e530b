/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Turning the built trees into packages, as melange's EmitPackage does:
 * automatic dependencies, the package's own SBOM inside its data, the
 * .PKGINFO metadata (subpackages share the recipe's origin, version and
 * licence), the recipe as .melange.yaml and the scriptlets in the control
 * member. Every package is written into a staging directory first and
 * moved into <out>/<arch>/ only when all of them were written; then the
 * directory's index is rewritten over every package it holds.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build_internal.h"
#include "mint/encode.h"
#include "mint/fs.h"
#include "mint/hash.h"
#include "mint/pkg_sca.h"

static int list_add_unique(struct mint_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->items[i], s))
			return 0;
	return mint_strlist_add(l, s, strlen(s));
}

static int list_add_all(struct mint_strlist *l, const struct mint_image_strs *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (list_add_unique(l, v->v[i]))
			return MINT_ENOMEM;
	return 0;
}

/* The recipe's licences as one SPDX expression. */
static int license_expression(const struct mint_recipe *r, struct mint_buf *out)
{
	for (size_t i = 0; i < r->package.n_copyright; i++) {
		const char *l = r->package.copyright[i].license;
		if (!l || !*l)
			continue;
		if (out->len && mint_buf_puts(out, " AND "))
			return MINT_ENOMEM;
		if (mint_buf_puts(out, l))
			return MINT_ENOMEM;
	}
	return 0;
}

static int dependencies(const struct pkg_job *j, const struct pkg_target *t,
			struct mint_apk_pkg *p, struct mint_err *err)
{
	const struct mint_recipe_meta *m = t->meta;
	struct mint_pkg_sca_opts so = {
		.full_version = j->full_version,
		.no_provides = m->options.no_provides,
		.no_depends = m->options.no_depends,
		.no_commands = m->options.no_commands,
		.no_versioned_shlib_deps = m->options.no_versioned_shlib_deps,
	};
	struct mint_image_strs deps = { 0 }, provs = { 0 };
	int rc = mint_pkg_sca(t->destdir, &so, &deps, &provs, err);
	if (rc) {
		mint_err_prefix(err, "package %s", m->name);
	} else if (list_add_all(&p->depends, &m->dependencies.runtime) ||
		   list_add_all(&p->depends, &deps) ||
		   list_add_all(&p->provides, &m->dependencies.provides) ||
		   list_add_all(&p->provides, &provs) ||
		   list_add_all(&p->replaces, &m->dependencies.replaces) ||
		   list_add_all(&p->triggers, &m->scriptlets.trigger_paths)) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	mint_image_strs_free(&deps);
	mint_image_strs_free(&provs);
	return rc;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int pkginfo(const struct pkg_job *j, const struct pkg_target *t, struct mint_apk_pkg *p,
		   struct mint_err *err)
{
	const struct mint_recipe_meta *m = t->meta, *main = &j->recipe.package.meta;
	struct mint_buf lic = { 0 };
	memset(p, 0, sizeof(*p));
	if (license_expression(&j->recipe, &lic))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	p->name = strdup(m->name);
	p->version = strdup(j->full_version);
	p->arch = strdup(j->arch);
	p->origin = strdup(main->name);
	p->description = dup_or_null(m->description ? m->description : main->description);
	p->url = dup_or_null(m->url ? m->url : main->url);
	p->commit = dup_or_null(m->commit ? m->commit : main->commit);
	p->license = lic.len ? lic.data : NULL;
	if (!lic.len)
		mint_buf_free(&lic);
	p->has_provider_priority = m->dependencies.has_provider_priority;
	p->provider_priority = (uint64_t)m->dependencies.provider_priority;
	p->has_replaces_priority = m->dependencies.has_replaces_priority;
	p->replaces_priority = (uint64_t)m->dependencies.replaces_priority;
	if (!p->name || !p->version || !p->arch || !p->origin)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return dependencies(j, t, p, err);
}

static int write_sbom(const struct pkg_job *j, const struct pkg_target *t,
		      const struct mint_apk_pkg *p, struct mint_err *err)
{
	const struct mint_recipe *r = &j->recipe;
	struct mint_pkg_sbom_in in = {
		.name = p->name,
		.full_version = p->version,
		.arch = p->arch,
		.license = p->license,
		.namespace_ = j->o->namespace_,
		.description = p->description,
		.url = p->url,
		.commit = p->commit,
		.recipe_name = r->package.meta.name,
		.recipe_sha256 = j->recipe_sha256,
		.sources = j->sources,
		.n_sources = j->n_sources,
		.created = j->o->build_date,
	};
	struct mint_buf doc = { 0 }, dir = { 0 }, path = { 0 };
	int rc = mint_pkg_sbom_spdx(&in, &doc, err);
	if (!rc && (mint_buf_printf(&dir, "%s/var/lib/db/sbom", t->destdir) ||
		    mint_buf_printf(&path, "%s/%s-%s.spdx.json", dir.data, p->name, p->version)))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc)
		rc = mint_mkdir_p(dir.data, 0755, err);
	if (!rc)
		rc = mint_file_write_atomic(path.data, doc.data, doc.len, 0644, err);
	mint_buf_free(&doc);
	mint_buf_free(&dir);
	mint_buf_free(&path);
	return rc;
}

struct control_set {
	struct mint_apk_control_file v[9];
	size_t n;
};

static void control_add(struct control_set *c, const char *name, const char *text, uint32_t mode)
{
	if (!text)
		return;
	c->v[c->n++] = (struct mint_apk_control_file){ name, mint_span_str(text), mode };
}

static void control_files(const struct pkg_job *j, const struct pkg_target *t,
			  struct control_set *c)
{
	const struct mint_recipe_scriptlets *s = &t->meta->scriptlets;
	c->n = 0;
	c->v[c->n++] = (struct mint_apk_control_file){
		".melange.yaml", MINT_SPAN(j->recipe.text.data, j->recipe.text.len), 0644
	};
	control_add(c, ".pre-install", s->pre_install, 0755);
	control_add(c, ".post-install", s->post_install, 0755);
	control_add(c, ".pre-deinstall", s->pre_deinstall, 0755);
	control_add(c, ".post-deinstall", s->post_deinstall, 0755);
	control_add(c, ".pre-upgrade", s->pre_upgrade, 0755);
	control_add(c, ".post-upgrade", s->post_upgrade, 0755);
	control_add(c, ".trigger", s->trigger_script, 0755);
}

static int emit_one(struct pkg_job *j, const struct pkg_target *t, const char *staging,
		    struct mint_err *err)
{
	struct mint_apk_pkg p;
	struct control_set ctl;
	struct mint_buf out = { 0 };
	struct mint_apk_write_result wr;
	int rc = pkginfo(j, t, &p, err);
	if (!rc)
		rc = write_sbom(j, t, &p, err);
	if (!rc && mint_buf_printf(&out, "%s/%s-%s.apk", staging, p.name, p.version))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	control_files(j, t, &ctl);
	struct mint_apk_write_opts wo = {
		.pkginfo = &p,
		.destdir = t->destdir,
		.build_date = j->o->build_date,
		.control = ctl.v,
		.n_control = ctl.n,
		.signer = j->o->signer,
		.out_path = out.data,
	};
	if (!rc)
		rc = mint_apk_write(&wo, &wr, err);
	if (!rc)
		pkg_log(j, "wrote %s-%s.apk (%llu bytes, %s)", p.name, p.version,
			(unsigned long long)wr.file_size, wr.identity);
	if (rc)
		mint_err_prefix(err, "package %s", t->meta->name);
	mint_apk_pkg_free(&p);
	mint_buf_free(&out);
	return rc;
}

/* One package moved from the staging directory into place. */
struct moved {
	char *from, *to;
	bool exchanged; /* an older package of that name now sits at from */
};

/* Moves from to to; an existing file at to is swapped into from
 * (RENAME_EXCHANGE) so the move can be undone. */
static int move_in(struct moved *m, struct mint_err *err)
{
	struct stat st;
	/* Only a package file is replaced: whatever else has the name stays. */
	if (!lstat(m->to, &st) && !S_ISREG(st.st_mode))
		return mint_err_set(err, MINT_EIO, "cannot move %s into place: not a file", m->to);
	if (!renameat2(AT_FDCWD, m->from, AT_FDCWD, m->to, RENAME_EXCHANGE)) {
		m->exchanged = true;
		return 0;
	}
	/* ENOENT: nothing there yet; EINVAL: a filesystem without exchange. */
	if ((errno == ENOENT || errno == EINVAL) && !rename(m->from, m->to))
		return 0;
	return mint_err_set(err, MINT_EIO, "cannot move %s into place: %s", m->to,
			    strerror(errno));
}

static void move_back(const struct moved *m)
{
	if (m->exchanged)
		renameat2(AT_FDCWD, m->from, AT_FDCWD, m->to, RENAME_EXCHANGE);
	else
		rename(m->to, m->from);
}

static int record_outputs(struct pkg_job *j, struct moved *m, size_t n, struct mint_err *err)
{
	char **v = realloc(j->res->apks, (j->res->n_apks + n) * sizeof(*v));
	if (!v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	j->res->apks = v;
	for (size_t i = 0; i < n; i++) {
		v[j->res->n_apks++] = m[i].to;
		m[i].to = NULL;
	}
	return 0;
}

/* Every package into arch_dir, or none: when a move fails, the earlier
 * ones are undone and arch_dir holds what it held before. */
static int publish(struct pkg_job *j, const char *staging, const char *arch_dir,
		   struct mint_err *err)
{
	struct moved *m = calloc(j->n_targets, sizeof(*m));
	size_t n = 0;
	int rc = m ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < j->n_targets; i++) {
		const struct pkg_target *t = &j->targets[i];
		if (t->skipped)
			continue;
		if (asprintf(&m[n].from, "%s/%s-%s.apk", staging, t->meta->name,
			     j->full_version) < 0) {
			m[n].from = NULL;
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			break;
		}
		if (asprintf(&m[n].to, "%s/%s-%s.apk", arch_dir, t->meta->name,
			     j->full_version) < 0) {
			m[n].to = NULL;
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			break;
		}
		rc = move_in(&m[n], err);
		if (!rc)
			n++;
	}
	if (rc)
		for (size_t k = n; k-- > 0;)
			move_back(&m[k]);
	else
		rc = record_outputs(j, m, n, err);
	for (size_t i = 0; m && i < j->n_targets; i++) {
		free(m[i].from);
		free(m[i].to);
	}
	free(m);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.apk of arch_dir, sorted. */
static int list_apks(const char *arch_dir, struct mint_image_strs *out, struct mint_err *err)
{
	DIR *d = opendir(arch_dir);
	if (!d)
		return mint_err_set(err, MINT_EIO, "cannot read %s: %s", arch_dir, strerror(errno));
	struct dirent *e;
	int rc = 0;
	while (!rc && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || e->d_name[0] == '.' || strcmp(e->d_name + len - 4, ".apk"))
			continue;
		char **v = realloc(out->v, (out->n + 1) * sizeof(*v));
		if (!v) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			break;
		}
		out->v = v;
		struct mint_buf path = { 0 };
		if (mint_buf_printf(&path, "%s/%s", arch_dir, e->d_name)) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			break;
		}
		out->v[out->n++] = path.data;
	}
	closedir(d);
	if (!rc && out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_str);
	return rc;
}

static int write_index(struct pkg_job *j, const char *arch_dir, struct mint_err *err)
{
	struct mint_image_strs apks = { 0 };
	struct mint_buf path = { 0 };
	int rc = list_apks(arch_dir, &apks, err);
	if (!rc && mint_buf_printf(&path, "%s/APKINDEX.tar.gz", arch_dir))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	struct mint_apk_index_opts io = {
		.apk_paths = (const char *const *)apks.v,
		.n_apks = apks.n,
		.mtime = j->o->build_date,
		.signer = j->o->signer,
		.out_path = path.data,
	};
	if (!rc)
		rc = mint_apk_index_write(&io, err);
	if (!rc) {
		pkg_log(j, "wrote %s (%zu packages)", path.data, apks.n);
		j->res->index = path.data;
		path.data = NULL;
	}
	mint_buf_free(&path);
	mint_image_strs_free(&apks);
	return rc;
}

static void remove_staging(const char *staging)
{
	struct mint_err ignored = { 0 };
	mint_remove_tree(staging, &ignored);
}

/* The recipe's SHA-256, once for every package's SBOM. */
static void hash_recipe(struct pkg_job *j)
{
	unsigned char md[MINT_HASH_MAX_BYTES];
	mint_hash_bytes(MINT_HASH_SHA256, j->recipe.text.data, j->recipe.text.len, md);
	mint_hex_encode(md, 32, j->recipe_sha256);
	j->recipe_sha256[64] = '\0';
}

int pkg_emit_all(struct pkg_job *j, struct mint_err *err)
{
	const char *out = j->o->out_dir ? j->o->out_dir : "packages";
	struct mint_buf arch_dir = { 0 }, staging = { 0 };
	int rc = mint_buf_printf(&arch_dir, "%s/%s", out, j->arch) ||
			 mint_buf_printf(&staging, "%s/%s/.mint-staging-XXXXXX", out, j->arch)
		 ? mint_err_set(err, MINT_ENOMEM, "out of memory")
		 : mint_mkdir_p(arch_dir.data, 0755, err);
	if (!rc && !mkdtemp(staging.data))
		rc = mint_err_set(err, MINT_EIO, "cannot create %s: %s", staging.data,
				  strerror(errno));
	bool staged = !rc;
	hash_recipe(j);
	for (size_t i = 0; !rc && i < j->n_targets; i++)
		if (!j->targets[i].skipped)
			rc = emit_one(j, &j->targets[i], staging.data, err);
	if (!rc)
		rc = publish(j, staging.data, arch_dir.data, err);
	if (staged)
		remove_staging(staging.data);
	if (!rc && !j->o->no_index)
		rc = write_index(j, arch_dir.data, err);
	mint_buf_free(&arch_dir);
	mint_buf_free(&staging);
	return rc;
}
