/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The changeset: turns the solver's choices into an ordered list of
 * packages against the installed set, as apk-tools orders it. Starting
 * from the world (sorted by name), each name's chosen package is placed
 * after its dependencies; an installed package that goes is removed
 * before what replaces it, and installed packages that depended on it go
 * first; install_if packages follow the packages that trigger them;
 * finally every installed name not reached is kept or removed. A cycle is
 * cut where the walk meets a package it is still placing.
 *
 * Also here: the public solution (changes with their kind and reason) and
 * apk's text for them: "(1/2) Installing b (2)" lines, the verbose lists
 * and human-readable sizes.
 */
#include "solver_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mint/apk_version.h"

static void name_change(struct sv_solver *s, struct sv_name *name, struct sv_why why);
static void name_remove(struct sv_solver *s, struct sv_pkg *pkg);

static bool enter(struct sv_solver *s)
{
	if (s->fail)
		return false;
	if (s->depth >= SV_MAX_DEPTH) {
		sv_fail(s, MINT_ELIMIT);
		return false;
	}
	s->depth++;
	return true;
}

static void record_change(struct sv_solver *s, struct sv_pkg *opkg, struct sv_pkg *npkg,
			  struct sv_why why)
{
	if (sv_grow((void **)&s->changes, s->n_changes, &s->cap_changes, sizeof(*s->changes))) {
		sv_fail(s, MINT_ENOMEM);
		return;
	}
	struct sv_change *c = &s->changes[s->n_changes++];
	c->old_pkg = opkg;
	c->new_pkg = npkg;
	c->old_tag = opkg ? opkg->installed_tag : 0;
	c->new_tag = npkg ? sv_pkg_tag(s, npkg) : 0;
	c->reinstall = npkg && (sv_ps(s, npkg)->flags & MINT_APK_SOLVE_REINSTALL);
	c->why = why;
}

/* Installed packages count the requirers of installed names, so that a
 * package nobody needs any more is removed with what needed it. */
static void track_deps_added(struct sv_solver *s, struct sv_pkg *pkg)
{
	sv_pkg_read_deps(s->db, pkg);
	for (uint32_t i = 0; i < pkg->n_deps; i++) {
		struct sv_name *iname = sv_ns(s, pkg->deps[i].name)->installed_name;
		if (sv_dep_conflict(&pkg->deps[i]) || !iname)
			continue;
		sv_ns(s, iname)->requirers++;
	}
}

static void track_deps_removed(struct sv_solver *s, struct sv_pkg *pkg)
{
	for (uint32_t i = 0; i < pkg->n_deps; i++) {
		struct sv_nstate *dn = sv_ns(s, pkg->deps[i].name);
		if (sv_dep_conflict(&pkg->deps[i]) || !dn->installed_name)
			continue;
		if (--sv_ns(s, dn->installed_name)->requirers > 0)
			continue;
		if (dn->installed_pkg)
			name_remove(s, dn->installed_pkg);
	}
}

static void check_removal_by_deps(struct sv_solver *s, struct sv_pkg *pkg)
{
	struct sv_nstate *ns = sv_ns(s, pkg->name);
	if (ns->requirers == 0 && !ns->chosen.pkg)
		name_remove(s, pkg);
}

static void check_install_by_iif(struct sv_solver *s, struct sv_name *name)
{
	struct sv_nstate *ns = sv_ns(s, name);
	struct sv_pkg *pkg = ns->chosen.pkg;
	if (!pkg || !ns->seen || ns->cs_processed)
		return;
	for (uint32_t i = 0; i < pkg->n_iif; i++) {
		const struct sv_dep *dep = &pkg->iif[i];
		struct sv_nstate *dn = sv_ns(s, dep->name);
		if (!sv_dep_conflict(dep) && !dn->cs_processed)
			return;
		if (!sv_dep_is_provided(pkg, dep, &dn->chosen))
			return;
	}
	name_change(s, name, (struct sv_why){ SV_WHY_IIF, pkg, NULL });
}

