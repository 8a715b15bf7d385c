//! Which family actors are alive in this process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use kameo::actor::{ActorId, ActorRef, Spawn};
use tenancy::{Tenant, TenantId};

use super::Inner;
use super::family::FamilyAccount;
use crate::{AccountId, LedgerError};

type Key = (TenantId, AccountId);

#[derive(Debug, Default)]
pub(super) struct Actors {
    map: Mutex<HashMap<Key, ActorRef<FamilyAccount>>>,
}

impl Actors {
    fn lock(&self) -> MutexGuard<'_, HashMap<Key, ActorRef<FamilyAccount>>> {
        // A panic while holding this lock cannot leave the map inconsistent (single
        // inserts and removals), so a poisoned lock is still safe to use.
        self.map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn live(&self, tenant: TenantId, account: AccountId) -> Option<ActorRef<FamilyAccount>> {
        self.lock()
            .get(&(tenant, account))
            .filter(|actor| actor.is_alive())
            .cloned()
    }

    pub async fn get_or_spawn(
        &self,
        inner: &Arc<Inner>,
        tenant: &Arc<Tenant>,
        account: AccountId,
        known: Option<crate::entity::family_account::Model>,
    ) -> Result<ActorRef<FamilyAccount>, LedgerError> {
        if let Some(actor) = self.live(tenant.id, account) {
            return Ok(actor);
        }
        // Load outside the lock: other families must not wait on this one's query.
        let family = FamilyAccount::load(inner, tenant, account, known).await?;
        let mut map = self.lock();
        if let Some(actor) = map
            .get(&(tenant.id, account))
            .filter(|actor| actor.is_alive())
        {
            return Ok(actor.clone());
        }
        let mailbox = kameo::mailbox::bounded(inner.config.mailbox);
        let actor = FamilyAccount::spawn_with_mailbox(family, mailbox);
        map.insert((tenant.id, account), actor.clone());
        Ok(actor)
    }

    /// Removes the entry if it is still the actor `id` (a newer one may have replaced it).
    pub fn forget(&self, tenant: TenantId, account: AccountId, id: ActorId) {
        let mut map = self.lock();
        if map
            .get(&(tenant, account))
            .is_some_and(|actor| actor.id() == id)
        {
            map.remove(&(tenant, account));
        }
    }

    pub fn all(&self) -> Vec<ActorRef<FamilyAccount>> {
        self.lock().values().cloned().collect()
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub async fn stop_all(&self) {
        let actors: Vec<_> = self.lock().values().cloned().collect();
        for actor in &actors {
            let _ = actor.stop_gracefully().await;
        }
        for actor in actors {
            actor.wait_for_shutdown().await;
        }
    }
}
