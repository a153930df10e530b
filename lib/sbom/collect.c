/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SBOM collector: the entries of an image root, in walk order, become
 * the model of mint/sbom.h (operating system, installed packages with their
 * dependencies and shipped SBOMs, and on request every regular file with
 * its hashes and owner). Two adapters feed it: the image plan's walk at
 * build time and a layer's tar for an image that already exists, so both
 * give the same model. It writes no SBOM itself (spdx.c, cyclonedx.c do).
 *
 * Only a few files are kept in memory, whole: the installed database
 * (usr/lib/apk/db/installed, or lib/apk/db/installed), os-release
 * (etc/os-release, or usr/lib/os-release) and the shipped SBOMs,
 * var/lib/db/sbom/<name>.spdx.json. Every other file is streamed through
 * SHA-256 and SHA-1 when files are hashed, and skipped otherwise. Symlinks
 * are all remembered (they are small) so that paths resolve inside the
 * root at the end as they would in the image: etc/os-release ->
 * ../usr/lib/os-release, lib/apk -> ../usr/lib/apk. A kept path that is
 * a link makes its target kept too, when the target comes later in the
 * walk (it does in these two cases).
 *
 * Shipped SBOMs are looked up as apko does (pkg/sbom/generator/spdx):
 * <name>-<version>.spdx.json, then <name>-<version without -rN>.spdx.json,
 * then <name>.spdx.json. File owners come from the installed database's F:
 * and R: records, directories resolved through the image's symlinks; when
 * two records list a path the later one wins, as apk drops the path from
 * the earlier record. Files nobody lists are mint's (MINT_SBOM_BY_MINT).
 */
#include "mint/sbom.h"

#include <stdlib.h>
#include <string.h>

#include "mint/apk_dep.h"
#include "mint/apk_installed.h"
#include "mint/hash.h"
#include "mint/hashmap.h"
#include "mint/path.h"

#define DEFAULT_MAX_FILE_BYTES ((size_t)64 << 20)
#define CHUNK_BYTES ((size_t)64 << 10)
#define MAX_LINK_HOPS 40
#define SBOM_DIR "var/lib/db/sbom"

/* What the collector remembers of one entry: regular files (kept whole or
 * only hashed), hardlinks and symlinks. */
struct rec {
	char *path;                 /* clean; the key in recs */
	enum mint_tar_type type;    /* MINT_TAR_REG, _HARDLINK or _SYMLINK */
	char *link;                 /* symlink: as stored; hardlink: clean target */
	uint64_t size;
	bool hashed;
	unsigned char sha256[32];
	unsigned char sha1[20];
	bool kept;                  /* content holds the whole file */
	struct mint_buf content;
	unsigned layer;             /* add_tar's layer number, 0 for plain entries */
	bool has_offset;
	uint64_t offset;            /* the entry's tar header, for errors at finish */
};

struct mint_sbom_collector {
	struct mint_sbom_collect_opts opts;
	struct mint_hashmap recs;     /* path -> struct rec * */
	struct mint_hashmap wanted;   /* link targets of kept paths -> NULL */
	struct mint_strlist wanted_paths; /* the wanted map's keys */
	unsigned layer;
	unsigned char *chunk;         /* CHUNK_BYTES of read buffer */
};

/* ---- records ---- */

static void rec_free(struct rec *r)
{
	if (!r)
		return;
	free(r->path);
	free(r->link);
	mint_buf_free(&r->content);
	free(r);
}

static struct rec *rec_get(const struct mint_sbom_collector *c, const char *path)
{
	void *v;
	return mint_hashmap_get(&c->recs, mint_span_str(path), &v) ? v : NULL;
}

static void rec_drop(struct mint_sbom_collector *c, const char *path)
{
	void *v;
	if (mint_hashmap_remove(&c->recs, mint_span_str(path), &v))
		rec_free(v);
}

/* Whether path is dir itself or below it ("" is the root, above all). */
static bool is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (!n)
		return true;
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* Drops the records at or below dir that came from layers under the
 * current one. When children_only, dir itself stays (an opaque directory). */
static int drop_lower(struct mint_sbom_collector *c, const char *dir, bool children_only)
{
	struct rec **victims = NULL;
	size_t n = 0, pos = 0;
	void *v;
	if (c->recs.n && !(victims = calloc(c->recs.n, sizeof(*victims))))
		return MINT_ENOMEM;
	while (mint_hashmap_next(&c->recs, &pos, NULL, &v)) {
		struct rec *r = v;
		if (r->layer < c->layer && is_under(r->path, dir) &&
		    !(children_only && !strcmp(r->path, dir)))
			victims[n++] = r;
	}
	for (size_t i = 0; i < n; i++)
		rec_drop(c, victims[i]->path);
	free(victims);
	return 0;
}

/* ---- which paths are kept whole ---- */

static bool is_shipped_sbom_path(const char *path)
{
	size_t dir_len = strlen(SBOM_DIR);
	if (strncmp(path, SBOM_DIR "/", dir_len + 1))
		return false;
	const char *name = path + dir_len + 1;
	return !strchr(name, '/') && mint_span_ends_with(mint_span_str(name), ".spdx.json");
}

