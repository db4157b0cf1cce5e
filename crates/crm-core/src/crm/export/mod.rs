//! CSV export of contacts (served by the gateway at `GET /export/contacts.csv`).

pub mod csv_cells;
pub mod service;
