// SPDX-License-Identifier: GPL-2.0
/*
 * Make C headers compact for the kheaders archive (scripts/gen_kheaders.sh),
 * their tokens unchanged: comments go (SPDX ones stay), and so do blank
 * lines, indentation, trailing whitespace and runs of whitespace within a
 * line; literals and header names stay.  One forward scan follows the C
 * lexer (translation phases 1 to 3): line splices, comments, string and
 * character literals (which end at the end of the line when unmatched, as
 * in an assembler comment), header names, and whether the logical line is a
 * directive.  A comment becomes one space, or a line break where that is the
 * same to the preprocessor: over several lines, outside a directive, and not
 * followed by a "#" that would then start one.
 *
 * Headers come on stdin and go to stdout, each as its size in decimal, a
 * newline and its bytes: one process for all the headers of a group.
 */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char *p;
	size_t len, size;
};

static void die(const char *what)
{
	fprintf(stderr, "kheaders_compact: %s\n", what);
	exit(1);
}

static void put(struct buf *b, const char *s, size_t n)
{
	if (!n)
		return;
	if (b->len + n > b->size) {
		b->size = (b->len + n) * 2 + 4096;
		b->p = realloc(b->p, b->size);
		if (!b->p)
			die("out of memory");
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void putc_buf(struct buf *b, char c)
{
	put(b, &c, 1);
}

static struct buf out;		/* the header made compact */
static struct buf line;		/* the output line being built */
static struct buf span;		/* a run of tokens and blanks */
static bool content;		/* it has a token */
static bool gap;		/* whitespace since its last token */
static int spliced;		/* the output line before it ended in a splice */

/*
 * A gap before a token is one space, also at the start of a line after a
 * splice (spliced 1) that did not end in one (spliced 2), where it keeps the
 * token apart from the line before.
 */
static void token(const char *s, size_t n)
{
	if (gap && (content || spliced == 1))
		putc_buf(&line, ' ');
	put(&line, s, n);
	content = true;
	gap = false;
}

/* An empty line is dropped, unless it ends a directive after a splice. */
static void end_line(void)
{
	if (content) {
		put(&out, line.p, line.len);
		putc_buf(&out, '\n');
	} else if (spliced) {
		putc_buf(&out, '\n');
	}
	line.len = 0;
	content = false;
	gap = false;
	spliced = 0;
}

static size_t skip_blanks(const char *d, size_t n, size_t i)
{
	while (i < n && (d[i] == ' ' || d[i] == '\t'))
		i++;
	return i;
}

/* The end of a line splice (a backslash, blanks, a newline) at i, or 0. */
static size_t splice_end(const char *d, size_t n, size_t i)
{
	i = skip_blanks(d, n, i + 1);
	return i < n && d[i] == '\n' ? i + 1 : 0;
}

/* The end of the literal at i, at the end of its line if unmatched. */
static size_t literal_end(const char *d, size_t n, size_t i)
{
	char quote = d[i++];

	while (i < n && d[i] != quote && d[i] != '\n') {
		if (d[i] != '\\')
			i++;
		else if (splice_end(d, n, i))
			i = splice_end(d, n, i);
		else if (i + 1 < n)
			i += 2;
		else
			return i;
	}
	return i < n && d[i] == quote ? i + 1 : i;
}

/* The end of the comment at i: to the end of the input if unterminated. */
static size_t comment_end(const char *d, size_t n, size_t i)
{
	if (d[i + 1] == '*') {
		for (i += 2; i + 1 < n; i++)
			if (d[i] == '*' && d[i + 1] == '/')
				return i + 2;
		return n;
	}
	for (i += 2; i < n && d[i] != '\n'; )
		i = d[i] == '\\' && splice_end(d, n, i) ? splice_end(d, n, i) : i + 1;
	return i;
}

static bool word_char(char c)
{
	return c == '_' || (c >= '0' && c <= '9') ||
	       (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool match(const char *d, size_t n, size_t *i, const char *s)
{
	size_t len = strlen(s);

	if (n - *i < len || memcmp(d + *i, s, len))
		return false;
	*i += len;
	return true;
}

/*
 * An #include directive with its header name, which is no comment: its
 * start (the "#") in *hash, and its end, or 0.
 */
static size_t header_name_end(const char *d, size_t n, size_t i, size_t *hash)
{
	i = skip_blanks(d, n, i);
	if (i == n || d[i] != '#')
		return 0;
	*hash = i;
	i = skip_blanks(d, n, i + 1);
	if (match(d, n, &i, "include"))
		match(d, n, &i, "_next");
	else if (!match(d, n, &i, "import"))
		return 0;
	if (i < n && word_char(d[i]))
		return 0;
	i = skip_blanks(d, n, i);
	if (i == n || d[i] != '<')
		return 0;
	while (++i < n && d[i] != '>' && d[i] != '\n')
		;
	return i < n && d[i] == '>' ? i + 1 : 0;
}

static bool starts_directive(const char *d, size_t n, size_t i)
{
	i = skip_blanks(d, n, i);
	return i < n && (d[i] == '#' || (d[i] == '%' && i + 1 < n && d[i + 1] == ':'));
}

static bool contains(const char *d, size_t n, const char *s)
{
	size_t len = strlen(s);

	for (size_t i = 0; i + len <= n; i++)
		if (!memcmp(d + i, s, len))
			return true;
	return false;
}

static bool special(char c)
{
	return c == '"' || c == '\'' || c == '/' || c == '\\' || c == '\n';
}

static void compact(const char *d, size_t n)
{
	bool bol = true;	/* no token yet on this logical line */
	bool directive = false;	/* this logical line is a directive */
	size_t at = 0, end, hash;

	out.len = 0;
	line.len = 0;
	content = false;
	gap = false;
	spliced = 0;
	while (at < n) {
		char c = d[at];

		if (c == '\n') {
			at++;
			end_line();
			bol = true;
			directive = false;
		} else if (c == '"' || c == '\'') {
			end = literal_end(d, n, at);
			bol = false;
			token(d + at, end - at);
			at = end;
		} else if (c == '/' && at + 1 < n && (d[at + 1] == '/' || d[at + 1] == '*')) {
			bool block = d[at + 1] == '*';

			end = comment_end(d, n, at);
			if (contains(d + at, end - at, "SPDX-License-Identifier"))
				token(d + at, end - at);
			else if (!directive && block && memchr(d + at, '\n', end - at) &&
				 !starts_directive(d, n, end))
				end_line();
			else
				gap = true;
			at = end;
		} else if (c == '\\' && splice_end(d, n, at)) {
			/*
			 * The logical line goes on, on the next line.  A gap on
			 * a line without a token carries over.
			 */
			bool sep = gap && content;

			end = splice_end(d, n, at);
			put(&out, line.p, line.len);
			if (sep)
				putc_buf(&out, ' ');
			put(&out, "\\\n", 2);
			if (content)
				gap = false;
			line.len = 0;
			content = false;
			spliced = sep ? 2 : 1;
			at = end;
		} else if (c == '/' || c == '\\') {
			at++;
			bol = false;
			token(&c, 1);
		} else if (bol && header_name_end(d, n, at, &hash)) {
			end = header_name_end(d, n, at, &hash);
			gap = gap || hash > at;
			token(d + hash, end - hash);
			bol = false;
			directive = true;
			at = end;
		} else {
			/*
			 * Tokens and whitespace up to the next character that
			 * may start a literal, a comment, a splice or a line:
			 * a tab is a space, a run of them one.
			 */
			const char *s;
			size_t len;
			bool tail;

			span.len = 0;
			for (; at < n && !special(d[at]); at++) {
				c = d[at] == '\t' ? ' ' : d[at];
				if (c != ' ' || !span.len || span.p[span.len - 1] != ' ')
					putc_buf(&span, c);
			}
			s = span.p;
			len = span.len;
			if (s[0] == ' ') {
				gap = true;
				s++;
				len--;
			}
			if (!len)
				continue;
			tail = s[len - 1] == ' ';
			if (tail)
				len--;
			if (bol && (s[0] == '#' || (s[0] == '%' && len > 1 && s[1] == ':')))
				directive = true;
			bol = false;
			token(s, len);
			gap = tail;
		}
	}
	if (line.len)
		end_line();
}

/*
 * read_size: the size before the next header, in decimal digits ended by a
 * newline; false at the end of the input.  A header is a file of the
 * kernel tree: a gigabyte is past any.
 */
static bool read_size(size_t *size)
{
	int c = getchar();

	if (c == EOF && !ferror(stdin))
		return false;
	*size = 0;
	do {
		if (c < '0' || c > '9' || *size > (1UL << 30) / 10)
			die("bad input: a size in decimal, a newline, the bytes");
		*size = *size * 10 + c - '0';
		c = getchar();
	} while (c != '\n');
	return true;
}

int main(void)
{
	char *in = NULL;
	size_t size;

	while (read_size(&size)) {
		size_t n = 0;

		in = realloc(in, size + 1);
		if (!in)
			die("out of memory");
		if (fread(in, 1, size, stdin) != size)
			die("input cut short");
		/* Phase 1: CR LF is a newline. */
		for (size_t i = 0; i < size; i++)
			if (in[i] != '\r' || i + 1 == size || in[i + 1] != '\n')
				in[n++] = in[i];
		compact(in, n);
		printf("%zu\n", out.len);
		if (out.len)
			fwrite(out.p, 1, out.len, stdout);
	}
	free(in);
	if (fflush(stdout) || ferror(stdout))
		die("write error");
	return 0;
}
