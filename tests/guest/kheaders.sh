#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kheaders.sh VARIANT: the end-to-end tests, run as root in the guest on the
# kernel of a workbench variant (m, y, mv: CONFIG_IKHEADERS=m or y; mv is
# distribution-like, with CONFIG_MODVERSIONS=y).  TAP on stdout.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../tap.sh
. "$here/../tap.sh"

variant=${1:?usage: kheaders.sh VARIANT}
mode=${variant:0:1}
# The Module.symvers of the variant's build, on the host's filesystem.
build_symvers=$top/build/obj-$variant/Module.symvers
proc=/proc/kheaders.tar.xz
sys=/sys/kernel/kheaders.tar.xz
release=$(uname -r)
work=$(mktemp -d)
cd "$work" || exit 1

check "no /lib/modules/$release/build: only the archive can serve" \
	test ! -e "/lib/modules/$release/build"

# BCC first: for =m it finds the module unloaded and loads it itself.
if [ "$mode" = m ]; then
	check "=m: no archive before kheaders is loaded" test ! -e "$proc" -a ! -e "$sys"
fi
check "BCC compiles a kprobe program with <linux/sched.h>, reads task_struct" \
	timeout 600 python3 "$here/bcc_task.py"
if [ "$mode" = m ]; then
	check "=m: BCC unloaded kheaders after use" test ! -e "$sys"
	check "=m: modprobe kheaders" modprobe kheaders
fi

# How the files read, their content against the running kernel and the
# module's load/unload cycles are the kselftest's (kselftest.sh); here, what
# a module build and the BPF tools need from the archive.
tar -tJf "$proc" > list
# For the host's test of scripts/extract-ikheaders: what this kernel serves.
cp "$proc" "$KH_OUT/served.tar.xz"
for member in include/linux/sched.h arch/x86/include/asm/processor.h \
	arch/x86/include/generated/asm/syscalls_64.h \
	include/generated/autoconf.h include/config/auto.conf \
	include/config/kernel.release Makefile arch/x86/Makefile \
	scripts/Makefile.build scripts/basic/fixdep scripts/mod/modpost \
	scripts/module.lds tools/objtool/objtool Module.symvers; do
	check "archive has $member" grep -qxF "$member" list
done
check "no object or .cmd file" sh -c "! grep -E '\.(o|cmd)\$|/\.' list"

mkdir h
tar -xf "$proc" -C h
# Every export of vmlinux and of the in-tree modules, with its CRC, export
# type and namespace.
check "Module.symvers is the build's, every line" \
	diff <(sort "$build_symvers") <(sort h/Module.symvers)
check "no build path of the host in the archive" \
	sh -c "! grep -rlaF '$top/build' h"
check "host programs are stripped" \
	sh -c "! readelf -S h/scripts/mod/modpost h/tools/objtool/objtool | grep -qF .symtab"
check "headers keep SPDX, lose other comments" \
	sh -c "head -n 1 h/include/linux/sched.h | grep -q SPDX-License-Identifier && test \$(grep -c '/\*' h/include/linux/sched.h) -le 1"

# A module built from the archive alone, no KBUILD_MODPOST_WARN, loaded.
cp -r "$here/hello" hello
make -C h M="$work/hello" modules > build.log 2>&1
status=$?
check "make -C h M=... modules builds hello.ko" test "$status" = 0 -a -f hello/hello.ko
check "module build prints no warning" sh -c "! grep -i 'warning' build.log"
[ "$status" = 0 ] || sed 's/^/#   /' build.log | tail -n 30
check "hello.ko vermagic matches the kernel" \
	sh -c "modinfo -F vermagic hello/hello.ko | grep -q '^$release '"
if zgrep -qx CONFIG_MODVERSIONS=y /proc/config.gz; then
	modprobe --dump-modversions hello/hello.ko > versions
	check "modversions: hello.ko carries a CRC for each kernel symbol it uses" \
		sh -c "grep -qP '^0x[0-9a-f]{8}\t_printk$' versions && ! grep -q '^0x00000000' versions"
	check "each with the CRC that the kernel's build exports" sh -c \
		"awk -F '\t' 'NR == FNR { crc[\$2] = \$1; next } crc[\$2] != \$1 { print; bad = 1 } END { exit bad }' '$build_symvers' versions"
