//! The `vakt` binary: parses the command line; with no command (or `console`) it starts the
//! bot as a terminal console, otherwise it runs the one-shot command.

use clap::Parser;
use std::path::PathBuf;
use vakt::cli::{Cli, Command, DiscordCmd};
use vakt::console::ConsoleOptions;

/// The console's configuration file: the one given with `--config` (after `console`, or
/// before it), which must exist; else `VAKT_CONFIG`, else `./vakt.toml`, either of which may
/// be missing (the defaults apply).
fn config_path(console: Option<PathBuf>, top: Option<PathBuf>) -> Result<PathBuf, String> {
    let explicit = match (console, top) {
        (Some(a), Some(b)) if a != b => {
            return Err(format!("--config given twice ({} and {})", b.display(), a.display()));
        }
        (a, b) => a.or(b),
    };
    match explicit {
        Some(p) if !p.exists() => Err(format!("--config {}: no such file", p.display())),
        Some(p) => Ok(p),
        None => Ok(std::env::var_os("VAKT_CONFIG").map_or_else(|| "vakt.toml".into(), Into::into)),
    }
}

/// Starts logging and the async runtime, runs `f` on it, and exits on failure.
fn run_async<F>(f: F) -> !
where
    F: std::future::Future<Output = anyhow::Result<Option<String>>>,
{
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("VAKT_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("vakt: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    match runtime.block_on(f) {
        Ok(Some(out)) => {
            println!("{out}");
            std::process::exit(0)
        }
        Ok(None) => std::process::exit(0),
        Err(e) => {
            eprintln!("vakt: {e:#}");
            std::process::exit(1);
        }
    }
}

fn exit_on_err(r: Result<PathBuf, String>) -> PathBuf {
    r.unwrap_or_else(|e| {
        eprintln!("vakt: {e}");
        std::process::exit(2);
    })
}

fn main() {
    let mut cli = Cli::parse();
    let token_set = std::env::var("DISCORD_TOKEN").is_ok_and(|t| !t.trim().is_empty());
    // `vakt` and `vakt run`: Discord's gateway with a token, else the console.
    if !cli.batch && token_set && matches!(cli.command, None | Some(Command::Run { .. })) {
        let config = match cli.command.take() {
            Some(Command::Run { config }) => config,
            _ => None,
        };
        let path = exit_on_err(config_path(config, cli.config.clone()));
        run_async(async move {
            vakt::app::run(vakt::app::Adapter::Gateway(path), &|k| std::env::var(k).ok()).await?;
            Ok(None)
        });
    }
    if let Some(Command::Run { config }) = cli.command.clone() {
        cli.command = Some(Command::Console {
            config,
            speed: None,
            start: None,
            script: false,
        });
    }
    match cli.command.clone() {
        Some(Command::Serve { config }) => {
            let path = exit_on_err(config_path(config, cli.config.clone()));
            run_async(async move {
                vakt::app::run(vakt::app::Adapter::Serve(path), &|k| std::env::var(k).ok()).await?;
                Ok(None)
            });
        }
        Some(Command::Discord(DiscordCmd::Register { global, config })) => {
            let path = exit_on_err(config_path(config, cli.config.clone()));
            run_async(async move {
                vakt::app::discord_register(&path, global, &|k| std::env::var(k).ok())
                    .await
                    .map(Some)
            });
        }
        Some(Command::Discord(DiscordCmd::Check { config })) => {
            let path = exit_on_err(config_path(config, cli.config.clone()));
            run_async(async move {
                vakt::app::discord_check(&path, &|k| std::env::var(k).ok())
                    .await
                    .map(Some)
            });
        }
        _ => {}
    }
    if !cli.batch && cli.command.is_none() {
        cli.command = Some(Command::Console {
            config: None,
            speed: None,
            start: None,
            script: false,
        });
    }
    if let Some(Command::Console {
        config,
        speed,
        start,
        script,
    }) = cli.command.clone()
    {
        let config = match config_path(config, cli.config.clone()) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("vakt: {e}");
                std::process::exit(2);
            }
        };
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("VAKT_LOG").unwrap_or_else(|_| "warn".into()))
            .with_writer(std::io::stderr)
            .init();
        let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
            Ok(r) => r,
            Err(e) => {
                eprintln!("vakt: cannot start the async runtime: {e}");
                std::process::exit(1);
            }
        };
        let options = ConsoleOptions {
            config,
            speed,
            start,
            script,
        };
        // `--dir` (or VAKT_AGREEMENTS) overrides the file's agreements_dir.
        let dir = cli.dir.clone();
        let env = move |k: &str| {
            if k == "VAKT_AGREEMENTS" {
                return Some(dir.display().to_string())
                    .filter(|d| d != "agreements")
                    .or_else(|| std::env::var(k).ok());
            }
            std::env::var(k).ok()
        };
        if let Err(e) = runtime.block_on(vakt::console::run(options, &env)) {
            eprintln!("vakt: {e:#}");
            std::process::exit(1);
        }
        return;
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Err(e) = vakt::cli::run(cli, &mut input, &mut out) {
        eprintln!("vakt: {e}");
        std::process::exit(e.exit_code());
    }
}
