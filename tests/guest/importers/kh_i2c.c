// SPDX-License-Identifier: GPL-2.0
/* Registers an I2C driver: imports from i2c-core.ko. */
#include <linux/i2c.h>
#include <linux/module.h>

static const struct i2c_device_id kh_i2c_ids[] = {
	{ "kh_i2c_none" },
	{ }
};

static int kh_i2c_probe(struct i2c_client *client)
{
	return -ENODEV;
}

static struct i2c_driver kh_i2c_driver = {
	.driver = { .name = "kh_i2c" },
	.probe = kh_i2c_probe,
	.id_table = kh_i2c_ids,
};

static int __init kh_i2c_init(void)
{
	int ret = i2c_add_driver(&kh_i2c_driver);

	if (!ret)
		pr_info("kh_i2c: registered with the I2C core\n");
	return ret;
}

static void __exit kh_i2c_exit(void)
{
	i2c_del_driver(&kh_i2c_driver);
}

module_init(kh_i2c_init);
module_exit(kh_i2c_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kheaders test: an I2C driver built from the archive");
