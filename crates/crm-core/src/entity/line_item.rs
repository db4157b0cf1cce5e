//! A product line on an opportunity.

use sea_orm::entity::prelude::*;

kernel::entity!(object "opportunity_line_items" {
    pub opportunity_id: Uuid,
    pub product: String,
    pub description: Option<String>,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount: Decimal,
    pub total: Decimal,
    pub position: i32,
});
