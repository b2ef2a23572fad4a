// SPDX-License-Identifier: GPL-2.0
/*
 * kheaders: the kernel's headers and module build files, as an xz-compressed
 * tar archive at /proc/kheaders.tar.xz and /sys/kernel/kheaders.tar.xz.
 *
 * The file is two concatenated xz streams, which xz and tar read as one:
 *
 *  - the archive made by scripts/gen_kheaders.sh at build time, embedded
 *    below, without its end-of-archive blocks;
 *  - a stream made here on each read, holding Module.symvers (the symbols
 *    this kernel exports, see kheaders_symvers.c) and the end-of-archive
 *    blocks.  Its data is stored in uncompressed LZMA2 chunks, so every byte
 *    at every offset is computed without keeping a copy.
 */

#include <linux/crc32.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uio.h>
#include <linux/unaligned.h>

#include "kheaders.h"

/*
 * The IKHD_ST and IKHD_ED markers let scripts/extract-ikheaders find the
 * archive in a kernel image or in kheaders.ko.
 */
asm(".pushsection .rodata, \"a\"\n"
	".ascii \"IKHD_ST\"\n"
	".global kheaders_archive\n"
	"kheaders_archive:\n"
	".incbin \"kernel/kheaders_data.tar.xz\"\n"
	".global kheaders_archive_end\n"
	"kheaders_archive_end:\n"
	".ascii \"IKHD_ED\"\n"
	".popsection\n");

#define TAR_BLOCK		512
#define TAR_END_LEN		(2 * TAR_BLOCK)
#define XZ_HEADER_LEN		12
#define XZ_BLOCK_HEADER_LEN	12
#define XZ_FOOTER_LEN		12
#define XZ_CHECK_NONE		0x00
#define XZ_FILTER_LZMA2		0x21
#define LZMA2_CHUNK_MAX		0x10000
#define LZMA2_CHUNK_HEADER_LEN	3
#define LZMA2_CHUNK_RESET	0x01	/* uncompressed, dictionary reset */
#define LZMA2_CHUNK_PLAIN	0x02	/* uncompressed, no reset */
#define LZMA2_END		0x00

static const u8 xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

/*
 * The second stream.  Its uncompressed data is the tar member
 * Module.symvers followed by the end of the archive:
 *
 *   [tar header][Module.symvers][padding to TAR_BLOCK][TAR_END_LEN zeros]
 *
 * Only headers and sizes are kept; the symbol lines are formatted on read.
 */
static struct {
	u8 head[XZ_HEADER_LEN + XZ_BLOCK_HEADER_LEN];
	char tar_header[TAR_BLOCK];
	/* LZMA2 end marker, block padding, index, stream footer */
	u8 tail[1 + 3 + 32 + XZ_FOOTER_LEN];
	size_t tail_len;
	size_t symvers_len;	/* 0 without CONFIG_MODULES: no member */
	size_t data_len;	/* uncompressed bytes */
	size_t chunks_len;	/* LZMA2 chunks with their headers */
	size_t len;		/* whole stream */
} ks;

static size_t archive_len(void)
{
	return kheaders_archive_end - kheaders_archive;
}

static void put_crc32(u8 *dst, const u8 *data, size_t len)
{
	put_unaligned_le32(crc32_le(~0, data, len) ^ ~0, dst);
}

/* xz multibyte integer: seven bits per byte, least significant first */
static size_t put_xz_varint(u8 *dst, u64 val)
{
	size_t n = 0;

	while (val >= 0x80) {
		dst[n++] = (val & 0x7f) | 0x80;
		val >>= 7;
	}
	dst[n++] = val;
	return n;
}

static void tar_header_init(char *h, size_t size, u64 mtime)
{
	unsigned int sum = 0;
	size_t i;

	memset(h, 0, TAR_BLOCK);
	strscpy(h, "Module.symvers", 100);
	snprintf(h + 100, 8, "%07o", 0644);		/* mode */
	snprintf(h + 108, 8, "%07o", 0);		/* uid */
	snprintf(h + 116, 8, "%07o", 0);		/* gid */
	snprintf(h + 124, 12, "%011zo", size);
	snprintf(h + 136, 12, "%011llo", mtime);
	h[156] = '0';					/* regular file */
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);			/* checksum field */
	for (i = 0; i < TAR_BLOCK; i++)
		sum += (u8)h[i];
	snprintf(h + 148, 8, "%06o", sum);
}