static void check_removal_by_iif(struct sv_solver *s, struct sv_name *name)
{
	struct sv_nstate *ns = sv_ns(s, name);
	struct sv_pkg *pkg = ns->installed_pkg;
	if (!pkg || ns->chosen.pkg || ns->cs_processed || ns->cs_removed)
		return;
	for (uint32_t i = 0; i < pkg->n_iif; i++) {
		struct sv_nstate *dn = sv_ns(s, pkg->iif[i].name);
		if (dn->cs_removed && !dn->chosen.pkg) {
			check_removal_by_deps(s, pkg);
			return;
		}
	}
}

static void for_reverse_iif(struct sv_solver *s, struct sv_pkg *pkg,
			    void (*cb)(struct sv_solver *, struct sv_name *))
{
	if (!pkg)
		return;
	for (uint32_t i = 0; i < pkg->name->n_riif; i++)
		cb(s, pkg->name->riif[i]);
	for (uint32_t i = 0; i < pkg->n_provides; i++) {
		struct sv_name *n = pkg->provides[i].name;
		for (uint32_t j = 0; j < n->n_riif; j++)
			cb(s, n->riif[j]);
	}
}

/* Whether name_remove(pkg) would do nothing. */
static bool removal_settled(struct sv_solver *s, struct sv_pkg *pkg)
{
	struct sv_pkg *chosen = sv_ns(s, pkg->name)->chosen.pkg;
	return sv_ps(s, pkg)->in_changeset || (chosen && chosen->name == pkg->name);
}

/* Installed packages that depend on pkg through name go first. */
static void remove_installed_dependents_of(struct sv_solver *s, struct sv_pkg *pkg,
					   struct sv_name *name)
{
	struct sv_nstate *ns = sv_ns(s, name);
	for (uint32_t i = 0; i < ns->n_rdeps && !s->fail; i++) {
		struct sv_name *n0 = ns->rdeps[i];
		for (uint32_t j = 0; j < n0->n_prov; j++) {
			struct sv_pkg *pkg0 = n0->prov[j].pkg;
			if (!pkg0->installed || removal_settled(s, pkg0))
				continue;
			sv_pkg_read_deps(s->db, pkg0);
			for (uint32_t k = 0; k < pkg0->n_deps; k++) {
				if (sv_dep_analyze(pkg0, &pkg0->deps[k], pkg) & SV_DEP_SATISFIES) {
					name_remove(s, pkg0);
					break;
				}
			}
		}
	}
}

static void name_remove(struct sv_solver *s, struct sv_pkg *pkg)
{
	struct sv_nstate *ns = sv_ns(s, pkg->name);
	struct sv_pstate *ps = sv_ps(s, pkg);
	if (removal_settled(s, pkg) || !enter(s))
		return;
	ns->cs_removed = true;
	ps->in_changeset = true;
	remove_installed_dependents_of(s, pkg, pkg->name);
	for (uint32_t i = 0; i < pkg->n_provides; i++)
		remove_installed_dependents_of(s, pkg, pkg->provides[i].name);
	for_reverse_iif(s, pkg, check_removal_by_iif);
	record_change(s, pkg, NULL, (struct sv_why){ SV_WHY_INSTALLED, NULL, NULL });
	track_deps_removed(s, pkg);
	s->depth--;
}

/* Before a name gets its new package: remove the installed package that
 * held the name under another name, and installed providers that go. */
static void name_preprocess(struct sv_solver *s, struct sv_name *name)
{
	struct sv_nstate *ns = sv_ns(s, name);
	if (ns->cs_processed)
		return;
	ns->cs_processed = true;
	if (ns->installed_pkg && (!ns->chosen.pkg || ns->chosen.pkg->name != name))
		name_remove(s, ns->installed_pkg);
	for (uint32_t i = 0; i < name->n_prov; i++) {
		struct sv_pkg *pkg0 = name->prov[i].pkg;
		struct sv_nstate *n0 = sv_ns(s, pkg0->name);
		if (n0->installed_pkg == pkg0 && !n0->chosen.pkg)
			name_remove(s, pkg0);
	}
}

static void gen_dep(struct sv_solver *s, struct sv_pkg *ppkg, const struct sv_dep *dep)
{
	struct sv_nstate *ns = sv_ns(s, dep->name);
	struct sv_pkg *pkg = ns->chosen.pkg;
	struct sv_why why = { ppkg ? SV_WHY_DEP : SV_WHY_WORLD, ppkg, dep };
	if (sv_dep_conflict(dep) && s->ignore_conflict)
		return;
	if (!sv_dep_is_provided(ppkg, dep, &ns->chosen))
		sv_mark_error(s, ppkg);
	name_change(s, dep->name, why);
	if (pkg && sv_ps(s, pkg)->error)
		sv_mark_error(s, ppkg);
}

