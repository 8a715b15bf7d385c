//! The keys Redis may hold a stale balance for: remembered when a write fails, read as
//! misses, forgotten once a repair has deleted them.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Keys whose latest write from this process Redis may not have taken, each with the
/// sequence number of that failure (a repair only forgets failures it has seen).
#[derive(Default)]
pub(super) struct Unsure {
    keys: Mutex<HashMap<String, u64>>,
    /// Whether `keys` holds any: every read checks, so it must not take the lock.
    any: AtomicBool,
    sequence: AtomicU64,
}

impl Unsure {
    /// Whether any key is unsure: every read asks, so it must not take the lock.
    pub(super) fn any(&self) -> bool {
        self.any.load(Ordering::Relaxed)
    }

    pub(super) fn remember(&self, keys: impl IntoIterator<Item = String>) {
        let sequence = self.sequence.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut unsure) = self.keys.lock() {
            unsure.extend(keys.into_iter().map(|key| (key, sequence)));
            self.any.store(true, Ordering::Relaxed);
        }
    }

    pub(super) fn holds(&self, key: &str) -> bool {
        self.keys
            .lock()
            .map_or(true, |unsure| unsure.contains_key(key))
    }

    pub(super) fn snapshot(&self) -> Vec<(String, u64)> {
        self.keys.lock().map_or_else(
            |_| Vec::new(),
            |unsure| unsure.iter().map(|(k, s)| (k.clone(), *s)).collect(),
        )
    }

    /// Forgets the failures of `repaired`, unless a key failed again since.
    pub(super) fn forget(&self, repaired: &[(String, u64)]) {
        if let Ok(mut unsure) = self.keys.lock() {
            for (key, sequence) in repaired {
                if unsure.get(key) == Some(sequence) {
                    unsure.remove(key);
                }
            }
            self.any.store(!unsure.is_empty(), Ordering::Relaxed);
        }
    }
}
