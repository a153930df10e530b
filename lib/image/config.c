/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading apko image configurations (see mint/image_config.h): the field
 * tables for the top level, contents, entrypoint, layering and certificates,
 * the checks that need more than one field, and freeing. Loading files and
 * following `include` is in config_load.c, accounts and paths have files of
 * their own, and JSON output is in config_json.c.
 */
#include "config_internal.h"

#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* --- contents ------------------------------------------------------------ */

static int decode_nonempty_strs(struct cfg_ctx *c, const struct mint_yaml_node *v,
				const char *path, struct mint_image_strs *out)
{
	int rc = cfg_decode_strs(c, v, path, out);
	return rc ? rc : cfg_refuse_empty_items(c, v, path, out);
}

static int contents_build_repositories(struct cfg_ctx *c, const struct mint_yaml_node *v,
				       const char *path, void *obj)
{
	return decode_nonempty_strs(c, v, path,
				    &((struct mint_image_contents *)obj)->build_repositories);
}

static int contents_runtime_repositories(struct cfg_ctx *c, const struct mint_yaml_node *v,
					 const char *path, void *obj)
{
	return decode_nonempty_strs(c, v, path,
				    &((struct mint_image_contents *)obj)->runtime_repositories);
}

static int contents_repositories(struct cfg_ctx *c, const struct mint_yaml_node *v,
				 const char *path, void *obj)
{
	return decode_nonempty_strs(c, v, path, &((struct mint_image_contents *)obj)->repositories);
}

static int contents_keyring(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			    void *obj)
{
	return decode_nonempty_strs(c, v, path, &((struct mint_image_contents *)obj)->keyring);
}

static int contents_packages(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			     void *obj)
{
	return decode_nonempty_strs(c, v, path, &((struct mint_image_contents *)obj)->packages);
}

static int pem_name(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		    void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_named_pem *)obj)->name);
}

static int pem_content(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_named_pem *)obj)->content);
}

static const struct cfg_field pem_fields[] = {
	{ "name", pem_name },
	{ "content", pem_content },
};

static void pems_free(struct mint_image_named_pem *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].content);
	}
	free(v);
}

