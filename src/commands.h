/* SPDX-License-Identifier: Apache-2.0 */
/* Entry points of the subcommands, one per src/cmd_*.c file. */
#ifndef MINT_COMMANDS_H
#define MINT_COMMANDS_H

int cmd_apk(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_build_minirootfs(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_lock(int argc, char **argv);
int cmd_pkg(int argc, char **argv);
int cmd_rebuild(int argc, char **argv);
int cmd_sbom(int argc, char **argv);
int cmd_show_config(int argc, char **argv);
int cmd_show_packages(int argc, char **argv);

#endif
