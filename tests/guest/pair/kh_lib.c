// SPDX-License-Identifier: GPL-2.0
/* An external module that exports a function, built from the archive. */
#include <linux/module.h>
#include "kh_lib.h"

int kh_lib_answer(int question)
{
	return question * 6;
}
EXPORT_SYMBOL_GPL(kh_lib_answer);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kheaders test: exports for kh_user");
