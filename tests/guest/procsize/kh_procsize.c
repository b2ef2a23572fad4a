// SPDX-License-Identifier: GPL-2.0
/*
 * The size of a /proc file whose inode was made before proc_set_size():
 * as kheaders_init() does, create the entry, then set its size, with a
 * lookup in between, which a reader could make at that moment.  stat()
 * must report the size that was set.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/proc_fs.h>
#include <linux/stat.h>

#define KH_PROCSIZE 4242

static const struct proc_ops kh_procsize_ops = {
	.proc_lseek	= default_llseek,
};

static int __init kh_procsize_init(void)
{
	struct proc_dir_entry *pde;
	struct kstat stat;
	struct path path;
	int ret;

	pde = proc_create("kh_procsize", 0444, NULL, &kh_procsize_ops);
	if (!pde)
		return -ENOMEM;
	ret = kern_path("/proc/kh_procsize", LOOKUP_FOLLOW, &path);
	if (ret)
		goto out;
	proc_set_size(pde, KH_PROCSIZE);
	ret = vfs_getattr(&path, &stat, STATX_SIZE, AT_STATX_SYNC_AS_STAT);
	path_put(&path);
	if (!ret)
		pr_info("kh_procsize: set %d, stat reports %lld\n",
			KH_PROCSIZE, stat.size);
out:
	proc_remove(pde);
	return ret;
}

static void __exit kh_procsize_exit(void)
{
}

module_init(kh_procsize_init);
module_exit(kh_procsize_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kheaders test: a /proc file's size, from the first lookup");
