/* SPDX-License-Identifier: Apache-2.0 */
/*
 * From an image config to the packages each architecture installs: resolved
 * against the config's repositories (build and image repositories both
 * count, as in apko; runtime repositories only end up in the image), or
 * taken from a lock without reading any index. Either way only packages
 * missing from the cache are fetched; every package is then read, and
 * verified against its record, once, by a few threads in parallel. With
 * keep_data, the data stream inflated by that read is also written to a
 * temporary file, which the install keeps only once every check passed.
 */
#include "mint/image_build.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/apk_resolve.h"
#include "mint/fs.h"

#define KEY_MAX_BYTES (64u << 10)
#define MAX_READERS 16

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static int read_keys(const struct mint_image_config *cfg, struct mint_image_packages *out,
		     struct mint_err *err)
{
	const struct mint_image_strs *kr = &cfg->contents.keyring;
	out->keys = calloc(kr->n + 1, sizeof(*out->keys));
	if (!out->keys)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < kr->n; i++) {
		struct mint_image_key *k = &out->keys[i];
		if (strstr(kr->v[i], "://")) {
			mint_err_set_file(err, kr->v[i]);
			return mint_err_set(err, MINT_EUNSUPPORTED,
					    "keyring URLs are not supported yet: download the key "
					    "and name the file");
		}
		k->name = strdup(kr->v[i]);
		if (!k->name)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		out->n_keys++;
		int rc = mint_file_read(kr->v[i], KEY_MAX_BYTES, &k->pem, err);
		if (!rc)
			rc = mint_apk_keyring_add_pem(&out->keyring, base_name(kr->v[i]),
						      mint_buf_span(&k->pem), err);
		if (rc)
			return mint_err_prefix(err, "keyring %s", kr->v[i]), rc;
	}
	return 0;
}

struct repo_list {
	struct mint_apk_repo *v;
	size_t n;
};

static int parse_repos(const struct mint_image_config *cfg, struct repo_list *r,
		       struct mint_err *err)
{
	const struct mint_image_strs *lists[] = { &cfg->contents.repositories,
						  &cfg->contents.build_repositories };
	r->v = calloc(lists[0]->n + lists[1]->n + 1, sizeof(*r->v));
	if (!r->v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t l = 0; l < 2; l++) {
		for (size_t i = 0; i < lists[l]->n; i++) {
			int rc = mint_apk_repo_parse(mint_span_str(lists[l]->v[i]), &r->v[r->n],
						     err);
			if (rc)
				return rc;
			r->n++;
		}
	}
	return 0;
}

static void free_repos(struct repo_list *r)
{
	for (size_t i = 0; i < r->n; i++)
		mint_apk_repo_free(&r->v[i]);
	free(r->v);
}

static int parse_world(const struct mint_image_config *cfg, struct mint_apk_dep **world,
		       size_t *n, struct mint_err *err)
{
	*world = calloc(cfg->contents.packages.n + 1, sizeof(**world));
	if (!*world)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < cfg->contents.packages.n; i++) {
		int rc = mint_apk_dep_parse(mint_span_str(cfg->contents.packages.v[i]),
					    &(*world)[i], err);
		if (rc)
			return mint_err_prefix(err, "contents.packages[%zu]", i), rc;
		(*n)++;
	}
	return 0;
}

