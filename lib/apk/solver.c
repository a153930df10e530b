/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The solver proper, with apk-tools' semantics (apk-tools src/solver.c is
 * the reference for behaviour; this is a separate implementation).
 *
 * It works name by name. Discovery walks everything the world can reach
 * and numbers each name (dependents above their dependencies). World
 * dependencies are applied as constraints: each counts a requirer on its
 * name and a conflict on every provider it rules out, which disqualifies
 * that provider. Then, until nothing is left: "dirty" names are
 * reconsidered (providers whose dependencies became unsatisfiable are
 * disqualified, dependencies common to all remaining candidates are
 * applied early, install_if rules are evaluated), and one name is taken
 * off the queues (first a name with one option whose dependents are all
 * decided, else the highest-numbered name with an auto-selectable
 * provider, else the highest-numbered other name) and decided: the best
 * provider by apk's preference order wins, takes the name and all it
 * provides, and its dependencies become constraints. A name with
 * requirers and no provider, or a decided package that is broken,
 * disallowed by its tags or providing a name twice, is an error; the
 * changeset (changeset.c) and the explanation (solver_explain.c) follow.
 *
 * Not here: the package database (pkgdb.c).
 */
#include "solver_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mint/apk_version.h"

#define STATE_CHUNK 256
#define DEFAULT_PINNING 1u

struct sv_state_chunk {
	struct sv_state_chunk *next;
	size_t used, size;
	max_align_t data[];
};

int sv_fail(struct sv_solver *s, int rc)
{
	if (!s->fail)
		s->fail = rc;
	return s->fail;
}

static void *state_alloc(struct sv_solver *s, size_t size)
{
	struct sv_state_chunk *c = s->chunks;
	size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!c || c->size - c->used < size) {
		size_t cap = size * STATE_CHUNK;
		c = calloc(1, sizeof(*c) + cap);
		if (!c) {
			sv_fail(s, MINT_ENOMEM);
			return NULL;
		}
		c->size = cap;
		c->next = s->chunks;
		s->chunks = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	return p;
}

struct sv_nstate *sv_ns(struct sv_solver *s, struct sv_name *n)
{
	if (n->gen == s->gen && n->ss)
		return n->ss;
	struct sv_nstate *ns = state_alloc(s, sizeof(*ns));
	if (!ns) {
		memset(&s->dummy_n, 0, sizeof(s->dummy_n));
		return &s->dummy_n;
	}
	ns->next_alloc = s->nstates;
	s->nstates = ns;
	n->gen = s->gen;
	n->ss = ns;
	return ns;
}

struct sv_pstate *sv_ps(struct sv_solver *s, struct sv_pkg *p)
{
	if (p->gen == s->gen && p->ss)
		return p->ss;
	struct sv_pstate *ps = state_alloc(s, sizeof(*ps));
	if (!ps) {
		memset(&s->dummy_p, 0, sizeof(s->dummy_p));
		return &s->dummy_p;
	}
	p->gen = s->gen;
	p->ss = ps;
	return ps;
}

static void free_states(struct sv_solver *s)
{
	for (struct sv_nstate *ns = s->nstates; ns; ns = ns->next_alloc)
		free(ns->rdeps);
	s->nstates = NULL;
	while (s->chunks) {
		struct sv_state_chunk *next = s->chunks->next;
		free(s->chunks);
		s->chunks = next;
	}
}

/* --- dependency matching ----------------------------------------------- */

bool sv_dep_conflict(const struct sv_dep *d)
{
	return (d->op & MINT_APK_DEP_CONFLICT) != 0;
}

int sv_version_cmp(const char *a, const char *b)
{
	if (a == b || (a && b && strcmp(a, b) == 0))
		return MINT_APK_VERSION_EQUAL;
	return mint_apk_version_compare(mint_span_str(a), mint_span_str(b));
}

static bool identity_matches(const struct sv_dep *dep, const struct sv_pkg *pkg)
{
	const char *id = pkg->rec->identity;
	return id && dep->version && strcmp(id, dep->version) == 0;
}

static bool version_matches(const char *have, const struct sv_dep *dep)
{
	return mint_apk_version_match(mint_span_str(have), dep->op, mint_span_str(dep->version));
}

bool sv_dep_is_provided(const struct sv_pkg *deppkg, const struct sv_dep *dep,
			const struct sv_provider *p)
{
	if (!p || !p->pkg)
		return sv_dep_conflict(dep);
	if (sv_dep_conflict(dep) && deppkg == p->pkg)
		return true;
	if (dep->op == MINT_APK_DEP_CHECKSUM)
		return identity_matches(dep, p->pkg);
	return version_matches(p->version, dep);
}

static bool dep_is_materialized(const struct sv_dep *dep, const struct sv_pkg *pkg)
{
	if (!pkg || dep->name != pkg->name)
		return sv_dep_conflict(dep);
	if (dep->op == MINT_APK_DEP_CHECKSUM)
		return identity_matches(dep, pkg);
	return version_matches(pkg->version, dep);
}

int sv_dep_analyze(const struct sv_pkg *deppkg, const struct sv_dep *dep,
		   const struct sv_pkg *pkg)
{
	if (!pkg)
		return SV_DEP_IRRELEVANT;
	if (dep->name == pkg->name)
		return dep_is_materialized(dep, pkg) ? SV_DEP_SATISFIES : SV_DEP_CONFLICTS;
	for (uint32_t i = 0; i < pkg->n_provides; i++) {
		if (pkg->provides[i].name != dep->name)
			continue;
		struct sv_provider p = { (struct sv_pkg *)pkg, pkg->provides[i].version };
		return sv_dep_is_provided(deppkg, dep, &p) ? SV_DEP_SATISFIES : SV_DEP_CONFLICTS;
	}
	return SV_DEP_IRRELEVANT;
}

