#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# extract_ikheaders.sh VARIANT: scripts/extract-ikheaders on the images of a
# workbench variant, on the host, against the bytes its kernel served at
# /proc/kheaders.tar.xz in the guest (build/guest-VARIANT/served.tar.xz,
# saved by tests/guest/kheaders.sh).  TAP on stdout.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../tap.sh
. "$here/../tap.sh"

variant=${1:?usage: extract_ikheaders.sh VARIANT}
tool=$top/linux/scripts/extract-ikheaders
obj=$top/build/obj-$variant
mode=m
grep -qx CONFIG_IKHEADERS=y "$obj/.config" && mode=y
served=$top/build/guest-$variant/served.tar.xz
vmlinux=$obj/vmlinux
bzimage=$obj/arch/x86/boot/bzImage
ko=$obj/kernel/kheaders.ko
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A user's locale: binary matches are no characters in it, and the tool
# must not care.
export LC_ALL=C.UTF-8
# Every run gets its own TMPDIR, checked empty at the end.
export TMPDIR=$work/tmp
mkdir "$TMPDIR"
cd "$work" || exit 1

if [ ! -s "$served" ]; then
	fail "the guest saved what /proc/kheaders.tar.xz served" "missing: $served"
	exit 1
fi

# same NAME ARGS...: the tool's standard output is the served file, byte
# for byte, and it says nothing.
same() {
	local name=$1
	shift
	"$tool" "$@" > out 2> err
	local rc=$?
	if [ $rc = 0 ] && cmp -s out "$served" && [ ! -s err ]; then
		pass "$name"
	else
		fail "$name" "expected: status 0, the $(stat -c %s "$served") served bytes, no message" \
			"seen: status $rc, $(stat -c %s out) bytes, $(cmp out "$served" 2>&1 | head -n 1)" \
			"$(head -n 5 err)"
	fi
}

# refused NAME MESSAGE ARGS...: the tool fails, writes nothing on standard
# output and says MESSAGE (an extended regular expression).
refused() {
	local name=$1 message=$2
	shift 2
	"$tool" "$@" > out 2> err
	local rc=$?
	if [ $rc != 0 ] && [ ! -s out ] && grep -qE "$message" err; then
		pass "$name"
	else
		fail "$name" "expected: failure, no output, a message matching /$message/" \
			"seen: status $rc, $(stat -c %s out) bytes out, message: $(cat err)"
	fi
}

if [ "$mode" = y ]; then
	same "vmlinux gives the served bytes" "$vmlinux"
	same "bzImage gives the served bytes" "$bzimage"
else
	same "kheaders.ko gives the served bytes" "$ko"
	cp "$ko" kheaders.ko
	xz -k kheaders.ko && zstd -q kheaders.ko && gzip -k kheaders.ko
	for z in xz zst gz; do
		same "kheaders.ko.$z gives the served bytes" kheaders.ko.$z
	done
	refused "vmlinux of a =m kernel: no archive, says to give kheaders.ko" \
		"no archive.*CONFIG_IKHEADERS=m.*kheaders.ko" "$vmlinux"
fi
check "the build's kernel/kheaders.tar.xz is the served file" \
	cmp "$obj/kernel/kheaders.tar.xz" "$served"

# arm64 images: of arm64y, the same kernel with kheaders built in, never
# booted; what it would serve is its build's kernel/kheaders.tar.xz.
if [ "$variant" = arm64 ]; then
	if "$top/workbench/kernel.sh" arm64y > "$work/arm64y.log" 2>&1; then
		arm64y=$top/build/obj-arm64y
		served_m=$served
		served=$arm64y/kernel/kheaders.tar.xz
		same "arm64 Image (kheaders=y) gives its archive" "$arm64y/arch/arm64/boot/Image"
		same "arm64 Image.gz gives its archive" "$arm64y/arch/arm64/boot/Image.gz"
		same "arm64 vmlinux gives its archive" "$arm64y/vmlinux"
		served=$served_m
	else
		fail "obj-arm64y builds" "$(tail -n 20 "$work/arm64y.log")"
	fi
	refused "arm64 Image of a =m kernel: no archive, says to give kheaders.ko" \
		"no archive.*CONFIG_IKHEADERS=m.*kheaders.ko" "$obj/arch/arm64/boot/Image"
fi

