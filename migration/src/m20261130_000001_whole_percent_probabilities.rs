//! Probabilities become whole percents. The API now exchanges every probability as an `Int`
//! (stages always did); leads, opportunities and stage history keep their decimal columns, so
//! this only rounds values written with a fraction (half away from zero) and recomputes the
//! weighted value of the opportunities it changes (`value × probability / 100`, in cents).
//! Rounding cannot be undone, so `down` leaves the values as they are.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

const ROUNDINGS: &[&str] = &[
    // Both assignments read the row's old values, so the weighted value uses the rounded
    // probability of the same row.
    "UPDATE opportunities \
     SET weighted_value = ROUND(value * ROUND(probability) / 100, 2), \
         probability = ROUND(probability) \
     WHERE probability <> ROUND(probability)",
    "UPDATE leads SET probability = ROUND(probability) \
     WHERE probability IS NOT NULL AND probability <> ROUND(probability)",
    "UPDATE opportunity_stage_history SET probability = ROUND(probability) \
     WHERE probability <> ROUND(probability)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in ROUNDINGS {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