/* --- queues ------------------------------------------------------------ */

static void fifo_push(struct sv_solver *s, struct sv_fifo *q, struct sv_name *n)
{
	if (q->head && q->head == q->n) {
		q->head = 0;
		q->n = 0;
	}
	if (sv_grow((void **)&q->items, q->n, &q->cap, sizeof(void *))) {
		sv_fail(s, MINT_ENOMEM);
		return;
	}
	q->items[q->n++] = n;
}

static struct sv_name *fifo_pop(struct sv_fifo *q)
{
	return q->head < q->n ? q->items[q->head++] : NULL;
}

static void heap_push(struct sv_solver *s, struct sv_heap *h, struct sv_name *n, uint32_t stamp)
{
	if (sv_grow((void **)&h->items, h->n, &h->cap, sizeof(*h->items))) {
		sv_fail(s, MINT_ENOMEM);
		return;
	}
	uint32_t i = h->n++, order = sv_ns(s, n)->order_id;
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (h->items[parent].order_id >= order)
			break;
		h->items[i] = h->items[parent];
		i = parent;
	}
	h->items[i] = (struct sv_heap_entry){ order, stamp, n };
}

static struct sv_heap_entry heap_pop(struct sv_heap *h)
{
	struct sv_heap_entry top = h->items[0], last = h->items[--h->n];
	uint32_t i = 0;
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->items[c + 1].order_id > h->items[c].order_id)
			c++;
		if (h->items[c].order_id <= last.order_id)
			break;
		h->items[i] = h->items[c];
		i = c;
	}
	if (h->n)
		h->items[i] = last;
	return top;
}

static void queue_dirty(struct sv_solver *s, struct sv_name *name)
{
	struct sv_nstate *ns = sv_ns(s, name);
	if (ns->in_dirty || ns->locked || (ns->requirers == 0 && !ns->reevaluate_iif))
		return;
	ns->in_dirty = true;
	fifo_push(s, &s->dirty, name);
}

static bool wants_resolve_now(const struct sv_nstate *ns)
{
	return ns->reverse_deps_done && ns->requirers && ns->has_auto_selectable &&
	       !ns->has_options;
}

static void unqueue(struct sv_nstate *ns)
{
	ns->queue = SV_Q_NONE;
	ns->queue_stamp++;
}

static void queue_unresolved(struct sv_solver *s, struct sv_name *name, bool reevaluate)
{
	struct sv_nstate *ns = sv_ns(s, name);
	if (ns->locked)
		return;
	if (ns->queue != SV_Q_NONE) {
		if (ns->resolvenow)
			return;
		if (wants_resolve_now(ns))
			ns->resolvenow = true;
		else if (!reevaluate)
			return;
		unqueue(ns);
	} else {
		if (ns->requirers == 0 && !ns->has_iif && !ns->iif_needed)
			return;
		ns->resolvenow = wants_resolve_now(ns);
	}
	ns->queue_stamp++;
	if (ns->resolvenow) {
		ns->queue = SV_Q_RESOLVENOW;
		fifo_push(s, &s->resolvenow, name);
	} else if (ns->has_auto_selectable) {
		ns->queue = SV_Q_SELECTABLE;
		heap_push(s, &s->selectable, name, ns->queue_stamp);
	} else {
		ns->queue = SV_Q_UNRESOLVED;
		heap_push(s, &s->unresolved, name, ns->queue_stamp);
	}
}

static struct sv_name *pop_heap_queue(struct sv_solver *s, struct sv_heap *h, uint8_t which)
{
	while (h->n) {
		struct sv_heap_entry e = heap_pop(h);
		struct sv_nstate *ns = sv_ns(s, e.name);
		if (ns->queue == which && ns->queue_stamp == e.stamp) {
			unqueue(ns);
			return e.name;
		}
	}
	return NULL;
}

static struct sv_name *dequeue_next(struct sv_solver *s)
{
	struct sv_name *n;
	while ((n = fifo_pop(&s->resolvenow))) {
		struct sv_nstate *ns = sv_ns(s, n);
		if (ns->queue == SV_Q_RESOLVENOW) {
			unqueue(ns);
			return n;
		}
	}
	n = pop_heap_queue(s, &s->selectable, SV_Q_SELECTABLE);
	return n ? n : pop_heap_queue(s, &s->unresolved, SV_Q_UNRESOLVED);
}

/* --- reevaluation ------------------------------------------------------ */

void sv_mark_error(struct sv_solver *s, struct sv_pkg *pkg)
{
	if (!pkg)
		return;
	struct sv_pstate *ps = sv_ps(s, pkg);
	if (ps->error)
		return;
	ps->error = true;
	s->errors++;
}

static void reevaluate_reverse_deps(struct sv_solver *s, struct sv_name *name)
{
	struct sv_nstate *ns = sv_ns(s, name);
	for (uint32_t i = 0; i < ns->n_rdeps; i++) {
		struct sv_name *n0 = ns->rdeps[i];
		struct sv_nstate *ns0 = sv_ns(s, n0);
		if (!ns0->seen)
			continue;
		ns0->reevaluate_deps = true;
		queue_dirty(s, n0);
	}
}

static void reevaluate_reverse_iif(struct sv_solver *s, struct sv_name *name)
{
	for (uint32_t i = 0; i < name->n_riif; i++) {
		struct sv_name *n0 = name->riif[i];
		struct sv_nstate *ns0 = sv_ns(s, n0);
		if (!ns0->seen || ns0->no_iif)
			continue;
		ns0->reevaluate_iif = true;
		queue_dirty(s, n0);
	}
}

static void reevaluate_reverse_iif_pkg(struct sv_solver *s, struct sv_pkg *pkg)
{
	reevaluate_reverse_iif(s, pkg->name);
	for (uint32_t i = 0; i < pkg->n_provides; i++)
		reevaluate_reverse_iif(s, pkg->provides[i].name);
}

