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
# mv and yv do the same with CONFIG_MODVERSIONS=y.  mv is also like a
# distribution's kernel (many subsystems as modules, signed modules), with
# kmemleak on.  Each has the options its kselftest asks for.  The objtree,
# modules and config fragments of each:
variants="m y mv yv"
objtree() { echo "$build/obj-$1"; }
modroot() { echo "$build/modules-$1"; }
fragments() {
	echo "$top/workbench/configs/guest.config"
	echo "$top/linux/tools/testing/selftests/kheaders/config"
	echo "$top/workbench/configs/ikheaders-${1:0:1}.config"
	if [ "${1:1}" = v ]; then echo "$top/workbench/configs/modversions.config"; fi
	if [ "$1" = mv ]; then
		echo "$top/workbench/configs/kmemleak.config"
		echo "$top/workbench/configs/distro.config"
	fi
}
# The variant whose objtree the first build of a variant starts from: the
# one that differs from it in the fewest options.
seed_variant() {
	case $1 in
	m) echo y ;;
	y | mv) echo m ;;
	yv) echo y ;;
	esac
}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Build with ccache when it is installed; it keeps reruns short, also in
# another checkout: paths under $top are hashed relative to it.
kmake() {
	local cc=gcc
	command -v ccache >/dev/null && cc="ccache gcc"
	CCACHE_BASEDIR=$top make -C "$tree" CC="$cc" HOSTCC="$cc" -j"$(nproc)" "$@"
}

kernel_release() { cat "$(objtree "$1")/include/config/kernel.release"; }
