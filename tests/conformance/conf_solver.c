/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apk-tools' solver test cases (test/solver/NAME.test): each sets up
 * repositories, an installed database and a world, runs
 * "apk --simulate ARGS" and gives apk's exact output. This runner plays
 * apk's part for the add, del, upgrade and fix applets on top of
 * mint/apk_solver.h (world editing and option handling as apk does them)
 * and compares the text byte for byte.
 *
 * A case is skipped only when it uses something not emulated here (an
 * unknown option or applet); each skip is reported with its reason. Any
 * other case that differs fails the test.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_dep.h"
#include "mint/apk_index.h"
#include "mint/apk_installed.h"
#include "mint/apk_solver.h"
#include "mint/span.h"

#define SOLVER_DIR "apk-tools/test/solver"
#define MAX_ITEMS 64

static const char *const target_archs[] = { "x86_64" };

struct strv {
	char *v[MAX_ITEMS];
	size_t n;
};

static void strv_add(struct strv *s, struct mint_span text)
{
	assert_true(s->n < MAX_ITEMS);
	s->v[s->n] = mint_span_dup(text);
	assert_non_null(s->v[s->n]);
	s->n++;
}

static void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
}

static void split_words(struct mint_span text, struct strv *out)
{
	size_t i = 0;
	while (i < text.len) {
		while (i < text.len && (text.ptr[i] == ' ' || text.ptr[i] == '\t'))
			i++;
		size_t start = i;
		while (i < text.len && text.ptr[i] != ' ' && text.ptr[i] != '\t')
			i++;
		if (i > start)
			strv_add(out, MINT_SPAN(text.ptr + start, i - start));
	}
}

/* One .test file. */
struct spec {
	struct strv args, world, repo_files, repo_tags;
	char *installed, *cache;
	struct mint_buf expect;
};

static void spec_parse(struct mint_span text, struct spec *sp)
{
	struct mint_span rest = text, line;
	bool in_expect = false;
	memset(sp, 0, sizeof(*sp));
	while (rest.len && mint_span_split(&rest, '\n', &line)) {
		if (in_expect) {
			assert_int_equal(mint_buf_append_span(&sp->expect, line), 0);
			assert_int_equal(mint_buf_putc(&sp->expect, '\n'), 0);
		} else if (mint_span_starts_with(line, "@ARGS ")) {
			split_words(mint_span_skip(line, 6), &sp->args);
		} else if (mint_span_starts_with(line, "@WORLD ")) {
			split_words(mint_span_skip(line, 7), &sp->world);
		} else if (mint_span_starts_with(line, "@REPO ")) {
			struct strv w = { 0 };
			split_words(mint_span_skip(line, 6), &w);
			assert_true(w.n == 1 || w.n == 2);
			strv_add(&sp->repo_files, mint_span_str(w.v[w.n - 1]));
			strv_add(&sp->repo_tags, mint_span_str(w.n == 2 ? w.v[0] : ""));
			strv_free(&w);
		} else if (mint_span_starts_with(line, "@INSTALLED ")) {
			sp->installed = mint_span_dup(mint_span_skip(line, 11));
		} else if (mint_span_starts_with(line, "@CACHE ")) {
			sp->cache = mint_span_dup(mint_span_skip(line, 7));
		} else if (mint_span_eq_str(line, "@EXPECT")) {
			in_expect = true;
		}
	}
}

static void spec_free(struct spec *sp)
{
	strv_free(&sp->args);
	strv_free(&sp->world);
	strv_free(&sp->repo_files);
	strv_free(&sp->repo_tags);
	free(sp->installed);
	free(sp->cache);
	mint_buf_free(&sp->expect);
}

/* The command line, as apk's option parser sees it. */
struct cmdline {
	const char *applet;
	struct strv args;
	bool force_broken_world, no_network, root_tmpfs, verbose;
	struct strv preupgrade_depends;
	/* add */
	bool upgrade, latest;
	const char *virtual_pkg;
	/* upgrade */
	bool available, ignore, prune, preupgrade_only;
	/* fix */
	bool depends, reinstall;
	char skip_reason[128];
};

static bool takes_value(const char *opt)
{
	return !strcmp(opt, "-t") || !strcmp(opt, "--virtual") ||
	       !strcmp(opt, "--preupgrade-depends");
}

