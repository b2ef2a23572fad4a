// SPDX-License-Identifier: GPL-2.0
/*
 * The kheaders archive files, /proc/kheaders.tar.xz and
 * /sys/kernel/kheaders.tar.xz, must behave as read-only regular files:
 * the same bytes at every offset, whatever the read size, for anyone, at
 * once; and no way to change them, even for root.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "../kselftest.h"

#define NOBODY		65534
#define NR_READERS	8

static const char * const paths[] = {
	"/proc/kheaders.tar.xz",
	"/sys/kernel/kheaders.tar.xz",
};

/* The reference: one read of the whole /proc file. */
static char *whole;
static size_t whole_len;

static const size_t block_sizes[] = { 1, 3, 4095, 65537 };

enum { AT_START, AT_1, AT_4095, AT_4096, AT_4097, AT_LAST, AT_EOF,
	PAST_EOF, NR_OFFSETS };
static const char * const offset_names[NR_OFFSETS] = {
	"0", "1", "4095", "4096", "4097", "of the last byte", "of EOF",
	"past EOF",
};

static off_t offset_of(int class)
{
	static const off_t fixed[] = { 0, 1, 4095, 4096, 4097 };

	switch (class) {
	case AT_LAST:
		return whole_len - 1;
	case AT_EOF:
		return whole_len;
	case PAST_EOF:
		return whole_len + 4096;
	default:
		return fixed[class];
	}
}

enum { OPEN_WRONLY, OPEN_RDWR, OPEN_TRUNC, TRUNCATE, MMAP_RDONLY_FD,
	MMAP_RDWR_FD, NR_ATTEMPTS };
static const char * const attempt_names[NR_ATTEMPTS] = {
	"open(O_WRONLY) and write",
	"open(O_RDWR) and pwrite at 0",
	"open(O_WRONLY | O_TRUNC)",
	"truncate() to 0",
	"mmap(PROT_WRITE, MAP_SHARED) of a read-only fd",
	"open(O_RDWR) and mmap(PROT_WRITE, MAP_SHARED)",
};

/* What one attempt to change the file did: errno 0 means it succeeded. */
struct attempt {
	int err;
	char step[24];
};

/*
 * Cases per path: type and size; each offset class; each block size; five
 * of lseek; reads into buffers not yet mapped in and into partly or wholly
 * inaccessible ones; each attempt as root and as nobody; the unprivileged
 * read, the content afterwards, the concurrent readers and the single-byte
 * ones.
 */
#define PER_PATH (2 + NR_OFFSETS + ARRAY_SIZE(block_sizes) + 5 + 2 + \
		  2 * NR_ATTEMPTS + 4)

static const char *errname(int err)
{
	return strerror(err);
}

/* first_difference - offset of the first byte that differs, or -1. */
static long first_difference(const char *a, size_t a_len, const char *b,
			     size_t b_len)
{
	size_t i, n = a_len < b_len ? a_len : b_len;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return i;
	return a_len == b_len ? -1 : (long)n;
}

/* same_as_whole - compare with the reference, saying where it differs. */
static bool same_as_whole(const char *what, const char *buf, size_t len)
{
	long at = first_difference(whole, whole_len, buf, len);

	if (at < 0)
		return true;
	ksft_print_msg("%s: expected the %zu bytes of a whole read, saw %zu, differing at %ld\n",
		       what, whole_len, len, at);
	return false;
}

/*
 * read_all - read @path to EOF, @bs bytes per read(); returns a buffer the
 * caller frees, or NULL with errno set.
 */
static char *read_all(const char *path, size_t bs, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (!buf || fd < 0)
		goto fail;
	for (;;) {
		if (cap - n < bs) {
			char *bigger = realloc(buf, cap * 2 + bs);

			if (!bigger)
				goto fail;
			buf = bigger;
			cap = cap * 2 + bs;
		}
		r = read(fd, buf + n, bs);
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		if ((size_t)r > bs) {
			errno = EOVERFLOW;
			goto fail;
		}
		n += r;
	}
	close(fd);
	*len = n;
	return buf;
fail:
	r = errno;
	free(buf);
	if (fd >= 0)
		close(fd);
	errno = r;
	return NULL;
}

