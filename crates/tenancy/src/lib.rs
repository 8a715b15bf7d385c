//! Who the comune is: tenant identity, subdomain resolution, branding, tariff bands,
//! pagoPA creditor settings, and the validated identifiers a comune and its people carry.
//!
//! Every tenant-scoped query in Mensa takes a `TenantId` and runs in a transaction opened
//! by `scope::run`, which on PostgreSQL also arms row-level security for that comune.

pub mod calendar;
mod check_char;
mod directory;
pub mod entity;
pub mod fiscal_code;
pub mod host;
pub mod iban;
pub mod scope;
pub mod slug;
mod tariff;
mod tenant;
pub mod tenant_id;

pub use calendar::{italian_date, today_in_italy};
pub use directory::{DirectoryError, NewTenant, TenantDirectory};
pub use fiscal_code::{EntityFiscalCode, FiscalCode, PersonFiscalCode};
pub use host::{HostError, HostResolver, TrustedProxies, effective_host};
pub use iban::Iban;
pub use slug::TenantSlug;
pub use tariff::{TariffBand, TariffError, add_price, band_on, bands_on};
pub use tenant::{BalancePolicy, Branding, Contacts, Creditor, OverLimit, Tenant, TopUpLimits};
pub use tenant_id::TenantId;
