#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# device.sh VARIANT: what a device does with its kernel's archive (with
# modversions: arm64, cross-built, kheaders =m, or llvm and llvmy, built
# with LLVM=1 and ThinLTO, kheaders =m and =y), run as root in its guest,
# whose root has a compiler, make, tar, xz and kmod and no headers of the
# kernel.  From /proc/kheaders.tar.xz alone: every program in it runs
# here, a module builds and loads, and a second module that imports from
# the first builds and loads with modprobe resolving the dependency.  TAP
# on stdout.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../tap.sh
. "$here/../tap.sh"

variant=${1:?usage: device.sh VARIANT}
build_symvers=$top/build/obj-$variant/Module.symvers
proc=/proc/kheaders.tar.xz
release=$(uname -r)
work=$(mktemp -d)
cd "$work" || exit 1

# same_crcs VERSIONS: each "CRC<TAB>symbol" line of modprobe
# --dump-modversions has the CRC that the kernel's build exports.
same_crcs() {
	test -s "$1" && awk -F '\t' 'NR == FNR { crc[$2] = $1; next }
		crc[$2] != $1 { print; bad = 1 } END { exit bad }' "$build_symvers" "$1"
}

check "no /lib/modules/$release/build: only the archive can serve" \
	test ! -e "/lib/modules/$release/build"
# Built in (=y), modprobe finds it in modules.builtin and does nothing.
check "modprobe kheaders" modprobe kheaders
# For the host's test of scripts/extract-ikheaders: what this kernel serves.
cp "$proc" "$KH_OUT/served.tar.xz"
mkdir h
check "tar -xf $proc" tar -xf "$proc" -C h

# Every program that a module build runs is a program of this machine.
# elf_id FILE: EI_CLASS, EI_DATA and e_machine of FILE, if it is ELF.
elf_id() {
	local b
	read -ra b < <(od -An -tu1 -N20 "$1" | tr -s ' \n' ' ')
	[ "${b[*]:0:4}" = "127 69 76 70" ] && echo "${b[4]} ${b[5]} ${b[18]} ${b[19]}"
}
machine=$(elf_id "$(command -v make)")
elf=0
bad=
while IFS= read -r f; do
	id=$(elf_id "$f") || continue
	elf=$((elf + 1))
	[ "$id" = "$machine" ] || bad+=" ${f#h/}"
done < <(find h -type f -perm -u+x)
check "every ELF file in the archive is for $(uname -m) ($elf)" \
	sh -c "test $elf -ge 3 -a -z '$bad' || { echo 'not $(uname -m):$bad'; false; }"
for prog in scripts/basic/fixdep scripts/mod/modpost scripts/genksyms/genksyms; do
	# -h: a usage line or getopt's complaint, from the program itself.
	check "$prog runs here" sh -c "h/$prog -h < /dev/null 2>&1 | grep -qiE 'usage|invalid option'"
done

# One build of three modules (emulated, a compiler run takes long): hello,
# and kh_user, which imports from kh_lib.  A kernel built with LLVM=1 wants
# it for its modules, as any of its build trees does.
mkdir mods
cp "$here/hello/hello.c" "$here"/pair/kh_*.[ch] mods/
echo 'obj-m := hello.o kh_lib.o kh_user.o' > mods/Kbuild
llvm=()
grep -qx 'CONFIG_CC_IS_CLANG=y' h/.config && llvm=(LLVM=1)
make -C h M="$work/mods" "${llvm[@]}" -j"$(nproc)" modules > build.log 2>&1
status=$?
check "hello.ko, kh_lib.ko and kh_user.ko build from the archive" \
	test "$status" = 0 -a -f mods/hello.ko -a -f mods/kh_lib.ko -a -f mods/kh_user.ko
[ "$status" = 0 ] || sed 's/^/#   /' build.log | tail -n 30
# Kbuild's note that the compiler differs from the kernel's, if any: a
# cross compiler's name and Debian revision against the native one's, for
# the same release.
built=$(sed -n 's/^ *The kernel was built by: *//p' build.log)
using=$(sed -n 's/^ *You are using: *//p' build.log)
others=$(grep -i warning build.log |
	grep -vx 'warning: the compiler differs from the one used to build the kernel')
check "no warning but the compiler's name, for the same release" \
	test -z "$others" -a "${built##* }" = "${using##* }"
[ -z "$others" ] || printf '%s\n' "$others" | head -n 5 | sed 's/^/#   /'
check "hello.ko vermagic matches the kernel" \
	sh -c "modinfo -F vermagic mods/hello.ko | grep -q '^$release '"
modprobe --dump-modversions mods/hello.ko > hello.versions
check "modversions: hello.ko's CRCs are the kernel build's" same_crcs hello.versions
check "insmod hello.ko" insmod mods/hello.ko
check "its message is in dmesg" sh -c "dmesg | grep -q 'kheaders-hello: loaded, answer 42'"
check "rmmod hello" rmmod hello

modprobe --dump-modversions mods/kh_user.ko > kh_user.versions
check "modversions: kh_user.ko's CRC for kh_lib_answer is kh_lib's" sh -c \
	"grep -P '\tkh_lib_answer\t' mods/Module.symvers | cut -f1,2 | grep -qxF -f - kh_user.versions"
grep -vP '\tkh_lib_answer$' kh_user.versions > kh_user.kernel.versions
check "and its other CRCs are the kernel build's" same_crcs kh_user.kernel.versions
extra=/lib/modules/$release/extra
mkdir -p "$extra"
cp mods/kh_lib.ko mods/kh_user.ko "$extra/"
depmod -a
tainted=$(cat /proc/sys/kernel/tainted)
check "modprobe kh_user, which loads kh_lib" sh -c \
	"modprobe kh_user && grep -q '^kh_lib ' /proc/modules && grep -q '^kh_user ' /proc/modules"
check "kh_user got kh_lib's answer" sh -c "dmesg | grep -q 'kh_user: kh_lib answers 42'"
# Bit 1: a module loaded despite its symbol versions (forced).
check "no taint from symbol version checks" \
	test $(($(cat /proc/sys/kernel/tainted) & 2)) = $((tainted & 2))
check "modprobe -r kh_user unloads both" sh -c \
	"modprobe -r kh_user && ! grep -qE '^kh_(lib|user) ' /proc/modules"
rm -f "$extra/kh_lib.ko" "$extra/kh_user.ko"

if grep -qx 'CONFIG_IKHEADERS=m' h/.config; then
	check "rmmod kheaders" rmmod kheaders
fi