/* read_matches - read @path @bs at a time and compare with the reference. */
static bool read_matches(const char *path, size_t bs, const char *what)
{
	size_t len;
	char *buf = read_all(path, bs, &len);
	bool ok;

	if (!buf) {
		ksft_print_msg("%s: expected to read %s, saw %s\n", what, path,
			       errname(errno));
		return false;
	}
	ok = same_as_whole(what, buf, len);
	free(buf);
	return ok;
}

static void test_attributes(const char *path)
{
	struct stat st;
	bool ok;

	if (stat(path, &st)) {
		ksft_test_result_fail("%s: stat: %s\n", path, errname(errno));
		return;
	}
	ok = S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0444 &&
	     st.st_uid == 0 && st.st_gid == 0;
	if (!ok)
		ksft_print_msg("expected 0444 regular, 0:0; saw type %o mode %04o, %u:%u\n",
			       st.st_mode & S_IFMT, st.st_mode & 07777,
			       st.st_uid, st.st_gid);
	ksft_test_result(ok, "%s: regular file, mode 0444, owned by root\n",
			 path);
}

static void test_size(const char *path, size_t read_len)
{
	struct stat st;

	if (stat(path, &st)) {
		ksft_test_result_fail("%s: stat: %s\n", path, errname(errno));
		return;
	}
	if ((size_t)st.st_size != read_len)
		ksft_print_msg("expected stat size %zu (bytes read), saw %lld\n",
			       read_len, (long long)st.st_size);
	ksft_test_result((size_t)st.st_size == read_len,
			 "%s: stat size equals the %zu bytes read\n", path,
			 read_len);
}

/*
 * A read may return fewer bytes than asked, but at least one before EOF,
 * and the file's own.
 */
static void test_offsets(const char *path, int fd)
{
	static char buf[8192];
	int class;

	for (class = 0; class < NR_OFFSETS; class++) {
		off_t at = offset_of(class);
		ssize_t left = (off_t)whole_len > at ? whole_len - at : 0;
		ssize_t r = pread(fd, buf, sizeof(buf), at);
		bool ok;

		ok = r >= 0 && r <= left && (r > 0 || !left) &&
		     (!r || !memcmp(buf, whole + at, r));
		if (r < 0)
			ksft_print_msg("pread at %lld: expected bytes, saw %s\n",
				       (long long)at, errname(errno));
		else if (!ok)
			ksft_print_msg("pread at %lld: expected up to %zd bytes, saw %zd%s\n",
				       (long long)at, left, r,
				       r <= left ? " different ones" : " bytes");
		ksft_test_result(ok, "%s: pread at offset %s (%lld): %zd bytes\n",
				 path, offset_names[class], (long long)at,
				 r);
	}
}

static void test_block_sizes(const char *path)
{
	char what[80];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(block_sizes); i++) {
		snprintf(what, sizeof(what), "%s, reads of %zu bytes", path,
			 block_sizes[i]);
		ksft_test_result(read_matches(path, block_sizes[i], what),
				 "%s: reads of %zu bytes concatenate to the whole\n",
				 path, block_sizes[i]);
	}
}

/*
 * test_unmapped_buffers - whole reads, 128 KiB a call, each into memory
 * whose pages are not mapped in yet: a copy that runs with page faults
 * disabled stops there, and each read must still be filled, as from a
 * regular file.
 */
