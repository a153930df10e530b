/* SPDX-License-Identifier: Apache-2.0 */
/* lib/image/accounts_config.c: users, groups and run-as. */
#include "image_config_fixture.h"

static void test_accounts_users_and_groups_decode(void **state)
{
	(void)state;
	struct mint_image_config cfg;
	cfg_ok("accounts:\n  run-as: nonroot\n  users:\n"
	       "    - {username: nonroot, uid: 65532, gid: 0, shell: /bin/ash, homedir: /h}\n"
	       "    - {username: other, uid: 1000}\n  groups:\n"
	       "    - {groupname: nonroot, gid: 65532, members: [nonroot, other]}\n",
	       &cfg);
	const struct mint_image_accounts *a = &cfg.accounts;
	assert_string_equal(a->run_as, "nonroot");
	assert_int_equal(a->n_users, 2);
	assert_int_equal(a->users[0].uid, 65532);
	assert_true(a->users[0].has_gid);
	assert_int_equal(a->users[0].gid, 0);
	assert_false(a->users[1].has_gid);
	assert_null(a->users[1].shell);
	assert_int_equal(a->n_groups, 1);
	assert_int_equal(a->groups[0].members.n, 2);
	char *json = cfg_json(&cfg);
	assert_non_null(strstr(json, "\"accounts\":{\"run-as\":\"nonroot\",\"users\":[{\"username\":"
				     "\"nonroot\",\"uid\":65532,\"gid\":0,\"shell\":\"/bin/ash\","
				     "\"homedir\":\"/h\"},{\"username\":\"other\",\"uid\":1000}],"
				     "\"groups\":[{\"groupname\":\"nonroot\",\"gid\":65532,"
				     "\"members\":[\"nonroot\",\"other\"]}]}"));
	free(json);
	mint_image_config_free(&cfg);
}

static void test_accounts_user_needs_name_and_nonzero_uid(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("accounts:\n  users:\n    - uid: 5\n"),
			    "image.yaml:3:7: 'accounts.users[0]' has no username");
	assert_string_equal(cfg_error("accounts:\n  users:\n    - {username: r, uid: 0}\n"),
			    "image.yaml:3:7: user 'r' ('accounts.users[0]') has uid 0 or none: give "
			    "it a uid above 0 (to run as root, use `run-as: 0`)");
}

static void test_accounts_group_needs_name(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("accounts:\n  groups:\n    - gid: 5\n"),
			    "image.yaml:3:7: 'accounts.groups[0]' has no groupname");
}

static void test_accounts_run_as_name_uid_or_pair(void **state)
{
	(void)state;
	struct mint_image_config cfg;
	static const char *const ok[] = { "accounts: {run-as: '0'}\n",
					  "accounts: {run-as: 65532}\n",
					  "accounts: {run-as: 'app:app'}\n" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cfg_ok(ok[i], &cfg);
		mint_image_config_free(&cfg);
	}
	assert_string_equal(cfg_error("accounts:\n  run-as: 'my user'\n"),
			    "image.yaml:2:11: 'accounts.run-as' must be a user name or uid, "
			    "optionally followed by ':group', without blanks: got 'my user'");
	assert_non_null(strstr(cfg_error("accounts: {run-as: 'a:'}\n"), "got 'a:'"));
	assert_non_null(strstr(cfg_error("accounts: {run-as: 'a:b:c'}\n"), "got 'a:b:c'"));
}

static void test_accounts_unknown_user_field(void **state)
{
	(void)state;
	assert_string_equal(cfg_error("accounts:\n  users:\n    - {username: a, uid: 1, homdir: /h}\n"),
			    "image.yaml:3:29: unknown field 'homdir' in 'accounts.users[0]' (known "
			    "fields: username, uid, gid, shell, homedir); did you mean 'homedir'?");
}

static void test_accounts_merge_puts_included_users_first(void **state)
{
	(void)state;
	struct mint_image_config inc, top;
	cfg_ok("accounts:\n  run-as: inc\n  users: [{username: i, uid: 1}]\n"
	       "  groups: [{groupname: g, gid: 3, members: [i]}]\n",
	       &inc);
	cfg_ok("accounts:\n  run-as: top\n  users: [{username: t, uid: 2}]\n", &top);
	assert_int_equal(mint_image_config_merge_into(&inc, &top, NULL), 0);
	assert_string_equal(top.accounts.run_as, "top");
	assert_int_equal(top.accounts.n_users, 2);
	assert_string_equal(top.accounts.users[0].username, "i");
	assert_string_equal(top.accounts.users[1].username, "t");
	assert_int_equal(top.accounts.n_groups, 1);
	assert_string_equal(top.accounts.groups[0].members.v[0], "i");
	mint_image_config_free(&inc);
	mint_image_config_free(&top);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accounts_users_and_groups_decode),
		cmocka_unit_test(test_accounts_user_needs_name_and_nonzero_uid),
		cmocka_unit_test(test_accounts_group_needs_name),
		cmocka_unit_test(test_accounts_run_as_name_uid_or_pair),
		cmocka_unit_test(test_accounts_unknown_user_field),
		cmocka_unit_test(test_accounts_merge_puts_included_users_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
