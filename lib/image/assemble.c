/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rootfs of one architecture, assembled in apko's order: the packages,
 * the skeleton and apk database, /etc/apk, accounts, /etc/apko.json, the
 * config's paths, certificates, runtime keys, s6 service directories,
 * busybox links, device nodes and ld.so.cache; finally owner names from
 * the image's own passwd and group. Files mint generates get mtime 0 unless
 * apko gives them the build date (see docs/image-build.md).
 */
#include "mint/image_build.h"

#include <stdlib.h>
#include <string.h>

#include "mint/image_files.h"
#include "mint/image_rootfs.h"

#define ACCOUNT_FILE_MAX (16u << 20)

static int put_generated(struct mint_image_plan *p, const char *path, const struct mint_buf *b,
			 uint32_t mode, struct mint_err *err)
{
	return mint_image_plan_put_file(p, path, b->data, b->len, mode, 0, 0, 0, err);
}

/* Creates the missing directories on the way to path (not path itself). */
static int make_parents(struct mint_image_plan *p, const char *path, struct mint_err *err)
{
	char *copy = strdup(path);
	if (!copy)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	int rc = 0;
	for (char *s = strchr(copy + (copy[0] == '/'), '/'); !rc && s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (!mint_image_plan_lookup(p, copy))
			rc = mint_image_plan_put_dir(p, copy, 0755, 0, 0, 0, err);
		*s = '/';
	}
	free(copy);
	return rc;
}

static void image_pkgs(const struct mint_image_arch_packages *ap, struct mint_image_pkg *out)
{
	for (size_t i = 0; i < ap->n; i++) {
		const struct mint_apk_package *pkg = &ap->pkgs[i].pkg;
		out[i] = (struct mint_image_pkg){ &pkg->info, pkg->entries, pkg->n_entries,
						  pkg->scripts, pkg->n_scripts };
	}
}

