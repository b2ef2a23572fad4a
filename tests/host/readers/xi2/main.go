// SPDX-License-Identifier: GPL-2.0
//
// Decompress the xz file on standard input to standard output with
// github.com/xi2/xz and its default dictionary limit, as a Go tool would.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/xi2/xz"
)

func main() {
	r, err := xz.NewReader(bufio.NewReader(os.Stdin), 0)
	if err == nil {
		w := bufio.NewWriter(os.Stdout)
		_, err = io.Copy(w, r)
		if err == nil {
			err = w.Flush()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "xi2/xz:", err)
		os.Exit(1)
	}
}