/* apko's runtime key names: ^[a-zA-Z0-9_-]+[a-zA-Z0-9_.-]*$ */
static bool key_name_ok(const char *s)
{
	static const char first[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
	if (!*s || !strchr(first, *s))
		return false;
	for (s++; *s; s++)
		if (!strchr(first, *s) && *s != '.')
			return false;
	return true;
}

static size_t count_substr(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

typedef int (*pem_check)(struct cfg_ctx *c, const struct mint_yaml_node *n, const char *path,
			 const struct mint_image_named_pem *e);

static int check_runtime_key(struct cfg_ctx *c, const struct mint_yaml_node *n, const char *path,
			     const struct mint_image_named_pem *e)
{
	const struct mint_yaml_node *name = mint_yaml_map_get(n, "name");
	if (cfg_empty(e->name) || !key_name_ok(e->name))
		return mint_yaml_fail(c->doc, name ? name : n, c->err, MINT_EFORMAT,
				      "'%s.name' must be a key file name matching "
				      "^[a-zA-Z0-9_-]+[a-zA-Z0-9_.-]*$ (like example.rsa.pub): got '%s'",
				      path, e->name ? e->name : "");
	if (cfg_empty(e->content))
		return mint_yaml_fail(c->doc, n, c->err, MINT_EFORMAT,
				      "'%s' (%s) has no content: give the PEM public key", path,
				      e->name);
	return 0;
}

static int check_certificate(struct cfg_ctx *c, const struct mint_yaml_node *n, const char *path,
			     const struct mint_image_named_pem *e)
{
	if (cfg_empty(e->name))
		return mint_yaml_fail(c->doc, n, c->err, MINT_EFORMAT, "'%s' has no name", path);
	size_t certs = e->content ? count_substr(e->content, "-----BEGIN CERTIFICATE-----") : 0;
	const struct mint_yaml_node *content = mint_yaml_map_get(n, "content");
	if (certs != 1)
		return mint_yaml_fail(c->doc, content ? content : n, c->err, MINT_EFORMAT,
				      "'%s' (%s) must hold exactly one PEM certificate, not %zu",
				      path, e->name, certs);
	return 0;
}

static int decode_pems(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       struct mint_image_named_pem **out, size_t *n_out, pem_check check)
{
	int rc = mint_yaml_want_sequence(c->doc, v, path, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	pems_free(*out, *n_out);
	*out = NULL;
	*n_out = 0;
	if (!v->n)
		return 0;
	if (!(*out = calloc(v->n, sizeof(**out))))
		return mint_yaml_fail(c->doc, v, c->err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < v->n; i++) {
		char sub[CFG_PATH_MAX];
		cfg_path_index(sub, path, i);
		++*n_out;
		rc = cfg_decode_fields(c, v->items[i], sub, pem_fields, N(pem_fields), &(*out)[i]);
		if (!rc && mint_yaml_is_null(v->items[i]))
			rc = mint_yaml_fail(c->doc, v->items[i], c->err, MINT_EFORMAT,
					    "'%s' is empty: give a name and a content", sub);
		if (!rc)
			rc = check(c, v->items[i], sub, &(*out)[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int contents_runtime_keyring(struct cfg_ctx *c, const struct mint_yaml_node *v,
				    const char *path, void *obj)
{
	struct mint_image_contents *ct = obj;
	return decode_pems(c, v, path, &ct->runtime_keyring, &ct->n_runtime_keyring,
			   check_runtime_key);
}

static int baseimage_image(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_contents *)obj)->baseimage_image);
}

static int baseimage_apkindex(struct cfg_ctx *c, const struct mint_yaml_node *v,
			      const char *path, void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_contents *)obj)->baseimage_apkindex);
}

static const struct cfg_field baseimage_fields[] = {
	{ "image", baseimage_image },
	{ "apkindex", baseimage_apkindex },
};

static int contents_baseimage(struct cfg_ctx *c, const struct mint_yaml_node *v,
			      const char *path, void *obj)
{
	struct mint_image_contents *ct = obj;
	int rc = cfg_decode_fields(c, v, path, baseimage_fields, N(baseimage_fields), ct);
	if (rc || mint_yaml_is_null(v))
		return rc;
	ct->has_baseimage = true;
	if (cfg_empty(ct->baseimage_image) || cfg_empty(ct->baseimage_apkindex))
		return mint_yaml_fail(c->doc, v, c->err, MINT_EFORMAT,
				      "'%s' needs both image (an OCI layout directory) and "
				      "apkindex (a directory with <arch>/APKINDEX)",
				      path);
	return 0;
}

static const struct cfg_field contents_fields[] = {
	{ "build_repositories", contents_build_repositories },
	{ "runtime_repositories", contents_runtime_repositories },
	{ "repositories", contents_repositories },
	{ "keyring", contents_keyring },
	{ "runtime_keyring", contents_runtime_keyring },
	{ "packages", contents_packages },
	{ "baseimage", contents_baseimage },
};

static int top_contents(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj)
{
	return cfg_decode_fields(c, v, path, contents_fields, N(contents_fields),
				 &((struct mint_image_config *)obj)->contents);
}

/* --- entrypoint ---------------------------------------------------------- */

static int entrypoint_type(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	struct mint_image_entrypoint *e = obj;
	int rc = cfg_decode_str(c, v, path, &e->type);
	if (rc || cfg_empty(e->type) || !strcmp(e->type, "service-bundle"))
		return rc;
	return mint_yaml_fail(c->doc, v, c->err, MINT_EFORMAT,
			      "'%s' must be 'service-bundle' (the only type apko has) or absent: "
			      "got '%s'",
			      path, e->type);
}

static int entrypoint_command(struct cfg_ctx *c, const struct mint_yaml_node *v,
			      const char *path, void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_entrypoint *)obj)->command);
}

static int entrypoint_shell_fragment(struct cfg_ctx *c, const struct mint_yaml_node *v,
				     const char *path, void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_entrypoint *)obj)->shell_fragment);
}

static int entrypoint_services(struct cfg_ctx *c, const struct mint_yaml_node *v,
			       const char *path, void *obj)
{
	return cfg_decode_kvs(c, v, path, &((struct mint_image_entrypoint *)obj)->services);
}

static const struct cfg_field entrypoint_fields[] = {
	{ "type", entrypoint_type },
	{ "command", entrypoint_command },
	{ "shell-fragment", entrypoint_shell_fragment },
	{ "services", entrypoint_services },
};