fi
tainted=$(cat /proc/sys/kernel/tainted)
check "insmod hello.ko" insmod hello/hello.ko
check "its message is in dmesg" sh -c "dmesg | grep -q 'kheaders-hello: loaded, answer 42'"
# Bit 1: a module loaded despite its symbol versions (forced).
check "no taint from symbol version checks" \
	test $(($(cat /proc/sys/kernel/tainted) & 2)) = $((tainted & 2))
check "no complaint about symbol versions" \
	sh -c "! dmesg | grep -E 'hello: (disagrees|no symbol version)'"
check "rmmod hello" rmmod hello

# The fs/proc patch of the series: a /proc file looked up before
# proc_set_size() (kheaders_init()'s window) reports the size set.  One
# variant is enough: the code is the same in all.
if [ "$variant" = y ]; then
	cp -r "$here/procsize" procsize
	make -C h M="$work/procsize" modules > procsize.log 2>&1
	check "kh_procsize.ko builds from the archive" test -f procsize/kh_procsize.ko
	insmod procsize/kh_procsize.ko && rmmod kh_procsize
	check "a /proc file looked up before proc_set_size() has its size" sh -c \
		"dmesg | grep 'kh_procsize: ' | tail -n 1 | grep -qx '.*kh_procsize: set 4242, stat reports 4242'"
fi

if zgrep -qx CONFIG_MODVERSIONS=y /proc/config.gz; then
	# The CRCs are checked for real: one changed, and the kernel refuses.
	cp h/Module.symvers symvers.orig
	perl -pe 's/^0x(\w{8})(?=\t_printk\t)/sprintf("0x%08x", hex($1) ^ 1)/e' \
		symvers.orig > h/Module.symvers
	cp -r "$here/hello" altered
	make -C h M="$work/altered" modules > altered.log 2>&1
	cp symvers.orig h/Module.symvers
	check "modversions: a module built against an altered CRC is refused" \
		sh -c "test -f altered/hello.ko && ! insmod altered/hello.ko 2> /dev/null"
	check "with \"disagrees about version of symbol _printk\"" \
		sh -c "dmesg | grep -q 'hello: disagrees about version of symbol _printk'"
fi

# A copy of sleep under its own name: the wait loop below runs sleep too,
# and the probe must only see the process started for it.
cp "$(command -v sleep)" bt-sleeper
cat > trace.bt <<'BT'
#include <linux/sched.h>

kprobe:__x64_sys_clock_nanosleep /comm == "bt-sleeper"/
{
	$task = (struct task_struct *)curtask;
	printf("tgid=%d parent=%d\n", $task->tgid, $task->real_parent->tgid);
	exit();
}
BT
timeout 600 bpftrace trace.bt > bt.out 2>&1 &
bt=$!
for _ in $(seq 600); do
	grep -q Attaching bt.out && break
	kill -0 "$bt" 2> /dev/null || break
	sleep 1
done
./bt-sleeper 0.2 &
sleeper=$!
wait "$sleeper"
wait "$bt"
check "bpftrace includes <linux/sched.h> and reads task_struct" \
	grep -qx "tgid=$sleeper parent=$$" bt.out
grep -q "tgid=$sleeper" bt.out || sed 's/^/#   /' bt.out | tail -n 20