static int alloc_archs(const struct mint_image_config *cfg, struct mint_image_packages *out,
		       struct mint_err *err)
{
	if (!cfg->n_archs)
		return mint_err_set(err, MINT_EINVAL, "the config has no architectures");
	out->archs = calloc(cfg->n_archs, sizeof(*out->archs));
	if (!out->archs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	out->n_archs = cfg->n_archs;
	for (size_t a = 0; a < cfg->n_archs; a++)
		out->archs[a].arch = cfg->archs[a];
	return 0;
}

static const struct mint_apk_limits *limits_of(const struct mint_image_source_opts *o)
{
	return o->limits ? o->limits : &o->cache->limits;
}

/* One package to read: its record, where it goes, and for a lock the entry
 * its bytes must also match. Each worker writes only its own job. */
struct read_job {
	const struct mint_apk_repo_pkg *rp;
	const struct mint_lock_package *lock_entry;
	struct mint_image_install *ins;
	int rc;
	bool local_failure; /* the temporary file failed, not the package */
	struct mint_err err;
};

struct read_pool {
	const struct mint_image_source_opts *o;
	const struct mint_apk_keyring *kr;
	struct read_job *jobs;
	size_t n;
	atomic_size_t next;
};

static int check_lock_entry(const struct mint_image_source_opts *o,
			    const struct mint_lock_package *e, const char *path,
			    struct mint_err *err)
{
	struct mint_buf file = MINT_BUF_INIT;
	int rc = mint_file_read(path, limits_of(o)->max_file_bytes, &file, err);
	if (!rc)
		rc = mint_lock_verify_package(e, mint_buf_span(&file), err);
	mint_buf_free(&file);
	return rc;
}

static void drop_data_fd(struct mint_image_install *ins)
{
	if (ins->has_data_fd && ins->data_fd >= 0)
		close(ins->data_fd);
	ins->has_data_fd = false;
	ins->data_fd = -1;
}

/* The temporary file's sink, noting whether it failed. */
struct data_copy {
	int fd;
	struct mint_apk_data_sink file;
	bool failed;
};

static int data_copy_write(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	struct data_copy *dc = ctx;
	int rc = dc->file.write(dc->file.ctx, data, len, err);
	if (rc)
		dc->failed = true;
	return rc;
}

/* The package is read (and its data stream copied, with keep_data) first;
 * the copy is adopted only after the read and the lock check passed. */
static int read_one(const struct read_pool *p, struct read_job *j)
{
	struct mint_image_install *ins = &j->ins[0];
	mint_apk_package_free(&ins->pkg);
	free(ins->path);
	ins->path = NULL;
	drop_data_fd(ins);
	memset(&j->err, 0, sizeof(j->err));
	struct data_copy dc = { .fd = -1 };
	dc.file = mint_image_pkgdata_sink(&dc.fd);
	struct mint_apk_data_sink sink = { data_copy_write, &dc };
	j->rc = 0;
	if (p->o->keep_data) {
		j->rc = mint_image_pkgdata_tmpfile(p->o->tmpdir, &dc.fd, &j->err);
		dc.failed = j->rc != 0;
	}
	if (!j->rc)
		j->rc = mint_apk_cache_read_package_ex(p->o->cache, j->rp, p->kr,
						       dc.fd >= 0 ? &sink : NULL, &ins->pkg,
						       &ins->path, &j->err);
	j->local_failure = j->rc && dc.failed;
	int fd = dc.fd;
	if (!j->rc && j->lock_entry)
		j->rc = check_lock_entry(p->o, j->lock_entry, ins->path, &j->err);
	if (!j->rc && fd >= 0) {
		ins->data_fd = fd;
		ins->has_data_fd = true;
	} else if (fd >= 0) {
		close(fd);
	}
	return j->rc;
}

static void *read_worker(void *arg)
{
	struct read_pool *p = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->n)
			return NULL;
		/* A failed read is retried after a fetch, so it stops no one. */
		read_one(p, &p->jobs[i]);
	}
}

static unsigned reader_count(size_t n)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned w = cpus > 0 ? (unsigned)cpus : 1;
	if (w > MAX_READERS)
		w = MAX_READERS;
	return w > n ? (unsigned)(n ? n : 1) : w;
}

static void read_parallel(struct read_pool *p)
{
	pthread_t threads[MAX_READERS];
	unsigned n = reader_count(p->n), started = 0;
	for (; started < n; started++)
		if (pthread_create(&threads[started], NULL, read_worker, p))
			break;
	if (!started)
		read_worker(p);
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
}

/* A job whose read failed: its cache entry, if any, was deleted; fetch it
 * again and read it once more. The first failure, in job order, wins. */
