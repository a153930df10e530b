/* SPDX-License-Identifier: Apache-2.0 */
/*
 * From packages to an OCI image: each architecture's rootfs becomes one
 * layer, its config and its manifest (architectures build in parallel, one
 * thread each; the compressor has its own threads), then the image index
 * over them and index.json pointing at the index. What the config holds
 * follows apko (entrypoint and cmd split like a shell, Env sorted with
 * PATH and SSL_CERT_FILE defaults, annotations as labels and on every
 * manifest, created time per arch and the latest on the index).
 */
#include "mint/image_build.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/oci_layer.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin"
#define DEFAULT_CERTS "/etc/ssl/certs/ca-certificates.crt"

struct arch_job {
	const struct mint_image_build_opts *o;
	size_t index;
	struct mint_oci_descriptor manifest;
	struct mint_oci_platform platform;
	int64_t created;
	int rc;
	struct mint_err err;
};

/* Owned strings of a config under construction. */
struct words {
	struct mint_image_strs entrypoint, cmd, env;
	struct mint_oci_kv *annotations;
	size_t n_annotations;
	char created[MINT_OCI_TIME_MAX];
	char *vcs_source, *vcs_revision;
};

static void free_strs(struct mint_image_strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void free_words(struct words *w)
{
	free_strs(&w->entrypoint);
	free_strs(&w->cmd);
	free_strs(&w->env);
	free(w->annotations);
	free(w->vcs_source);
	free(w->vcs_revision);
}

static int str_order(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int kv_order(const void *a, const void *b)
{
	return strcmp(((const struct mint_oci_kv *)a)->key, ((const struct mint_oci_kv *)b)->key);
}

static const char *env_get(const struct mint_image_kvs *env, const char *key)
{
	for (size_t i = 0; i < env->n; i++)
		if (!strcmp(env->v[i].key, key))
			return env->v[i].value;
	return NULL;
}

static int add_env(struct mint_image_strs *out, const char *k, const char *v)
{
	size_t len = strlen(k) + strlen(v) + 2;
	char *s = malloc(len);
	if (!s)
		return MINT_ENOMEM;
	snprintf(s, len, "%s=%s", k, v);
	out->v[out->n++] = s;
	return 0;
}

static int environment(const struct mint_image_config *cfg, struct mint_image_strs *out,
		       struct mint_err *err)
{
	const struct mint_image_kvs *env = &cfg->environment;
	out->v = calloc(env->n + 3, sizeof(*out->v));
	if (!out->v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	int rc = 0;
	for (size_t i = 0; !rc && i < env->n; i++)
		rc = add_env(out, env->v[i].key, env->v[i].value);
	if (!rc && !env_get(env, "PATH"))
		rc = add_env(out, "PATH", DEFAULT_PATH);
	if (!rc && !env_get(env, "SSL_CERT_FILE"))
		rc = add_env(out, "SSL_CERT_FILE", DEFAULT_CERTS);
	if (rc)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	qsort(out->v, out->n, sizeof(*out->v), str_order);
	return 0;
}

static int commands(const struct mint_image_config *cfg, struct words *w, struct mint_err *err)
{
	const struct mint_image_entrypoint *e = &cfg->entrypoint;
	int rc = 0;
	if (e->shell_fragment && e->shell_fragment[0]) {
		w->entrypoint.v = calloc(4, sizeof(char *));
		if (!w->entrypoint.v)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		const char *words[] = { "/bin/sh", "-c", e->shell_fragment };
		for (size_t i = 0; i < 3; i++)
			if (!(w->entrypoint.v[w->entrypoint.n++] = strdup(words[i])))
				return mint_err_set(err, MINT_ENOMEM, "out of memory");
	} else if (e->command && e->command[0]) {
		rc = mint_shell_split(e->command, &w->entrypoint, err);
		if (rc)
			return mint_err_prefix(err, "entrypoint.command"), rc;
	}
	if (cfg->cmd && cfg->cmd[0]) {
		rc = mint_shell_split(cfg->cmd, &w->cmd, err);
		if (rc)
			mint_err_prefix(err, "cmd");
	}
	return rc;
}

static bool has_key(const struct mint_oci_kv *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].key, key))
			return true;
	return false;
}

/* Sets key in v[0..n) (replacing its value) and returns the new count. */
static size_t set_kv(struct mint_oci_kv *v, size_t n, const char *key, const char *value)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(v[i].key, key)) {
			v[i].value = value;
			return n;
		}
	}
	v[n] = (struct mint_oci_kv){ key, value };
	return n + 1;
}

/* The config's annotations, the vcs-url's source and revision ("url@commit"),
 * and the created time; sorted. */
