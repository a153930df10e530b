/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The image plan's file tree: inserting packages and generated files,
 * resolving paths inside the root, and the sorted walk.
 *
 * Choices, where apk leaves room:
 * - Implicit parents (a package entry whose parent no one declared) are
 *   directories 0755, 0:0, mtime 0, owned by the package that needed them,
 *   and marked implicit. The first package that declares the directory
 *   gives it its metadata; after that a directory's metadata is never
 *   changed by packages (apko extracts with MkdirAll, which leaves an
 *   existing directory alone). put_dir always sets it.
 * - A package directory entry onto a symlink keeps the symlink (usr-merge:
 *   "lib -> usr/lib" and a later package shipping "lib/").
 * - File conflicts follow apk: the new package wins when it replaces the
 *   owner's name or shares its origin; the old file stays when the owner
 *   replaces the new package's name; otherwise an error. replaces_priority
 *   is not consulted.
 * - Generated nodes are overwritten by packages and by later put_* calls.
 * - uid/gid are recorded as the package has them; zeroing them (as apko
 *   does) is the image builder's decision.
 */
#include "mint/image_plan.h"

#include <stdlib.h>
#include <string.h>

#include "mint/buf.h"
#include "mint/path.h"
#include "mint/span.h"

struct plan_pkg {
	bool used;
	char *name;
	char *origin;
	struct mint_strlist replaces;
	struct mint_strlist provides; /* as written: "merged-lib", "so:libc.so.6=6" */
};

struct mint_image_plan {
	struct mint_image_plan_limits limits;
	struct mint_plan_node *root;
	size_t n_nodes;
	struct plan_pkg *pkgs;
	size_t n_pkgs;
};

void mint_image_plan_limits_default(struct mint_image_plan_limits *l)
{
	l->max_nodes = 4000000;
	l->max_symlink_hops = 40;
}

static const char *type_name(enum mint_tar_type t)
{
	switch (t) {
	case MINT_TAR_REG: return "file";
	case MINT_TAR_HARDLINK: return "hardlink";
	case MINT_TAR_SYMLINK: return "symlink";
	case MINT_TAR_CHAR: return "character device";
	case MINT_TAR_BLOCKDEV: return "block device";
	case MINT_TAR_DIR: return "directory";
	case MINT_TAR_FIFO: return "fifo";
	}
	return "entry";
}

/* ---- nodes ---- */

static void node_clear(struct mint_plan_node *n)
{
	free(n->link_target);
	n->link_target = NULL;
	for (size_t i = 0; i < n->n_xattrs; i++) {
		free(n->xattrs[i].name);
		free(n->xattrs[i].value);
	}
	free(n->xattrs);
	n->xattrs = NULL;
	n->n_xattrs = 0;
	free(n->data);
	n->data = NULL;
	n->content = MINT_PLAN_CONTENT_NONE;
	n->size = 0;
	n->data_offset = 0;
	n->has_apk_sha1 = false;
	n->uname[0] = n->gname[0] = '\0';
	n->devmajor = n->devminor = 0;
}

/* Frees n and everything under it; returns how many nodes that was. */
static size_t node_free_tree(struct mint_plan_node *n)
{
	size_t count = 1;
	for (size_t i = 0; i < n->n_children; i++)
		count += node_free_tree(n->children[i]);
	node_clear(n);
	free(n->children);
	free(n->path);
	free(n);
	return count;
}

