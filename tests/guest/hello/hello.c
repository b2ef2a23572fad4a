// SPDX-License-Identifier: GPL-2.0
/* A module built in the guest from the kheaders archive alone. */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/timekeeping.h>

static int __init hello_init(void)
{
	unsigned long answer;
	int ret;

	/* One EXPORT_SYMBOL and one EXPORT_SYMBOL_GPL function. */
	ret = kstrtoul("42", 10, &answer);
	if (ret)
		return ret;
	pr_info("kheaders-hello: loaded, answer %lu, uptime %lld ns\n",
		answer, ktime_get_ns());
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("kheaders-hello: unloaded\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module built from /proc/kheaders.tar.xz");