static int annotations(const struct mint_image_config *cfg, const char *created, struct words *w,
		       struct mint_err *err)
{
	const struct mint_image_kvs *a = &cfg->annotations;
	w->annotations = calloc(a->n + 3, sizeof(*w->annotations));
	if (!w->annotations)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	struct mint_oci_kv *v = w->annotations;
	size_t n = 0;
	for (size_t i = 0; i < a->n; i++)
		v[n++] = (struct mint_oci_kv){ a->v[i].key, a->v[i].value };
	/* apko splits at the first '@' and its values replace configured ones */
	const char *at = cfg->vcs_url ? strchr(cfg->vcs_url, '@') : NULL;
	if (at) {
		w->vcs_source = strndup(cfg->vcs_url, (size_t)(at - cfg->vcs_url));
		w->vcs_revision = strdup(at + 1);
		if (!w->vcs_source || !w->vcs_revision)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		n = set_kv(v, n, "org.opencontainers.image.source", w->vcs_source);
		n = set_kv(v, n, "org.opencontainers.image.revision", w->vcs_revision);
	}
	if (created && !has_key(v, n, MINT_OCI_ANNOTATION_CREATED))
		v[n++] = (struct mint_oci_kv){ MINT_OCI_ANNOTATION_CREATED, created };
	qsort(v, n, sizeof(*v), kv_order);
	w->n_annotations = n;
	return 0;
}

static const char *annotation(const struct words *w, const char *key)
{
	for (size_t i = 0; i < w->n_annotations; i++)
		if (!strcmp(w->annotations[i].key, key))
			return w->annotations[i].value;
	return NULL;
}

static int image_config(const struct mint_image_config *cfg, const struct arch_job *j,
			const struct mint_oci_layer_info *layer, struct words *w,
			struct mint_oci_descriptor *out, struct mint_err *err)
{
	const char *title = annotation(w, "org.opencontainers.image.title");
	const char *vendor = annotation(w, "org.opencontainers.image.vendor");
	char comment[512];
	if (title && vendor)
		snprintf(comment, sizeof(comment), "%s by %s", title, vendor);
	else
		snprintf(comment, sizeof(comment), "This is a mint single-layer image");
	struct mint_oci_history h = { .author = "mint", .created = w->created,
				      .created_by = "mint", .comment = comment };
	const char *diff_id = layer->diff_id;
	struct mint_oci_image_config c = {
		.architecture = j->platform.architecture, .author = "mint", .created = w->created,
		.history = &h, .n_history = 1, .os = "linux", .diff_ids = &diff_id, .n_diff_ids = 1,
		.cmd = (const char *const *)w->cmd.v, .n_cmd = w->cmd.n,
		.entrypoint = (const char *const *)w->entrypoint.v, .n_entrypoint = w->entrypoint.n,
		.env = (const char *const *)w->env.v, .n_env = w->env.n,
		.labels = w->annotations, .n_labels = w->n_annotations,
		.user = cfg->accounts.run_as, .working_dir = cfg->work_dir,
		.volumes = (const char *const *)cfg->volumes.v, .n_volumes = cfg->volumes.n,
		.stop_signal = cfg->stop_signal, .variant = j->platform.variant,
	};
	return mint_oci_layout_put_config(j->o->layout_dir, &c, out, err);
}

static int write_layer(const struct arch_job *j, const struct mint_image_rootfs *r,
		       struct mint_oci_layer_info *info, struct mint_err *err)
{
	struct mint_oci_layer *l = NULL;
	int rc = mint_oci_layer_new(&l, j->o->layout_dir, j->o->threads, j->o->level ? j->o->level : 6,
				    err);
	if (!rc)
		rc = mint_image_plan_write_layer(r->plan, l, &r->reader, err);
	if (!rc)
		rc = mint_oci_layer_finish(l, info, err);
	mint_oci_layer_free(l);
	return rc;
}

static int image_documents(struct arch_job *j, const struct mint_oci_layer_info *layer,
			   struct mint_err *err)
{
	const struct mint_image_config *cfg = j->o->cfg;
	struct words w = { 0 };
	struct mint_oci_manifest m = { .layers = &layer->desc, .n_layers = 1 };
	int rc = mint_oci_time(j->created, w.created, err);
	if (!rc)
		rc = environment(cfg, &w.env, err);
	if (!rc)
		rc = commands(cfg, &w, err);
	if (!rc)
		rc = annotations(cfg, w.created, &w, err);
	if (!rc)
		rc = image_config(cfg, j, layer, &w, &m.config, err);
	if (!rc) {
		m.annotations = w.annotations;
		m.n_annotations = w.n_annotations;
		rc = mint_oci_layout_put_manifest(j->o->layout_dir, &m, &j->manifest, err);
	}
	free_words(&w);
	return rc;
}

static void *build_arch(void *arg)
{
	struct arch_job *j = arg;
	const struct mint_image_build_opts *o = j->o;
	struct mint_image_rootfs r;
	struct mint_oci_layer_info layer;
	j->rc = mint_image_rootfs_build(o->cfg, o->packages, j->index, &o->rootfs, &r, &j->err);
	if (j->rc)
		return NULL;
	j->created = r.created;
	j->rc = write_layer(j, &r, &layer, &j->err);
	mint_image_rootfs_free(&r);
	if (!j->rc)
		j->rc = image_documents(j, &layer, &j->err);
	if (j->rc)
		mint_err_prefix(&j->err, "%s", mint_arch_to_apk(o->packages->archs[j->index].arch));
	return NULL;
}