static bool is_kept_path(const struct mint_sbom_collector *c, const char *path)
{
	static const char *const fixed[] = {
		"usr/lib/apk/db/installed", "lib/apk/db/installed",
		"etc/os-release", "usr/lib/os-release",
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (!strcmp(path, fixed[i]))
			return true;
	return is_shipped_sbom_path(path) ||
	       mint_hashmap_get(&c->wanted, mint_span_str(path), NULL);
}

bool mint_sbom_collector_wants_content(const struct mint_sbom_collector *c, const char *path)
{
	return c && path && (c->opts.hash_files || is_kept_path(c, path));
}

/* ---- paths inside the root ---- */

/* Appends the components of rel to *cur, "." dropped and ".." taking one
 * off; false when ".." would go above the root. */
static bool walk_lexically(struct mint_buf *cur, const char *rel, int *rc)
{
	struct mint_span rest = mint_span_str(rel), comp;
	while (rest.len && mint_span_split(&rest, '/', &comp)) {
		if (!comp.len || mint_span_eq_str(comp, "."))
			continue;
		if (mint_span_eq_str(comp, "..")) {
			if (!cur->len)
				return false;
			char *slash = memrchr(cur->data, '/', cur->len);
			cur->len = slash ? (size_t)(slash - cur->data) : 0;
			cur->data[cur->len] = '\0';
			continue;
		}
		if ((cur->len && mint_buf_putc(cur, '/')) || mint_buf_append_span(cur, comp)) {
			*rc = MINT_ENOMEM;
			return false;
		}
	}
	return true;
}

/* Empties b, leaving it allocated so that b->data is a C string. */
static int buf_clear(struct mint_buf *b)
{
	mint_buf_reset(b);
	if (mint_buf_reserve(b, 0))
		return MINT_ENOMEM;
	b->data[0] = '\0';
	return 0;
}

/* The parent of path (the part before its last '/', "" for none) into out. */
static int parent_of(const char *path, struct mint_buf *out)
{
	const char *slash = strrchr(path, '/');
	if (buf_clear(out) || (slash && mint_buf_append(out, path, (size_t)(slash - path))))
		return MINT_ENOMEM;
	return 0;
}

/* Where the symlink at link_path points, by text alone (no other link
 * followed), into out; 1 when it leaves the root. */
static int link_target_path(const char *link_path, const char *target, struct mint_buf *out)
{
	int rc = target[0] == '/' ? buf_clear(out) : parent_of(link_path, out);
	if (rc)
		return rc;
	if (!walk_lexically(out, target, &rc))
		return rc ? rc : 1;
	return 0;
}

/* Moves the first component of *rest (up to its first '/') into *comp. */
static int pop_component(struct mint_buf *rest, struct mint_buf *comp)
{
	char *slash = memchr(rest->data, '/', rest->len);
	size_t len = slash ? (size_t)(slash - rest->data) : rest->len;
	size_t skip = slash ? len + 1 : len;
	if (buf_clear(comp) || mint_buf_append(comp, rest->data, len))
		return MINT_ENOMEM;
	memmove(rest->data, rest->data + skip, rest->len - skip + 1);
	rest->len -= skip;
	return 0;
}

/* *rest becomes link + "/" + *rest (scratch is used and swapped in). */
static int splice_link(struct mint_buf *rest, struct mint_buf *scratch, const char *link)
{
	if (buf_clear(scratch) || mint_buf_puts(scratch, link) ||
	    (rest->len && mint_buf_putc(scratch, '/')) ||
	    mint_buf_append_span(scratch, mint_buf_span(rest)))
		return MINT_ENOMEM;
	struct mint_buf swap = *rest;
	*rest = *scratch;
	*scratch = swap;
	return 0;
}

/* Resolves path inside the root through the recorded symlinks (the last
 * component too when follow_last) into out. 0, 1 when it leaves the root or
 * loops, or MINT_ENOMEM. */
static int resolve(const struct mint_sbom_collector *c, const char *path, bool follow_last,
		   struct mint_buf *out)
{
	struct mint_buf rest = MINT_BUF_INIT, comp = MINT_BUF_INIT, scratch = MINT_BUF_INIT;
	unsigned hops = 0;
	int rc = buf_clear(out) || mint_buf_puts(&rest, path) ? MINT_ENOMEM : 0;
	while (!rc && rest.len) {
		size_t parent_len = out->len;
		rc = pop_component(&rest, &comp);
		if (!rc && !walk_lexically(out, comp.data, &rc))
			rc = rc ? rc : 1;
		if (rc)
			break;
		const struct rec *r = out->len > parent_len ? rec_get(c, out->data) : NULL;
		if (!r || r->type != MINT_TAR_SYMLINK || (!rest.len && !follow_last))
			continue;
		if (++hops > MAX_LINK_HOPS)
			rc = 1;
		else
			rc = splice_link(&rest, &scratch, r->link);
		out->len = r->link[0] == '/' ? 0 : parent_len;
		out->data[out->len] = '\0';
	}
	mint_buf_free(&rest);
	mint_buf_free(&comp);
	mint_buf_free(&scratch);
	return rc;
}

/* The regular file a record stands for: itself, or a hardlink's target. */
static const struct rec *through_hardlinks(const struct mint_sbom_collector *c,
					   const struct rec *r)
{
	for (unsigned hops = 0; r && r->type == MINT_TAR_HARDLINK && hops < MAX_LINK_HOPS; hops++)
		r = rec_get(c, r->link);
	return r && r->type == MINT_TAR_REG ? r : NULL;
}

/* The kept content of the file at path (symlinks followed), or NULL. */
static int kept_file(const struct mint_sbom_collector *c, const char *path,
		     const struct rec **out)
{
	struct mint_buf real = MINT_BUF_INIT;
	*out = NULL;
	int rc = resolve(c, path, true, &real);
	if (rc == 0) {
		const struct rec *r = through_hardlinks(c, rec_get(c, real.data));
		*out = r && r->kept ? r : NULL;
	}
	mint_buf_free(&real);
	return rc == MINT_ENOMEM ? rc : 0;
}

/* ---- taking entries ---- */

static int want_path(struct mint_sbom_collector *c, const char *path)
{
	if (mint_hashmap_get(&c->wanted, mint_span_str(path), NULL))
		return 0;
	if (mint_strlist_add(&c->wanted_paths, path, strlen(path)))
		return MINT_ENOMEM;
	const char *key = c->wanted_paths.items[c->wanted_paths.n - 1];
	return mint_hashmap_put(&c->wanted, mint_span_str(key), NULL);
}

/* A kept path that is a link: its target is kept as well. */
static int want_link_target(struct mint_sbom_collector *c, const struct rec *r)
{
	struct mint_buf target = MINT_BUF_INIT;
	int rc;
	if (r->type == MINT_TAR_HARDLINK) {
		rc = want_path(c, r->link);
	} else {
		rc = link_target_path(r->path, r->link, &target);
		if (rc == 0 && target.len)
			rc = want_path(c, target.data);
		else if (rc == 1)
			rc = 0;
	}
	mint_buf_free(&target);
	return rc;
}

/* SHA-256 and SHA-1 of one file, when files are hashed. */
struct file_hashes {
	bool on;
	struct mint_hash sha256, sha1;
};

static int hashes_start(struct file_hashes *h, bool on)
{
	memset(h, 0, sizeof(*h));
	h->on = on;
	if (on && (mint_hash_init(&h->sha256, MINT_HASH_SHA256) ||
		   mint_hash_init(&h->sha1, MINT_HASH_SHA1)))
		return MINT_ENOMEM;
	return 0;
}

static int hashes_update(struct file_hashes *h, const void *data, size_t len)
{
	if (h->on && (mint_hash_update(&h->sha256, data, len) ||
		      mint_hash_update(&h->sha1, data, len)))
		return MINT_ENOMEM;
	return 0;
}

static int hashes_finish(struct file_hashes *h, struct rec *r)
{
	unsigned char d256[MINT_HASH_MAX_BYTES], d1[MINT_HASH_MAX_BYTES];
	if (!h->on)
		return 0;
	if (mint_hash_final(&h->sha256, d256) || mint_hash_final(&h->sha1, d1))
		return MINT_ENOMEM;
	memcpy(r->sha256, d256, sizeof(r->sha256));
	memcpy(r->sha1, d1, sizeof(r->sha1));
	r->hashed = true;
	return 0;
}

static void hashes_free(struct file_hashes *h)
{
	mint_hash_free(&h->sha256);
	mint_hash_free(&h->sha1);
}

/* Pulls the record's size bytes from src through the hashes and, for a
 * kept file, into its content. */
static int pull_content(struct mint_sbom_collector *c, struct rec *r, struct mint_source *src,
			struct file_hashes *h, struct mint_err *err)
{
	for (uint64_t left = r->size; left;) {
		size_t got = 0, want = left < CHUNK_BYTES ? (size_t)left : CHUNK_BYTES;
		int rc = src->read(src->ctx, c->chunk, want, &got, err);
		if (rc) {
			mint_err_prefix(err, "%s", r->path);
			return rc;
		}
		if (!got || got > want)
			return mint_err_set(err, MINT_ETRUNCATED,
					    "%s: content ended after %llu of %llu bytes", r->path,
					    (unsigned long long)(r->size - left),
					    (unsigned long long)r->size);
		left -= got;
		if (hashes_update(h, c->chunk, got) ||
		    (r->kept && mint_buf_append(&r->content, c->chunk, got)))
			return mint_err_set(err, MINT_ENOMEM, "%s: out of memory", r->path);
	}
	return 0;
}

static int read_content(struct mint_sbom_collector *c, struct rec *r, struct mint_source *src,
			struct mint_err *err)
{
	struct file_hashes h;
	if (r->kept && r->size > c->opts.max_file_bytes)
		return mint_err_set(err, MINT_ELIMIT,
				    "%s: %llu bytes, more than the %zu read whole", r->path,
				    (unsigned long long)r->size, c->opts.max_file_bytes);
	if (!src && r->size)
		return mint_err_set(err, MINT_EINVAL, "%s: no content given for %llu bytes",
				    r->path, (unsigned long long)r->size);
	if (r->kept && buf_clear(&r->content))
		return mint_err_set(err, MINT_ENOMEM, "%s: out of memory", r->path);
	int rc = hashes_start(&h, c->opts.hash_files) ? MINT_ENOMEM : 0;
	if (!rc)
		rc = pull_content(c, r, src, &h, err);
	else
		mint_err_set(err, rc, "%s: out of memory", r->path);
	if (!rc && hashes_finish(&h, r))
		rc = mint_err_set(err, MINT_ENOMEM, "%s: out of memory", r->path);
	hashes_free(&h);
	return rc;
}

/* Fills a new record's link: a symlink's target as stored, a hardlink's
 * target cleaned (it names another entry). */
static int set_link(struct rec *r, const char *link_target, struct mint_err *err)
{
	struct mint_buf clean = MINT_BUF_INIT;
	if (r->type == MINT_TAR_SYMLINK) {
		r->link = strdup(link_target ? link_target : "");
		return r->link ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	if (!link_target)
		return mint_err_set(err, MINT_EINVAL, "%s: hardlink without a target", r->path);
	int rc = mint_path_clean(mint_span_str(link_target), true, &clean, err);
	if (rc) {
		mint_err_prefix(err, "%s: hardlink target", r->path);
		goto out;
	}
	r->link = mint_buf_detach(&clean, NULL);
	if (!r->link)
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
out:
	mint_buf_free(&clean);
	return rc;
}

/* Whether an entry of this type at path becomes a record. */
static bool worth_a_record(const struct mint_sbom_collector *c, const char *path,
			   enum mint_tar_type type)
{
	if (type == MINT_TAR_SYMLINK)
		return true;
	if (type != MINT_TAR_REG && type != MINT_TAR_HARDLINK)
		return false;
	return c->opts.hash_files || is_kept_path(c, path);
}

/* path is clean and not the root. */
static int take_entry(struct mint_sbom_collector *c, const char *path, enum mint_tar_type type,
		      uint64_t size, const char *link_target, struct mint_source *content,
		      const uint64_t *offset, struct mint_err *err)
{
	struct rec *r;
	int rc;
	rec_drop(c, path);
	if (!worth_a_record(c, path, type))
		return 0;
	if (!(r = calloc(1, sizeof(*r))) || !(r->path = strdup(path))) {
		free(r);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	r->type = type;
	r->size = type == MINT_TAR_REG ? size : 0;
	r->kept = is_kept_path(c, path);
	r->layer = c->layer;
	r->has_offset = offset != NULL;
	r->offset = offset ? *offset : 0;
	if (type == MINT_TAR_REG)
		rc = read_content(c, r, content, err);
	else
		rc = set_link(r, link_target, err);
	if (!rc && r->kept && type != MINT_TAR_REG && want_link_target(c, r))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc && mint_hashmap_put(&c->recs, mint_span_str(r->path), r))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (rc)
		rec_free(r);
	return rc;
}

int mint_sbom_collector_new(struct mint_sbom_collector **out,
			    const struct mint_sbom_collect_opts *opts, struct mint_err *err)
{
	struct mint_sbom_collector *c = calloc(1, sizeof(*c));
	*out = NULL;
	if (!c || !(c->chunk = malloc(CHUNK_BYTES))) {
		free(c);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	if (opts)
		c->opts = *opts;
	if (!c->opts.max_file_bytes)
		c->opts.max_file_bytes = DEFAULT_MAX_FILE_BYTES;
	*out = c;
	return 0;
}

int mint_sbom_collector_entry(struct mint_sbom_collector *c, const char *path,
			      enum mint_tar_type type, uint64_t size, const char *link_target,
			      struct mint_source *content, struct mint_err *err)
{
	struct mint_buf clean = MINT_BUF_INIT;
	if (!c || !path)
		return mint_err_set(err, MINT_EINVAL, "sbom collector: no collector or path");
	int rc = mint_path_clean(mint_span_str(path), true, &clean, err);
	if (rc)
		mint_err_prefix(err, "%s", path);
	else if (clean.len)
		rc = take_entry(c, clean.data, type, size, link_target, content, NULL, err);
	mint_buf_free(&clean);
	return rc;
}

void mint_sbom_collector_free(struct mint_sbom_collector *c)
{
	size_t pos = 0;
	void *v;
	if (!c)
		return;
	while (mint_hashmap_next(&c->recs, &pos, NULL, &v))
		rec_free(v);
	mint_hashmap_free(&c->recs);
	mint_hashmap_free(&c->wanted);
	mint_strlist_free(&c->wanted_paths);
	free(c->chunk);
	free(c);
}

/* ---- finish: packages and their dependencies ---- */

/* A name an installed package answers to: its own, or one it provides. */
struct candidate {
	size_t pkg;
	const char *version;  /* NULL: provided without a version */
	const char *identity; /* the package's C:, for "><" */
	bool own_name;
};

struct name_table {
	struct mint_hashmap names;    /* name -> struct candidates * */
	struct mint_apk_dep **provides; /* per package, parsed */
	size_t *n_provides;
	size_t n_pkgs;
};

struct candidates {
	struct candidate *v;
	size_t n, cap;
};

static int add_candidate(struct name_table *t, const char *name, struct candidate cand)
{
	void *v = NULL;
	struct candidates *list;
	if (mint_hashmap_get(&t->names, mint_span_str(name), &v)) {
		list = v;
	} else {
		if (!(list = calloc(1, sizeof(*list))))
			return MINT_ENOMEM;
		if (mint_hashmap_put(&t->names, mint_span_str(name), list)) {
			free(list);
			return MINT_ENOMEM;
		}
	}
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 2;
		struct candidate *grown = realloc(list->v, cap * sizeof(*grown));
		if (!grown)
			return MINT_ENOMEM;
		list->v = grown;
		list->cap = cap;
	}
	list->v[list->n++] = cand;
	return 0;
}

static void name_table_free(struct name_table *t)
{
	size_t pos = 0;
	void *v;
	while (mint_hashmap_next(&t->names, &pos, NULL, &v)) {
		struct candidates *list = v;
		free(list->v);
		free(list);
	}
	mint_hashmap_free(&t->names);
	for (size_t i = 0; t->provides && i < t->n_pkgs; i++)
		mint_apk_deps_free(t->provides[i], t->n_provides[i]);
	free(t->provides);
	free(t->n_provides);
	memset(t, 0, sizeof(*t));
}

static int parse_item(const struct mint_apk_pkg *p, const char *field, const char *item,
		      struct mint_apk_dep *out, struct mint_err *err)
{
	int rc = mint_apk_dep_parse(mint_span_str(item), out, err);
	if (rc)
		mint_err_prefix(err, "installed package %s: %s '%s'", p->name, field, item);
	return rc;
}

static int name_table_build(struct name_table *t, const struct mint_sbom_package *pkgs,
			    size_t n, struct mint_err *err)
{
	memset(t, 0, sizeof(*t));
	t->n_pkgs = n;
	t->provides = calloc(n ? n : 1, sizeof(*t->provides));
	t->n_provides = calloc(n ? n : 1, sizeof(*t->n_provides));
	if (!t->provides || !t->n_provides)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct mint_apk_pkg *p = &pkgs[i].info;
		struct candidate own = { i, p->version, p->identity, true };
		if (add_candidate(t, p->name, own))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		t->provides[i] = calloc(p->provides.n ? p->provides.n : 1, sizeof(**t->provides));
		if (!t->provides[i])
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		for (size_t k = 0; k < p->provides.n; k++) {
			struct mint_apk_dep *d = &t->provides[i][k];
			int rc = parse_item(p, "provides", p->provides.items[k], d, err);
			if (rc)
				return rc;
			t->n_provides[i] = k + 1;
			struct candidate cand = { i, d->version, NULL, false };
			if (add_candidate(t, d->name, cand))
				return mint_err_set(err, MINT_ENOMEM, "out of memory");
		}
	}
	return 0;
}

static bool candidate_satisfies(const struct candidate *cand, const struct mint_apk_dep *d)
{
	const char *version = cand->version;
	if ((d->op & ~(unsigned)MINT_APK_DEP_CONFLICT) == MINT_APK_DEP_CHECKSUM)
		version = cand->identity; /* "><Q1...": that very package */
	else if (!version) /* a provide without version meets only unversioned wants */
		return (d->op & MINT_APK_DEP_ANY) == MINT_APK_DEP_ANY;
	return version &&
	       mint_apk_dep_satisfied_by(d, mint_span_str(d->name), mint_span_str(version));
}

static int index_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Appends to *out the packages (other than self) that satisfy d: those
 * named so when any is, else those that provide the name. */
static int satisfiers(const struct name_table *t, size_t self, const struct mint_apk_dep *d,
		      size_t **out, size_t *n)
{
	void *v;
	if (!mint_hashmap_get(&t->names, mint_span_str(d->name), &v))
		return 0;
	const struct candidates *list = v;
	for (int pass = 0; pass < 2; pass++) {
		size_t before = *n;
		for (size_t k = 0; k < list->n; k++) {
			const struct candidate *cand = &list->v[k];
			if (cand->own_name != (pass == 0) || cand->pkg == self ||
			    !candidate_satisfies(cand, d))
				continue;
			size_t *grown = realloc(*out, (*n + 1) * sizeof(**out));
			if (!grown)
				return MINT_ENOMEM;
			*out = grown;
			(*out)[(*n)++] = cand->pkg;
		}
		if (*n > before)
			break;
	}
	return 0;
}

static int depends_of(const struct name_table *t, struct mint_sbom_package *pkgs, size_t i,
		      struct mint_err *err)
{
	const struct mint_apk_pkg *p = &pkgs[i].info;
	size_t *idx = NULL, n = 0;
	int rc = 0;
	for (size_t k = 0; !rc && k < p->depends.n; k++) {
		struct mint_apk_dep d;
		rc = parse_item(p, "dependency", p->depends.items[k], &d, err);
		if (rc)
			break;
		if (!(d.op & MINT_APK_DEP_CONFLICT) && satisfiers(t, i, &d, &idx, &n))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		mint_apk_dep_free(&d);
	}
	if (rc) {
		free(idx);
		return rc;
	}
	if (n)
		qsort(idx, n, sizeof(*idx), index_cmp);
	size_t unique = 0;
	for (size_t k = 0; k < n; k++)
		if (!unique || idx[unique - 1] != idx[k])
			idx[unique++] = idx[k];
	pkgs[i].depends_on = idx;
	pkgs[i].n_depends_on = unique;
	return 0;
}

static int resolve_depends(struct mint_sbom_package *pkgs, size_t n, struct mint_err *err)
{
	struct name_table t;
	int rc = name_table_build(&t, pkgs, n, err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = depends_of(&t, pkgs, i, err);
	name_table_free(&t);
	return rc;
}

/* ---- finish: shipped SBOMs ---- */

/* The version without a trailing -r<digits>, as apko's `-r\d+$`. */
static size_t version_without_release(const char *v)
{
	size_t len = strlen(v), digits = 0;
	while (digits < len && v[len - 1 - digits] >= '0' && v[len - 1 - digits] <= '9')
		digits++;
	if (digits && len >= digits + 2 && v[len - digits - 1] == 'r' && v[len - digits - 2] == '-')
		return len - digits - 2;
	return len;
}

static int find_shipped_sbom(const struct mint_sbom_collector *c, struct mint_sbom_package *sp,
			     struct mint_err *err)
{
	const struct mint_apk_pkg *p = &sp->info;
	struct mint_buf path = MINT_BUF_INIT;
	const struct rec *r = NULL;
	int rc = 0;
	for (int attempt = 0; !rc && !r && attempt < 3; attempt++) {
		mint_buf_reset(&path);
		if (attempt == 0)
			rc = mint_buf_printf(&path, SBOM_DIR "/%s-%s.spdx.json", p->name,
					     p->version);
		else if (attempt == 1)
			rc = mint_buf_printf(&path, SBOM_DIR "/%s-%.*s.spdx.json", p->name,
					     (int)version_without_release(p->version), p->version);
		else
			rc = mint_buf_printf(&path, SBOM_DIR "/%s.spdx.json", p->name);
		if (!rc)
			rc = kept_file(c, path.data, &r);
	}
	if (!rc && r) {
		if (mint_buf_append_span(&sp->shipped_sbom, mint_buf_span(&r->content)) ||
		    !mint_buf_cstr(&sp->shipped_sbom) ||
		    !(sp->shipped_sbom_path = mint_buf_detach(&path, NULL)))
			rc = MINT_ENOMEM;
	}
	mint_buf_free(&path);
	return rc ? mint_err_set(err, rc, "out of memory") : 0;
}

/* ---- finish: files and owners ---- */

/* path -> package index + 1, from the installed database's F:/R: records. */
struct owners {
	struct mint_hashmap map;
	struct mint_strlist keys;
};

static int add_owner(struct owners *o, const char *dir, const char *name, size_t pkg)
{
	struct mint_buf key = MINT_BUF_INIT;
	int rc = 0;
	if ((dir[0] && mint_buf_printf(&key, "%s/", dir)) || mint_buf_puts(&key, name) ||
	    mint_strlist_add(&o->keys, key.data, key.len))
		rc = MINT_ENOMEM;
	mint_buf_free(&key);
	if (rc)
		return rc;
	const char *stored = o->keys.items[o->keys.n - 1];
	return mint_hashmap_put(&o->map, mint_span_str(stored), (void *)(uintptr_t)(pkg + 1));
}

static int owners_build(const struct mint_sbom_collector *c,
			const struct mint_apk_installed_db *db, struct owners *o)
{
	struct mint_buf dir = MINT_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; !rc && i < db->n; i++) {
		for (size_t d = 0; !rc && d < db->pkgs[i].n_dirs; d++) {
			const struct mint_apk_installed_dir *dd = &db->pkgs[i].dirs[d];
			rc = resolve(c, dd->path, true, &dir);
			if (rc == 1) /* a directory that leaves the root: keep its text */
				rc = buf_clear(&dir) || mint_buf_puts(&dir, dd->path) ? MINT_ENOMEM
										       : 0;
			for (size_t f = 0; !rc && f < dd->n_files; f++)
				rc = add_owner(o, dir.data, dd->files[f].name, i);
		}
	}
	mint_buf_free(&dir);
	return rc;
}

static void owners_free(struct owners *o)
{
	mint_hashmap_free(&o->map);
	mint_strlist_free(&o->keys);
}

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mint_sbom_file *)a)->path,
		      ((const struct mint_sbom_file *)b)->path);
}

