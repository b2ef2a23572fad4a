#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""c_tokens.py [-v] [--fast] FILE: the preprocessing tokens of FILE, as C
sees them.

Lexes FILE with clang's raw lexer (clang -cc1 -dump-raw-tokens), which
follows translation phases 1 to 3 as GCC does: line splices, comments,
literals.  That takes minutes for all the kernel's headers, so --fast lexes
with a regular expression here instead (tests/host/gen_kheaders.sh checks
that both give the same tokens on its cases).  Prints, for each file that
FILE holds (a line
"#pragma kheaders_file NAME" starts one), "NAME<TAB>sha1" of its tokens,
where a token is:

- its spelling, marked when whitespace or a comment comes before it (two
  tokens that touch paste, and "#define F(x)" is not "#define F (x)");
- a directive's start (a "#" that only whitespace and comments precede on
  its line) and its end (the newline that ends it), since a newline in a
  directive ends it where elsewhere it is a space;
- a header name, "<...>" after #include, whole: clang's raw lexer does
  not know them, so they are turned into string literals before it runs.

With -v, prints the tokens themselves instead of their hash.
"""

import hashlib
import re
import subprocess
import sys

LOC = re.compile(r"\tLoc=<[^\n]*?:\d+:\d+>\n")
HEADER = re.compile(rb"^([ \t]*#[ \t]*(?:include|include_next|import)[ \t]*)<([^>\n]*)>",
                    re.M)


def read(path):
    """path's bytes, each header name turned into a string literal."""
    with open(path, "rb") as f:
        return HEADER.sub(lambda m: m.group(1) + b'"<header:' +
                          m.group(2).hex().encode() + b'>"', f.read())


# Phases 1 to 3 for --fast: splices first, then one token at a time.  An
# unmatched quote makes a token up to the end of the line, as in GCC.
SPLICE = re.compile(r"\\[ \t]*\r?\n")
TOKEN = re.compile(r"""
    (?P<space>[ \t\f\v\r\n]+)
  | (?P<comment>/\*.*?(?:\*/|\Z)|//[^\n]*)
  | (?P<literal>"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)
  | (?P<number>\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*)
  | (?P<word>[A-Za-z_$\x80-\xff][0-9A-Za-z_$\x80-\xff]*)
  | (?P<punct>%:%:|\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&^|]=
       |\#\#|<:|:>|<%|%>|%:|.)
""", re.S | re.X)


def fast_tokens(path):
    """(kind, spelling) of each token of path, with kinds as clang names
    the ones that matter here: whitespace is "unknown", comments are
    "comment"."""
    text = SPLICE.sub("", read(path).decode("latin-1"))
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        yield ("unknown" if kind == "space" else kind), m.group()


def raw_tokens(path):
    """(kind, clean spelling) of each token of path, comments included."""
    dump = subprocess.run(["clang", "-cc1", "-dump-raw-tokens", "-x", "c", "-"],
                          input=read(path), check=True, capture_output=True).stderr
    text = dump.decode("latin-1")
    for chunk in LOC.split(text):
        if not chunk:
            continue
        kind, _, rest = chunk.partition(" '")
        end = rest.find("'\t")
        while end >= 0 and rest[end + 2:] and not rest[end + 2:].startswith(" ["):
            end = rest.find("'\t", end + 1)
        if end < 0:
            end = len(rest) - 2
        yield kind, rest[:end]


def files(tokens):
    """(name, [token, ...]) for each file marked in the stream of tokens."""
    name, out = None, []
    bol, directive, sep = True, False, False
    words, start = [], 0  # the directive's tokens, where it starts
    for kind, spell in tokens:
        if kind == "unknown" and spell.strip(" \t\f\v\r\n") == "":
            if "\n" in spell:
                if directive and words[:2] == ["pragma", "kheaders_file"]:
                    if name is not None:
                        yield name, out[:start]
                    name, out = "".join(words[2:]), []
                elif directive:
                    out.append("<end of directive>")
                bol, directive = True, False
            sep = True
            continue
        if kind == "comment":
            sep = True
            continue
        if bol and spell == "#":
            start = len(out)
            out.append("<directive>")
            directive, words = True, []
        elif directive:
            words.append(spell)
        out.append(("+" if sep else "") + spell)
        bol, sep = False, False
    if name is not None:
        yield name, out


def main():
    path = sys.argv[-1]
    lexer = fast_tokens if "--fast" in sys.argv else raw_tokens
    verbose = "-v" in sys.argv
    for name, tokens in files(lexer(path)):
        if verbose:
            print(name)
            for token in tokens:
                print("\t" + token.replace("\n", "\\n"))
        else:
            digest = hashlib.sha1("\0".join(tokens).encode("latin-1"))
            print(f"{name}\t{digest.hexdigest()}")


if __name__ == "__main__":
    main()
