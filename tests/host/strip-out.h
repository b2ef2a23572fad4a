/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _STRIP_H
#define _STRIP_H
#define MERGE(a, b) a b
#define LONG_MACRO(x) \
do { \
\
 use(x); \
} while (0)
static const char *s1 = "not /* a comment */ here";
static const char *s2 = "// nor this";
static const char *s3 = "escaped \" quote /* still a string */";
static const char c1 = '"';
static const char c2 = '\'';
static const char *url = "http://example.org/*x*/";
int after_line_comment;
#define ENDS_AT_COMMENT 1 \

int not_in_macro;
#define AFTER_COMMENT 2
int uses = ENDS_AT_COMMENT + AFTER_COMMENT;
int last;
#endif
