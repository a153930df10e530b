/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An image config as the JSON apko writes to /etc/apko.json: what Go's
 * encoding/json makes of apko's ImageConfiguration. Fields come in the
 * order of the Go struct; omitempty fields are left out when empty (the
 * contents, entrypoint and accounts structs never are); pointer fields
 * (baseimage, layering, certificates, a user's gid, a path's uid and gid)
 * appear whenever they were set, even to zero or {}; map keys are sorted;
 * strings are escaped as Go escapes them, <, > and & included. The lock's
 * config checksum and image digests depend on these bytes, so the layout
 * here is deliberate down to the byte.
 */
#include "config_internal.h"

#include "mint/gojson.h"

#include <stdio.h>
#include <string.h>

struct jw {
	struct mint_buf *out;
	bool first; /* no comma before the next member or element */
	int rc;
};

static void raw(struct jw *w, const char *s, size_t len)
{
	if (!w->rc && mint_buf_append(w->out, s, len))
		w->rc = MINT_ENOMEM;
}

static void raw_str(struct jw *w, const char *s)
{
	raw(w, s, strlen(s));
}

static void string(struct jw *w, const char *s)
{
	if (!w->rc && mint_gojson_quote(w->out, s, strlen(s)))
		w->rc = MINT_ENOMEM;
}

static void sep(struct jw *w)
{
	if (!w->first)
		raw(w, ",", 1);
	w->first = false;
}

static void key(struct jw *w, const char *k)
{
	sep(w);
	string(w, k);
	raw(w, ":", 1);
}

static void begin(struct jw *w, const char *brace)
{
	raw_str(w, brace);
	w->first = true;
}

static void end(struct jw *w, const char *brace)
{
	raw_str(w, brace);
	w->first = false;
}

static void str_field(struct jw *w, const char *k, const char *v)
{
	if (cfg_empty(v))
		return;
	key(w, k);
	string(w, v);
}

static void num_field(struct jw *w, const char *k, long long v)
{
	char text[32];
	key(w, k);
	snprintf(text, sizeof(text), "%lld", v);
	raw_str(w, text);
}

static void strs_field(struct jw *w, const char *k, const struct mint_image_strs *l)
{
	if (!l->n)
		return;
	key(w, k);
	begin(w, "[");
	for (size_t i = 0; i < l->n; i++) {
		sep(w);
		string(w, l->v[i]);
	}
	end(w, "]");
}

static void kvs_field(struct jw *w, const char *k, const struct mint_image_kvs *m)
{
	if (!m->n)
		return;
	key(w, k);
	begin(w, "{");
	for (size_t i = 0; i < m->n; i++) {
		key(w, m->v[i].key);
		string(w, m->v[i].value);
	}
	end(w, "}");
}

static void pems_field(struct jw *w, const char *k, const struct mint_image_named_pem *v,
		       size_t n)
{
	if (!n)
		return;
	key(w, k);
	begin(w, "[");
	for (size_t i = 0; i < n; i++) {
		sep(w);
		begin(w, "{");
		str_field(w, "name", v[i].name);
		str_field(w, "content", v[i].content);
		end(w, "}");
	}
	end(w, "]");
}

static void contents(struct jw *w, const struct mint_image_contents *c)
{
	key(w, "contents");
	begin(w, "{");
	strs_field(w, "build_repositories", &c->build_repositories);
	strs_field(w, "runtime_repositories", &c->runtime_repositories);
	strs_field(w, "repositories", &c->repositories);
	strs_field(w, "keyring", &c->keyring);
	pems_field(w, "runtime_keyring", c->runtime_keyring, c->n_runtime_keyring);
	strs_field(w, "packages", &c->packages);
	if (c->has_baseimage) {
		key(w, "baseimage");
		begin(w, "{");
		str_field(w, "image", c->baseimage_image);
		str_field(w, "apkindex", c->baseimage_apkindex);
		end(w, "}");
	}
	end(w, "}");
}

static void entrypoint(struct jw *w, const struct mint_image_entrypoint *e)
{
	key(w, "entrypoint");
	begin(w, "{");
	str_field(w, "type", e->type);
	str_field(w, "command", e->command);
	str_field(w, "shell-fragment", e->shell_fragment);
	kvs_field(w, "services", &e->services);
	end(w, "}");
}