static void disqualify(struct sv_solver *s, struct sv_pkg *pkg)
{
	sv_ps(s, pkg)->selectable = false;
	reevaluate_reverse_deps(s, pkg->name);
	for (uint32_t i = 0; i < pkg->n_provides; i++)
		reevaluate_reverse_deps(s, pkg->provides[i].name);
	reevaluate_reverse_iif_pkg(s, pkg);
}

static bool dependency_satisfiable(struct sv_solver *s, const struct sv_pkg *dpkg,
				   const struct sv_dep *dep)
{
	struct sv_nstate *ns = sv_ns(s, dep->name);
	if (sv_dep_conflict(dep) && s->ignore_conflict)
		return true;
	if (ns->locked)
		return sv_dep_is_provided(dpkg, dep, &ns->chosen);
	if (ns->requirers == 0 && sv_dep_is_provided(dpkg, dep, NULL))
		return true;
	for (uint32_t i = 0; i < dep->name->n_prov; i++) {
		const struct sv_provider *p = &dep->name->prov[i];
		if (sv_ps(s, p->pkg)->selectable && sv_dep_is_provided(dpkg, dep, p))
			return true;
	}
	return false;
}

/* --- discovery --------------------------------------------------------- */

static void pkg_first_seen(struct sv_solver *s, struct sv_pkg *pkg)
{
	struct mint_apk_db *db = s->db;
	struct sv_pstate *ps = sv_ps(s, pkg);
	sv_pkg_read_deps(db, pkg);
	ps->seen = true;
	ps->pinning_allowed = DEFAULT_PINNING;
	ps->pinning_preferred = DEFAULT_PINNING;
	ps->available = pkg->local_file || (pkg->repos & db->available_repos);
	ps->selectable = !pkg->uninstallable &&
			 (ps->available || pkg->cached || pkg->installed_size == 0 || pkg->installed);
	ps->iif_failed = pkg->n_iif == 0 ||
			 ((s->flags_inherit & MINT_APK_SOLVE_AVAILABLE) && !ps->available);
	ps->tag_preferred = pkg->local_file || pkg->installed_size == 0 ||
			    (sv_pkg_repos(db, pkg) & s->default_repos);
	ps->tag_ok = ps->tag_preferred || pkg->cached || pkg->installed;
}

/*
 * Discovery is a depth-first walk kept on an explicit stack (index graphs
 * can be deep). A name's frame goes through four phases, in apk's order:
 *   PH_PROVIDERS  each provider seen for the first time, then the names
 *                 it depends on;
 *   PH_RIIF       names whose install_if rules watch this name;
 *   PH_PROVIDED   per provider, the install_if watchers of its own name
 *                 and the names it provides; then the name gets its
 *                 number, so what it reaches is numbered lower;
 *   PH_IIF        the names the providers' install_if rules watch.
 */
enum disc_phase { PH_PROVIDERS, PH_RIIF, PH_PROVIDED, PH_IIF };

struct disc_frame {
	struct sv_name *name;
	uint8_t phase;
	bool in_pkg;
	uint32_t i, j, num_virtual;
};

struct disc_stack {
	struct disc_frame *items;
	uint32_t n, cap;
};

static bool disc_push(struct sv_solver *s, struct disc_stack *st, struct sv_name *name)
{
	struct sv_nstate *ns = sv_ns(s, name);
	if (ns->seen)
		return false;
	if (sv_grow((void **)&st->items, st->n, &st->cap, sizeof(*st->items)) ||
	    sv_grow((void **)&s->seen, s->n_seen, &s->cap_seen, sizeof(void *))) {
		sv_fail(s, MINT_ENOMEM);
		return false;
	}
	ns->seen = true;
	ns->no_iif = true;
	s->seen[s->n_seen++] = name;
	st->items[st->n++] = (struct disc_frame){ .name = name };
	return true;
}

/* The next name a frame wants discovered, or NULL when it is done. */
static struct sv_name *disc_step(struct sv_solver *s, struct disc_frame *f)
{
	struct sv_name *name = f->name;
	struct sv_nstate *ns = sv_ns(s, name);
	while (!s->fail) {
		if (f->phase == PH_PROVIDERS) {
			if (f->i == name->n_prov) {
				f->phase = PH_RIIF;
				f->i = 0;
				continue;
			}
			struct sv_pkg *pkg = name->prov[f->i].pkg;
			struct sv_pstate *ps = sv_ps(s, pkg);
			if (!f->in_pkg && !ps->seen) {
				pkg_first_seen(s, pkg);
				f->in_pkg = true;
				f->j = 0;
			}
			if (f->in_pkg && f->j < pkg->n_deps)
				return pkg->deps[f->j++].name;
			f->in_pkg = false;
			ns->no_iif &= ps->iif_failed;
			f->num_virtual += pkg->name != name;
			f->i++;
		} else if (f->phase == PH_RIIF) {
			if (f->i < name->n_riif)
				return name->riif[f->i++];
			f->phase = PH_PROVIDED;
			f->i = 0;
			f->j = 0;
		} else if (f->phase == PH_PROVIDED) {
			if (f->i == name->n_prov) {
				/* Higher numbers are decided first: names the
				 * caller flagged (apk's command-line names), then
				 * names with packages of their own, then the
				 * later-discovered (dependents before their
				 * dependencies). The flagged-first order is what
				 * apk-tools' test vectors show. */
				uint32_t flags = 0;
				if (ns->flags_set)
					flags |= 1u << 31;
				if (name->n_prov != f->num_virtual)
					flags |= 1u << 30;
				ns->order_id = flags | (++s->order_counter & 0x3fffffffu);
				f->phase = PH_IIF;
				f->i = 0;
				f->j = 0;
				continue;
			}
			struct sv_pkg *pkg = name->prov[f->i].pkg;
			if (f->j < pkg->name->n_riif)
				return pkg->name->riif[f->j++];
			uint32_t k = f->j - pkg->name->n_riif;
			if (k < pkg->n_provides) {
				f->j++;
				return pkg->provides[k].name;
			}
			f->i++;
			f->j = 0;
		} else {
			if (f->i == name->n_prov)
				return NULL;
			struct sv_pkg *pkg = name->prov[f->i].pkg;
			if (f->j < pkg->n_iif)
				return pkg->iif[f->j++].name;
			f->i++;
			f->j = 0;
		}
	}
	return NULL;
}