static int fill_file(const struct mint_sbom_collector *c, const struct owners *o,
		     const struct rec *r, struct mint_sbom_file *f, struct mint_err *err)
{
	const struct rec *content = through_hardlinks(c, r);
	void *v;
	if (!content || !content->hashed) {
		if (r->has_offset)
			mint_err_set_offset(err, r->offset);
		return mint_err_set(err, MINT_EFORMAT,
				    "%s: a hardlink to %s, which is no regular file of the image",
				    r->path, r->link);
	}
	if (!(f->path = strdup(r->path)))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	f->size = content->size;
	memcpy(f->sha256, content->sha256, sizeof(f->sha256));
	memcpy(f->sha1, content->sha1, sizeof(f->sha1));
	f->owner = mint_hashmap_get(&o->map, mint_span_str(r->path), &v)
			   ? (size_t)(uintptr_t)v - 1
			   : MINT_SBOM_BY_MINT;
	return 0;
}

static int list_files(const struct mint_sbom_collector *c, const struct owners *o,
		      struct mint_sbom_image *out, struct mint_err *err)
{
	size_t pos = 0, n = 0;
	void *v;
	out->has_files = true;
	out->files = calloc(c->recs.n ? c->recs.n : 1, sizeof(*out->files));
	if (!out->files)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	while (mint_hashmap_next(&c->recs, &pos, NULL, &v)) {
		const struct rec *r = v;
		if (r->type == MINT_TAR_SYMLINK)
			continue;
		int rc = fill_file(c, o, r, &out->files[n], err);
		if (rc)
			return rc;
		out->n_files = ++n;
	}
	if (n)
		qsort(out->files, n, sizeof(*out->files), file_cmp);
	return 0;
}