#define CHUNK	(128 << 10)
static void test_unmapped_buffers(const char *path)
{
	int fd = open(path, O_RDONLY);
	size_t at = 0;
	ssize_t r = -1;
	bool ok = fd >= 0;
	char *buf;

	while (ok) {
		buf = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (buf == MAP_FAILED)
			ksft_exit_fail_perror("mmap");
		r = read(fd, buf, CHUNK);
		ok = r > 0 && at + r <= whole_len &&
		     !memcmp(buf, whole + at, r) &&
		     (r == CHUNK || at + r == whole_len);
		munmap(buf, CHUNK);
		if (ok)
			at += r;
	}
	ok = !r && at == whole_len;
	if (!ok)
		ksft_print_msg("%s: expected %zu bytes in full reads, saw %zu, then %zd%s\n",
			       path, whole_len, at, r, r < 0 ? " (error)" : "");
	ksft_test_result(ok, "%s: full reads into buffers not yet mapped in\n",
			 path);
	if (fd >= 0)
		close(fd);
}

/*
 * test_inaccessible_buffers - a read into a page followed by a PROT_NONE
 * one returns bytes from the first, the file's; a read into PROT_NONE
 * alone fails with EFAULT.
 */
static void test_inaccessible_buffers(const char *path, int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	char *buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ssize_t part, none;
	bool part_ok, none_ok;

	if (buf == MAP_FAILED || mprotect(buf + page, page, PROT_NONE))
		ksft_exit_fail_perror("mmap");
	part = pread(fd, buf, 2 * page, 0);
	part_ok = part > 0 && part <= page && !memcmp(buf, whole, part);
	none = pread(fd, buf + page, page, 0);
	none_ok = none == -1 && errno == EFAULT;
	if (!part_ok)
		ksft_print_msg("%s: expected 1 to %ld bytes of the file, saw %zd%s\n",
			       path, page, part, part < 0 ? " (error)" : "");
	if (!none_ok)
		ksft_print_msg("%s: expected EFAULT into PROT_NONE, saw %zd\n",
			       path, none);
	ksft_test_result(part_ok && none_ok,
			 "%s: reads into inaccessible memory: the bytes before it, or EFAULT\n",
			 path);
	munmap(buf, 2 * page);
}

/*
 * seek_then_read - lseek(@fd, @off, @whence) must return @expect, and a read
 * there the file's bytes from @expect on (none at or past EOF).
 */
static bool seek_then_read(int fd, off_t off, int whence, off_t expect)
{
	char buf[100];
	ssize_t want, r;
	off_t pos = lseek(fd, off, whence);

	if (pos != expect) {
		ksft_print_msg("lseek(%lld, %d): expected %lld, saw %lld (%s)\n",
			       (long long)off, whence, (long long)expect,
			       (long long)pos, pos < 0 ? errname(errno) : "");
		return false;
	}
	want = (off_t)whole_len > pos ? whole_len - pos : 0;
	if (want > (ssize_t)sizeof(buf))
		want = sizeof(buf);
	r = read(fd, buf, sizeof(buf));
	if (r != want || (want && memcmp(buf, whole + pos, want))) {
		ksft_print_msg("read at %lld after lseek: expected the %zd bytes there, saw %zd\n",
			       (long long)pos, want, r);
		return false;
	}
	return true;
}

static void test_lseek(const char *path, int fd)
{
	off_t size = whole_len, pos;
	bool ok;

	ksft_test_result(seek_then_read(fd, 4097, SEEK_SET, 4097) &&
			 seek_then_read(fd, 0, SEEK_SET, 0),
			 "%s: lseek SEEK_SET\n", path);
	/* A read of 100 bytes at 4096 leaves the position at 4196. */
	ok = seek_then_read(fd, 4096, SEEK_SET, 4096) &&
	     seek_then_read(fd, 0, SEEK_CUR, 4196) &&
	     seek_then_read(fd, -1000, SEEK_CUR, 3296);
	ksft_test_result(ok, "%s: lseek SEEK_CUR\n", path);
	ok = seek_then_read(fd, -10, SEEK_END, size - 10) &&
	     seek_then_read(fd, 0, SEEK_END, size);
	ksft_test_result(ok, "%s: lseek SEEK_END\n", path);
	ok = seek_then_read(fd, 4096, SEEK_END, size + 4096);
	ksft_test_result(ok, "%s: lseek past EOF, then read gives 0 bytes\n",
			 path);
	pos = lseek(fd, -1, SEEK_SET);
	ok = pos == -1 && errno == EINVAL;
	if (!ok)
		ksft_print_msg("lseek(-1, SEEK_SET): expected EINVAL, saw %lld (%s)\n",
			       (long long)pos, pos < 0 ? errname(errno) : "");
	ksft_test_result(ok, "%s: lseek to a negative offset fails with EINVAL\n",
			 path);
}

