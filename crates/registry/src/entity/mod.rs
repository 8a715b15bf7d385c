//! sea-orm models of the registry tables.

pub mod class;
pub mod enrolment;
pub mod guardian;
pub mod operator;
pub mod school;
pub mod student;
