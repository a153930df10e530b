/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bubblewrap runner: one build step is one bwrap process, started with
 * an argv built here (no shell between mint and bwrap), its stdin on
 * /dev/null and its stdout and stderr merged into one pipe that is read
 * line by line into the caller's log function and a tail kept for errors.
 * docs/sandbox.md lists the flags and what they isolate.
 *
 * The script is not quoted: it is one argv element, the text of a
 * `/bin/sh -c` wrapper that sets -e and umask 022, makes and enters the
 * working directory (that one path is quoted for the shell) and runs the
 * script's lines as written. Whether bwrap could be started at all is told
 * apart from the step's own failure by a close-on-exec pipe: the child
 * writes errno into it only when exec fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mint/buf.h"
#include "mint/sandbox.h"

#define GUEST_WORKSPACE "/home/build"
#define LINE_MAX_BYTES 65536

struct argv_list {
	char **v;
	size_t n, cap;
};

static int argv_add(struct argv_list *a, const char *s)
{
	if (a->n + 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		char **v = realloc(a->v, cap * sizeof(*v));
		if (!v)
			return MINT_ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
	return 0;
}

static int argv_add_all(struct argv_list *a, const char *const *words)
{
	int rc = 0;
	for (; !rc && *words; words++)
		rc = argv_add(a, *words);
	return rc;
}

/* Adds '--setenv K V' for each variable. */
static int argv_add_env(struct argv_list *a, const struct mint_image_kvs *env)
{
	int rc = 0;
	for (size_t i = 0; env && !rc && i < env->n; i++) {
		rc = argv_add(a, "--setenv");
		if (!rc)
			rc = argv_add(a, env->v[i].key);
		if (!rc)
			rc = argv_add(a, env->v[i].value);
	}
	return rc;
}

/* The root: the guest's own, or the host's read-only. The host's /home is
 * replaced by an empty tmpfs: the bind needs a mount point there that a
 * read-only / cannot grow, and the host's homes stay out of sight. */
static int argv_add_root(struct argv_list *a, const struct mint_sandbox *sb)
{
	if (sb->runner == MINT_RUNNER_BWRAP) {
		const char *w[] = { "--bind", sb->rootfs, "/", NULL };
		return argv_add_all(a, w);
	}
	const char *w[] = { "--ro-bind", "/", "/", "--tmpfs", "/home", NULL };
	return argv_add_all(a, w);
}

static int build_argv(const struct mint_sandbox *sb, const struct mint_image_kvs *env,
		      const char *wrapped, struct argv_list *a)
{
	static const char *const isolation[] = {
		"--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
		"--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", NULL,
	};
	static const char *const lifetime[] = {
		"--die-with-parent", "--new-session", "--clearenv", NULL,
	};
	int rc = argv_add(a, sb->bwrap ? sb->bwrap : "bwrap");
	if (!rc)
		rc = argv_add_root(a, sb);
	if (!rc) {
		const char *w[] = { "--bind", sb->workspace, GUEST_WORKSPACE, NULL };
		rc = argv_add_all(a, w);
	}
	if (!rc)
		rc = argv_add_all(a, isolation);
	if (!rc && !sb->network)
		rc = argv_add(a, "--unshare-net");
	if (!rc)
		rc = argv_add_all(a, lifetime);
	if (!rc)
		rc = argv_add_env(a, &sb->env);
	if (!rc)
		rc = argv_add_env(a, env);
	if (!rc) {
		const char *w[] = { "--chdir", GUEST_WORKSPACE, "/bin/sh", "-c", wrapped, NULL };
		rc = argv_add_all(a, w);
	}
	return rc;
}

/* 'text' for the shell, a ' inside written as '\''. */
static int shell_quote(struct mint_buf *out, const char *text)
{
	int rc = mint_buf_putc(out, '\'');
	for (const char *p = text; !rc && *p; p++)
		rc = *p == '\'' ? mint_buf_puts(out, "'\\''") : mint_buf_putc(out, *p);
	return rc ? rc : mint_buf_putc(out, '\'');
}

/* Lines, not "; ", around the script: a script whose last line is a
 * comment must not swallow the exit. */
static int wrap_script(const char *script, const char *workdir, struct mint_buf *out)
{
	int rc = mint_buf_puts(out, "set -e\numask 022\n[ -d ");
	if (!rc)
		rc = shell_quote(out, workdir);
	if (!rc)
		rc = mint_buf_puts(out, " ] || mkdir -p ");
	if (!rc)
		rc = shell_quote(out, workdir);
	if (!rc)
		rc = mint_buf_puts(out, "\ncd ");
	if (!rc)
		rc = shell_quote(out, workdir);
	if (!rc)
		rc = mint_buf_printf(out, "\n%s\nexit 0\n", script);
	return rc;
}

/* ---- output: lines to the log, the last bytes to the tail ---- */

struct output {
	const struct mint_sandbox *sb;
	struct mint_buf line;
	char *tail;          /* MINT_SANDBOX_TAIL bytes, NUL-terminated */
	size_t tail_len;
};

static void tail_add(struct output *o, const char *p, size_t n)
{
	size_t cap = MINT_SANDBOX_TAIL - 1;
	if (n >= cap) {
		memcpy(o->tail, p + n - cap, cap);
		o->tail_len = cap;
	} else {
		if (o->tail_len + n > cap) {
			size_t drop = o->tail_len + n - cap;
			memmove(o->tail, o->tail + drop, o->tail_len - drop);
			o->tail_len -= drop;
		}
		memcpy(o->tail + o->tail_len, p, n);
		o->tail_len += n;
	}
	o->tail[o->tail_len] = '\0';
}

static void emit_line(struct output *o)
{
	if (o->sb->log)
		o->sb->log(o->sb->log_ctx, mint_buf_cstr(&o->line), o->line.len);
	mint_buf_reset(&o->line);
}

static int output_add(struct output *o, const char *p, size_t n)
{
	tail_add(o, p, n);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			emit_line(o);
			continue;
		}
		if (mint_buf_putc(&o->line, p[i]))
			return MINT_ENOMEM;
		if (o->line.len >= LINE_MAX_BYTES)
			emit_line(o);
	}
	return 0;
}

