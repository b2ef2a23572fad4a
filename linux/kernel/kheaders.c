// SPDX-License-Identifier: GPL-2.0
/*
 * kheaders: the kernel's headers and what an external module build needs,
 * Module.symvers included, as an xz-compressed tar archive at
 * /proc/kheaders.tar.xz and /sys/kernel/kheaders.tar.xz.
 *
 * The archive is kernel/kheaders.tar.xz, made by scripts/gen_kheaders.sh.
 * It holds the Module.symvers that modpost writes after the descent, so it
 * is linked in at the final link of vmlinux or kheaders.ko, in
 * kheaders_data.o; nothing is computed at run time.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/sysfs.h>

/*
 * Where the archive is.  kheaders_data.S, linked in at the final link of
 * vmlinux or kheaders.ko (for =m, after modpost has checked kheaders.o),
 * has the real one; this weak, empty one stands in until then.  A weak
 * definition, not weak references to the archive's symbols: arm64, for
 * one, reaches an undefined weak symbol through a GOT entry, which its
 * module loader refuses.  Not const: Clang takes a const weak definition
 * for the final one (weak_odr) and folds its zeroes into the code.
 */
struct kheaders_bounds {
	const char *start;
	const char *end;
};

struct kheaders_bounds kheaders_bounds __weak;

static size_t kheaders_size(void)
{
	return kheaders_bounds.end - kheaders_bounds.start;
}

static ssize_t kheaders_proc_read(struct file *file, char __user *buf,
				  size_t count, loff_t *ppos)
{
	return simple_read_from_buffer(buf, count, ppos, kheaders_bounds.start,
				       kheaders_size());
}

/*
 * SEEK_END by the archive's size, not the inode's, which may be 0 (see
 * proc_file_getattr()); past the end is allowed, as in the sysfs file.
 */
static loff_t kheaders_proc_lseek(struct file *file, loff_t offset, int whence)
{
	return generic_file_llseek_size(file, offset, whence, MAX_LFS_FILESIZE,
					kheaders_size());
}

static const struct proc_ops kheaders_proc_ops = {
	.proc_read	= kheaders_proc_read,
	.proc_lseek	= kheaders_proc_lseek,
};

/* Its size and content are set at init. */
static struct bin_attribute kheaders_attr __ro_after_init = {
	.attr = { .name = "kheaders.tar.xz", .mode = 0444 },
	.read = sysfs_bin_attr_simple_read,
};

static struct proc_dir_entry *kheaders_proc;

static int __init kheaders_init(void)
{
	int ret;

	if (!kheaders_size()) {
		pr_err("linked without kernel/kheaders_data.o\n");
		return -ENODATA;
	}
	kheaders_attr.private = (void *)kheaders_bounds.start;
	kheaders_attr.size = kheaders_size();
	ret = sysfs_create_bin_file(kernel_kobj, &kheaders_attr);
	if (ret)
		return ret;

	/* Without CONFIG_PROC_FS, the sysfs file alone. */
	if (IS_ENABLED(CONFIG_PROC_FS)) {
		kheaders_proc = proc_create("kheaders.tar.xz", 0444, NULL,
					    &kheaders_proc_ops);
		if (!kheaders_proc) {
			sysfs_remove_bin_file(kernel_kobj, &kheaders_attr);
			return -ENOMEM;
		}
		proc_set_size(kheaders_proc, kheaders_size());
	}
	return 0;
}

static void __exit kheaders_exit(void)
{
	proc_remove(kheaders_proc);
	sysfs_remove_bin_file(kernel_kobj, &kheaders_attr);
}

module_init(kheaders_init);
module_exit(kheaders_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel headers and module build files as a tar.xz archive");