static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* The child of dir called name, or NULL; *pos is where it is or would go. */
static struct mint_plan_node *child_find(const struct mint_plan_node *dir, const char *name,
					 size_t len, size_t *pos)
{
	size_t lo = 0, hi = dir->n_children;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *cn = dir->children[mid]->name;
		int c = name_cmp(cn, strlen(cn), name, len);
		if (c == 0) {
			if (pos)
				*pos = mid;
			return dir->children[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (pos)
		*pos = lo;
	return NULL;
}

static int child_insert(struct mint_plan_node *dir, struct mint_plan_node *n, size_t pos)
{
	if (dir->n_children == dir->cap_children) {
		size_t cap = dir->cap_children ? dir->cap_children * 2 : 4;
		struct mint_plan_node **c = realloc(dir->children, cap * sizeof(*c));
		if (!c)
			return MINT_ENOMEM;
		dir->children = c;
		dir->cap_children = cap;
	}
	memmove(dir->children + pos + 1, dir->children + pos,
		(dir->n_children - pos) * sizeof(*dir->children));
	dir->children[pos] = n;
	dir->n_children++;
	return 0;
}

/* A new empty node called name under dir (which has no such child). */
static int node_new(struct mint_image_plan *p, struct mint_plan_node *dir, const char *name,
		    size_t len, struct mint_plan_node **out, struct mint_err *err)
{
	if (p->n_nodes >= p->limits.max_nodes)
		return mint_err_set(err, MINT_ELIMIT, "image plan: more than %zu paths",
				    p->limits.max_nodes);
	size_t plen = strlen(dir->path);
	size_t total = plen + (plen ? 1 : 0) + len;
	if (len == 0 || len > MINT_NAME_MAX || total > MINT_PATH_MAX)
		return mint_err_set(err, MINT_ELIMIT, "%s/%.*s: path too long", dir->path,
				    (int)(len > 64 ? 64 : len), name);
	struct mint_plan_node *n = calloc(1, sizeof(*n));
	char *path = malloc(total + 1);
	if (!n || !path)
		goto nomem;
	memcpy(path, dir->path, plen);
	if (plen)
		path[plen] = '/';
	memcpy(path + total - len, name, len);
	path[total] = '\0';
	n->path = path;
	n->name = path + total - len;
	n->parent = dir;
	n->owner = MINT_PLAN_GENERATED;
	size_t pos;
	child_find(dir, name, len, &pos);
	if (child_insert(dir, n, pos))
		goto nomem;
	p->n_nodes++;
	*out = n;
	return 0;
nomem:
	free(path);
	free(n);
	return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
}

static void node_remove(struct mint_image_plan *p, struct mint_plan_node *n)
{
	struct mint_plan_node *dir = n->parent;
	size_t pos;
	child_find(dir, n->name, strlen(n->name), &pos);
	memmove(dir->children + pos, dir->children + pos + 1,
		(dir->n_children - pos - 1) * sizeof(*dir->children));
	dir->n_children--;
	p->n_nodes -= node_free_tree(n);
}

static void set_dir(struct mint_plan_node *n, uint32_t mode, uint64_t uid, uint64_t gid,
		    int64_t mtime)
{
	n->type = MINT_TAR_DIR;
	n->mode = mode & 07777;
	n->uid = uid;
	n->gid = gid;
	n->mtime = mtime;
}

/* ---- plan ---- */

int mint_image_plan_new(struct mint_image_plan **out, const struct mint_image_plan_limits *limits,
			struct mint_err *err)
{
	struct mint_image_plan *p = calloc(1, sizeof(*p));
	if (!p)
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	if (limits)
		p->limits = *limits;
	else
		mint_image_plan_limits_default(&p->limits);
	p->root = calloc(1, sizeof(*p->root));
	if (p->root)
		p->root->path = calloc(1, 1);
	if (!p->root || !p->root->path) {
		mint_image_plan_free(p);
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	}
	p->root->name = p->root->path;
	p->root->owner = MINT_PLAN_GENERATED;
	set_dir(p->root, 0755, 0, 0, 0);
	*out = p;
	return 0;
}

void mint_image_plan_free(struct mint_image_plan *p)
{
	if (!p)
		return;
	if (p->root && p->root->path)
		node_free_tree(p->root);
	else
		free(p->root);
	for (size_t i = 0; i < p->n_pkgs; i++) {
		free(p->pkgs[i].name);
		free(p->pkgs[i].origin);
		mint_strlist_free(&p->pkgs[i].replaces);
		mint_strlist_free(&p->pkgs[i].provides);
	}
	free(p->pkgs);
	free(p);
}

size_t mint_image_plan_count(const struct mint_image_plan *p)
{
	return p->n_nodes;
}

const char *mint_image_plan_package_name(const struct mint_image_plan *p, size_t pkg_index)
{
	if (pkg_index >= p->n_pkgs || !p->pkgs[pkg_index].used)
		return NULL;
	return p->pkgs[pkg_index].name ? p->pkgs[pkg_index].name : "?";
}

size_t mint_image_plan_package_count(const struct mint_image_plan *p)
{
	return p->n_pkgs;
}

bool mint_image_plan_package_provides(const struct mint_image_plan *p, size_t pkg_index,
				      const char *name)
{
	if (pkg_index >= p->n_pkgs || !p->pkgs[pkg_index].used || !name)
		return false;
	const struct mint_strlist *l = &p->pkgs[pkg_index].provides;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], name) == 0)
			return true;
	return false;
}

/* ---- path resolution ---- */

struct resolve {
	size_t create_owner;   /* package creating missing parents; GENERATED: refuse */
	const char *what;      /* the path as given, for messages */
};

/* Replaces rest[*pos..] by target "/" rest[*pos..]. */
static int splice_link(struct mint_buf *rest, size_t *pos, const char *target,
		       const struct resolve *r, struct mint_err *err)
{
	struct mint_buf next = MINT_BUF_INIT;
	size_t tlen = strlen(target);
	size_t tail = rest->len - *pos;
	if (tlen + 1 + tail > MINT_PATH_MAX)
		return mint_err_set(err, MINT_ELIMIT, "%s: path too long while following symlinks",
				    r->what);
	if (mint_buf_append(&next, target, tlen) || mint_buf_putc(&next, '/') ||
	    mint_buf_append(&next, rest->data + *pos, tail)) {
		mint_buf_free(&next);
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	}
	mint_buf_free(rest);
	*rest = next;
	*pos = 0;
	return 0;
}