static void name_change(struct sv_solver *s, struct sv_name *name, struct sv_why why)
{
	struct sv_nstate *ns = sv_ns(s, name);
	if (ns->cs_processed || !enter(s))
		return;
	name_preprocess(s, name);
	struct sv_pkg *pkg = ns->chosen.pkg;
	if (!pkg || sv_ps(s, pkg)->in_changeset) {
		s->depth--;
		return;
	}
	sv_ps(s, pkg)->in_changeset = true;
	name_preprocess(s, pkg->name);
	for (uint32_t i = 0; i < pkg->n_provides; i++)
		name_preprocess(s, pkg->provides[i].name);
	struct sv_pkg *opkg = sv_ns(s, pkg->name)->installed_pkg;
	for_reverse_iif(s, opkg, check_removal_by_iif);
	for (uint32_t i = 0; i < pkg->n_deps && !s->fail; i++)
		gen_dep(s, pkg, &pkg->deps[i]);
	record_change(s, opkg, pkg, why);
	for_reverse_iif(s, pkg, check_install_by_iif);
	track_deps_added(s, pkg);
	if (opkg)
		track_deps_removed(s, opkg);
	s->depth--;
}

void sv_generate_changeset(struct sv_solver *s)
{
	struct mint_apk_db *db = s->db;
	for (struct sv_nstate *ns = s->nstates; ns; ns = ns->next_alloc) {
		ns->installed_pkg = NULL;
		ns->installed_name = NULL;
		ns->requirers = 0;
	}
	for (uint32_t i = 0; i < db->n_installed; i++) {
		struct sv_pkg *pkg = db->installed[i];
		struct sv_nstate *ns = sv_ns(s, pkg->name);
		ns->installed_pkg = pkg;
		ns->installed_name = pkg->name;
		for (uint32_t j = 0; j < pkg->n_provides; j++)
			if (pkg->provides[j].version)
				sv_ns(s, pkg->provides[j].name)->installed_name = pkg->name;
	}
	for (uint32_t i = 0; i < db->n_installed; i++)
		track_deps_added(s, db->installed[i]);
	for (uint32_t i = 0; i < db->n_installed && !s->fail; i++)
		check_removal_by_deps(s, db->installed[i]);
	for (uint32_t i = 0; i < s->n_world && !s->fail; i++)
		gen_dep(s, NULL, &s->world[i]);
	for (uint32_t i = 0; i < db->n_installed && !s->fail; i++)
		name_change(s, db->installed[i]->name, (struct sv_why){ SV_WHY_INSTALLED, NULL, NULL });
}

/* --- the public solution ----------------------------------------------- */

int sv_format_dep(const struct sv_dep *d, const struct mint_apk_db *db, bool with_tag,
		  struct mint_buf *out)
{
	const char *op = mint_apk_dep_op_string(d->op);
	int rc = mint_buf_printf(out, "%s%s", sv_dep_conflict(d) ? "!" : "", d->name->str);
	if (!rc && with_tag && d->tag)
		rc = mint_buf_puts(out, db->tags[d->tag].text);
	if (!rc && d->version)
		rc = mint_buf_printf(out, "%s%s", op ? op : "?", d->version);
	return rc;
}

static int format_why(struct sv_solver *s, const struct sv_why *why, struct mint_buf *out)
{
	int rc = 0;
	switch (why->kind) {
	case SV_WHY_WORLD:
		rc = mint_buf_puts(out, "world: ");
		return rc ? rc : sv_format_dep(why->dep, s->db, true, out);
	case SV_WHY_DEP:
		rc = mint_buf_printf(out, "dependency of %s-%s: ", why->pkg->name->str,
				     why->pkg->version);
		return rc ? rc : sv_format_dep(why->dep, s->db, false, out);
	case SV_WHY_IIF:
		rc = mint_buf_puts(out, "install_if:");
		for (uint32_t i = 0; !rc && i < why->pkg->n_iif; i++) {
			rc = mint_buf_putc(out, ' ');
			if (!rc)
				rc = sv_format_dep(&why->pkg->iif[i], s->db, false, out);
		}
		return rc;
	case SV_WHY_INSTALLED:
		break;
	}
	return mint_buf_puts(out, "installed");
}

