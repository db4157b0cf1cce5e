//! `importContacts`: CSV as a string or as an uploaded file, with a column mapping.

use std::io::Read;

use async_graphql::{Context, InputObject, Object, SimpleObject, Upload};
use kernel::{AppError, ContextExt};

use super::mapping::ColumnMapping;
use super::service::{self, ImportOptions, ImportReport};

/// One column of the file and the contact field it fills: a contact field (`email`,
/// `firstName`, ...), `company` (found or created by name), `status` (found or created,
/// title-cased), `tags` (comma separated), `customFields.<key>`, or `ignore`.
#[derive(InputObject, Debug)]
pub struct ImportColumnInput {
    /// The header of the column in the file (case-insensitive).
    pub column: String,
    /// The contact field it fills.
    pub target: String,
}

/// How to import.
#[derive(InputObject, Debug, Default)]
pub struct ImportOptionsInput {
    /// Validate and count, write nothing.
    #[graphql(default)]
    pub dry_run: bool,
    /// Update contacts whose e-mail already exists instead of skipping them.
    #[graphql(default)]
    pub update_existing: bool,
    /// Import the valid rows even when others are invalid (otherwise nothing is written).
    #[graphql(default)]
    pub skip_invalid_rows: bool,
}

/// A problem with one row of the file.
#[derive(SimpleObject, Debug)]
pub struct ImportRowError {
    /// The line of the file the row starts on (the header is line 1).
    pub row: i64,
    /// The contact field at fault, if one is.
    pub field: Option<String>,
    pub message: String,
}

/// What an import did (or, in a dry run, would do).
#[derive(SimpleObject, Debug)]
pub struct ImportReportOutput {
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub errors: Vec<ImportRowError>,
}

impl From<ImportReport> for ImportReportOutput {
    fn from(report: ImportReport) -> Self {
        Self {
            created: report.created as i64,
            updated: report.updated as i64,
            skipped: report.skipped as i64,
            errors: report
                .errors
                .into_iter()
                .map(|e| ImportRowError {
                    row: e.row as i64,
                    field: e.field,
                    message: e.message,
                })
                .collect(),
        }
    }
}

/// Import mutations.
#[derive(Default)]
pub struct ImportMutation;

#[Object]
impl ImportMutation {
    /// Imports contacts from CSV (UTF-8, with or without BOM), given as `csv` text or an
    /// uploaded `file` (exactly one). All or nothing unless `skipInvalidRows`; contacts are
    /// de-duplicated by e-mail inside the file and against the organization. ADMIN, MANAGER,
    /// MARKETING.
    #[graphql(name = "importContacts")]
    async fn import_contacts(
        &self,
        ctx: &Context<'_>,
        csv: Option<String>,
        file: Option<Upload>,
        mapping: Vec<ImportColumnInput>,
        options: Option<ImportOptionsInput>,
    ) -> async_graphql::Result<ImportReportOutput> {
        let (bytes, field) = match (csv, file) {
            (Some(text), None) => (text.into_bytes(), "csv"),
            (None, Some(upload)) => {
                let mut content = Vec::new();
                upload
                    .value(ctx)
                    .map_err(|_| AppError::invalid("file", "the uploaded file cannot be read"))?
                    .content
                    .read_to_end(&mut content)
                    .map_err(|_| AppError::invalid("file", "the uploaded file cannot be read"))?;
                (content, "file")
            }
            _ => return Err(AppError::invalid("csv", "give exactly one of csv and file").into()),
        };
        let mapping: Vec<ColumnMapping> = mapping
            .into_iter()
            .map(|m| ColumnMapping {
                column: m.column,
                target: m.target,
            })
            .collect();
        let options = options.unwrap_or_default();
        let options = ImportOptions {
            dry_run: options.dry_run,
            update_existing: options.update_existing,
            skip_invalid_rows: options.skip_invalid_rows,
        };
        Ok(
            service::import_contacts(ctx.store()?, ctx.auth()?, &bytes, field, &mapping, options)
                .await?
                .into(),
        )
    }
}