/* ---- finish ---- */

static int read_os(const struct mint_sbom_collector *c, struct mint_sbom_os *os,
		   struct mint_err *err)
{
	const struct rec *r = NULL;
	int rc = kept_file(c, "etc/os-release", &r);
	if (!rc && !r)
		rc = kept_file(c, "usr/lib/os-release", &r);
	if (!rc && r)
		rc = mint_sbom_os_release_parse(mint_buf_span(&r->content), os);
	return rc ? mint_err_set(err, rc, "out of memory") : 0;
}

static int read_db(const struct mint_sbom_collector *c, struct mint_apk_installed_db *db,
		   struct mint_err *err)
{
	const struct rec *r = NULL;
	memset(db, 0, sizeof(*db));
	int rc = kept_file(c, "usr/lib/apk/db/installed", &r);
	if (!rc && !r)
		rc = kept_file(c, "lib/apk/db/installed", &r);
	if (rc)
		return mint_err_set(err, rc, "out of memory");
	if (!r)
		return 0;
	rc = mint_apk_installed_parse(mint_buf_span(&r->content), db, err);
	if (rc)
		mint_err_set_file(err, r->path);
	return rc;
}

/* Moves the database's packages into out, in database order. */
static int take_packages(struct mint_apk_installed_db *db, struct mint_sbom_image *out,
			 struct mint_err *err)
{
	if (!db->n)
		return 0;
	out->packages = calloc(db->n, sizeof(*out->packages));
	if (!out->packages)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < db->n; i++) {
		out->packages[i].info = db->pkgs[i].pkg;
		memset(&db->pkgs[i].pkg, 0, sizeof(db->pkgs[i].pkg));
	}
	out->n_packages = db->n;
	return 0;
}

