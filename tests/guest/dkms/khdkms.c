// SPDX-License-Identifier: GPL-2.0
/* Built by DKMS against the kheaders archive: imports from videodev.ko. */
#include <linux/module.h>
#include <media/v4l2-dev.h>

static int __init khdkms_init(void)
{
	struct video_device *vdev = video_device_alloc();

	if (!vdev)
		return -ENOMEM;
	video_device_release(vdev);
	pr_info("khdkms: built by DKMS, loaded\n");
	return 0;
}

static void __exit khdkms_exit(void)
{
}

module_init(khdkms_init);
module_exit(khdkms_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kheaders test: a DKMS package built from the archive");
