/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The solver's package database (see mint/apk_solver.h): interned names in
 * a hash table, one package per C: identity with the repositories holding
 * it, the providers of every name and the reverse install_if index, and
 * repository tags. Dependency lists are read with apk-tools' rules: a list
 * that does not parse stops at the bad item (depends then make the package
 * uninstallable, install_if is dropped whole), and an item whose version
 * does not parse is kept but breaks the package.
 *
 * Not here: solving (solver.c) and anything per solve.
 */
#include "solver_internal.h"

#include <stdlib.h>
#include <string.h>

#include "mint/apk_version.h"

#define ARENA_CHUNK 65536
#define MAX_NAMES (1u << 30)

struct sv_arena_chunk {
	struct sv_arena_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

void *sv_arena_alloc(struct sv_arena *a, size_t size)
{
	size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	struct sv_arena_chunk *c = a->head;
	if (!c || c->cap - c->used < size) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	return p;
}

char *sv_arena_strndup(struct sv_arena *a, const char *s, size_t len)
{
	char *p = sv_arena_alloc(a, len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

void sv_arena_free(struct sv_arena *a)
{
	while (a->head) {
		struct sv_arena_chunk *next = a->head->next;
		free(a->head);
		a->head = next;
	}
}

int sv_grow(void **items, uint32_t n, uint32_t *cap, size_t elem)
{
	if (n < *cap)
		return 0;
	if (*cap >= UINT32_MAX / 2)
		return MINT_ENOMEM;
	uint32_t want = *cap ? *cap * 2 : 4;
	void *p = realloc(*items, (size_t)want * elem);
	if (!p)
		return MINT_ENOMEM;
	*items = p;
	*cap = want;
	return 0;
}

struct sv_name *sv_db_find_name(const struct mint_apk_db *db, struct mint_span text)
{
	void *v;
	return mint_hashmap_get(&db->names, text, &v) ? v : NULL;
}

struct sv_name *sv_db_name(struct mint_apk_db *db, struct mint_span text)
{
	uint64_t hash = mint_hashmap_hash(text);
	void *v;
	if (mint_hashmap_get_hashed(&db->names, text, hash, &v))
		return v;
	if (db->n_names >= MAX_NAMES ||
	    sv_grow((void **)&db->name_list, db->n_names, &db->cap_names, sizeof(void *)))
		return NULL;
	struct sv_name *n = sv_arena_alloc(&db->arena, sizeof(*n));
	char *str = sv_arena_strndup(&db->arena, text.ptr ? text.ptr : "", text.len);
	if (!n || !str)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->str = str;
	n->len = (uint32_t)text.len;
	n->id = db->n_names;
	if (mint_hashmap_put_hashed(&db->names, MINT_SPAN(str, text.len), hash, n))
		return NULL;
	db->name_list[db->n_names++] = n;
	return n;
}

int sv_db_tag(struct mint_apk_db *db, struct mint_span tag)
{
	if (tag.len && tag.ptr[0] == '@')
		tag = mint_span_skip(tag, 1);
	if (!tag.len)
		return 0;
	for (uint32_t i = 1; i < db->n_tags; i++)
		if (mint_span_eq(mint_span_skip(mint_span_str(db->tags[i].text), 1), tag))
			return (int)i;
	if (db->n_tags >= MINT_APK_MAX_TAGS)
		return MINT_ELIMIT;
	char *text = malloc(tag.len + 2);
	if (!text)
		return MINT_ENOMEM;
	text[0] = '@';
	memcpy(text + 1, tag.ptr, tag.len);
	text[tag.len + 1] = '\0';
	db->tags[db->n_tags].text = text;
	db->tags[db->n_tags].allowed_repos = 0;
	return (int)db->n_tags++;
}

uint32_t sv_tag_mask_repos(const struct mint_apk_db *db, uint32_t mask)
{
	uint32_t repos = 0;
	for (uint32_t i = 0; i < db->n_tags && mask; i++) {
		if (!(mask & (1u << i)))
			continue;
		mask &= ~(1u << i);
		repos |= db->tags[i].allowed_repos;
	}
	return repos;
}

uint32_t sv_pkg_repos(const struct mint_apk_db *db, const struct sv_pkg *pkg)
{
	uint32_t repos = pkg->repos;
	if (pkg->installed)
		repos |= db->tags[pkg->installed_tag].allowed_repos;
	return repos;
}

static bool is_op_char(char c)
{
	return c == '<' || c == '>' || c == '=' || c == '~';
}

enum parse_result { DEP_OK, DEP_BROKEN, DEP_BAD };

/* One "[!]name[@tag][op version]" item (a NUL-terminated string), split as
 * apk-tools splits it: the name runs to the first operator character and
 * the tag starts at '@'. */
static enum parse_result parse_dep(struct mint_apk_db *db, struct mint_span item, bool allow_tag,
				   struct sv_dep *out)
{
	size_t pos = 0, name_end;
	memset(out, 0, sizeof(*out));
	if (item.len && item.ptr[0] == '!') {
		out->op = MINT_APK_DEP_CONFLICT;
		pos = 1;
	}
	for (name_end = pos; name_end < item.len && !is_op_char(item.ptr[name_end]); name_end++)
		;
	struct mint_span name = MINT_SPAN(item.ptr + pos, name_end - pos);
	long at = mint_span_find(name, '@');
	if (at >= 0) {
		if (!allow_tag)
			return DEP_BAD;
		int tag = sv_db_tag(db, mint_span_skip(name, (size_t)at + 1));
		if (tag < 0)
			return DEP_BAD;
		out->tag = (uint8_t)tag;
		name.len = (size_t)at;
	}
	if (!name.len)
		return DEP_BAD;
	enum parse_result res = DEP_OK;
	if (name_end == item.len) {
		out->op |= MINT_APK_DEP_ANY;
	} else {
		size_t op_end = name_end;
		unsigned op;
		while (op_end < item.len && is_op_char(item.ptr[op_end]))
			op_end++;
		if (!mint_apk_dep_op_parse(MINT_SPAN(item.ptr + name_end, op_end - name_end), &op))
			return DEP_BAD;
		struct mint_span ver = mint_span_skip(item, op_end);
		if (!ver.len)
			return DEP_BAD;
		if (op != MINT_APK_DEP_CHECKSUM && !mint_apk_version_valid(ver))
			res = DEP_BROKEN;
		out->op |= op;
		out->version = ver.ptr; /* the item's tail: NUL-terminated, owned by the record */
	}
	out->broken = res == DEP_BROKEN;
	out->name = sv_db_name(db, name);
	return out->name ? res : DEP_BAD;
}

/* Reads a list as apk-tools does: stops at an item that does not parse.
 * Returns the worst result met. */
static enum parse_result parse_list(struct mint_apk_db *db, const struct mint_strlist *l,
				    struct sv_dep **out, uint32_t *n_out)
{
	enum parse_result worst = DEP_OK;
	*out = NULL;
	*n_out = 0;
	if (!l->n)
		return DEP_OK;
	struct sv_dep *deps = sv_arena_alloc(&db->arena, l->n * sizeof(*deps));
	if (!deps)
		return DEP_BAD;
	uint32_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		enum parse_result r = parse_dep(db, mint_span_str(l->items[i]), false, &deps[n]);
		if (r == DEP_BAD) {
			worst = DEP_BAD;
			break;
		}
		if (r == DEP_BROKEN)
			worst = DEP_BROKEN;
		n++;
	}
	*out = deps;
	*n_out = n;
	return worst;
}

void sv_pkg_read_deps(struct mint_apk_db *db, struct sv_pkg *pkg)
{
	if (pkg->deps_read)
		return;
	pkg->deps_read = true;
	if (parse_list(db, &pkg->rec->depends, &pkg->deps, &pkg->n_deps) != DEP_OK) {
		pkg->uninstallable = true;
		db->warnings |= MINT_APK_DB_BROKEN_DEPS | MINT_APK_DB_NOT_INSTALLABLE;
	}
}

bool apk_db_arch_ok(const struct mint_apk_db *db, const char *arch)
{
	if (!arch || !*arch || strcmp(arch, "noarch") == 0)
		return true;
	for (size_t i = 0; i < db->n_archs; i++)
		if (strcmp(db->archs[i], arch) == 0)
			return true;
	return false;
}

static int add_provider(struct mint_apk_db *db, struct sv_name *n, struct sv_pkg *pkg,
			const char *version)
{
	if (!n->n_prov) {
		n->prov = &n->one;
	} else if (!n->cap_prov) {
		struct sv_provider *many = malloc(4 * sizeof(*many));
		if (!many)
			return MINT_ENOMEM;
		many[0] = n->one;
		n->prov = many;
		n->cap_prov = 4;
	} else if (sv_grow((void **)&n->prov, n->n_prov, &n->cap_prov, sizeof(*n->prov))) {
		return MINT_ENOMEM;
	}
	n->prov[n->n_prov].pkg = pkg;
	n->prov[n->n_prov].version = version;
	n->n_prov++;
	if (n->n_prov < 2 || n->prov_unsorted)
		return 0;
	if (sv_grow((void **)&db->unsorted, db->n_unsorted, &db->cap_unsorted, sizeof(void *)))
		return MINT_ENOMEM;
	db->unsorted[db->n_unsorted++] = n;
	n->prov_unsorted = true;
	return 0;
}

/* The order providers are considered in, which settles exact ties: by
 * package name, then version, then the order entries were added (a
 * package providing a name twice keeps its order). So the order of
 * records inside an index does not change the result. */
struct provider_entry {
	struct sv_provider p;
	uint32_t at;
};

static int cmp_provider_entry(const void *a, const void *b)
{
	const struct provider_entry *ea = a, *eb = b;
	const struct sv_pkg *x = ea->p.pkg, *y = eb->p.pkg;
	if (x->name != y->name) {
		int r = strcasecmp(x->name->str, y->name->str);
		return r ? r : strcmp(x->name->str, y->name->str);
	}
	if (x != y) {
		int v = mint_apk_version_compare(mint_span_str(x->version),
						 mint_span_str(y->version));
		if (v != MINT_APK_VERSION_EQUAL)
			return v == MINT_APK_VERSION_LESS ? -1 : 1;
	}
	return ea->at < eb->at ? -1 : ea->at > eb->at;
}

int sv_db_sort_providers(struct mint_apk_db *db)
{
	for (uint32_t i = 0; i < db->n_unsorted; i++) {
		struct sv_name *n = db->unsorted[i];
		struct provider_entry *tmp = malloc(n->n_prov * sizeof(*tmp));
		if (!tmp)
			return MINT_ENOMEM;
		for (uint32_t j = 0; j < n->n_prov; j++)
			tmp[j] = (struct provider_entry){ n->prov[j], j };
		qsort(tmp, n->n_prov, sizeof(*tmp), cmp_provider_entry);
		for (uint32_t j = 0; j < n->n_prov; j++)
			n->prov[j] = tmp[j].p;
		free(tmp);
		n->prov_unsorted = false;
	}
	db->n_unsorted = 0;
	return 0;
}

static int add_riif(struct sv_name *target, struct sv_name *n)
{
	for (uint32_t i = 0; i < target->n_riif; i++)
		if (target->riif[i] == n)
			return 0;
	if (sv_grow((void **)&target->riif, target->n_riif, &target->cap_riif, sizeof(void *)))
		return MINT_ENOMEM;
	target->riif[target->n_riif++] = n;
	return 0;
}

/* Makes pkg a provider of its name and of what it provides, and records
 * its install_if rules in the reverse index of the names they watch. */
static int index_pkg(struct mint_apk_db *db, struct sv_pkg *pkg)
{
	int rc = add_provider(db, pkg->name, pkg, pkg->version);
	for (uint32_t i = 0; !rc && i < pkg->n_provides; i++)
		rc = add_provider(db, pkg->provides[i].name, pkg, pkg->provides[i].version);
	for (uint32_t i = 0; !rc && i < pkg->n_iif; i++) {
		struct sv_name *watched = pkg->iif[i].name;
		rc = add_riif(watched, pkg->name);
		for (uint32_t j = 0; !rc && j < pkg->n_provides; j++)
			rc = add_riif(watched, pkg->provides[j].name);
	}
	return rc;
}

static void note_in_repo(struct sv_pkg *pkg)
{
	pkg->name->in_repo = true;
	for (uint32_t i = 0; i < pkg->n_provides; i++)
		pkg->provides[i].name->in_repo = true;
}

static int new_pkg(struct mint_apk_db *db, const struct mint_apk_pkg *rec, struct sv_pkg **out,
		   struct mint_err *err)
{
	struct sv_pkg *pkg = sv_arena_alloc(&db->arena, sizeof(*pkg));
	if (!pkg || sv_grow((void **)&db->pkg_list, db->n_pkgs, &db->cap_pkgs, sizeof(void *)))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	memset(pkg, 0, sizeof(*pkg));
	pkg->id = db->n_pkgs;
	pkg->rec = rec;
	pkg->version = rec->version;
	pkg->name = sv_db_name(db, mint_span_str(rec->name));
	if (!pkg->name)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	pkg->installed_size = rec->has_installed_size ? rec->installed_size : 0;
	pkg->provider_priority = rec->has_provider_priority ? rec->provider_priority : 0;
	pkg->uninstallable = rec->uninstallable || !apk_db_arch_ok(db, rec->arch);
	if (rec->uninstallable)
		db->warnings |= MINT_APK_DB_NEWER_FIELDS | MINT_APK_DB_NOT_INSTALLABLE;
	if (parse_list(db, &rec->provides, &pkg->provides, &pkg->n_provides) != DEP_OK)
		db->warnings |= MINT_APK_DB_BROKEN_DEPS;
	if (parse_list(db, &rec->install_if, &pkg->iif, &pkg->n_iif) != DEP_OK) {
		db->warnings |= MINT_APK_DB_BROKEN_DEPS;
		pkg->n_iif = 0;
	}
	if (index_pkg(db, pkg))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	db->pkg_list[db->n_pkgs++] = pkg;
	*out = pkg;
	return 0;
}

static int base64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* The key packages are matched by: like apk-tools, the first 20 bytes the
 * "Q1"/"Q2" base64 text decodes to, whatever the unused bits of its last
 * character say (so texts that differ only there name one package). Text
 * that does not decode is its own key. */
static struct mint_span identity_key(const char *id, unsigned char key[20])
{
	size_t n = 0, len = strlen(id);
	uint32_t acc = 0;
	int bits = 0;
	if (len < 3 || id[0] != 'Q' || (id[1] != '1' && id[1] != '2'))
		return mint_span_str(id);
	for (size_t i = 2; i < len && n < 20 && id[i] != '='; i++) {
		int v = base64_value(id[i]);
		if (v < 0)
			return mint_span_str(id);
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			key[n++] = (unsigned char)(acc >> bits);
		}
	}
	return n == 20 ? MINT_SPAN(key, 20) : mint_span_str(id);
}

/* The package for rec: the one with the same identity, or a new one. */
static int get_pkg(struct mint_apk_db *db, const struct mint_apk_pkg *rec, struct sv_pkg **out,
		   struct mint_err *err)
{
	unsigned char buf[20];
	struct mint_span key = MINT_SPAN_NULL;
	void *v;
	if (!rec->name || !*rec->name || !rec->version || !*rec->version)
		return mint_err_set(err, MINT_EINVAL, "package record without name or version");
	if (db->n_pkgs >= MAX_NAMES)
		return mint_err_set(err, MINT_ELIMIT, "more than %u packages", MAX_NAMES);
	if (rec->identity && *rec->identity) {
		key = identity_key(rec->identity, buf);
		if (mint_hashmap_get(&db->ids, key, &v)) {
			*out = v;
			return 0;
		}
	}
	int rc = new_pkg(db, rec, out, err);
	if (rc || !key.ptr)
		return rc;
	char *stored = sv_arena_strndup(&db->arena, key.ptr, key.len);
	if (!stored || mint_hashmap_put(&db->ids, MINT_SPAN(stored, key.len), *out))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

int mint_apk_db_new(const char *const *archs, size_t n_archs, struct mint_apk_db **out,
		    struct mint_err *err)
{
	struct mint_apk_db *db = calloc(1, sizeof(*db));
	*out = NULL;
	if (!db)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	db->tags[0].text = strdup("");
	db->n_tags = 1;
	db->archs = n_archs ? calloc(n_archs, sizeof(char *)) : NULL;
	if (!db->tags[0].text || (n_archs && !db->archs))
		goto oom;
	for (size_t i = 0; i < n_archs; i++) {
		db->archs[i] = strdup(archs[i] ? archs[i] : "");
		if (!db->archs[i])
			goto oom;
		db->n_archs = i + 1;
	}
	*out = db;
	return 0;
oom:
	mint_apk_db_free(db);
	return mint_err_set(err, MINT_ENOMEM, "out of memory");
}

void mint_apk_db_free(struct mint_apk_db *db)
{
	if (!db)
		return;
	for (uint32_t i = 0; i < db->n_names; i++) {
		if (db->name_list[i]->cap_prov)
			free(db->name_list[i]->prov);
		free(db->name_list[i]->riif);
	}
	for (uint32_t i = 0; i < db->n_tags; i++)
		free(db->tags[i].text);
	for (size_t i = 0; i < db->n_archs; i++)
		free(db->archs[i]);
	free(db->archs);
	free(db->name_list);
	free(db->pkg_list);
	free(db->installed);
	free(db->unsorted);
	mint_hashmap_free(&db->names);
	mint_hashmap_free(&db->ids);
	sv_arena_free(&db->arena);
	free(db);
}

int mint_apk_db_tag(struct mint_apk_db *db, const char *tag, struct mint_err *err)
{
	int rc = sv_db_tag(db, mint_span_str(tag));
	if (rc == MINT_ELIMIT)
		return mint_err_set(err, rc, "more than %d repository tags", MINT_APK_MAX_TAGS - 1);
	if (rc < 0)
		return mint_err_set(err, rc, "out of memory");
	return rc;
}

int mint_apk_db_add_installed(struct mint_apk_db *db, const struct mint_apk_pkg *rec,
			      struct mint_err *err)
{
	struct sv_pkg *pkg;
	int rc = get_pkg(db, rec, &pkg, err);
	if (rc || pkg->installed)
		return rc;
	int tag = 0;
	if (rec->repo_tag && *rec->repo_tag) {
		tag = mint_apk_db_tag(db, rec->repo_tag, err);
		if (tag < 0)
			return tag;
	}
	if (sv_grow((void **)&db->installed, db->n_installed, &db->cap_installed, sizeof(void *)))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	db->installed[db->n_installed++] = pkg;
	pkg->installed = true;
	pkg->installed_tag = (uint8_t)tag;
	pkg->rec_installed = rec;
	return 0;
}

/* Sizes the tables for n more records at once, instead of growing them
 * step by step (each step rehashes every entry). */
static int reserve_for(struct mint_apk_db *db, const struct mint_apk_pkg *pkgs, size_t n)
{
	size_t names = db->names.n + n;
	for (size_t i = 0; i < n; i++)
		names += pkgs[i].provides.n;
	if (mint_hashmap_reserve(&db->names, names) || mint_hashmap_reserve(&db->ids, db->ids.n + n))
		return MINT_ENOMEM;
	return 0;
}

int mint_apk_db_add_repo(struct mint_apk_db *db, const struct mint_apk_pkg *pkgs, size_t n,
			 const struct mint_apk_repo_opts *opts, struct mint_err *err)
{
	if (db->n_repos >= MINT_APK_MAX_REPOS)
		return mint_err_set(err, MINT_ELIMIT, "more than %d repositories",
				    MINT_APK_MAX_REPOS);
	uint32_t r = db->n_repos, bit = 1u << r, tag_mask = 0;
	for (size_t i = 0; opts && i < opts->n_tags; i++) {
		int tag = mint_apk_db_tag(db, opts->tags[i], err);
		if (tag < 0)
			return tag;
		tag_mask |= 1u << tag;
	}
	if (!tag_mask)
		tag_mask = 1;
	if (reserve_for(db, pkgs, n))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	db->n_repos++;
	db->repo_tags[r] = tag_mask;
	if (!opts || !(opts->flags & MINT_APK_REPO_NO_NETWORK))
		db->available_repos |= bit;
	for (uint32_t t = 0; t < db->n_tags; t++)
		if (tag_mask & (1u << t))
			db->tags[t].allowed_repos |= bit;
	for (size_t i = 0; i < n; i++) {
		struct sv_pkg *pkg;
		int rc = get_pkg(db, &pkgs[i], &pkg, err);
		if (rc) {
			mint_err_prefix(err, "repository %u, record %zu", r, i + 1);
			return rc;
		}
		if (!pkg->repos)
			note_in_repo(pkg);
		pkg->repos |= bit;
		if (!pkg->rec_repo)
			pkg->rec_repo = &pkgs[i];
	}
	return (int)r;
}

int mint_apk_db_add_local(struct mint_apk_db *db, const struct mint_apk_pkg *rec,
			  enum mint_apk_local_kind kind, struct mint_err *err)
{
	struct sv_pkg *pkg;
	int rc = get_pkg(db, rec, &pkg, err);
	if (rc)
		return rc;
	if (kind == MINT_APK_LOCAL_FILE)
		pkg->local_file = true;
	else
		pkg->cached = true;
	return 0;
}

unsigned mint_apk_db_check(struct mint_apk_db *db)
{
	for (uint32_t i = 0; i < db->n_pkgs; i++)
		sv_pkg_read_deps(db, db->pkg_list[i]);
	return db->warnings;
}