/* fail_at - record that the attempt failed at @step with errno. */
static void fail_at(struct attempt *a, const char *step)
{
	a->err = errno;
	snprintf(a->step, sizeof(a->step), "%s", step);
}

/* try_write - one attempt to change @path; errno 0 in @a if it worked. */
static void try_write(const char *path, int which, struct attempt *a)
{
	static const int flags[NR_ATTEMPTS] = {
		[OPEN_WRONLY] = O_WRONLY,
		[OPEN_RDWR] = O_RDWR,
		[OPEN_TRUNC] = O_WRONLY | O_TRUNC,
		[MMAP_RDONLY_FD] = O_RDONLY,
		[MMAP_RDWR_FD] = O_RDWR,
	};
	char *map;
	int fd;

	a->err = 0;
	if (which == TRUNCATE) {
		if (truncate(path, 0))
			fail_at(a, "truncate");
		return;
	}
	fd = open(path, flags[which]);
	if (fd < 0) {
		fail_at(a, "open");
		return;
	}
	switch (which) {
	case OPEN_WRONLY:
		if (write(fd, "x", 1) < 0)
			fail_at(a, "write");
		break;
	case OPEN_RDWR:
		if (pwrite(fd, "x", 1, 0) < 0)
			fail_at(a, "pwrite");
		break;
	case MMAP_RDONLY_FD:
	case MMAP_RDWR_FD:
		map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			   0);
		if (map == MAP_FAILED) {
			fail_at(a, "mmap");
			break;
		}
		map[0] ^= 1;
		if (msync(map, 4096, MS_SYNC))
			fail_at(a, "msync");
		munmap(map, 4096);
		break;
	}
	close(fd);
}

static void report_attempts(const char *path, const char *who,
			    const struct attempt *a)
{
	size_t len;
	char *now;
	bool same;
	int i;

	for (i = 0; i < NR_ATTEMPTS; i++) {
		if (a[i].err) {
			ksft_test_result_pass("%s: as %s, %s fails at %s with %s\n",
					      path, who, attempt_names[i],
					      a[i].step, errname(a[i].err));
			continue;
		}
		/* It was allowed: then it must have changed nothing. */
		now = read_all(path, 65536, &len);
		same = now && first_difference(whole, whole_len, now, len) < 0;
		if (!same)
			ksft_print_msg("expected a failure or no change, saw the content change\n");
		ksft_test_result(same, "%s: as %s, %s succeeds and changes nothing\n",
				 path, who, attempt_names[i]);
		free(now);
	}
}

/* drop_privileges - become nobody, with no supplementary groups. */
static bool drop_privileges(void)
{
	return !setgroups(0, NULL) && !setgid(NOBODY) && !setuid(NOBODY) &&
	       geteuid() == NOBODY;
}

/*
 * test_unprivileged - as nobody: the same attempts, and a read that must
 * give the same bytes.  A child does them and sends the results back.
 */