static void discover(struct sv_solver *s, struct sv_name *root)
{
	struct disc_stack st = { 0 };
	disc_push(s, &st, root);
	while (st.n && !s->fail) {
		struct sv_name *next = disc_step(s, &st.items[st.n - 1]);
		if (next)
			disc_push(s, &st, next);
		else
			st.n--;
	}
	free(st.items);
}

static void add_rdep(struct sv_solver *s, struct sv_name *target, struct sv_name *from)
{
	struct sv_nstate *ts = sv_ns(s, target);
	if (ts->rdep_mark == from->id + 1)
		return;
	ts->rdep_mark = from->id + 1;
	if (sv_grow((void **)&ts->rdeps, ts->n_rdeps, &ts->cap_rdeps, sizeof(void *))) {
		sv_fail(s, MINT_ENOMEM);
		return;
	}
	ts->rdeps[ts->n_rdeps++] = from;
}

/* from's packages depend on names: add from to their reverse lists. Only
 * installed packages count for a name the solve did not reach (apk walks
 * reverse dependencies of unreached names only to remove installed
 * packages). */
static void rdeps_from(struct sv_solver *s, struct sv_name *from, bool only_installed)
{
	for (uint32_t i = 0; i < from->n_prov; i++) {
		struct sv_pkg *pkg = from->prov[i].pkg;
		if (only_installed && !pkg->installed)
			continue;
		sv_pkg_read_deps(s->db, pkg);
		for (uint32_t j = 0; j < pkg->n_deps; j++)
			add_rdep(s, pkg->deps[j].name, from);
	}
}

static void build_rdeps(struct sv_solver *s)
{
	uint32_t n_seen = s->n_seen;
	for (uint32_t i = 0; i < n_seen; i++)
		rdeps_from(s, s->seen[i], false);
	for (uint32_t i = 0; i < s->db->n_installed; i++) {
		struct sv_pkg *pkg = s->db->installed[i];
		if (!sv_ns(s, pkg->name)->seen)
			rdeps_from(s, pkg->name, true);
		for (uint32_t j = 0; j < pkg->n_provides; j++)
			if (!sv_ns(s, pkg->provides[j].name)->seen)
				rdeps_from(s, pkg->provides[j].name, true);
	}
}

/* --- constraints ------------------------------------------------------- */

static void name_requirers_changed(struct sv_solver *s, struct sv_name *name)
{
	queue_unresolved(s, name, false);
	reevaluate_reverse_iif(s, name);
	queue_dirty(s, name);
}

static void inherit_pinning_and_flags(struct sv_solver *s, struct sv_pkg *pkg,
				      struct sv_pkg *ppkg)
{
	struct sv_pstate *ps = sv_ps(s, pkg);
	uint32_t repos = sv_pkg_repos(s->db, pkg);
	if (ppkg) {
		struct sv_pstate *pps = sv_ps(s, ppkg);
		ps->flags |= pps->flags_inherited;
		ps->flags_inherited |= pps->flags_inherited;
		ps->pinning_allowed |= pps->pinning_allowed;
	} else {
		ps->flags |= s->flags_inherit;
		ps->flags_inherited |= s->flags_inherit;
		ps->pinning_allowed |= s->pinning_inherit;
		ps->pinning_preferred = s->pinning_inherit;
		ps->tag_preferred = (repos & sv_tag_mask_repos(s->db, ps->pinning_preferred)) != 0;
	}
	if (repos & sv_tag_mask_repos(s->db, ps->pinning_allowed))
		ps->tag_ok = true;
}

static void apply_constraint(struct sv_solver *s, struct sv_pkg *ppkg, const struct sv_dep *dep)
{
	struct sv_name *name = dep->name;
	struct sv_nstate *ns = sv_ns(s, name);
	bool conflict = sv_dep_conflict(dep);
	if (conflict && s->ignore_conflict)
		return;
	if (!conflict && ++ns->requirers == 1)
		name_requirers_changed(s, name);
	for (uint32_t i = 0; i < name->n_prov; i++) {
		struct sv_provider *p0 = &name->prov[i];
		struct sv_pstate *ps0 = sv_ps(s, p0->pkg);
		bool provided = sv_dep_is_provided(ppkg, dep, p0);
		ps0->conflicts += !provided;
		if (ps0->selectable && ps0->conflicts)
			disqualify(s, p0->pkg);
		if (provided)
			inherit_pinning_and_flags(s, p0->pkg, ppkg);
	}
}

static void exclude_non_providers(struct sv_solver *s, struct sv_name *name,
				  struct sv_name *must_provide, bool skip_virtuals)
{
	if (name == must_provide || s->ignore_conflict)
		return;
	for (uint32_t i = 0; i < name->n_prov; i++) {
		struct sv_provider *p = &name->prov[i];
		struct sv_pkg *pkg = p->pkg;
		if (pkg->name == must_provide || !sv_ps(s, pkg)->selectable ||
		    (skip_virtuals && !p->version))
			continue;
		bool keeps = false;
		for (uint32_t j = 0; j < pkg->n_provides && !keeps; j++)
			keeps = pkg->provides[j].name == must_provide ||
				(skip_virtuals && !pkg->provides[j].version);
		if (!keeps)
			disqualify(s, pkg);
	}
}

