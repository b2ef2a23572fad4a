// SPDX-License-Identifier: GPL-2.0
/* Allocates a video device: imports from videodev.ko. */
#include <linux/module.h>
#include <media/v4l2-dev.h>

static int __init kh_v4l2_init(void)
{
	struct video_device *vdev = video_device_alloc();

	if (!vdev)
		return -ENOMEM;
	video_device_release(vdev);
	pr_info("kh_v4l2: allocated and released a video device\n");
	return 0;
}

static void __exit kh_v4l2_exit(void)
{
}

module_init(kh_v4l2_init);
module_exit(kh_v4l2_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kheaders test: a V4L2 user built from the archive");