static void user(struct jw *w, const struct mint_image_user *u)
{
	begin(w, "{");
	str_field(w, "username", u->username);
	if (u->uid)
		num_field(w, "uid", u->uid);
	if (u->has_gid)
		num_field(w, "gid", u->gid);
	str_field(w, "shell", u->shell);
	str_field(w, "homedir", u->homedir);
	end(w, "}");
}

static void group(struct jw *w, const struct mint_image_group *g)
{
	begin(w, "{");
	str_field(w, "groupname", g->groupname);
	if (g->gid)
		num_field(w, "gid", g->gid);
	strs_field(w, "members", &g->members);
	end(w, "}");
}

static void accounts(struct jw *w, const struct mint_image_accounts *a)
{
	key(w, "accounts");
	begin(w, "{");
	str_field(w, "run-as", a->run_as);
	if (a->n_users) {
		key(w, "users");
		begin(w, "[");
		for (size_t i = 0; i < a->n_users; i++) {
			sep(w);
			user(w, &a->users[i]);
		}
		end(w, "]");
	}
	if (a->n_groups) {
		key(w, "groups");
		begin(w, "[");
		for (size_t i = 0; i < a->n_groups; i++) {
			sep(w);
			group(w, &a->groups[i]);
		}
		end(w, "]");
	}
	end(w, "}");
}

static void archs(struct jw *w, const struct mint_image_config *cfg)
{
	if (!cfg->n_archs)
		return;
	key(w, "archs");
	begin(w, "[");
	for (size_t i = 0; i < cfg->n_archs; i++) {
		sep(w);
		string(w, mint_arch_to_oci(cfg->archs[i]));
	}
	end(w, "]");
}

static void path(struct jw *w, const struct mint_image_path *p)
{
	begin(w, "{");
	str_field(w, "path", p->path);
	str_field(w, "type", cfg_path_type_name(p->type));
	if (p->has_uid)
		num_field(w, "uid", p->uid);
	if (p->has_gid)
		num_field(w, "gid", p->gid);
	if (p->permissions)
		num_field(w, "permissions", p->permissions);
	str_field(w, "source", p->source);
	if (p->recursive) {
		key(w, "recursive");
		raw_str(w, "true");
	}
	end(w, "}");
}

static void paths(struct jw *w, const struct mint_image_config *cfg)
{
	if (!cfg->n_paths)
		return;
	key(w, "paths");
	begin(w, "[");
	for (size_t i = 0; i < cfg->n_paths; i++) {
		sep(w);
		path(w, &cfg->paths[i]);
	}
	end(w, "]");
}

static void layering(struct jw *w, const struct mint_image_config *cfg)
{
	if (!cfg->has_layering)
		return;
	key(w, "layering");
	begin(w, "{");
	str_field(w, "strategy", cfg->layering_strategy);
	if (cfg->layering_budget)
		num_field(w, "budget", cfg->layering_budget);
	end(w, "}");
}

static void certificates(struct jw *w, const struct mint_image_config *cfg)
{
	if (!cfg->has_certificates)
		return;
	key(w, "certificates");
	begin(w, "{");
	pems_field(w, "additional", cfg->certificates_additional, cfg->n_certificates_additional);
	strs_field(w, "providers", &cfg->certificates_providers);
	end(w, "}");
}

int mint_image_config_to_json(const struct mint_image_config *cfg, struct mint_buf *out)
{
	struct jw w = { out, true, 0 };
	begin(&w, "{");
	contents(&w, &cfg->contents);
	entrypoint(&w, &cfg->entrypoint);
	str_field(&w, "cmd", cfg->cmd);
	str_field(&w, "stop-signal", cfg->stop_signal);
	str_field(&w, "work-dir", cfg->work_dir);
	accounts(&w, &cfg->accounts);
	archs(&w, cfg);
	kvs_field(&w, "environment", &cfg->environment);
	paths(&w, cfg);
	str_field(&w, "vcs-url", cfg->vcs_url);
	kvs_field(&w, "annotations", &cfg->annotations);
	str_field(&w, "include", cfg->include);
	strs_field(&w, "volumes", &cfg->volumes);
	layering(&w, cfg);
	str_field(&w, "format", cfg->format);
	certificates(&w, cfg);
	end(&w, "}\n");
	return w.rc;
}