static bool set_option(struct cmdline *c, const char *opt, const char *val)
{
	if (!strcmp(opt, "--force-broken-world"))
		c->force_broken_world = true;
	else if (!strcmp(opt, "--no-network"))
		c->no_network = true;
	else if (!strcmp(opt, "--root-tmpfs=yes"))
		c->root_tmpfs = true;
	else if (!strcmp(opt, "--root-tmpfs=no"))
		c->root_tmpfs = false;
	else if (!strcmp(opt, "-v") || !strcmp(opt, "--verbose"))
		c->verbose = true;
	else if (!strcmp(opt, "--preupgrade-depends"))
		strv_add(&c->preupgrade_depends, mint_span_str(val));
	else if (!strcmp(opt, "-t") || !strcmp(opt, "--virtual"))
		c->virtual_pkg = val;
	else if (!strcmp(opt, "-l") || !strcmp(opt, "--latest"))
		c->latest = true;
	else if (!strcmp(opt, "-a") || !strcmp(opt, "--available"))
		c->available = true;
	else if (!strcmp(opt, "--ignore"))
		c->ignore = true;
	else if (!strcmp(opt, "--prune"))
		c->prune = true;
	else if (!strcmp(opt, "--self-upgrade-only") || !strcmp(opt, "--preupgrade-only"))
		c->preupgrade_only = true;
	else if (!strcmp(opt, "-d") || !strcmp(opt, "--depends"))
		c->depends = true;
	else if (!strcmp(opt, "-u") || !strcmp(opt, "--upgrade"))
		c->upgrade = true;
	else if (c->applet && !strcmp(c->applet, "fix") &&
		 (!strcmp(opt, "-r") || !strcmp(opt, "--reinstall")))
		c->reinstall = true;
	else
		return false;
	return true;
}

static void cmdline_parse(const struct strv *argv, struct cmdline *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < argv->n; i++) {
		const char *a = argv->v[i];
		if (a[0] != '-') {
			if (!c->applet)
				c->applet = a;
			else
				strv_add(&c->args, mint_span_str(a));
			continue;
		}
		const char *val = NULL;
		if (takes_value(a)) {
			if (i + 1 == argv->n) {
				snprintf(c->skip_reason, sizeof(c->skip_reason),
					 "option %s without a value", a);
				return;
			}
			val = argv->v[++i];
		}
		if (!set_option(c, a, val) && !c->skip_reason[0])
			snprintf(c->skip_reason, sizeof(c->skip_reason),
				 "apk option %s is not emulated", a);
	}
	if (!c->applet)
		snprintf(c->skip_reason, sizeof(c->skip_reason), "no applet");
	else if (strcmp(c->applet, "add") && strcmp(c->applet, "del") &&
		 strcmp(c->applet, "upgrade") && strcmp(c->applet, "fix"))
		snprintf(c->skip_reason, sizeof(c->skip_reason), "apk %s is not emulated",
			 c->applet);
}

/* Everything loaded for one case: the records (which the database points
 * into) and the database. */
struct world {
	struct mint_apk_dep items[MAX_ITEMS];
	size_t n;
};

struct setup {
	const char *dir;
	struct spec *sp;
	struct cmdline *cl;
	struct mint_apk_installed_db installed;
	struct mint_apk_index cache;
	struct mint_apk_index repos[MAX_ITEMS];
	char *repo_tags[MAX_ITEMS][MAX_ITEMS];
	size_t n_repo_tags[MAX_ITEMS];
	size_t n_repos;
	struct mint_apk_pkg virtual_pkg;
	struct mint_apk_db *db;
	struct world world;
	struct mint_buf out;
};

static void read_fixture(const char *dir, const char *file, struct mint_buf *out)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	read_file_or_fail(path, out);
}

static void load_index(const char *dir, const char *file, struct mint_apk_index *idx)
{
	struct mint_buf text = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	read_fixture(dir, file, &text);
	assert_ok(mint_apk_index_parse_text(mint_buf_span(&text), idx, &err), &err);
	mint_buf_free(&text);
}

static void load_installed(struct setup *st)
{
	struct mint_buf text = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	if (!st->sp->installed)
		return;
	read_fixture(st->dir, st->sp->installed, &text);
	assert_ok(mint_apk_installed_parse(mint_buf_span(&text), &st->installed, &err), &err);
	mint_buf_free(&text);
	for (size_t i = 0; i < st->installed.n; i++)
		assert_ok(mint_apk_db_add_installed(st->db, &st->installed.pkgs[i].pkg, &err), &err);
}

