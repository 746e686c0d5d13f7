//! DOM restrictions: what administrators define in the DOM Restrictions Editor (`/admin/`) and the
//! REST API under `/cobrowse/rest/restrictions`, and what the customer SDK receives to enforce
//! them (`restrictions` on the customer socket).
//!
//! A restriction selects elements with a CSS selector. *DOM control* (`control`): the agent sees the
//! element but cannot act on it or on anything inside it. *Data masking* (`mask`): the element's
//! content (text, values, images, data-carrying attributes) never leaves the customer's browser; the
//! agent sees asterisks and grey boxes; masked elements are DOM controlled too. A restriction
//! applies to every page, or to pages whose URL (`location.href`) matches `urlPattern`, an
//! ECMAScript regular expression without flags, tested as `new RegExp(urlPattern).test(url)`.
//!
//! Built-in defaults are not stored and cannot be turned off: password inputs are masked; submit
//! controls are DOM controlled (see docs/PROTOCOL.md, "DOM restrictions").

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The two kinds of restriction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RestrictionKind {
    /// DOM control: visible to the agent, but the agent cannot interact with it.
    Control,
    /// Data masking (and DOM control): content replaced by asterisks / grey boxes before it is sent.
    Mask,
}

/// A stored restriction, as the REST API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Restriction {
    pub id: i64,
    /// CSS selector (a selector list is allowed), at most 1000 characters.
    pub selector: String,
    pub kind: RestrictionKind,
    /// Free text for administrators (may be empty), at most 500 characters.
    pub description: String,
    /// Name of the group the restriction belongs to (1 to 100 characters).
    pub group: String,
    /// `null`: every page. Otherwise an ECMAScript regular expression the page URL must match.
    pub url_pattern: Option<String>,
    /// Disabled restrictions are kept but not sent to customers.
    pub enabled: bool,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
    /// Who made the last change: a user name, or `apikey:NAME`.
    pub updated_by: String,
}

/// Body of `POST /cobrowse/rest/restrictions` and `PUT /cobrowse/rest/restrictions/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestrictionInput {
    pub selector: String,
    pub kind: RestrictionKind,
    /// Default: empty.
    #[serde(default)]
    #[ts(optional)]
    pub description: Option<String>,
    /// Default: `"Default"`.
    #[serde(default)]
    #[ts(optional)]
    pub group: Option<String>,
    /// Absent or `null`: every page.
    #[serde(default)]
    #[ts(optional)]
    pub url_pattern: Option<String>,
    /// Default: `true`.
    #[serde(default)]
    #[ts(optional)]
    pub enabled: Option<bool>,
}

/// Body of `PATCH /cobrowse/rest/restrictions/{id}`: only the fields present change. `urlPattern`
/// present and `null` (or `""`) makes the restriction apply to every page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestrictionPatch {
    #[serde(default)]
    #[ts(optional)]
    pub selector: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<RestrictionKind>,
    #[serde(default)]
    #[ts(optional)]
    pub description: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub group: Option<String>,
    /// `Some(None)`: the field was present and `null`.
    #[serde(default, with = "double_option")]
    #[ts(optional, type = "string | null")]
    pub url_pattern: Option<Option<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub enabled: Option<bool>,
}

/// Answer of `GET /cobrowse/rest/restrictions`: every restriction, ordered by group then id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestrictionList {
    pub restrictions: Vec<Restriction>,
}

/// What happened to a restriction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AuditAction {
    Create,
    Update,
    Delete,
}

/// One change of a restriction, kept in the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    /// A user name, or `apikey:NAME`.
    pub actor: String,
    pub action: AuditAction,
    pub restriction_id: i64,
    /// The restriction before the change (`null` for `create`).
    pub before: Option<Restriction>,
    /// The restriction after the change (`null` for `delete`).
    pub after: Option<Restriction>,
}

/// Answer of `GET /cobrowse/rest/restrictions/audit`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditLog {
    pub entries: Vec<AuditEntry>,
}

/// Body of `POST /cobrowse/rest/restrictions/inspect`: the page an administrator wants to inspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InspectRequest {
    /// Absolute `http:`/`https:` URL of a page of the site (its origin must be allowed).
    pub url: String,
}

/// Answer of `POST /cobrowse/rest/restrictions/inspect`: a one-time link that opens the page in
/// the SDK's inspect mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InspectLink {
    /// The page URL with `gcb-inspect=TICKET` in its fragment.
    pub url: String,
    /// Unix seconds; the ticket is also spent by its first use.
    pub expires_at: i64,
}

/// Answer of `POST /cobrowse/rest/restrictions/inspect/{ticket}` (called by the SDK, CORS): every
/// enabled restriction, with descriptions and groups, for the inspect overlay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InspectRules {
    pub restrictions: Vec<Restriction>,
}

/// One enabled restriction as the customer SDK receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRule {
    pub id: i64,
    pub selector: String,
    pub kind: RestrictionKind,
    /// `null`: every page.
    pub url_pattern: Option<String>,
}

/// `restrictions` on the customer socket: the complete set of enabled restrictions (replaces any
/// earlier set). Sent right after `welcome` (before any `snapshotRequest`) and again whenever an
/// administrator changes a restriction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestrictionsMessage {
    /// Increases with every change while the server runs.
    pub version: u64,
    pub rules: Vec<CustomerRule>,
}

/// Serde helper: tells an absent field (`None`) from a present `null` (`Some(None)`).
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[allow(clippy::option_option)]
    pub fn serialize<S: Serializer>(v: &Option<Option<String>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    #[allow(clippy::option_option)]
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Ok(Some(Option::<String>::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_tells_absent_from_null() {
        let p: RestrictionPatch = serde_json::from_str(r#"{"enabled":false}"#).unwrap();
        assert_eq!(p.url_pattern, None);
        assert_eq!(p.enabled, Some(false));
        let p: RestrictionPatch = serde_json::from_str(r#"{"urlPattern":null}"#).unwrap();
        assert_eq!(p.url_pattern, Some(None));
        let p: RestrictionPatch = serde_json::from_str(r#"{"urlPattern":"^https://"}"#).unwrap();
        assert_eq!(p.url_pattern, Some(Some("^https://".into())));
    }

    #[test]
    fn kinds_are_camel_case() {
        assert_eq!(
            serde_json::to_string(&RestrictionKind::Mask).unwrap(),
            r#""mask""#
        );
        let input: RestrictionInput =
            serde_json::from_str(r##"{"selector":"#card","kind":"control"}"##).unwrap();
        assert_eq!(input.kind, RestrictionKind::Control);
        assert_eq!(input.group, None);
    }
}