/* An intersection counter: it advances only when every earlier candidate
 * advanced it too, so "== number of candidates" means all of them have it. */
static bool merge_index(uint32_t *index, uint32_t num_options)
{
	if (*index != num_options)
		return false;
	*index = num_options + 1;
	return true;
}

static bool merge_index_complete(uint32_t *index, uint32_t num_options)
{
	bool all = *index == num_options;
	*index = 0;
	return all;
}

static bool provider_auto_selectable(struct sv_solver *s, const struct sv_provider *p)
{
	return p->version || p->pkg->provider_priority || sv_ns(s, p->pkg->name)->requirers;
}

/* A provider whose dependencies can no longer be met is disqualified. */
static void recheck_deps(struct sv_solver *s, struct sv_pkg *pkg)
{
	for (uint32_t i = 0; i < pkg->n_deps; i++) {
		if (!dependency_satisfiable(s, pkg, &pkg->deps[i])) {
			disqualify(s, pkg);
			return;
		}
	}
}

/* Whether pkg's install_if rule holds, fails, or cannot tell yet. */
static void evaluate_iif(struct sv_solver *s, struct sv_pkg *pkg, struct sv_pstate *ps)
{
	ps->iif_triggered = true;
	ps->iif_failed = false;
	for (uint32_t i = 0; i < pkg->n_iif; i++) {
		const struct sv_dep *dep = &pkg->iif[i];
		struct sv_nstate *dn = sv_ns(s, dep->name);
		if (!dn->locked) {
			if (sv_dep_conflict(dep)) {
				dn->iif_needed = true;
				queue_unresolved(s, dep->name, false);
			}
			ps->iif_triggered = false;
			return;
		}
		if (!sv_dep_is_provided(pkg, dep, &dn->chosen)) {
			ps->iif_triggered = false;
			ps->iif_failed = true;
			return;
		}
	}
}

struct merge_tally {
	struct sv_pkg *first;
	uint32_t num_options, num_tag_not_ok;
	bool has_iif, no_iif, has_auto;
};

static void merge_candidate(struct sv_solver *s, struct sv_provider *p, struct merge_tally *t)
{
	struct sv_pkg *pkg = p->pkg;
	struct sv_pstate *ps = sv_ps(s, pkg);
	ps->deps_merged = true;
	if (!t->first)
		t->first = pkg;
	for (uint32_t i = 0; i < pkg->n_deps; i++)
		if (!sv_dep_conflict(&pkg->deps[i]))
			merge_index(&sv_ns(s, pkg->deps[i].name)->merge_depends, t->num_options);
	struct sv_nstate *pn = sv_ns(s, pkg->name);
	if (merge_index(&pn->merge_provides, t->num_options))
		pn->has_virtual_provides |= !p->version;
	for (uint32_t i = 0; i < pkg->n_provides; i++) {
		struct sv_nstate *dn = sv_ns(s, pkg->provides[i].name);
		if (merge_index(&dn->merge_provides, t->num_options))
			dn->has_virtual_provides |= !pkg->provides[i].version;
	}
	t->num_tag_not_ok += !ps->tag_ok;
	t->num_options++;
	if (!t->has_auto && provider_auto_selectable(s, p))
		t->has_auto = true;
}

/* Applies what all candidates of name agree on: their common dependencies
 * and the names every one of them provides. */
static void propagate_common(struct sv_solver *s, struct sv_name *name, struct merge_tally *t)
{
	struct sv_pkg *pkg = t->first;
	for (uint32_t i = 0; i < name->n_prov; i++) {
		struct sv_pstate *ps = sv_ps(s, name->prov[i].pkg);
		ps->deps_used = ps->deps_merged;
	}
	for (uint32_t i = 0; i < pkg->n_deps; i++) {
		const struct sv_dep *dep = &pkg->deps[i];
		struct sv_nstate *dn = sv_ns(s, dep->name);
		if (!merge_index_complete(&dn->merge_depends, t->num_options))
			continue;
		if (t->num_options == 1) {
			apply_constraint(s, pkg, dep);
		} else if (dn->requirers == 0) {
			dn->requirers++;
			name_requirers_changed(s, dep->name);
			for (uint32_t j = 0; j < dep->name->n_prov; j++)
				inherit_pinning_and_flags(s, dep->name->prov[j].pkg, pkg);
		}
	}
	struct sv_nstate *pn = sv_ns(s, pkg->name);
	if (merge_index_complete(&pn->merge_provides, t->num_options))
		exclude_non_providers(s, pkg->name, name, pn->has_virtual_provides);
	for (uint32_t i = 0; i < pkg->n_provides; i++) {
		struct sv_nstate *dn = sv_ns(s, pkg->provides[i].name);
		if (merge_index_complete(&dn->merge_provides, t->num_options))
			exclude_non_providers(s, pkg->provides[i].name, name, dn->has_virtual_provides);
	}
	pn->has_virtual_provides = false;
	for (uint32_t i = 0; i < pkg->n_provides; i++)
		sv_ns(s, pkg->provides[i].name)->has_virtual_provides = false;
}

