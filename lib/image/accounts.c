/* SPDX-License-Identifier: Apache-2.0 */
/*
 * etc/passwd, etc/group and etc/shadow as apko writes them: the files the
 * packages ship, then the configured users and groups appended in config
 * order; plus the home directories to create and the numeric run-as uid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/image_files.h"

/* One name and id from a line of a shipped passwd or group file. */
struct account {
	struct mint_span name;
	uint32_t id;
};

struct account_list {
	struct account *items;
	size_t n;
};

static int list_add(struct account_list *l, struct mint_span name, uint32_t id)
{
	struct account *grown = realloc(l->items, (l->n + 1) * sizeof(*grown));
	if (!grown)
		return MINT_ENOMEM;
	l->items = grown;
	l->items[l->n++] = (struct account){ name, id };
	return 0;
}

static bool list_has_name(const struct account_list *l, struct mint_span name)
{
	for (size_t i = 0; i < l->n; i++) {
		if (mint_span_eq(l->items[i].name, name))
			return true;
	}
	return false;
}

static bool list_has_id(const struct account_list *l, uint32_t id)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->items[i].id == id)
			return true;
	}
	return false;
}

/* Reads "name:x:id:..." lines (at least min_fields fields); blank lines and
 * '#' comments are skipped. */
static int read_accounts(struct mint_span text, const char *file, size_t min_fields,
			 struct account_list *out, struct mint_err *err)
{
	struct mint_span rest = text, line;
	unsigned line_no = 0;
	while (rest.len && mint_span_split(&rest, '\n', &line)) {
		struct mint_span fields = line, name, pw, id;
		uint64_t v;
		size_t n_fields = 1;
		line_no++;
		if (!line.len || line.ptr[0] == '#')
			continue;
		for (size_t i = 0; i < line.len; i++)
			n_fields += line.ptr[i] == ':';
		mint_span_split(&fields, ':', &name);
		mint_span_split(&fields, ':', &pw);
		mint_span_split(&fields, ':', &id);
		if (n_fields < min_fields || !name.len || !mint_span_to_u64(id, &v) ||
		    v > UINT32_MAX || memchr(line.ptr, '\0', line.len)) {
			mint_err_set_file(err, file);
			mint_err_set_pos(err, line_no, 1);
			return mint_err_set(err, MINT_EFORMAT, "expected name:password:id with %zu fields",
					    min_fields);
		}
		if (list_add(out, name, (uint32_t)v))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	return 0;
}

/* The shipped text, with a newline added when its last line has none. */
static int put_existing(struct mint_buf *out, struct mint_span text)
{
	if (mint_buf_append_span(out, text))
		return MINT_ENOMEM;
	if (text.len && text.ptr[text.len - 1] != '\n')
		return mint_buf_putc(out, '\n');
	return 0;
}

static bool valid_field(const char *s)
{
	return s && s[0] && !strpbrk(s, ":\n\r");
}

static int user_home(const struct mint_image_account_user *u, struct mint_buf *home)
{
	if (u->homedir)
		return mint_buf_puts(home, u->homedir);
	return mint_buf_printf(home, "/home/%s", u->username);
}

static int add_home(struct mint_image_account_files *out, const char *path, uint32_t uid,
		    uint32_t gid)
{
	if (!strcmp(path, "/dev/null"))
		return 0;
	struct mint_image_home *grown = realloc(out->homes, (out->n_homes + 1) * sizeof(*grown));
	if (!grown)
		return MINT_ENOMEM;
	out->homes = grown;
	char *copy = strdup(path);
	if (!copy)
		return MINT_ENOMEM;
	out->homes[out->n_homes++] = (struct mint_image_home){ copy, uid, gid, 0700 };
	return 0;
}

static int add_user(const struct mint_image_account_user *u, struct account_list *users,
		    struct mint_image_account_files *out, struct mint_err *err)
{
	struct mint_buf home = MINT_BUF_INIT;
	const char *shell = u->shell ? u->shell : "/bin/sh";
	uint32_t gid = u->has_gid ? u->gid : u->uid;
	int rc;
	if (!valid_field(u->username) || !valid_field(shell) || (u->homedir && !valid_field(u->homedir)))
		return mint_err_set(err, MINT_EINVAL, "user \"%s\": empty name, shell or home, or one holding ':' or a line break",
				    u->username ? u->username : "");
	if (!u->uid)
		return mint_err_set(err, MINT_EINVAL, "user \"%s\": uid 0 is reserved for root",
				    u->username);
	if (list_has_name(users, mint_span_str(u->username)))
		return mint_err_set(err, MINT_EDUPLICATE, "user \"%s\" is defined twice", u->username);
	if (list_has_id(users, u->uid))
		return mint_err_set(err, MINT_EDUPLICATE, "user \"%s\": uid %u is taken",
				    u->username, u->uid);
	if ((rc = user_home(u, &home)) || (rc = list_add(users, mint_span_str(u->username), u->uid)) ||
	    (rc = mint_buf_printf(&out->passwd, "%s:x:%u:%u:Account created by apko:%s:%s\n",
				  u->username, u->uid, gid, mint_buf_cstr(&home), shell)) ||
	    (rc = mint_buf_printf(&out->shadow, "%s:!:::::::\n", u->username)) ||
	    (rc = add_home(out, mint_buf_cstr(&home), u->uid, gid)))
		rc = mint_err_set(err, rc, "out of memory");
	mint_buf_free(&home);
	return rc;
}

static int add_group(const struct mint_image_account_group *g, struct account_list *groups,
		     struct mint_buf *out, struct mint_err *err)
{
	if (!valid_field(g->groupname))
		return mint_err_set(err, MINT_EINVAL, "group \"%s\": empty name or one holding ':' or a line break",
				    g->groupname ? g->groupname : "");
	if (list_has_name(groups, mint_span_str(g->groupname)))
		return mint_err_set(err, MINT_EDUPLICATE, "group \"%s\" is defined twice",
				    g->groupname);
	if (list_add(groups, mint_span_str(g->groupname), g->gid) ||
	    mint_buf_printf(out, "%s:x:%u:", g->groupname, g->gid))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < g->n_members; i++) {
		if (!valid_field(g->members[i]) || strchr(g->members[i], ','))
			return mint_err_set(err, MINT_EINVAL, "group \"%s\": bad member name",
					    g->groupname);
		if ((i && mint_buf_putc(out, ',')) || mint_buf_puts(out, g->members[i]))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	return mint_buf_putc(out, '\n') ? mint_err_set(err, MINT_ENOMEM, "out of memory") : 0;
}

static int resolve_run_as(const char *run_as, const struct account_list *users,
			  struct mint_image_account_files *out, struct mint_err *err)
{
	uint64_t v;
	if (!run_as || !run_as[0])
		return 0;
	if (mint_span_to_u64(mint_span_str(run_as), &v)) {
		if (v > UINT32_MAX)
			return mint_err_set(err, MINT_EINVAL, "run-as uid %s is out of range", run_as);
		out->has_run_as = true;
		out->run_as_uid = (uint32_t)v;
		return 0;
	}
	for (size_t i = 0; i < users->n; i++) {
		if (mint_span_eq_str(users->items[i].name, run_as)) {
			out->has_run_as = true;
			out->run_as_uid = users->items[i].id;
			return 0;
		}
	}
	return mint_err_set(err, MINT_ENOTFOUND, "run-as user \"%s\" is not in /etc/passwd", run_as);
}

int mint_image_accounts_build(const struct mint_image_account_spec *cfg, struct mint_span passwd,
			      struct mint_span group, struct mint_span shadow,
			      struct mint_image_account_files *out, struct mint_err *err)
{
	struct account_list users = { NULL, 0 }, groups = { NULL, 0 };
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = read_accounts(passwd, "/etc/passwd", 7, &users, err)) ||
	    (rc = read_accounts(group, "/etc/group", 4, &groups, err)))
		goto out;
	out->write_group = cfg->n_groups > 0;
	out->write_shadow = cfg->n_users > 0;
	if (put_existing(&out->passwd, passwd) || put_existing(&out->group, group) ||
	    put_existing(&out->shadow, shadow)) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < cfg->n_users; i++) {
		if ((rc = add_user(&cfg->users[i], &users, out, err)))
			goto out;
	}
	for (size_t i = 0; i < cfg->n_groups; i++) {
		if ((rc = add_group(&cfg->groups[i], &groups, &out->group, err)))
			goto out;
	}
	rc = resolve_run_as(cfg->run_as, &users, out, err);
out:
	free(users.items);
	free(groups.items);
	if (rc)
		mint_image_account_files_free(out);
	return rc;
}

void mint_image_account_files_free(struct mint_image_account_files *f)
{
	mint_buf_free(&f->passwd);
	mint_buf_free(&f->group);
	mint_buf_free(&f->shadow);
	for (size_t i = 0; i < f->n_homes; i++)
		free(f->homes[i].path);
	free(f->homes);
	memset(f, 0, sizeof(*f));
}
