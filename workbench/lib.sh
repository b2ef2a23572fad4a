# SPDX-License-Identifier: GPL-2.0
# Shared by the workbench scripts: paths and small helpers.  Sourced, not run.
# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$top/build
base_pkg=linux-source-6.12
base_tarball=/usr/src/$base_pkg.tar.xz
base_tree=$build/base/$base_pkg	# pristine, as Debian ships it
tree=$build/linux		# base tree, its kheaders removed, ours laid over

# Kernel variants: the objtree, config fragments and modules of each.
variants="m y"
objtree() { echo "$build/obj-$1"; }
modroot() { echo "$build/modules-$1"; }

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Build with ccache when it is installed; it keeps reruns short.
kmake() {
	local cc=gcc
	command -v ccache >/dev/null && cc="ccache gcc"
	make -C "$tree" CC="$cc" HOSTCC="$cc" -j"$(nproc)" "$@"
}

kernel_release() { cat "$(objtree "$1")/include/config/kernel.release"; }