static enum mint_apk_change_kind change_kind(const struct sv_change *c)
{
	if (!c->old_pkg)
		return MINT_APK_CHANGE_INSTALL;
	if (!c->new_pkg)
		return MINT_APK_CHANGE_REMOVE;
	if (c->new_pkg == c->old_pkg) {
		if (c->reinstall)
			return MINT_APK_CHANGE_REINSTALL;
		return c->old_tag != c->new_tag ? MINT_APK_CHANGE_REPIN : MINT_APK_CHANGE_KEEP;
	}
	switch (sv_version_cmp(c->new_pkg->version, c->old_pkg->version)) {
	case MINT_APK_VERSION_LESS:
		return MINT_APK_CHANGE_DOWNGRADE;
	case MINT_APK_VERSION_GREATER:
		return MINT_APK_CHANGE_UPGRADE;
	}
	return MINT_APK_CHANGE_REPLACE;
}

static void fill_change(struct sv_solver *s, const struct sv_change *c, struct mint_apk_change *out)
{
	struct mint_apk_db *db = s->db;
	struct sv_pkg *pkg = c->new_pkg ? c->new_pkg : c->old_pkg;
	out->kind = change_kind(c);
	out->name = pkg->name->str;
	out->old_pkg = c->old_pkg ? c->old_pkg->rec_installed : NULL;
	out->old_tag = db->tags[c->old_tag].text;
	out->new_tag = db->tags[c->new_tag].text;
	out->no_repository = !pkg->name->in_repo;
	out->repo = -1;
	if (!c->new_pkg)
		return;
	struct sv_pkg *n = c->new_pkg;
	uint32_t fetchable = n->repos & db->available_repos;
	out->new_pkg = n->rec_repo ? n->rec_repo : n->rec;
	out->repo = fetchable ? __builtin_ctz(fetchable) : -1;
	out->available = n->local_file || fetchable;
}

int sv_solution_fill(struct sv_solver *s, struct mint_apk_solution *sol)
{
	struct mint_buf why = MINT_BUF_INIT;
	sol->errors = s->errors;
	sol->changes = calloc(s->n_changes ? s->n_changes : 1, sizeof(*sol->changes));
	if (!sol->changes)
		return MINT_ENOMEM;
	for (uint32_t i = 0; i < s->n_changes; i++) {
		const struct sv_change *c = &s->changes[i];
		struct mint_apk_change *out = &sol->changes[sol->n_changes++];
		fill_change(s, c, out);
		if (!c->new_pkg)
			continue;
		mint_buf_reset(&why);
		if (format_why(s, &c->why, &why))
			goto oom;
		out->reason = mint_buf_detach(&why, NULL);
		if (!out->reason)
			goto oom;
	}
	mint_buf_free(&why);
	return 0;
oom:
	mint_buf_free(&why);
	return MINT_ENOMEM;
}

void mint_apk_solution_free(struct mint_apk_solution *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_changes; i++)
		free((char *)s->changes[i].reason);
	free(s->changes);
	free(s->explanation);
	free(s->kept);
	free(s);
}

static uint64_t installed_size(const struct mint_apk_pkg *p)
{
	return p && p->has_installed_size ? p->installed_size : 0;
}

void mint_apk_solution_totals(const struct mint_apk_solution *s, size_t *packages,
			      uint64_t *installed_bytes)
{
	size_t n = 0;
	uint64_t bytes = 0;
	for (size_t i = 0; i < s->n_changes; i++) {
		if (!s->changes[i].new_pkg)
			continue;
		n++;
		bytes += installed_size(s->changes[i].new_pkg);
	}
	if (packages)
		*packages = n;
	if (installed_bytes)
		*installed_bytes = bytes;
}

int mint_apk_format_size(uint64_t bytes, struct mint_buf *out)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	/* Single precision on purpose: apk rounds the same way. */
	float scaled = (float)bytes;
	uint64_t whole = bytes;
	size_t i = 0;
	for (; i < 4 && scaled >= 10000; i++) {
		scaled /= 1024;
		whole /= 1024;
	}
	if (i < 2)
		return mint_buf_printf(out, "%" PRIu64 " %s", whole, units[i]);
	return mint_buf_printf(out, "%.1f %s", (double)scaled, units[i]);
}