static int top_entrypoint(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			  void *obj)
{
	return cfg_decode_fields(c, v, path, entrypoint_fields, N(entrypoint_fields),
				 &((struct mint_image_config *)obj)->entrypoint);
}

/* --- simple top-level fields -------------------------------------------- */

static int top_cmd(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path, void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_config *)obj)->cmd);
}

static int top_stop_signal(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_config *)obj)->stop_signal);
}

static int top_work_dir(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_config *)obj)->work_dir);
}

static int top_environment(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	return cfg_decode_kvs(c, v, path, &((struct mint_image_config *)obj)->environment);
}

static int top_vcs_url(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_config *)obj)->vcs_url);
}

static int top_annotations(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	return cfg_decode_kvs(c, v, path, &((struct mint_image_config *)obj)->annotations);
}

static int top_include(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_config *)obj)->include);
}

static int top_volumes(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj)
{
	return cfg_decode_strs(c, v, path, &((struct mint_image_config *)obj)->volumes);
}

static int top_format(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		      void *obj)
{
	struct mint_image_config *cfg = obj;
	int rc = cfg_decode_str(c, v, path, &cfg->format);
	if (rc || cfg_empty(cfg->format) || !strcmp(cfg->format, "tar") ||
	    !strcmp(cfg->format, "erofs"))
		return rc;
	return mint_yaml_fail(c->doc, v, c->err, MINT_EFORMAT,
			      "'%s' must be 'tar' (the default) or 'erofs': got '%s'", path,
			      cfg->format);
}

/* --- archs --------------------------------------------------------------- */

int cfg_arch_from_text(struct cfg_ctx *c, const struct mint_yaml_node *n, const char *path,
		       const char *name, enum mint_arch *out)
{
	if (mint_arch_parse(name, out))
		return 0;
	const char *hint = !strcmp(name, "all") || !strcmp(name, "host")
				   ? " ('all' and 'host' work only on the command line, with --arch)"
				   : "";
	return mint_yaml_fail(c->doc, n, c->err, MINT_EFORMAT,
			      "'%s' is '%s', not an architecture apko builds: one of 386, amd64, "
			      "arm64, arm/v6, arm/v7, loong64, ppc64le, riscv64, s390x, or their apk "
			      "names x86, x86_64, aarch64, armhf, armv7, loongarch64%s",
			      path, name, hint);
}

static int arch_order(const void *a, const void *b)
{
	return mint_arch_compare(*(const enum mint_arch *)a, *(const enum mint_arch *)b);
}

static int top_archs(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		     void *obj)
{
	struct mint_image_config *cfg = obj;
	struct mint_image_strs names = { 0 };
	bool seen[MINT_ARCH_COUNT] = { false };
	int rc = cfg_decode_strs(c, v, path, &names);
	free(cfg->archs);
	cfg->archs = NULL;
	cfg->n_archs = 0;
	if (!rc && names.n && !(cfg->archs = calloc(names.n, sizeof(*cfg->archs))))
		rc = mint_yaml_fail(c->doc, v, c->err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < names.n; i++) {
		char sub[CFG_PATH_MAX];
		enum mint_arch a;
		cfg_path_index(sub, path, i);
		rc = cfg_arch_from_text(c, v->items[i], sub, names.v[i], &a);
		if (!rc && !seen[a]) {
			seen[a] = true;
			cfg->archs[cfg->n_archs++] = a;
		}
	}
	mint_image_strs_free(&names);
	if (!rc)
		qsort(cfg->archs, cfg->n_archs, sizeof(*cfg->archs), arch_order);
	return rc;
}

/* --- layering ------------------------------------------------------------ */

static int layering_strategy(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			     void *obj)
{
	struct mint_image_config *cfg = obj;
	int rc = cfg_decode_str(c, v, path, &cfg->layering_strategy);
	if (rc || cfg_empty(cfg->layering_strategy) || !strcmp(cfg->layering_strategy, "origin"))
		return rc;
	return mint_yaml_fail(c->doc, v, c->err, MINT_EFORMAT,
			      "'%s' must be 'origin' (the only strategy apko has): got '%s'", path,
			      cfg->layering_strategy);
}

static int layering_budget(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	struct mint_image_config *cfg = obj;
	return mint_yaml_get_int(c->doc, v, path, 0, INT64_MAX, &cfg->layering_budget, NULL, c->err);
}

