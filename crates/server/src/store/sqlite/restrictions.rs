//! DOM restrictions (`restrictions`): every change writes its audit entry (`audit.rs`) in the
//! same `BEGIN IMMEDIATE` transaction; ids are never reused (`AUTOINCREMENT`).

use super::{audit, write_transaction};
use crate::store::{RestrictionFields, StoreError};
use cobrowse_protocol::{AuditAction, Restriction, RestrictionKind};
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqlitePool, SqliteRow};
use sqlx::{Executor, Row, Sqlite, SqliteConnection};

/// Columns of a restriction, in the order [`restriction_from_row`] reads them by name.
const RESTRICTION_COLUMNS: &str = "id, selector, kind, description, group_name, url_pattern, \
    enabled, created_at, updated_at, updated_by";

fn kind_to_db(kind: RestrictionKind) -> &'static str {
    match kind {
        RestrictionKind::Control => "control",
        RestrictionKind::Mask => "mask",
    }
}

fn kind_from_db(s: &str) -> Result<RestrictionKind, StoreError> {
    match s {
        "control" => Ok(RestrictionKind::Control),
        "mask" => Ok(RestrictionKind::Mask),
        other => Err(StoreError::Corrupt(format!(
            "unknown restriction kind {other:?}"
        ))),
    }
}

fn restriction_from_row(row: &SqliteRow) -> Result<Restriction, StoreError> {
    Ok(Restriction {
        id: row.try_get("id")?,
        selector: row.try_get("selector")?,
        kind: kind_from_db(row.try_get::<&str, _>("kind")?)?,
        description: row.try_get("description")?,
        group: row.try_get("group_name")?,
        url_pattern: row.try_get("url_pattern")?,
        enabled: row.try_get("enabled")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by")?,
    })
}

/// Binds the fields an administrator sets, in the order `selector, kind, description,
/// group_name, url_pattern, enabled`.
fn bind_fields<'q>(
    query: Query<'q, Sqlite, SqliteArguments<'q>>,
    fields: &'q RestrictionFields,
) -> Query<'q, Sqlite, SqliteArguments<'q>> {
    query
        .bind(&fields.selector)
        .bind(kind_to_db(fields.kind))
        .bind(&fields.description)
        .bind(&fields.group)
        .bind(&fields.url_pattern)
        .bind(fields.enabled)
}

