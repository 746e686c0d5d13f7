//! The conversations of running chats (`chats`, `chat_messages`): written by the chat hub
//! (`crate::chat`) only, deleted when the chat ends and at startup.

use crate::store::StoreError;
use cobrowse_protocol::{ChatMessage, ChatSender};
use sqlx::Row;
use sqlx::sqlite::{SqlitePool, SqliteRow};

fn chat_message_from_row(row: &SqliteRow) -> Result<ChatMessage, StoreError> {
    let sender = match row.try_get::<&str, _>("sender")? {
        "customer" => ChatSender::Customer,
        "agent" => ChatSender::Agent,
        other => {
            return Err(StoreError::Corrupt(format!(
                "unknown chat sender {other:?}"
            )));
        }
    };
    let cobrowse: Option<String> = row.try_get("cobrowse")?;
    Ok(ChatMessage {
        seq: row.try_get("seq")?,
        sender,
        name: row.try_get("name")?,
        text: row.try_get("text")?,
        at: row.try_get("at")?,
        cobrowse: cobrowse
            .map(|t| {
                t.parse()
                    .map_err(|_| StoreError::Corrupt(format!("chat token {t:?}")))
            })
            .transpose()?,
    })
}

pub(super) async fn create(
    pool: &SqlitePool,
    id: &str,
    customer: &str,
    opened_at: i64,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO chats (id, customer_name, opened_at) VALUES (?, ?, ?)")
        .bind(id)
        .bind(customer)
        .bind(opened_at)
        .execute(pool)
        .await?;
    Ok(())
}

pub(super) async fn append_message(
    pool: &SqlitePool,
    chat: &str,
    m: &ChatMessage,
) -> Result<(), StoreError> {
    let sender = match m.sender {
        ChatSender::Customer => "customer",
        ChatSender::Agent => "agent",
    };
    sqlx::query(
        "INSERT INTO chat_messages (chat_id, seq, sender, name, text, at, cobrowse) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(chat)
    .bind(m.seq)
    .bind(sender)
    .bind(&m.name)
    .bind(&m.text)
    .bind(m.at)
    .bind(m.cobrowse.as_ref().map(|t| t.as_str().to_owned()))
    .execute(pool)
    .await?;
    Ok(())
}

/// A chat's conversation in `seq` order.
pub(super) async fn history(pool: &SqlitePool, chat: &str) -> Result<Vec<ChatMessage>, StoreError> {
    sqlx::query(
        "SELECT seq, sender, name, text, at, cobrowse FROM chat_messages \
         WHERE chat_id = ? ORDER BY seq",
    )
    .bind(chat)
    .fetch_all(pool)
    .await?
    .iter()
    .map(chat_message_from_row)
    .collect()
}

/// Deletes a chat; its messages go with it (`ON DELETE CASCADE`).
pub(super) async fn delete(pool: &SqlitePool, chat: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM chats WHERE id = ?")
        .bind(chat)
        .execute(pool)
        .await?;
    Ok(())
}

pub(super) async fn delete_all(pool: &SqlitePool) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM chats").execute(pool).await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::super::open_temp;
    use crate::store::Store;
    use cobrowse_protocol::{ChatMessage, ChatSender};

    fn message(seq: u32, sender: ChatSender, cobrowse: Option<&str>) -> ChatMessage {
        ChatMessage {
            seq,
            sender,
            name: format!("name {seq}"),
            text: format!("text {seq}"),
            at: 1_000 + i64::from(seq),
            cobrowse: cobrowse.map(|t| t.parse().unwrap()),
        }
    }

    #[tokio::test]
    async fn conversations_kept_in_order_until_deleted() {
        let (_dir, store) = open_temp().await;
        store.create_chat("a", "Ann", 1).await.unwrap();
        store.create_chat("b", "Bob", 2).await.unwrap();
        let second = message(2, ChatSender::Agent, None);
        let first = message(1, ChatSender::Customer, Some("123456789"));
        store.append_chat_message("a", &second).await.unwrap();
        store.append_chat_message("a", &first).await.unwrap();
        assert!(
            store.append_chat_message("a", &first).await.is_err(),
            "a seq is new for its chat"
        );
        store
            .append_chat_message("b", &message(1, ChatSender::Customer, None))
            .await
            .unwrap();
        assert_eq!(store.chat_history("a").await.unwrap(), [first, second]);
        store.delete_chat("a").await.unwrap();
        assert_eq!(store.chat_history("a").await.unwrap(), []);
        assert_eq!(store.chat_history("b").await.unwrap().len(), 1);
        assert_eq!(store.delete_all_chats().await.unwrap(), 1);
        assert_eq!(store.chat_history("b").await.unwrap(), []);
    }
}
