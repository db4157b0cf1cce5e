//! Database work and rules for custom field definitions, and the shared value validator.

use async_graphql::{InputObject, MaybeUndefined};
use identity::audit::Tx;
use kernel::db::{DbEnum, now};
use kernel::events::Action;
use kernel::object::{TenantObject, TenantTable};
use kernel::position::next_position;
use kernel::{AppError, AppResult, AuthContext, DbResultExt, Store, TenantScope, validate};
use sea_orm::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{CustomFieldEntity, CustomFieldType};
use crate::crm::access::{require_configure, require_read};
use crate::entity::custom_field_definition as definition;

const KEY_TAKEN: &str = "a custom field with this key already exists for this kind of object";
/// The longest text value.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// The most options a select field may have.
pub const MAX_OPTIONS: usize = 200;

/// A new custom field definition.
#[derive(InputObject, Debug, Clone)]
#[graphql(name = "CustomFieldDefinitionCreateInput")]
pub struct NewDefinition {
    pub entity_type: CustomFieldEntity,
    /// `^[a-z][a-z0-9_]{0,63}$`, unique per kind of object.
    pub key: String,
    pub label: String,
    pub field_type: CustomFieldType,
    #[graphql(default)]
    pub required: bool,
    /// Required for SELECT and MULTI_SELECT, refused for other types.
    pub options: Option<Vec<String>>,
    pub description: Option<String>,
    /// Defaults to after the last field of the kind.
    pub position: Option<i32>,
}

/// Changes to a custom field definition (key, kind and type are fixed).
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "CustomFieldDefinitionUpdateInput")]
pub struct DefinitionUpdate {
    pub label: Option<String>,
    pub required: Option<bool>,
    pub options: MaybeUndefined<Vec<String>>,
    pub description: MaybeUndefined<String>,
    pub position: Option<i32>,
}

/// The stored type of a definition.
pub fn field_type_of(row: &definition::Model) -> AppResult<CustomFieldType> {
    CustomFieldType::from_db(&row.field_type).ok_or_else(|| {
        AppError::internal(anyhow::anyhow!(
            "unknown custom field type {}",
            row.field_type
        ))
    })
}

/// The options of a select definition.
pub fn options_of(row: &definition::Model) -> Vec<String> {
    row.options
        .as_ref()
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The organization's definitions for one kind of object (or all), ordered by position.
pub async fn definitions(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    entity: Option<CustomFieldEntity>,
) -> AppResult<Vec<definition::Model>> {
    let mut select = definition::Entity::scoped(scope);
    if let Some(entity) = entity {
        select = select.filter(definition::Column::EntityType.eq(entity.as_db()));
    }
    Ok(select
        .order_by_asc(definition::Column::EntityType)
        .order_by_asc(definition::Column::Position)
        .order_by_asc(definition::Column::Key)
        .all(db)
        .await?)
}

/// Lists definitions (staff).
pub async fn list_definitions(
    db: &impl ConnectionTrait,
    auth: &AuthContext,
    entity: Option<CustomFieldEntity>,
) -> AppResult<Vec<definition::Model>> {
    require_read(auth)?;
    definitions(db, auth.scope(), entity).await
}

fn check_key(key: &str) -> AppResult<String> {
    let key = key.trim();
    let mut chars = key.chars();
    let valid = key.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(key.to_owned())
    } else {
        Err(AppError::invalid(
            "key",
            "key must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 64)",
        ))
    }
}

fn check_options(
    field_type: CustomFieldType,
    options: Option<&[String]>,
) -> AppResult<Option<Value>> {
    match (field_type.has_options(), options) {
        (false, None) => Ok(None),
        (false, Some([])) => Ok(None),
        (false, Some(_)) => Err(AppError::invalid(
            "options",
            "only select and multi-select fields have options",
        )),
        (true, None) => Err(AppError::invalid(
            "options",
            "select fields need at least one option",
        )),
        (true, Some(list)) => {
            if list.is_empty() || list.len() > MAX_OPTIONS {
                return Err(AppError::invalid(
                    "options",
                    format!("select fields need between 1 and {MAX_OPTIONS} options"),
                ));
            }
            let mut seen: Vec<String> = Vec::with_capacity(list.len());
            for option in list {
                let option = validate::required_text("options", option, 255)?;
                if seen.contains(&option) {
                    return Err(AppError::invalid(
                        "options",
                        format!("option {option} is listed twice"),
                    ));
                }
                seen.push(option);
            }
            Ok(Some(Value::from(seen)))
        }
    }
}

