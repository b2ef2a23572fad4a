#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Make the archive that kernel/kheaders.c serves: the kernel headers and what
# an external module build needs, as a reproducible tar.xz.
#
#   gen_kheaders.sh inputs LDS CACHE
#	Print the manifest of the inputs: every archive member with a hash of
#	its content.  kernel/Makefile rebuilds the archive only when it changes.
#	The directory CACHE keeps the hashes of files whose status has not
#	changed since.
#   gen_kheaders.sh archive OUTPUT LDS TIMESTAMP [CACHE]
#	Write OUTPUT: the members as an xz stream of tar data without the
#	end-of-archive blocks.  Members are sorted, owned by root, mode 0644
#	or 0755, and dated TIMESTAMP (KBUILD_BUILD_TIMESTAMP, any date that
#	GNU date reads), or the epoch when it is empty.  CACHE also keeps the
#	xz blocks, one per group of members: the next run compresses again
#	only the groups that changed.
#   gen_kheaders.sh finish OUTPUT PART TIMESTAMP [SYMVERS]
#	Write OUTPUT, the file that kernel/kheaders.c serves: the blocks of
#	PART, then one block with SYMVERS as the member Module.symvers and
#	the end-of-archive blocks, in one xz stream with one index.  Run
#	once modpost has written SYMVERS, which comes after the descent.
#
# OUTPUT is replaced only once complete; finish leaves it as it was when its
# bytes would be the same.
#
# LDS is the module linker script built for the archive; it is archived as
# scripts/module.lds.  Run by kernel/Makefile in the object tree, with
# srctree and SRCARCH set.  XZ and PERL may name other programs (XZ with
# options, as elsewhere in Kbuild); XZ_DEFAULTS and XZ_OPT are ignored, so
# that the bytes depend on the inputs alone.  The ELF files archived are
# host programs, which the host's strip strips (llvm-strip with LLVM=1);
# in a cross build, they are built again for the target (see cross_build),
# and $(STRIP) strips them.
# Headers are archived compact, their tokens unchanged, by the host program
# scripts/kheaders_compact, which the archive step runs.  Needs GNU find
# (-printf), and Perl with Digest::MD5 and Time::HiRes (Debian: perl, not
# perl-base alone).

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

# The status of a file as find prints it, as the hash cache keys it: device,
# inode, size and ctime to the nanosecond (any change to the content or the
# mtime sets the ctime), and the permissions.
status='%D %i %s %C@ %m'

# find_files TAG DIR...: print "TAG<TAB>status<TAB>file<NUL>" for the regular
# files under the DIRs, leaving out hidden files (.*.cmd, NFS and AFS
# silly-rename files), build products and the object tree's own
# directories.  Symlinks are followed: some build sandboxes link every
# source file.  Editor and patch leftovers are left out too, and a file
# removed while find reads its directory (sed -i's, an editor's) is none.
find_files() {
	tag=$1
	shift
	find -L "$@" -ignore_readdir_race \( -name '.*' -o -path include/config \
		-o -path include/generated \
		-o -path "arch/$SRCARCH/include/generated" \) -prune -o -type f \
		! -name '*.[oas]' ! -name '*.cmd' ! -name '*.tmp' ! -name '*~' \
		! -name '*.orig' ! -name '*.rej' ! -name '#*#' ! -name '*.gch' \
		-printf "$tag\t$status\t%p\0"
}

# print_files TAG PATTERN...: print "TAG<TAB>file<NUL>" for the regular files
# (or links to one) that the shell patterns match, in the shell: this step
# runs at every make, a process costs more than a few names.
print_files() {
	tag=$1
	shift
	for f in "$@"; do
		case $f in *~ | *.orig | *.rej | *.tmp) continue ;; esac
		if [ -f "$f" ]; then printf '%s\t%s\0' "$tag" "$f"; fi
	done
}

# From the source tree: the headers, and the makefiles and scripts that an
# external module build runs.  Host program sources are left out: the
# programs are archived built.
source_members() {
	print_files s Makefile "arch/$SRCARCH"/Makefile* scripts/Makefile.*
	find_files S include "arch/$SRCARCH/include" || return
	printf 's\t%s\0' scripts/Kbuild.include scripts/subarch.include \
		scripts/module-common.c scripts/depmod.sh scripts/modules-check.sh \
		scripts/makelst scripts/kernel-doc
	if enabled CONFIG_FTRACE_MCOUNT_USE_RECORDMCOUNT &&
	   ! enabled CONFIG_HAVE_C_RECORDMCOUNT; then
		printf 's\tscripts/recordmcount.pl\0'
	fi
}

