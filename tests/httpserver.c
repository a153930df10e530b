/* SPDX-License-Identifier: Apache-2.0 */
/* Starting, commanding and stopping tests/http_server.py (see httpserver.h). */
#include "httpserver.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

extern char **environ;

#define ANSWER_TIMEOUT_MS 10000

/* One line from fd into buf, waiting at most ANSWER_TIMEOUT_MS in all. */
static int read_line(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long spent = (now.tv_sec - start.tv_sec) * 1000 +
			     (now.tv_nsec - start.tv_nsec) / 1000000;
		if (spent >= ANSWER_TIMEOUT_MS)
			return -1;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, (int)(ANSWER_TIMEOUT_MS - spent));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		char c;
		ssize_t n = read(fd, &c, 1);
		if (n <= 0)
			return -1;
		if (c == '\n')
			break;
		if (len + 1 < cap)
			buf[len++] = c;
	}
	buf[len] = '\0';
	return 0;
}

void test_server_start(struct test_server *s, const char *root, const char *cert,
		       const char *key)
{
	const char *script = getenv("MINT_HTTP_SERVER");
	const char *python = getenv("MINT_PYTHON");
	assert_non_null(script);
	if (!python || !*python)
		python = "python3";
	memset(s, 0, sizeof(*s));
	signal(SIGPIPE, SIG_IGN);
	int to_server[2], from_server[2];
	assert_int_equal(pipe2(to_server, O_CLOEXEC), 0);
	assert_int_equal(pipe2(from_server, O_CLOEXEC), 0);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, to_server[0], 0);
	posix_spawn_file_actions_adddup2(&fa, from_server[1], 1);
	char *argv[] = { (char *)python, (char *)script, (char *)root, "--tls", (char *)cert,
			 (char *)key, NULL };
	if (!cert)
		argv[3] = NULL;
	int rc = posix_spawnp(&s->pid, python, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(to_server[0]);
	close(from_server[1]);
	assert_int_equal(rc, 0);
	s->cmd_fd = to_server[1];
	s->answer_fd = from_server[0];
	char line[64];
	if (read_line(s->answer_fd, line, sizeof(line)) || sscanf(line, "port %u", &s->port) != 1) {
		test_server_stop(s);
		fail_msg("the test HTTP server did not start");
	}
	snprintf(s->url, sizeof(s->url), "%s://127.0.0.1:%u", cert ? "https" : "http", s->port);
}

const char *test_server_cmd(struct test_server *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	assert_true(len > 0 && len < (int)sizeof(line) - 1);
	line[len++] = '\n';
	assert_int_equal(write(s->cmd_fd, line, (size_t)len), len);
	if (read_line(s->answer_fd, s->answer, sizeof(s->answer)))
		fail_msg("no answer from the test HTTP server to: %.*s", len - 1, line);
	if (!strncmp(s->answer, "error", 5))
		fail_msg("test HTTP server: %s (command: %.*s)", s->answer, len - 1, line);
	return s->answer;
}

long test_server_count(struct test_server *s, const char *path)
{
	return atol(test_server_cmd(s, "count %s", path));
}

long test_server_count304(struct test_server *s, const char *path)
{
	return atol(test_server_cmd(s, "count304 %s", path));
}

void test_server_stop(struct test_server *s)
{
	if (s->pid <= 0)
		return;
	if (s->cmd_fd > 0) {
		(void)!write(s->cmd_fd, "quit\n", 5);
		close(s->cmd_fd);
	}
	if (s->answer_fd > 0)
		close(s->answer_fd);
	s->cmd_fd = s->answer_fd = -1;
	int status;
	for (int i = 0; i < 100; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			return;
		}
		usleep(20000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
	s->pid = 0;
}