# On a distribution-like kernel (mv): modules that import from in-tree
# modules, and from namespaced exports, built from the archive alone and
# loaded by modprobe with their dependencies; and a DKMS package.
if zgrep -qx CONFIG_USB=m /proc/config.gz; then
	cp -r "$here/importers" importers
	make -C h M="$work/importers" modules > importers.log 2>&1
	status=$?
	check "modules importing from in-tree modules build from the archive" \
		test "$status" = 0
	check "with no warning" sh -c "! grep -i warning importers.log"
	[ "$status" = 0 ] || sed 's/^/#   /' importers.log | tail -n 30
	if zgrep -qx CONFIG_MODVERSIONS=y /proc/config.gz; then
		for ko in importers/*.ko; do
			modprobe --dump-modversions "$ko"
		done > importers.versions
		check "modversions: each import has the CRC the build exports" sh -c \
			"test -s importers.versions && awk -F '\t' 'NR == FNR { crc[\$2] = \$1; next } crc[\$2] != \$1 { print; bad = 1 } END { exit bad }' '$build_symvers' importers.versions"
	fi
	extra=/lib/modules/$release/extra
	mkdir -p "$extra"
	cp importers/*.ko "$extra/"
	depmod -a
	tainted=$(cat /proc/sys/kernel/tainted)
	echo "kheaders test: importers" > /dev/kmsg
	# MODULE: the in-tree module it imports from, which modprobe loads.
	for pair in kh_usb:usbcore kh_i2c:i2c_core kh_v4l2:videodev \
		kh_dm:dm_mod kh_xt:x_tables kh_drm:drm kh_crypto:; do
		mod=${pair%%:*} dep=${pair#*:}
		check "modprobe $mod${dep:+, which loads $dep}" sh -c \
			"modprobe $mod && grep -q '^$mod ' /proc/modules && { test -z '$dep' || grep -q '^$dep ' /proc/modules; }"
	done
	dmesg | sed -n '/kheaders test: importers/,$p' > importers.dmesg
	check "each says it worked" sh -c \
		"test \$(grep -cE 'kh_(usb|i2c|v4l2|dm|xt|drm|crypto): ' importers.dmesg) = 7"
	check "kh_crypto: AES from a module loaded on demand, right ciphertext" \
		grep -q 'kh_crypto: .*: 66e94bd4ef8a2c3b884cfa59ca342b2e' importers.dmesg
	check "no taint from symbol version checks" \
		test $(($(cat /proc/sys/kernel/tainted) & 2)) = $((tainted & 2))
	check "no complaint about symbols or their versions" \
		sh -c "! grep -E 'kh_[a-z0-9]+: (disagrees|no symbol version|Unknown symbol)' importers.dmesg"
	check "modprobe -r unloads them and what they pulled in" sh -c \
		"modprobe -r kh_usb kh_i2c kh_v4l2 kh_dm kh_xt kh_drm kh_crypto && ! grep -qE '^(kh_|usbcore |videodev )' /proc/modules"

	# Bad input: a symbol that no one exports still fails modpost clearly.
	mkdir nosuch
	echo 'obj-m := nosuch.o' > nosuch/Kbuild
	cat > nosuch/nosuch.c <<'C'
#include <linux/module.h>
extern void kh_no_such_symbol(void);
static int __init nosuch_init(void) { kh_no_such_symbol(); return 0; }
module_init(nosuch_init);
MODULE_LICENSE("GPL");
C
	make -C h M="$work/nosuch" modules > nosuch.log 2>&1
	status=$?
	check "a module importing a symbol no one exports fails modpost" \
		sh -c "test $status != 0 && grep -q 'ERROR: modpost: \"kh_no_such_symbol\" .*undefined!' nosuch.log"

	# DKMS against the archive, as its build tree.
	ln -s "$work/h" "/lib/modules/$release/build"
	cp -r "$here/dkms" /usr/src/khdkms-1.0
	{
		dkms add khdkms/1.0 && dkms build khdkms/1.0 -k "$release" &&
			dkms install khdkms/1.0 -k "$release"
	} > dkms.log 2>&1
	status=$?
	check "dkms builds and installs a package against the archive" test "$status" = 0
	[ "$status" = 0 ] || sed 's/^/#   /' dkms.log | tail -n 30
	check "the package's BUILD_EXCLUSIVE_CONFIG was read from its .config" \
		sh -c "! grep -qi 'exclusive' dkms.log && grep -qx CONFIG_VIDEO_DEV=m h/.config"
	check "modprobe khdkms loads it" sh -c \
		"modprobe khdkms && dmesg | grep -q 'khdkms: built by DKMS, loaded'"
	modprobe -r khdkms
	dkms remove khdkms/1.0 --all > /dev/null 2>&1
	rm "/lib/modules/$release/build"
fi

if [ "$mode" = m ]; then
	check "=m: rmmod kheaders" rmmod kheaders
	check "=m: both paths gone after rmmod" test ! -e "$proc" -a ! -e "$sys"
fi
