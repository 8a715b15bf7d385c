//! The 13-digit base of a new IUV, drawn at random: a notice number must tell nobody the
//! next one, or a script could walk a comune's notices (and their payers) one by one.
//!
//! 10^13 bases per station make a collision rare, not impossible: the position's unique
//! notice number (per comune) catches it and `create_notice` draws again.

/// Bases are below 10^13: 13 digits.
const BASE_LIMIT: u64 = 10_000_000_000_000;

/// The largest multiple of `BASE_LIMIT` a u64 holds: a draw at or above it is drawn again,
/// so that every base is equally likely (the remainder would favour the low ones).
const FAIR_ZONE: u64 = u64::MAX - (u64::MAX % BASE_LIMIT);

/// A base from the operating system's random source.
pub(crate) fn random_base() -> Result<u64, getrandom::Error> {
    loop {
        let draw = getrandom::u64()?;
        if draw < FAIR_ZONE {
            return Ok(draw % BASE_LIMIT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_have_at_most_13_digits_and_differ() {
        let drawn: std::collections::HashSet<u64> =
            (0..1000).map(|_| random_base().unwrap()).collect();
        assert_eq!(
            drawn.len(),
            1000,
            "1000 draws of 10^13 never collide in practice"
        );
        assert!(drawn.iter().all(|base| *base < BASE_LIMIT));
        assert!(
            drawn.iter().any(|base| *base >= BASE_LIMIT / 10),
            "bases spread over all 13 digits"
        );
    }

    // The fair zone is a whole number of bases, and nothing fairer fits in a u64.
    const _: () =
        assert!(FAIR_ZONE.is_multiple_of(BASE_LIMIT) && u64::MAX - FAIR_ZONE < BASE_LIMIT);
}