/* The tail starts at a line: a cut first line is dropped when a whole
 * one follows it. */
static void output_finish(struct output *o, char *tail)
{
	if (o->line.len)
		emit_line(o);
	const char *start = o->tail;
	if (o->tail_len == MINT_SANDBOX_TAIL - 1) {
		const char *nl = memchr(o->tail, '\n', o->tail_len);
		if (nl && (size_t)(nl + 1 - o->tail) < o->tail_len)
			start = nl + 1;
	}
	memmove(tail, start, o->tail_len - (size_t)(start - o->tail) + 1);
}

static int read_output(int fd, struct output *o, struct mint_err *err)
{
	char buf[8192];
	for (;;) {
		ssize_t got = read(fd, buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return mint_err_set(err, MINT_EIO, "reading the step's output: %s",
					    strerror(errno));
		if (got == 0)
			return 0;
		if (output_add(o, buf, (size_t)got))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
}

/* ---- the process ---- */

/* In the child between fork and exec: only async-signal-safe calls. */
static void child_exec(char **argv, int out_fd, int status_fd)
{
	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int e = 0;
	if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
		e = errno;
	if (!e) {
		/* descriptors the caller left inheritable stay out of the sandbox */
		close_range(3, ~0u, CLOSE_RANGE_CLOEXEC);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		e = errno;
	}
	ssize_t w = write(status_fd, &e, sizeof(e));
	(void)w;
	_exit(127);
}

static int wait_child(pid_t pid, int *status, struct mint_err *err)
{
	int ws;
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR)
			return mint_err_set(err, MINT_EIO, "waiting for bwrap: %s", strerror(errno));
	}
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : 255;
	return 0;
}

/* Whether exec failed: the errno the child sent, or 0 once exec closed the
 * pipe. */