static void test_unprivileged(const char *path)
{
	struct attempt a[NR_ATTEMPTS] = { 0 };
	int pipefd[2], status, i;
	bool reads = false;
	pid_t pid;

	if (pipe(pipefd))
		ksft_exit_fail_perror("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_perror("fork");
	if (!pid) {
		close(pipefd[0]);
		if (!drop_privileges()) {
			ksft_print_msg("cannot become uid %d: %s\n", NOBODY,
				       errname(errno));
			_exit(2);
		}
		for (i = 0; i < NR_ATTEMPTS; i++)
			try_write(path, i, &a[i]);
		if (write(pipefd[1], a, sizeof(a)) != sizeof(a))
			_exit(2);
		_exit(read_matches(path, 65536, "as nobody") ? 0 : 1);
	}
	close(pipefd[1]);
	if (read(pipefd[0], a, sizeof(a)) != sizeof(a))
		memset(a, 0, sizeof(a));
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	reads = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
		ksft_exit_fail_msg("the unprivileged child could not run\n");
	report_attempts(path, "nobody", a);
	ksft_test_result(reads, "%s: an unprivileged user reads the same bytes\n",
			 path);
}

static void test_write_attempts(const char *path)
{
	struct attempt a[NR_ATTEMPTS] = { 0 };
	struct stat st;
	bool ok;
	int i;

	for (i = 0; i < NR_ATTEMPTS; i++)
		try_write(path, i, &a[i]);
	report_attempts(path, "root", a);
	test_unprivileged(path);
	ok = !stat(path, &st) && (size_t)st.st_size == whole_len &&
	     read_matches(path, 65536, "after the write attempts");
	ksft_test_result(ok, "%s: size and content unchanged after the write attempts\n",
			 path);
}

/*
 * test_concurrent - readers started together, each with its own read size,
 * must all see the reference bytes.
 */
static void test_concurrent(const char *path)
{
	int go[2], i, status, good = 0;
	pid_t pids[NR_READERS];
	char dummy;

	if (pipe(go))
		ksft_exit_fail_perror("pipe");
	fflush(stdout);
	for (i = 0; i < NR_READERS; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			ksft_exit_fail_perror("fork");
		if (!pids[i]) {
			char what[40];

			close(go[1]);
			/* Wait until the parent closes its end: all start. */
			if (read(go[0], &dummy, 1) < 0)
				_exit(1);
			snprintf(what, sizeof(what), "reader %d", i);
			_exit(read_matches(path, 1000 + 4096 * i, what) ? 0 : 1);
		}
	}
	close(go[0]);
	close(go[1]);
	for (i = 0; i < NR_READERS; i++)
		if (waitpid(pids[i], &status, 0) == pids[i] &&
		    WIFEXITED(status) && !WEXITSTATUS(status))
			good++;
	if (good != NR_READERS)
		ksft_print_msg("expected %d readers with identical bytes, saw %d\n",
			       NR_READERS, good);
	ksft_test_result(good == NR_READERS,
			 "%s: %d concurrent readers get identical bytes\n",
			 path, NR_READERS);
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * timed_reads - seconds for FAIRNESS_READS whole reads of @path, 64 KiB at
 * a time: several, so that one scheduling delay weighs little.
 */
#define FAIRNESS_READS	5
static double timed_reads(const char *path, bool *same)
{
	double start = seconds_now();
	size_t len;
	char *buf;
	int i;

	*same = true;
	for (i = 0; i < FAIRNESS_READS; i++) {
		buf = read_all(path, 65536, &len);
		if (!buf || first_difference(whole, whole_len, buf, len) >= 0)
			*same = false;
		free(buf);
	}
	return seconds_now() - start;
}

/*
 * adversary - read one byte at a time at offsets going down from the end,
 * each checked, until killed; exits 1 on a wrong byte.
 */
static void adversary(const char *path, int n)
{
	int fd = open(path, O_RDONLY);
	off_t at;
	char c;

	if (fd < 0)
		_exit(1);
	for (;;) {
		for (at = whole_len - 1 - n * 997; at >= 0; at -= 4093) {
			if (pread(fd, &c, 1, at) != 1 || c != whole[at])
				_exit(1);
		}
	}
}

/*
 * test_fairness - a reader's whole reads while NR_ADVERSARIES processes
 * read single bytes at descending, scattered offsets, against the same reads
 * alone.  Readers share nothing, so the ratio is what the CPUs give; the
 * bound only catches a reader made to wait for the others.
 */
#define NR_ADVERSARIES	4
#define FAIRNESS_BOUND	50
static void test_fairness(const char *path)
{
	pid_t pids[NR_ADVERSARIES];
	double alone, busy;
	bool same_alone, same_busy, right = true;
	int i, status;

	alone = timed_reads(path, &same_alone);
	fflush(stdout);
	for (i = 0; i < NR_ADVERSARIES; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			ksft_exit_fail_perror("fork");
		if (!pids[i])
			adversary(path, i);
	}
	busy = timed_reads(path, &same_busy);
	for (i = 0; i < NR_ADVERSARIES; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], &status, 0);
		if (!WIFSIGNALED(status))
			right = false;
	}
	ksft_print_msg("%s: %d reads: %.3f s alone, %.3f s beside %d 1-byte readers, %.1fx\n",
		       path, FAIRNESS_READS, alone, busy, NR_ADVERSARIES, busy / alone);
	if (!right)
		ksft_print_msg("a single-byte reader saw a wrong byte\n");
	ksft_test_result(same_alone && same_busy && right &&
			 busy < FAIRNESS_BOUND * alone,
			 "%s: single-byte readers at scattered offsets get the right bytes and hold no one up (under %dx)\n",
			 path, FAIRNESS_BOUND);
}