static int retry_failed(struct read_pool *p, struct mint_err *err)
{
	struct mint_apk_cache *c = p->o->cache;
	for (size_t i = 0; i < p->n; i++) {
		struct read_job *j = &p->jobs[i];
		if (!j->rc)
			continue;
		if (j->rc == MINT_ENOMEM || j->local_failure) {
			if (err)
				*err = j->err;
			return j->rc;
		}
		if (j->rc != MINT_ENOTFOUND)
			c->stats.entries_discarded++;
		const struct mint_apk_repo_pkg *one = j->rp;
		int rc = mint_apk_cache_fetch(c, &one, 1, p->kr, NULL, err);
		if (!rc && read_one(p, j)) {
			rc = j->rc;
			if (err)
				*err = j->err;
			if (j->lock_entry)
				mint_err_prefix(err, "lock: %s-%s (%s)", j->lock_entry->name,
						j->lock_entry->version,
						j->lock_entry->architecture);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Fetches what the cache lacks, then reads every job, in parallel. */
static int read_all(const struct mint_image_source_opts *o, const struct mint_apk_keyring *kr,
		    struct read_job *jobs, size_t n, struct mint_err *err)
{
	const struct mint_apk_repo_pkg **missing = calloc(n + 1, sizeof(*missing));
	bool *fetched = calloc(n + 1, sizeof(*fetched));
	struct mint_buf path = MINT_BUF_INIT;
	size_t n_missing = 0;
	int rc = 0;
	if (!missing || !fetched) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		/* A record the cache cannot place is left to the fetch to report. */
		if (mint_apk_cache_package_path(o->cache, jobs[i].rp->pkg.identity, &path, NULL) ||
		    stat(mint_buf_cstr(&path), &st)) {
			missing[n_missing++] = jobs[i].rp;
			fetched[i] = true;
		}
	}
	if (!rc && n_missing)
		rc = mint_apk_cache_fetch(o->cache, missing, n_missing, kr, NULL, err);
	if (rc)
		goto out;
	struct read_pool p = { .o = o, .kr = kr, .jobs = jobs, .n = n };
	read_parallel(&p);
	for (size_t i = 0; i < n; i++)
		if (!jobs[i].rc && !fetched[i])
			o->cache->stats.packages_cached++;
	rc = retry_failed(&p, err);
out:
	mint_buf_free(&path);
	free(missing);
	free(fetched);
	return rc;
}

/* A local repository written as a relative path keeps its URL relative
 * in the lock, as apko's locks do, so a lock can be committed. */
static char *lock_url_of(const struct mint_apk_repo_pkg *rp, const char *arch)
{
	const struct mint_apk_repo *r = rp->repo;
	if (!r || !r->local || strstr(r->spec, "://"))
		return strdup(rp->url);
	struct mint_buf b = MINT_BUF_INIT;
	if (mint_buf_printf(&b, "%s/%s/%s", r->spec, arch, base_name(rp->url))) {
		mint_buf_free(&b);
		return NULL;
	}
	return mint_buf_detach(&b, NULL);
}

/* Fills the install records of one arch and queues their reads in jobs. */
static int fill_arch(const struct mint_apk_arch_resolution *res,
		     struct mint_image_arch_packages *out, struct read_job *jobs, size_t *n_jobs,
		     struct mint_err *err)
{
	out->pkgs = calloc(res->n + 1, sizeof(*out->pkgs));
	if (!out->pkgs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < res->n; i++) {
		const struct mint_apk_repo_pkg *rp = res->pkgs[i].pkg;
		struct mint_image_install *ins = &out->pkgs[i];
		out->n++;
		ins->url = strdup(rp->url);
		ins->lock_url = lock_url_of(rp, res->arch);
		ins->tag = rp->repo && rp->repo->tag ? strdup(rp->repo->tag) : NULL;
		if (!ins->url || !ins->lock_url || (rp->repo && rp->repo->tag && !ins->tag))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		jobs[(*n_jobs)++] = (struct read_job){ .rp = rp, .ins = ins };
	}
	return 0;
}

static int read_resolved(const struct mint_image_source_opts *o,
			 const struct mint_apk_resolution *res, struct mint_image_packages *out,
			 struct mint_err *err)
{
	size_t total = 0, n = 0;
	for (size_t a = 0; a < res->n_archs; a++)
		total += res->archs[a].n;
	struct read_job *jobs = calloc(total + 1, sizeof(*jobs));
	if (!jobs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	int rc = 0;
	for (size_t a = 0; !rc && a < res->n_archs; a++)
		rc = fill_arch(&res->archs[a], &out->archs[a], jobs, &n, err);
	if (!rc)
		rc = read_all(o, &out->keyring, jobs, n, err);
	free(jobs);
	return rc;
}

int mint_image_packages_resolve(const struct mint_image_config *cfg,
				const struct mint_image_source_opts *o,
				struct mint_image_packages *out, struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	struct repo_list repos = { 0 };
	struct mint_apk_dep *world = NULL;
	size_t n_world = 0;
	struct mint_apk_resolution res = { 0 };
	const char *archs[MINT_ARCH_COUNT];
	int rc = alloc_archs(cfg, out, err);
	if (!rc)
		rc = read_keys(cfg, out, err);
	if (!rc)
		rc = parse_repos(cfg, &repos, err);
	if (!rc)
		rc = parse_world(cfg, &world, &n_world, err);
	if (rc)
		goto out;
	for (size_t a = 0; a < cfg->n_archs && a < MINT_ARCH_COUNT; a++)
		archs[a] = mint_arch_to_apk(cfg->archs[a]);
	struct mint_apk_resolve_opts ro = {
		.repos = repos.v, .n_repos = repos.n, .archs = archs, .n_archs = cfg->n_archs,
		.cache = o->cache, .keyring = &out->keyring, .repo_flags = o->repo_flags,
	};
	rc = mint_apk_resolve(&ro, world, n_world, &res, err);
	if (rc) {
		out->explanation = res.explanation;
		res.explanation = NULL;
		goto out;
	}
	rc = read_resolved(o, &res, out, err);
out:
	mint_apk_resolution_free(&res);
	mint_apk_deps_free(world, n_world);
	free_repos(&repos);
	return rc;
}

/* A lock URL without a scheme is a path relative to the current
 * directory, as apko writes them for local repositories. */
static int absolute_url(const char *url, struct mint_buf *out, struct mint_err *err)
{
	mint_buf_reset(out);
	if (strstr(url, "://"))
		return mint_buf_puts(out, url) ? mint_err_set(err, MINT_ENOMEM, "out of memory") : 0;
	const char *slash = strrchr(url, '/');
	struct mint_apk_repo dir = { 0 };
	int rc = mint_apk_repo_parse(slash ? (struct mint_span){ url, (size_t)(slash - url) }
					   : mint_span_str("."),
				     &dir, err);
	if (!rc && (mint_buf_puts(out, dir.url) || mint_buf_putc(out, '/') ||
		    mint_buf_puts(out, slash ? slash + 1 : url)))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	mint_apk_repo_free(&dir);
	return rc;
}

/* Index records that carry what the cache checks: identity and URL. */
struct lock_records {
	struct mint_apk_repo_pkg *v;
	char (*identities)[32];
	size_t n;
};

static void free_records(struct lock_records *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].url);
	free(r->v);
	free(r->identities);
}

/* The Q1 identity of a lock entry: its checksum, or for a lock written
 * before apko 0.13, which has none, its control member's SHA-1: the same
 * digest, "sha1-<base64>" being identity "Q1<base64>". */
static int entry_identity(const struct mint_lock_package *e, char out[32], struct mint_err *err)
{
	const char *sha1 = e->control.checksum;
	if (e->checksum[0]) {
		snprintf(out, 32, "%s", e->checksum);
		return 0;
	}
	if (!strncmp(sha1, "sha1-", 5) && strlen(sha1 + 5) == 28) {
		snprintf(out, 32, "Q1%s", sha1 + 5);
		return 0;
	}
	return mint_err_set(err, MINT_EFORMAT,
			    "lock: %s-%s (%s): neither a package checksum nor a SHA-1 of its "
			    "control member to identify it", e->name, e->version, e->architecture);
}

static int lock_records(const struct mint_lock *lock, struct lock_records *r,
			struct mint_err *err)
{
	r->v = calloc(lock->n_packages + 1, sizeof(*r->v));
	r->identities = calloc(lock->n_packages + 1, sizeof(*r->identities));
	if (!r->v || !r->identities)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	struct mint_buf url = MINT_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; !rc && i < lock->n_packages; i++) {
		const struct mint_lock_package *e = &lock->packages[i];
		struct mint_apk_repo_pkg *p = &r->v[i];
		rc = entry_identity(e, r->identities[i], err);
		if (!rc)
			rc = absolute_url(e->url, &url, err);
		if (rc)
			break;
		p->url = strdup(mint_buf_cstr(&url));
		if (!p->url) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			break;
		}
		p->pkg.name = e->name;
		p->pkg.version = e->version;
		p->pkg.arch = e->architecture;
		p->pkg.identity = r->identities[i];
		r->n++;
	}
	mint_buf_free(&url);
	return rc;
}