/* apk lists a repository URL once, with every tag it was given. */
static void load_repos(struct setup *st)
{
	struct spec *sp = st->sp;
	size_t index_of[MAX_ITEMS];
	struct mint_err err = { 0 };
	for (size_t i = 0; i < sp->repo_files.n; i++) {
		size_t r = 0;
		while (r < st->n_repos && strcmp(sp->repo_files.v[i], sp->repo_files.v[index_of[r]]))
			r++;
		if (r == st->n_repos)
			index_of[st->n_repos++] = i;
		if (sp->repo_tags.v[i][0])
			st->repo_tags[r][st->n_repo_tags[r]++] = sp->repo_tags.v[i];
	}
	for (size_t r = 0; r < st->n_repos; r++) {
		struct mint_apk_repo_opts o = {
			.tags = (const char *const *)st->repo_tags[r],
			.n_tags = st->n_repo_tags[r],
			.flags = st->cl->no_network ? MINT_APK_REPO_NO_NETWORK : 0,
		};
		load_index(st->dir, sp->repo_files.v[index_of[r]], &st->repos[r]);
		int rc = mint_apk_db_add_repo(st->db, st->repos[r].pkgs, st->repos[r].n, &o, &err);
		assert_true(rc >= 0);
	}
}

static void out_printf(struct setup *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out_printf(struct setup *st, const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	assert_int_equal(mint_buf_puts(&st->out, tmp), 0);
}

static bool parse_dep(const char *text, bool allow_tag, struct mint_apk_dep *d)
{
	struct mint_err err = { 0 };
	if (mint_apk_dep_parse(mint_span_str(text), d, &err))
		return false;
	if (d->tag && !allow_tag) {
		mint_apk_dep_free(d);
		return false;
	}
	return true;
}

/* apk_deps_add: a dependency on a name already in the list replaces it. */
static void world_add(struct world *w, struct mint_apk_dep *d)
{
	for (size_t i = 0; i < w->n; i++) {
		if (strcmp(w->items[i].name, d->name))
			continue;
		mint_apk_dep_free(&w->items[i]);
		w->items[i] = *d;
		return;
	}
	assert_true(w->n < MAX_ITEMS);
	w->items[w->n++] = *d;
}

/* apk_deps_del: the last item takes the removed one's place. */
static void world_del(struct world *w, const char *name)
{
	for (size_t i = 0; i < w->n; i++) {
		if (strcmp(w->items[i].name, name))
			continue;
		mint_apk_dep_free(&w->items[i]);
		w->items[i] = w->items[--w->n];
		return;
	}
}

static void world_free(struct world *w)
{
	for (size_t i = 0; i < w->n; i++)
		mint_apk_dep_free(&w->items[i]);
	w->n = 0;
}

static void setup_load(struct setup *st)
{
	struct mint_err err = { 0 };
	assert_ok(mint_apk_db_new(target_archs, 1, &st->db, &err), &err);
	/* apk reads the world file first, so its tags come first. */
	for (size_t i = 0; i < st->sp->world.n; i++) {
		struct mint_apk_dep d;
		if (!parse_dep(st->sp->world.v[i], true, &d))
			continue;
		if (d.tag)
			assert_true(mint_apk_db_tag(st->db, d.tag, &err) > 0);
		world_add(&st->world, &d);
	}
	load_installed(st);
	if (st->sp->cache && st->cl->root_tmpfs) {
		load_index(st->dir, st->sp->cache, &st->cache);
		for (size_t i = 0; i < st->cache.n; i++)
			assert_ok(mint_apk_db_add_local(st->db, &st->cache.pkgs[i],
							MINT_APK_LOCAL_CACHED, &err),
				  &err);
	}
	load_repos(st);
	unsigned warn = mint_apk_db_check(st->db);
	const char *how = (warn & MINT_APK_DB_NOT_INSTALLABLE) ? "are not installable" :
								 "might not function properly";
	if (warn & MINT_APK_DB_NEWER_FIELDS)
		out_printf(st, "WARNING: This apk-tools is OLD! Some packages %s.\n", how);
	if (warn & MINT_APK_DB_BROKEN_DEPS)
		out_printf(st, "WARNING: The indexes contain broken packages which %s.\n", how);
}

static void setup_free(struct setup *st)
{
	mint_apk_db_free(st->db);
	mint_apk_installed_free(&st->installed);
	mint_apk_index_free(&st->cache);
	for (size_t r = 0; r < st->n_repos; r++)
		mint_apk_index_free(&st->repos[r]);
	mint_apk_pkg_free(&st->virtual_pkg);
	world_free(&st->world);
	mint_buf_free(&st->out);
}

/* --- facts apk looks up in its database -------------------------------- */

static bool tag_has_repo(const struct setup *st, const char *tag)
{
	for (size_t i = 0; i < st->sp->repo_tags.n; i++) {
		const char *t = st->sp->repo_tags.v[i];
		if (t[0] == '@' && !strcmp(t + 1, tag))
			return true;
	}
	return false;
}

/* apk_db_check_world: every tagged world dependency needs its repository. */
static bool world_tags_ok(struct setup *st, const struct world *w)
{
	int bad = 0;
	if (st->cl->force_broken_world)
		return true;
	for (size_t i = 0; i < w->n; i++) {
		if (!w->items[i].tag || tag_has_repo(st, w->items[i].tag))
			continue;
		out_printf(st,
			   "WARNING: The repository tag for world dependency '%s@%s' does not exist\n",
			   w->items[i].name, w->items[i].tag);
		bad++;
	}
	return bad == 0;
}

static bool strlist_names(const struct mint_strlist *l, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < l->n; i++) {
		const char *item = l->items[i] + (l->items[i][0] == '!');
		if (!strncmp(item, name, n) && strchr("<>=~", item[n]))
			return true;
	}
	return false;
}