static int build_model(const struct mint_sbom_collector *c, struct mint_sbom_image *out,
		       struct mint_err *err)
{
	struct mint_apk_installed_db db;
	struct owners o = { MINT_HASHMAP_INIT, { NULL, 0, 0 } };
	int rc = read_os(c, &out->os, err);
	if (!rc)
		rc = read_db(c, &db, err);
	if (rc)
		return rc;
	if (c->opts.hash_files && owners_build(c, &db, &o))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc)
		rc = take_packages(&db, out, err);
	if (!rc)
		rc = resolve_depends(out->packages, out->n_packages, err);
	for (size_t i = 0; !rc && i < out->n_packages; i++)
		rc = find_shipped_sbom(c, &out->packages[i], err);
	if (!rc && c->opts.hash_files)
		rc = list_files(c, &o, out, err);
	owners_free(&o);
	mint_apk_installed_free(&db);
	return rc;
}

int mint_sbom_collector_finish(struct mint_sbom_collector *c, struct mint_sbom_image *img,
			       struct mint_err *err)
{
	struct mint_sbom_image out;
	if (!c || !img)
		return mint_err_set(err, MINT_EINVAL, "sbom collector: no collector or image");
	memset(&out, 0, sizeof(out));
	int rc = build_model(c, &out, err);
	if (rc) {
		mint_sbom_image_free(&out);
		return rc;
	}
	img->os = out.os;
	img->packages = out.packages;
	img->n_packages = out.n_packages;
	img->has_files = out.has_files;
	img->files = out.files;
	img->n_files = out.n_files;
	return 0;
}

