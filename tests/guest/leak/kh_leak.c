// SPDX-License-Identifier: GPL-2.0
/*
 * A planted leak, to show that the kheaders kselftest catches one: each
 * time kheaders.ko is loaded, a page-sized kmalloc() is made and never
 * freed, as a load path that forgot its kfree() would.
 */
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>

static unsigned int pages = 1;
module_param(pages, uint, 0444);
MODULE_PARM_DESC(pages, "page-sized allocations leaked at each load of kheaders");

static int kh_leak_notify(struct notifier_block *nb, unsigned long state,
			  void *data)
{
	struct module *mod = data;
	unsigned int i;

	if (state != MODULE_STATE_COMING || strcmp(mod->name, "kheaders"))
		return NOTIFY_DONE;
	for (i = 0; i < pages; i++)
		if (!kmalloc(PAGE_SIZE, GFP_KERNEL))
			return notifier_from_errno(-ENOMEM);
	return NOTIFY_OK;
}

static struct notifier_block kh_leak_nb = {
	.notifier_call = kh_leak_notify,
};

static int __init kh_leak_init(void)
{
	return register_module_notifier(&kh_leak_nb);
}

static void __exit kh_leak_exit(void)
{
	unregister_module_notifier(&kh_leak_nb);
}

module_init(kh_leak_init);
module_exit(kh_leak_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Leaks memory at each load of kheaders, for its selftest");