static bool record_names(const struct mint_apk_pkg *p, const char *name)
{
	return !strcmp(p->name, name) || strlist_names(&p->provides, name) ||
	       strlist_names(&p->depends, name) || strlist_names(&p->install_if, name);
}

/* Whether apk would know the name at all (it interns every name it reads). */
static bool name_known(const struct setup *st, const char *name)
{
	for (size_t i = 0; i < st->world.n; i++)
		if (!strcmp(st->world.items[i].name, name))
			return true;
	for (size_t i = 0; i < st->installed.n; i++)
		if (record_names(&st->installed.pkgs[i].pkg, name))
			return true;
	for (size_t r = 0; r < st->n_repos; r++)
		for (size_t i = 0; i < st->repos[r].n; i++)
			if (record_names(&st->repos[r].pkgs[i], name))
				return true;
	return false;
}

static const struct mint_apk_pkg *installed_pkg(const struct setup *st, const char *name)
{
	for (size_t i = 0; i < st->installed.n; i++)
		if (!strcmp(st->installed.pkgs[i].pkg.name, name))
			return &st->installed.pkgs[i].pkg;
	return NULL;
}

/* Repository packages providing name (by name or provides), one at a time. */
static const struct mint_apk_pkg *next_repo_provider(const struct setup *st, const char *name,
						     size_t *r, size_t *i)
{
	for (; *r < st->n_repos; (*r)++, *i = 0) {
		while (*i < st->repos[*r].n) {
			const struct mint_apk_pkg *p = &st->repos[*r].pkgs[(*i)++];
			if (!strcmp(p->name, name) || strlist_names(&p->provides, name))
				return p;
		}
	}
	return NULL;
}

/* --- committing: apk's output for a solution --------------------------- */

static void count_installed_files(const struct setup *st, size_t *dirs, size_t *files)
{
	struct strv seen = { 0 };
	*dirs = *files = 0;
	for (size_t i = 0; i < st->installed.n; i++) {
		const struct mint_apk_installed_pkg *ip = &st->installed.pkgs[i];
		for (size_t d = 0; d < ip->n_dirs; d++) {
			*files += ip->dirs[d].n_files;
			char path[512];
			snprintf(path, sizeof(path), "%s", ip->dirs[d].path);
			for (;;) {
				bool dup = false;
				for (size_t k = 0; k < seen.n && !dup; k++)
					dup = !strcmp(seen.v[k], path);
				if (!dup)
					strv_add(&seen, mint_span_str(path));
				char *slash = strrchr(path, '/');
				if (!path[0])
					break;
				if (slash)
					*slash = '\0';
				else
					path[0] = '\0';
			}
		}
	}
	*dirs = seen.n;
	strv_free(&seen);
}

