# SPDX-License-Identifier: GPL-2.0
# Shared by the workbench scripts: paths and small helpers.  Sourced, not run.
# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this

set -euo pipefail
# Debian's tools first: checkpatch's spdxcheck needs the python3 that has
# python3-ply and python3-git, whatever else is on PATH.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$top/build
base_pkg=linux-source-6.12
base_tarball=/usr/src/$base_pkg.tar.xz
base_tree=$build/base/$base_pkg	# pristine, as Debian ships it
tree=$build/linux		# base tree, its kheaders removed, ours laid over
# The base tree's own kheaders: its files, and the files that wire them in
base_files="kernel/kheaders.c kernel/gen_kheaders.sh"
base_wiring="init/Kconfig kernel/Makefile kernel/.gitignore"

# Kernel variants: m and y build kheaders as a module and into the kernel;
# mv is a distribution's kernel in small: CONFIG_MODVERSIONS=y, many
# subsystems as modules, signed modules, with kmemleak on.  A =y kernel
# with modversions would add nothing that these three do not test (the
# final step embeds Module.symvers whatever its columns) for 15 minutes of
# make check.  arm64 is a device's kernel, as Android's are made:
# cross-built on this host, kheaders =m with modversions, booted under
# qemu-system-aarch64 with an arm64 Debian root (guest-root.sh).  llvm is
# m built as Android's and ChromeOS's kernels are, with LLVM=1 (clang,
# ld.lld, the llvm tools) and ThinLTO, with modversions, and llvmy the
# same with kheaders =y.  Each has the options its kselftest asks for.
# The objtree, modules and config fragments of each:
variants="m y mv arm64 llvm llvmy"
# The variants tested as a device uses them (tests/guest/device.sh: a
# module build from the archive alone); the others get the whole of
# tests/guest/kheaders.sh.
device_variants="arm64 llvm llvmy"
# The kselftest runs on one of each kind: y (built in), mv (a module, its
# load/unload cycles under kmemleak) and arm64; on m it would repeat mv's.
kselftest_variants="y mv arm64"
# The xz readers (tests/host/xz_readers.sh) read the served file of one:
# its format, blocks and index, is the same in every variant.
readers_variants="m"
# Kernels built for one test: noproc, kheaders=y without /proc, booted
# without the guest's userland (tests/noproc.sh); arm64y, arm64 with
# kheaders=y, never booted, for scripts/extract-ikheaders on its Image and
# Image.gz (tests/host/extract_ikheaders.sh).
test_kernels="noproc arm64y"
objtree() { echo "$build/obj-$1"; }
modroot() { echo "$build/modules-$1"; }
fragments() {
	if [ "$1" = noproc ]; then
		echo "$top/workbench/configs/noproc.config"
		return
	fi
	if [ "$(kernel_arch "$1")" = arm64 ]; then
		echo "$top/workbench/configs/arm64.config"
		echo "$top/linux/tools/testing/selftests/kheaders/config"
		echo "$top/workbench/configs/modversions.config"
		if [ "$1" = arm64y ]; then echo "$top/workbench/configs/ikheaders-y.config"; fi
		return
	fi
	echo "$top/workbench/configs/guest.config"
	echo "$top/linux/tools/testing/selftests/kheaders/config"
	if [ "${1#llvm}" != "$1" ]; then
		if [ "$1" = llvmy ]; then
			echo "$top/workbench/configs/ikheaders-y.config"
		else
			echo "$top/workbench/configs/ikheaders-m.config"
		fi
		echo "$top/workbench/configs/modversions.config"
		echo "$top/workbench/configs/llvm.config"
		return
	fi
	echo "$top/workbench/configs/ikheaders-${1:0:1}.config"
	if [ "${1:1}" = v ]; then echo "$top/workbench/configs/modversions.config"; fi
	if [ "$1" = mv ]; then
		echo "$top/workbench/configs/kmemleak.config"
		echo "$top/workbench/configs/distro.config"
	fi
}
# The variant whose objtree the first build of a variant starts from: the
# one that differs from it in the fewest options; none for noproc, which
# shares almost none, for arm64, which is another architecture, and for
# llvm, another compiler.
seed_variant() {
	case $1 in
	m) echo y ;;
	y | mv) echo m ;;
	arm64y) echo arm64 ;;
	llvmy) echo llvm ;;
	esac
}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The kernel's architecture and its boot image, by variant.
kernel_arch() { case $1 in arm64*) echo arm64 ;; *) echo x86 ;; esac; }
kernel_image() {
	case $(kernel_arch "$1") in
	arm64) echo arch/arm64/boot/Image ;;
	*) echo arch/x86/boot/bzImage ;;
	esac
}
# use_variant VARIANT: set ARCH and CROSS_COMPILE for kmake, which a
# variant of another architecture than the host's needs, or LLVM.
use_variant() {
	unset ARCH CROSS_COMPILE LLVM
	if [ "$(kernel_arch "$1")" = arm64 ]; then
		export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	elif [ "${1#llvm}" != "$1" ]; then
		export LLVM=1
	fi
}

# Build with ccache when it is installed; it keeps reruns short, also in
# another checkout: paths under $top are hashed relative to it.
kmake() {
	local ccache='' cc=${CROSS_COMPILE:-}gcc hostcc=gcc
	command -v ccache >/dev/null && ccache="ccache "
	[ -z "${LLVM:-}" ] || cc=clang hostcc=clang
	CCACHE_BASEDIR=$top make -C "$tree" CC="$ccache$cc" \
		HOSTCC="$ccache$hostcc" -j"$(nproc)" "$@"
}

kernel_release() { cat "$(objtree "$1")/include/config/kernel.release"; }
