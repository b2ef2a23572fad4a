// SPDX-License-Identifier: GPL-2.0
//
// Decompress the xz file on standard input to standard output with
// github.com/ulikunitz/xz and its default options, as a Go tool would.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/ulikunitz/xz"
)

func main() {
	r, err := xz.NewReader(bufio.NewReader(os.Stdin))
	if err == nil {
		w := bufio.NewWriter(os.Stdout)
		_, err = io.Copy(w, r)
		if err == nil {
			err = w.Flush()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ulikunitz/xz:", err)
		os.Exit(1)
	}
}
