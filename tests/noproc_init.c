// SPDX-License-Identifier: GPL-2.0
/*
 * The init of tests/noproc.sh, linked statically into an initramfs: on a
 * kernel without /proc, read /sys/kernel/kheaders.tar.xz whole and print
 * its size and CRC32 on the console, then reboot (QEMU -no-reboot exits).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
	}
	return crc;
}

static void report(void)
{
	static unsigned char buf[65536];
	const char *path = "/sys/kernel/kheaders.tar.xz";
	uint32_t crc = 0xffffffff;
	long long total = 0;
	struct stat st;
	ssize_t n;
	int fd;

	if (mount("sysfs", "/sys", "sysfs", 0, NULL)) {
		perror("kheaders-noproc: mount /sys");
		return;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror("kheaders-noproc: /sys/kernel/kheaders.tar.xz");
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		crc = crc32_update(crc, buf, n);
		total += n;
	}
	if (n < 0) {
		perror("kheaders-noproc: read");
		return;
	}
	printf("kheaders-noproc: size %lld, read %lld bytes, crc32 %08x\n",
	       (long long)st.st_size, total, crc ^ 0xffffffff);
}

int main(void)
{
	report();
	fflush(stdout);
	sync();
	reboot(RB_AUTOBOOT);
	return 1;
}
