/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kheaders archive, kernel/kheaders.tar.xz, for kernel/kheaders.c.
 * Assembled at the final link of vmlinux (=y) or kheaders.ko (=m), once
 * modpost has written the Module.symvers it holds.  The IKHD_ST and IKHD_ED
 * markers let scripts/extract-ikheaders find it in an image or module.
 */
	.section .rodata, "a"
	.ascii "IKHD_ST"
kheaders_archive:
	.incbin "kernel/kheaders.tar.xz"
kheaders_archive_end:
	.ascii "IKHD_ED"

	/* struct kheaders_bounds, which kernel/kheaders.c reads. */
	.balign 8
	.global kheaders_bounds
kheaders_bounds:
	.dc.a kheaders_archive, kheaders_archive_end