static void reconsider_name(struct sv_solver *s, struct sv_name *name)
{
	struct sv_nstate *ns = sv_ns(s, name);
	bool reevaluate_deps = ns->reevaluate_deps, reevaluate_iif = ns->reevaluate_iif;
	struct merge_tally t = { .no_iif = true };
	ns->reevaluate_deps = false;
	ns->reevaluate_iif = false;
	for (uint32_t i = 0; i < name->n_prov; i++) {
		struct sv_provider *p = &name->prov[i];
		struct sv_pkg *pkg = p->pkg;
		struct sv_pstate *ps = sv_ps(s, pkg);
		ps->deps_merged = false;
		if (reevaluate_deps) {
			if (!ps->selectable)
				continue;
			recheck_deps(s, pkg);
		}
		if (!ps->selectable)
			continue;
		if (reevaluate_iif && !ps->iif_triggered && !ps->iif_failed)
			evaluate_iif(s, pkg, ps);
		if (reevaluate_iif && ps->iif_triggered)
			for (uint32_t j = 0; j < pkg->n_iif; j++)
				inherit_pinning_and_flags(s, pkg,
							  sv_ns(s, pkg->iif[j].name)->chosen.pkg);
		t.has_iif |= ps->iif_triggered;
		t.no_iif &= ps->iif_failed;
		t.has_auto |= ps->iif_triggered;
		if (ns->requirers == 0)
			continue;
		merge_candidate(s, p, &t);
	}
	bool reevaluate = false;
	ns->has_options = t.num_options > 1 || t.num_tag_not_ok > 0;
	ns->has_iif = t.has_iif;
	ns->no_iif = t.no_iif;
	if (t.has_auto != ns->has_auto_selectable) {
		ns->has_auto_selectable = t.has_auto;
		reevaluate = true;
	}
	if (t.first)
		propagate_common(s, name, &t);
	ns->reverse_deps_done = true;
	for (uint32_t i = 0; i < ns->n_rdeps; i++) {
		struct sv_nstate *r = sv_ns(s, ns->rdeps[i]);
		if (r->seen && !r->locked) {
			ns->reverse_deps_done = false;
			break;
		}
	}
	queue_unresolved(s, name, reevaluate);
}

/* --- choosing ---------------------------------------------------------- */

