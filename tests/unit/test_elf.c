/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "elfbuild.h"
#include "mint/elf.h"
#include "mint/pkg_sca.h"

static void read_elf(const struct test_elf *spec, struct mint_buf *bytes,
		     struct mint_elf_sonames *out)
{
	struct mint_err err = { 0 };
	build_test_elf(spec, bytes);
	assert_ok(mint_elf_soname(mint_buf_span(bytes), out, &err), &err);
}

static void test_elf_soname_of_elf64_little_endian(void **state)
{
	(void)state;
	const char *names[] = { "libfoo.so.1" };
	struct test_elf spec = { .sonames = names, .n_sonames = 1 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_elf_sonames e;
	struct mint_span s;
	size_t cur = 0;
	read_elf(&spec, &b, &e);
	assert_true(e.is64);
	assert_false(e.big_endian);
	assert_int_equal(e.type, MINT_ELF_ET_DYN);
	assert_int_equal(e.machine, MINT_ELF_EM_X86_64);
	assert_true(mint_elf_soname_next(&e, &cur, &s));
	assert_true(mint_span_eq_str(s, "libfoo.so.1"));
	assert_false(mint_elf_soname_next(&e, &cur, &s));
	mint_buf_free(&b);
}

static void test_elf_soname_of_elf32_big_endian_lists_every_soname(void **state)
{
	(void)state;
	const char *names[] = { "liba.so.1", "libb.so.2" };
	struct test_elf spec = { .is32 = true, .big_endian = true, .machine = 20,
				 .sonames = names, .n_sonames = 2 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_elf_sonames e;
	struct mint_span s;
	size_t cur = 0;
	read_elf(&spec, &b, &e);
	assert_false(e.is64);
	assert_true(e.big_endian);
	assert_int_equal(e.machine, 20);
	assert_true(mint_elf_soname_next(&e, &cur, &s));
	assert_true(mint_span_eq_str(s, "liba.so.1"));
	assert_true(mint_elf_soname_next(&e, &cur, &s));
	assert_true(mint_span_eq_str(s, "libb.so.2"));
	assert_false(mint_elf_soname_next(&e, &cur, &s));
	mint_buf_free(&b);
}

static void test_elf_without_dynamic_section_has_no_soname(void **state)
{
	(void)state;
	struct test_elf spec = { .no_dynamic = true, .type = 2 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_elf_sonames e;
	struct mint_span s;
	size_t cur = 0;
	read_elf(&spec, &b, &e);
	assert_false(e.has_dynamic);
	assert_int_equal(e.type, 2);
	assert_false(mint_elf_soname_next(&e, &cur, &s));
	mint_buf_free(&b);
}

static void test_elf_rejects_bad_magic_and_truncation(void **state)
{
	(void)state;
	struct test_elf spec = { 0 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_elf_sonames e;
	struct mint_err err = { 0 };
	build_test_elf(&spec, &b);
	assert_int_equal(mint_elf_soname(MINT_SPAN(b.data, 10), &e, &err), MINT_ETRUNCATED);
	assert_int_equal(mint_elf_soname(MINT_SPAN(b.data, 40), &e, &err), MINT_ETRUNCATED);
	/* the section headers are at the end: cutting them off is caught */
	assert_int_equal(mint_elf_soname(MINT_SPAN(b.data, b.len - 1), &e, &err), MINT_EFORMAT);
	b.data[1] = 'X';
	assert_int_equal(mint_elf_soname(mint_buf_span(&b), &e, &err), MINT_EFORMAT);
	assert_true(err.has_offset);
	mint_buf_free(&b);
}

static void test_elf_soname_offset_outside_strtab_is_skipped(void **state)
{
	(void)state;
	const char *names[] = { "libx.so" };
	struct test_elf spec = { .sonames = names, .n_sonames = 1 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_elf_sonames e;
	struct mint_span s;
	size_t cur = 0;
	read_elf(&spec, &b, &e);
	/* point the DT_SONAME value past the string table */
	size_t val = (size_t)(e.dynamic.ptr - b.data) + 8;
	b.data[val] = 0x7f;
	assert_false(mint_elf_soname_next(&e, &cur, &s));
	mint_buf_free(&b);
}

static void test_elf_dynamic_link_to_section_zero_is_an_error(void **state)
{
	(void)state;
	const char *names[] = { "libx.so" };
	struct test_elf spec = { .sonames = names, .n_sonames = 1 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_elf_sonames e;
	struct mint_err err = { 0 };
	build_test_elf(&spec, &b);
	/* section headers start 4 * 64 bytes before the end; .dynamic is the third */
	size_t dyn_hdr = b.len - 4 * 64 + 2 * 64;
	memset(b.data + dyn_hdr + 40, 0, 4);
	assert_int_equal(mint_elf_soname(mint_buf_span(&b), &e, &err), MINT_EFORMAT);
	assert_non_null(strstr(err.msg, "string table link"));
	mint_buf_free(&b);
}

static void free_strs(struct mint_image_strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static void test_elf_needed_lists_dt_needed_in_order_without_sonames(void **state)
{
	(void)state;
	const char *needed[] = { "libz.so.1", "libc.musl-x86_64.so.1" };
	const char *names[] = { "libfoo.so.1" };
	struct test_elf spec = { .is32 = true, .big_endian = true, .needed = needed,
				 .n_needed = 2, .sonames = names, .n_sonames = 1 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_image_strs out = { 0 };
	struct mint_err err = { 0 };
	build_test_elf(&spec, &b);
	assert_ok(mint_elf_needed(mint_buf_span(&b), &out, &err), &err);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.v[0], "libz.so.1");
	assert_string_equal(out.v[1], "libc.musl-x86_64.so.1");
	assert_null(out.v[2]);
	free_strs(&out);
	mint_buf_free(&b);
}

static void test_elf_needed_of_non_elf_is_a_format_error(void **state)
{
	(void)state;
	static const char script[] = "#!/bin/sh\necho hello from a script\n";
	struct mint_image_strs out = { 0 };
	struct mint_err err = { 0 };
	assert_int_equal(mint_elf_needed(MINT_SPAN_LIT(script), &out, &err), MINT_EFORMAT);
	assert_int_equal(out.n, 0);
}

static void test_elf_interp_reads_pt_interp_without_its_nul(void **state)
{
	(void)state;
	struct test_elf spec = { .interp = "/lib/ld-musl-x86_64.so.1" };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_span interp;
	struct mint_err err = { 0 };
	build_test_elf(&spec, &b);
	assert_ok(mint_elf_interp(mint_buf_span(&b), &interp, &err), &err);
	assert_true(mint_span_eq_str(interp, "/lib/ld-musl-x86_64.so.1"));
	spec.is32 = true;
	build_test_elf(&spec, &b);
	assert_ok(mint_elf_interp(mint_buf_span(&b), &interp, &err), &err);
	assert_true(mint_span_eq_str(interp, "/lib/ld-musl-x86_64.so.1"));
	mint_buf_free(&b);
}

static void test_elf_interp_is_empty_without_program_headers(void **state)
{
	(void)state;
	struct test_elf spec = { 0 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_span interp = MINT_SPAN_LIT("x");
	struct mint_err err = { 0 };
	build_test_elf(&spec, &b);
	assert_ok(mint_elf_interp(mint_buf_span(&b), &interp, &err), &err);
	assert_int_equal(interp.len, 0);
	mint_buf_free(&b);
}

static void test_elf_interp_past_the_end_is_cut_at_the_end(void **state)
{
	(void)state;
	struct test_elf spec = { .interp = "/lib/ld.so" };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_span interp;
	struct mint_err err = { 0 };
	build_test_elf(&spec, &b);
	/* the program header is the last 56 bytes: make p_filesz huge */
	memset(b.data + b.len - 56 + 32, 0x7f, 8);
	assert_ok(mint_elf_interp(mint_buf_span(&b), &interp, &err), &err);
	assert_true(interp.ptr + interp.len <= b.data + b.len);
	assert_true(mint_span_starts_with(interp, "/lib/ld.so"));
	mint_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_soname_of_elf64_little_endian),
		cmocka_unit_test(test_elf_soname_of_elf32_big_endian_lists_every_soname),
		cmocka_unit_test(test_elf_without_dynamic_section_has_no_soname),
		cmocka_unit_test(test_elf_rejects_bad_magic_and_truncation),
		cmocka_unit_test(test_elf_soname_offset_outside_strtab_is_skipped),
		cmocka_unit_test(test_elf_dynamic_link_to_section_zero_is_an_error),
		cmocka_unit_test(test_elf_needed_lists_dt_needed_in_order_without_sonames),
		cmocka_unit_test(test_elf_needed_of_non_elf_is_a_format_error),
		cmocka_unit_test(test_elf_interp_reads_pt_interp_without_its_nul),
		cmocka_unit_test(test_elf_interp_is_empty_without_program_headers),
		cmocka_unit_test(test_elf_interp_past_the_end_is_cut_at_the_end),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
