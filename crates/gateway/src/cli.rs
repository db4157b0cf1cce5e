//! The `crm` command line.

use clap::{Parser, Subcommand};

use crate::config::Config;

/// The CRM server and its administration commands.
#[derive(Debug, Parser)]
#[command(name = "crm", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub config: Config,
}

/// What to do; `serve` when none is given.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrates the database, seeds demo data on an empty development database, and serves.
    Serve,
    /// Applies pending migrations (or rolls back the last `--down N`).
    Migrate {
        /// Roll back this many migrations instead.
        #[arg(long)]
        down: Option<u32>,
    },
    /// Seeds the demo organization (if it is not there yet).
    Seed,
    /// Prints the GraphQL schema (SDL), exactly as in schema.graphql.
    Schema,
    /// Creates an administrator (in a new organization unless `--organization` names an existing slug).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// Platform-wide SUPER_ADMIN instead of an organization ADMIN.
        #[arg(long = "super")]
        super_admin: bool,
        /// Slug of an existing organization, or the name of a new one.
        #[arg(long, default_value = "Administration")]
        organization: String,
        #[arg(long, default_value = "Admin")]
        first_name: String,
        #[arg(long, default_value = "User")]
        last_name: String,
    },
}