static int check_lock_config(const struct mint_image_config *cfg, const struct mint_lock *lock,
			     struct mint_err *err)
{
	if (!lock->has_config || !cfg->checksum[0])
		return 0;
	if (strcmp(lock->config_checksum, cfg->checksum))
		return mint_err_set(err, MINT_EINVAL,
				    "the config changed since the lock was written (lock %s, "
				    "config %s): run mint lock again",
				    lock->config_checksum, cfg->checksum);
	return 0;
}

/* Fills the install records of one arch and queues their reads, each also
 * checked against its lock entry. */
static int fill_from_lock(const struct mint_lock *lock, const struct lock_records *recs,
			  struct mint_image_arch_packages *out, struct read_job *jobs,
			  size_t *n_jobs, struct mint_err *err)
{
	const char *arch = mint_arch_to_apk(out->arch);
	size_t n = 0;
	for (size_t i = 0; i < lock->n_packages; i++)
		n += !strcmp(lock->packages[i].architecture, arch);
	if (!n)
		return mint_err_set(err, MINT_ENOTFOUND,
				    "the lock has no packages for %s: lock this arch too", arch);
	out->pkgs = calloc(n, sizeof(*out->pkgs));
	if (!out->pkgs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < lock->n_packages; i++) {
		const struct mint_lock_package *e = &lock->packages[i];
		if (strcmp(e->architecture, arch))
			continue;
		struct mint_image_install *ins = &out->pkgs[out->n++];
		ins->url = strdup(recs->v[i].url);
		ins->lock_url = strdup(e->url);
		if (!ins->url || !ins->lock_url)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		jobs[(*n_jobs)++] = (struct read_job){ .rp = &recs->v[i], .lock_entry = e,
						       .ins = ins };
	}
	return 0;
}