async fn require_definition(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    id: Uuid,
) -> AppResult<definition::Model> {
    definition::Entity::find_in(db, scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("CustomFieldDefinition"))
}

/// Creates a definition (MANAGER, ADMIN).
pub async fn create_definition(
    store: &Store,
    auth: &AuthContext,
    input: NewDefinition,
) -> AppResult<definition::Model> {
    require_configure(auth)?;
    let key = check_key(&input.key)?;
    let label = validate::required_text("label", &input.label, 255)?;
    let options = check_options(input.field_type, input.options.as_deref())?;
    let description = validate::long_text("description", input.description.as_deref(), 5000)?;
    let position = validate::int_range("position", input.position, 0, 100_000)?;
    let mut tx = Tx::begin(store, auth).await?;
    let position = match position {
        Some(p) => p,
        None => {
            let within =
                Condition::all().add(definition::Column::EntityType.eq(input.entity_type.as_db()));
            next_position::<definition::Entity>(
                tx.db(),
                auth.scope(),
                definition::Column::Position,
                within,
            )
            .await?
        }
    };
    let at = now();
    let created = definition::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(auth.organization_id),
        entity_type: Set(input.entity_type.as_db().to_owned()),
        key: Set(key),
        label: Set(label),
        field_type: Set(input.field_type.as_db().to_owned()),
        required: Set(input.required),
        options: Set(options),
        description: Set(description),
        position: Set(position),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(tx.db())
    .await
    .on_unique_violation(KEY_TAKEN)?;
    tx.created::<definition::Entity>(&created).await?;
    tx.commit().await?;
    Ok(created)
}