static const struct cfg_field layering_fields[] = {
	{ "strategy", layering_strategy },
	{ "budget", layering_budget },
};

static int top_layering(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj)
{
	struct mint_image_config *cfg = obj;
	int rc = cfg_decode_fields(c, v, path, layering_fields, N(layering_fields), cfg);
	if (rc || mint_yaml_is_null(v))
		return rc;
	cfg->has_layering = true;
	if (cfg->layering_budget && cfg_empty(cfg->layering_strategy))
		return mint_yaml_fail(c->doc, v, c->err, MINT_EFORMAT,
				      "'%s' sets a budget but no strategy: add `strategy: origin`, "
				      "or remove layering for a single layer",
				      path);
	return 0;
}

/* --- certificates -------------------------------------------------------- */

static int certificates_additional(struct cfg_ctx *c, const struct mint_yaml_node *v,
				   const char *path, void *obj)
{
	struct mint_image_config *cfg = obj;
	return decode_pems(c, v, path, &cfg->certificates_additional,
			   &cfg->n_certificates_additional, check_certificate);
}

static int certificates_providers(struct cfg_ctx *c, const struct mint_yaml_node *v,
				  const char *path, void *obj)
{
	return decode_nonempty_strs(c, v, path,
				    &((struct mint_image_config *)obj)->certificates_providers);
}

static const struct cfg_field certificates_fields[] = {
	{ "additional", certificates_additional },
	{ "providers", certificates_providers },
};

static int top_certificates(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			    void *obj)
{
	struct mint_image_config *cfg = obj;
	int rc = cfg_decode_fields(c, v, path, certificates_fields, N(certificates_fields), cfg);
	if (!rc && !mint_yaml_is_null(v))
		cfg->has_certificates = true;
	return rc;
}

/* --- the top level ------------------------------------------------------- */

static const struct cfg_field top_fields[] = {
	{ "contents", top_contents },
	{ "entrypoint", top_entrypoint },
	{ "cmd", top_cmd },
	{ "stop-signal", top_stop_signal },
	{ "work-dir", top_work_dir },
	{ "accounts", cfg_decode_accounts },
	{ "archs", top_archs },
	{ "environment", top_environment },
	{ "paths", cfg_decode_paths },
	{ "vcs-url", top_vcs_url },
	{ "annotations", top_annotations },
	{ "include", top_include },
	{ "volumes", top_volumes },
	{ "layering", top_layering },
	{ "format", top_format },
	{ "certificates", top_certificates },
};

int cfg_decode_config(struct cfg_ctx *c, const struct mint_yaml_node *root,
		      struct mint_image_config *out)
{
	return cfg_decode_config_at(c, root, "", out);
}

int cfg_decode_config_at(struct cfg_ctx *c, const struct mint_yaml_node *node, const char *path,
			 struct mint_image_config *out)
{
	return cfg_decode_fields(c, node, path, top_fields, N(top_fields), out);
}

/* --- rules across fields ------------------------------------------------- */

static bool entrypoint_empty(const struct mint_image_entrypoint *e)
{
	return cfg_empty(e->type) && cfg_empty(e->command) && cfg_empty(e->shell_fragment) &&
	       !e->services.n;
}

bool cfg_layering_set(const struct mint_image_config *cfg)
{
	return !cfg_empty(cfg->layering_strategy) || cfg->layering_budget;
}

/* The first field apko refuses next to contents.baseimage, or NULL. */
const char *cfg_baseimage_conflict(const struct mint_image_config *cfg)
{
	if (!cfg->contents.has_baseimage)
		return NULL;
	if (!entrypoint_empty(&cfg->entrypoint))
		return "entrypoint";
	if (!cfg_empty(cfg->cmd))
		return "cmd";
	if (!cfg_empty(cfg->stop_signal))
		return "stop-signal";
	if (!cfg_empty(cfg->work_dir))
		return "work-dir";
	if (!cfg_accounts_empty(&cfg->accounts))
		return "accounts";
	if (cfg->environment.n)
		return "environment";
	if (cfg->n_paths)
		return "paths";
	if (cfg->annotations.n)
		return "annotations";
	if (cfg_layering_set(cfg))
		return "layering";
	return NULL;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int check_runtime_keyring(const struct mint_image_config *cfg, struct mint_err *err)
{
	const struct mint_image_contents *ct = &cfg->contents;
	for (size_t i = 0; i < ct->n_runtime_keyring; i++) {
		const char *name = ct->runtime_keyring[i].name;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(name, ct->runtime_keyring[j].name))
				return mint_err_set(err, MINT_EFORMAT,
						    "contents.runtime_keyring names '%s' twice "
						    "(entries %zu and %zu)",
						    name, j, i);
		for (size_t k = 0; k < ct->keyring.n; k++)
			if (!strcmp(name, base_name(ct->keyring.v[k])))
				return mint_err_set(err, MINT_EFORMAT,
						    "contents.runtime_keyring entry '%s' would "
						    "replace keyring file '%s' in /etc/apk/keys: "
						    "rename one",
						    name, ct->keyring.v[k]);
	}
	return 0;
}