struct fault_reader {
	int fd;
	char *buf;
	size_t len;
	ssize_t r;
	int err;
};

static void *fault_reader(void *arg)
{
	struct fault_reader *fr = arg;

	fr->r = pread(fr->fd, fr->buf, fr->len, 0);
	fr->err = errno;
	return NULL;
}

/*
 * test_unload_during_fault - a reader of @path waits on a fault in its own
 * buffer, held by userfaultfd; meanwhile the module unloads, then the fault
 * is resolved and the read ends with the file's bytes or, as any read after
 * the removal, ENODEV.  A file whose removal waited for that reader would
 * keep modprobe -r waiting until the end.
 */
#define UNLOAD_WAIT	600	/* tenths of a second */
static void test_unload_during_fault(const char *path)
{
	const char *name = "unloads while a reader waits on a fault in its buffer";
	long page = sysconf(_SC_PAGESIZE);
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_zeropage zero = { 0 };
	struct fault_reader fr = { .len = page, .r = -1 };
	bool faulted = false, unloaded = false, read_ok;
	struct pollfd pfd;
	struct uffd_msg msg;
	pthread_t reader;
	int uffd, status, i = 0;
	pid_t pid = -1, done = 0;

	if (access("/sys/module/kheaders/refcnt", F_OK)) {
		ksft_test_result_skip("%s: %s: kheaders is built in\n", path, name);
		return;
	}
	uffd = syscall(__NR_userfaultfd, O_CLOEXEC);
	if (uffd < 0) {
		ksft_test_result_skip("%s: %s: userfaultfd: %s\n", path, name,
				      errname(errno));
		return;
	}
	fr.buf = mmap(NULL, page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (unsigned long)fr.buf;
	reg.range.len = page;
	fr.fd = open(path, O_RDONLY);
	if (ioctl(uffd, UFFDIO_API, &api) || fr.buf == MAP_FAILED ||
	    ioctl(uffd, UFFDIO_REGISTER, &reg) || fr.fd < 0)
		ksft_exit_fail_perror("userfaultfd setup");
	if (pthread_create(&reader, NULL, fault_reader, &fr))
		ksft_exit_fail_msg("pthread_create failed\n");

	pfd.fd = uffd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 30000) == 1 &&
	    read(uffd, &msg, sizeof(msg)) == sizeof(msg))
		faulted = msg.event == UFFD_EVENT_PAGEFAULT;
	if (faulted) {
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			ksft_exit_fail_perror("fork");
		if (!pid) {
			execlp("modprobe", "modprobe", "-q", "-r", "kheaders",
			       (char *)NULL);
			_exit(127);
		}
		while (i < UNLOAD_WAIT &&
		       !(done = waitpid(pid, &status, WNOHANG))) {
			usleep(100000);
			i++;
		}
		unloaded = done == pid && WIFEXITED(status) &&
			   !WEXITSTATUS(status);
	}
	/* The reader goes on; so does a modprobe -r still waiting for it. */
	zero.range = reg.range;
	if (ioctl(uffd, UFFDIO_ZEROPAGE, &zero) && errno != EEXIST)
		ksft_print_msg("UFFDIO_ZEROPAGE: %s\n", errname(errno));
	pthread_join(reader, NULL);
	if (faulted && !done)
		waitpid(pid, &status, 0);
	read_ok = (fr.r > 0 && fr.r <= page && !memcmp(fr.buf, whole, fr.r)) ||
		  (fr.r == -1 && fr.err == ENODEV);

	if (!faulted)
		ksft_print_msg("%s: expected the read to fault on its buffer\n",
			       path);
	if (faulted && !unloaded)
		ksft_print_msg("%s: expected modprobe -r within %d s, %s\n", path,
			       UNLOAD_WAIT / 10, i == UNLOAD_WAIT ?
			       "it waited for the reader" : "it failed");
	if (!read_ok)
		ksft_print_msg("%s: expected the file's first bytes or ENODEV, saw %zd (%s)\n",
			       path, fr.r, fr.r < 0 ? errname(fr.err) : "bytes");
	ksft_test_result(faulted && unloaded && read_ok, "%s: %s\n", path, name);
	close(fr.fd);
	close(uffd);
	munmap(fr.buf, page);
	if (unloaded && system("modprobe -q kheaders"))
		ksft_exit_fail_msg("modprobe kheaders after the unload failed\n");
}

