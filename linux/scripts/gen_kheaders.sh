#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Make the archive that kernel/kheaders.c serves: the kernel headers and what
# an external module build needs, as a reproducible tar.xz.
#
#   gen_kheaders.sh inputs LDS
#	Print the manifest of the inputs: every archive member with a hash of
#	its content.  kernel/Makefile rebuilds the archive only when it changes.
#   gen_kheaders.sh archive OUTPUT LDS MTIME
#	Write OUTPUT: a tar.xz without its end-of-archive blocks, which the
#	kernel appends at run time after Module.symvers.  Members are sorted,
#	owned by root, mode 0644 or 0755, and dated MTIME (seconds since the
#	epoch).  OUTPUT is replaced only once complete.
#
# LDS is the module linker script built for the archive; it is archived as
# scripts/module.lds.  Run by kernel/Makefile in the object tree, with
# srctree and SRCARCH set.  TAR, XZ and PERL may name other programs.

set -eu

me=gen_kheaders.sh
tar=${TAR:-tar}
xz=${XZ:-xz}
perl=${PERL:-perl}
tab=$(printf '\t')
export LC_ALL=C

die() {
	echo >&2 "$me: $*"
	exit 1
}

# need COMMAND DEBIAN_PACKAGE
need() {
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found; install it (Debian package: $2)"
}

# Regular files under the given directories, leaving out hidden files
# (.*.cmd, NFS and AFS silly-rename files), build products that a module
# build does not read, and keys and certificates.  Symlinks are followed:
# some build sandboxes link every source file.
find_files() {
	find -L "$@" \( -name '.*' -o -path scripts/atomic -o -path scripts/coccinelle \
		-o -path scripts/dtc -o -path scripts/dummy-tools \
		-o -path scripts/gdb -o -path scripts/kconfig \
		-o -path scripts/package -o -path scripts/selinux \
		-o -path scripts/tracing \) -prune -o -type f \
		! -name '*.[oas]' ! -name '*.mod' ! -name '*.mod.c' \
		! -name '*.order' ! -name '*.symvers' ! -name '*.tmp' ! -name '*~' \
		! -name '*.pem' ! -name '*.x509' ! -name '*.key' ! -name '*.crt' \
		! -name '*.der' ! -name '*.p12' ! -name '*.p8' \
		! -path scripts/module.lds -print
}

# Print "member<TAB>path" for every member, sorted by member.
list_members() {
	lds=$1
	{
		(
			cd "$srctree"
			echo Makefile
			find -L "arch/$SRCARCH" -maxdepth 1 -type f -name 'Makefile*'
			find_files include "arch/$SRCARCH/include" scripts |
				sed -e '\|^include/config/|d' -e '\|^include/generated/|d' \
					-e "\\|^arch/$SRCARCH/include/generated/|d"
		) | awk -v dir="$srctree/" '{ print $0 "\t" dir $0 }'

		{
			# utsversion.h changes with every link of vmlinux.
			for dir in include/generated "arch/$SRCARCH/include/generated"; do
				if [ -d "$dir" ]; then find_files "$dir"; fi
			done |
				sed '\|^include/generated/utsversion\.h$|d'
			echo include/config/auto.conf
			echo include/config/kernel.release
			# In an O= build, the host programs are in the object tree.
			if [ "$(cd "$srctree" && pwd -P)" != "$(pwd -P)" ]; then
				find_files scripts
			fi
			if grep -qx 'CONFIG_OBJTOOL=y' include/config/auto.conf; then
				echo tools/objtool/objtool
			fi
		} | awk '{ print $0 "\t" $0 }'

		printf 'scripts/module.lds\t%s\n' "$lds"
	} | sort -t "$tab" -k1,1 -u
}

# The Perl part: one process for all files.
#   manifest LIST		print "md5  member" for every member
#   stage LIST ROOT SRCARCH	copy the members under ROOT with comments
#				stripped from headers; print the ELF files
# shellcheck disable=SC2016 # Perl code, not shell
perl_code='
use strict;
use warnings;
use Digest::MD5 qw(md5_hex);

my ($mode, $list, $root, $srcarch) = @ARGV;
my %made;

sub slurp {
	my ($path) = @_;
	open(my $fh, "<:raw", $path) or die "$path: $!\n";
	local $/;
	my $data = <$fh>;
	close($fh);
	return $data // "";
}

