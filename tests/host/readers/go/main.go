// SPDX-License-Identifier: GPL-2.0
//
// Decompress the xz file on standard input to standard output with a Go
// xz library and its default options, as a Go tool would: "ulikunitz"
// (github.com/ulikunitz/xz) or "xi2" (github.com/xi2/xz).
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	ulikunitz "github.com/ulikunitz/xz"
	xi2 "github.com/xi2/xz"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	var r io.Reader
	err := fmt.Errorf("usage: %s ulikunitz|xi2", os.Args[0])
	if len(os.Args) == 2 && os.Args[1] == "ulikunitz" {
		r, err = ulikunitz.NewReader(in)
	} else if len(os.Args) == 2 && os.Args[1] == "xi2" {
		r, err = xi2.NewReader(in, 0)
	}
	if err == nil {
		w := bufio.NewWriter(os.Stdout)
		_, err = io.Copy(w, r)
		if err == nil {
			err = w.Flush()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "xz-go:", err)
		os.Exit(1)
	}
}
