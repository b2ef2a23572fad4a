// SPDX-License-Identifier: GPL-2.0
/*
 * Module.symvers of the running kernel, for the kheaders archive.
 *
 * A Module.symvers built with the kernel cannot be in the archive: it is
 * written by modpost after vmlinux, which holds the archive, is linked.  The
 * running kernel has the same information in its export tables, so the file
 * is formatted from them on demand.  Nothing is kept in memory but where the
 * last read stopped.
 *
 * This is always built in: the export tables of vmlinux are not visible to
 * modules, and kheaders itself may be one.
 */

#include <linux/export.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "kheaders.h"
#include "module/internal.h"

struct symvers_table {
	const struct kernel_symbol *start;
	const struct kernel_symbol *stop;
	const s32 *crcs;
	bool gpl;
};

static const struct symvers_table symvers_tables[] = {
	{ __start___ksymtab, __stop___ksymtab,
	  IS_ENABLED(CONFIG_MODVERSIONS) ? __start___kcrctab : NULL, false },
	{ __start___ksymtab_gpl, __stop___ksymtab_gpl,
	  IS_ENABLED(CONFIG_MODVERSIONS) ? __start___kcrctab_gpl : NULL, true },
};

/* One line as modpost writes it: crc, symbol, module, export type, namespace. */
#define SYMVERS_FMT		"0x%08x\t%s\tvmlinux\tEXPORT_SYMBOL%s\t%s\n"
#define SYMVERS_FIXED_LEN	(sizeof("0x12345678\t\tvmlinux\tEXPORT_SYMBOL\t\n") - 1)
#define SYMVERS_GPL		"_GPL"
/* A symbol name is at most KSYM_NAME_LEN; a namespace is a short identifier. */
#define SYMVERS_LINE_MAX	(SYMVERS_FIXED_LEN + 4 + KSYM_NAME_LEN + 64)

static const char *symvers_name(const struct kernel_symbol *sym)
{
#ifdef CONFIG_HAVE_ARCH_PREL32_RELOCATIONS
	return offset_to_ptr(&sym->name_offset);
#else
	return sym->name;
#endif
}

static const char *symvers_namespace(const struct kernel_symbol *sym)
{
#ifdef CONFIG_HAVE_ARCH_PREL32_RELOCATIONS
	return sym->namespace_offset ? offset_to_ptr(&sym->namespace_offset) : "";
#else
	return sym->namespace ?: "";
#endif
}

static size_t symvers_line_len(const struct symvers_table *t,
			       const struct kernel_symbol *sym)
{
	return SYMVERS_FIXED_LEN + (t->gpl ? strlen(SYMVERS_GPL) : 0) +
	       strlen(symvers_name(sym)) + strlen(symvers_namespace(sym));
}

static size_t symvers_format(char *line, const struct symvers_table *t,
			     const struct kernel_symbol *sym)
{
	u32 crc = t->crcs ? t->crcs[sym - t->start] : 0;

	return scnprintf(line, SYMVERS_LINE_MAX, SYMVERS_FMT, crc,
			 symvers_name(sym), t->gpl ? SYMVERS_GPL : "",
			 symvers_namespace(sym));
}

/**
 * kheaders_symvers_size - length of Module.symvers in bytes
 */
size_t kheaders_symvers_size(void)
{
	const struct symvers_table *t;
	const struct kernel_symbol *sym;
	size_t size = 0;

	for (t = symvers_tables; t < symvers_tables + ARRAY_SIZE(symvers_tables); t++)
		for (sym = t->start; sym < t->stop; sym++)
			size += symvers_line_len(t, sym);
	return size;
}
EXPORT_SYMBOL_NS_GPL(kheaders_symvers_size, KHEADERS);

/*
 * Where the last read stopped: the line at which the next one would start.
 * Readers mostly go forward, so a read rarely measures the lines before its
 * offset again, whatever the size of its reads.
 */
static struct {
	unsigned int table;	/* index in symvers_tables */
	unsigned int sym;	/* index in that table */
	loff_t start;		/* offset of that symbol's line */
} symvers_resume;
static DEFINE_MUTEX(symvers_resume_lock);

/**
 * kheaders_symvers_read - copy part of Module.symvers
 * @buf: destination
 * @count: number of bytes wanted
 * @pos: offset in Module.symvers
 *
 * Lines are measured without formatting them; only the lines that overlap
 * the range are formatted.
 *
 * Return: the number of bytes copied, less than @count only at the end.
 */
size_t kheaders_symvers_read(char *buf, size_t count, loff_t pos)
{
	unsigned int ti = 0, si = 0;
	char line[SYMVERS_LINE_MAX];
	size_t done = 0;
	loff_t start = 0;

	mutex_lock(&symvers_resume_lock);
	if (symvers_resume.start <= pos) {
		ti = symvers_resume.table;
		si = symvers_resume.sym;
		start = symvers_resume.start;
	}
	while (ti < ARRAY_SIZE(symvers_tables) && done < count) {
		const struct symvers_table *t = &symvers_tables[ti];
		const struct kernel_symbol *sym = t->start + si;
		size_t len, skip, n;

		if (sym >= t->stop) {
			ti++;
			si = 0;
			continue;
		}
		len = symvers_line_len(t, sym);
		if (start + len > pos) {
			if (WARN_ON_ONCE(symvers_format(line, t, sym) != len))
				break;
			skip = pos + done - start;
			n = min(len - skip, count - done);
			memcpy(buf + done, line + skip, n);
			done += n;
			if (n < len - skip)
				break;	/* the next read starts in this line */
		}
		start += len;
		si++;
	}
	symvers_resume.table = ti;
	symvers_resume.sym = si;
	symvers_resume.start = start;
	mutex_unlock(&symvers_resume_lock);
	return done;
}
EXPORT_SYMBOL_NS_GPL(kheaders_symvers_read, KHEADERS);
