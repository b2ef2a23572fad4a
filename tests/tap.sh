# SPDX-License-Identifier: GPL-2.0
# TAP output for the shell tests; tests/run.sh counts the ok / not ok lines.
# shellcheck shell=bash

tap_n=0

pass() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

# fail NAME [DETAIL...]: each DETAIL line is shown as a diagnostic.
fail() {
	tap_n=$((tap_n + 1))
	echo "not ok $tap_n - $1"
	shift
	local line
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/#   /'
	done
}

# check NAME CMD...: pass if CMD succeeds, else fail with the end of its output.
check() {
	local name=$1 output
	shift
	if output=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "command: $*" "$(printf '%s\n' "$output" | tail -n 15)"
	fi
}
