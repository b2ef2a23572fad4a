// SPDX-License-Identifier: GPL-2.0
/* Registers a device-mapper target: imports from dm-mod.ko. */
#include <linux/device-mapper.h>
#include <linux/module.h>

static int kh_dm_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	ti->error = "kh_dm maps nothing";
	return -EINVAL;
}

static int kh_dm_map(struct dm_target *ti, struct bio *bio)
{
	return DM_MAPIO_KILL;
}

static struct target_type kh_dm_target = {
	.name = "kh_dm",
	.version = { 1, 0, 0 },
	.module = THIS_MODULE,
	.ctr = kh_dm_ctr,
	.map = kh_dm_map,
};

static int __init kh_dm_init(void)
{
	int ret = dm_register_target(&kh_dm_target);

	if (!ret)
		pr_info("kh_dm: registered a device-mapper target\n");
	return ret;
}

static void __exit kh_dm_exit(void)
{
	dm_unregister_target(&kh_dm_target);
}

module_init(kh_dm_init);
module_exit(kh_dm_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kheaders test: a device-mapper target built from the archive");
