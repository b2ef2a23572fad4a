#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""BCC compiles a kprobe program against <linux/sched.h> and reads
task_struct fields.  With no /lib/modules/*/build, BCC takes the headers
from /sys/kernel/kheaders.tar.xz (loading kheaders itself when needed)."""
import os
import subprocess
import sys

from bcc import BPF

PROGRAM = r"""
#include <linux/sched.h>

BPF_HASH(parents, u32, u32);

int on_sleep(struct pt_regs *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	u32 tgid = task->tgid;
	u32 ppid = task->real_parent->tgid;

	parents.update(&tgid, &ppid);
	return 0;
}
"""

bpf = BPF(text=PROGRAM)
bpf.attach_kprobe(event=bpf.get_syscall_fnname("clock_nanosleep"),
                  fn_name="on_sleep")
sleeper = subprocess.Popen(["sleep", "0.2"])
sleeper.wait()
seen = {k.value: v.value for k, v in bpf["parents"].items()}
print(f"sleep pid {sleeper.pid}, parent {os.getpid()}, seen {seen}")
if seen.get(sleeper.pid) != os.getpid():
    sys.exit("task_struct fields read by BCC do not match")