static int run_jobs(struct arch_job *jobs, size_t n, struct mint_err *err)
{
	pthread_t *threads = calloc(n, sizeof(*threads));
	bool *started = calloc(n, sizeof(*started));
	if (!threads || !started) {
		free(threads);
		free(started);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		started[i] = n > 1 && !pthread_create(&threads[i], NULL, build_arch, &jobs[i]);
	for (size_t i = 0; i < n; i++) {
		if (started[i])
			pthread_join(threads[i], NULL);
		else
			build_arch(&jobs[i]);
	}
	free(threads);
	free(started);
	for (size_t i = 0; i < n; i++) {
		if (jobs[i].rc) {
			if (err)
				*err = jobs[i].err;
			return jobs[i].rc;
		}
	}
	return 0;
}

int mint_image_write_index(const char *layout_dir, const struct mint_image_config *cfg,
			   const struct mint_oci_descriptor *manifests, const enum mint_arch *archs,
			   size_t n, int64_t created, const char *ref_name,
			   struct mint_oci_descriptor *out, struct mint_err *err)
{
	struct words w = { 0 };
	struct mint_oci_descriptor *m = calloc(n + 1, sizeof(*m));
	struct mint_oci_platform *platforms = calloc(n + 1, sizeof(*platforms));
	struct mint_buf json = MINT_BUF_INIT;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (!m || !platforms) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		platforms[i].os = "linux";
		mint_arch_oci_platform(archs[i], &platforms[i].architecture, &platforms[i].variant);
		m[i] = manifests[i];
		m[i].platform = &platforms[i];
		m[i].artifact_type = MINT_OCI_MEDIA_CONFIG;
	}
	rc = mint_oci_time(created, w.created, err);
	if (!rc)
		rc = annotations(cfg, w.created, &w, err);
	struct mint_oci_index ix = { m, n, w.annotations, w.n_annotations };
	if (!rc)
		rc = mint_oci_index_json(&ix, &json, err);
	if (!rc)
		rc = mint_oci_layout_put_blob(layout_dir, MINT_OCI_MEDIA_INDEX, json.data, json.len,
					      out, err);
	struct mint_oci_kv ref = { MINT_OCI_ANNOTATION_REF_NAME, ref_name };
	if (!rc && ref_name) {
		out->annotations = &ref;
		out->n_annotations = 1;
	}
	struct mint_oci_index top = { out, 1, NULL, 0 };
	if (!rc)
		rc = mint_oci_layout_write_index(layout_dir, &top, err);
	out->annotations = NULL;
	out->n_annotations = 0;
out:
	mint_buf_free(&json);
	free_words(&w);
	free(platforms);
	free(m);
	return rc;
}

static int write_index(const struct mint_image_build_opts *o, struct arch_job *jobs, size_t n,
		       struct mint_image_build_result *out, struct mint_err *err)
{
	struct mint_oci_descriptor *m = calloc(n + 1, sizeof(*m));
	enum mint_arch *archs = calloc(n + 1, sizeof(*archs));
	if (!m || !archs) {
		free(m);
		free(archs);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	out->created = jobs[0].created;
	for (size_t i = 0; i < n; i++) {
		m[i] = jobs[i].manifest;
		archs[i] = o->packages->archs[i].arch;
		if (jobs[i].created > out->created)
			out->created = jobs[i].created;
	}
	int rc = mint_image_write_index(o->layout_dir, o->cfg, m, archs, n, out->created,
					o->ref_name, &out->index, err);
	free(archs);
	if (!rc) {
		out->manifests = m;
		out->n_manifests = n;
	} else {
		free(m);
	}
	return rc;
}

int mint_image_build(const struct mint_image_build_opts *o, struct mint_image_build_result *out,
		     struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	size_t n = o->packages->n_archs;
	if (!n)
		return mint_err_set(err, MINT_EINVAL, "nothing to build: no architectures");
	int rc = mint_oci_layout_init(o->layout_dir, err);
	if (rc)
		return rc;
	struct arch_job *jobs = calloc(n, sizeof(*jobs));
	if (!jobs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		jobs[i].o = o;
		jobs[i].index = i;
		jobs[i].platform.os = "linux";
		mint_arch_oci_platform(o->packages->archs[i].arch, &jobs[i].platform.architecture,
				       &jobs[i].platform.variant);
	}
	rc = run_jobs(jobs, n, err);
	if (!rc)
		rc = write_index(o, jobs, n, out, err);
	free(jobs);
	return rc;
}

void mint_image_build_result_free(struct mint_image_build_result *r)
{
	if (!r)
		return;
	free(r->manifests);
	memset(r, 0, sizeof(*r));
}
