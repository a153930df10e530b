/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The accounts section of an image config: users, groups and run-as, read
 * and checked as apko does (a user needs a name and a uid other than 0, a
 * group a name), then merged and freed. Writing /etc/passwd is not here.
 */
#include "config_internal.h"

#include <stdlib.h>
#include <string.h>

static int user_username(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_user *)obj)->username);
}

static int user_uid(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		    void *obj)
{
	uint64_t x = 0;
	int rc = mint_yaml_get_uint(c->doc, v, path, UINT32_MAX, &x, NULL, c->err);
	((struct mint_image_user *)obj)->uid = (uint32_t)x;
	return rc;
}

static int user_gid(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		    void *obj)
{
	struct mint_image_user *u = obj;
	uint64_t x = 0;
	int rc = mint_yaml_get_uint(c->doc, v, path, UINT32_MAX, &x, &u->has_gid, c->err);
	u->gid = (uint32_t)x;
	return rc;
}

static int user_shell(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		      void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_user *)obj)->shell);
}

static int user_homedir(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_user *)obj)->homedir);
}

static const struct cfg_field user_fields[] = {
	{ "username", user_username }, { "uid", user_uid },         { "gid", user_gid },
	{ "shell", user_shell },       { "homedir", user_homedir },
};

static int group_groupname(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	return cfg_decode_str(c, v, path, &((struct mint_image_group *)obj)->groupname);
}

static int group_gid(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		     void *obj)
{
	uint64_t x = 0;
	int rc = mint_yaml_get_uint(c->doc, v, path, UINT32_MAX, &x, NULL, c->err);
	((struct mint_image_group *)obj)->gid = (uint32_t)x;
	return rc;
}

static int group_members(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj)
{
	return cfg_decode_strs(c, v, path, &((struct mint_image_group *)obj)->members);
}

static const struct cfg_field group_fields[] = {
	{ "groupname", group_groupname },
	{ "gid", group_gid },
	{ "members", group_members },
};

static int check_user(struct cfg_ctx *c, const struct mint_yaml_node *n, const char *path,
		      const struct mint_image_user *u)
{
	if (cfg_empty(u->username))
		return mint_yaml_fail(c->doc, n, c->err, MINT_EFORMAT,
				      "'%s' has no username", path);
	if (u->uid == 0)
		return mint_yaml_fail(c->doc, n, c->err, MINT_EFORMAT,
				      "user '%s' ('%s') has uid 0 or none: give it a uid above 0 "
				      "(to run as root, use `run-as: 0`)",
				      u->username, path);
	return 0;
}

static void user_free(struct mint_image_user *u)
{
	free(u->username);
	free(u->shell);
	free(u->homedir);
}

static void group_free(struct mint_image_group *g)
{
	free(g->groupname);
	mint_image_strs_free(&g->members);
}