/* Walks the directory path[0..len) from the root, following symlinks inside
 * the root, creating missing directories when r allows; *out is the real
 * directory. */
static int walk_dir(struct mint_image_plan *p, const char *path, size_t len,
		    const struct resolve *r, struct mint_plan_node **out, struct mint_err *err)
{
	struct mint_buf rest = MINT_BUF_INIT;
	struct mint_plan_node *cur = p->root;
	size_t pos = 0;
	unsigned hops = 0;
	int rc = 0;
	if (mint_buf_append(&rest, path, len))
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	while (pos < rest.len) {
		const char *c = rest.data + pos;
		const char *slash = memchr(c, '/', rest.len - pos);
		size_t n = slash ? (size_t)(slash - c) : rest.len - pos;
		pos += n + (slash ? 1 : 0);
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			if (cur == p->root) {
				rc = mint_err_set(err, MINT_EUNSAFE, "%s: symlink escapes the root",
						  r->what);
				goto out;
			}
			cur = cur->parent;
			continue;
		}
		struct mint_plan_node *child = child_find(cur, c, n, NULL);
		if (!child) {
			if (r->create_owner == MINT_PLAN_GENERATED) {
				rc = mint_err_set(err, MINT_ENOTFOUND,
						  "%s: path mutation onto a missing parent "
						  "(%s%s%.*s does not exist)", r->what, cur->path,
						  cur->path[0] ? "/" : "", (int)n, c);
				goto out;
			}
			rc = node_new(p, cur, c, n, &child, err);
			if (rc)
				goto out;
			set_dir(child, 0755, 0, 0, 0);
			child->implicit = true;
			child->owner = r->create_owner;
		}
		if (child->type == MINT_TAR_DIR) {
			cur = child;
		} else if (child->type == MINT_TAR_SYMLINK) {
			if (++hops > p->limits.max_symlink_hops) {
				rc = mint_err_set(err, MINT_ELIMIT,
						  "%s: more than %u symlinks on the way", r->what,
						  p->limits.max_symlink_hops);
				goto out;
			}
			if (child->link_target[0] == '/')
				cur = p->root;
			else
				cur = child->parent;
			rc = splice_link(&rest, &pos, child->link_target, r, err);
			if (rc)
				goto out;
		} else {
			rc = mint_err_set(err, MINT_EINVAL, "%s: %s is a %s, not a directory",
					  r->what, child->path, type_name(child->type));
			goto out;
		}
	}
	*out = cur;
out:
	mint_buf_free(&rest);
	return rc;
}

/* Where a clean path goes: its real parent directory and its last name. */
static int locate(struct mint_image_plan *p, const char *clean, const struct resolve *r,
		  struct mint_plan_node **dir, const char **name, struct mint_err *err)
{
	const char *slash = strrchr(clean, '/');
	*name = slash ? slash + 1 : clean;
	return walk_dir(p, clean, slash ? (size_t)(slash - clean) : 0, r, dir, err);
}

/* Follows n while it is a symlink. */
static int follow(struct mint_image_plan *p, struct mint_plan_node *n, const struct resolve *r,
		  struct mint_plan_node **out, struct mint_err *err)
{
	unsigned hops = 0;
	while (n && n->type == MINT_TAR_SYMLINK) {
		if (++hops > p->limits.max_symlink_hops)
			return mint_err_set(err, MINT_ELIMIT, "%s: more than %u symlinks on the way",
					    r->what, p->limits.max_symlink_hops);
		const char *t = n->link_target;
		struct mint_buf full = MINT_BUF_INIT;
		if (t[0] != '/' && n->parent->path[0] &&
		    (mint_buf_puts(&full, n->parent->path) || mint_buf_putc(&full, '/'))) {
			mint_buf_free(&full);
			return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
		}
		if (mint_buf_puts(&full, t)) {
			mint_buf_free(&full);
			return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
		}
		/* The target resolved as a directory path, its last part split off. */
		size_t len = full.len;
		while (len && full.data[len - 1] == '/')
			len--;
		size_t cut = len;
		while (cut && full.data[cut - 1] != '/')
			cut--;
		struct mint_plan_node *dir;
		int rc = walk_dir(p, full.data, cut, r, &dir, err);
		const char *last = full.data + cut;
		size_t llen = len - cut;
		if (!rc && llen == 2 && last[0] == '.' && last[1] == '.') {
			if (dir == p->root)
				rc = mint_err_set(err, MINT_EUNSAFE, "%s: symlink escapes the root",
						  r->what);
			n = rc ? NULL : dir->parent;
		} else if (!rc) {
			n = (llen == 0 || (llen == 1 && last[0] == '.')) ? dir
				: child_find(dir, last, llen, NULL);
		}
		mint_buf_free(&full);
		if (rc)
			return rc;
	}
	*out = n;
	return 0;
}

