//! A GraphQL response with the accessors tests need.

use axum::http::StatusCode;
use serde_json::Value;

/// The HTTP status and JSON body of a GraphQL call.
#[derive(Debug, Clone)]
pub struct GqlResponse {
    pub status: StatusCode,
    pub body: Value,
}

impl GqlResponse {
    /// Parses a body (non-JSON bodies become a string value).
    pub fn new(status: StatusCode, bytes: &[u8]) -> Self {
        let body = serde_json::from_slice(bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into()));
        Self { status, body }
    }

    /// The errors, if any.
    pub fn errors(&self) -> &[Value] {
        self.body
            .get("errors")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The first error's `extensions.code`.
    pub fn code(&self) -> Option<&str> {
        self.errors().first()?.pointer("/extensions/code")?.as_str()
    }

    /// The first error's `extensions.field`.
    pub fn field(&self) -> Option<&str> {
        self.errors()
            .first()?
            .pointer("/extensions/field")?
            .as_str()
    }

    /// The `data` member, asserting there were no errors.
    pub fn data(&self) -> &Value {
        assert!(self.errors().is_empty(), "unexpected errors: {}", self.body);
        assert_eq!(self.status, StatusCode::OK, "status of {}", self.body);
        self.body.get("data").unwrap_or(&Value::Null)
    }

    /// A value at a JSON pointer inside `data`, asserting there were no errors.
    pub fn at(&self, pointer: &str) -> &Value {
        self.data()
            .pointer(pointer)
            .unwrap_or_else(|| panic!("no {pointer} in {}", self.body))
    }

    /// Asserts the first error has this code, and returns self for more checks.
    pub fn expect_code(&self, code: &str) -> &Self {
        assert_eq!(self.code(), Some(code), "expected {code} in {}", self.body);
        self
    }
}
