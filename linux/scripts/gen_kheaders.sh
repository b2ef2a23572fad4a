#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Make the archive that kernel/kheaders.c serves: the kernel headers and what
# an external module build needs, as a reproducible tar.xz.
#
#   gen_kheaders.sh inputs LDS CACHE
#	Print the manifest of the inputs: every archive member with a hash of
#	its content.  kernel/Makefile rebuilds the archive only when it changes.
#	CACHE keeps the hashes of files whose status has not changed since.
#   gen_kheaders.sh archive OUTPUT LDS MTIME
#	Write OUTPUT: a tar.xz without its end-of-archive blocks, which the
#	kernel appends at run time after Module.symvers.  Members are sorted,
#	owned by root, mode 0644 or 0755, and dated MTIME (seconds since the
#	epoch).  OUTPUT is replaced only once complete.
#
# LDS is the module linker script built for the archive; it is archived as
# scripts/module.lds.  Run by kernel/Makefile in the object tree, with
# srctree and SRCARCH set.  XZ and PERL may name other programs.  The ELF
# files archived are host programs: the host's strip strips them, never
# $(STRIP), which is the target's.

set -eu

me=gen_kheaders.sh
xz=${XZ:-xz}
perl=${PERL:-perl}
nl='
'
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

# enabled CONFIG_FOO: without a process per question.
enabled() {
	case "$nl$config$nl" in
	*"$nl$1=y$nl"*) return 0 ;;
	esac
	return 1
}

# find_files TAG DIR...: print "TAG<TAB>file" for the regular files under
# the DIRs, leaving out hidden files (.*.cmd, NFS and AFS silly-rename
# files), build products and the object tree's own directories.  Symlinks
# are followed: some build sandboxes link every source file.
find_files() {
	tag=$1
	shift
	find -L "$@" \( -name '.*' -o -path include/config -o -path include/generated \
		-o -path "arch/$SRCARCH/include/generated" \) -prune -o -type f \
		! -name '*.[oas]' ! -name '*.cmd' ! -name '*.tmp' ! -name '*~' \
		-printf "$tag\t%p\n"
}

# From the source tree: the headers, and the makefiles and scripts that an
# external module build runs.  Host program sources are left out: the
# programs are archived built.
source_members() {
	find -L Makefile "arch/$SRCARCH" -maxdepth 1 -type f -name 'Makefile*' \
		-printf 's\t%p\n'
	find_files s include "arch/$SRCARCH/include"
	find -L scripts -maxdepth 1 -type f -name 'Makefile.*' -printf 's\t%p\n'
	printf 's\t%s\n' scripts/Kbuild.include scripts/subarch.include \
		scripts/module-common.c scripts/depmod.sh scripts/modules-check.sh \
		scripts/makelst scripts/kernel-doc
	if enabled CONFIG_FTRACE_MCOUNT_USE_RECORDMCOUNT &&
	   ! enabled CONFIG_HAVE_C_RECORDMCOUNT; then
		printf 's\tscripts/recordmcount.pl\n'
	fi
}

# From the object tree: generated headers, the configuration, and the host
# programs that the build runs, by configuration: a program left over from
# an earlier configuration is not archived.
object_members() {
	# utsversion.h changes with every link of vmlinux.
	find -L include/generated "arch/$SRCARCH/include/generated" \
		-path include/generated/utsversion.h -prune -o -name '.*' -prune -o \
		-type f ! -name '*.cmd' ! -name '*.tmp' -printf 'o\t%p\n'
	{
		echo include/config/auto.conf
		echo include/config/kernel.release
		echo scripts/basic/fixdep
		if enabled CONFIG_MODULES; then echo scripts/mod/modpost; fi
		if enabled CONFIG_MODVERSIONS; then echo scripts/genksyms/genksyms; fi
		if enabled CONFIG_FTRACE_MCOUNT_USE_RECORDMCOUNT &&
		   enabled CONFIG_HAVE_C_RECORDMCOUNT; then
			echo scripts/recordmcount
		fi
		if enabled CONFIG_MODULE_SIG_FORMAT; then echo scripts/sign-file; fi
		if enabled CONFIG_ASN1; then echo scripts/asn1_compiler; fi
		if enabled CONFIG_OBJTOOL; then echo tools/objtool/objtool; fi
		if enabled CONFIG_DEBUG_INFO_BTF_MODULES; then
			echo tools/bpf/resolve_btfids/resolve_btfids
		fi
	} | sed 's/^/o\t/'
	if enabled CONFIG_GCC_PLUGINS; then
		find -L scripts/gcc-plugins -maxdepth 1 -type f -name '*.so' -printf 'o\t%p\n'
	fi
}

