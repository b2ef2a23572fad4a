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
#define ENDS_AT_COMMENT 1 \
/* an empty line ends the macro */
int not_in_macro;    /* runs of   spaces */
/* a comment over
   two lines */ #define AFTER_COMMENT 2
int uses = ENDS_AT_COMMENT + AFTER_COMMENT;	  	
int last; /* end */
#endif