static int clean_path(const char *in, struct mint_buf *out, struct mint_err *err)
{
	if (!in)
		return mint_err_set(err, MINT_EINVAL, "image plan: no path");
	int rc = mint_path_clean(mint_span_str(in), true, out, err);
	if (rc)
		return rc;
	if (!mint_buf_cstr(out))
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	return 0;
}

const struct mint_plan_node *mint_image_plan_lookup(const struct mint_image_plan *cp,
						    const char *path)
{
	struct mint_image_plan *p = (struct mint_image_plan *)cp; /* walk_dir creates nothing here */
	struct mint_buf clean = MINT_BUF_INIT;
	struct resolve r = { MINT_PLAN_GENERATED, path };
	struct mint_plan_node *dir = NULL, *n = NULL;
	const char *name;
	if (clean_path(path, &clean, NULL))
		goto out;
	if (clean.data[0] == '\0') {
		n = p->root;
		goto out;
	}
	if (locate(p, clean.data, &r, &dir, &name, NULL))
		goto out;
	n = child_find(dir, name, strlen(name), NULL);
out:
	mint_buf_free(&clean);
	return n;
}

/* ---- xattrs ---- */

static int copy_xattrs(struct mint_plan_node *n, const struct mint_xattr *x, size_t count)
{
	if (!count)
		return 0;
	n->xattrs = calloc(count, sizeof(*n->xattrs));
	if (!n->xattrs)
		return MINT_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		n->n_xattrs = i + 1;
		n->xattrs[i].name = strdup(x[i].name);
		n->xattrs[i].value = malloc(x[i].value_len ? x[i].value_len : 1);
		if (!n->xattrs[i].name || !n->xattrs[i].value)
			return MINT_ENOMEM;
		memcpy(n->xattrs[i].value, x[i].value, x[i].value_len);
		n->xattrs[i].value_len = x[i].value_len;
	}
	return 0;
}

/* ---- packages ---- */

