/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Why a world cannot be satisfied, in apk-tools' exact words and layout:
 *
 *   ERROR: unable to select packages:
 *     name (no such package):           a name nothing provides
 *       required by: world[name] a-1[name]
 *     name (virtual):                   a virtual name nobody picked
 *       note: please select one of the 'provided by'
 *             packages explicitly
 *       provided by: p1 p2
 *       required by: ...
 *     pkg-1.0:                          a selected package with trouble
 *       error: uninstallable / arch: x
 *       masked in: @tag / --no-network  (its repositories are not allowed)
 *       conflicts: other-1[name=2]      (another selected package owns a name)
 *       breaks: b-1[pkg<1.0]            (dependencies it violates)
 *       satisfies: world[pkg] c-2[pkg]  (what it is there for)
 *
 * Lists wrap at apk's default width of 50 columns. Also the note apk del
 * prints for names that stay installed. Both read the solver's state and
 * changeset, so they run before the solver frees it.
 */
#include "solver_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mint/apk_version.h"

#define WIDTH 50

enum {
	ST_PRESENT = 0x80000000u,
	ST_MISSING = 0x40000000u,
	ST_VIRTUAL_ONLY = 0x20000000u,
	ST_INSTALLIF = 0x10000000u,
	ST_COUNT_MASK = 0x0000ffffu,
};

/* apk's indented printer: a label line, then words that wrap under it. */
struct printer {
	struct sv_solver *s;
	struct mint_buf *out;
	size_t x, indent;
	const char *label;
	char label_buf[512];
	unsigned num_labels;
	int rc;
};

