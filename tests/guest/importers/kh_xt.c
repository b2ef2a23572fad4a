// SPDX-License-Identifier: GPL-2.0
/* Registers an x_tables match: imports from x_tables.ko. */
#include <linux/module.h>
#include <linux/netfilter/x_tables.h>

static bool kh_xt_match(const struct sk_buff *skb, struct xt_action_param *par)
{
	return false;
}

static struct xt_match kh_xt_reg __read_mostly = {
	.name = "kh_xt",
	.family = NFPROTO_UNSPEC,
	.match = kh_xt_match,
	.me = THIS_MODULE,
};

static int __init kh_xt_init(void)
{
	int ret = xt_register_match(&kh_xt_reg);

	if (!ret)
		pr_info("kh_xt: registered an x_tables match\n");
	return ret;
}

static void __exit kh_xt_exit(void)
{
	xt_unregister_match(&kh_xt_reg);
}

module_init(kh_xt_init);
module_exit(kh_xt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kheaders test: an x_tables match built from the archive");
