/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for cmocka tests: where fixtures live, reading test files, and
 * asserting on libmint errors with their text in the failure message.
 */
#ifndef MINT_TESTUTIL_H
#define MINT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mint/buf.h"
#include "mint/err.h"

/* malloc'd path to an upstream fixture, or NULL when the fixtures directory
 * ($MINT_FIXTURES) is absent; tests then call skip(). */
char *fixture_path(const char *rel);
/* Like fixture_path, but calls cmocka's skip() (and returns NULL) when absent. */
char *fixture_or_skip(const char *rel);
/* The exit code for a test program: cmocka's result, or 77 (meson's
 * "skipped") when it passed only because fixtures were absent. */
int tests_exit(int cmocka_rc);
/* malloc'd path to a file under tests/data ($MINT_TESTDATA). */
char *testdata_path(const char *rel);
/* Reads a whole file; fails the test when it cannot. */
void read_file_or_fail(const char *path, struct mint_buf *out);
/* A fresh temporary directory (removed by cleanup_tmpdir). */
char *make_tmpdir(void);
void cleanup_tmpdir(char *dir);

/* Fails the test with the formatted error when rc != 0. */
#define assert_ok(rc, err) assert_ok_at((rc), (err), __FILE__, __LINE__)
void assert_ok_at(int rc, const struct mint_err *err, const char *file, int line);

#endif