void mint_sbom_image_free(struct mint_sbom_image *img)
{
	if (!img)
		return;
	free(img->name);
	free(img->layers);
	mint_sbom_os_free(&img->os);
	for (size_t i = 0; i < img->n_packages; i++) {
		struct mint_sbom_package *p = &img->packages[i];
		mint_apk_pkg_free(&p->info);
		free(p->depends_on);
		mint_buf_free(&p->shipped_sbom);
		free(p->shipped_sbom_path);
	}
	free(img->packages);
	for (size_t i = 0; i < img->n_files; i++)
		free(img->files[i].path);
	free(img->files);
	memset(img, 0, sizeof(*img));
}

/* ---- adapters ---- */

struct plan_walk {
	struct mint_sbom_collector *c;
	const struct mint_plan_content_reader *reader;
};

static int visit_node(void *ctx, const struct mint_plan_node *n, struct mint_err *err)
{
	struct plan_walk *w = ctx;
	struct mint_span_source mem;
	struct mint_source src;
	bool wanted = n->type == MINT_TAR_REG && n->size &&
		      mint_sbom_collector_wants_content(w->c, n->path);
	if (!wanted || n->content == MINT_PLAN_CONTENT_NONE)
		return mint_sbom_collector_entry(w->c, n->path, n->type, n->size, n->link_target,
						 NULL, err);
	if (n->content == MINT_PLAN_CONTENT_OWNED) {
		src = mint_span_source_init(&mem, MINT_SPAN(n->data, (size_t)n->size));
		return mint_sbom_collector_entry(w->c, n->path, n->type, n->size, NULL, &src, err);
	}
	if (!w->reader || !w->reader->open)
		return mint_err_set(err, MINT_EINVAL, "%s: package content but no content reader",
				    n->path);
	int rc = w->reader->open(w->reader->ctx, n, &src, err);
	if (rc)
		return rc;
	rc = mint_sbom_collector_entry(w->c, n->path, n->type, n->size, NULL, &src, err);
	if (w->reader->close)
		w->reader->close(w->reader->ctx, n);
	return rc;
}