static void commit(struct setup *st, const struct mint_apk_solution *sol, const struct world *w,
		   bool ok_line)
{
	if (!world_tags_ok(st, w)) {
		out_printf(st, "ERROR: Not committing changes due to missing repository tags.\n");
		return;
	}
	assert_int_equal(mint_apk_solution_format_changes(sol, st->cl->verbose, &st->out), 0);
	if (!ok_line)
		return;
	size_t pkgs, dirs, files;
	uint64_t bytes;
	struct mint_buf size = MINT_BUF_INIT;
	mint_apk_solution_totals(sol, &pkgs, &bytes);
	assert_int_equal(mint_apk_format_size(bytes, &size), 0);
	if (st->cl->verbose) {
		count_installed_files(st, &dirs, &files);
		out_printf(st, "OK: %zu packages, %zu dirs, %zu files, %s\n", pkgs, dirs, files,
			   mint_buf_cstr(&size));
	} else {
		out_printf(st, "OK: %s in %zu packages\n", mint_buf_cstr(&size), pkgs);
	}
	mint_buf_free(&size);
}

static struct mint_apk_solution *solve(struct setup *st, const struct world *w,
				       const struct mint_apk_solve_opts *o)
{
	struct mint_apk_solution *sol = NULL;
	struct mint_err err = { 0 };
	struct mint_apk_solve_opts opts = *o;
	opts.force_broken_world = st->cl->force_broken_world;
	assert_ok(mint_apk_solve(st->db, w->items, w->n, &opts, &sol, &err), &err);
	return sol;
}

/* apk_solver_commit: solve, then either commit or explain. */
static void solve_and_commit(struct setup *st, const struct world *w,
			     const struct mint_apk_solve_opts *o)
{
	if (!world_tags_ok(st, w)) {
		out_printf(st, "ERROR: Not committing changes due to missing repository tags.\n");
		return;
	}
	struct mint_apk_solution *sol = solve(st, w, o);
	if (sol->errors)
		assert_int_equal(mint_buf_puts(&st->out, sol->explanation), 0);
	else
		commit(st, sol, w, true);
	mint_apk_solution_free(sol);
}

/* --- the applets ------------------------------------------------------- */

static void virtual_record(struct setup *st, const struct mint_apk_dep *v)
{
	struct mint_apk_pkg *p = &st->virtual_pkg;
	memset(p, 0, sizeof(*p));
	p->name = strdup(v->name);
	p->version = strdup(v->version);
	p->arch = strdup("noarch");
	p->identity = strdup("Q1virtualvirtualvirtualvirtualvi=");
	p->has_installed_size = true;
	assert_non_null(p->name);
	assert_non_null(p->version);
	assert_non_null(p->arch);
	assert_non_null(p->identity);
}

static bool add_virtual_depend(struct setup *st, const char *text)
{
	struct mint_strlist *l = &st->virtual_pkg.depends;
	struct mint_apk_dep d;
	if (!parse_dep(text, false, &d))
		return false;
	for (size_t i = 0; i < l->n; i++) {
		struct mint_apk_dep old;
		assert_true(parse_dep(l->items[i], false, &old));
		bool same = !strcmp(old.name, d.name);
		mint_apk_dep_free(&old);
		if (same) {
			free(l->items[i]);
			l->items[i] = strdup(text);
			mint_apk_dep_free(&d);
			return true;
		}
	}
	assert_int_equal(mint_strlist_add(l, text, strlen(text)), 0);
	mint_apk_dep_free(&d);
	return true;
}

