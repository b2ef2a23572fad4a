#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages the workbench and the tests need, when missing.
# Run as root; otherwise only report what is missing.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

packages=(
	linux-source-6.12			# the base tree
	make gcc bc bison flex libelf-dev libssl-dev	# building a kernel
	gcc-12-plugin-dev			# and a randstruct one
	openssl					# its module signing key
	cpio kmod perl tar xz-utils binutils	# kheaders, modules_install
	ccache					# faster rebuilds
	qemu-system-x86				# booting the kernel
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross	# the arm64 variant,
	qemu-system-arm				# and booting it
	bpfcc-tools python3-bpfcc bpftrace	# clients tested in the guest
	dkms
	shellcheck python3-ply python3-git	# style checks (checkpatch, spdxcheck)
	clang lld llvm				# the llvm variant; clang also
						# lexes C for the token tests
	python3-docutils			# documentation check
	gzip bzip2 lzop lz4 zstd		# images for scripts/extract-ikheaders
	faketime				# a clock ahead of file times
	libarchive-tools busybox toybox 7zip pixz	# readers of the served file,
	golang-go golang-github-ulikunitz-xz-dev	# the Go and Rust ones built
	golang-github-xi2-xz-dev cargo rustc	# offline against Debian's
	librust-xz2-dev pkg-config liblzma-dev	# libraries
)

missing=()
for pkg in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$pkg")
done
[ ${#missing[@]} = 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	die "missing Debian packages: ${missing[*]} (run as root to install them)"
fi
mkdir -p "$build"
say "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q > /dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" > "$build/apt.log" 2>&1 ||
	{ tail -n 20 "$build/apt.log"; die "apt-get install failed"; }