int mint_sbom_collect_plan(const struct mint_image_plan *p,
			   const struct mint_plan_content_reader *reader,
			   const struct mint_sbom_collect_opts *opts, struct mint_sbom_image *img,
			   struct mint_err *err)
{
	struct plan_walk w = { NULL, reader };
	if (!p || !img)
		return mint_err_set(err, MINT_EINVAL, "sbom collect: no plan or image");
	int rc = mint_sbom_collector_new(&w.c, opts, err);
	if (!rc)
		rc = mint_image_plan_walk(p, visit_node, &w, err);
	if (!rc)
		rc = mint_sbom_collector_finish(w.c, img, err);
	mint_sbom_collector_free(w.c);
	return rc;
}

static int tar_content_read(void *ctx, void *buf, size_t cap, size_t *got, struct mint_err *err)
{
	return mint_tar_read(ctx, buf, cap, got, err);
}

/* A whiteout entry (".wh.<name>" or the opaque marker) removes what lower
 * layers had; 1 when name was one (and is handled), 0 when it is not. */
static int whiteout(struct mint_sbom_collector *c, const char *path, int *rc)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	struct mint_buf target = MINT_BUF_INIT;
	if (strncmp(base, ".wh.", 4))
		return 0;
	bool opaque = !strcmp(base, ".wh..wh..opq");
	if (mint_buf_append(&target, path, (size_t)(base - path)) ||
	    (!opaque && mint_buf_puts(&target, base + 4)) || !mint_buf_cstr(&target)) {
		*rc = MINT_ENOMEM;
	} else {
		if (target.len && target.data[target.len - 1] == '/')
			target.data[--target.len] = '\0';
		*rc = drop_lower(c, target.data, opaque);
	}
	mint_buf_free(&target);
	return 1;
}