int mint_image_config_validate(const struct mint_image_config *cfg, struct mint_err *err)
{
	int rc = check_runtime_keyring(cfg, err);
	if (rc)
		return rc;
	const char *conflict = cfg_baseimage_conflict(cfg);
	if (conflict)
		return mint_err_set(err, MINT_EFORMAT,
				    "'%s' cannot be used with contents.baseimage: a config on a "
				    "base image may set only contents, archs and include",
				    conflict);
	if (cfg->format && !strcmp(cfg->format, "erofs") && cfg_layering_set(cfg))
		return mint_err_set(err, MINT_EFORMAT,
				    "format 'erofs' makes a single-layer image: remove layering");
	return 0;
}

/* --- defaults, merging, freeing ------------------------------------------ */

int mint_image_config_apply_defaults(struct mint_image_config *cfg, struct mint_err *err)
{
	struct mint_image_entrypoint *e = &cfg->entrypoint;
	if (e->type && !strcmp(e->type, "service-bundle")) {
		free(e->command);
		if (cfg_strdup(&e->command, "/bin/s6-svscan /sv") ||
		    cfg_strs_push(&cfg->contents.packages, "s6"))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < cfg->accounts.n_users; i++) {
		struct mint_image_user *u = &cfg->accounts.users[i];
		if (!cfg_empty(u->homedir) || !u->username)
			continue;
		size_t len = strlen("/home/") + strlen(u->username) + 1;
		char *home = malloc(len);
		if (!home)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		strcpy(home, "/home/");
		strcat(home, u->username);
		free(u->homedir);
		u->homedir = home;
	}
	return 0;
}