/* unload_module - at exit, whatever the path, if this run loaded it. */
static void unload_module(void)
{
	if (system("modprobe -q -r kheaders"))
		ksft_print_msg("modprobe -r kheaders failed\n");
}

/* load_module - for CONFIG_IKHEADERS=m; unloaded again at exit. */
static void load_module(void)
{
	if (!access(paths[0], F_OK))
		return;
	if (system("modprobe -q kheaders") == 0 && !access(paths[0], F_OK))
		atexit(unload_module);
}

int main(void)
{
	size_t i;
	int fd;

	ksft_print_header();
	if (geteuid())
		ksft_exit_skip("must be run as root\n");
	load_module();
	if (access(paths[0], F_OK))
		ksft_exit_skip("%s missing: kernel without CONFIG_IKHEADERS\n",
			       paths[0]);
	whole = read_all(paths[0], 64 << 20, &whole_len);
	if (!whole || !whole_len)
		ksft_exit_fail_msg("one whole read of %s: %s\n", paths[0],
				   whole ? "empty" : errname(errno));
	ksft_print_msg("%s: %zu bytes\n", paths[0], whole_len);
	ksft_set_plan(2 + ARRAY_SIZE(paths) * PER_PATH);

	ksft_test_result(read_matches(paths[1], 64 << 20, paths[1]),
			 "both paths serve the same %zu bytes\n", whole_len);
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		test_attributes(paths[i]);
		test_size(paths[i], whole_len);
		fd = open(paths[i], O_RDONLY);
		if (fd < 0)
			ksft_exit_fail_msg("open %s: %s\n", paths[i],
					   errname(errno));
		test_offsets(paths[i], fd);
		test_lseek(paths[i], fd);
		test_inaccessible_buffers(paths[i], fd);
		close(fd);
		test_block_sizes(paths[i]);
		test_unmapped_buffers(paths[i]);
		test_write_attempts(paths[i]);
		test_concurrent(paths[i]);
		test_fairness(paths[i]);
	}
	/* /proc is left out: procfs waits for its readers at removal. */
	test_unload_during_fault(paths[1]);

	ksft_finished();
}
