//! Checks on what a person typed, shared by every command: each refusal says, in English
//! for the API, what a valid value looks like.

use accounts::IdempotencyKey;
use tenancy::PersonFiscalCode;

use crate::AppError;

const MAX_TEXT: usize = 500;
const MAX_NAME: usize = 200;

/// A reason, a reference, a title: trimmed, 1 to 500 characters.
pub fn text(value: &str, field: &str) -> Result<String, AppError> {
    bounded(value, field, MAX_TEXT)
}

/// A person's, school's or class's name: trimmed, 1 to 200 characters.
pub fn name(value: &str, field: &str) -> Result<String, AppError> {
    bounded(value, field, MAX_NAME)
}

fn bounded(value: &str, field: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(AppError::Invalid(format!(
            "`{field}` must have 1 to {max} characters."
        )));
    }
    Ok(value.to_owned())
}

pub fn fiscal_code(value: &str) -> Result<PersonFiscalCode, AppError> {
    PersonFiscalCode::parse(value)
        .map_err(|e| AppError::Invalid(format!("`fiscalCode` is not a valid codice fiscale: {e}")))
}

/// The key a client chose for a command, so that retrying it changes nothing.
pub fn client_key(key: &str) -> Result<IdempotencyKey, AppError> {
    IdempotencyKey::client(key).ok_or_else(|| {
        AppError::invalid("`idempotencyKey` must be 1 to 100 printable ASCII characters, unique per command; reuse it only to retry the same command.")
    })
}

/// A login name: lower case, 1 to 64 letters, digits, dots, dashes or underscores.
pub fn username(value: &str) -> Result<String, AppError> {
    let username = value.trim().to_lowercase();
    let valid = !username.is_empty()
        && username.len() <= 64
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if valid {
        Ok(username)
    } else {
        Err(AppError::invalid(
            "`username` must be 1 to 64 letters, digits, dots, dashes or underscores.",
        ))
    }
}

/// Optional contact details: blank means none.
pub fn optional(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(text("  menu  ", "title").ok().as_deref(), Some("menu"));
        assert!(text("   ", "title").is_err());
        assert!(text(&"x".repeat(501), "title").is_err());
        assert!(name(&"x".repeat(200), "name").is_ok());
        assert!(name(&"x".repeat(201), "name").is_err());
    }

    #[test]
    fn usernames_are_lower_case_and_plain() {
        assert_eq!(
            username(" Mario.Rossi ").ok().as_deref(),
            Some("mario.rossi")
        );
        assert!(username("mario rossi").is_err());
        assert!(username("").is_err());
        assert!(username(&"a".repeat(65)).is_err());
    }

    #[test]
    fn blank_contacts_are_none() {
        assert_eq!(optional(Some("  ".into())), None);
        assert_eq!(optional(Some(" a@b.it ".into())).as_deref(), Some("a@b.it"));
    }
}