# Print every member as "s<TAB>member" (from the source tree), "o<TAB>member"
# (from the object tree) or "p<TAB>member<TAB>path", unsorted.
list_members() {
	(cd "$srctree" && source_members)
	object_members
	printf 'p\tscripts/module.lds\t%s\n' "$1"
}

# The Perl part: one process for all files.
#   manifest - CACHE		print "md5 mode member" for every member
#				listed on stdin
#   archive LIST MTIME SRCARCH TMP XZ...
#				write the tar stream through XZ to stdout
# shellcheck disable=SC2016 # Perl code, not shell
perl_code='
use strict;
use warnings;

$SIG{__DIE__} = sub { print STDERR "gen_kheaders.sh: $_[0]"; exit(1); };

my $mode = shift(@ARGV);
my $list = shift(@ARGV);

sub slurp {
	my ($path) = @_;
	open(my $fh, "<:raw", $path) or die "$path: $!\n";
	local $/;
	my $data = <$fh>;
	close($fh);
	return $data // "";
}

# Loaded only when a hash is needed: a no-op check needs none.
sub md5 {
	require Digest::MD5;
	return Digest::MD5::md5_hex(@_);
}

sub members {
	my $fh = \*STDIN;
	if ($list ne "-") {
		open($fh, "<", $list) or die "$list: $!\n";
	}
	my %path;
	while (<$fh>) {
		chomp;
		my ($tag, $member, $path) = split(/\t/);
		$path{$member} = $tag eq "s" ? "$ENV{srctree}/$member" :
			$tag eq "o" ? $member : $path;
	}
	close($fh) if $list ne "-";
	return map { [$_, $path{$_}] } sort(keys(%path));
}

# The archived mode of a file of mode $st_mode: executable or not.
sub perm {
	my ($st_mode) = @_;
	return $st_mode & 0111 ? 0755 : 0644;
}

if ($mode eq "manifest") {
	# Hashes are kept under the file status (device, inode, size, mtime,
	# ctime).  An entry changed in the last two seconds is not kept: a
	# later change then shows in the ctime, whatever its granularity.
	my ($cache) = @ARGV;
	my $cached = -e $cache ? slurp($cache) : "";
	my %old = $cached =~ /^([^\t]*)\t(.*)$/mg;
	my (@new, $out);
	my $settled = time() - 2;
	for my $m (members()) {
		my ($member, $path) = @$m;
		my @st = stat($path) or die "$path: $!\n";
		my $key = join(" ", @st[0, 1, 7, 9, 10]);
		my $entry = $old{$path} // "";
		my $md5 = substr($entry, 0, length($key) + 1) eq "$key\t" ?
			substr($entry, length($key) + 1) : md5(slurp($path));
		push(@new, "$path\t$key\t$md5\n")
			if $st[9] < $settled && $st[10] < $settled;
		$out .= sprintf("%s %o %s\n", $md5, perm($st[2]), $member);
	}
	print $out;
	my $kept = join("", @new);
	exit(0) if $kept eq $cached;
	my $tmp = "$cache.tmp$$";
	open(my $fh, ">", $tmp) or die "$tmp: $!\n";
	print $fh $kept;
	close($fh) or die "$tmp: $!\n";
	rename($tmp, $cache) or die "$cache: $!\n";
	exit(0);
}

my ($mtime, $srcarch, $tmp, @xz) = @ARGV;

# Headers are made compact, their tokens unchanged: comments go (SPDX ones
# stay), and so do blank lines, trailing whitespace and runs of whitespace
# within a line; indentation and string and character literals stay.
my $literal = qr{"(?:[^"\\\n]|\\.)*"|\x27(?:[^\x27\\\n]|\\.)*\x27}s;

sub in_directive {
	my ($data, $at) = @_;
	my $bol = rindex($data, "\n", $at - 1) + 1;
	while ($bol > 1 && substr($data, $bol - 2, 1) eq "\\") {
		$bol = rindex($data, "\n", $bol - 3) + 1;
	}
	return substr($data, $bol, $at - $bol) =~ /^[ \t]*#/;
}