/// Updates a definition (MANAGER, ADMIN).
pub async fn update_definition(
    store: &Store,
    auth: &AuthContext,
    id: Uuid,
    input: DefinitionUpdate,
) -> AppResult<definition::Model> {
    require_configure(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_definition(tx.db(), auth.scope(), id).await?;
    let field_type = field_type_of(&before)?;
    let mut model = before.clone().into_active_model();
    if let Some(label) = &input.label {
        model.label = Set(validate::required_text("label", label, 255)?);
    }
    if let Some(required) = input.required {
        model.required = Set(required);
    }
    match &input.options {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => model.options = Set(check_options(field_type, None)?),
        MaybeUndefined::Value(list) => model.options = Set(check_options(field_type, Some(list))?),
    }
    kernel::patch::clearable(&mut model.description, &input.description, |text| {
        validate::long_text("description", Some(text), 5000)
    })?;
    if let Some(position) = validate::int_range("position", input.position, 0, 100_000)? {
        model.position = Set(position);
    }
    let after = tx.save::<definition::Entity>(before, model).await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes a definition (MANAGER, ADMIN). Values already stored under its key stay in the
/// records' JSON until they are next written with the key set to null.
pub async fn delete_definition(store: &Store, auth: &AuthContext, id: Uuid) -> AppResult<Uuid> {
    require_configure(auth)?;
    let mut tx = Tx::begin(store, auth).await?;
    let before = require_definition(tx.db(), auth.scope(), id).await?;
    tx.remove::<definition::Entity>(&before, Action::Delete)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Validates a write of `customFields` and returns the object to store.
///
/// - `input` absent: an update keeps `existing` unchanged; a create (no `existing`) starts from
///   `{}` and is checked for required fields.
/// - `input` must be a JSON object; it is merged over `existing`, and a key set to `null` is
///   removed.
/// - Every key given must be defined for the kind of object, and its value must match the
///   field's type; required fields must be set on the result.
///
/// Errors are `BAD_USER_INPUT` with the field `customFields.<key>` (or `customFields` when the
/// input is not an object).
pub async fn validate_custom_fields(
    db: &impl ConnectionTrait,
    scope: TenantScope,
    entity: CustomFieldEntity,
    input: Option<&Value>,
    existing: Option<&Value>,
) -> AppResult<Value> {
    let base: Map<String, Value> = existing
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let Some(input) = input else {
        if existing.is_some() {
            return Ok(Value::Object(base));
        }
        let defs = definitions(db, scope, Some(entity)).await?;
        check_required(&defs, &base)?;
        return Ok(Value::Object(base));
    };
    let Some(changes) = input.as_object() else {
        return Err(AppError::invalid(
            "customFields",
            "customFields must be a JSON object",
        ));
    };
    let defs = definitions(db, scope, Some(entity)).await?;
    let mut result = base;
    for (key, value) in changes {
        let field = format!("customFields.{key}");
        let Some(def) = defs.iter().find(|d| &d.key == key) else {
            return Err(AppError::invalid(
                field,
                format!("no custom field {key} is defined"),
            ));
        };
        if value.is_null() {
            result.remove(key);
            continue;
        }
        let checked = check_value(def, &field, value)?;
        result.insert(key.clone(), checked);
    }
    check_required(&defs, &result)?;
    Ok(Value::Object(result))
}

fn check_required(defs: &[definition::Model], values: &Map<String, Value>) -> AppResult<()> {
    for def in defs.iter().filter(|d| d.required) {
        if values.get(&def.key).is_none_or(Value::is_null) {
            return Err(AppError::invalid(
                format!("customFields.{}", def.key),
                format!("{} is required", def.label),
            ));
        }
    }
    Ok(())
}

fn check_value(def: &definition::Model, field: &str, value: &Value) -> AppResult<Value> {
    let wrong = |what: &str| AppError::invalid(field, format!("{} must be {what}", def.label));
    match field_type_of(def)? {
        CustomFieldType::Text => {
            let text = value.as_str().ok_or_else(|| wrong("text"))?;
            validate::characters(field, text, validate::Lines::Many)?;
            if text.chars().count() > MAX_TEXT_CHARS {
                return Err(wrong("at most 10000 characters long"));
            }
            Ok(Value::from(text))
        }
        CustomFieldType::Number => match value {
            Value::Number(n) if n.as_f64().is_some_and(f64::is_finite) => Ok(value.clone()),
            _ => Err(wrong("a number")),
        },
        CustomFieldType::Date => {
            let text = value.as_str().ok_or_else(|| wrong("a date YYYY-MM-DD"))?;
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .filter(|_| text.len() == 10)
                .ok_or_else(|| wrong("a date YYYY-MM-DD"))?;
            Ok(Value::from(text))
        }
        CustomFieldType::Boolean => match value {
            Value::Bool(_) => Ok(value.clone()),
            _ => Err(wrong("true or false")),
        },
        CustomFieldType::Url => {
            let text = value.as_str().ok_or_else(|| wrong("an http(s) URL"))?;
            match validate::url(field, Some(text), 2000)? {
                Some(url) => Ok(Value::from(url)),
                None => Err(wrong("an http(s) URL")),
            }
        }
        CustomFieldType::Email => {
            let text = value.as_str().ok_or_else(|| wrong("an e-mail address"))?;
            Ok(Value::from(validate::email(field, text)?))
        }
        CustomFieldType::Select => {
            let options = options_of(def);
            match value.as_str() {
                Some(choice) if options.iter().any(|o| o == choice) => Ok(Value::from(choice)),
                _ => Err(wrong(&format!("one of {}", options.join(", ")))),
            }
        }
        CustomFieldType::MultiSelect => {
            let options = options_of(def);
            let items = value.as_array().ok_or_else(|| wrong("a list of options"))?;
            let mut chosen: Vec<String> = Vec::with_capacity(items.len());
            for item in items {
                match item.as_str() {
                    Some(choice) if options.iter().any(|o| o == choice) => {
                        if !chosen.iter().any(|c| c == choice) {
                            chosen.push(choice.to_owned());
                        }
                    }
                    _ => return Err(wrong(&format!("a list of {}", options.join(", ")))),
                }
            }
            Ok(Value::from(chosen))
        }
    }
}