static void applet_add(struct setup *st)
{
	struct cmdline *cl = st->cl;
	struct mint_apk_name_flags names[MAX_ITEMS];
	struct strv name_text = { 0 };
	unsigned flags = (cl->upgrade ? MINT_APK_SOLVE_UPGRADE : 0) |
			 (cl->latest ? MINT_APK_SOLVE_LATEST : 0);
	struct mint_apk_dep virt = { 0 };
	struct mint_err err = { 0 };
	if (cl->virtual_pkg) {
		bool ok = parse_dep(cl->virtual_pkg, true, &virt);
		if (ok && virt.op == MINT_APK_DEP_ANY) {
			/* apk stamps the current time; a fixed one keeps runs equal. */
			virt.op = MINT_APK_DEP_EQUAL;
			virt.version = strdup("20000101.000000");
			assert_non_null(virt.version);
		}
		if (!ok || virt.op != MINT_APK_DEP_EQUAL) {
			out_printf(st, "ERROR: %s: bad package specifier\n", cl->virtual_pkg);
			mint_apk_dep_free(&virt);
			return;
		}
		virtual_record(st, &virt);
		if (!cl->args.n)
			out_printf(st, "WARNING: creating empty virtual package\n");
	}
	for (size_t i = 0; i < cl->args.n; i++) {
		const char *arg = cl->args.v[i];
		struct mint_apk_dep d;
		bool ok = cl->virtual_pkg ? add_virtual_depend(st, arg) :
					    parse_dep(arg, true, &d);
		if (!ok) {
			out_printf(st, "ERROR: '%s' is not a valid %s dependency, format is %s\n",
				   arg, cl->virtual_pkg ? "package" : "world",
				   cl->virtual_pkg ? "name([<>~=]version)" :
						     "name(@tag)([<>~=]version)");
			mint_apk_dep_free(&virt);
			strv_free(&name_text);
			return;
		}
		if (cl->virtual_pkg)
			continue;
		strv_add(&name_text, mint_span_str(d.name));
		world_add(&st->world, &d);
	}
	if (cl->virtual_pkg) {
		assert_ok(mint_apk_db_add_local(st->db, &st->virtual_pkg, MINT_APK_LOCAL_FILE, &err),
			  &err);
		strv_add(&name_text, mint_span_str(virt.name));
		world_add(&st->world, &virt);
	}
	for (size_t i = 0; i < name_text.n; i++)
		names[i] = (struct mint_apk_name_flags){ name_text.v[i], flags, flags };
	struct mint_apk_solve_opts o = { .names = names, .n_names = name_text.n };
	solve_and_commit(st, &st->world, &o);
	strv_free(&name_text);
}

static void applet_del(struct setup *st)
{
	struct mint_apk_name_flags names[MAX_ITEMS];
	const char *removing[MAX_ITEMS];
	size_t n_names = 0, n_removing = 0;
	bool was_conflict[MAX_ITEMS] = { false };
	for (size_t i = 0; i < st->cl->args.n; i++) {
		const char *name = st->cl->args.v[i];
		if (!name_known(st, name)) {
			out_printf(st, "ERROR: No such package: %s\n", name);
			return;
		}
		for (size_t j = 0; j < st->world.n; j++)
			if (!strcmp(st->world.items[j].name, name) &&
			    (st->world.items[j].op & MINT_APK_DEP_CONFLICT))
				was_conflict[i] = true;
		if (installed_pkg(st, name))
			names[n_names++] = (struct mint_apk_name_flags){ name,
									 MINT_APK_SOLVE_REMOVE, 0 };
		world_del(&st->world, name);
		if (!was_conflict[i])
			removing[n_removing++] = name;
	}
	struct mint_apk_solve_opts o = {
		.names = names, .n_names = n_names, .removing = removing, .n_removing = n_removing,
		.force_broken_world = st->cl->force_broken_world,
	};
	struct mint_apk_solution *sol = solve(st, &st->world, &o);
	if (sol->errors) {
		assert_int_equal(mint_buf_puts(&st->out, sol->explanation), 0);
	} else {
		if (sol->kept)
			assert_int_equal(mint_buf_puts(&st->out, sol->kept), 0);
		commit(st, sol, &st->world, true);
	}
	mint_apk_solution_free(sol);
}

/* The installed package owning /proc/self/exe: apk itself. */
static const char *running_apk(const struct setup *st)
{
	for (size_t i = 0; i < st->installed.n; i++) {
		const struct mint_apk_installed_pkg *ip = &st->installed.pkgs[i];
		for (size_t d = 0; d < ip->n_dirs; d++) {
			if (strcmp(ip->dirs[d].path, "proc/self"))
				continue;
			for (size_t f = 0; f < ip->dirs[d].n_files; f++)
				if (!strcmp(ip->dirs[d].files[f].name, "exe"))
					return ip->pkg.name;
		}
	}
	return NULL;
}

static bool dep_materialized(const struct mint_apk_dep *d, const struct mint_apk_pkg *p)
{
	bool conflict = d->op & MINT_APK_DEP_CONFLICT;
	if (!p)
		return conflict;
	return mint_apk_version_match(mint_span_str(p->version), d->op, mint_span_str(d->version));
}

