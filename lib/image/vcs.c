/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apko's --vcs probe: when a config sets no vcs-url, the git checkout the
 * config lives in (searched from the config's directory up to the current
 * directory, no further) gives "<origin URL>@<HEAD commit>", which becomes
 * the image's source and revision annotations. Git's files are read
 * directly (HEAD, refs, packed-refs, config; worktrees' commondir); no git
 * program is run. URLs lose any user:password, scp-style "host:path"
 * becomes git+ssh://host/path as in apko. Unlike apko, an origin that is a
 * local path is not recorded: it names a directory on one machine.
 */
#include "mint/image_build.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/fs.h"

#define GIT_FILE_MAX (1u << 20)

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The first line of a small file, without its newline; NULL when absent. */
static char *first_line(const char *path)
{
	struct mint_buf b = MINT_BUF_INIT;
	if (mint_file_read(path, GIT_FILE_MAX, &b, NULL)) {
		mint_buf_free(&b);
		return NULL;
	}
	char *s = mint_buf_detach(&b, NULL);
	if (s)
		s[strcspn(s, "\r\n")] = '\0';
	return s;
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s/%s", a, b);
	return s;
}

/* dir/.git as a directory, or the directory a ".git" file points at. */
static char *git_dir_of(const char *dir)
{
	char *dot_git = join(dir, ".git");
	if (!dot_git || is_dir(dot_git))
		return dot_git;
	char *line = first_line(dot_git);
	free(dot_git);
	if (!line || strncmp(line, "gitdir: ", 8)) {
		free(line);
		return NULL;
	}
	char *target = line[8] == '/' ? strdup(line + 8) : join(dir, line + 8);
	free(line);
	return target;
}

/* Where refs and config live: the worktree's commondir, or the git dir. */
static char *common_dir_of(const char *git_dir)
{
	char *path = join(git_dir, "commondir");
	char *line = path ? first_line(path) : NULL;
	free(path);
	if (!line)
		return strdup(git_dir);
	char *common = line[0] == '/' ? strdup(line) : join(git_dir, line);
	free(line);
	return common;
}

static bool is_hash(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return (n == 40 || n == 64) && s[n] == '\0';
}

static char *packed_ref(const char *common, const char *ref)
{
	char *path = join(common, "packed-refs");
	struct mint_buf b = MINT_BUF_INIT;
	char *found = NULL;
	if (path && !mint_file_read(path, 64u << 20, &b, NULL)) {
		char *text = (char *)mint_buf_cstr(&b), *save = NULL;
		for (char *l = strtok_r(text, "\n", &save); l && !found; l = strtok_r(NULL, "\n", &save)) {
			char *sp = strchr(l, ' ');
			if (sp && !strcmp(sp + 1, ref)) {
				*sp = '\0';
				found = is_hash(l) ? strdup(l) : NULL;
			}
		}
	}
	mint_buf_free(&b);
	free(path);
	return found;
}

static char *head_commit(const char *git_dir, const char *common)
{
	char *path = join(git_dir, "HEAD");
	char *head = path ? first_line(path) : NULL;
	free(path);
	if (!head || is_hash(head))
		return head;
	char *commit = NULL;
	if (!strncmp(head, "ref: ", 5) && !strstr(head, "..")) {
		char *ref_path = join(common, head + 5);
		commit = ref_path ? first_line(ref_path) : NULL;
		free(ref_path);
		if (commit && !is_hash(commit)) {
			free(commit);
			commit = NULL;
		}
		if (!commit)
			commit = packed_ref(common, head + 5);
	}
	free(head);
	return commit;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* url = ... in [remote "origin"] of the config file. */
static char *origin_url(const char *common)
{
	char *path = join(common, "config");
	struct mint_buf b = MINT_BUF_INIT;
	char *url = NULL;
	bool in_origin = false;
	if (path && !mint_file_read(path, GIT_FILE_MAX, &b, NULL)) {
		char *save = NULL;
		for (char *l = strtok_r((char *)mint_buf_cstr(&b), "\n", &save); l && !url;
		     l = strtok_r(NULL, "\n", &save)) {
			l = trim(l);
			if (l[0] == '[') {
				in_origin = !strcmp(l, "[remote \"origin\"]");
			} else if (in_origin && !strncmp(l, "url", 3)) {
				char *eq = strchr(l, '=');
				if (eq && !strcmp(trim(strndupa(l, (size_t)(eq - l))), "url"))
					url = strdup(trim(eq + 1));
			}
		}
	}
	mint_buf_free(&b);
	free(path);
	return url;
}

/* apko's normalisation; NULL for a local path. */
static char *normalise(const char *url, struct mint_buf *out)
{
	const char *scheme_end = strstr(url, "://");
	const char *colon = strchr(url, ':');
	const char *first_slash = strchr(url, '/');
	if (!scheme_end && colon && (!first_slash || colon < first_slash)) {
		/* scp-like user@host:path */
		const char *at = strchr(url, '@');
		const char *host = at && at < colon ? at + 1 : url;
		if (mint_buf_printf(out, "git+ssh://%.*s/%s", (int)(colon - host), host, colon + 1))
			return NULL;
		return (char *)mint_buf_cstr(out);
	}
	if (!scheme_end)
		return NULL;
	const char *authority = scheme_end + 3;
	const char *slash = strchr(authority, '/');
	const char *at = strchr(authority, '@');
	if (at && (!slash || at < slash))
		authority = at + 1;
	if (mint_buf_printf(out, "%.*s://%s", (int)(scheme_end - url), url, authority))
		return NULL;
	return (char *)mint_buf_cstr(out);
}

static char *parent_of(const char *dir)
{
	const char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return strdup("/");
	return strndup(dir, (size_t)(slash - dir));
}

static char *find_git_dir(const char *config_path, const char *top)
{
	char *start = realpath(config_path, NULL);
	if (!start)
		return NULL;
	char *dir = is_dir(start) ? strdup(start) : parent_of(start);
	free(start);
	while (dir && !strncmp(dir, top, strlen(top))) {
		char *git = git_dir_of(dir);
		if (git && is_dir(git)) {
			free(dir);
			return git;
		}
		free(git);
		if (!strcmp(dir, top) || !strcmp(dir, "/"))
			break;
		char *up = parent_of(dir);
		free(dir);
		dir = up;
	}
	free(dir);
	return NULL;
}

int mint_image_vcs_probe(const char *config_path, struct mint_buf *out, struct mint_err *err)
{
	mint_buf_reset(out);
	char *top = getcwd(NULL, 0);
	char *git = top ? find_git_dir(config_path, top) : NULL;
	char *common = git ? common_dir_of(git) : NULL;
	char *url = common ? origin_url(common) : NULL;
	char *commit = url ? head_commit(git, common) : NULL;
	struct mint_buf norm = MINT_BUF_INIT;
	int rc = 0;
	if (url && commit && normalise(url, &norm) &&
	    mint_buf_printf(out, "%s@%s", mint_buf_cstr(&norm), commit))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	mint_buf_free(&norm);
	free(commit);
	free(url);
	free(common);
	free(git);
	free(top);
	return rc;
}