static void emit(struct printer *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(struct printer *p, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (!p->rc)
		p->rc = mint_buf_puts(p->out, tmp);
	size_t len = (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1;
	const char *nl = memrchr(tmp, '\n', len);
	p->x = nl ? len - (size_t)(nl - tmp) - 1 : p->x + len;
}

static void word(struct printer *p, const char *w)
{
	size_t len = strlen(w);
	if (p->x <= p->indent)
		emit(p, "%*s%s", (int)(p->indent - p->x), "", w);
	else if (p->x + len + 1 >= WIDTH)
		emit(p, "\n%*s%s", (int)p->indent, "", w);
	else
		emit(p, " %s", w);
}

static void group(struct printer *p, size_t indent, const char *text)
{
	p->x = 0;
	emit(p, "%s", text);
	p->indent = indent ? indent : p->x + 1;
}

static void label_start(struct printer *p, const char *text)
{
	char head[64];
	if (p->label) {
		emit(p, "  %s:\n", p->label);
		p->x = p->indent = 0;
		p->label = NULL;
		p->num_labels++;
	}
	if (!p->x) {
		snprintf(head, sizeof(head), "    %s", text);
		group(p, 0, head);
	}
}

static void label_end(struct printer *p)
{
	if (p->x) {
		emit(p, "\n");
		p->x = p->indent = 0;
	}
}

static void set_label(struct printer *p, const char *fmt, const char *a, const char *b)
{
	snprintf(p->label_buf, sizeof(p->label_buf), fmt, a, b);
	p->label = p->label_buf;
}

/* "name-version", "name-version[dep]" and "world[dep@tag]" as words. */
static void word_pkg(struct printer *p, const struct sv_pkg *pkg, const struct sv_dep *dep,
		     bool world)
{
	struct mint_buf b = MINT_BUF_INIT;
	int rc = world ? mint_buf_puts(&b, "world[") :
			 mint_buf_printf(&b, "%s-%s", pkg->name->str, pkg->version);
	if (!rc && dep && !world)
		rc = mint_buf_putc(&b, '[');
	if (!rc && dep)
		rc = sv_format_dep(dep, p->s->db, false, &b);
	if (!rc && world)
		rc = mint_buf_puts(&b, p->s->db->tags[dep->tag].text);
	if (!rc && dep)
		rc = mint_buf_putc(&b, ']');
	if (rc)
		p->rc = rc;
	else
		word(p, mint_buf_cstr(&b));
	mint_buf_free(&b);
}

/* --- which names the selection makes present --------------------------- */

static void discover_deps(struct printer *p, const struct sv_dep *deps, uint32_t n);

static bool name_is_concrete(const struct sv_pkg *pkg, const struct sv_name *name)
{
	if (pkg->name == name)
		return true;
	for (uint32_t i = 0; i < pkg->n_provides; i++)
		if (pkg->provides[i].name == name && pkg->provides[i].version)
			return true;
	return false;
}

static void discover_name(struct printer *p, struct sv_name *name, uint32_t pkg_state);

static void discover_reverse_iif(struct printer *p, struct sv_name *name)
{
	struct sv_solver *s = p->s;
	for (uint32_t i = 0; i < name->n_riif; i++) {
		struct sv_name *n0 = name->riif[i];
		for (uint32_t j = 0; j < n0->n_prov; j++) {
			struct sv_pkg *pkg = n0->prov[j].pkg;
			if (!sv_ps(s, pkg)->marked || !pkg->n_iif)
				continue;
			bool ok = true;
			for (uint32_t k = 0; k < pkg->n_iif && ok; k++) {
				bool present = sv_ns(s, pkg->iif[k].name)->explain &
					       (ST_PRESENT | ST_INSTALLIF);
				ok = sv_dep_conflict(&pkg->iif[k]) != present;
			}
			if (!ok)
				continue;
			discover_name(p, pkg->name, ST_INSTALLIF);
			for (uint32_t k = 0; k < pkg->n_provides; k++)
				discover_name(p, pkg->provides[k].name, ST_INSTALLIF);
		}
	}
}

static void discover_pkg(struct printer *p, struct sv_pkg *pkg, uint32_t state)
{
	struct sv_solver *s = p->s;
	sv_ns(s, pkg->name)->explain |= state;
	for (uint32_t i = 0; i < pkg->n_provides; i++) {
		uint32_t dep_state = state;
		if (dep_state == ST_INSTALLIF && !pkg->provides[i].version)
			dep_state = ST_VIRTUAL_ONLY;
		sv_ns(s, pkg->provides[i].name)->explain |= dep_state;
	}
	discover_deps(p, pkg->deps, pkg->n_deps);
	if (state == ST_PRESENT || state == ST_INSTALLIF) {
		discover_reverse_iif(p, pkg->name);
		for (uint32_t i = 0; i < pkg->n_provides; i++)
			discover_reverse_iif(p, pkg->provides[i].name);
	}
}

/* A finished walk from (name, state) marks every provider it can, so a
 * second one would change nothing: remember it and skip. */
static uint8_t walk_bit(uint32_t state)
{
	return state == ST_PRESENT ? 1 : state == ST_INSTALLIF ? 2 : 4;
}

static void discover_name(struct printer *p, struct sv_name *name, uint32_t pkg_state)
{
	struct sv_solver *s = p->s;
	struct sv_nstate *ns = sv_ns(s, name);
	if (ns->explain_walked & walk_bit(pkg_state))
		return;
	if (s->depth >= SV_MAX_DEPTH) {
		sv_fail(s, MINT_ELIMIT);
		return;
	}
	s->depth++;
	for (uint32_t i = 0; i < name->n_prov && !s->fail; i++) {
		struct sv_pkg *pkg = name->prov[i].pkg;
		struct sv_pstate *ps = sv_ps(s, pkg);
		uint32_t state = pkg_state;
		if (!ps->marked)
			continue;
		if ((state == ST_PRESENT || state == ST_INSTALLIF) && !pkg->provider_priority &&
		    !name_is_concrete(pkg, name))
			state = ST_VIRTUAL_ONLY;
		if (ps->explain & state)
			continue;
		ps->explain |= state;
		discover_pkg(p, pkg, state);
	}
	ns->explain_walked |= walk_bit(pkg_state);
	s->depth--;
}

static void discover_deps(struct printer *p, const struct sv_dep *deps, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!sv_dep_conflict(&deps[i]))
			discover_name(p, deps[i].name, ST_PRESENT);
}

/* --- names nothing (or nothing chosen) provides ------------------------ */

static void list_providers(struct printer *p, struct sv_name *name)
{
	struct sv_solver *s = p->s;
	label_start(p, "provided by:");
	for (uint32_t i = 0; i < name->n_prov; i++)
		sv_ns(s, name->prov[i].pkg->name)->explain++;
	for (uint32_t i = 0; i < name->n_prov; i++) {
		struct sv_pkg *pkg = name->prov[i].pkg;
		struct sv_nstate *n0 = sv_ns(s, pkg->name);
		uint32_t refs = n0->explain & ST_COUNT_MASK;
		if (refs == pkg->name->n_prov) {
			word(p, pkg->name->str);
			n0->explain &= ~ST_COUNT_MASK;
		} else if (refs > 0) {
			word_pkg(p, pkg, NULL, false);
			n0->explain--;
		}
	}
	label_end(p);
}

static void list_requirers(struct printer *p, struct sv_name *name)
{
	struct sv_solver *s = p->s;
	struct sv_nstate *ns = sv_ns(s, name);
	uint32_t genid = ++s->genid;
	label_start(p, "required by:");
	for (uint32_t i = 0; i < s->n_world; i++) {
		const struct sv_dep *d = &s->world[i];
		if (d->name == name && !sv_dep_conflict(d))
			word_pkg(p, NULL, d, true);
	}
	for (uint32_t i = 0; i < ns->n_rdeps; i++) {
		struct sv_name *n0 = ns->rdeps[i];
		bool done = false;
		for (uint32_t j = 0; j < n0->n_prov && !done; j++) {
			struct sv_pkg *pkg = n0->prov[j].pkg;
			struct sv_pstate *ps = sv_ps(s, pkg);
			if (!ps->marked || ps->genid == genid)
				continue;
			ps->genid = genid;
			for (uint32_t k = 0; k < pkg->n_deps && !done; k++) {
				const struct sv_dep *d = &pkg->deps[k];
				if (d->name != name || sv_dep_conflict(d))
					continue;
				word_pkg(p, pkg, d, false);
				done = true;
			}
		}
	}
	label_end(p);
}

static void analyze_missing_name(struct printer *p, struct sv_name *name)
{
	if (name->n_prov) {
		set_label(p, "%s (virtual)", name->str, NULL);
		label_start(p, "note:");
		static const char *const note[] = { "please", "select", "one", "of", "the",
						    "'provided", "by'", "packages", "explicitly" };
		for (size_t i = 0; i < sizeof(note) / sizeof(note[0]); i++)
			word(p, note[i]);
		label_end(p);
		list_providers(p, name);
	} else {
		set_label(p, "%s (no such package)", name->str, NULL);
	}
	list_requirers(p, name);
}

static void analyze_deps(struct printer *p, const struct sv_dep *deps, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct sv_nstate *ns = sv_ns(p->s, deps[i].name);
		if (sv_dep_conflict(&deps[i]) ||
		    (ns->explain & (ST_INSTALLIF | ST_PRESENT | ST_MISSING)))
			continue;
		ns->explain |= ST_MISSING;
		analyze_missing_name(p, deps[i].name);
	}
}

