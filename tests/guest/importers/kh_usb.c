// SPDX-License-Identifier: GPL-2.0
/* Registers a USB driver: imports from usbcore.ko. */
#include <linux/module.h>
#include <linux/usb.h>

static const struct usb_device_id kh_usb_ids[] = {
	{ USB_DEVICE(0xffff, 0xfffe) },
	{ }
};

static int kh_usb_probe(struct usb_interface *intf,
			const struct usb_device_id *id)
{
	return -ENODEV;
}

static void kh_usb_disconnect(struct usb_interface *intf)
{
}

static struct usb_driver kh_usb_driver = {
	.name = "kh_usb",
	.probe = kh_usb_probe,
	.disconnect = kh_usb_disconnect,
	.id_table = kh_usb_ids,
};

static int __init kh_usb_init(void)
{
	int ret = usb_register(&kh_usb_driver);

	if (!ret)
		pr_info("kh_usb: registered with usbcore\n");
	return ret;
}

static void __exit kh_usb_exit(void)
{
	usb_deregister(&kh_usb_driver);
}

module_init(kh_usb_init);
module_exit(kh_usb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kheaders test: a USB driver built from the archive");
