/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The character devices apko puts in every image (InitDB, then
 * installCharDevices for any that went missing). apko creates them before
 * the packages, while dev still has mtime 0, so they carry mtime 0 even
 * when a package later declares dev with another time.
 */
#include "mint/image_rootfs.h"

#include "rootfs_internal.h"

struct device {
	const char *path;
	uint32_t major, minor, mode;
};

static const struct device devices[] = {
	{ "dev/zero", 1, 5, 0666 },
	{ "dev/urandom", 1, 9, 0666 },
	{ "dev/null", 1, 3, 0666 },
	{ "dev/random", 1, 8, 0666 },
	{ "dev/console", 5, 1, 0620 },
};

int mint_image_rootfs_devices(struct mint_image_plan *p, struct mint_err *err)
{
	if (!p)
		return mint_err_set(err, MINT_EINVAL, "devices: no plan");
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		const struct device *d = &devices[i];
		const struct mint_plan_node *n;
		/* apko checks with Stat: anything there, through symlinks, counts */
		if (!mint_image_plan_resolve(p, d->path, &n, NULL))
			continue;
		int rc = rootfs_mkdir_all(p, "dev", 0755, 0, err);
		if (!rc && mint_image_plan_lookup(p, d->path))
			rc = mint_err_set(err, MINT_EDUPLICATE,
					  "creating character device %s: a dangling symlink "
					  "is there", d->path);
		if (!rc)
			rc = mint_image_plan_put_device(p, d->path, MINT_TAR_CHAR, d->major,
							d->minor, d->mode, 0, 0, 0, err);
		if (rc)
			return rc;
	}
	return 0;
}
