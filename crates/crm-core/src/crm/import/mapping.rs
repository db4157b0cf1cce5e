//! Column mapping and row validation: turns CSV records into checked contact data, or into
//! errors naming the row and the field. Pure: no database.

use std::collections::HashMap;

use kernel::{AppError, AppResult, validate};

use super::source::{CsvRow, CsvTable};

/// Where a CSV column goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    FirstName,
    LastName,
    Email,
    Phone,
    Mobile,
    /// The company: stored as the contact's company text and linked to a company found (or
    /// created) by name.
    Company,
    JobTitle,
    Department,
    Website,
    LinkedinUrl,
    TwitterHandle,
    AddressLine1,
    AddressLine2,
    City,
    State,
    PostalCode,
    Country,
    /// A contact status by name (title-cased; created when missing).
    Status,
    Source,
    LifecycleStage,
    Score,
    /// Comma-separated tag names (title-cased; created when missing).
    Tags,
    /// `customFields.<key>`.
    CustomField(String),
    /// The column is not imported.
    Ignore,
}

impl Target {
    /// Parses a mapping target as written by clients (`email`, `firstName`, `customFields.vip`).
    pub fn parse(target: &str) -> Option<Self> {
        if let Some(key) = target.strip_prefix("customFields.") {
            let valid = !key.is_empty()
                && key.len() <= 64
                && key.starts_with(|c: char| c.is_ascii_lowercase())
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            return valid.then(|| Self::CustomField(key.to_owned()));
        }
        Some(match target {
            "firstName" => Self::FirstName,
            "lastName" => Self::LastName,
            "email" => Self::Email,
            "phone" => Self::Phone,
            "mobile" => Self::Mobile,
            "company" => Self::Company,
            "jobTitle" => Self::JobTitle,
            "department" => Self::Department,
            "website" => Self::Website,
            "linkedinUrl" => Self::LinkedinUrl,
            "twitterHandle" => Self::TwitterHandle,
            "addressLine1" => Self::AddressLine1,
            "addressLine2" => Self::AddressLine2,
            "city" => Self::City,
            "state" => Self::State,
            "postalCode" => Self::PostalCode,
            "country" => Self::Country,
            "status" => Self::Status,
            "source" => Self::Source,
            "lifecycleStage" => Self::LifecycleStage,
            "score" => Self::Score,
            "tags" => Self::Tags,
            "ignore" => Self::Ignore,
            _ => return None,
        })
    }

    /// The field name used in row errors.
    pub fn field(&self) -> String {
        match self {
            Self::CustomField(key) => format!("customFields.{key}"),
            other => {
                let name = format!("{other:?}");
                let mut chars = name.chars();
                chars
                    .next()
                    .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
            }
        }
    }
}

/// A mapping entry: a header name and its target.
#[derive(Debug, Clone)]
pub struct ColumnMapping {
    pub column: String,
    pub target: String,
}

/// The mapping resolved against the header: column index and target.
pub fn resolve(table: &CsvTable, mapping: &[ColumnMapping]) -> AppResult<Vec<(usize, Target)>> {
    if mapping.is_empty() {
        return Err(AppError::invalid("mapping", "map at least one column"));
    }
    let mut resolved = Vec::with_capacity(mapping.len());
    for entry in mapping {
        let index = table
            .headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(entry.column.trim()))
            .ok_or_else(|| {
                AppError::invalid(
                    "mapping",
                    format!("the file has no column \"{}\"", entry.column),
                )
            })?;
        let target = Target::parse(entry.target.trim()).ok_or_else(|| {
            AppError::invalid(
                "mapping",
                format!("\"{}\" is not a contact field", entry.target),
            )
        })?;
        if target != Target::Ignore && resolved.iter().any(|(_, t)| *t == target) {
            return Err(AppError::invalid(
                "mapping",
                format!("\"{}\" is mapped twice", entry.target),
            ));
        }
        resolved.push((index, target));
    }
    if !resolved
        .iter()
        .any(|(_, t)| matches!(t, Target::FirstName | Target::Email))
    {
        return Err(AppError::invalid(
            "mapping",
            "map firstName or email: every contact needs a name",
        ));
    }
    Ok(resolved)
}

/// A problem with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: u64,
    pub field: Option<String>,
    pub message: String,
}

/// One row's contact data, validated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportedContact {
    pub line: u64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub website: Option<String>,
    pub linkedin_url: Option<String>,
    pub twitter_handle: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub status: Option<String>,
    pub source: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub score: Option<i32>,
    pub tags: Vec<String>,
    pub custom_fields: serde_json::Map<String, serde_json::Value>,
    /// Which targets the mapping set, so updates touch only those.
    pub mapped: Vec<Target>,
}

/// Stored values of the lead-source enumeration.
pub const SOURCES: [&str; 10] = [
    "website",
    "referral",
    "cold_call",
    "cold_email",
    "event",
    "social",
    "paid_ads",
    "organic",
    "partner",
    "other",
];

