/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark: whole image builds with a warm cache, beside what it costs just
 * to compress the same root file system from disk.
 *
 * For apko's example config (when the upstream fixtures are there; x86_64
 * only) and for two synthetic images of SIZE MB and SIZE/10 MB of file
 * content (SIZE from argv[1] or MINT_BENCH_IMAGE_MB, default 500; packages
 * of ~10 MB with 200 files each), each in a fresh temporary directory:
 *   1. a local repository is made (bench/synth_repo.c: signed index, key
 *      made at run time) and a config naming all of its packages; a first
 *      resolve fills the package cache;
 *   2. the rootfs is written as a plain tar (build-minirootfs) and unpacked
 *      with tar -x; dev/ entries are left out (device nodes need root), so
 *      the baseline tree lacks a handful of empty entries the layer has;
 *   3. RUNS rounds of: one build, what `mint build CONFIG TAG LAYOUT-DIR`
 *      does through the library (load the config, resolve and verify the
 *      packages from the cache, rootfs, layer, config, manifest, index; the
 *      blobs written and fsynced) into an emptied layout; then
 *      `tar -cf - -C ROOTFS . | gzip -6 > /dev/null` and the same with
 *      `pigz -6` (all CPUs), from the page cache as the build is.
 * Every sample runs in a child process after a sync(), so its peak RSS
 * (wait4's ru_maxrss) is its own and not the largest of the whole run.
 * Figures are medians; the ratio is baseline time / mint time (above 1:
 * mint's whole build is faster than the baseline's compression alone).
 * CPU seconds (user + system of the median run, a pipeline's processes
 * together) are printed too: on a shared machine they move less than wall
 * time does.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mint/image_build.h"
#include "mint/oci_layer.h"
#include "synth.h"
#include "synth_repo.h"

#define RUNS 3
#define PACKAGE_MB 10
#define FILES_PER_PACKAGE 200
#define DEFAULT_MB 500

struct sample {
	double seconds;
	double cpu_seconds; /* user + system, waited-for children included */
	long rss_kb;
};

enum job_kind {
	JOB_IMAGE,      /* mint build into a layout */
	JOB_ROOTFS_TAR, /* mint build-minirootfs */
	JOB_FETCH,      /* only resolve and fill the cache */
};

/* What a child does. */
struct build_job {
	enum job_kind kind;
	const char *config;     /* as the config names its files, relative to cwd */
	const char *cwd;        /* NULL: stay */
	const char *arch;       /* NULL: the config's */
	const char *cache_dir;
	const char *out;        /* layout dir, or the rootfs tar */
	const char *tmpdir;     /* package data while building */
};

static void fail(const char *what, const struct mint_err *err)
{
	char text[2048];
	mint_err_format(err, text, sizeof(text));
	fprintf(stderr, "bench_image: %s: %s\n", what, text);
}

static int load_config(const struct build_job *j, struct mint_image_config *cfg,
		       struct mint_err *err)
{
	const char *archs[] = { j->arch };
	int rc = mint_image_config_load(j->config, NULL, cfg, err);
	if (!rc && j->arch)
		rc = mint_image_config_set_archs(cfg, archs, 1, err);
	if (!rc && !cfg->n_archs)
		rc = mint_image_config_default_archs(cfg, err);
	if (!rc)
		rc = mint_image_config_apply_defaults(cfg, err);
	if (!rc)
		rc = mint_image_config_validate(cfg, err);
	return rc;
}

static int write_rootfs_tar(const struct mint_image_config *cfg,
			    const struct mint_image_packages *pkgs, const struct build_job *j,
			    struct mint_err *err)
{
	struct mint_image_rootfs r;
	struct mint_oci_layer *l = NULL;
	struct mint_oci_layer_info info;
	struct mint_image_rootfs_opts o = { .tmpdir = j->tmpdir };
	int rc = mint_image_rootfs_build(cfg, pkgs, 0, &o, &r, err);
	if (rc)
		return rc;
	rc = mint_oci_layer_new_plain(&l, j->out, err);
	if (!rc)
		rc = mint_image_plan_write_layer(r.plan, l, &r.reader, err);
	if (!rc)
		rc = mint_oci_layer_finish(l, &info, err);
	mint_oci_layer_free(l);
	mint_image_rootfs_free(&r);
	return rc;
}

static int write_image(const struct mint_image_config *cfg, const struct mint_image_packages *pkgs,
		       const struct build_job *j, struct mint_err *err)
{
	struct mint_image_build_result res = { 0 };
	struct mint_image_build_opts o = {
		.cfg = cfg, .packages = pkgs, .layout_dir = j->out, .ref_name = "bench",
		.rootfs = { .tmpdir = j->tmpdir }, .threads = 0,
	};
	int rc = mint_image_build(&o, &res, err);
	mint_image_build_result_free(&res);
	return rc;
}

/* The body of a child: what `mint build` (or build-minirootfs) does. */
static int run_build(const struct build_job *j)
{
	struct mint_err err = { 0 };
	struct mint_image_config cfg = { 0 };
	struct mint_apk_cache cache;
	struct mint_image_packages pkgs = { 0 };
	bool cache_open = false;
	if (j->cwd && chdir(j->cwd)) {
		perror(j->cwd);
		return 1;
	}
	int rc = load_config(j, &cfg, &err);
	if (!rc)
		cache_open = !(rc = mint_apk_cache_open(&cache, j->cache_dir, &err));
	/* as mint build and build-minirootfs: data streams kept while read */
	struct mint_image_source_opts so = { .cache = &cache, .keep_data = j->kind != JOB_FETCH,
					     .tmpdir = j->tmpdir };
	if (!rc)
		rc = mint_image_packages_resolve(&cfg, &so, &pkgs, &err);
	if (!rc && j->kind == JOB_ROOTFS_TAR)
		rc = write_rootfs_tar(&cfg, &pkgs, j, &err);
	else if (!rc && j->kind == JOB_IMAGE)
		rc = write_image(&cfg, &pkgs, j, &err);
	if (rc)
		fail(j->config, &err);
	mint_image_packages_free(&pkgs);
	if (cache_open)
		mint_apk_cache_close(&cache);
	mint_image_config_free(&cfg);
	return rc ? 1 : 0;
}

/* Waits for pid; its wall time since t0 and its peak RSS (and that of any
 * child it waited for, as the kernel accounts a shell pipeline). */
static int wait_sample(pid_t pid, double t0, struct sample *s)
{
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	s->seconds = bench_now_seconds() - t0;
	s->cpu_seconds = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
			 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	s->rss_kb = ru.ru_maxrss;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Every sample starts with nothing left to write back from earlier steps. */
static int child_build(const struct build_job *j, struct sample *s)
{
	sync();
	fflush(NULL);
	double t0 = bench_now_seconds();
	pid_t pid = fork();
	if (pid == 0)
		_exit(run_build(j));
	return pid < 0 ? -1 : wait_sample(pid, t0, s);
}

static int child_shell(const char *cmd, struct sample *s)
{
	sync();
	fflush(NULL);
	double t0 = bench_now_seconds();
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid < 0 ? -1 : wait_sample(pid, t0, s);
}

static int make_writable(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)f;
	if (type == FTW_D)
		chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	(void)f;
	remove(path);
	return 0;
}

/* rm -rf, also through directories an image made read-only (proc 0555). */
static void remove_tree(const char *dir)
{
	nftw(dir, make_writable, 32, FTW_PHYS);
	nftw(dir, remove_one, 32, FTW_PHYS | FTW_DEPTH);
}

static int by_seconds(const void *a, const void *b)
{
	double x = ((const struct sample *)a)->seconds, y = ((const struct sample *)b)->seconds;
	return (x > y) - (x < y);
}

/* The median run (by wall time, with its CPU time) and the highest RSS of
 * RUNS samples. */
static struct sample summarize(struct sample *s)
{
	qsort(s, RUNS, sizeof(*s), by_seconds);
	struct sample out = s[RUNS / 2];
	for (int i = 0; i < RUNS; i++)
		if (s[i].rss_kb > out.rss_kb)
			out.rss_kb = s[i].rss_kb;
	return out;
}

static char *path_in(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *p = malloc(len);
	if (!p) {
		fprintf(stderr, "bench_image: out of memory\n");
		exit(1);
	}
	snprintf(p, len, "%s/%s", dir, name);
	return p;
}

/* One image: where its config is and what its repository holds. */
struct image_case {
	const char *label;
	const char *config;
	const char *cwd;
	const char *arch;
	const char *work;       /* scratch directory, removed after */
	const char *detail;     /* printed under the figures, or NULL */
};

struct case_result {
	struct sample mint, gzip, pigz;
	bool has_pigz;
};

/* The rootfs as a plain tar, unpacked without dev/ nodes. */
static int unpack_rootfs(const struct build_job *image_job, const char *work, char **rootfs_dir)
{
	struct build_job j = *image_job;
	struct sample s;
	char *tar = path_in(work, "rootfs.tar"), *dir = path_in(work, "rootfs");
	j.out = tar;
	j.kind = JOB_ROOTFS_TAR;
	size_t len = strlen(tar) + strlen(dir) + 128;
	char *cmd = malloc(len);
	int rc = cmd && mkdir(dir, 0755) == 0 && child_build(&j, &s) == 0 ? 0 : -1;
	if (!rc) {
		snprintf(cmd, len,
			 "tar -xf '%s' -C '%s' --no-same-owner --anchored --exclude='dev/*'", tar,
			 dir);
		rc = child_shell(cmd, &s);
	}
	unlink(tar);
	free(tar);
	free(cmd);
	*rootfs_dir = dir;
	return rc;
}

/* RUNS rounds of mint, gzip and pigz in turn, so that a neighbour's load
 * on a shared machine falls on all three alike. */
static int timed_rounds(const struct build_job *j, const char *rootfs, struct case_result *r)
{
	struct sample mint[RUNS], gzip[RUNS], pigz[RUNS];
	char gzip_cmd[4200], pigz_cmd[4200];
	snprintf(gzip_cmd, sizeof(gzip_cmd), "tar -cf - -C '%s' . | gzip -6 > /dev/null", rootfs);
	snprintf(pigz_cmd, sizeof(pigz_cmd), "tar -cf - -C '%s' . | pigz -6 > /dev/null", rootfs);
	r->has_pigz = system("command -v pigz >/dev/null 2>&1") == 0;
	for (int i = 0; i < RUNS; i++) {
		remove_tree(j->out);
		if (child_build(j, &mint[i]) || child_shell(gzip_cmd, &gzip[i]) ||
		    (r->has_pigz && child_shell(pigz_cmd, &pigz[i])))
			return -1;
	}
	r->mint = summarize(mint);
	r->gzip = summarize(gzip);
	if (r->has_pigz)
		r->pigz = summarize(pigz);
	return 0;
}

static void print_case(const struct image_case *c, const struct case_result *r, double fetch)
{
	printf("%s: mint build %.2f s (RSS %.0f MB), tar|gzip -6 %.2f s (ratio %.2fx)", c->label,
	       r->mint.seconds, (double)r->mint.rss_kb / 1024.0, r->gzip.seconds,
	       r->gzip.seconds / r->mint.seconds);
	if (r->has_pigz)
		printf(", tar|pigz -6 %.2f s (ratio %.2fx)", r->pigz.seconds,
		       r->pigz.seconds / r->mint.seconds);
	else
		printf(", tar|pigz -6 not run (pigz not installed: scripts/deps.sh)");
	printf("\n  CPU s: mint %.2f, tar|gzip %.2f", r->mint.cpu_seconds, r->gzip.cpu_seconds);
	if (r->has_pigz)
		printf(", tar|pigz %.2f", r->pigz.cpu_seconds);
	printf("; baselines' peak RSS: gzip %.0f MB", (double)r->gzip.rss_kb / 1024.0);
	if (r->has_pigz)
		printf(", pigz %.0f MB", (double)r->pigz.rss_kb / 1024.0);
	printf("; cache filled in %.2f s\n", fetch);
	if (c->detail)
		printf("  %s\n", c->detail);
}

static int run_case(const struct image_case *c, struct case_result *r)
{
	char *cache = path_in(c->work, "cache"), *layout = path_in(c->work, "layout");
	char *rootfs = NULL;
	struct build_job j = { .kind = JOB_FETCH, .config = c->config, .cwd = c->cwd,
			       .arch = c->arch, .cache_dir = cache, .out = layout,
			       .tmpdir = c->work };
	struct sample fetch;
	int rc = child_build(&j, &fetch);
	j.kind = JOB_IMAGE;
	if (!rc)
		rc = unpack_rootfs(&j, c->work, &rootfs);
	if (!rc)
		rc = timed_rounds(&j, rootfs, r);
	if (!rc)
		print_case(c, r, fetch.seconds);
	remove_tree(c->work);
	free(cache);
	free(layout);
	free(rootfs);
	return rc;
}

/* apko's own example: internal/cli/testdata/apko.yaml, x86_64 only so the
 * baseline compresses the same single tree. */
static int example_case(const char *root)
{
	const char *fixtures = getenv("MINT_FIXTURES");
	if (!fixtures || !fixtures[0])
		fixtures = MINT_BENCH_FIXTURES;
	char *cli = path_in(fixtures, "apko/internal/cli");
	char *config = path_in(cli, "testdata/apko.yaml");
	struct stat st;
	int rc = 0;
	if (stat(config, &st)) {
		printf("image example: skipped, no apko fixtures at %s (set MINT_FIXTURES)\n",
		       fixtures);
	} else {
		char *work = path_in(root, "example");
		struct case_result r;
		struct image_case c = { .label = "image example (apko testdata, x86_64)",
					.config = "testdata/apko.yaml", .cwd = cli,
					.arch = "x86_64", .work = work };
		rc = mkdir(work, 0755) ? -1 : run_case(&c, &r);
		free(work);
	}
	free(cli);
	free(config);
	return rc;
}

/* Makes the repository in a child, so the parent stays small: its RSS is
 * where every later child's starts. The figures come back through a shared
 * page. */
static int synth_in_child(const char *work, const struct synth_repo_spec *spec,
			  struct synth_repo_stats *stats, double *seconds)
{
	struct sample s = { 0, 0, 0 };
	struct synth_repo_stats *shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
					       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return -1;
	fflush(NULL);
	double t0 = bench_now_seconds();
	pid_t pid = fork();
	if (pid == 0) {
		struct mint_err err = { 0 };
		if (synth_repo_write(work, spec, shared, &err)) {
			fail("synthetic repository", &err);
			_exit(1);
		}
		_exit(0);
	}
	int rc = pid < 0 ? -1 : wait_sample(pid, t0, &s);
	*stats = *shared;
	*seconds = s.seconds;
	munmap(shared, sizeof(*shared));
	return rc;
}

static int synthetic_case(const char *root, unsigned mb, struct case_result *r)
{
	char name[64], label[64], detail[256];
	snprintf(name, sizeof(name), "synth-%u", mb);
	snprintf(label, sizeof(label), "image %u MB", mb);
	char *work = path_in(root, name), *config = path_in(work, "image.yaml");
	struct synth_repo_spec spec = { .content_bytes = (uint64_t)mb * 1000000u,
					.n_packages = mb / PACKAGE_MB ? mb / PACKAGE_MB : 1,
					.files_per_package = FILES_PER_PACKAGE, .seed = 1 };
	struct synth_repo_stats st;
	double made = 0;
	int rc = mkdir(work, 0755) ? -1 : synth_in_child(work, &spec, &st, &made);
	if (!rc) {
		snprintf(detail, sizeof(detail),
			 "synthetic: %u packages, %u entries, %.0f MB of file content in %.0f MB "
			 "of .apk files (made in %.1f s)",
			 spec.n_packages, st.entries, (double)st.content_bytes / 1e6,
			 (double)st.apk_bytes / 1e6, made);
		struct image_case c = { .label = label, .config = config, .work = work,
					.detail = detail };
		rc = run_case(&c, r);
	}
	free(work);
	free(config);
	return rc;
}

static unsigned size_mb(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : getenv("MINT_BENCH_IMAGE_MB");
	char *end;
	unsigned long v = s && *s ? strtoul(s, &end, 10) : DEFAULT_MB;
	if (s && *s && (*end || v < 10 || v > 100000)) {
		fprintf(stderr, "usage: bench_image [SIZE_MB]   (10..100000, default %u)\n",
			DEFAULT_MB);
		exit(2);
	}
	return (unsigned)v;
}

int main(int argc, char **argv)
{
	unsigned mb = size_mb(argc, argv);
	const char *tmp = getenv("TMPDIR");
	char *root = path_in(tmp && tmp[0] ? tmp : "/tmp", "mint-bench-image-XXXXXX");
	if (!mkdtemp(root)) {
		perror(root);
		return 1;
	}
	double load[1] = { 0 };
	getloadavg(load, 1);
	printf("image builds, warm cache, median of %d, %ld CPUs (load average %.2f at the "
	       "start); ratio = baseline / mint\n",
	       RUNS, sysconf(_SC_NPROCESSORS_ONLN), load[0]);
	struct case_result small, big;
	int rc = example_case(root);
	if (!rc)
		rc = synthetic_case(root, mb / 10, &small);
	if (!rc)
		rc = synthetic_case(root, mb, &big);
	if (!rc) {
		printf("peak RSS: %u MB image %.0f MB, %u MB image %.0f MB (%.2fx for %ux the "
		       "data)\n",
		       mb / 10, (double)small.mint.rss_kb / 1024.0, mb,
		       (double)big.mint.rss_kb / 1024.0,
		       (double)big.mint.rss_kb / (double)small.mint.rss_kb, mb / (mb / 10));
		if (big.has_pigz)
			printf("target (mint build no slower than tar|pigz -6 alone): %s\n",
			       big.mint.seconds <= big.pigz.seconds ? "met" : "NOT met");
		getloadavg(load, 1);
		printf("load average at the end %.2f\n", load[0]);
	}
	remove_tree(root);
	free(root);
	if (rc)
		fprintf(stderr, "bench_image: failed\n");
	return rc ? 1 : 0;
}
