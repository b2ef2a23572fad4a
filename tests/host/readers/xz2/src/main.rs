// SPDX-License-Identifier: GPL-2.0
//
// Decompress the xz file on standard input to standard output with the xz2
// crate's XzDecoder::new, as a Rust tool would.
use std::io::{self, BufWriter, Write};
use xz2::read::XzDecoder;

fn main() {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut decoder = XzDecoder::new(stdin.lock());
    let mut out = BufWriter::new(stdout.lock());
    if let Err(e) = io::copy(&mut decoder, &mut out).and_then(|_| out.flush()) {
        eprintln!("xz2: {}", e);
        std::process::exit(1);
    }
}
