//! The `vakt` binary: parses the command line and hands it to the composition root
//! ([`vakt::app::main`]): with no command (or `console`) the bot runs as a terminal console,
//! with `DISCORD_TOKEN` on Discord, otherwise the one-shot command runs.

use clap::Parser;

fn main() {
    std::process::exit(vakt::app::main(vakt::cli::Cli::parse()));
}
