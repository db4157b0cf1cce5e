//! The `crm` binary: reads configuration, sets up logging, runs a subcommand.

use std::io::IsTerminal;

use clap::Parser;
use gateway::cli::{Cli, Command};
use gateway::config::{Config, LogFormat};
use tracing_subscriber::EnvFilter;

fn init_tracing(config: &Config) {
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only for a person at a terminal: a file or a log collector gets plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli.config);
    let command = cli.command.unwrap_or(Command::Serve);
    let log_format = cli.config.log_format;
    match gateway::commands::execute(command, cli.config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // Said once: as a JSON log line for collectors, as plain text for a person.
            match log_format {
                LogFormat::Json => tracing::error!(error = format!("{error:#}"), "crm failed"),
                LogFormat::Text => eprintln!("error: {error:#}"),
            }
            std::process::ExitCode::FAILURE
        }
    }
}
