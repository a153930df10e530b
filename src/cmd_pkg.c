/* SPDX-License-Identifier: Apache-2.0 */
/* `mint pkg`: melange-style package builds, one cmd_pkg_<name>.c per subcommand. */
#include "cli.h"
#include "cmd_pkg.h"
#include "commands.h"

static const struct cli_command pkg_commands[] = {
	{ "build", cmd_pkg_build, "build the packages of a melange recipe in a sandbox" },
	{ "index", cmd_pkg_index, "write a repository index (APKINDEX.tar.gz) over packages" },
	{ "keygen", cmd_pkg_keygen, "generate an RSA key pair for signing" },
	{ "show", cmd_pkg_show, "print a melange recipe as mint reads it, as JSON" },
	{ "sign", cmd_pkg_sign, "re-sign packages in place" },
	{ "sign-index", cmd_pkg_sign_index, "sign a repository index in place" },
	{ "test", cmd_pkg_test, "run a recipe's test pipelines against its built packages" },
	{ 0 },
};

int cmd_pkg(int argc, char **argv)
{
	return cli_dispatch("mint pkg", pkg_commands,
			    sizeof(pkg_commands) / sizeof(pkg_commands[0]) - 1, argc, argv);
}