/* --- selected packages with trouble ------------------------------------ */

static void pinning_errors(struct printer *p, const struct sv_pkg *pkg, uint8_t tag)
{
	const struct mint_apk_db *db = p->s->db;
	if (pkg->installed)
		return;
	if (!(pkg->repos & db->available_repos) && !pkg->local_file) {
		label_start(p, "masked in:");
		word(p, "--no-network");
	} else {
		if (pkg->repos & sv_tag_mask_repos(db, 1u | (1u << tag)))
			return;
		for (uint32_t i = 0; i < db->n_tags; i++) {
			if (!(pkg->repos & db->tags[i].allowed_repos))
				continue;
			label_start(p, "masked in:");
			word(p, db->tags[i].text);
		}
	}
	label_end(p);
}

static bool same_version(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void conflicts(struct printer *p, struct sv_pkg *pkg)
{
	struct sv_solver *s = p->s;
	for (uint32_t i = 0; i < pkg->name->n_prov; i++) {
		struct sv_pkg *other = pkg->name->prov[i].pkg;
		if (other == pkg || !sv_ps(s, other)->marked)
			continue;
		label_start(p, "conflicts:");
		word_pkg(p, other, NULL, false);
	}
	for (uint32_t i = 0; i < pkg->n_provides; i++) {
		const struct sv_dep *d = &pkg->provides[i];
		bool once = true;
		for (uint32_t j = 0; j < d->name->n_prov; j++) {
			const struct sv_provider *pr = &d->name->prov[j];
			if (!sv_ps(s, pr->pkg)->marked || (!d->version && !pr->version))
				continue;
			if (once && pr->pkg == pkg && same_version(pr->version, d->version)) {
				once = false;
				continue;
			}
			label_start(p, "conflicts:");
			word_pkg(p, pr->pkg, d, false);
		}
	}
	label_end(p);
}

struct matched {
	const struct sv_pkg *pkg;
	const struct sv_dep *dep;
};

struct matched_list {
	struct matched *items;
	uint32_t n, cap;
};

static void add_match(struct printer *p, struct matched_list *l, const struct sv_pkg *pkg,
		      const struct sv_dep *dep)
{
	if (sv_grow((void **)&l->items, l->n, &l->cap, sizeof(*l->items))) {
		p->rc = MINT_ENOMEM;
		return;
	}
	l->items[l->n++] = (struct matched){ pkg, dep };
}

static int cmp_name_display(const struct sv_name *a, const struct sv_name *b)
{
	int r = strcasecmp(a->str, b->str);
	return r ? r : strcmp(a->str, b->str);
}

static int cmp_matched(const struct matched *a, const struct matched *b)
{
	if (a->pkg && b->pkg) {
		int r = a->pkg->name != b->pkg->name ? cmp_name_display(a->pkg->name, b->pkg->name) :
						       0;
		if (!r) {
			int v = sv_version_cmp(a->pkg->version, b->pkg->version);
			r = v == MINT_APK_VERSION_LESS ? -1 : v == MINT_APK_VERSION_GREATER;
		}
		if (r)
			return r;
	}
	return (int)a->dep->op - (int)b->dep->op;
}

static void print_matches(struct printer *p, const char *label, struct matched_list *l)
{
	if (!l->n)
		return;
	label_start(p, label);
	for (uint32_t i = 1; i < l->n; i++) {
		struct matched m = l->items[i];
		uint32_t j = i;
		for (; j > 0 && cmp_matched(&l->items[j - 1], &m) > 0; j--)
			l->items[j] = l->items[j - 1];
		l->items[j] = m;
	}
	for (uint32_t i = 0; i < l->n; i++)
		word_pkg(p, l->items[i].pkg, l->items[i].dep, !l->items[i].pkg);
	l->n = 0;
}

static void match_reverse(struct printer *p, struct sv_pkg *pkg, struct sv_name *name,
			  int match, uint32_t genid, struct matched_list *l)
{
	struct sv_solver *s = p->s;
	struct sv_nstate *ns = sv_ns(s, name);
	for (uint32_t i = 0; i < ns->n_rdeps; i++) {
		struct sv_name *n0 = ns->rdeps[i];
		for (uint32_t j = 0; j < n0->n_prov; j++) {
			struct sv_pkg *pkg0 = n0->prov[j].pkg;
			struct sv_pstate *ps0 = sv_ps(s, pkg0);
			if (!ps0->marked || ps0->genid >= genid)
				continue;
			ps0->genid = genid;
			for (uint32_t k = 0; k < pkg0->n_deps; k++)
				if (sv_dep_analyze(pkg0, &pkg0->deps[k], pkg) & match)
					add_match(p, l, pkg0, &pkg0->deps[k]);
		}
	}
}

static void print_deps(struct printer *p, struct sv_pkg *pkg, int match)
{
	struct sv_solver *s = p->s;
	struct matched_list l = { 0 };
	const char *label = match == SV_DEP_SATISFIES ? "satisfies:" : "breaks:";
	uint32_t genid = ++s->genid;
	for (uint32_t i = 0; i < s->n_world; i++)
		if (sv_dep_analyze(NULL, &s->world[i], pkg) & match)
			add_match(p, &l, NULL, &s->world[i]);
	print_matches(p, label, &l);
	match_reverse(p, pkg, pkg->name, match, genid, &l);
	for (uint32_t i = 0; i < pkg->n_provides; i++)
		match_reverse(p, pkg, pkg->provides[i].name, match, genid, &l);
	print_matches(p, label, &l);
	label_end(p);
	free(l.items);
}

static void analyze_package(struct printer *p, struct sv_pkg *pkg, uint8_t tag)
{
	set_label(p, "%s-%s", pkg->name->str, pkg->version);
	if (pkg->uninstallable) {
		label_start(p, "error:");
		word(p, "uninstallable");
		label_end(p);
		if (!apk_db_arch_ok(p->s->db, pkg->rec->arch)) {
			label_start(p, "arch:");
			word(p, pkg->rec->arch);
			label_end(p);
		}
	}
	pinning_errors(p, pkg, tag);
	conflicts(p, pkg);
	print_deps(p, pkg, SV_DEP_CONFLICTS);
	if (!p->label)
		print_deps(p, pkg, SV_DEP_SATISFIES);
}

static void mark_selected(struct sv_solver *s)
{
	for (uint32_t i = 0; i < s->n_changes; i++)
		if (s->changes[i].new_pkg)
			sv_ps(s, s->changes[i].new_pkg)->marked = true;
}

int sv_explain(struct sv_solver *s, struct mint_buf *out)
{
	struct printer p = { .s = s, .out = out };
	mark_selected(s);
	s->depth = 0;
	discover_deps(&p, s->world, s->n_world);
	emit(&p, "ERROR: unable to select packages:\n");
	p.x = 0;
	analyze_deps(&p, s->world, s->n_world);
	for (uint32_t i = 0; i < s->n_changes && !s->fail; i++) {
		struct sv_pkg *pkg = s->changes[i].new_pkg;
		if (!pkg)
			continue;
		analyze_package(&p, pkg, s->changes[i].new_tag);
		analyze_deps(&p, pkg->deps, pkg->n_deps);
	}
	if (!p.num_labels)
		emit(&p, "Huh? Error reporter did not find the broken constraints.\n");
	return p.rc ? p.rc : s->fail;
}

/* --- names apk del could not remove ------------------------------------ */

enum { NAME_IS_WORLD_DEP = 1 };

struct kept_ctx {
	struct printer p;
	struct sv_name *name;
	uint32_t genid;
	bool header;
};

static bool is_world_dep(struct sv_solver *s, struct sv_name *n)
{
	return sv_ns(s, n)->explain & NAME_IS_WORLD_DEP;
}

static void kept_pkg(struct kept_ctx *k, struct sv_pkg *pkg0);

static void kept_reverse(struct kept_ctx *k, struct sv_pkg *pkg, struct sv_name *name)
{
	struct sv_solver *s = k->p.s;
	struct sv_nstate *ns = sv_ns(s, name);
	for (uint32_t i = 0; i < ns->n_rdeps && !s->fail; i++) {
		struct sv_name *n0 = ns->rdeps[i];
		for (uint32_t j = 0; j < n0->n_prov; j++) {
			struct sv_pkg *pkg0 = n0->prov[j].pkg;
			struct sv_pstate *ps0 = sv_ps(s, pkg0);
			if (!ps0->marked || ps0->genid >= k->genid)
				continue;
			ps0->genid = k->genid;
			for (uint32_t d = 0; d < pkg0->n_deps; d++) {
				if (sv_dep_analyze(pkg0, &pkg0->deps[d], pkg) & SV_DEP_SATISFIES) {
					kept_pkg(k, pkg0);
					break;
				}
			}
		}
	}
}

static void kept_pkg(struct kept_ctx *k, struct sv_pkg *pkg0)
{
	struct sv_solver *s = k->p.s;
	char head[600];
	if (s->depth >= SV_MAX_DEPTH) {
		sv_fail(s, MINT_ELIMIT);
		return;
	}
	s->depth++;
	if (!k->header) {
		emit(&k->p, "World updated, but the following packages are not removed due to:\n");
		k->p.x = 0;
		k->header = true;
	}
	if (!k->p.indent) {
		snprintf(head, sizeof(head), "  %s:", k->name->str);
		group(&k->p, 0, head);
	}
	if (is_world_dep(s, pkg0->name))
		word(&k->p, pkg0->name->str);
	for (uint32_t i = 0; i < pkg0->n_provides; i++)
		if (is_world_dep(s, pkg0->provides[i].name))
			word(&k->p, pkg0->provides[i].name->str);
	kept_reverse(k, pkg0, pkg0->name);
	for (uint32_t i = 0; i < pkg0->n_provides; i++)
		kept_reverse(k, pkg0, pkg0->provides[i].name);
	for (uint32_t i = 0; i < pkg0->n_iif; i++) {
		struct sv_name *n = pkg0->iif[i].name;
		for (uint32_t j = 0; j < n->n_prov; j++) {
			struct sv_pkg *pkg = n->prov[j].pkg;
			struct sv_pstate *ps = sv_ps(s, pkg);
			if (!ps->marked || ps->genid >= k->genid)
				continue;
			ps->genid = k->genid;
			if (!is_world_dep(s, pkg->name))
				continue;
			kept_pkg(k, pkg);
		}
	}
	s->depth--;
}

static int cmp_name_ptr(const void *a, const void *b)
{
	return cmp_name_display(*(struct sv_name *const *)a, *(struct sv_name *const *)b);
}

int sv_explain_kept(struct sv_solver *s, struct mint_buf *out)
{
	const struct mint_apk_solve_opts *o = s->opts;
	struct kept_ctx k = { .p = { .s = s, .out = out } };
	struct sv_name **names = calloc(o->n_removing + 1, sizeof(*names));
	size_t n = 0;
	if (!names)
		return MINT_ENOMEM;
	mark_selected(s);
	s->depth = 0;
	for (uint32_t i = 0; i < s->n_world; i++)
		if (!sv_dep_conflict(&s->world[i]))
			sv_ns(s, s->world[i].name)->explain |= NAME_IS_WORLD_DEP;
	for (size_t i = 0; i < o->n_removing; i++) {
		struct sv_name *name = sv_db_find_name(s->db, mint_span_str(o->removing[i]));
		if (name)
			names[n++] = name;
	}
	qsort(names, n, sizeof(*names), cmp_name_ptr);
	for (size_t i = 0; i < n && !s->fail; i++) {
		if (i && names[i] == names[i - 1])
			continue;
		k.name = names[i];
		k.genid = ++s->genid;
		k.p.x = k.p.indent = 0;
		for (uint32_t j = 0; j < names[i]->n_prov; j++)
			if (sv_ps(s, names[i]->prov[j].pkg)->marked)
				kept_pkg(&k, names[i]->prov[j].pkg);
		label_end(&k.p);
	}
	if (k.header)
		emit(&k.p, "\n");
	free(names);
	return k.p.rc ? k.p.rc : s->fail;
}