static void xz_stream_init(void)
{
	u8 *p, *index;
	size_t block_len, pad;

	ks.symvers_len = IS_ENABLED(CONFIG_MODULES) ? kheaders_symvers_size() : 0;
	ks.data_len = TAR_END_LEN;
	if (ks.symvers_len) {
		tar_header_init(ks.tar_header, ks.symvers_len, KHEADERS_MTIME);
		ks.data_len += TAR_BLOCK + round_up(ks.symvers_len, TAR_BLOCK);
	}
	ks.chunks_len = ks.data_len + LZMA2_CHUNK_HEADER_LEN *
			DIV_ROUND_UP(ks.data_len, LZMA2_CHUNK_MAX);

	/* Stream header: magic, flags (no check), CRC32 of the flags */
	p = ks.head;
	memcpy(p, xz_magic, sizeof(xz_magic));
	p[6] = 0;
	p[7] = XZ_CHECK_NONE;
	put_crc32(p + 8, p + 6, 2);

	/*
	 * Block header: size, flags (one filter, no sizes), LZMA2 with the
	 * smallest dictionary (uncompressed chunks do not use it), padding,
	 * CRC32.
	 */
	p = ks.head + XZ_HEADER_LEN;
	memset(p, 0, XZ_BLOCK_HEADER_LEN);
	p[0] = XZ_BLOCK_HEADER_LEN / 4 - 1;
	p[2] = XZ_FILTER_LZMA2;
	p[3] = 1;
	put_crc32(p + 8, p, 8);

	/* LZMA2 end marker, then pad the block to four bytes */
	block_len = XZ_BLOCK_HEADER_LEN + ks.chunks_len + 1;
	pad = (4 - block_len % 4) % 4;
	p = ks.tail;
	*p++ = LZMA2_END;
	memset(p, 0, pad);
	p += pad;

	/* Index: one record (unpadded size, uncompressed size) */
	index = p;
	*p++ = 0;
	p += put_xz_varint(p, 1);
	p += put_xz_varint(p, block_len);
	p += put_xz_varint(p, ks.data_len);
	while ((p - index) % 4)
		*p++ = 0;
	put_crc32(p, index, p - index);
	p += 4;

	/* Stream footer: CRC32, backward size, flags, magic */
	put_unaligned_le32((p - index) / 4 - 1, p + 4);
	p[8] = 0;
	p[9] = XZ_CHECK_NONE;
	put_crc32(p, p + 4, 6);
	memcpy(p + 10, "YZ", 2);
	p += XZ_FOOTER_LEN;

	ks.tail_len = p - ks.tail;
	ks.len = sizeof(ks.head) + ks.chunks_len + ks.tail_len;
}

/* Copy uncompressed data of the second stream, from @pos. */
static size_t xz_data_read(char *buf, size_t count, size_t pos)
{
	size_t member_end = ks.symvers_len ? TAR_BLOCK + ks.symvers_len : 0;
	size_t n;

	if (!IS_ENABLED(CONFIG_MODULES) || pos >= member_end) {
		n = min(count, ks.data_len - pos);
		memset(buf, 0, n);
		return n;
	}
	if (pos < TAR_BLOCK) {
		n = min(count, TAR_BLOCK - pos);
		memcpy(buf, ks.tar_header + pos, n);
		return n;
	}
	return kheaders_symvers_read(buf, min(count, member_end - pos),
				     pos - TAR_BLOCK);
}

