/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-only control of tests/http_server.py: a real HTTP(S) server on
 * 127.0.0.1 that serves a directory and injects faults on command. The
 * server reads its commands from a pipe and exits when the pipe closes, so
 * it cannot outlive the test; test_server_stop also ends it by its PID.
 */
#ifndef MINT_TEST_HTTPSERVER_H
#define MINT_TEST_HTTPSERVER_H

#include <sys/types.h>

struct test_server {
	pid_t pid;
	int cmd_fd;     /* the server's stdin */
	int answer_fd;  /* the server's stdout */
	unsigned port;
	char url[64];   /* "http://127.0.0.1:PORT" (https with TLS) */
	char answer[256];
};

/* Starts a server for root (HTTPS when cert and key are given); fails the
 * test when it does not report its port within 10 seconds. */
void test_server_start(struct test_server *s, const char *root, const char *cert,
		       const char *key);
/* Sends one command line and returns the answer; fails the test on an
 * "error" answer or when none comes within 10 seconds. */
const char *test_server_cmd(struct test_server *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The number of requests (or 304 answers) the server saw for path. */
long test_server_count(struct test_server *s, const char *path);
long test_server_count304(struct test_server *s, const char *path);
void test_server_stop(struct test_server *s);

#endif