/* --- apk's text for the changes ---------------------------------------- */

static const char *change_verb(const struct mint_apk_change *c)
{
	switch (c->kind) {
	case MINT_APK_CHANGE_INSTALL:
		return "Installing";
	case MINT_APK_CHANGE_UPGRADE:
		return "Upgrading";
	case MINT_APK_CHANGE_DOWNGRADE:
		return "Downgrading";
	case MINT_APK_CHANGE_REPLACE:
		return "Replacing";
	case MINT_APK_CHANGE_REINSTALL:
		return c->available ? "Reinstalling" : "[APK unavailable, skipped] Reinstalling";
	case MINT_APK_CHANGE_REPIN:
		return "Updating pinning";
	case MINT_APK_CHANGE_REMOVE:
		return "Purging";
	case MINT_APK_CHANGE_KEEP:
		break;
	}
	return NULL;
}

static bool has_two_versions(const struct mint_apk_change *c)
{
	return c->kind == MINT_APK_CHANGE_UPGRADE || c->kind == MINT_APK_CHANGE_DOWNGRADE ||
	       c->kind == MINT_APK_CHANGE_REPLACE;
}

static const char *one_version(const struct mint_apk_change *c)
{
	return c->new_pkg ? c->new_pkg->version : c->old_pkg->version;
}

static int digits(size_t n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static int cmp_change_name(const void *a, const void *b)
{
	const struct mint_apk_change *ca = *(const struct mint_apk_change *const *)a;
	const struct mint_apk_change *cb = *(const struct mint_apk_change *const *)b;
	int r = strcasecmp(ca->name, cb->name);
	return r ? r : strcmp(ca->name, cb->name);
}

enum list_kind { LIST_NO_REPO, LIST_REMOVE, LIST_DOWNGRADE, LIST_NEW, LIST_UPGRADE,
		 LIST_REINSTALL };

static bool in_list(const struct mint_apk_change *c, enum list_kind k)
{
	switch (k) {
	case LIST_NO_REPO:
		return c->new_pkg && c->no_repository;
	case LIST_REMOVE:
		return c->kind == MINT_APK_CHANGE_REMOVE;
	case LIST_DOWNGRADE:
		return c->kind == MINT_APK_CHANGE_DOWNGRADE;
	case LIST_NEW:
		return c->kind == MINT_APK_CHANGE_INSTALL;
	case LIST_UPGRADE:
		return c->kind == MINT_APK_CHANGE_UPGRADE || c->kind == MINT_APK_CHANGE_REPLACE;
	case LIST_REINSTALL:
		return c->kind == MINT_APK_CHANGE_REINSTALL;
	}
	return false;
}

/* apk's word wrapping at its default width of 50 columns. */
static int put_wrapped(struct mint_buf *out, size_t *x, size_t indent, const char *word)
{
	size_t len = strlen(word);
	if (*x <= indent) {
		int pad = (int)(indent - *x);
		*x = indent + len;
		return mint_buf_printf(out, "%*s%s", pad, "", word);
	}
	if (*x + len + 1 >= 50) {
		*x = indent + len;
		return mint_buf_printf(out, "\n%*s%s", (int)indent, "", word);
	}
	*x += len + 1;
	return mint_buf_printf(out, " %s", word);
}

static int dump_list(const struct mint_apk_change *const *sorted, size_t n, enum list_kind k,
		     const char *title, bool details, struct mint_buf *out, size_t *matched)
{
	size_t x = 0;
	int rc = 0;
	*matched = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct mint_apk_change *c = sorted[i];
		if (!in_list(c, k))
			continue;
		if (!(*matched)++)
			rc = mint_buf_printf(out, "%s:\n", title);
		if (rc)
			break;
		if (!details)
			rc = put_wrapped(out, &x, 2, c->name);
		else if (c->kind != MINT_APK_CHANGE_REINSTALL && c->new_pkg && c->old_pkg)
			rc = mint_buf_printf(out, "  %s%s (%s -> %s)\n", c->name, c->new_tag,
					     c->old_pkg->version, c->new_pkg->version);
		else
			rc = mint_buf_printf(out, "  %s%s (%s)\n", c->name, c->new_tag,
					     c->old_pkg ? c->old_pkg->version :
							  c->new_pkg->version);
	}
	if (!rc && x)
		rc = mint_buf_putc(out, '\n');
	return rc;
}

