//! The restrictions of the running server: every change goes through [`Restrictions`], which
//! validates it (the model in `super`), stores it with its audit entry, and publishes the enabled
//! restrictions to the session actors as [`CustomerRules`] on a `tokio::sync::watch` channel.
//!
//! Invariants:
//! - changes are serialised (one at a time, store write then publication), so the published set
//!   is always the set stored after the latest change, never an older one published late;
//! - the published `version` starts at 1 when the server starts and increases by one whenever the
//!   set of enabled rules changes (a change that does not alter it, such as a new description or
//!   an edit of a disabled restriction, publishes nothing);
//! - the customer message is serialised once per change; each actor sends a clone of the same
//!   bytes ([`Utf8Bytes`] is reference counted).
//!
//! Created at startup by `crate::run` (loaded from the store), called by the REST handlers, read
//! by the session actors (through [`Restrictions::subscribe`]).

use super::{InvalidRestriction, MAX_RESTRICTIONS};
use crate::store::{RestrictionFields, Store, StoreError, unix_now};
use axum::extract::ws::Utf8Bytes;
use cobrowse_protocol::{
    CustomerRule, Restriction, RestrictionInput, RestrictionPatch, RestrictionsMessage,
    ServerToCustomer,
};
use std::sync::Arc;
use tokio::sync::{Mutex, watch};

/// The enabled restrictions as customers receive them.
#[derive(Debug, Clone)]
pub(crate) struct CustomerRules {
    pub version: u64,
    pub rules: Arc<[CustomerRule]>,
    /// JSON of `ServerToCustomer::Restrictions` for these rules, ready to send.
    pub message: Utf8Bytes,
}

impl CustomerRules {
    /// The message for `rules` at `version`.
    pub fn new(version: u64, rules: Vec<CustomerRule>) -> Self {
        let message = ServerToCustomer::Restrictions(RestrictionsMessage {
            version,
            rules: rules.clone(),
        });
        // A struct of strings, integers and enums always serialises.
        let json = serde_json::to_string(&message).unwrap_or_default();
        Self {
            version,
            rules: rules.into(),
            message: Utf8Bytes::from(json),
        }
    }

    /// The customer rules of the enabled restrictions among `all`, ordered by id.
    fn of(all: &[Restriction]) -> Vec<CustomerRule> {
        let mut rules: Vec<CustomerRule> = all
            .iter()
            .filter(|r| r.enabled)
            .map(|r| CustomerRule {
                id: r.id,
                selector: r.selector.clone(),
                kind: r.kind,
                url_pattern: r.url_pattern.clone(),
            })
            .collect();
        rules.sort_by_key(|r| r.id);
        rules
    }
}

/// Why a change was not made.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ChangeError {
    #[error(transparent)]
    Invalid(#[from] InvalidRestriction),
    #[error("no restriction has id {0}")]
    NotFound(i64),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ChangeError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NoSuchRestriction(id) => Self::NotFound(id),
            other => Self::Store(other),
        }
    }
}

/// See the module documentation.
pub(crate) struct Restrictions {
    store: Arc<dyn Store>,
    // Lock: serialises changes, each held across its store write and its publication (a few
    // milliseconds), so publications happen in the order of the writes. A tokio mutex since it is
    // held across `.await`s; only REST handlers take it, never a session actor.
    changes: Mutex<()>,
    // Channel: the current customer rules; a watch since actors need only the latest set, and
    // actors that subscribe later (new sessions) start from it.
    rules: watch::Sender<CustomerRules>,
}

impl Restrictions {
    /// Loads the enabled restrictions from `store` (version 1).
    pub async fn load(store: Arc<dyn Store>) -> Result<Self, StoreError> {
        let all = store.list_restrictions().await?;
        let rules = watch::Sender::new(CustomerRules::new(1, CustomerRules::of(&all)));
        Ok(Self {
            store,
            changes: Mutex::new(()),
            rules,
        })
    }

    /// A receiver of the current customer rules, for a session actor.
    pub fn subscribe(&self) -> watch::Receiver<CustomerRules> {
        self.rules.subscribe()
    }

    /// The current customer rules.
    #[cfg(test)]
    pub fn current(&self) -> CustomerRules {
        self.rules.borrow().clone()
    }

    /// Every restriction, ordered by group then id.
    pub async fn list(&self) -> Result<Vec<Restriction>, StoreError> {
        self.store.list_restrictions().await
    }

    /// The enabled restrictions (what the inspect overlay shows), ordered by group then id.
    pub async fn enabled(&self) -> Result<Vec<Restriction>, StoreError> {
        let mut all = self.store.list_restrictions().await?;
        all.retain(|r| r.enabled);
        Ok(all)
    }

    pub async fn get(&self, id: i64) -> Result<Restriction, ChangeError> {
        self.store
            .get_restriction(id)
            .await?
            .ok_or(ChangeError::NotFound(id))
    }

    /// Creates a restriction from a `POST` body.
    pub async fn create(
        &self,
        input: &RestrictionInput,
        actor: &str,
    ) -> Result<Restriction, ChangeError> {
        let fields = super::from_input(input)?;
        let _change = self.changes.lock().await;
        if self.store.count_restrictions().await? >= MAX_RESTRICTIONS {
            return Err(InvalidRestriction(format!(
                "at most {MAX_RESTRICTIONS} restrictions may exist; delete some first"
            ))
            .into());
        }
        let created = self
            .store
            .create_restriction(&fields, actor, unix_now())
            .await?;
        self.publish().await?;
        Ok(created)
    }

