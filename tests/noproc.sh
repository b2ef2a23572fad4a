#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# noproc.sh: a kernel with kheaders built in and no /proc (CONFIG_PROC_FS=n,
# workbench/configs/noproc.config) builds and boots, kheaders_init succeeds,
# and /sys/kernel/kheaders.tar.xz serves the archive whole: a static init
# (noproc_init.c) in an initramfs reads it and prints its size and CRC32,
# which must be those of the build's kernel/kheaders.tar.xz.  TAP on stdout.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../workbench/lib.sh
. "$here/../workbench/lib.sh"
# shellcheck source=tap.sh
. "$here/tap.sh"
set +e

obj=$(objtree noproc)
work=$build/noproc-boot
rm -rf "$work"
mkdir -p "$work"

if ! "$top/workbench/kernel.sh" noproc > "$work/build.log" 2>&1; then
	fail "a CONFIG_PROC_FS=n kernel with CONFIG_IKHEADERS=y builds" "$(tail -n 15 "$work/build.log")"
	exit 1
fi
pass "a CONFIG_PROC_FS=n kernel with CONFIG_IKHEADERS=y builds"

# The initramfs, made by the kernel's own gen_init_cpio: no root needed
# for the console's device node.
gcc -static -O2 -Wall -o "$work/init" "$here/noproc_init.c" || exit 1
cat > "$work/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /sys 0755 0 0
file /init $work/init 0755 0 0
LIST
"$obj/usr/gen_init_cpio" "$work/initramfs.list" > "$work/initramfs.cpio" || exit 1

timeout 600 qemu-system-x86_64 -nodefaults -display none -no-reboot \
	-accel tcg -cpu max -m 512M -kernel "$obj/arch/x86/boot/bzImage" \
	-initrd "$work/initramfs.cpio" -serial "file:$work/console.log" \
	-append "console=ttyS0 initcall_debug ignore_loglevel panic=-1"
console=$work/console.log

# Without kallsyms the console names the initcall by its address
# (CONFIG_RELOCATABLE is off: the address of System.map).
init_at=$(awk '$3 == "kheaders_init" { print $1 }' "$obj/System.map")
check "kheaders_init returns 0 at boot" \
	grep -qE "initcall (kheaders_init\+|0x$init_at).* returned 0 after" "$console"
want=$(python3 -c 'import sys, zlib
data = open(sys.argv[1], "rb").read()
print("size %d, read %d bytes, crc32 %08x" % (len(data), len(data), zlib.crc32(data)))' \
	"$obj/kernel/kheaders.tar.xz")
seen=$(sed -n 's/\r$//; s/^kheaders-noproc: //p' "$console")
if [ "$seen" = "$want" ]; then
	pass "/sys/kernel/kheaders.tar.xz: the build's archive, whole, its size in stat"
else
	fail "/sys/kernel/kheaders.tar.xz: the build's archive, whole, its size in stat" \
		"expected: $want" "seen: $seen"
fi
check "no warning on the console" sh -c \
	"! grep -E 'WARNING:|BUG:|Oops|Call Trace' '$console'"