static bool list_has(const struct mint_strlist *l, const char *s)
{
	if (!s)
		return false;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

static int register_pkg(struct mint_image_plan *p, size_t idx, const struct mint_apk_pkg *meta,
			struct mint_err *err)
{
	if (idx == MINT_PLAN_GENERATED)
		return mint_err_set(err, MINT_EINVAL, "image plan: bad package index");
	if (idx >= p->n_pkgs) {
		struct plan_pkg *a = realloc(p->pkgs, (idx + 1) * sizeof(*a));
		if (!a)
			return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
		memset(a + p->n_pkgs, 0, (idx + 1 - p->n_pkgs) * sizeof(*a));
		p->pkgs = a;
		p->n_pkgs = idx + 1;
	}
	struct plan_pkg *pk = &p->pkgs[idx];
	if (pk->used)
		return mint_err_set(err, MINT_EDUPLICATE, "image plan: package index %zu added twice",
				    idx);
	pk->used = true;
	if (meta->name && !(pk->name = strdup(meta->name)))
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	if (meta->origin && !(pk->origin = strdup(meta->origin)))
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	for (size_t i = 0; i < meta->replaces.n; i++) {
		/* "name" or "name>=ver": apk matches on the name */
		const char *s = meta->replaces.items[i];
		size_t len = strcspn(s, "<>=~");
		if (mint_strlist_add(&pk->replaces, s, len))
			return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	}
	for (size_t i = 0; i < meta->provides.n; i++) {
		const char *s = meta->provides.items[i];
		if (mint_strlist_add(&pk->provides, s, strlen(s)))
			return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	}
	return 0;
}

enum verdict { NEW_WINS, OLD_STAYS };

static int decide_conflict(const struct mint_image_plan *p, size_t idx,
			   const struct mint_plan_node *old, const char *path, enum verdict *v,
			   struct mint_err *err)
{
	if (old->owner == MINT_PLAN_GENERATED || old->owner == idx) {
		*v = NEW_WINS;
		return 0;
	}
	const struct plan_pkg *np = &p->pkgs[idx], *op = &p->pkgs[old->owner];
	if (list_has(&np->replaces, op->name) ||
	    (np->origin && op->origin && strcmp(np->origin, op->origin) == 0)) {
		*v = NEW_WINS;
		return 0;
	}
	if (list_has(&op->replaces, np->name)) {
		*v = OLD_STAYS;
		return 0;
	}
	return mint_err_set(err, MINT_EDUPLICATE,
			    "%s: in package %s and in package %s (neither replaces the other "
			    "nor shares its origin)", path, op->name ? op->name : "?",
			    np->name ? np->name : "?");
}

static int add_pkg_dir(struct mint_image_plan *p, size_t idx, struct mint_plan_node *dir,
		       const char *name, const struct mint_apk_entry *e, struct mint_err *err)
{
	struct mint_plan_node *n = child_find(dir, name, strlen(name), NULL);
	if (n && n->type == MINT_TAR_SYMLINK)
		return 0;
	if (n && n->type != MINT_TAR_DIR)
		return mint_err_set(err, MINT_EDUPLICATE,
				    "%s: a directory in package %s, but a %s in %s", e->path,
				    mint_image_plan_package_name(p, idx), type_name(n->type),
				    n->owner == MINT_PLAN_GENERATED
					    ? "the generated files"
					    : mint_image_plan_package_name(p, n->owner));
	if (n && !n->implicit)
		return 0;
	if (!n) {
		int rc = node_new(p, dir, name, strlen(name), &n, err);
		if (rc)
			return rc;
	}
	node_clear(n);
	set_dir(n, e->mode, e->uid, e->gid, e->mtime);
	memcpy(n->uname, e->uname, sizeof(n->uname));
	memcpy(n->gname, e->gname, sizeof(n->gname));
	n->implicit = false;
	n->owner = idx;
	if (copy_xattrs(n, e->xattrs, e->n_xattrs))
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	return 0;
}

/* The real path of a package hardlink's target (a regular file). */
static int hardlink_target(struct mint_image_plan *p, size_t idx, const struct mint_apk_entry *e,
			   char **out, struct mint_err *err)
{
	struct resolve r = { MINT_PLAN_GENERATED, e->path };
	struct mint_plan_node *dir, *t = NULL;
	const char *name;
	if (!e->link_target || !e->link_target[0])
		return mint_err_set(err, MINT_EFORMAT, "%s: hardlink without a target", e->path);
	int rc = locate(p, e->link_target, &r, &dir, &name, err);
	if (rc && rc != MINT_ENOTFOUND)
		return rc;
	if (!rc)
		t = child_find(dir, name, strlen(name), NULL);
	if (t && t->type == MINT_TAR_HARDLINK)
		t = (struct mint_plan_node *)mint_image_plan_lookup(p, t->link_target);
	if (!t || t->type != MINT_TAR_REG)
		return mint_err_set(err, MINT_EFORMAT,
				    "%s: hardlink to %s, which is not a file of package %s", e->path,
				    e->link_target, mint_image_plan_package_name(p, idx));
	*out = strdup(t->path);
	return *out ? 0 : mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
}

static void set_meta(struct mint_plan_node *n, const struct mint_apk_entry *e)
{
	n->type = e->type;
	n->mode = e->mode & 07777;
	n->uid = e->uid;
	n->gid = e->gid;
	memcpy(n->uname, e->uname, sizeof(n->uname));
	memcpy(n->gname, e->gname, sizeof(n->gname));
	n->mtime = e->mtime;
	n->implicit = false;
}

static int add_pkg_other(struct mint_image_plan *p, size_t idx, struct mint_plan_node *dir,
			 const char *name, const struct mint_apk_entry *e, struct mint_err *err)
{
	char *link = NULL;
	int rc = 0;
	struct mint_plan_node *n = child_find(dir, name, strlen(name), NULL);
	if (n && n->type == MINT_TAR_DIR)
		return mint_err_set(err, MINT_EDUPLICATE,
				    "%s: a %s in package %s, but a directory in %s", e->path,
				    type_name(e->type), mint_image_plan_package_name(p, idx),
				    n->owner == MINT_PLAN_GENERATED
					    ? "the generated files"
					    : mint_image_plan_package_name(p, n->owner));
	if (n) {
		enum verdict v;
		rc = decide_conflict(p, idx, n, e->path, &v, err);
		if (rc || v == OLD_STAYS)
			return rc;
	}
	if (e->type == MINT_TAR_HARDLINK) {
		rc = hardlink_target(p, idx, e, &link, err);
	} else if (e->type == MINT_TAR_SYMLINK) {
		if (!e->link_target || !(link = strdup(e->link_target)))
			rc = mint_err_set(err, e->link_target ? MINT_ENOMEM : MINT_EFORMAT,
					  "%s: symlink without a target", e->path);
	}
	if (rc)
		return rc;
	if (!n && (rc = node_new(p, dir, name, strlen(name), &n, err))) {
		free(link);
		return rc;
	}
	node_clear(n);
	set_meta(n, e);
	n->owner = idx;
	n->link_target = link;
	n->devmajor = e->devmajor;
	n->devminor = e->devminor;
	n->has_apk_sha1 = e->has_apk_sha1;
	memcpy(n->apk_sha1, e->apk_sha1, sizeof(n->apk_sha1));
	if (e->type == MINT_TAR_REG && e->size) {
		n->content = MINT_PLAN_CONTENT_PACKAGE;
		n->size = e->size;
		n->data_offset = e->data_offset;
	}
	if (copy_xattrs(n, e->xattrs, e->n_xattrs))
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	return 0;
}

/* What the package reader guarantees, checked again: "a/b", no empty, "."
 * or ".." component, no leading or trailing "/", within the limits. */
static bool is_clean(const char *path)
{
	size_t total = 0;
	while (*path) {
		size_t n = strcspn(path, "/");
		if (n == 0 || n > MINT_NAME_MAX || (n == 1 && path[0] == '.') ||
		    (n == 2 && path[0] == '.' && path[1] == '.'))
			return false;
		total += n;
		path += n;
		if (*path == '/') {
			path++;
			total++;
			if (!*path)
				return false;
		}
	}
	return total <= MINT_PATH_MAX;
}

static int add_entry(struct mint_image_plan *p, size_t idx, const struct mint_apk_entry *e,
		     struct mint_err *err)
{
	struct resolve r = { idx, e->path };
	struct mint_plan_node *dir;
	const char *name;
	if (!e->path || !e->path[0])
		return 0; /* the root: its metadata is the image's, not a package's */
	if (!is_clean(e->path))
		return mint_err_set(err, MINT_EUNSAFE, "%s: not a clean relative path", e->path);
	int rc = locate(p, e->path, &r, &dir, &name, err);
	if (rc)
		return rc;
	switch (e->type) {
	case MINT_TAR_DIR:
		return add_pkg_dir(p, idx, dir, name, e, err);
	case MINT_TAR_REG:
	case MINT_TAR_HARDLINK:
	case MINT_TAR_SYMLINK:
	case MINT_TAR_CHAR:
	case MINT_TAR_BLOCKDEV:
	case MINT_TAR_FIFO:
		return add_pkg_other(p, idx, dir, name, e, err);
	}
	return mint_err_set(err, MINT_EUNSUPPORTED, "%s: unknown entry type", e->path);
}

int mint_image_plan_add_package(struct mint_image_plan *p, size_t pkg_index,
				const struct mint_apk_package *pkg,
				const struct mint_apk_pkg *meta, struct mint_err *err)
{
	if (!p || !pkg)
		return mint_err_set(err, MINT_EINVAL, "image plan: no package");
	if (!meta)
		meta = &pkg->info;
	int rc = register_pkg(p, pkg_index, meta, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < pkg->n_entries; i++) {
		rc = add_entry(p, pkg_index, &pkg->entries[i], err);
		if (rc) {
			mint_err_prefix(err, "package %s", meta->name ? meta->name : "?");
			return rc;
		}
	}
	return 0;
}

/* ---- generated content ---- */

/* The node for a generated path: existing (not a directory unless dir_ok)
 * or fresh. */
static int mutation_slot(struct mint_image_plan *p, const char *path, bool dir_ok,
			 struct mint_buf *clean, struct mint_plan_node **out, struct mint_err *err)
{
	struct resolve r = { MINT_PLAN_GENERATED, path };
	struct mint_plan_node *dir, *n;
	const char *name;
	int rc = clean_path(path, clean, err);
	if (rc)
		return rc;
	if (!clean->data[0])
		return mint_err_set(err, MINT_EINVAL, "%s: names the root", path);
	rc = locate(p, clean->data, &r, &dir, &name, err);
	if (rc)
		return rc;
	n = child_find(dir, name, strlen(name), NULL);
	if (n && n->type == MINT_TAR_DIR && !dir_ok)
		return mint_err_set(err, MINT_EDUPLICATE, "%s: is a directory", path);
	if (n && n->type != MINT_TAR_DIR && dir_ok)
		return mint_err_set(err, MINT_EDUPLICATE, "%s: exists and is a %s", path,
				    type_name(n->type));
	if (!n && (rc = node_new(p, dir, name, strlen(name), &n, err)))
		return rc;
	if (n->type != MINT_TAR_DIR)
		node_clear(n);
	n->owner = MINT_PLAN_GENERATED;
	n->implicit = false;
	*out = n;
	return 0;
}

static void set_owner(struct mint_plan_node *n, enum mint_tar_type type, uint32_t mode,
		      uint64_t uid, uint64_t gid, int64_t mtime)
{
	n->type = type;
	n->mode = mode & 07777;
	n->uid = uid;
	n->gid = gid;
	n->mtime = mtime;
}

int mint_image_plan_put_file(struct mint_image_plan *p, const char *path, const void *data,
			     size_t len, uint32_t mode, uint64_t uid, uint64_t gid, int64_t mtime,
			     struct mint_err *err)
{
	struct mint_buf clean = MINT_BUF_INIT;
	struct mint_plan_node *n;
	unsigned char *copy = NULL;
	if (len && !data)
		return mint_err_set(err, MINT_EINVAL, "%s: no content", path);
	if (len && !(copy = malloc(len)))
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	int rc = mutation_slot(p, path, false, &clean, &n, err);
	mint_buf_free(&clean);
	if (rc) {
		free(copy);
		return rc;
	}
	set_owner(n, MINT_TAR_REG, mode, uid, gid, mtime);
	if (len) {
		memcpy(copy, data, len);
		n->data = copy;
		n->size = len;
		n->content = MINT_PLAN_CONTENT_OWNED;
	}
	return 0;
}

int mint_image_plan_put_dir(struct mint_image_plan *p, const char *path, uint32_t mode,
			    uint64_t uid, uint64_t gid, int64_t mtime, struct mint_err *err)
{
	struct mint_buf clean = MINT_BUF_INIT;
	struct mint_plan_node *n;
	int rc = mutation_slot(p, path, true, &clean, &n, err);
	mint_buf_free(&clean);
	if (!rc)
		set_dir(n, mode, uid, gid, mtime);
	return rc;
}

int mint_image_plan_put_symlink(struct mint_image_plan *p, const char *path, const char *target,
				uint32_t mode, uint64_t uid, uint64_t gid, int64_t mtime,
				struct mint_err *err)
{
	struct mint_buf clean = MINT_BUF_INIT;
	struct mint_plan_node *n;
	if (!target || !target[0] || strlen(target) > MINT_PATH_MAX)
		return mint_err_set(err, MINT_EINVAL, "%s: bad symlink target", path);
	char *t = strdup(target);
	if (!t)
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	int rc = mutation_slot(p, path, false, &clean, &n, err);
	mint_buf_free(&clean);
	if (rc) {
		free(t);
		return rc;
	}
	set_owner(n, MINT_TAR_SYMLINK, mode, uid, gid, mtime);
	n->link_target = t;
	return 0;
}

int mint_image_plan_put_hardlink(struct mint_image_plan *p, const char *path, const char *target,
				 struct mint_err *err)
{
	const struct mint_plan_node *t = target ? mint_image_plan_lookup(p, target) : NULL;
	struct resolve r = { MINT_PLAN_GENERATED, path };
	struct mint_plan_node *real = NULL;
	int rc = t ? follow(p, (struct mint_plan_node *)t, &r, &real, err) : 0;
	if (rc)
		return rc;
	if (real && real->type == MINT_TAR_HARDLINK)
		real = (struct mint_plan_node *)mint_image_plan_lookup(p, real->link_target);
	if (!real || real->type != MINT_TAR_REG)
		return mint_err_set(err, MINT_ENOTFOUND, "%s: hardlink target %s is not a file",
				    path, target ? target : "(none)");
	if (mint_image_plan_lookup(p, path) == real)
		return mint_err_set(err, MINT_EINVAL, "%s: hardlink to itself", path);
	char *tp = strdup(real->path);
	if (!tp)
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	uint32_t mode = real->mode;
	uint64_t uid = real->uid, gid = real->gid;
	int64_t mtime = real->mtime;
	struct mint_buf clean = MINT_BUF_INIT;
	struct mint_plan_node *n;
	rc = mutation_slot(p, path, false, &clean, &n, err);
	mint_buf_free(&clean);
	if (rc) {
		free(tp);
		return rc;
	}
	set_owner(n, MINT_TAR_HARDLINK, mode, uid, gid, mtime);
	n->link_target = tp;
	return 0;
}

int mint_image_plan_put_device(struct mint_image_plan *p, const char *path,
			       enum mint_tar_type type, uint32_t major, uint32_t minor,
			       uint32_t mode, uint64_t uid, uint64_t gid, int64_t mtime,
			       struct mint_err *err)
{
	if (type != MINT_TAR_CHAR && type != MINT_TAR_BLOCKDEV && type != MINT_TAR_FIFO)
		return mint_err_set(err, MINT_EINVAL, "%s: not a device type", path);
	struct mint_buf clean = MINT_BUF_INIT;
	struct mint_plan_node *n;
	int rc = mutation_slot(p, path, false, &clean, &n, err);
	mint_buf_free(&clean);
	if (rc)
		return rc;
	set_owner(n, type, mode, uid, gid, mtime);
	if (type != MINT_TAR_FIFO) {
		n->devmajor = major;
		n->devminor = minor;
	}
	return 0;
}

/* The existing node at path; follow_last: through a final symlink. */
static int existing(struct mint_image_plan *p, const char *path, bool follow_last,
		    struct mint_plan_node **out, struct mint_err *err)
{
	struct mint_buf clean = MINT_BUF_INIT;
	struct resolve r = { MINT_PLAN_GENERATED, path };
	struct mint_plan_node *dir, *n = NULL;
	const char *name;
	int rc = clean_path(path, &clean, err);
	if (rc)
		goto out;
	if (!clean.data[0]) {
		n = p->root;
	} else {
		rc = locate(p, clean.data, &r, &dir, &name, err);
		if (rc)
			goto out;
		n = child_find(dir, name, strlen(name), NULL);
	}
	if (n && follow_last && (rc = follow(p, n, &r, &n, err)))
		goto out;
	if (!n)
		rc = mint_err_set(err, MINT_ENOTFOUND, "%s: no such path in the image", path);
	*out = n;
out:
	mint_buf_free(&clean);
	return rc;
}

int mint_image_plan_remove(struct mint_image_plan *p, const char *path, struct mint_err *err)
{
	struct mint_plan_node *n;
	int rc = existing(p, path, false, &n, err);
	if (rc)
		return rc;
	if (n == p->root)
		return mint_err_set(err, MINT_EINVAL, "%s: names the root", path);
	node_remove(p, n);
	return 0;
}

int mint_image_plan_chmod(struct mint_image_plan *p, const char *path, uint32_t mode,
			  struct mint_err *err)
{
	struct mint_plan_node *n;
	int rc = existing(p, path, true, &n, err);
	if (!rc)
		n->mode = mode & 07777;
	return rc;
}

int mint_image_plan_chown(struct mint_image_plan *p, const char *path, uint64_t uid,
			  uint64_t gid, struct mint_err *err)
{
	struct mint_plan_node *n;
	int rc = existing(p, path, true, &n, err);
	if (!rc) {
		n->uid = uid;
		n->gid = gid;
	}
	return rc;
}

int mint_image_plan_resolve(const struct mint_image_plan *cp, const char *path,
			    const struct mint_plan_node **out, struct mint_err *err)
{
	struct mint_image_plan *p = (struct mint_image_plan *)cp; /* creates nothing */
	struct mint_plan_node *n = NULL;
	int rc = existing(p, path, true, &n, err);
	*out = rc ? NULL : n;
	return rc;
}

int mint_image_plan_set_content(struct mint_image_plan *p, const char *path, const void *data,
				size_t len, int64_t mtime, struct mint_err *err)
{
	struct mint_plan_node *n;
	unsigned char *copy = NULL;
	int rc = existing(p, path, true, &n, err);
	if (rc)
		return rc;
	if (n->type == MINT_TAR_HARDLINK)
		n = (struct mint_plan_node *)mint_image_plan_lookup(p, n->link_target);
	if (!n || n->type != MINT_TAR_REG)
		return mint_err_set(err, MINT_EINVAL, "%s: not a regular file", path);
	if (len && !data)
		return mint_err_set(err, MINT_EINVAL, "%s: no content", path);
	if (len && !(copy = malloc(len)))
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	if (len)
		memcpy(copy, data, len);
	free(n->data);
	n->data = copy;
	n->size = len;
	n->data_offset = 0;
	n->content = len ? MINT_PLAN_CONTENT_OWNED : MINT_PLAN_CONTENT_NONE;
	n->has_apk_sha1 = false;
	n->mtime = mtime;
	return 0;
}

static void name_tree(struct mint_plan_node *dir, mint_plan_names_fn fn, void *ctx)
{
	for (size_t i = 0; i < dir->n_children; i++) {
		struct mint_plan_node *c = dir->children[i];
		fn(ctx, c, c->uname, c->gname);
		c->uname[sizeof(c->uname) - 1] = '\0';
		c->gname[sizeof(c->gname) - 1] = '\0';
		if (c->type == MINT_TAR_DIR)
			name_tree(c, fn, ctx);
	}
}

void mint_image_plan_set_names(struct mint_image_plan *p, mint_plan_names_fn fn, void *ctx)
{
	name_tree(p->root, fn, ctx);
}

/* ---- walk ---- */

static int walk_children(const struct mint_plan_node *dir, mint_plan_visit_fn visit, void *ctx,
			 struct mint_err *err)
{
	for (size_t i = 0; i < dir->n_children; i++) {
		const struct mint_plan_node *c = dir->children[i];
		int rc = visit(ctx, c, err);
		if (!rc && c->type == MINT_TAR_DIR)
			rc = walk_children(c, visit, ctx, err);
		if (rc)
			return rc;
	}
	return 0;
}

int mint_image_plan_walk(const struct mint_image_plan *p, mint_plan_visit_fn visit, void *ctx,
			 struct mint_err *err)
{
	return walk_children(p->root, visit, ctx, err);
}