# The outputs other than standard output.
input=$vmlinux
[ "$mode" = y ] || input=$ko
args=("$input")
(umask 022 && "$tool" -o written.tar.xz "${args[@]}")
check "-o FILE writes the served bytes" cmp written.tar.xz "$served"
check "-o FILE is created with the umask's mode" \
	test "$(stat -c %a written.tar.xz)" = 644
"$tool" -x tree "${args[@]}"
check "-x DIR extracts every served member" \
	sh -c "tar -tJf '$served' | sed 's,/\$,,' | sort > want &&
	       (cd tree && find . ! -type d | sed 's,^\./,,' | sort) | diff want -"
check "-x DIR: the kernel release in the headers" \
	grep -q "\"$(cat "$obj/include/config/kernel.release")\"" tree/include/generated/utsrelease.h

# A compressed image for every compressor the kernel takes for one: the
# real setup code of the bzImage, then vmlinux stripped as x86 does it,
# compressed, then its size.  One variant is enough.
if [ "$variant" = y ]; then
	objcopy -R .comment -S "$vmlinux" payload
	for z in "gzip -9" "bzip2 -9" "lzma -6" "xz --check=crc32" "lzop -9" \
		"lz4 -l -9" "zstd -19 -T0"; do
		{
			head -c 16384 "$bzimage"
			$z < payload
			stat -c %s payload | perl -ne 'print pack("V", $_)'
		} > image
		same "an image compressed with ${z%% *} gives the served bytes" image
	done

	# A decompressor missing: a PATH with everything but zstd.
	{ head -c 16384 "$bzimage"; zstd -q -1 < payload; } > image.zst
	mkdir bin
	for f in /usr/bin/*; do
		case ${f##*/} in zstd* | unzstd) ;; *) ln -s "$f" bin/ ;; esac
	done
	PATH=$work/bin refused "a decompressor missing: named with its Debian package" \
		"'zstd'.*Debian package zstd" image.zst
fi

# Bad input, clear errors, nothing written.
if [ "${variant:1}" = "" ]; then
	refused "no such file" "no-such-file: no such file" no-such-file
	echo "not a kernel" > text
	refused "a text file: not a kernel image or module" \
		"not a kernel image or module" text
	refused "an ELF program: not a kernel image or module" \
		"not a kernel image or module" /bin/ls
	# A module of its own: a variant may build no other.
	echo 'const char modinfo[] __attribute__((section(".modinfo"))) = "vermagic=6.12.0 SMP";' |
		gcc -c -x c -o other.ko -
	refused "another module: not kheaders.ko" "a module, but not kheaders.ko" other.ko

	# Bytes changed in the middle of the embedded archive.
	st=$(LC_ALL=C grep -obUa IKHD_ST "$input" | head -n 1 | cut -d: -f1)
	cp "$input" corrupt
	printf 'kheaders' | dd of=corrupt bs=1 seek=$((st + 2000000)) conv=notrunc status=none
	refused "corrupt archive: refused after xz -t" "corrupt" "${args[@]/$input/corrupt}"
	"$tool" -o corrupt.tar.xz "${args[@]/$input/corrupt}" 2> /dev/null
	check "corrupt archive with -o: no file written" test ! -e corrupt.tar.xz
	head -c $((st + 2000000)) "$input" > truncated
	refused "truncated archive" "truncated" "${args[@]/$input/truncated}"

	"$tool" -h > out
	check "-h: usage on standard output" grep -q '^Usage: extract-ikheaders' out
	refused "a wrong option: usage" "^Usage" -q "$input"

	# A signal while it works: the temporary files go too.  Its xz waits
	# for the signal to be sent, so that it comes mid-run.
	mkdir slow
	cat > slow/xz <<EOF
#!/bin/sh
touch '$work/started'
while [ ! -e '$work/go' ]; do sleep 0.05; done
exec $(command -v xz) "\$@"
EOF
	chmod +x slow/xz
	PATH=$work/slow:$PATH "$tool" "${args[@]}" > /dev/null 2>&1 &
	pid=$!
	while [ ! -e started ] && kill -0 $pid 2> /dev/null; do sleep 0.05; done
	kill -TERM $pid
	touch go
	wait $pid
	rc=$?
	check "SIGTERM: exits with 143 and its temporary files removed" \
		sh -c "test $rc = 143 && test -z \"\$(ls -A '$TMPDIR')\""
fi

check "no temporary file left by any run" test -z "$(ls -A "$TMPDIR")"