static int add_tar_entry(struct mint_sbom_collector *c, struct mint_tar_reader *r,
			 const struct mint_tar_entry *e, struct mint_buf *clean,
			 struct mint_err *err)
{
	struct mint_source src = { tar_content_read, r };
	int rc = mint_path_clean(mint_span_str(e->name), true, clean, err);
	if (rc) {
		mint_err_prefix(err, "tar entry '%s'", e->name);
		return rc;
	}
	if (!clean->len)
		return 0;
	if (whiteout(c, clean->data, &rc))
		return rc ? mint_err_set(err, rc, "out of memory") : 0;
	bool wanted = e->type == MINT_TAR_REG && mint_sbom_collector_wants_content(c, clean->data);
	return take_entry(c, clean->data, e->type, e->size, e->link_target,
			  wanted ? &src : NULL, &e->header_offset, err);
}

int mint_sbom_collector_add_tar(struct mint_sbom_collector *c, struct mint_source tar,
				struct mint_err *err)
{
	struct mint_tar_reader *r = NULL;
	struct mint_buf clean = MINT_BUF_INIT;
	const struct mint_tar_entry *e;
	if (!c)
		return mint_err_set(err, MINT_EINVAL, "sbom collector: none given");
	c->layer++;
	int rc = mint_tar_reader_new(&r, tar, NULL, MINT_TAR_END_REQUIRED, err);
	while (!rc && (rc = mint_tar_next(r, &e, err)) == 1) {
		rc = add_tar_entry(c, r, e, &clean, err);
		if (rc)
			mint_err_set_offset(err, e->header_offset);
	}
	mint_buf_free(&clean);
	mint_tar_reader_free(r);
	return rc;
}

int mint_sbom_collect_tar(struct mint_source tar, const struct mint_sbom_collect_opts *opts,
			  struct mint_sbom_image *img, struct mint_err *err)
{
	struct mint_sbom_collector *c = NULL;
	if (!img)
		return mint_err_set(err, MINT_EINVAL, "sbom collect: no image");
	int rc = mint_sbom_collector_new(&c, opts, err);
	if (!rc)
		rc = mint_sbom_collector_add_tar(c, tar, err);
	if (!rc)
		rc = mint_sbom_collector_finish(c, img, err);
	mint_sbom_collector_free(c);
	return rc;
}
