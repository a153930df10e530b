/* SPDX-License-Identifier: Apache-2.0 */
/* The `mint pkg` subcommands, one per src/cmd_pkg_<name>.c. */
#ifndef MINT_CMD_PKG_H
#define MINT_CMD_PKG_H

int cmd_pkg_build(int argc, char **argv);
int cmd_pkg_index(int argc, char **argv);
int cmd_pkg_keygen(int argc, char **argv);
int cmd_pkg_show(int argc, char **argv);
int cmd_pkg_sign(int argc, char **argv);
int cmd_pkg_sign_index(int argc, char **argv);
int cmd_pkg_test(int argc, char **argv);

#endif