# From the object tree: generated headers, the configuration, and the host
# programs that the build runs (see programs).
object_members() {
	# utsversion.h changes with every link of vmlinux.
	find -L include/generated "arch/$SRCARCH/include/generated" -ignore_readdir_race \
		-path include/generated/utsversion.h -prune -o -name '.*' -prune -o \
		-type f ! -name '*.cmd' ! -name '*.tmp' -printf "O\t$status\t%p\0" || return
	# .config: read by DKMS configurations, as in any headers package.
	printf 'o\t%s\0' .config include/config/auto.conf include/config/kernel.release
	# In a cross build's manifest, the host build stands for a program:
	# it changes when the sources do.
	programs
	for prog in $progs; do
		if [ -n "$cross_dir" ]; then
			printf 'p\t%s\t%s\0' "$prog" "$cross_dir/$prog"
		else
			printf 'o\t%s\0' "$prog"
		fi
	done
	# The randstruct plugin has the seed built in.  The seed is private
	# (scripts/gcc-plugins/Makefile), and the archive is readable by all,
	# in the served file and in the image or kheaders.ko it comes from:
	# it is left out, as is scripts/basic/randstruct.seed, the seed of a
	# Clang build.  scripts/Makefile.randstruct then stops a module build
	# from the archive, which could not match the structure layouts.
	if enabled CONFIG_GCC_PLUGINS && [ -z "$cross" ]; then
		for f in scripts/gcc-plugins/*.so; do
			case $f in
			*/randomize_layout_plugin.so) ;;
			*) print_files o "$f" ;;
			esac
		done
	fi
}

# progs: the host programs that the build runs, by configuration: a program
# left over from an earlier configuration is not archived.  Set in the shell
# itself, which a $(programs) would fork.
programs() {
	progs=scripts/basic/fixdep
	if enabled CONFIG_MODULES; then progs="$progs scripts/mod/modpost"; fi
	if enabled CONFIG_MODVERSIONS; then
		progs="$progs scripts/genksyms/genksyms"
	fi
	if enabled CONFIG_FTRACE_MCOUNT_USE_RECORDMCOUNT &&
	   enabled CONFIG_HAVE_C_RECORDMCOUNT; then
		progs="$progs scripts/recordmcount"
	fi
	if enabled CONFIG_MODULE_SIG_FORMAT; then progs="$progs scripts/sign-file"; fi
	if enabled CONFIG_ASN1; then progs="$progs scripts/asn1_compiler"; fi
	if enabled CONFIG_OBJTOOL; then progs="$progs tools/objtool/objtool"; fi
	if enabled CONFIG_DEBUG_INFO_BTF_MODULES; then
		progs="$progs tools/bpf/resolve_btfids/resolve_btfids"
	fi
}

# A cross-built kernel runs where the build host's programs do not: the
# archive then has the programs built again for the kernel's machine, with
# $(CC), as the kernel's own headers package does (see
# scripts/package/install-extmod-build).  Cross means that
# scripts/mod/empty.o, which $(CC) built for the kernel (never as LTO
# bitcode: modpost's elfconfig.h is read off it), is not for the machine of
# scripts/basic/fixdep.  Without modules no program of the archive runs.

# elf_machine FILE: the ELF class, byte order and machine of FILE, in hex.
elf_machine() {
	od -An -tx1 -N20 "$1" | tr -d ' \n' | cut -c9-12,37-40
}

# cross_sources PROGRAM: the compiler arguments that build PROGRAM, as its
# Makefile under scripts/ does; fails for a program that is not built that
# way: sign-file (it needs the target's libcrypto), objtool, resolve_btfids.
cross_sources() {
	case $1 in
	scripts/basic/fixdep)
		echo "$srctree/scripts/basic/fixdep.c" ;;
	scripts/mod/modpost)
		echo "-I scripts/mod $srctree/scripts/mod/modpost.c" \
			"$srctree/scripts/mod/file2alias.c" \
			"$srctree/scripts/mod/sumversion.c" \
			"$srctree/scripts/mod/symsearch.c" ;;
	scripts/genksyms/genksyms)
		echo "-I scripts/genksyms -I $srctree/scripts/genksyms" \
			"$srctree/scripts/genksyms/genksyms.c" \
			scripts/genksyms/parse.tab.c scripts/genksyms/lex.lex.c ;;
	scripts/recordmcount)
		echo "$srctree/scripts/recordmcount.c" ;;
	scripts/asn1_compiler)
		echo "-I $srctree/include $srctree/scripts/asn1_compiler.c" ;;
	*)
		return 1 ;;
	esac
}

# stub FILE PROGRAM WHY...: in place of a program that could not be built for
# the kernel's machine, a script that says so, so that a module build
# stops with the reason rather than at a missing file.
stub() {
	stub_file=$1
	stub_prog=$2
	shift 2
	cat > "$stub_file" <<EOF
#!/bin/sh
echo >&2 "$stub_prog is not in this kernel's headers archive:" \\
	"the kernel was cross-compiled, and $*." \\
	"Build modules in the kernel's build tree."
exit 1
EOF
	chmod 755 "$stub_file"
}

# cross_build DIR: build in DIR the programs of the archive for the
# kernel's machine, with the flags of the kernel's user programs, statically
# where the compiler can (the device's C library may be another: Android's
# is Bionic), with large file support as host programs have.  The archive
# step strips them.
cross_build() {
	cc=${CC:-cc}
	static=
	enabled CONFIG_CC_CAN_LINK_STATIC && static=-static
	programs
	for prog in $progs; do
		mkdir -p "$1/${prog%/*}"
		if ! enabled CONFIG_CC_CAN_LINK; then
			stub "$1/$prog" "$prog" "$cc could not link programs" \
				"for $SRCARCH (CONFIG_CC_CAN_LINK is not set)"
		elif ! args=$(cross_sources "$prog"); then
			stub "$1/$prog" "$prog" "it is not built again for $SRCARCH"
		else
			# shellcheck disable=SC2086 # lists of words
			$cc ${KBUILD_USERCFLAGS:-} -D_FILE_OFFSET_BITS=64 \
				-I "$srctree/scripts/include" $args $static \
				-o "$1/$prog" ${KBUILD_USERLDFLAGS:-} ||
				die "building $prog for $SRCARCH with $cc failed"
		fi
	done
}

