/* SPDX-License-Identifier: Apache-2.0 */
/* `mint pkg`: melange-style package builds, one cmd_pkg_<name>.c per subcommand. */
#include "cli.h"
#include "cmd_pkg.h"
#include "commands.h"

static const struct cli_command pkg_commands[] = {
	{ "index", cmd_pkg_index, "write a repository index (APKINDEX.tar.gz) over packages" },
	{ "keygen", cmd_pkg_keygen, "generate an RSA key pair for signing" },
	{ "sign", cmd_pkg_sign, "re-sign packages in place" },
	{ "sign-index", cmd_pkg_sign_index, "sign a repository index in place" },
	{ 0 },
};

int cmd_pkg(int argc, char **argv)
{
	return cli_dispatch("mint pkg", pkg_commands,
			    sizeof(pkg_commands) / sizeof(pkg_commands[0]) - 1, argc, argv);
}