/// Stored values of the lifecycle-stage enumeration.
pub const LIFECYCLE_STAGES: [&str; 8] = [
    "subscriber",
    "lead",
    "marketing_qualified",
    "sales_qualified",
    "opportunity",
    "customer",
    "evangelist",
    "other",
];

/// `Cold Call`, `COLD_CALL`, `cold-call` -> `cold_call`, if it is one of `allowed`.
fn enum_value(raw: &str, allowed: &[&str]) -> Option<String> {
    let normalised: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    allowed
        .iter()
        .find(|v| **v == normalised)
        .map(|v| (*v).to_owned())
}

/// Validates one row; all of its problems are returned together.
pub fn parse_row(
    row: &CsvRow,
    columns: &[(usize, Target)],
) -> Result<ImportedContact, Vec<RowError>> {
    let mut contact = ImportedContact {
        line: row.line,
        ..ImportedContact::default()
    };
    let mut errors = Vec::new();
    for (index, target) in columns {
        let Some(raw) = row.cell(*index) else {
            continue;
        };
        let field = target.field();
        let text = |max: usize| validate::optional_text(&field, Some(raw), max);
        let result: AppResult<()> = (|| {
            match target {
                Target::FirstName => contact.first_name = text(100)?,
                Target::LastName => contact.last_name = text(100)?,
                Target::Email => contact.email = Some(validate::email(&field, raw)?),
                Target::Phone => contact.phone = text(20)?,
                Target::Mobile => contact.mobile = text(20)?,
                Target::Company => contact.company = text(255)?,
                Target::JobTitle => contact.job_title = text(100)?,
                Target::Department => contact.department = text(100)?,
                Target::Website => contact.website = validate::url(&field, Some(raw), 500)?,
                Target::LinkedinUrl => {
                    contact.linkedin_url = validate::url(&field, Some(raw), 500)?
                }
                Target::TwitterHandle => contact.twitter_handle = text(50)?,
                Target::AddressLine1 => contact.address_line1 = text(255)?,
                Target::AddressLine2 => contact.address_line2 = text(255)?,
                Target::City => contact.city = text(100)?,
                Target::State => contact.state = text(100)?,
                Target::PostalCode => contact.postal_code = text(20)?,
                Target::Country => contact.country = validate::country(&field, Some(raw))?,
                Target::Status => contact.status = text(100)?.map(|s| validate::title_case(&s)),
                Target::Source => {
                    contact.source = Some(enum_value(raw, &SOURCES).ok_or_else(|| {
                        AppError::invalid(
                            &field,
                            format!("\"{raw}\" is not a lead source ({})", SOURCES.join(", ")),
                        )
                    })?);
                }
                Target::LifecycleStage => {
                    contact.lifecycle_stage =
                        Some(enum_value(raw, &LIFECYCLE_STAGES).ok_or_else(|| {
                            AppError::invalid(&field, format!("\"{raw}\" is not a lifecycle stage"))
                        })?);
                }
                Target::Score => {
                    let score: i32 = raw.parse().map_err(|_| {
                        AppError::invalid(&field, format!("\"{raw}\" is not a whole number"))
                    })?;
                    contact.score = validate::int_range(&field, Some(score), 0, 100)?;
                }
                Target::Tags => {
                    for name in raw.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                        let name =
                            validate::title_case(&validate::required_text(&field, name, 100)?);
                        if !contact.tags.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
                            contact.tags.push(name);
                        }
                    }
                }
                Target::CustomField(key) => {
                    validate::optional_text(&field, Some(raw), 10_000)?;
                    contact
                        .custom_fields
                        .insert(key.clone(), serde_json::Value::String(raw.to_owned()));
                }
                Target::Ignore => {}
            }
            Ok(())
        })();
        match result {
            Ok(()) => contact.mapped.push(target.clone()),
            Err(AppError::BadUserInput { message, field }) => {
                errors.push(RowError {
                    row: row.line,
                    field,
                    message,
                });
            }
            Err(other) => errors.push(RowError {
                row: row.line,
                field: Some(field),
                message: other.message(),
            }),
        }
    }
    if contact.first_name.is_none() {
        // A contact needs a first name; fall back to the e-mail's local part.
        contact.first_name = contact
            .email
            .as_ref()
            .and_then(|e| e.split('@').next())
            .map(str::to_owned);
    }
    if contact.first_name.is_none() && errors.is_empty() {
        errors.push(RowError {
            row: row.line,
            field: Some("firstName".into()),
            message: "a name or an e-mail is required".into(),
        });
    }
    if errors.is_empty() {
        Ok(contact)
    } else {
        Err(errors)
    }
}

