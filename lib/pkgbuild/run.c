/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Running expanded steps in order: downloads on the host, shell in the
 * sandbox. A step that exits non-zero stops the build with an error that
 * names the step, where it was written and its command; the last lines of
 * its output go to the result for the CLI to show.
 */
#include <stdlib.h>
#include <string.h>

#include "build_internal.h"
#include "mint/path.h"

/* The first non-empty line of a script, cut to fit a message. */
static void first_line(const char *script, char *out, size_t cap)
{
	while (*script == '\n' || *script == ' ' || *script == '\t')
		script++;
	size_t n = strcspn(script, "\n");
	bool more = script[n] != '\0' && script[n + 1 + strspn(script + n + 1, " \t\n")] != '\0';
	if (n > cap - 5)
		n = cap - 5, more = true;
	memcpy(out, script, n);
	strcpy(out + n, more ? " ..." : "");
}

/* A working directory may be anywhere in the guest, but ".." never leads
 * out of the workspace it was written relative to. */
static int check_workdir(const struct mint_build_step *s, struct mint_err *err)
{
	struct mint_buf clean = { 0 };
	int rc = mint_path_clean(mint_span_str(s->working_directory), true, &clean, NULL);
	mint_buf_free(&clean);
	if (rc)
		return mint_err_set(err, MINT_EUNSAFE,
				    "%s: working-directory %s escapes the workspace", s->origin,
				    s->working_directory);
	return 0;
}

static int run_one(struct pkg_job *j, const struct mint_build_step *s, struct mint_err *err)
{
	struct mint_sandbox_result r = { 0 };
	char cmd[160];
	pkg_log(j, "step %s (%s)", s->name, s->origin);
	int rc = check_workdir(s, err);
	if (rc)
		return rc;
	rc = mint_sandbox_run(&j->sandbox, s->script, s->working_directory, &s->environment,
				  &r, err);
	if (rc)
		return rc;
	if (!r.exit_status)
		return 0;
	memcpy(j->res->tail, r.tail, sizeof(j->res->tail));
	j->res->tail[sizeof(j->res->tail) - 1] = '\0';
	first_line(s->script, cmd, sizeof(cmd));
	return mint_err_set(err, MINT_EIO, "%s: step '%s' failed with exit status %d: %s",
			    s->origin, s->name, r.exit_status, cmd);
}

int pkg_run_steps(struct pkg_job *j, const struct mint_build_steps *steps, struct mint_err *err)
{
	for (size_t i = 0; i < steps->n; i++) {
		const struct mint_build_step *s = &steps->v[i];
		int rc = s->kind == MINT_BUILD_STEP_FETCH ? pkg_fetch(j, s, err) : run_one(j, s, err);
		if (rc)
			return rc;
	}
	return 0;
}