static int decode_users(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj)
{
	struct mint_image_accounts *a = obj;
	int rc = mint_yaml_want_sequence(c->doc, v, path, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	for (size_t i = 0; i < a->n_users; i++)
		user_free(&a->users[i]);
	free(a->users);
	a->n_users = 0;
	if (!v->n)
		return 0;
	if (!(a->users = calloc(v->n, sizeof(*a->users))))
		return mint_yaml_fail(c->doc, v, c->err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < v->n; i++) {
		char sub[CFG_PATH_MAX];
		cfg_path_index(sub, path, i);
		a->n_users++;
		rc = cfg_decode_fields(c, v->items[i], sub, user_fields,
				       sizeof(user_fields) / sizeof(user_fields[0]), &a->users[i]);
		if (!rc)
			rc = check_user(c, v->items[i], sub, &a->users[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int decode_groups(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj)
{
	struct mint_image_accounts *a = obj;
	int rc = mint_yaml_want_sequence(c->doc, v, path, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	for (size_t i = 0; i < a->n_groups; i++)
		group_free(&a->groups[i]);
	free(a->groups);
	a->n_groups = 0;
	if (!v->n)
		return 0;
	if (!(a->groups = calloc(v->n, sizeof(*a->groups))))
		return mint_yaml_fail(c->doc, v, c->err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < v->n; i++) {
		char sub[CFG_PATH_MAX];
		cfg_path_index(sub, path, i);
		a->n_groups++;
		rc = cfg_decode_fields(c, v->items[i], sub, group_fields,
				       sizeof(group_fields) / sizeof(group_fields[0]),
				       &a->groups[i]);
		if (!rc && cfg_empty(a->groups[i].groupname))
			rc = mint_yaml_fail(c->doc, v->items[i], c->err, MINT_EFORMAT,
					    "'%s' has no groupname", sub);
		if (rc)
			return rc;
	}
	return 0;
}

/* A user name or uid, optionally ":group": what an OCI config's User holds. */
static bool run_as_ok(const char *s)
{
	const char *colon = strchr(s, ':');
	if (colon && (colon == s || !colon[1] || strchr(colon + 1, ':')))
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

static int decode_run_as(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj)
{
	struct mint_image_accounts *a = obj;
	int rc = cfg_decode_str(c, v, path, &a->run_as);
	if (rc || cfg_empty(a->run_as) || run_as_ok(a->run_as))
		return rc;
	return mint_yaml_fail(c->doc, v, c->err, MINT_EFORMAT,
			      "'%s' must be a user name or uid, optionally followed by "
			      "':group', without blanks: got '%s'",
			      path, a->run_as);
}

static const struct cfg_field accounts_fields[] = {
	{ "run-as", decode_run_as },
	{ "users", decode_users },
	{ "groups", decode_groups },
};

int cfg_decode_accounts(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj)
{
	struct mint_image_config *cfg = obj;
	return cfg_decode_fields(c, v, path, accounts_fields,
				 sizeof(accounts_fields) / sizeof(accounts_fields[0]),
				 &cfg->accounts);
}

static int user_copy(struct mint_image_user *dst, const struct mint_image_user *src)
{
	*dst = *src;
	dst->username = dst->shell = dst->homedir = NULL;
	if (cfg_strdup(&dst->username, src->username) || cfg_strdup(&dst->shell, src->shell) ||
	    cfg_strdup(&dst->homedir, src->homedir)) {
		user_free(dst);
		return MINT_ENOMEM;
	}
	return 0;
}

static int group_copy(struct mint_image_group *dst, const struct mint_image_group *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->gid = src->gid;
	if (cfg_strdup(&dst->groupname, src->groupname) ||
	    cfg_strs_prepend_copy(&dst->members, &src->members)) {
		group_free(dst);
		return MINT_ENOMEM;
	}
	return 0;
}

static int merge_users(const struct mint_image_accounts *src, struct mint_image_accounts *dst)
{
	if (!src->n_users)
		return 0;
	size_t n = src->n_users + dst->n_users;
	struct mint_image_user *v = calloc(n, sizeof(*v));
	if (!v)
		return MINT_ENOMEM;
	for (size_t i = 0; i < src->n_users; i++) {
		if (user_copy(&v[i], &src->users[i])) {
			while (i--)
				user_free(&v[i]);
			free(v);
			return MINT_ENOMEM;
		}
	}
	if (dst->n_users)
		memcpy(v + src->n_users, dst->users, dst->n_users * sizeof(*v));
	free(dst->users);
	dst->users = v;
	dst->n_users = n;
	return 0;
}

static int merge_groups(const struct mint_image_accounts *src, struct mint_image_accounts *dst)
{
	if (!src->n_groups)
		return 0;
	size_t n = src->n_groups + dst->n_groups;
	struct mint_image_group *v = calloc(n, sizeof(*v));
	if (!v)
		return MINT_ENOMEM;
	for (size_t i = 0; i < src->n_groups; i++) {
		if (group_copy(&v[i], &src->groups[i])) {
			while (i--)
				group_free(&v[i]);
			free(v);
			return MINT_ENOMEM;
		}
	}
	if (dst->n_groups)
		memcpy(v + src->n_groups, dst->groups, dst->n_groups * sizeof(*v));
	free(dst->groups);
	dst->groups = v;
	dst->n_groups = n;
	return 0;
}

int cfg_accounts_merge(const struct mint_image_accounts *src, struct mint_image_accounts *dst)
{
	if (cfg_empty(dst->run_as) && !cfg_empty(src->run_as)) {
		free(dst->run_as);
		if (cfg_strdup(&dst->run_as, src->run_as))
			return MINT_ENOMEM;
	}
	int rc = merge_users(src, dst);
	return rc ? rc : merge_groups(src, dst);
}

bool cfg_accounts_empty(const struct mint_image_accounts *a)
{
	return cfg_empty(a->run_as) && !a->n_users && !a->n_groups;
}

void cfg_accounts_free(struct mint_image_accounts *a)
{
	free(a->run_as);
	for (size_t i = 0; i < a->n_users; i++)
		user_free(&a->users[i]);
	free(a->users);
	for (size_t i = 0; i < a->n_groups; i++)
		group_free(&a->groups[i]);
	free(a->groups);
	memset(a, 0, sizeof(*a));
}