# A comment becomes one space, so tokens never merge, and each of its line
# breaks becomes a backslash-newline, so every line keeps its number and a
# comment inside a #define does not end it.  SPDX comments stay.
sub blank {
	my ($c) = @_;
	return $c if index($c, "SPDX-License-Identifier") >= 0;
	return ("\\\n" x ($c =~ tr/\n//)) . " ";
}

sub strip_comments {
	my ($data) = @_;
	$data =~ s{
		( "(?:[^"\\\n]|\\.)*" | \x27(?:[^\x27\\\n]|\\.)*\x27 )
		| ( /\*.*?\*/ | //(?:[^\\\n]|\\.)* )
	}{ defined $1 ? $1 : blank($2) }gsex;
	return $data;
}

sub mkdirs {
	my ($dir) = @_;
	return if $made{$dir}++ || -d $dir;
	mkdirs($1) if $dir =~ m{^(.+)/[^/]+$};
	mkdir($dir) or die "$dir: $!\n";
}

open(my $lf, "<", $list) or die "$list: $!\n";
while (my $line = <$lf>) {
	chomp($line);
	my ($member, $path) = split(/\t/, $line, 2);
	my $data = slurp($path);

	if ($mode eq "manifest") {
		print md5_hex($data), "  $member\n";
		next;
	}

	# Generated headers checked by a hash on their last line stay as is.
	if ($member =~ m{^(?:include|arch/\Q$srcarch\E/include)/.*\.h$} &&
	    $data !~ m{\n// [0-9a-f]{40}\n?\z}) {
		$data = strip_comments($data);
	}
	my $dest = "$root/$member";
	mkdirs($1) if $dest =~ m{^(.+)/[^/]+$};
	open(my $out, ">:raw", $dest) or die "$dest: $!\n";
	print $out $data or die "$dest: $!\n";
	close($out) or die "$dest: $!\n";
	chmod((stat($path))[2] & 0111 ? 0755 : 0644, $dest) or die "$dest: $!\n";
	print "$dest\n" if substr($data, 0, 4) eq "\x7fELF";
}
'

cmd_inputs() {
	[ $# -eq 1 ] || die "usage: $me inputs LDS"
	need "$perl" perl
	list=$(mktemp)
	trap 'rm -f "$list"' EXIT
	list_members "$1" > "$list"
	"$perl" -e "$perl_code" manifest "$list"
}

cmd_archive() {
	[ $# -eq 3 ] || die "usage: $me archive OUTPUT LDS MTIME"
	out=$1
	lds=$2
	mtime=$3
	case $mtime in
	'' | *[!0-9]*) die "bad MTIME '$mtime' (check KBUILD_BUILD_TIMESTAMP)" ;;
	esac
	need "$perl" perl
	need "$tar" tar
	need "$xz" xz-utils
	need strip binutils
	"$tar" --version 2>/dev/null | grep -q 'GNU tar' ||
		die "'$tar' is not GNU tar; install GNU tar (Debian package: tar) or set TAR"

	tmp=$(mktemp -d "$out.tmp.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' HUP INT TERM

	list_members "$lds" > "$tmp/list"
	cut -f1 "$tmp/list" > "$tmp/members"
	"$perl" -e "$perl_code" stage "$tmp/list" "$tmp/root" "$SRCARCH" > "$tmp/elf"
	# Host programs: no symbols, and no build ID, which varies with the
	# build directory when they are built with -g.
	if [ -s "$tmp/elf" ]; then
		tr '\n' '\0' < "$tmp/elf" | xargs -0 strip --remove-section=.note.gnu.build-id
	fi

	# One 512-byte record per block, so the archive ends with exactly the
	# two zero blocks that are cut off here.
	"$tar" -C "$tmp/root" --create --file="$tmp/tar" --format=gnu \
		--blocking-factor=1 --no-recursion --verbatim-files-from \
		--files-from="$tmp/members" --owner=0 --group=0 --numeric-owner \
		--mode=u=rwX,go=rX --mtime="@$mtime"
	size=$(wc -c < "$tmp/tar")
	if [ $((size % 512)) -ne 0 ] || [ "$size" -le 1024 ]; then
		die "$tar wrote an archive of unexpected size $size"
	fi
	truncate -s $((size - 1024)) "$tmp/tar"
	"$xz" --check=crc32 --threads=1 -9 --stdout "$tmp/tar" > "$tmp/tar.xz"
	mv -f "$tmp/tar.xz" "$out"
}

[ $# -ge 1 ] || die "usage: $me inputs|archive ..."
if [ -z "${srctree:-}" ] || [ -z "${SRCARCH:-}" ]; then
	die "srctree and SRCARCH must be set (run from kernel/Makefile)"
fi
[ -f include/config/auto.conf ] ||
	die "include/config/auto.conf missing: run in a configured object tree"

mode=$1
shift
case $mode in
inputs) cmd_inputs "$@" ;;
archive) cmd_archive "$@" ;;
*) die "unknown mode '$mode'" ;;
esac