# A comment over several lines ends a line, so that a "#" after it still
# starts a directive, unless it is within a directive, which goes on.
sub blank {
	my ($comment, $data, $at) = @_;
	return $comment if index($comment, "SPDX-License-Identifier") >= 0;
	return " " if index($comment, "\n") < 0 || in_directive($data, $at);
	return "\n";
}

sub strip_header {
	my ($data) = @_;
	my $orig = $data;
	$data =~ s{($literal)|(/\*.*?\*/|//(?:[^\\\n]|\\.)*)}
		{ defined($1) ? $1 : blank($2, $orig, $-[0]) }gse;
	$data =~ s{($literal)|([ \t]+(?=\n|\z))|(?<=\S)[ \t]{2,}}
		{ defined($1) ? $1 : defined($2) ? "" : " " }ge;
	# An empty line after a backslash-newline ends a directive: keep it.
	$data =~ s{(\\?)\n\n+}{ $1 ? "\\\n\n" : "\n" }ge;
	$data =~ s{\A\n+}{};
	return $data;
}

sub tar_header {
	my ($name, $perm, $size) = @_;
	my $prefix = "";
	if (length($name) > 100) {
		# ustar: the leading directories go to the prefix field.
		my $cut = index($name, "/", length($name) - 101);
		die "$name: name too long for a tar header\n"
			if $cut < 0 || $cut > 155;
		($prefix, $name) = (substr($name, 0, $cut), substr($name, $cut + 1));
	}
	my $h = pack("a100 a8 a8 a8 a12 a12 a8 a1 a100 a6 a2 a32 a32 a8 a8 a155 a12",
		$name, sprintf("%07o", $perm), "0000000", "0000000",
		sprintf("%011o", $size), sprintf("%011o", $mtime), " " x 8, "0",
		"", "ustar", "00", "", "", "", "", $prefix, "");
	substr($h, 148, 8) = sprintf("%06o\0 ", unpack("%32C*", $h));
	return $h;
}

open(my $out, "|-", @xz) or die "$xz[0]: $!\n";
binmode($out);
my $n = 0;
for my $m (members()) {
	my ($member, $path) = @$m;
	my $data = slurp($path);
	my @st = stat($path) or die "$path: $!\n";
	my $perm = perm($st[2]);

	if (substr($data, 0, 4) eq "\x7fELF") {
		# No symbols, and no build ID, which varies with the build
		# directory when host programs are built with -g.
		my $copy = "$tmp/elf" . $n++;
		system("strip", "--remove-section=.note.gnu.build-id",
		       "-o", $copy, $path) == 0 or die "$path: strip failed\n";
		$data = slurp($copy);
	} elsif ($member =~ m{^(?:include|arch/\Q$srcarch\E/include)/.*\.h$} &&
		 $data !~ m{\n// [0-9a-f]{40}\n?\z}) {
		# Generated headers checked by a hash on their last line stay.
		$data = strip_header($data);
	}
	my $size = length($data);
	print $out tar_header($member, $perm, $size), $data,
		"\0" x (-$size % 512) or die "$xz[0]: $!\n";
}
close($out) or die "$xz[0] failed\n";
'

cmd_inputs() {
	[ $# -eq 2 ] || die "usage: $me inputs LDS CACHE"
	need "$perl" perl
	list_members "$1" | "$perl" -e "$perl_code" manifest - "$2"
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
	need "$xz" xz-utils
	need strip binutils

	tmp=$(mktemp -d "$out.tmp.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' HUP INT TERM

	list_members "$lds" > "$tmp/list"
	# Two threads, each on its own half: fixed block boundaries keep the
	# output the same on any machine.
	"$perl" -e "$perl_code" archive "$tmp/list" "$mtime" "$SRCARCH" "$tmp" \
		"$xz" --format=xz --check=crc32 --threads=2 \
		--block-size=16MiB --lzma2=preset=9e,lc=4,pb=0 --stdout \
		> "$tmp/tar.xz"
	mv -f "$tmp/tar.xz" "$out"
}

[ $# -ge 1 ] || die "usage: $me inputs|archive ..."
if [ -z "${srctree:-}" ] || [ -z "${SRCARCH:-}" ]; then
	die "srctree and SRCARCH must be set (run from kernel/Makefile)"
fi
[ -f include/config/auto.conf ] ||
	die "include/config/auto.conf missing: run in a configured object tree"
config=$(grep '=y$' include/config/auto.conf || true)

mode=$1
shift
case $mode in
inputs) cmd_inputs "$@" ;;
archive) cmd_archive "$@" ;;
*) die "unknown mode '$mode'" ;;
esac
