/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by kernel/kheaders.c, which may be a module, and the built-in
 * kernel/kheaders_symvers.c, which reads vmlinux's export tables.
 */
#ifndef _KERNEL_KHEADERS_H
#define _KERNEL_KHEADERS_H

#include <linux/types.h>

/* The build-time archive, embedded in kheaders.c */
extern const char kheaders_archive[];
extern const char kheaders_archive_end[];

size_t kheaders_symvers_size(void);
size_t kheaders_symvers_read(char *buf, size_t count, loff_t pos);

#endif /* _KERNEL_KHEADERS_H */