/* Copy bytes of the second stream, from @pos; returns bytes copied. */
static size_t xz_stream_read(char *buf, size_t count, size_t pos)
{
	const size_t chunk_len = LZMA2_CHUNK_HEADER_LEN + LZMA2_CHUNK_MAX;
	size_t chunk, off, len;
	u8 header[LZMA2_CHUNK_HEADER_LEN];

	if (pos < sizeof(ks.head)) {
		len = min(count, sizeof(ks.head) - pos);
		memcpy(buf, ks.head + pos, len);
		return len;
	}
	pos -= sizeof(ks.head);
	if (pos >= ks.chunks_len) {
		pos -= ks.chunks_len;
		len = min(count, ks.tail_len - pos);
		memcpy(buf, ks.tail + pos, len);
		return len;
	}

	chunk = pos / chunk_len;
	off = pos % chunk_len;
	len = min_t(size_t, LZMA2_CHUNK_MAX, ks.data_len - chunk * LZMA2_CHUNK_MAX);
	if (off < LZMA2_CHUNK_HEADER_LEN) {
		header[0] = chunk ? LZMA2_CHUNK_PLAIN : LZMA2_CHUNK_RESET;
		put_unaligned_be16(len - 1, header + 1);
		len = min(count, LZMA2_CHUNK_HEADER_LEN - off);
		memcpy(buf, header + off, len);
		return len;
	}
	off -= LZMA2_CHUNK_HEADER_LEN;
	return xz_data_read(buf, min(count, len - off),
			    chunk * LZMA2_CHUNK_MAX + off);
}

static size_t kheaders_size(void)
{
	return archive_len() + ks.len;
}

/* Copy the file from @pos into @to; returns bytes copied or -errno. */
static ssize_t kheaders_copy(struct iov_iter *to, loff_t pos)
{
	size_t done = 0;
	char *page = NULL;

	while (iov_iter_count(to) && pos < kheaders_size()) {
		size_t want = iov_iter_count(to), len, copied;

		if (pos < archive_len()) {
			len = min_t(size_t, want, archive_len() - pos);
			copied = copy_to_iter(kheaders_archive + pos, len, to);
		} else {
			if (!page) {
				page = kmalloc(PAGE_SIZE, GFP_KERNEL);
				if (!page)
					return done ? done : -ENOMEM;
			}
			len = xz_stream_read(page, min_t(size_t, want, PAGE_SIZE),
					     pos - archive_len());
			if (!len)
				break;
			copied = copy_to_iter(page, len, to);
		}
		done += copied;
		pos += copied;
		if (copied < len) {
			if (!done) {
				kfree(page);
				return -EFAULT;
			}
			break;
		}
	}
	kfree(page);
	return done;
}

static ssize_t kheaders_proc_read(struct kiocb *iocb, struct iov_iter *to)
{
	ssize_t ret = kheaders_copy(to, iocb->ki_pos);

	if (ret > 0)
		iocb->ki_pos += ret;
	return ret;
}

static const struct proc_ops kheaders_proc_ops = {
	.proc_read_iter	= kheaders_proc_read,
	.proc_lseek	= default_llseek,
};

static ssize_t kheaders_sysfs_read(struct file *file, struct kobject *kobj,
				   struct bin_attribute *attr, char *buf,
				   loff_t off, size_t count)
{
	struct kvec kvec = { .iov_base = buf, .iov_len = count };
	struct iov_iter to;

	iov_iter_kvec(&to, ITER_DEST, &kvec, 1, count);
	return kheaders_copy(&to, off);
}

/* Its size is known at init, once the export tables have been measured. */
static struct bin_attribute kheaders_attr = {
	.attr = { .name = "kheaders.tar.xz", .mode = 0444 },
	.read = kheaders_sysfs_read,
};

static struct proc_dir_entry *kheaders_proc;

static int __init kheaders_init(void)
{
	int ret;

	xz_stream_init();
	kheaders_attr.size = kheaders_size();

	kheaders_proc = proc_create("kheaders.tar.xz", 0444, NULL,
				    &kheaders_proc_ops);
	if (!kheaders_proc)
		return -ENOMEM;
	proc_set_size(kheaders_proc, kheaders_size());

	ret = sysfs_create_bin_file(kernel_kobj, &kheaders_attr);
	if (ret) {
		proc_remove(kheaders_proc);
		return ret;
	}
	return 0;
}

static void __exit kheaders_exit(void)
{
	sysfs_remove_bin_file(kernel_kobj, &kheaders_attr);
	proc_remove(kheaders_proc);
}

module_init(kheaders_init);
module_exit(kheaders_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel headers and module build files as a tar.xz archive");
MODULE_IMPORT_NS(KHEADERS);