/* A preupgrade is possible for d when its installed package has a newer
 * version in a repository. */
static bool has_newer(const struct setup *st, const struct mint_apk_dep *d)
{
	const struct mint_apk_pkg *inst = installed_pkg(st, d->name), *p;
	size_t r = 0, i = 0;
	if (!dep_materialized(d, inst))
		return false;
	while ((p = next_repo_provider(st, d->name, &r, &i)))
		if (inst && mint_apk_version_compare(mint_span_str(p->version),
						     mint_span_str(inst->version)) ==
				    MINT_APK_VERSION_GREATER)
			return true;
	return false;
}

static size_t count_changes(const struct mint_apk_solution *sol)
{
	size_t n = 0;
	for (size_t i = 0; i < sol->n_changes; i++)
		n += sol->changes[i].kind != MINT_APK_CHANGE_KEEP;
	return n;
}

/* apk upgrade --preupgrade-only. Returns whether it committed. */
static void preupgrade(struct setup *st, unsigned flags)
{
	struct world deps = { 0 };
	struct mint_apk_name_flags names[MAX_ITEMS];
	size_t n_names = 0;
	const char *self = running_apk(st);
	if (self) {
		struct mint_apk_dep d = { .name = strdup(self), .op = MINT_APK_DEP_ANY };
		assert_non_null(d.name);
		world_add(&deps, &d);
	}
	for (size_t i = 0; i < st->cl->preupgrade_depends.n; i++) {
		struct mint_apk_dep d;
		if (parse_dep(st->cl->preupgrade_depends.v[i], false, &d))
			world_add(&deps, &d);
	}
	for (size_t i = 0; i < deps.n; i++)
		if (has_newer(st, &deps.items[i]))
			names[n_names++] = (struct mint_apk_name_flags){ deps.items[i].name, flags,
									 0 };
	if (n_names) {
		struct mint_apk_solve_opts o = { .names = names, .n_names = n_names,
						 .prefer_installed = true };
		struct mint_apk_solution *sol = solve(st, &st->world, &o);
		if (!sol->errors && count_changes(sol)) {
			out_printf(st, "Preupgrading:\n");
			commit(st, sol, &st->world, true);
		}
		mint_apk_solution_free(sol);
	}
	world_free(&deps);
}

static void applet_upgrade(struct setup *st)
{
	struct cmdline *cl = st->cl;
	struct mint_apk_name_flags names[MAX_ITEMS];
	size_t n_names = 0;
	unsigned flags = MINT_APK_SOLVE_UPGRADE | (cl->available ? MINT_APK_SOLVE_AVAILABLE : 0) |
			 (cl->latest ? MINT_APK_SOLVE_LATEST : 0);
	if (!world_tags_ok(st, &st->world)) {
		out_printf(st, "ERROR: Not continuing with upgrade due to missing repository tags.\n");
		return;
	}
	if (cl->preupgrade_only) {
		if (!cl->args.n)
			preupgrade(st, flags);
		return;
	}
	if (cl->available)
		for (size_t i = 0; i < st->world.n; i++)
			if (st->world.items[i].op == MINT_APK_DEP_CHECKSUM) {
				st->world.items[i].op = MINT_APK_DEP_ANY;
				free(st->world.items[i].version);
				st->world.items[i].version = NULL;
			}
	if (cl->prune) {
		for (size_t i = 0; i < st->world.n;) {
			size_t r = 0, k = 0;
			if (!cl->no_network && next_repo_provider(st, st->world.items[i].name, &r, &k)) {
				i++;
				continue;
			}
			mint_apk_dep_free(&st->world.items[i]);
			memmove(&st->world.items[i], &st->world.items[i + 1],
				(st->world.n - i - 1) * sizeof(st->world.items[0]));
			st->world.n--;
		}
	}
	if (cl->args.n) {
		if (!cl->ignore)
			flags &= ~(unsigned)MINT_APK_SOLVE_UPGRADE;
		for (size_t i = 0; i < cl->args.n; i++) {
			if (!name_known(st, cl->args.v[i])) {
				out_printf(st, "ERROR: Package '%s' not found\n", cl->args.v[i]);
				return;
			}
			names[n_names++] = (struct mint_apk_name_flags){
				cl->args.v[i], cl->ignore ? MINT_APK_SOLVE_KEEP : MINT_APK_SOLVE_UPGRADE,
				0 };
		}
	}
	struct mint_apk_solve_opts o = { .flags = flags, .names = names, .n_names = n_names };
	solve_and_commit(st, &st->world, &o);
}

