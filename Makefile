# SPDX-License-Identifier: GPL-2.0
#
# make        build the kernel with kheaders, boot it, build and load a module
#             from its archive in the guest
# make check  every test; ends with "N passed, N failed"
# make bench  ours against the base tree's generator; writes BENCHMARK.md
# make series the change as a git format-patch series in build/series
# Each installs the Debian packages it needs when run as root.

.PHONY: demo check bench series setup kernels

demo: kernels
	workbench/qemu.sh m workbench/demo.sh

check:
	tests/run.sh

bench: kernels
	workbench/bench.sh

series: setup
	workbench/series.sh

setup:
	workbench/deps.sh
	workbench/tree.sh

kernels: setup
	workbench/kernel.sh m
