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
# make check.  Each has the options its kselftest asks for.  The objtree,
# modules and config fragments of each:
variants="m y mv"
# The kselftest runs on one of each kind: y (built in) and mv (a module,
# its load/unload cycles under kmemleak); on m it would repeat mv's.
kselftest_variants="y mv"
# A kernel built for one test, booted without the guest's userland:
# noproc, kheaders=y without /proc (tests/noproc.sh).
test_kernels="noproc"
objtree() { echo "$build/obj-$1"; }
modroot() { echo "$build/modules-$1"; }
fragments() {
	if [ "$1" = noproc ]; then
		echo "$top/workbench/configs/noproc.config"
		return
	fi
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
# one that differs from it in the fewest options; none for noproc, which
# shares almost none.
seed_variant() {
	case $1 in
	m) echo y ;;
	y | mv) echo m ;;
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
