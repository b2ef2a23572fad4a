// SPDX-License-Identifier: GPL-2.0
/*
 * An external module that imports from another one, kh_lib, built from the
 * archive in the same build.
 */
#include <linux/module.h>
#include "kh_lib.h"

static int __init kh_user_init(void)
{
	pr_info("kh_user: kh_lib answers %d\n", kh_lib_answer(7));
	return 0;
}

static void __exit kh_user_exit(void)
{
}

module_init(kh_user_init);
module_exit(kh_user_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kheaders test: imports from kh_lib");
