//! The restriction audit log (`restriction_audit`): one entry per create, update or delete of a
//! restriction, written inside the change's transaction, with the restriction before and after
//! as JSON of its REST representation.

use crate::store::StoreError;
use cobrowse_protocol::{AuditAction, AuditEntry, Restriction};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Executor, Row, SqliteConnection};

fn action_to_db(action: AuditAction) -> &'static str {
    match action {
        AuditAction::Create => "create",
        AuditAction::Update => "update",
        AuditAction::Delete => "delete",
    }
}

fn action_from_db(s: &str) -> Result<AuditAction, StoreError> {
    match s {
        "create" => Ok(AuditAction::Create),
        "update" => Ok(AuditAction::Update),
        "delete" => Ok(AuditAction::Delete),
        other => Err(StoreError::Corrupt(format!(
            "unknown audit action {other:?}"
        ))),
    }
}

/// A restriction as stored in an audit entry (JSON of the REST representation).
fn audit_json(r: Option<&Restriction>) -> Result<Option<String>, StoreError> {
    r.map(|r| serde_json::to_string(r).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}

fn audit_restriction(json: Option<String>) -> Result<Option<Restriction>, StoreError> {
    json.map(|j| {
        serde_json::from_str(&j)
            .map_err(|e| StoreError::Corrupt(format!("audit entry restriction: {e}")))
    })
    .transpose()
}

fn audit_from_row(row: &SqliteRow) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        action: action_from_db(row.try_get::<&str, _>("action")?)?,
        restriction_id: row.try_get("restriction_id")?,
        before: audit_restriction(row.try_get("before")?)?,
        after: audit_restriction(row.try_get("after")?)?,
    })
}

/// Writes one audit entry inside the change's transaction.
pub(super) async fn write(
    conn: &mut SqliteConnection,
    at: i64,
    actor: &str,
    action: AuditAction,
    restriction_id: i64,
    before: Option<&Restriction>,
    after: Option<&Restriction>,
) -> Result<(), StoreError> {
    let query = sqlx::query(
        "INSERT INTO restriction_audit (at, actor, action, restriction_id, before, after) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(at)
    .bind(actor)
    .bind(action_to_db(action))
    .bind(restriction_id)
    .bind(audit_json(before)?)
    .bind(audit_json(after)?);
    conn.execute(query).await?;
    Ok(())
}

/// The newest `limit` entries, newest first.
pub(super) async fn list(pool: &SqlitePool, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
    sqlx::query(
        "SELECT id, at, actor, action, restriction_id, before, after \
         FROM restriction_audit ORDER BY id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(audit_from_row)
    .collect()
}