/// Custom field values arrive as text; typed definitions convert them (`"42"` for a number).
pub fn typed_custom_value(field_type: &str, raw: &serde_json::Value) -> serde_json::Value {
    let serde_json::Value::String(text) = raw else {
        return raw.clone();
    };
    match field_type {
        "number" => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(raw.clone(), serde_json::Value::Number),
        "boolean" => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "y" => serde_json::Value::Bool(true),
            "false" | "no" | "0" | "n" => serde_json::Value::Bool(false),
            _ => raw.clone(),
        },
        "multi_select" => serde_json::Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| serde_json::Value::String(s.to_owned()))
                .collect(),
        ),
        _ => raw.clone(),
    }
}

/// Index of first occurrence per e-mail, for de-duplication inside the file.
pub fn first_lines_by_email(contacts: &[ImportedContact]) -> HashMap<String, u64> {
    let mut first = HashMap::new();
    for contact in contacts {
        if let Some(email) = &contact.email {
            first.entry(email.clone()).or_insert(contact.line);
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::import::source::read_csv;

    fn mapping(pairs: &[(&str, &str)]) -> Vec<ColumnMapping> {
        pairs
            .iter()
            .map(|(c, t)| ColumnMapping {
                column: (*c).into(),
                target: (*t).into(),
            })
            .collect()
    }

    #[test]
    fn mapping_checks_columns_targets_and_duplicates() {
        let table = read_csv(b"E-mail,Name,Tags\n", "csv").expect("csv");
        assert!(
            resolve(
                &table,
                &mapping(&[("e-mail", "email"), ("Name", "firstName")])
            )
            .is_ok()
        );
        assert!(resolve(&table, &mapping(&[("Missing", "email")])).is_err());
        assert!(resolve(&table, &mapping(&[("E-mail", "password")])).is_err());
        assert!(resolve(&table, &mapping(&[("E-mail", "email"), ("Name", "email")])).is_err());
        assert!(
            resolve(&table, &mapping(&[("Tags", "tags")])).is_err(),
            "a name source is required"
        );
        assert!(resolve(&table, &mapping(&[("E-mail", "customFields.Bad-Key")])).is_err());
    }

    #[test]
    fn rows_are_validated_and_normalised() {
        let table = read_csv(
            "Email,First,Country,Status,Tags,Source,Score\nANN@X.IO,Ann,de,hot LEAD,\"vip, newsletter ,VIP\",Cold Call,90\n".as_bytes(),
            "csv",
        )
        .expect("csv");
        let columns = resolve(
            &table,
            &mapping(&[
                ("Email", "email"),
                ("First", "firstName"),
                ("Country", "country"),
                ("Status", "status"),
                ("Tags", "tags"),
                ("Source", "source"),
                ("Score", "score"),
            ]),
        )
        .expect("mapping");
        let contact = parse_row(&table.rows[0], &columns).expect("valid row");
        assert_eq!(contact.email.as_deref(), Some("ann@x.io"));
        assert_eq!(contact.country.as_deref(), Some("DE"));
        assert_eq!(contact.status.as_deref(), Some("Hot Lead"));
        assert_eq!(contact.tags, ["Vip", "Newsletter"]);
        assert_eq!(contact.source.as_deref(), Some("cold_call"));
        assert_eq!(contact.score, Some(90));
    }

    #[test]
    fn bad_rows_report_every_field_with_the_line() {
        let table = read_csv(b"Email,Country,Score\nnope,Germany,101\n", "csv").expect("csv");
        let columns = resolve(
            &table,
            &mapping(&[
                ("Email", "email"),
                ("Country", "country"),
                ("Score", "score"),
            ]),
        )
        .expect("mapping");
        let errors = parse_row(&table.rows[0], &columns).expect_err("invalid");
        let fields: Vec<_> = errors
            .iter()
            .map(|e| e.field.clone().unwrap_or_default())
            .collect();
        assert_eq!(fields, ["email", "country", "score"]);
        assert!(errors.iter().all(|e| e.row == 2));
    }

    #[test]
    fn first_name_falls_back_to_the_email() {
        let table = read_csv(b"Email\nbob.smith@x.io\n", "csv").expect("csv");
        let columns = resolve(&table, &mapping(&[("Email", "email")])).expect("mapping");
        assert_eq!(
            parse_row(&table.rows[0], &columns)
                .expect("row")
                .first_name
                .as_deref(),
            Some("bob.smith")
        );
    }

    #[test]
    fn custom_values_are_typed_by_their_definition() {
        let text = serde_json::Value::String("42".into());
        assert_eq!(typed_custom_value("number", &text), serde_json::json!(42.0));
        assert_eq!(
            typed_custom_value("boolean", &serde_json::json!("Yes")),
            serde_json::json!(true)
        );
        assert_eq!(
            typed_custom_value("multi_select", &serde_json::json!("a, b")),
            serde_json::json!(["a", "b"])
        );
        assert_eq!(typed_custom_value("text", &text), text);
    }
}
