/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sandbox a build's steps run in. For the bwrap runner the guest root
 * is the image engine's rootfs of the recipe's environment (an apko
 * ImageConfiguration) plus what the pipelines need, for the build's one
 * architecture, with melange's `build` user (uid/gid 1000) added when the
 * recipe has none. The host runner binds the host's / read-only instead
 * and installs nothing. The environment variables are melange's defaults
 * (HOME, PATH, SOURCE_DATE_EPOCH) overridden by the recipe's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build_internal.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin"
#define BUILD_ID 1000

static bool has_user(const struct mint_image_accounts *a, const char *name)
{
	for (size_t i = 0; i < a->n_users; i++)
		if (!strcmp(a->users[i].username, name))
			return true;
	return false;
}

static bool has_group(const struct mint_image_accounts *a, const char *name)
{
	for (size_t i = 0; i < a->n_groups; i++)
		if (!strcmp(a->groups[i].groupname, name))
			return true;
	return false;
}

static int add_build_account(struct mint_image_config *cfg, struct mint_err *err)
{
	struct mint_image_accounts *a = &cfg->accounts;
	if (!has_group(a, "build")) {
		struct mint_image_group *g = realloc(a->groups, (a->n_groups + 1) * sizeof(*g));
		if (!g)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		a->groups = g;
		memset(&g[a->n_groups], 0, sizeof(*g));
		g[a->n_groups].groupname = strdup("build");
		g[a->n_groups].gid = BUILD_ID;
		if (!g[a->n_groups++].groupname)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	if (!has_user(a, "build")) {
		struct mint_image_user *u = realloc(a->users, (a->n_users + 1) * sizeof(*u));
		if (!u)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		a->users = u;
		memset(&u[a->n_users], 0, sizeof(*u));
		u[a->n_users].username = strdup("build");
		u[a->n_users].uid = BUILD_ID;
		u[a->n_users].has_gid = true;
		u[a->n_users].gid = BUILD_ID;
		u[a->n_users].homedir = strdup("/home/build");
		if (!u[a->n_users].username || !u[a->n_users++].homedir)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	return 0;
}

static int build_config(const struct pkg_job *j, const struct mint_image_config *env,
			const struct mint_image_strs *needs, const char *const *extra_repos,
			size_t n_extra_repos, const char *const *extra_keys, size_t n_extra_keys,
			struct mint_image_config *cfg, struct mint_err *err)
{
	const struct mint_pkg_build_opts *o = j->o;
	const char *arch = j->arch;
	int rc = mint_image_config_merge_into(env, cfg, err);
	if (!rc && needs->n)
		rc = mint_image_config_append_packages(cfg, (const char *const *)needs->v, needs->n,
						       err);
	if (!rc && o->n_packages_append)
		rc = mint_image_config_append_packages(cfg, o->packages_append,
						       o->n_packages_append, err);
	if (!rc && o->n_repositories_append)
		rc = mint_image_config_append_repositories(cfg, o->repositories_append,
							   o->n_repositories_append, err);
	if (!rc && n_extra_repos)
		rc = mint_image_config_append_repositories(cfg, extra_repos, n_extra_repos, err);
	if (!rc && o->n_keyring_append)
		rc = mint_image_config_append_keyring(cfg, o->keyring_append, o->n_keyring_append,
						      err);
	if (!rc && n_extra_keys)
		rc = mint_image_config_append_keyring(cfg, extra_keys, n_extra_keys, err);
	if (!rc)
		rc = mint_image_config_set_archs(cfg, &arch, 1, err);
	if (!rc)
		rc = add_build_account(cfg, err);
	if (!rc)
		rc = mint_image_config_validate(cfg, err);
	if (!rc)
		rc = mint_image_config_apply_defaults(cfg, err);
	if (rc)
		mint_err_prefix(err, "%s: environment", o->recipe_path);
	return rc;
}

static int make_rootfs(struct pkg_job *j, const struct mint_image_config *cfg,
		       struct mint_err *err)
{
	const char *tmp = j->o->tmpdir ? j->o->tmpdir : getenv("TMPDIR");
	struct mint_buf dir = { 0 }, root = { 0 };
	enum mint_arch arch;
	if (!cfg->contents.packages.n)
		return mint_err_set(err, MINT_EINVAL,
				    "%s: the environment installs no packages, so the bwrap runner "
				    "has no /bin/sh; add environment.contents.packages or use "
				    "--runner host",
				    j->o->recipe_path);
	if (!j->o->source)
		return mint_err_set(err, MINT_EINVAL, "no package source for the environment");
	if (mint_buf_printf(&dir, "%s/mint-env-XXXXXX", tmp && *tmp ? tmp : "/tmp"))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!mkdtemp(dir.data)) {
		int e = errno;
		mint_buf_free(&dir);
		return mint_err_set(err, MINT_EIO, "cannot create the build root: %s", strerror(e));
	}
	j->rootfs = dir.data;
	if (mint_buf_printf(&root, "%s/root", j->rootfs))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	mint_arch_parse(j->arch, &arch);
	pkg_log(j, "building the environment: %zu packages for %s", cfg->contents.packages.n,
		j->arch);
	int rc = mint_build_env_create(cfg, arch, j->o->source, root.data, err);
	j->guest_root = root.data;
	j->sandbox.rootfs = j->guest_root;
	return rc;
}

static int sandbox_env(struct pkg_job *j, const struct mint_image_config *cfg,
		       struct mint_err *err)
{
	char epoch[32];
	snprintf(epoch, sizeof(epoch), "%lld", (long long)j->o->build_date);
	struct mint_image_kvs *e = &j->sandbox.env;
	int rc = mint_recipe_kvs_set(e, "HOME", "/home/build");
	if (!rc)
		rc = mint_recipe_kvs_set(e, "PATH", DEFAULT_PATH);
	if (!rc)
		rc = mint_recipe_kvs_set(e, "SOURCE_DATE_EPOCH", epoch);
	for (size_t i = 0; !rc && i < cfg->environment.n; i++)
		rc = mint_recipe_kvs_set(e, cfg->environment.v[i].key, cfg->environment.v[i].value);
	return rc ? mint_err_set(err, MINT_ENOMEM, "out of memory") : 0;
}

int pkg_environment_prepare(struct pkg_job *j, const struct mint_image_config *env,
			    const struct mint_image_strs *needs, const char *const *extra_repos,
			    size_t n_extra_repos, const char *const *extra_keys, size_t n_extra_keys,
			    struct mint_err *err)
{
	struct mint_image_config cfg = { 0 };
	j->sandbox.runner = j->o->runner ? j->o->runner : MINT_RUNNER_BWRAP;
	j->sandbox.workspace = j->workspace;
	j->sandbox.network = j->o->network;
	j->sandbox.bwrap = j->o->bwrap;
	j->sandbox.log = j->o->log;
	j->sandbox.log_ctx = j->o->log_ctx;
	if (!mint_sandbox_available(j->o->bwrap, err))
		return MINT_EUNSUPPORTED;
	int rc = build_config(j, env, needs, extra_repos, n_extra_repos, extra_keys, n_extra_keys,
			      &cfg, err);
	if (!rc && j->sandbox.runner == MINT_RUNNER_BWRAP)
		rc = make_rootfs(j, &cfg, err);
	if (!rc && j->sandbox.runner == MINT_RUNNER_HOST && cfg.contents.packages.n)
		pkg_log(j, "host runner: the environment's %zu packages are not installed",
			cfg.contents.packages.n);
	if (!rc)
		rc = sandbox_env(j, &cfg, err);
	mint_image_config_free(&cfg);
	return rc;
}