static int cmp_bool(bool a, bool b)
{
	return (int)a - (int)b;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int lowest_repo(uint32_t repos)
{
	return repos ? __builtin_ctz(repos) + 1 : 0;
}

/* apk's rules before the version comparison, for the usual (not
 * --latest) case. */
static int prefer_usual(struct sv_solver *s, const struct sv_provider *pa,
			const struct sv_provider *pb, unsigned flags)
{
	struct sv_pkg *a = pa->pkg, *b = pb->pkg;
	struct sv_pstate *sa = sv_ps(s, a), *sb = sv_ps(s, b);
	int r;
	if ((r = cmp_bool(sa->selectable, sb->selectable)))
		return r;
	if ((r = cmp_bool(sa->deps_used, sb->deps_used)))
		return r;
	if (sb->conflicts != sa->conflicts)
		return sb->conflicts > sa->conflicts ? 1 : -1;
	if ((s->prefer_installed && !(flags & MINT_APK_SOLVE_UPGRADE)) ||
	    (flags & MINT_APK_SOLVE_KEEP))
		if ((r = cmp_bool(a->installed, b->installed)))
			return r;
	if ((r = cmp_bool(sa->tag_ok, sb->tag_ok)))
		return r;
	if ((flags & MINT_APK_SOLVE_AVAILABLE) && (r = cmp_bool(sa->available, sb->available)))
		return r;
	if ((r = cmp_bool(sa->tag_preferred, sb->tag_preferred)))
		return r;
	if (!(flags & (MINT_APK_SOLVE_REMOVE | MINT_APK_SOLVE_UPGRADE)) &&
	    (a->name == b->name || pa->version || pb->version))
		if ((r = cmp_bool(a->installed, b->installed)))
			return r;
	return 0;
}

static int prefer_latest(struct sv_solver *s, struct sv_pkg *a, struct sv_pkg *b, unsigned flags)
{
	struct sv_pstate *sa = sv_ps(s, a), *sb = sv_ps(s, b);
	int r;
	if ((r = cmp_bool(sa->tag_ok, sb->tag_ok)))
		return r;
	if (flags & MINT_APK_SOLVE_AVAILABLE)
		return cmp_bool(sa->available, sb->available);
	if (flags & MINT_APK_SOLVE_REINSTALL)
		return cmp_bool(sa->selectable, sb->selectable);
	return 0;
}

/* > 0 when pa is the better provider (apk-tools' compare_providers). */
static int compare_providers(struct sv_solver *s, const struct sv_provider *pa,
			     const struct sv_provider *pb)
{
	struct sv_pkg *a = pa->pkg, *b = pb->pkg;
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	struct sv_pstate *sa = sv_ps(s, a), *sb = sv_ps(s, b);
	unsigned flags = sa->flags | sb->flags;
	int r;
	if ((flags & MINT_APK_SOLVE_LATEST) && sa->pinning_allowed == DEFAULT_PINNING &&
	    sb->pinning_allowed == DEFAULT_PINNING)
		r = prefer_latest(s, a, b, flags);
	else
		r = prefer_usual(s, pa, pb, flags);
	if (r)
		return r;
	switch (sv_version_cmp(pa->version, pb->version)) {
	case MINT_APK_VERSION_LESS:
		return -1;
	case MINT_APK_VERSION_GREATER:
		return 1;
	}
	if (a->name == b->name) {
		switch (sv_version_cmp(a->version, b->version)) {
		case MINT_APK_VERSION_LESS:
			return -1;
		case MINT_APK_VERSION_GREATER:
			return 1;
		}
	}
	if ((r = cmp_u64(a->provider_priority, b->provider_priority)))
		return r;
	if (!(flags & MINT_APK_SOLVE_REMOVE) && (r = cmp_bool(a->installed, b->installed)))
		return r;
	if ((r = cmp_bool(sa->selectable, sb->selectable)))
		return r;
	return lowest_repo(b->repos) - lowest_repo(a->repos);
}

static void assign_name(struct sv_solver *s, struct sv_name *name, struct sv_provider p)
{
	struct sv_nstate *ns = sv_ns(s, name);
	if (ns->locked) {
		if (!p.version && !ns->chosen.version)
			return;
		if (s->ignore_conflict)
			return;
		sv_mark_error(s, p.pkg);
		sv_mark_error(s, ns->chosen.pkg);
		return;
	}
	ns->locked = true;
	ns->chosen = p;
	if (ns->queue != SV_Q_NONE)
		unqueue(ns);
	ns->in_dirty = false;
	if (p.pkg && !ns->requirers && sv_ps(s, p.pkg)->iif_triggered)
		for (uint32_t i = 0; i < p.pkg->n_iif; i++)
			if (!sv_ns(s, p.pkg->iif[i].name)->locked)
				apply_constraint(s, p.pkg, &p.pkg->iif[i]);
	if (!s->ignore_conflict) {
		for (uint32_t i = 0; i < name->n_prov; i++) {
			struct sv_provider *p0 = &name->prov[i];
			if (p0->pkg == p.pkg || (!p.version && !p0->version))
				continue;
			disqualify(s, p0->pkg);
		}
	}
	reevaluate_reverse_deps(s, name);
	if (p.pkg)
		reevaluate_reverse_iif_pkg(s, p.pkg);
	else
		reevaluate_reverse_iif(s, name);
}

static void select_package(struct sv_solver *s, struct sv_name *name)
{
	struct sv_nstate *ns = sv_ns(s, name);
	struct sv_provider chosen = { NULL, NULL };
	if (ns->requirers || ns->has_iif) {
		for (uint32_t i = 0; i < name->n_prov; i++) {
			struct sv_provider *p = &name->prov[i];
			struct sv_pstate *ps = sv_ps(s, p->pkg);
			if (ns->requirers == 0 &&
			    (!ps->iif_triggered || !ps->tag_ok || !ps->selectable))
				continue;
			if (!provider_auto_selectable(s, p))
				continue;
			if (compare_providers(s, p, &chosen) > 0)
				chosen = *p;
		}
	}
	struct sv_pkg *pkg = chosen.pkg;
	if (!pkg) {
		assign_name(s, name, chosen);
		if (ns->requirers > 0)
			s->errors++;
		return;
	}
	struct sv_pstate *ps = sv_ps(s, pkg);
	if (!ps->selectable || !ps->tag_ok)
		sv_mark_error(s, pkg);
	assign_name(s, pkg->name, (struct sv_provider){ pkg, pkg->version });
	for (uint32_t i = 0; i < pkg->n_provides; i++)
		assign_name(s, pkg->provides[i].name,
			    (struct sv_provider){ pkg, pkg->provides[i].version });
	for (uint32_t i = 0; i < pkg->n_deps; i++)
		apply_constraint(s, pkg, &pkg->deps[i]);
}

uint8_t sv_pkg_tag(struct sv_solver *s, struct sv_pkg *pkg)
{
	uint32_t mask = sv_ps(s, pkg)->pinning_allowed, repos = sv_pkg_repos(s->db, pkg);
	for (uint32_t i = 0; i < s->db->n_tags; i++)
		if ((mask & (1u << i)) && (s->db->tags[i].allowed_repos & repos))
			return (uint8_t)i;
	return 0;
}

/* --- the run ----------------------------------------------------------- */

static bool over_budget(struct sv_solver *s)
{
	if (++s->steps <= s->max_steps)
		return false;
	sv_fail(s, MINT_ELIMIT);
	return true;
}

static void apply_name_flags(struct sv_solver *s)
{
	const struct mint_apk_solve_opts *o = s->opts;
	for (size_t i = 0; i < o->n_names; i++) {
		struct sv_name *name = sv_db_name(s->db, mint_span_str(o->names[i].name));
		if (!name) {
			sv_fail(s, MINT_ENOMEM);
			return;
		}
		sv_ns(s, name)->flags_set = true;
		for (uint32_t j = 0; j < name->n_prov; j++) {
			struct sv_pstate *ps = sv_ps(s, name->prov[j].pkg);
			ps->flags |= o->names[i].flags;
			ps->flags_inherited |= o->names[i].inherited;
		}
	}
}

static void run_once(struct sv_solver *s)
{
	s->default_repos = sv_tag_mask_repos(s->db, DEFAULT_PINNING);
	apply_name_flags(s);
	s->flags_inherit = s->opts->flags;
	for (uint32_t i = 0; i < s->n_world && !s->fail; i++)
		if (!s->world_broken[i])
			discover(s, s->world[i].name);
	build_rdeps(s);
	for (uint32_t i = 0; i < s->n_world && !s->fail; i++) {
		if (s->world_broken[i])
			continue;
		s->pinning_inherit = 1u << s->world[i].tag;
		apply_constraint(s, NULL, &s->world[i]);
	}
	s->flags_inherit = 0;
	s->pinning_inherit = 0;
	while (!s->fail) {
		struct sv_name *name;
		while (!s->fail && (name = fifo_pop(&s->dirty))) {
			struct sv_nstate *ns = sv_ns(s, name);
			if (!ns->in_dirty)
				continue;
			ns->in_dirty = false;
			if (!over_budget(s))
				reconsider_name(s, name);
		}
		if (s->fail || !(name = dequeue_next(s)) || over_budget(s))
			break;
		select_package(s, name);
	}
	if (!s->fail)
		sv_generate_changeset(s);
}

static void reset_run(struct sv_solver *s)
{
	free_states(s);
	if (++s->db->gen == 0) {
		/* After 2^32 solves: forget every stale state pointer. */
		for (uint32_t i = 0; i < s->db->n_names; i++)
			s->db->name_list[i]->ss = NULL;
		for (uint32_t i = 0; i < s->db->n_pkgs; i++)
			s->db->pkg_list[i]->ss = NULL;
		s->db->gen = 1;
	}
	s->gen = s->db->gen;
	s->n_seen = 0;
	s->dirty.head = s->dirty.n = 0;
	s->resolvenow.head = s->resolvenow.n = 0;
	s->selectable.n = s->unresolved.n = 0;
	s->errors = 0;
	s->order_counter = 0;
	s->n_changes = 0;
	s->depth = 0;
}

/* With --force-broken-world: marks the world dependencies that failed.
 * Returns whether any was newly marked (else solving again is pointless). */
static bool mark_broken_world(struct sv_solver *s)
{
	bool marked = false;
	for (uint32_t i = 0; i < s->n_world; i++) {
		struct sv_pkg *pkg = sv_ns(s, s->world[i].name)->chosen.pkg;
		if (s->world_broken[i] || (pkg && !sv_ps(s, pkg)->error))
			continue;
		s->world_broken[i] = true;
		marked = true;
	}
	return marked;
}

static int cmp_world(const void *a, const void *b)
{
	const struct sv_dep *da = a, *db = b;
	int r = strcasecmp(da->name->str, db->name->str);
	if (!r)
		r = strcmp(da->name->str, db->name->str);
	return r;
}

static int load_world(struct sv_solver *s, const struct mint_apk_dep *world, size_t n,
		      struct mint_err *err)
{
	if (n > UINT32_MAX / 2)
		return mint_err_set(err, MINT_ELIMIT, "world too large");
	s->world = calloc(n ? n : 1, sizeof(*s->world));
	s->world_broken = calloc(n ? n : 1, sizeof(bool));
	if (!s->world || !s->world_broken)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct sv_dep *d = &s->world[i];
		if (!world[i].name || !*world[i].name)
			return mint_err_set(err, MINT_EINVAL, "world dependency %zu has no name",
					    i + 1);
		d->name = sv_db_name(s->db, mint_span_str(world[i].name));
		if (!d->name)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		int tag = world[i].tag ? mint_apk_db_tag(s->db, world[i].tag, err) : 0;
		if (tag < 0)
			return tag;
		d->tag = (uint8_t)tag;
		d->op = world[i].op;
		if ((d->op & MINT_APK_DEP_ANY) != MINT_APK_DEP_ANY || world[i].version)
			d->version = world[i].version ? world[i].version : "";
	}
	s->n_world = (uint32_t)n;
	/* apk sorts the world by name (case-insensitively first); a stable
	 * sort keeps the caller's order for equal names. */
	for (uint32_t i = 1; i < s->n_world; i++) {
		struct sv_dep d = s->world[i];
		uint32_t j = i;
		for (; j > 0 && cmp_world(&s->world[j - 1], &d) > 0; j--)
			s->world[j] = s->world[j - 1];
		s->world[j] = d;
	}
	return 0;
}

