/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A block comment
 * over three lines.
 */
#ifndef _STRIP_H
#define _STRIP_H

#define MERGE(a, b) a/**/b	// tokens must not merge
#define LONG_MACRO(x)	\
	do {		\
		/* inside a		\
		 * macro */	\
		use(x);	/* over
		 two lines */ \
	} while (0)

static const char *s1 = "not /* a comment */ here";
static const char *s2 = "// nor this";
static const char *s3 = "escaped \" quote /* still a string */";
static const char c1 = '"'; /* a quote in a char */
static const char c2 = '\''; // an escaped apostrophe
static const char *url = "http://example.org/*x*/";
int after_line_comment; // comment \
continued on the next line
int last; /* end */
#endif
