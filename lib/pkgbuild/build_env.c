/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mint_build_env_create: the guest root a build step runs in, made the way
 * melange makes it with apko. The recipe's environment (an image config)
 * is resolved for the one architecture being built, assembled by mint's
 * image engine into the same plan an image layer is written from, written
 * as an uncompressed tar (the build-minirootfs bytes) into a temporary
 * file beside dir, and unpacked into dir with mint_tar_extract, which drops
 * owners and device nodes. /home/build is made for the workspace bind.
 *
 * On failure dir is removed again, so a retry starts from nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/buf.h"
#include "mint/oci_layer.h"
#include "mint/sandbox.h"

static int read_fd(void *ctx, void *buf, size_t cap, size_t *got, struct mint_err *err)
{
	int fd = *(int *)ctx;
	ssize_t n;
	do
		n = read(fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return mint_err_set(err, MINT_EIO, "reading the rootfs tar: %s", strerror(errno));
	*got = (size_t)n;
	return 0;
}

/* The rootfs of cfg for arch alone, written as a tar to tar_path. */
static int write_rootfs_tar(const struct mint_image_config *cfg, enum mint_arch arch,
			    const struct mint_image_source_opts *o, const char *tar_path,
			    struct mint_err *err)
{
	struct mint_image_config one = *cfg;
	struct mint_image_packages pkgs = { 0 };
	struct mint_image_rootfs_opts ropts = { 0 };
	struct mint_image_rootfs r = { 0 };
	struct mint_oci_layer *l = NULL;
	struct mint_oci_layer_info info;
	bool have_rootfs = false;
	one.archs = &arch;
	one.n_archs = 1;
	int rc = mint_image_packages_resolve(&one, o, &pkgs, err);
	if (!rc)
		rc = mint_image_rootfs_build(&one, &pkgs, 0, &ropts, &r, err);
	have_rootfs = !rc;
	if (!rc)
		rc = mint_oci_layer_new_plain(&l, tar_path, err);
	if (!rc)
		rc = mint_image_plan_write_layer(r.plan, l, &r.reader, err);
	if (!rc)
		rc = mint_oci_layer_finish(l, &info, err);
	mint_oci_layer_free(l);
	if (have_rootfs)
		mint_image_rootfs_free(&r);
	mint_image_packages_free(&pkgs);
	return rc;
}

static int extract_file(const char *tar_path, const char *dir, struct mint_err *err)
{
	int fd = open(tar_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mint_err_set(err, MINT_EIO, "%s: cannot open: %s", tar_path, strerror(errno));
	struct mint_source src = { read_fd, &fd };
	int rc = mint_tar_extract(src, dir, err);
	if (rc)
		mint_err_prefix(err, "unpacking the build environment");
	close(fd);
	return rc;
}

/* One directory below fd, made when missing, not through a symlink;
 * returns its fd (fd itself is closed) or a MINT_E* code. */
static int step_into(int fd, const char *dir, const char *name, struct mint_err *err)
{
	int rc = 0;
	if (mkdirat(fd, name, 0755) < 0 && errno != EEXIST)
		rc = mint_err_set(err, MINT_EIO, "%s: cannot make %s: %s", dir, name,
				  strerror(errno));
	int next = rc ? -1 : openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (!rc && next < 0)
		rc = mint_err_set(err, errno == ELOOP || errno == ENOTDIR ? MINT_EUNSAFE : MINT_EIO,
				  "%s: %s in the build environment: %s", dir, name,
				  strerror(errno));
	close(fd);
	return rc ? rc : next;
}

/* dir/home/build as a directory, for the workspace bind. */
static int make_workspace_mount_point(const char *dir, struct mint_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return mint_err_set(err, MINT_EIO, "%s: cannot open: %s", dir, strerror(errno));
	fd = step_into(fd, dir, "home", err);
	if (fd >= 0)
		fd = step_into(fd, dir, "build", err);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

int mint_build_env_create(const struct mint_image_config *cfg, enum mint_arch arch,
			  const struct mint_image_source_opts *o, const char *dir,
			  struct mint_err *err)
{
	struct mint_buf tar_path = MINT_BUF_INIT;
	if (mkdir(dir, 0755) < 0)
		return mint_err_set(err, errno == EEXIST ? MINT_EINVAL : MINT_EIO,
				    "%s: cannot make the build environment: %s", dir,
				    strerror(errno));
	int rc = mint_buf_printf(&tar_path, "%s.rootfs.tar", dir) ?
		mint_err_set(err, MINT_ENOMEM, "out of memory") : 0;
	if (!rc)
		rc = write_rootfs_tar(cfg, arch, o, tar_path.data, err);
	if (!rc)
		rc = extract_file(tar_path.data, dir, err);
	if (!rc)
		rc = make_workspace_mount_point(dir, err);
	if (tar_path.len)
		unlink(tar_path.data);
	if (rc)
		mint_remove_tree(dir, NULL);
	mint_buf_free(&tar_path);
	return rc;
}