static int exec_errno(int status_fd)
{
	int e = 0;
	ssize_t got;
	do
		got = read(status_fd, &e, sizeof(e));
	while (got < 0 && errno == EINTR);
	return got == (ssize_t)sizeof(e) ? e : 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Runs argv; output through o; *status as for mint_sandbox_result. */
static int spawn(char **argv, struct output *o, int *status, struct mint_err *err)
{
	int out_pipe[2] = { -1, -1 }, status_pipe[2] = { -1, -1 };
	int rc = 0;
	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(status_pipe, O_CLOEXEC) < 0) {
		rc = mint_err_set(err, MINT_EIO, "cannot make a pipe: %s", strerror(errno));
		goto out;
	}
	pid_t pid = fork();
	if (pid < 0) {
		rc = mint_err_set(err, MINT_EIO, "cannot fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child_exec(argv, out_pipe[1], status_pipe[1]);
	close_fd(&out_pipe[1]);
	close_fd(&status_pipe[1]);
	int read_rc = read_output(out_pipe[0], o, err);
	int e = exec_errno(status_pipe[0]);
	rc = wait_child(pid, status, err);
	if (!rc && e)
		rc = mint_err_set(err, MINT_EIO, "cannot run %s: %s", argv[0], strerror(e));
	if (!rc)
		rc = read_rc;
out:
	close_fd(&out_pipe[0]);
	close_fd(&out_pipe[1]);
	close_fd(&status_pipe[0]);
	close_fd(&status_pipe[1]);
	return rc;
}

static bool env_complete(const struct mint_image_kvs *env)
{
	for (size_t i = 0; env && i < env->n; i++)
		if (!env->v[i].key || !*env->v[i].key || !env->v[i].value)
			return false;
	return true;
}

static int check_sandbox(const struct mint_sandbox *sb, const char *script, const char *workdir,
			 const struct mint_image_kvs *env, struct mint_err *err)
{
	if (sb->runner != MINT_RUNNER_BWRAP && sb->runner != MINT_RUNNER_HOST)
		return mint_err_set(err, MINT_EINVAL, "unknown runner %d", (int)sb->runner);
	if (sb->runner == MINT_RUNNER_BWRAP && !sb->rootfs)
		return mint_err_set(err, MINT_EINVAL, "the bubblewrap runner needs a guest root");
	if (!sb->workspace || !script || !workdir || !*workdir)
		return mint_err_set(err, MINT_EINVAL,
				    "a step needs a workspace, a script and a working directory");
	if (!env_complete(&sb->env) || !env_complete(env))
		return mint_err_set(err, MINT_EINVAL, "an environment variable without a name or value");
	return 0;
}

int mint_sandbox_run(const struct mint_sandbox *sb, const char *script, const char *workdir,
		     const struct mint_image_kvs *env, struct mint_sandbox_result *res,
		     struct mint_err *err)
{
	struct mint_buf wrapped = MINT_BUF_INIT;
	struct argv_list argv = { 0 };
	struct output o = { .sb = sb, .tail = res->tail };
	res->exit_status = -1;
	res->tail[0] = '\0';
	int rc = check_sandbox(sb, script, workdir, env, err);
	if (!rc && (wrap_script(script, workdir, &wrapped) ||
		    build_argv(sb, env, mint_buf_cstr(&wrapped), &argv)))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc)
		rc = spawn(argv.v, &o, &res->exit_status, err);
	if (!rc)
		output_finish(&o, res->tail);
	mint_buf_free(&o.line);
	mint_buf_free(&wrapped);
	free(argv.v);
	return rc;
}

/* Starts the smallest sandbox with every namespace mint asks for; what
 * bwrap printed is the reason when that fails. */
bool mint_sandbox_available(const char *bwrap, struct mint_err *err)
{
	const char *argv[] = {
		bwrap ? bwrap : "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
		"--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
		"--unshare-net", "--die-with-parent", "--new-session", "--clearenv", "true", NULL,
	};
	struct mint_sandbox sb = { .runner = MINT_RUNNER_HOST };
	char tail[MINT_SANDBOX_TAIL] = "";
	struct output o = { .sb = &sb, .tail = tail };
	int status = -1;
	int rc = spawn((char **)argv, &o, &status, err);
	output_finish(&o, tail);
	mint_buf_free(&o.line);
	if (rc)
		return false;
	if (status != 0) {
		size_t len = strlen(tail);
		while (len && tail[len - 1] == '\n')
			tail[--len] = '\0';
		mint_err_set(err, MINT_EUNSUPPORTED, "%s cannot make namespaces here (exit %d): %s",
			     argv[0], status, tail);
		return false;
	}
	return true;
}