int mint_image_config_default_archs(struct mint_image_config *cfg, struct mint_err *err)
{
	if (cfg->n_archs)
		return 0;
	free(cfg->archs);
	cfg->archs = calloc(MINT_ARCH_COUNT, sizeof(*cfg->archs));
	if (!cfg->archs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (int a = 0; a < MINT_ARCH_COUNT; a++)
		cfg->archs[a] = (enum mint_arch)a;
	cfg->n_archs = MINT_ARCH_COUNT;
	qsort(cfg->archs, cfg->n_archs, sizeof(*cfg->archs), arch_order);
	return 0;
}

static int copy_if_empty(char **dst, const char *src)
{
	if (!cfg_empty(*dst) || cfg_empty(src))
		return 0;
	free(*dst);
	return cfg_strdup(dst, src);
}

static int kvs_fill(struct mint_image_kvs *dst, const struct mint_image_kvs *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (!cfg_kvs_get(dst, src->v[i].key) &&
		    cfg_kvs_set(dst, src->v[i].key, src->v[i].value))
			return MINT_ENOMEM;
	return 0;
}

static int pems_prepend_copy(struct mint_image_named_pem **dst, size_t *n_dst,
			     const struct mint_image_named_pem *src, size_t n_src)
{
	if (!n_src)
		return 0;
	struct mint_image_named_pem *v = calloc(n_src + *n_dst, sizeof(*v));
	if (!v)
		return MINT_ENOMEM;
	for (size_t i = 0; i < n_src; i++) {
		if (cfg_strdup(&v[i].name, src[i].name) ||
		    cfg_strdup(&v[i].content, src[i].content)) {
			pems_free(v, i + 1);
			return MINT_ENOMEM;
		}
	}
	if (*n_dst)
		memcpy(v + n_src, *dst, *n_dst * sizeof(*v));
	free(*dst);
	*dst = v;
	*n_dst += n_src;
	return 0;
}

static int merge_entrypoint(const struct mint_image_entrypoint *src,
			    struct mint_image_entrypoint *dst)
{
	if (!entrypoint_empty(dst) || entrypoint_empty(src))
		return 0;
	free(dst->type);
	free(dst->command);
	free(dst->shell_fragment);
	cfg_kvs_free(&dst->services);
	memset(dst, 0, sizeof(*dst));
	if (cfg_strdup(&dst->type, src->type) || cfg_strdup(&dst->command, src->command) ||
	    cfg_strdup(&dst->shell_fragment, src->shell_fragment))
		return MINT_ENOMEM;
	return kvs_fill(&dst->services, &src->services);
}

static int merge_contents(const struct mint_image_contents *src, struct mint_image_contents *dst)
{
	if (cfg_strs_prepend_copy(&dst->keyring, &src->keyring) ||
	    cfg_strs_prepend_copy(&dst->build_repositories, &src->build_repositories) ||
	    cfg_strs_prepend_copy(&dst->runtime_repositories, &src->runtime_repositories) ||
	    cfg_strs_prepend_copy(&dst->repositories, &src->repositories) ||
	    pems_prepend_copy(&dst->runtime_keyring, &dst->n_runtime_keyring, src->runtime_keyring,
			      src->n_runtime_keyring) ||
	    cfg_strs_prepend_copy(&dst->packages, &src->packages))
		return MINT_ENOMEM;
	return 0;
}

static int merge_archs(const struct mint_image_config *src, struct mint_image_config *dst)
{
	if (dst->n_archs || !src->n_archs)
		return 0;
	free(dst->archs);
	dst->archs = malloc(src->n_archs * sizeof(*dst->archs));
	if (!dst->archs)
		return MINT_ENOMEM;
	memcpy(dst->archs, src->archs, src->n_archs * sizeof(*dst->archs));
	dst->n_archs = src->n_archs;
	return 0;
}

int mint_image_config_merge_into(const struct mint_image_config *src,
				 struct mint_image_config *target, struct mint_err *err)
{
	if (merge_entrypoint(&src->entrypoint, &target->entrypoint) ||
	    copy_if_empty(&target->cmd, src->cmd) ||
	    copy_if_empty(&target->stop_signal, src->stop_signal) ||
	    copy_if_empty(&target->work_dir, src->work_dir) || merge_archs(src, target) ||
	    cfg_accounts_merge(&src->accounts, &target->accounts) ||
	    kvs_fill(&target->environment, &src->environment) ||
	    cfg_paths_prepend_copy(target, src->paths, src->n_paths) ||
	    kvs_fill(&target->annotations, &src->annotations) ||
	    cfg_strs_prepend_copy(&target->volumes, &src->volumes) ||
	    merge_contents(&src->contents, &target->contents))
		return mint_err_set(err, MINT_ENOMEM, "out of memory merging configurations");
	return 0;
}

static void contents_free(struct mint_image_contents *ct)
{
	mint_image_strs_free(&ct->build_repositories);
	mint_image_strs_free(&ct->runtime_repositories);
	mint_image_strs_free(&ct->repositories);
	mint_image_strs_free(&ct->keyring);
	pems_free(ct->runtime_keyring, ct->n_runtime_keyring);
	mint_image_strs_free(&ct->packages);
	free(ct->baseimage_image);
	free(ct->baseimage_apkindex);
}

void mint_image_config_free(struct mint_image_config *cfg)
{
	if (!cfg)
		return;
	contents_free(&cfg->contents);
	free(cfg->entrypoint.type);
	free(cfg->entrypoint.command);
	free(cfg->entrypoint.shell_fragment);
	cfg_kvs_free(&cfg->entrypoint.services);
	free(cfg->cmd);
	free(cfg->stop_signal);
	free(cfg->work_dir);
	cfg_accounts_free(&cfg->accounts);
	free(cfg->archs);
	cfg_kvs_free(&cfg->environment);
	cfg_paths_free(cfg);
	free(cfg->vcs_url);
	cfg_kvs_free(&cfg->annotations);
	free(cfg->include);
	mint_image_strs_free(&cfg->volumes);
	free(cfg->layering_strategy);
	free(cfg->format);
	pems_free(cfg->certificates_additional, cfg->n_certificates_additional);
	mint_image_strs_free(&cfg->certificates_providers);
	memset(cfg, 0, sizeof(*cfg));
}
