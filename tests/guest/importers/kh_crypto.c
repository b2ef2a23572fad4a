// SPDX-License-Identifier: GPL-2.0
/*
 * Encrypts a block with AES, a crypto module loaded on demand, through the
 * single-block cipher API, a namespaced export (CRYPTO_INTERNAL).
 */
#include <crypto/internal/cipher.h>
#include <linux/crypto.h>
#include <linux/module.h>

static int __init kh_crypto_init(void)
{
	static const u8 key[16];
	u8 block[16] = { 0 };
	struct crypto_cipher *tfm = crypto_alloc_cipher("aes", 0, 0);
	int ret;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = crypto_cipher_setkey(tfm, key, sizeof(key));
	if (!ret) {
		crypto_cipher_encrypt_one(tfm, block, block);
		pr_info("kh_crypto: AES of zeros under a zero key: %16phN\n", block);
	}
	crypto_free_cipher(tfm);
	return ret;
}

static void __exit kh_crypto_exit(void)
{
}

module_init(kh_crypto_init);
module_exit(kh_crypto_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kheaders test: a crypto user built from the archive");
MODULE_IMPORT_NS(CRYPTO_INTERNAL);
