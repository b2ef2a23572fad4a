// SPDX-License-Identifier: GPL-2.0
/*
 * Looks up a pixel format: imports from drm.ko; and asks for a dma-buf,
 * a namespaced export of vmlinux (DMA_BUF).
 */
#include <linux/dma-buf.h>
#include <linux/module.h>
#include <drm/drm_fourcc.h>

static int __init kh_drm_init(void)
{
	const struct drm_format_info *info = drm_format_info(DRM_FORMAT_XRGB8888);
	struct dma_buf *buf = dma_buf_get(-1);

	if (!info || !IS_ERR(buf))
		return -EINVAL;
	pr_info("kh_drm: XRGB8888 has %u bytes per pixel; dma_buf_get(-1) gives %ld\n",
		info->cpp[0], PTR_ERR(buf));
	return 0;
}

static void __exit kh_drm_exit(void)
{
}

module_init(kh_drm_init);
module_exit(kh_drm_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kheaders test: a DRM and dma-buf user built from the archive");
MODULE_IMPORT_NS(DMA_BUF);