# Print every member as "s<TAB>member" (from the source tree), "o<TAB>member"
# (from the object tree), the same with a status as "S<TAB>status<TAB>member"
# and "O<TAB>status<TAB>member", or "p<TAB>member<TAB>path", each ended by a
# NUL so that any file name comes through whole, unsorted, then "end".
# Fails when a find does (a symlink loop, an unreadable directory, a find
# without -printf), without the end: a short list would make a short
# archive.
list_members() {
	cd "$srctree" && source_members && cd "$OLDPWD" || return
	object_members || return
	printf 'p\tscripts/module.lds\t%s\0end\0' "$1"
}

# The Perl part: one process for all files.
#   manifest LIST CACHE SCRIPT	print "md5 mode member" for every member
#				in LIST
#   archive LIST MTIME TMP STRIP COMPACT CACHE JOBS SCRIPT XZ...
#				write the tar data, compressed by XZ, to
#				stdout
#   finish PART MTIME TMP SYMVERS XZ...
#				write the finished xz stream to stdout
# shellcheck disable=SC2016 # Perl code, not shell
perl_code='
use strict;
use warnings;

# The processes compressing groups, stopped when the archive step fails.
# Each leads a process group of its own, with its xz and other programs:
# the group is stopped, and the worker waited for.
our %workers;
# The files being written in the cache, removed when it fails.
our %temps;
# Not within an eval, which handles its own.
$SIG{__DIE__} = sub {
	return if $^S;
	kill("TERM", map { -$_ } keys(%workers));
	waitpid($_, 0) for keys(%workers);
	unlink(keys(%temps));
	print STDERR "gen_kheaders.sh: $_[0]";
	exit(1);
};
# Interrupted, it stops them too: they are not in the group of make.
$SIG{$_} = sub { die "interrupted\n" } for qw(HUP INT TERM);
# A compressor that dies makes the next write fail, and say so.
$SIG{PIPE} = "IGNORE";
BEGIN {
	for my $module ("Digest::MD5", "Time::HiRes") {
		eval("require $module; 1") or die("Perl module $module not " .
			"found; install it (Debian package: perl)\n");
	}
}

my $mode = shift(@ARGV);

# temp PATH: PATH, a file about to be written, removed if this fails.
sub temp {
	$temps{$_[0]} = 1;
	return $_[0];
}

# slurp PATH [GONE]: the bytes of PATH; with GONE, undefined if it is gone.
sub slurp {
	my ($path, $gone) = @_;
	my $fh;
	if (!open($fh, "<:raw", $path)) {
		return undef if $gone && $!{ENOENT};
		die "$path: $!\n";
	}
	local $/;
	my $data = <$fh>;
	close($fh);
	return $data // "";
}

# members LIST: [member, path, status] of every member in LIST (the text of
# the list), in name order; the status is undefined for those that find
# did not list.
sub members {
	my ($raw) = @_;
	my (%path, %status, $end);
	for (split(/\0/, $raw)) {
		# A list cut short has no end.
		last if ($end = $_ eq "end");
		my ($tag, $member, $path, $status);
		if (/^[SO]/) {
			($tag, $status, $member) = split(/\t/, $_, 3);
			$tag = lc($tag);
		} else {
			($tag, $member, $path) = split(/\t/, $_, /^p/ ? 3 : 2);
		}
		$path = $tag eq "s" ? "$ENV{srctree}/$member" :
			$tag eq "o" ? $member : $path;
		# The manifest and the hash cache have a line per file.
		if ($member =~ /[\x00-\x1f\x7f]/) {
			(my $shown = $path) =~ s/([\x00-\x1f\x7f\\])/sprintf("\\x%02x", ord($1))/ge;
			die "$shown: a control character (tab, newline...) in a " .
			    "file name; the archive takes none\n";
		}
		$path{$member} = $path;
		$status{$member} = $status;
	}
	die "listing the inputs failed\n" if !$end;
	return map { [$_, $path{$_}, $status{$_}] } sort(keys(%path));
}

# The archived mode of a file of mode $st_mode: executable or not.
sub perm {
	my ($st_mode) = @_;
	return $st_mode & 0111 ? 0755 : 0644;
}

# A header, which the archive holds stripped.
sub is_header {
	return $_[0] =~ m{^(?:include|arch/\Q$ENV{SRCARCH}\E/include)/.*\.h$};
}

