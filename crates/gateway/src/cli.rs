//! The `crm` command line.

use clap::{Parser, Subcommand};

use crate::config::Config;

/// The CRM server and its administration commands.
#[derive(Debug, Parser)]
#[command(name = "crm", version = crate::VERSION, about)]
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
    /// Seeds the demo organization (if it is not there yet), or with `--scale` benchmark-sized
    /// data: 50 organizations, 500 users, 10,000 companies, 100,000 contacts, 30,000
    /// opportunities, 300,000 activities.
    Seed {
        /// Seed the benchmark data set instead of the demo organization.
        #[arg(long)]
        scale: bool,
        /// With `--scale`: multiply every count by this (e.g. 0.01 for a quick look).
        #[arg(long, default_value_t = 1.0, requires = "scale")]
        scale_factor: f64,
    },
    /// Prints an access token (15 minutes) for the user with this e-mail, for load tests and
    /// scripts; `--email` may be given several times (one token per line, in that order).
    Token {
        #[arg(long, required = true)]
        email: Vec<String>,
    },
    /// Prints the GraphQL schema (SDL), exactly as in schema.graphql.
    Schema,
    /// Creates an administrator in an existing organization (`--organization`, by slug or
    /// name), or in the platform's own "Administration" organization when none is named.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// Platform-wide SUPER_ADMIN instead of an organization ADMIN.
        #[arg(long = "super")]
        super_admin: bool,
        /// Slug or name of an existing organization.
        #[arg(long)]
        organization: Option<String>,
        /// Create the organization named by `--organization` if there is none.
        #[arg(long, requires = "organization")]
        create_organization: bool,
        #[arg(long, default_value = "Admin")]
        first_name: String,
        #[arg(long, default_value = "User")]
        last_name: String,
    },
    /// Creates an organization with its first administrator (how operators add organizations
    /// when self-service sign-up is closed, as it is in production).
    CreateOrganization {
        /// The organization's name; its slug is derived from it.
        #[arg(long)]
        name: String,
        /// The first administrator's e-mail.
        #[arg(long)]
        admin_email: String,
        #[arg(long)]
        admin_password: String,
        #[arg(long, default_value = "Admin")]
        first_name: String,
        #[arg(long, default_value = "User")]
        last_name: String,
    },
}
