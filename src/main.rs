//! The `vakt` binary: parses the command line and runs it.

use clap::Parser;

fn main() {
    let cli = vakt::cli::Cli::parse();
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Err(e) = vakt::cli::run(cli, &mut input, &mut out) {
        eprintln!("vakt: {e}");
        std::process::exit(e.exit_code());
    }
}