/* A failed read names the lock entry it was for. */
static int read_locked(const struct mint_image_source_opts *o, const struct mint_lock *lock,
		       const struct lock_records *recs, struct mint_image_packages *out,
		       struct mint_err *err)
{
	struct read_job *jobs = calloc(lock->n_packages * out->n_archs + 1, sizeof(*jobs));
	size_t n = 0;
	if (!jobs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	int rc = 0;
	for (size_t a = 0; !rc && a < out->n_archs; a++)
		rc = fill_from_lock(lock, recs, &out->archs[a], jobs, &n, err);
	if (!rc)
		rc = read_all(o, &out->keyring, jobs, n, err);
	free(jobs);
	return rc;
}

int mint_image_packages_from_lock(const struct mint_image_config *cfg,
				  const struct mint_lock *lock,
				  const struct mint_image_source_opts *o,
				  struct mint_image_packages *out, struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	struct lock_records recs = { 0 };
	int rc = check_lock_config(cfg, lock, err);
	if (!rc)
		rc = alloc_archs(cfg, out, err);
	if (!rc)
		rc = read_keys(cfg, out, err);
	if (!rc)
		rc = lock_records(lock, &recs, err);
	if (!rc)
		rc = read_locked(o, lock, &recs, out, err);
	free_records(&recs);
	return rc;
}

void mint_image_packages_free(struct mint_image_packages *p)
{
	if (!p)
		return;
	for (size_t a = 0; a < p->n_archs; a++) {
		for (size_t i = 0; i < p->archs[a].n; i++) {
			struct mint_image_install *ins = &p->archs[a].pkgs[i];
			free(ins->url);
			free(ins->lock_url);
			free(ins->path);
			free(ins->tag);
			mint_apk_package_free(&ins->pkg);
			drop_data_fd(ins);
		}
		free(p->archs[a].pkgs);
	}
	free(p->archs);
	for (size_t i = 0; i < p->n_keys; i++) {
		free(p->keys[i].name);
		mint_buf_free(&p->keys[i].pem);
	}
	free(p->keys);
	mint_apk_keyring_free(&p->keyring);
	free(p->explanation);
	memset(p, 0, sizeof(*p));
}
