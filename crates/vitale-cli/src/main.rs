//! `vitale`: the vitale-sdk command-line tool.
//!
//! Simulate an insurer and a phone (`sim`, `sim card` on a vpcd virtual NFC
//! reader), verify presentations (`verify`), read QR codes from images and
//! keyboard-wedge scanners and phones on NFC readers (`scan`), check
//! NIRs and Datamatrix INS payloads (`ins`), ask rights (`rights`), bill
//! a visit (`fse`: care sheet, signature, receipt, lots). Exit codes: 0
//! accepted, 1 rejected (a presentation that fails verification, an
//! invalid NIR, a refused sheet…), 2 usage or I/O error or a service that
//! cannot be reached; a closed output pipe is not an error. See
//! `docs/cli.md`.
#![forbid(unsafe_code)]
// Writing to stdout and stderr is what a command-line tool is for.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod cli_fse;
mod cmd;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e, cli::wants_json(&args)),
    };
    let json = cli.json;
    init_logs(cli.verbose);
    match cmd::run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            let code = e.exit_code();
            if json {
                // Best effort: stdout may be the very thing that failed.
                let _ = cmd::output::print_error_json_with(
                    e.kind(),
                    &cmd::output::chain(&e),
                    e.time_refusal(),
                );
            }
            let report = anyhow::Error::new(e);
            let _ = writeln!(std::io::stderr(), "vitale: {report:#}");
            ExitCode::from(code)
        }
    }
}

/// The libraries' `tracing` events on stderr: warnings only by default,
/// `-v` info, `-vv` debug; a valid `RUST_LOG` replaces the level. The
/// libraries never put personal data in an event (docs/cli.md, "Logs").
fn init_logs(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let level = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| EnvFilter::new(level));
    // Fails only when a subscriber is already set: there is none.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Help and version go to stdout with exit 0; anything else clap refuses is
/// a usage error, exit 2.
fn usage_error(e: &clap::Error, json: bool) -> ExitCode {
    use clap::error::ErrorKind;
    let help = matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion);
    if help || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let text = e.render().to_string();
        let shown = writeln!(std::io::stdout(), "{}", text.trim_end());
        let failed = shown.is_err_and(|e| e.kind() != std::io::ErrorKind::BrokenPipe);
        // Help asked for is a success; help shown because a subcommand is
        // missing is a usage error.
        return if help && !failed {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        };
    }
    if json {
        let message = e.render().to_string();
        let first = message.lines().next().unwrap_or("usage error");
        let _ = cmd::output::print_error_json("usage", first.trim_start_matches("error: "));
    }
    let _ = write!(std::io::stderr(), "{}", e.render());
    ExitCode::from(2)
}