async fn find_restriction(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Option<Restriction>, StoreError> {
    let sql = format!("SELECT {RESTRICTION_COLUMNS} FROM restrictions WHERE id = ?");
    let row = conn.fetch_optional(sqlx::query(&sql).bind(id)).await?;
    row.as_ref().map(restriction_from_row).transpose()
}

/// All restrictions, ordered by group (ignoring case, then exactly) then id.
pub(super) async fn list(pool: &SqlitePool) -> Result<Vec<Restriction>, StoreError> {
    let sql = format!(
        "SELECT {RESTRICTION_COLUMNS} FROM restrictions \
         ORDER BY group_name COLLATE NOCASE, group_name, id"
    );
    sqlx::query(&sql)
        .fetch_all(pool)
        .await?
        .iter()
        .map(restriction_from_row)
        .collect()
}

pub(super) async fn get(pool: &SqlitePool, id: i64) -> Result<Option<Restriction>, StoreError> {
    let sql = format!("SELECT {RESTRICTION_COLUMNS} FROM restrictions WHERE id = ?");
    let row = sqlx::query(&sql).bind(id).fetch_optional(pool).await?;
    row.as_ref().map(restriction_from_row).transpose()
}

pub(super) async fn count(pool: &SqlitePool) -> Result<u64, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM restrictions")
        .fetch_one(pool)
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

pub(super) async fn create(
    pool: &SqlitePool,
    fields: &RestrictionFields,
    actor: &str,
    now: i64,
) -> Result<Restriction, StoreError> {
    let mut tx = write_transaction(pool).await?;
    let sql = format!(
        "INSERT INTO restrictions (selector, kind, description, group_name, url_pattern, \
         enabled, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
         RETURNING {RESTRICTION_COLUMNS}"
    );
    let query = bind_fields(sqlx::query(&sql), fields)
        .bind(now)
        .bind(now)
        .bind(actor);
    let row = tx.fetch_one(query).await?;
    let created = restriction_from_row(&row)?;
    audit::write(
        &mut tx,
        now,
        actor,
        AuditAction::Create,
        created.id,
        None,
        Some(&created),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

pub(super) async fn update(
    pool: &SqlitePool,
    id: i64,
    fields: &RestrictionFields,
    actor: &str,
    now: i64,
) -> Result<Restriction, StoreError> {
    let mut tx = write_transaction(pool).await?;
    let Some(before) = find_restriction(&mut tx, id).await? else {
        return Err(StoreError::NoSuchRestriction(id));
    };
    let sql = format!(
        "UPDATE restrictions SET selector = ?, kind = ?, description = ?, group_name = ?, \
         url_pattern = ?, enabled = ?, updated_at = ?, updated_by = ? WHERE id = ? \
         RETURNING {RESTRICTION_COLUMNS}"
    );
    let query = bind_fields(sqlx::query(&sql), fields)
        .bind(now)
        .bind(actor)
        .bind(id);
    let row = tx.fetch_one(query).await?;
    let after = restriction_from_row(&row)?;
    audit::write(
        &mut tx,
        now,
        actor,
        AuditAction::Update,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(super) async fn delete(
    pool: &SqlitePool,
    id: i64,
    actor: &str,
    now: i64,
) -> Result<Restriction, StoreError> {
    let mut tx = write_transaction(pool).await?;
    let Some(before) = find_restriction(&mut tx, id).await? else {
        return Err(StoreError::NoSuchRestriction(id));
    };
    tx.execute(sqlx::query("DELETE FROM restrictions WHERE id = ?").bind(id))
        .await?;
    audit::write(
        &mut tx,
        now,
        actor,
        AuditAction::Delete,
        id,
        Some(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(before)
}

#[cfg(test)]
mod tests {
    use super::super::open_temp;
    use crate::store::{RestrictionFields, Store, StoreError};
    use cobrowse_protocol::{AuditAction, RestrictionKind};

    #[tokio::test]
    async fn restrictions_and_their_audit() {
        let (_dir, store) = open_temp().await;
        // The demo seed, with its audit entries.
        let seeded = store.list_restrictions().await.unwrap();
        assert_eq!(
            seeded
                .iter()
                .map(|r| r.selector.as_str())
                .collect::<Vec<_>>(),
            ["#card, #cvv", ".account-number"]
        );
        assert!(seeded.iter().all(|r| r.group == "Demo shop"
            && r.url_pattern.as_deref() == Some("/demo/")
            && r.kind == RestrictionKind::Mask
            && r.enabled
            && r.updated_by == "system"));
        let audit = store.list_audit(10).await.unwrap();
        assert_eq!(audit.len(), 2);
        assert_eq!(
            audit[0].after.as_ref(),
            seeded.get(1),
            "seed audit is the row"
        );
        assert_eq!(audit[1].after.as_ref(), seeded.first());

        let fields = RestrictionFields {
            selector: "#ssn".into(),
            kind: RestrictionKind::Control,
            description: String::new(),
            group: "default".into(),
            url_pattern: None,
            enabled: false,
        };
        let created = store
            .create_restriction(&fields, "boss", 100)
            .await
            .unwrap();
        assert_eq!(created.id, 3);
        assert_eq!((created.created_at, created.updated_at), (100, 100));
        assert_eq!(store.count_restrictions().await.unwrap(), 3);
        // Ordered by group ignoring case: "default" before "Demo shop".
        let groups: Vec<String> = store
            .list_restrictions()
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.group)
            .collect();
        assert_eq!(groups, ["default", "Demo shop", "Demo shop"]);

        let changed = RestrictionFields {
            url_pattern: Some("^https://".into()),
            enabled: true,
            ..fields.clone()
        };
        let updated = store
            .update_restriction(created.id, &changed, "apikey:ci", 200)
            .await
            .unwrap();
        assert_eq!(RestrictionFields::of(&updated), changed);
        assert_eq!((updated.created_at, updated.updated_at), (100, 200));
        assert_eq!(updated.updated_by, "apikey:ci");
        assert_eq!(
            store.get_restriction(created.id).await.unwrap(),
            Some(updated.clone())
        );

        let deleted = store
            .delete_restriction(created.id, "boss", 300)
            .await
            .unwrap();
        assert_eq!(deleted, updated);
        assert_eq!(store.get_restriction(created.id).await.unwrap(), None);
        for result in [
            store.delete_restriction(created.id, "boss", 301).await,
            store
                .update_restriction(created.id, &fields, "boss", 301)
                .await,
        ] {
            assert!(matches!(result, Err(StoreError::NoSuchRestriction(3))));
        }
        // Ids are not reused.
        let again = store
            .create_restriction(&fields, "boss", 400)
            .await
            .unwrap();
        assert_eq!(again.id, 4);

        let audit = store.list_audit(4).await.unwrap();
        let summary: Vec<(AuditAction, &str, i64, bool, bool)> = audit
            .iter()
            .map(|e| {
                (
                    e.action,
                    e.actor.as_str(),
                    e.restriction_id,
                    e.before.is_some(),
                    e.after.is_some(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (AuditAction::Create, "boss", 4, false, true),
                (AuditAction::Delete, "boss", 3, true, false),
                (AuditAction::Update, "apikey:ci", 3, true, true),
                (AuditAction::Create, "boss", 3, false, true),
            ]
        );
        assert_eq!(audit[2].before.as_ref(), Some(&created));
        assert_eq!(audit[2].after.as_ref(), Some(&updated));
        assert_eq!(audit[2].at, 200);
        assert_eq!(store.list_audit(100).await.unwrap().len(), 6);
    }
}
