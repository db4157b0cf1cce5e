//! Holder crate for the workspace-level API tests in `tests/`.