static void solver_free(struct sv_solver *s)
{
	free_states(s);
	free(s->seen);
	free(s->dirty.items);
	free(s->resolvenow.items);
	free(s->selectable.items);
	free(s->unresolved.items);
	free(s->world);
	free(s->world_broken);
	free(s->changes);
}

static int report_failure(struct sv_solver *s, struct mint_err *err)
{
	if (s->fail == MINT_ELIMIT)
		return mint_err_set(err, MINT_ELIMIT,
				    "solver gave up after %llu steps or a dependency chain "
				    "deeper than %d",
				    (unsigned long long)s->max_steps, SV_MAX_DEPTH);
	return mint_err_set(err, s->fail, "out of memory while solving");
}

static int build_solution(struct sv_solver *s, struct mint_apk_solution **out,
			  struct mint_err *err)
{
	struct mint_apk_solution *sol = calloc(1, sizeof(*sol));
	struct mint_buf text = MINT_BUF_INIT;
	int rc = sol ? sv_solution_fill(s, sol) : MINT_ENOMEM;
	if (!rc && s->errors)
		rc = sv_explain(s, &text);
	if (!rc && s->errors) {
		sol->explanation = mint_buf_detach(&text, NULL);
		rc = sol->explanation ? 0 : MINT_ENOMEM;
	}
	if (!rc && !s->errors && s->opts->n_removing) {
		rc = sv_explain_kept(s, &text);
		if (!rc && text.len) {
			sol->kept = mint_buf_detach(&text, NULL);
			rc = sol->kept ? 0 : MINT_ENOMEM;
		}
	}
	mint_buf_free(&text);
	if (!rc && s->fail)
		rc = s->fail;
	if (rc) {
		mint_apk_solution_free(sol);
		return rc == MINT_ENOMEM ? mint_err_set(err, rc, "out of memory") :
					   report_failure(s, err);
	}
	*out = sol;
	return 0;
}

int mint_apk_solve(struct mint_apk_db *db, const struct mint_apk_dep *world, size_t n_world,
		   const struct mint_apk_solve_opts *opts, struct mint_apk_solution **out,
		   struct mint_err *err)
{
	static const struct mint_apk_solve_opts no_opts;
	struct sv_solver s = { .db = db, .opts = opts ? opts : &no_opts };
	int rc;
	*out = NULL;
	rc = load_world(&s, world, n_world, err);
	if (rc)
		goto out;
	if (sv_db_sort_providers(db)) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	s.ignore_conflict = (s.opts->flags & MINT_APK_SOLVE_IGNORE_CONFLICT) != 0;
	s.prefer_installed = s.opts->prefer_installed;
	s.max_steps = s.opts->max_steps ? s.opts->max_steps :
					  64 * ((uint64_t)db->n_names + db->n_pkgs + 1024);
	for (;;) {
		reset_run(&s);
		run_once(&s);
		if (s.fail || !s.errors || !s.opts->force_broken_world || !mark_broken_world(&s))
			break;
	}
	if (s.fail) {
		rc = report_failure(&s, err);
		goto out;
	}
	rc = build_solution(&s, out, err);
out:
	solver_free(&s);
	return rc;
}