# weight MEMBER DATA: about what the archive holds of a file, in bytes:
# what stripping leaves of a header, as a cheap regular expression sees it.
sub weight {
	my ($member, $data) = @_;
	# A program counts as 64 KiB: unstripped, its size varies with the
	# build directory that its debug information names.
	return 65536 if substr($data, 0, 4) eq "\x7fELF";
	return 512 + length($data) if !is_header($member);
	$data =~ s{/\*.*?\*/}{}gs;
	return 512 + length($data) - ($data =~ tr/ \t//);
}

# hashes LIST CACHE FRESH: [member, path, mode, md5, weight, read] of every
# member in LIST (the text of the list), in name order, reading only the
# files that CACHE (a directory, made if missing) has no hash of, or all
# with FRESH, which takes from CACHE only the weights of content whose hash
# it has; read is true for the files read.
# Hashes are kept under the file status: device, inode, size and ctime to
# the nanosecond, as find printed them (a file that no find
# listed is stat()ed here).  A status read before the file is does no
# harm: a change in between shows at the next run.  An entry is kept only
# if its ctime is 2 s before the time of the file system of the cache, read
# off the new cache file before any file is read: a later change gets a
# later ctime, even on a file system of coarser timestamps (1 s, 2 s for
# FAT) or whose clock is a little behind.  The weights are those of this
# script: the cache says which.
my $all_kept;		# set by hashes: every file is older than the cache
my $script;		# this script, whose hash heads the cache

sub hashes {
	my ($raw, $dir, $fresh) = @_;
	if (!-d $dir) {
		mkdir($dir) or die "$dir: $!\n";
	}
	my $cache = "$dir/hashes";
	my $head = "gen_kheaders.sh " . Digest::MD5::md5_hex(slurp($script)) . "\n";
	my $cached = -e $cache ? slurp($cache) : "";
	my %old = substr($cached, 0, length($head)) eq $head ?
		$cached =~ /^([^\t]*)\t(.*)$/mg : ();
	my $tmp = temp("$cache.tmp$$");
	open(my $fh, ">", $tmp) or die "$tmp: $!\n";
	my $now = (Time::HiRes::stat($fh))[10];
	my (@entries, @members);
	for my $m (members($raw)) {
		my ($member, $path, $status) = @$m;
		my ($key, $ctime, $perm);
		if (defined($status)) {
			($key, $ctime, $perm) = $status =~ /^(\S+ \S+ \S+ (\S+)) (\S+)$/
				or die "$path: status \"$status\" from find\n";
			$perm = perm(oct($perm));
		} else {
			($key, $ctime, $perm) = stat_key($path) or die "$path: $!\n";
			$perm = perm($perm);
		}
		my $entry = $old{$path} // "";
		my $value = !$fresh && substr($entry, 0, length($key) + 1) eq "$key\t" ?
			substr($entry, length($key) + 1) : "";
		# A line cut short (a crash) is no hash.
		$value = "" if $value !~ /^[0-9a-f]{32} \d+$/;
		my $read = $value eq "";
		if ($read) {
			# A file that find listed may be gone since, as find
			# itself allows: a temporary file renamed (sed -i).
			my $data = slurp($path, defined($status));
			next if !defined($data);
			my $md5 = Digest::MD5::md5_hex($data);
			# A weight goes with the content: kept if that is.
			my ($old_md5, $weight) = $entry =~ /\t([0-9a-f]{32}) (\d+)$/;
			$weight = weight($member, $data)
				if !defined($old_md5) || $old_md5 ne $md5;
			$value = "$md5 $weight";
		}
		push(@entries, [$ctime, "$path\t$key\t$value\n"]);
		push(@members, [$member, $path, $perm, split(/ /, $value), $read]);
	}
	my @kept = grep { $_->[0] < $now - 2 } @entries;
	$all_kept = @kept == @entries;
	my $kept = join("", $head, map { $_->[1] } @kept);
	if ($kept eq $cached) {
		close($fh);
		unlink($tmp);
	} else {
		print $fh $kept;
		close($fh) or die "$tmp: $!\n";
		rename($tmp, $cache) or die "$cache: $!\n";
	}
	delete($temps{$tmp});
	return @members;
}

# stat_key PATH: the status of a file that find did not list, as find
# prints it for those it lists, its ctime and its mode; empty if it is not.
sub stat_key {
	my @st = Time::HiRes::stat($_[0]) or return ();
	return (sprintf("%d %d %d %.9f", @st[0, 1, 7, 10]), $st[10], $st[2]);
}

# list_key LIST: a hash of the list and of the status of the files that it
# gives none for; undefined if one is missing.
sub list_key {
	my ($raw) = @_;
	my ($all, @keys) = ("\0$raw");
	while ($all =~ /\0([sop])\t([^\0]*)/g) {
		my ($tag, $path) = ($1, $2);
		$path = $tag eq "s" ? "$ENV{srctree}/$path" : $path =~ s/^[^\t]*\t//r;
		my ($key) = stat_key($path) or return undef;
		push(@keys, $key);
	}
	return Digest::MD5::md5_hex(join("\0", $raw, @keys));
}

if ($mode eq "manifest") {
	my ($list, $dir);
	($list, $dir, $script) = @ARGV;
	my $raw = $list eq "-" ? do { local $/; <STDIN> // "" } : slurp($list);
	# At most makes nothing has changed: the same list, with the same
	# status for every file, as when the manifest was last printed, which
	# "quick" keeps under the key of both.  It is kept only when every
	# file is older than it, as in the hash cache.
	my $quick = "$dir/quick";
	my $key = list_key($raw);
	my $kept = defined($key) && -e $quick ? slurp($quick) : "";
	if ($kept ne "" && substr($kept, 0, 33) eq "$key\n") {
		print(substr($kept, 33));
		exit(0);
	}
	my $manifest = join("", map { sprintf("%s %o %s\n", $_->[3], $_->[2], $_->[0]) }
			    hashes($raw, $dir, 0));
	print($manifest);
	if (defined($key) && $all_kept) {
		my $tmp = temp("$quick.tmp$$");
		open(my $fh, ">", $tmp) or die "$tmp: $!\n";
		print $fh "$key\n$manifest";
		close($fh) or die "$tmp: $!\n";
		rename($tmp, $quick) or die "$quick: $!\n";
	} elsif (-e $quick) {
		unlink($quick) or die "$quick: $!\n";
	}
	exit(0);
}

my $mtime;

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

sub tar_member {
	my ($name, $perm, $data) = @_;
	my $size = length($data);
	return tar_header($name, $perm, $size) . $data . "\0" x (-$size % 512);
}

# The .xz format: a 12-byte stream header (magic, flags, CRC32), blocks, an
# index (a record of unpadded and uncompressed size per block, CRC32) and a
# 12-byte footer (CRC32, index size, flags).  Blocks stand alone: those of
# streams with the same flags make one stream under an index that lists
# them all.
my @crc_table = map {
	my $c = $_;
	$c = $c & 1 ? 0xedb88320 ^ ($c >> 1) : $c >> 1 for 1 .. 8;
	$c;
} 0 .. 255;

sub crc32 {
	my $c = 0xffffffff;
	$c = $crc_table[($c ^ $_) & 0xff] ^ ($c >> 8) for unpack("C*", $_[0]);
	return $c ^ 0xffffffff;
}

sub varint {
	my ($v) = @_;
	my $s = "";
	for (; $v >= 0x80; $v >>= 7) {
		$s .= chr(($v & 0x7f) | 0x80);
	}
	return $s . chr($v);
}

# split_xz XZ NAME: (stream flags, blocks, [index records]) of the single
# stream XZ; dies naming NAME if it is not one.
sub split_xz {
	my ($xz, $name) = @_;
	my $len = length($xz);
	die "$name: not a single xz stream\n"
		if $len < 32 || substr($xz, 0, 6) ne "\xfd7zXZ\0" ||
		   substr($xz, -2) ne "YZ" ||
		   substr($xz, 6, 2) ne substr($xz, -4, 2);
	my $index_len = (unpack("V", substr($xz, -8, 4)) + 1) * 4;
	my $index_at = $len - 12 - $index_len;
	my $index = $index_at >= 12 ? substr($xz, $index_at, $index_len) : "";
	die "$name: bad xz index\n"
		if $index_at < 12 || ord($index) != 0 ||
		   crc32(substr($index, 0, -4)) != unpack("V", substr($index, -4));
	my @v;
	my ($val, $shift) = (0, 0);
	for my $byte (unpack("C*", substr($index, 1, -4))) {
		$val |= ($byte & 0x7f) << $shift;
		$shift += 7;
		next if $byte & 0x80;
		push(@v, $val);
		($val, $shift) = (0, 0);
	}
	my $n = shift(@v);
	my $blocks = substr($xz, 12, $index_at - 12);
	my $padded = 0;
	$padded += $v[2 * $_] + (-$v[2 * $_] % 4) for 0 .. $n - 1;
	die "$name: bad xz index\n" if @v < 2 * $n || $padded != length($blocks);
	return (substr($xz, 6, 2), $blocks, [@v[0 .. 2 * $n - 1]]);
}

# write_xz FH FLAGS BLOCKS RECORDS...: write one stream of BLOCKS to FH.
sub write_xz {
	my ($fh, $flags, $blocks, @records) = @_;
	my $index = "\0" . varint(@records / 2) . join("", map { varint($_) } @records);
	$index .= "\0" x (-length($index) % 4);
	$index .= pack("V", crc32($index));
	my $footer = pack("V", length($index) / 4 - 1) . $flags;
	print $fh "\xfd7zXZ\0", $flags, pack("V", crc32($flags)), $blocks, $index,
		pack("V", crc32($footer)), $footer, "YZ" or die "$!\n";
}

if ($mode eq "finish") {
	my ($part, $tmp, $symvers, @xz);
	($part, $mtime, $tmp, $symvers, @xz) = @ARGV;

	my $tail = (length($symvers) ?
		tar_member("Module.symvers", 0644, slurp($symvers)) : "") . "\0" x 1024;
	open(my $fh, ">:raw", "$tmp/tail.tar") or die "$tmp/tail.tar: $!\n";
	print $fh $tail;
	close($fh) or die "$tmp/tail.tar: $!\n";
	open($fh, "-|", @xz, "$tmp/tail.tar") or die "$xz[0]: $!\n";
	binmode($fh);
	my $tail_xz = do { local $/; <$fh> };
	close($fh) or die "$xz[0] failed\n";

	my ($flags, $blocks, $records) = split_xz(slurp($part), $part);
	my ($tail_flags, $tail_blocks, $tail_records) = split_xz($tail_xz, $xz[0]);
	die "$part: its check type is not the one $xz[0] writes\n"
		if $flags ne $tail_flags;
	write_xz(\*STDOUT, $flags, $blocks . $tail_blocks, @$records, @$tail_records);
	exit(0);
}

require POSIX;
my ($list, $tmp, $strip, $compact, $cache, $jobs, @xz);
($list, $mtime, $tmp, $strip, $compact, $cache, $jobs, $script, @xz) = @ARGV;
# Without a cache, a directory that goes with the run.
$cache = $tmp if $cache eq "";

# The archive is made of groups of members, in name order, each compressed
# alone into one xz block, and only if the cache does not hold that block
# already, made from the same bytes by the same generator and xz.  A group
# ends at 3.375 MiB, or past 2.875 MiB before a member whose name hashes to 0
# modulo 16, by the weight of its members.  The bounds depend on the names,
# and on the content only where a change moves a group across those sizes:
# an edited header costs the compression of its group alone.  The bytes are
# those of a run from scratch, whatever the jobs or what the cache held.
my ($group_min, $group_max, $cut_one_in) = (23 << 17, 27 << 17, 16);

# version PROGRAM: what PROGRAM --version prints.
sub version {
	open(my $fh, "-|", $_[0], "--version") or die "$_[0]: $!\n";
	my $version = do { local $/; <$fh> } // "";
	close($fh) or die "$_[0] --version failed\n";
	return $version;
}

# All but the members that the bytes of a block depend on.
my $salt = join("\0", slurp($script), slurp($compact), version($xz[0]),
		version($strip), @xz, $mtime, $ENV{SRCARCH}, "");

# member_data MEMBER PATH MD5: what the archive holds of a file, and
# whether it is a header to make compact.
sub member_data {
	my ($member, $path, $md5) = @_;
	my $data = slurp($path);
	die "$path: changed while the archive was made\n"
		if Digest::MD5::md5_hex($data) ne $md5;
	if (substr($data, 0, 4) eq "\x7fELF") {
		# No symbols, and no build ID, which varies with the build
		# directory when host programs are built with -g.  Of the
		# bytes checked, not of the file, which may change meanwhile.
		my $copy = "$tmp/elf$$";
		open(my $fh, ">:raw", "$copy.in") or die "$copy.in: $!\n";
		print $fh $data;
		close($fh) or die "$copy.in: $!\n";
		system($strip, "--remove-section=.note.gnu.build-id",
		       "-o", $copy, "$copy.in") == 0 or die "$path: strip failed\n";
		return (slurp($copy), 0);
	}
	# Generated headers checked by a hash on their last line stay.
	return ($data, is_header($member) && $data !~ m{\n// [0-9a-f]{40}\n?\z});
}

# make_compact DATA...: the headers DATA made compact, by one run of
# scripts/kheaders_compact: each goes to it and comes back as its size in
# decimal, a newline and its bytes.
sub make_compact {
	return () if !@_;
	my $in = "$tmp/compact$$";
	open(my $fh, ">:raw", $in) or die "$in: $!\n";
	print $fh map { length($_) . "\n" . $_ } @_ or die "$in: $!\n";
	close($fh) or die "$in: $!\n";
	open(STDIN, "<", $in) or die "$in: $!\n";
	open($fh, "-|", $compact) or die "$compact: $!\n";
	binmode($fh);
	my @out;
	while (defined(my $size = <$fh>)) {
		$size =~ /^(\d+)\n\z/ && read($fh, my $data, $1) == $1
			or die "$compact: output cut short\n";
		push(@out, $data);
	}
	close($fh) && @out == @_ or die "$compact failed\n";
	return @out;
}

# compress GROUP: its block, from an xz of its own, kept in its file as a
# stream of its own.  Members go to xz in batches: it starts on the first
# while the next are read and made compact.
sub compress {
	my ($g) = @_;
	my $new = "$tmp/$g->{key}.new";
	open(STDOUT, ">:raw", $new) or die "$new: $!\n";
	open(my $out, "|-", @xz) or die "$xz[0]: $!\n";
	open(STDOUT, ">&", \*STDERR) or die "stdout: $!\n";
	binmode($out);
	my @members = @{$g->{members}};
	while (my @batch = splice(@members, 0, 128)) {
		my @data = map { [member_data(@$_[0, 1, 3])] } @batch;
		my @headers = grep { $_->[1] } @data;
		my @compact = make_compact(map { $_->[0] } @headers);
		$_->[0] = shift(@compact) for @headers;
		print $out map { tar_member($_->[0], $_->[2], shift(@data)->[0]) } @batch
			or die "$xz[0]: $!\n";
	}
	close($out) or die "$xz[0] failed\n";
	my (undef, undef, $records) = split_xz(slurp($new), $xz[0]);
	die "$xz[0]: not one block for a group\n" if @$records != 2;
	rename($new, $g->{file}) or die "$g->{file}: $!\n";
}

# Groups are compressed each by a process of its own, JOBS at a time;
# those that wait go largest first.
my (@groups, @waiting, %started, $failed);

# start_workers: start waiting groups while fewer than JOBS run.
sub start_workers {
	while (@waiting && !$failed && keys(%workers) < $jobs) {
		my $g = shift(@waiting);
		next if $started{$g->{key}}++;
		my $pid = fork() // die "fork: $!\n";
		if (!$pid) {
			%workers = %temps = ();
			$SIG{$_} = "DEFAULT" for qw(HUP INT TERM);
			setpgrp(0, 0);
			compress($g);
			exit(0);
		}
		# Before the worker runs anything that the parent would miss.
		setpgrp($pid, $pid);
		$workers{$pid} = 1;
	}
}

# ended PID: a child ended, with status $?.  The parent has no other than
# workers while they run.
sub ended {
	$failed = 1 if delete($workers{$_[0]}) && $?;
}

# group MEMBERS: the groups of MEMBERS, each with the key and the file of its
# block, and the block itself if the cache holds it (a damaged one is made
# again).
sub group {
	my @list;
	for my $m (@_) {
		my ($member, $perm, $md5, $weight) = @$m[0, 2, 3, 4];
		my $g = $list[-1];
		if (!$g || $g->{size} >= $group_max ||
		    ($g->{size} >= $group_min &&
		     hex(substr(Digest::MD5::md5_hex($member), 0, 7)) % $cut_one_in == 0)) {
			$g = { members => [], size => 0, md5 => Digest::MD5->new() };
			$g->{md5}->add($salt);
			push(@list, $g);
		}
		push(@{$g->{members}}, $m);
		$g->{md5}->add(join("\0", $member, $perm, $md5, ""));
		$g->{size} += $weight;
	}
	for my $g (@list) {
		$g->{key} = $g->{md5}->hexdigest();
		$g->{file} = "$cache/$g->{key}.xz";
		my @xz = -f $g->{file} ? eval { split_xz(slurp($g->{file}), $g->{file}) } : ();
		$g->{xz} = \@xz if @xz && @{$xz[2]} == 2;
	}
	return @list;
}

# verified GROUP: whether the files of its members that the hash pass took
# from the cache still have the hashes it has for them.
sub verified {
	for my $m (@{$_[0]->{members}}) {
		next if $m->[5];
		return 0 if Digest::MD5::md5_hex(slurp($m->[1])) ne $m->[3];
		$m->[5] = 1;
	}
	return 1;
}

# The cache of hashes decides whether to make the archive, never what goes
# in it.  Its hashes give the groups at once, and those to compress are
# read again first: each starts as soon as its files have the hashes the
# cache has.  Should one not (the cache is wrong), the groups are made
# again from every file read, and those not started yet are compressed.
my $list_text = slurp($list);
@groups = group(hashes($list_text, $cache, 0));
for my $g ((grep { !$_->{xz} } @groups), (grep { $_->{xz} } @groups)) {
	if (!verified($g)) {
		@groups = group(hashes($list_text, $cache, 1));
		@waiting = grep { !$_->{xz} } @groups;
		last;
	}
	push(@waiting, $g) if !$g->{xz};
	while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {
		ended($pid);
	}
	start_workers();
}
@waiting = sort { $b->{size} <=> $a->{size} } @waiting;
start_workers();
# After a failure, the others are stopped on the way out.
while (%workers && !$failed) {
	my $pid = wait();
	last if $pid < 0;
	ended($pid);
	start_workers();
}
die "compressing the archive failed\n" if $failed;
die "no members to archive\n" if !@groups;
my %used = map { ("$_->{key}.xz" => 1) } @groups;

my ($flags, $data, @records) = ("", "");
for my $g (@groups) {
	my ($f, $b, $r) = $g->{xz} ? @{$g->{xz}} :
		split_xz(slurp($g->{file}), $g->{file});
	$flags = $f if $flags eq "";
	die "$g->{file}: not the check type of the other blocks\n" if $f ne $flags;
	$data .= $b;
	push(@records, @$r);
}
write_xz(\*STDOUT, $flags, $data, @records);
opendir(my $dh, $cache) or die "$cache: $!\n";
for (readdir($dh)) {
	unlink("$cache/$_") if /^[0-9a-f]{32}\.xz$/ && !$used{$_};
}
closedir($dh);
'

# The xz options of both steps.  A dictionary of 4 MiB spans a group (about
# 4 MiB of tar, see the Perl part): a larger one compresses no better, and
# a reader needs its size in memory to decompress.  Not the extreme preset:
# it costs 40% more time to save 0.7% of the bytes; a longer nice length
# than the preset's (80 for 64) buys 0.2% for 5%.  One thread a block: the
# jobs of the archive step are processes, one per group.
xz_options="--format=xz --check=crc32 --lzma2=preset=9,dict=4MiB,lc=4,pb=0,nice=80 --stdout"

# epoch TIMESTAMP: KBUILD_BUILD_TIMESTAMP in seconds since the epoch; 0 for
# none.  A tar header has eleven octal digits for it.
epoch() {
	if [ -z "$1" ]; then
		echo 0
		return
	fi
	seconds=$(date -d "$1" +%s 2>/dev/null) ||
		die "KBUILD_BUILD_TIMESTAMP '$1': not a date that GNU date -d reads"
	case $seconds in
	'' | *[!0-9]*) die "KBUILD_BUILD_TIMESTAMP '$1': before 1970" ;;
	esac
	if [ "${#seconds}" -gt 10 ] || [ "$seconds" -ge 8589934592 ]; then
		die "KBUILD_BUILD_TIMESTAMP '$1': past what a tar header holds"
	fi
	echo "$seconds"
}

# start OUTPUT: a temporary directory beside OUTPUT, removed on exit.
start() {
	tmp=$(mktemp -d "$1.tmp.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' HUP INT TERM
}

cmd_inputs() {
	[ $# -eq 2 ] || die "usage: $me inputs LDS CACHE"
	need "$perl" perl
	# A pipe, no temporary file: this step runs at every make.
	list_members "$1" | "$perl" -e "$perl_code" manifest - "$2" "$0"
}

cmd_archive() {
	[ $# -eq 3 ] || [ $# -eq 4 ] ||
		die "usage: $me archive OUTPUT LDS TIMESTAMP [CACHE]"
	out=$1
	lds=$2
	mtime=$(epoch "$3")
	cache=${4:-}
	# As many jobs as CPUs, or as make's -jN if fewer (the last -jN before
	# the variables), up to 8: a job's xz takes about 100 MB.
	jobs=$(nproc 2>/dev/null) || jobs=1
	make_jobs=$(printf ' %s\n' "${MAKEFLAGS:-}" |
		sed -n 's/ -- .*//; s/.* -j\([1-9][0-9]*\).*/\1/p')
	[ -z "$make_jobs" ] || [ "$make_jobs" -ge "$jobs" ] || jobs=$make_jobs
	[ "$jobs" -le 8 ] || jobs=8
	need "$perl" perl
	need "${xz%% *}" xz-utils
	# llvm-strip, with LLVM=1, strips any machine's programs; without,
	# $(STRIP) is the target's, which a kernel cross-built without
	# modules (no program built for the target) cannot use.
	if [ -n "$cross" ] || [ -n "${LLVM:-}" ]; then
		strip=${STRIP:-strip}
		need "$strip" "binutils for $SRCARCH, or llvm with LLVM=1"
	else
		strip="strip"
		need strip binutils
	fi
	# A host program built with the scripts, before the descent.
	compact=scripts/kheaders_compact
	[ -x "$compact" ] ||
		die "$compact: missing; it is built with the scripts when CONFIG_IKHEADERS is set"

	start "$out"
	if [ -n "$cross" ]; then
		cross_dir=$tmp/cross
		cross_build "$cross_dir"
	fi
	list_members "$lds" > "$tmp/list" || die "listing the inputs failed"
	# shellcheck disable=SC2086 # XZ and the options are words
	"$perl" -e "$perl_code" archive "$tmp/list" "$mtime" "$tmp" "$strip" \
		"$compact" "$cache" "$jobs" "$0" $xz $xz_options --threads=1 > "$tmp/tar.xz"
	mv -f "$tmp/tar.xz" "$out"
}

cmd_finish() {
	[ $# -eq 3 ] || [ $# -eq 4 ] ||
		die "usage: $me finish OUTPUT PART TIMESTAMP [SYMVERS]"
	out=$1
	part=$2
	mtime=$(epoch "$3")
	symvers=${4:-}
	[ -f "$part" ] || die "$part: missing"
	[ -z "$symvers" ] || [ -f "$symvers" ] ||
		die "$symvers: missing (modpost writes it)"
	need "$perl" perl
	need "${xz%% *}" xz-utils

	start "$out"
	# shellcheck disable=SC2086 # XZ and the options are words
	"$perl" -e "$perl_code" finish "$part" "$mtime" "$tmp" "$symvers" \
		$xz $xz_options --threads=1 > "$tmp/out"
	# modpost rewrites SYMVERS whenever a module changes: an unchanged
	# OUTPUT keeps its date, and vmlinux or kheaders.ko is not relinked.
	cmp -s "$tmp/out" "$out" || mv -f "$tmp/out" "$out"
}

[ $# -ge 1 ] || die "usage: $me inputs|archive|finish ..."
if [ -z "${srctree:-}" ] || [ -z "${SRCARCH:-}" ]; then
	die "srctree and SRCARCH must be set (run from kernel/Makefile)"
fi
[ -f include/config/auto.conf ] ||
	die "include/config/auto.conf missing: run in a configured object tree"
# Options set to y or m: either builds what the archive looks for.
config=$(sed -n 's/=[ym]$/=y/p' include/config/auto.conf)
unset XZ_DEFAULTS XZ_OPT
cross=
cross_dir=
# The inputs step, run by every make, needs to know only for the plugins.
if enabled CONFIG_MODULES && [ -f scripts/mod/empty.o ] &&
   { [ "$1" = archive ] || enabled CONFIG_GCC_PLUGINS; }; then
	target=$(elf_machine scripts/mod/empty.o)
	host=$(elf_machine scripts/basic/fixdep)
	if [ -z "$target" ] || [ -z "$host" ]; then
		die "scripts/mod/empty.o or scripts/basic/fixdep: not an ELF file"
	fi
	[ "$target" = "$host" ] || cross=1
fi

mode=$1
shift
case $mode in
inputs) cmd_inputs "$@" ;;
archive) cmd_archive "$@" ;;
finish) cmd_finish "$@" ;;
*) die "unknown mode '$mode'" ;;
esac
