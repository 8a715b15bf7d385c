//! sea-orm models of the tenancy tables.

pub mod tariff_band;
pub mod tenant;