static int format_sizes(const struct mint_apk_solution *s, struct mint_buf *out)
{
	uint64_t download = 0;
	int64_t diff = 0;
	int rc = 0;
	for (size_t i = 0; i < s->n_changes; i++) {
		const struct mint_apk_change *c = &s->changes[i];
		diff += (int64_t)installed_size(c->new_pkg) - (int64_t)installed_size(c->old_pkg);
		if (c->new_pkg && c->kind != MINT_APK_CHANGE_KEEP && c->repo >= 0 &&
		    c->new_pkg->has_file_size && c->kind != MINT_APK_CHANGE_REINSTALL)
			download += c->new_pkg->file_size;
	}
	if (download) {
		rc = mint_buf_puts(out, "Need to download ");
		if (!rc)
			rc = mint_apk_format_size(download, out);
		if (!rc)
			rc = mint_buf_puts(out, " of packages.\n");
	}
	if (!rc)
		rc = mint_buf_puts(out, "After this operation, ");
	if (!rc)
		rc = mint_apk_format_size(diff < 0 ? (uint64_t)-diff : (uint64_t)diff, out);
	if (!rc)
		rc = mint_buf_printf(out, " of %s.\n",
				     diff < 0 ? "disk space will be freed" :
						"additional disk space will be used");
	return rc;
}

static int format_lists(const struct mint_apk_solution *s, struct mint_buf *out)
{
	const struct mint_apk_change **sorted = calloc(s->n_changes + 1, sizeof(*sorted));
	size_t n = 0, matched = 0, total = 0;
	int rc;
	if (!sorted)
		return MINT_ENOMEM;
	for (size_t i = 0; i < s->n_changes; i++)
		sorted[n++] = &s->changes[i];
	qsort(sorted, n, sizeof(*sorted), cmp_change_name);
	rc = dump_list(sorted, n, LIST_NO_REPO,
		       "NOTE: Consider running apk upgrade with --prune and/or --available.\n"
		       "The following packages are no longer available from a repository",
		       false, out, &matched);
	if (!rc)
		rc = dump_list(sorted, n, LIST_REMOVE, "The following packages will be REMOVED",
			       true, out, &matched);
	total += matched;
	if (!rc)
		rc = dump_list(sorted, n, LIST_DOWNGRADE,
			       "The following packages will be DOWNGRADED", true, out, &matched);
	total += matched;
	if (!rc && total) {
		rc = dump_list(sorted, n, LIST_NEW, "The following NEW packages will be installed",
			       true, out, &matched);
		if (!rc)
			rc = dump_list(sorted, n, LIST_UPGRADE,
				       "The following packages will be upgraded", true, out,
				       &matched);
		if (!rc)
			rc = dump_list(sorted, n, LIST_REINSTALL,
				       "The following packages will be reinstalled", true, out,
				       &matched);
		if (!rc)
			rc = format_sizes(s, out);
	}
	free(sorted);
	return rc;
}

int mint_apk_solution_format_changes(const struct mint_apk_solution *s, bool verbose,
				     struct mint_buf *out)
{
	size_t total = 0, done = 0;
	int rc = verbose ? format_lists(s, out) : 0;
	for (size_t i = 0; i < s->n_changes; i++)
		total += change_verb(&s->changes[i]) != NULL;
	for (size_t i = 0; i < s->n_changes && !rc; i++) {
		const struct mint_apk_change *c = &s->changes[i];
		const char *verb = change_verb(c);
		if (!verb)
			continue;
		rc = mint_buf_printf(out, "(%*zu/%zu) %s %s%s ", digits(total), ++done, total,
				     verb, c->name, c->new_tag);
		if (!rc && has_two_versions(c))
			rc = mint_buf_printf(out, "(%s -> %s)\n", c->old_pkg->version,
					     c->new_pkg->version);
		else if (!rc)
			rc = mint_buf_printf(out, "(%s)\n", one_version(c));
	}
	return rc;
}