static int apk_database(struct mint_image_plan *p, const struct mint_image_arch_packages *ap,
			struct mint_err *err)
{
	struct mint_image_pkg *pkgs = calloc(ap->n + 1, sizeof(*pkgs));
	struct mint_buf b = MINT_BUF_INIT;
	if (!pkgs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	image_pkgs(ap, pkgs);
	int rc = mint_image_installed_db(pkgs, ap->n, &b, err);
	if (!rc)
		rc = put_generated(p, "usr/lib/apk/db/installed", &b, 0644, err);
	mint_buf_reset(&b);
	if (!rc)
		rc = mint_image_scripts_tar(pkgs, ap->n, &b, err);
	if (!rc)
		rc = put_generated(p, "usr/lib/apk/db/scripts.tar", &b, 0644, err);
	mint_buf_reset(&b);
	if (!rc)
		rc = mint_image_triggers(pkgs, ap->n, &b, err);
	if (!rc)
		rc = put_generated(p, "usr/lib/apk/db/triggers", &b, 0644, err);
	mint_buf_free(&b);
	free(pkgs);
	return rc;
}

/* "name=version", or "name@tag=version" for a package from a tagged
 * repository: what the locked config and /etc/apk/world list. */
static char *pinned(const struct mint_image_install *ins)
{
	struct mint_buf b = MINT_BUF_INIT;
	if (mint_buf_puts(&b, ins->pkg.info.name) ||
	    (ins->tag && mint_buf_printf(&b, "@%s", ins->tag)) ||
	    mint_buf_printf(&b, "=%s", ins->pkg.info.version)) {
		mint_buf_free(&b);
		return NULL;
	}
	return mint_buf_detach(&b, NULL);
}

static int str_order(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int pinned_list(const struct mint_image_arch_packages *ap, struct mint_image_strs *out,
		       struct mint_err *err)
{
	out->v = calloc(ap->n + 1, sizeof(*out->v));
	out->n = 0;
	if (!out->v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < ap->n; i++) {
		out->v[i] = pinned(&ap->pkgs[i]);
		if (!out->v[i])
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		out->n++;
	}
	qsort(out->v, out->n, sizeof(*out->v), str_order);
	return 0;
}

static void free_strs(struct mint_image_strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int mint_image_locked_config(const struct mint_image_config *cfg,
			     const struct mint_image_arch_packages *pkgs,
			     struct mint_image_config *out, struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	int rc = mint_image_config_merge_into(cfg, out, err);
	if (!rc) {
		free_strs(&out->contents.packages);
		rc = pinned_list(pkgs, &out->contents.packages, err);
	}
	if (!rc) {
		free(out->archs);
		out->archs = malloc(sizeof(*out->archs));
		if (!out->archs)
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	if (!rc) {
		out->archs[0] = pkgs->arch;
		out->n_archs = 1;
	} else {
		mint_image_config_free(out);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

/* /etc/apk: world, repositories (the image's, not the build's), arch and
 * the keyring's keys. */
static int apk_etc(struct mint_image_plan *p, const struct mint_image_config *cfg,
		   const struct mint_image_config *locked, const struct mint_image_packages *all,
		   enum mint_arch arch, struct mint_err *err)
{
	const struct mint_image_contents *c = &cfg->contents;
	struct mint_buf b = MINT_BUF_INIT;
	size_t n_repos = c->repositories.n + c->runtime_repositories.n;
	const char **repos = calloc(n_repos + 1, sizeof(*repos));
	if (!repos)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < c->repositories.n; i++)
		repos[i] = c->repositories.v[i];
	for (size_t i = 0; i < c->runtime_repositories.n; i++)
		repos[c->repositories.n + i] = c->runtime_repositories.v[i];
	int rc = mint_image_world((const char *const *)locked->contents.packages.v,
				  locked->contents.packages.n, &b, err);
	if (!rc)
		rc = put_generated(p, "etc/apk/world", &b, 0644, err);
	mint_buf_reset(&b);
	if (!rc)
		rc = mint_image_repositories(repos, n_repos, &b, err);
	if (!rc)
		rc = put_generated(p, "etc/apk/repositories", &b, 0644, err);
	mint_buf_reset(&b);
	if (!rc)
		rc = mint_image_arch(mint_arch_to_apk(arch), &b, err);
	if (!rc)
		rc = put_generated(p, "etc/apk/arch", &b, 0644, err);
	for (size_t i = 0; !rc && i < all->n_keys; i++) {
		mint_buf_reset(&b);
		rc = mint_image_key_path(all->keys[i].name, &b, err);
		if (!rc)
			rc = put_generated(p, mint_buf_cstr(&b), &all->keys[i].pem, 0644, err);
	}
	mint_buf_free(&b);
	free(repos);
	return rc;
}

static int runtime_keys(struct mint_image_plan *p, const struct mint_image_config *cfg,
			struct mint_err *err)
{
	struct mint_buf path = MINT_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; !rc && i < cfg->contents.n_runtime_keyring; i++) {
		const struct mint_image_named_pem *k = &cfg->contents.runtime_keyring[i];
		mint_buf_reset(&path);
		rc = mint_image_key_path(k->name, &path, err);
		if (!rc)
			rc = mint_image_plan_put_file(p, mint_buf_cstr(&path), k->content,
						      strlen(k->content), 0644, 0, 0, 0, err);
	}
	mint_buf_free(&path);
	return rc;
}

/* A file the packages may ship (etc/passwd...): its bytes, or empty. */
static int shipped(struct mint_image_rootfs *r, const char *path, struct mint_buf *out,
		   struct mint_err *err)
{
	int rc = mint_image_plan_read_file(r->plan, path, &r->reader, ACCOUNT_FILE_MAX, out, err);
	if (rc == MINT_ENOTFOUND) {
		mint_buf_reset(out);
		mint_err_clear(err);
		return 0;
	}
	return rc;
}

static int account_spec(const struct mint_image_accounts *a, struct mint_image_account_spec *s,
			struct mint_image_account_user **users,
			struct mint_image_account_group **groups, struct mint_err *err)
{
	*users = calloc(a->n_users + 1, sizeof(**users));
	*groups = calloc(a->n_groups + 1, sizeof(**groups));
	if (!*users || !*groups)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < a->n_users; i++) {
		const struct mint_image_user *u = &a->users[i];
		(*users)[i] = (struct mint_image_account_user){ u->username, u->uid, u->has_gid,
								 u->gid, u->shell, u->homedir };
	}
	for (size_t i = 0; i < a->n_groups; i++) {
		const struct mint_image_group *g = &a->groups[i];
		(*groups)[i] = (struct mint_image_account_group){
			g->groupname, g->gid, (const char *const *)g->members.v, g->members.n
		};
	}
	*s = (struct mint_image_account_spec){ *users, a->n_users, *groups, a->n_groups,
					       a->run_as };
	return 0;
}

static int write_accounts(struct mint_image_plan *p, const struct mint_image_account_files *f,
			  struct mint_err *err)
{
	int rc = make_parents(p, "etc/passwd", err);
	if (!rc)
		rc = put_generated(p, "etc/passwd", &f->passwd, 0644, err);
	if (!rc && f->write_group)
		rc = put_generated(p, "etc/group", &f->group, 0644, err);
	if (!rc && f->write_shadow)
		rc = put_generated(p, "etc/shadow", &f->shadow, 0640, err);
	for (size_t i = 0; !rc && i < f->n_homes; i++) {
		const struct mint_image_home *h = &f->homes[i];
		const char *path = h->path + (h->path[0] == '/');
		if (mint_image_plan_lookup(p, path))
			continue;
		rc = make_parents(p, path, err);
		if (!rc)
			rc = mint_image_plan_put_dir(p, path, h->mode, h->uid, h->gid, 0, err);
	}
	return rc;
}

static int accounts(struct mint_image_rootfs *r, const struct mint_image_config *cfg,
		    struct mint_err *err)
{
	struct mint_buf passwd = MINT_BUF_INIT, group = MINT_BUF_INIT, shadow = MINT_BUF_INIT;
	struct mint_image_account_user *users = NULL;
	struct mint_image_account_group *groups = NULL;
	struct mint_image_account_spec spec;
	struct mint_image_account_files files = { 0 };
	int rc = shipped(r, "etc/passwd", &passwd, err);
	if (!rc)
		rc = shipped(r, "etc/group", &group, err);
	if (!rc)
		rc = shipped(r, "etc/shadow", &shadow, err);
	if (!rc)
		rc = account_spec(&cfg->accounts, &spec, &users, &groups, err);
	if (!rc)
		rc = mint_image_accounts_build(&spec, mint_buf_span(&passwd), mint_buf_span(&group),
					       mint_buf_span(&shadow), &files, err);
	if (!rc)
		rc = write_accounts(r->plan, &files, err);
	if (rc)
		mint_err_prefix(err, "accounts");
	mint_image_account_files_free(&files);
	free(users);
	free(groups);
	mint_buf_free(&passwd);
	mint_buf_free(&group);
	mint_buf_free(&shadow);
	return rc;
}

/* s6: /sv/<name>/run for each service, as apko's supervision tree. */
static int services(struct mint_image_plan *p, const struct mint_image_config *cfg,
		    struct mint_err *err)
{
	const struct mint_image_kvs *s = &cfg->entrypoint.services;
	if (!s->n)
		return 0;
	struct mint_buf path = MINT_BUF_INIT, run = MINT_BUF_INIT;
	int rc = mint_image_plan_lookup(p, "sv") ? 0 : mint_image_plan_put_dir(p, "sv", 0777, 0, 0,
										 0, err);
	for (size_t i = 0; !rc && i < s->n; i++) {
		mint_buf_reset(&path);
		mint_buf_reset(&run);
		if (mint_buf_printf(&path, "sv/%s", s->v[i].key) ||
		    mint_buf_printf(&run, "#!/bin/execlineb\n%s\n", s->v[i].value)) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			break;
		}
		rc = mint_image_plan_put_dir(p, mint_buf_cstr(&path), 0777, 0, 0, 0, err);
		if (!rc && mint_buf_puts(&path, "/run"))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		if (!rc)
			rc = put_generated(p, mint_buf_cstr(&path), &run, 0755, err);
	}
	mint_buf_free(&path);
	mint_buf_free(&run);
	return rc;
}

static int owner_names(struct mint_image_rootfs *r, struct mint_err *err)
{
	struct mint_buf passwd = MINT_BUF_INIT, group = MINT_BUF_INIT;
	int rc = shipped(r, "etc/passwd", &passwd, err);
	if (!rc)
		rc = shipped(r, "etc/group", &group, err);
	if (!rc)
		rc = mint_image_rootfs_owner_names(r->plan, mint_buf_span(&passwd),
						   mint_buf_span(&group), err);
	mint_buf_free(&passwd);
	mint_buf_free(&group);
	return rc;
}

static int add_packages(struct mint_image_rootfs *r, const struct mint_image_arch_packages *ap,
			struct mint_err *err)
{
	for (size_t i = 0; i < ap->n; i++) {
		int rc = mint_image_plan_add_package(r->plan, i, &ap->pkgs[i].pkg, NULL, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* apko: SOURCE_DATE_EPOCH exactly, else the latest of the build date and
 * the packages' build times. */
static int64_t created_time(const struct mint_image_arch_packages *ap,
			    const struct mint_image_rootfs_opts *o)
{
	int64_t t = o->build_date;
	if (o->source_date_epoch)
		return t;
	for (size_t i = 0; i < ap->n; i++) {
		const struct mint_apk_pkg *info = &ap->pkgs[i].pkg.info;
		if (info->has_build_time && (int64_t)info->build_time > t)
			t = (int64_t)info->build_time;
	}
	return t;
}

static int generated(struct mint_image_rootfs *r, const struct mint_image_config *cfg,
		     const struct mint_image_packages *all, const struct mint_image_arch_packages *ap,
		     const struct mint_image_rootfs_opts *o, struct mint_err *err)
{
	struct mint_image_config locked;
	int rc = mint_image_locked_config(cfg, ap, &locked, err);
	if (rc)
		return rc;
	if (mint_image_config_to_json(&locked, &r->locked_config))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc)
		rc = mint_image_rootfs_skeleton(r->plan, err);
	if (!rc)
		rc = apk_database(r->plan, ap, err);
	if (!rc)
		rc = apk_etc(r->plan, cfg, &locked, all, ap->arch, err);
	if (!rc)
		rc = accounts(r, cfg, err);
	if (!rc)
		rc = put_generated(r->plan, "etc/apko.json", &r->locked_config, 0444, err);
	if (!rc)
		rc = mint_image_rootfs_paths(r->plan, cfg->paths, cfg->n_paths, err);
	if (!rc)
		rc = mint_image_rootfs_certificates(r->plan, &r->reader, cfg, o->build_date, err);
	if (!rc)
		rc = runtime_keys(r->plan, cfg, err);
	if (!rc)
		rc = services(r->plan, cfg, err);
	if (!rc)
		rc = mint_image_rootfs_busybox(r->plan, &r->reader, err);
	if (!rc)
		rc = mint_image_rootfs_devices(r->plan, err);
	if (!rc)
		rc = mint_image_rootfs_ldso_cache(r->plan, &r->reader, ap->arch, err);
	if (!rc)
		rc = owner_names(r, err);
	mint_image_config_free(&locked);
	return rc;
}

int mint_image_rootfs_build(const struct mint_image_config *cfg,
			    const struct mint_image_packages *all, size_t arch_index,
			    const struct mint_image_rootfs_opts *o, struct mint_image_rootfs *out,
			    struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	if (arch_index >= all->n_archs)
		return mint_err_set(err, MINT_EINVAL, "no packages for arch %zu", arch_index);
	const struct mint_image_arch_packages *ap = &all->archs[arch_index];
	int rc = mint_image_pkgdata_open(&out->data, ap, o->tmpdir, err);
	if (!rc) {
		mint_image_pkgdata_reader(out->data, &out->reader);
		rc = mint_image_plan_new(&out->plan, NULL, err);
	}
	if (!rc)
		rc = add_packages(out, ap, err);
	if (!rc)
		rc = generated(out, cfg, all, ap, o, err);
	if (rc) {
		mint_err_prefix(err, "%s", mint_arch_to_apk(ap->arch));
		mint_image_rootfs_free(out);
		return rc;
	}
	out->created = created_time(ap, o);
	return 0;
}

void mint_image_rootfs_free(struct mint_image_rootfs *r)
{
	if (!r)
		return;
	mint_image_plan_free(r->plan);
	mint_image_pkgdata_free(r->data);
	mint_buf_free(&r->locked_config);
	memset(r, 0, sizeof(*r));
}
