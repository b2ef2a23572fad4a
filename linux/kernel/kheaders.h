/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interface between kernel/kheaders.c, which may be a module, and the
 * built-in part that reads vmlinux's export tables.
 */
#ifndef _KERNEL_KHEADERS_H
#define _KERNEL_KHEADERS_H

#include <linux/types.h>

size_t kheaders_symvers_size(void);
size_t kheaders_symvers_read(char *buf, size_t count, loff_t pos);

#endif /* _KERNEL_KHEADERS_H */