static bool broken_install(const struct mint_apk_pkg *p)
{
	return p->db_flags & (MINT_APK_DBF_BROKEN_FILES | MINT_APK_DBF_BROKEN_SCRIPT);
}

static void applet_fix(struct setup *st)
{
	struct cmdline *cl = st->cl;
	struct mint_apk_name_flags names[MAX_ITEMS];
	size_t n_names = 0;
	unsigned flags = (cl->upgrade ? MINT_APK_SOLVE_UPGRADE : 0) |
			 (cl->reinstall ? MINT_APK_SOLVE_REINSTALL : 0);
	if (!flags)
		flags = MINT_APK_SOLVE_REINSTALL;
	for (size_t i = 0; i < cl->args.n; i++) {
		if (!name_known(st, cl->args.v[i])) {
			out_printf(st, "ERROR: Package '%s' not found\n", cl->args.v[i]);
			return;
		}
		names[n_names++] = (struct mint_apk_name_flags){ cl->args.v[i], flags,
								 cl->depends ? flags : 0 };
	}
	for (size_t i = 0; !cl->args.n && i < st->installed.n; i++)
		if (broken_install(&st->installed.pkgs[i].pkg))
			names[n_names++] = (struct mint_apk_name_flags){
				st->installed.pkgs[i].pkg.name, flags, cl->depends ? flags : 0 };
	struct mint_apk_solve_opts o = { .names = names, .n_names = n_names };
	solve_and_commit(st, &st->world, &o);
}

/* --- running the cases ------------------------------------------------- */

struct tally {
	unsigned passed, failed, skipped;
};

static void run_case(const char *dir, const char *file, struct tally *t)
{
	struct mint_buf text = MINT_BUF_INIT;
	struct spec sp;
	struct cmdline cl;
	struct strv argv = { 0 };
	read_fixture(dir, file, &text);
	spec_parse(mint_buf_span(&text), &sp);
	strv_add(&argv, mint_span_str("--root-tmpfs=no"));
	for (size_t i = 0; i < sp.args.n; i++)
		strv_add(&argv, mint_span_str(sp.args.v[i]));
	cmdline_parse(&argv, &cl);
	if (cl.skip_reason[0]) {
		printf("skip: %s: %s\n", file, cl.skip_reason);
		t->skipped++;
		goto out;
	}
	struct setup *st = calloc(1, sizeof(*st));
	assert_non_null(st);
	st->dir = dir;
	st->sp = &sp;
	st->cl = &cl;
	setup_load(st);
	if (!strcmp(cl.applet, "add"))
		applet_add(st);
	else if (!strcmp(cl.applet, "del"))
		applet_del(st);
	else if (!strcmp(cl.applet, "upgrade"))
		applet_upgrade(st);
	else
		applet_fix(st);
	if (st->out.len == sp.expect.len &&
	    (!st->out.len || !memcmp(st->out.data, sp.expect.data, st->out.len))) {
		t->passed++;
	} else {
		t->failed++;
		fprintf(stderr, "FAIL: %s\n--- expected\n%s--- got\n%s---\n", file,
			mint_buf_cstr(&sp.expect), mint_buf_cstr(&st->out));
	}
	setup_free(st);
	free(st);
out:
	strv_free(&cl.args);
	strv_free(&cl.preupgrade_depends);
	strv_free(&argv);
	spec_free(&sp);
	mint_buf_free(&text);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_apk_tools_solver_cases(void **state)
{
	(void)state;
	char *dir = fixture_or_skip(SOLVER_DIR);
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;
	struct tally t = { 0 };
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".test"))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		assert_non_null(names);
		names[n] = strdup(e->d_name);
		assert_non_null(names[n++]);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		run_case(dir, names[i], &t);
		free(names[i]);
	}
	free(names);
	free(dir);
	printf("conformance: apk-tools solver: %u passed, %u failed, %u skipped\n", t.passed,
	       t.failed, t.skipped);
	assert_int_equal(t.failed, 0);
	assert_true(t.passed > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apk_tools_solver_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