    /// Replaces every field of restriction `id` (`PUT`; absent optional fields take their
    /// defaults).
    pub async fn replace(
        &self,
        id: i64,
        input: &RestrictionInput,
        actor: &str,
    ) -> Result<Restriction, ChangeError> {
        let fields = super::from_input(input)?;
        let _change = self.changes.lock().await;
        let current = self.get(id).await?;
        self.update(current, &fields, actor).await
    }

    /// Changes the fields present in `patch` (`PATCH`).
    pub async fn patch(
        &self,
        id: i64,
        patch: &RestrictionPatch,
        actor: &str,
    ) -> Result<Restriction, ChangeError> {
        let _change = self.changes.lock().await;
        let current = self.get(id).await?;
        let fields = super::patched(&current, patch)?;
        self.update(current, &fields, actor).await
    }

    /// Deletes restriction `id`.
    pub async fn delete(&self, id: i64, actor: &str) -> Result<Restriction, ChangeError> {
        let _change = self.changes.lock().await;
        let deleted = self.store.delete_restriction(id, actor, unix_now()).await?;
        self.publish().await?;
        Ok(deleted)
    }

    /// Stores `fields` for `current` unless nothing changes (then no write, no audit entry).
    /// Called with the change lock held.
    async fn update(
        &self,
        current: Restriction,
        fields: &RestrictionFields,
        actor: &str,
    ) -> Result<Restriction, ChangeError> {
        if RestrictionFields::of(&current) == *fields {
            return Ok(current);
        }
        let updated = self
            .store
            .update_restriction(current.id, fields, actor, unix_now())
            .await?;
        self.publish().await?;
        Ok(updated)
    }

    /// Publishes the stored enabled rules when they differ from the published ones. Called with
    /// the change lock held.
    async fn publish(&self) -> Result<(), StoreError> {
        let rules = CustomerRules::of(&self.store.list_restrictions().await?);
        self.rules.send_if_modified(|current| {
            if *current.rules == *rules {
                return false;
            }
            *current = CustomerRules::new(current.version + 1, rules);
            true
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SqliteStore;

    fn input(json: &str) -> RestrictionInput {
        serde_json::from_str(json).unwrap()
    }

    #[tokio::test]
    async fn changes_publish_new_versions_of_the_enabled_rules() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).await.unwrap());
        let restrictions = Restrictions::load(store).await.unwrap();
        let mut rx = restrictions.subscribe();
        let start = rx.borrow_and_update().clone();
        assert_eq!(start.version, 1);
        assert_eq!(start.rules.len(), 2, "the demo seed");
        assert!(
            start
                .message
                .as_str()
                .starts_with(r##"{"type":"restrictions","version":1,"rules":[{"id":1,"selector":"#card, #cvv","kind":"mask","urlPattern":"/demo/"}"##),
            "{}",
            start.message.as_str()
        );

        let created = restrictions
            .create(&input(r#"{"selector":".ssn","kind":"control"}"#), "boss")
            .await
            .unwrap();
        assert!(rx.has_changed().unwrap());
        let now = rx.borrow_and_update().clone();
        assert_eq!(now.version, 2);
        assert_eq!(now.rules.last().map(|r| r.id), Some(created.id));

        // A description change does not change what customers enforce: nothing published.
        let patch: RestrictionPatch = serde_json::from_str(r#"{"description":"x"}"#).unwrap();
        restrictions
            .patch(created.id, &patch, "boss")
            .await
            .unwrap();
        assert!(!rx.has_changed().unwrap());
        // Nor does a no-op; disabling does.
        restrictions
            .patch(created.id, &patch, "boss")
            .await
            .unwrap();
        assert!(!rx.has_changed().unwrap());
        let disable: RestrictionPatch = serde_json::from_str(r#"{"enabled":false}"#).unwrap();
        restrictions
            .patch(created.id, &disable, "boss")
            .await
            .unwrap();
        assert_eq!(rx.borrow_and_update().version, 3);
        assert_eq!(restrictions.current().rules.len(), 2);
        assert_eq!(restrictions.enabled().await.unwrap().len(), 2);
        assert_eq!(restrictions.list().await.unwrap().len(), 3);

        restrictions.delete(1, "boss").await.unwrap();
        let now = rx.borrow_and_update().clone();
        assert_eq!(now.version, 4);
        assert_eq!(now.rules.iter().map(|r| r.id).collect::<Vec<_>>(), [2]);
        assert!(matches!(
            restrictions.delete(1, "boss").await,
            Err(ChangeError::NotFound(1))
        ));
        assert!(matches!(
            restrictions
                .replace(99, &input(r#"{"selector":"a","kind":"mask"}"#), "boss")
                .await,
            Err(ChangeError::NotFound(99))
        ));
        assert!(matches!(
            restrictions
                .create(&input(r#"{"selector":"a[","kind":"mask"}"#), "boss")
                .await,
            Err(ChangeError::Invalid(_))
        ));
        // Four audit entries for four writes (the no-ops wrote nothing), plus the seed's two.
        let store = &restrictions.store;
        assert_eq!(store.list_audit(100).await.unwrap().len(), 2 + 4);
    }

    #[tokio::test]
    async fn at_most_the_limit_exist() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).await.unwrap());
        let restrictions = Restrictions::load(store.clone()).await.unwrap();
        let fields = super::super::from_input(&input(r#"{"selector":"a","kind":"mask"}"#)).unwrap();
        for _ in store.count_restrictions().await.unwrap()..MAX_RESTRICTIONS {
            store.create_restriction(&fields, "t", 0).await.unwrap();
        }
        let refused = restrictions
            .create(&input(r#"{"selector":"b","kind":"mask"}"#), "boss")
            .await;
        assert!(
            matches!(&refused, Err(ChangeError::Invalid(e)) if e.0.contains("at most 1000")),
            "{refused:?}"
        );
    }
}
