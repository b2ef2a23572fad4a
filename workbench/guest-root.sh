#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest-root.sh ARCH: make build/root-ARCH, the root filesystem of a guest of
# another architecture than the host's: what a device needs to build a
# module from the archive and to run the tests (a shell, make, gcc, tar,
# xz, kmod), as Debian 12 packages for ARCH.  No code of ARCH runs on the
# host: apt works out the packages and downloads them with a state of its
# own (the host's dpkg is not touched), and each is unpacked as it is, its
# maintainer scripts left out.  Made once; again when the list changes.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: guest-root.sh ARCH}
packages=(bash coreutils dash diffutils findutils grep sed mawk gzip tar
	xz-utils kmod make gcc libc6-dev libc-bin util-linux mount procps
	perl-base)
root=$build/root-$arch
state=$build/apt-$arch
stamp=$root/.packages

want="$arch: ${packages[*]}"
[ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && exit 0

say "root-$arch: downloading Debian packages for $arch"
rm -rf "$state" "$root" "$root.tmp"
mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
: > "$state/status"
apt_opts=(-q -o "APT::Architecture=$arch" -o "APT::Architectures::=$arch"
	-o "Dir::State=$state" -o "Dir::State::status=$state/status"
	-o "Dir::Cache=$state/cache" -o Debug::NoLocking=1)
log=$build/apt-$arch.log
{
	apt-get "${apt_opts[@]}" update &&
		apt-get "${apt_opts[@]}" install --download-only \
			--no-install-recommends -y "${packages[@]}"
} > "$log" 2>&1 || { tail -n 20 "$log"; die "apt-get for $arch failed (log: ${log#"$top"/})"; }

say "root-$arch: unpacking"
# Merged /usr, as Debian 12 installs it: the packages' /bin, /sbin and /lib
# land in /usr.
mkdir -p "$root.tmp/usr/bin" "$root.tmp/usr/sbin" "$root.tmp/usr/lib"
for dir in bin sbin lib; do ln -s "usr/$dir" "$root.tmp/$dir"; done
for deb in "$state"/cache/archives/*.deb; do
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x --keep-directory-symlink -C "$root.tmp" ||
		die "unpacking $deb failed"
done
# What the maintainer scripts would have made: the alternatives used.
ln -sf mawk "$root.tmp/usr/bin/awk"
mkdir -p "$root.tmp/proc" "$root.tmp/sys" "$root.tmp/dev" "$root.tmp/run" \
	"$root.tmp/tmp" "$root.tmp/root"
chmod 1777 "$root.tmp/tmp"
echo "root:x:0:0:root:/root:/bin/sh" > "$root.tmp/etc/passwd"
echo "root:x:0:" > "$root.tmp/etc/group"
echo "$want" > "$root.tmp/.packages"
mv "$root.tmp" "$root"
say "root-$arch: $(find "$state"/cache/archives -name '*.deb' | wc -l) packages, $(du -sh "$root" | cut -f1)"
