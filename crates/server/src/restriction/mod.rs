//! DOM restrictions on the server: the model's rules (validation, normalisation, defaults, limits)
//! in this file; the live set sent to customers and the serialisation of changes in `live.rs`;
//! the one-time inspect tickets in `inspect.rs`; the selector parser glue in `selector.rs`.
//!
//! Contract of the model (docs/PROTOCOL.md, "DOM restrictions"): a `selector` is a selector list
//! the Servo/Firefox parser accepts, without pseudo-elements, at most [`MAX_SELECTOR_CHARS`]
//! characters (trimmed); a `urlPattern` is an ECMAScript regular expression (no flags) of at most
//! [`MAX_URL_PATTERN_CHARS`] characters, `""` meaning `null` (every page); a `group` is trimmed and
//! has 1 to [`MAX_GROUP_CHARS`] characters, default [`DEFAULT_GROUP`]; a `description` is trimmed
//! and has at most [`MAX_DESCRIPTION_CHARS`] characters, default empty; `enabled` defaults to
//! `true`. At most [`MAX_RESTRICTIONS`] restrictions exist. Every refusal is an
//! [`InvalidRestriction`] whose message names the field and the reason.
//!
//! Called by the REST handlers (`crate::http::restrictions`) through [`live::Restrictions`].

pub(crate) mod inspect;
pub(crate) mod live;
mod selector;

use crate::store::RestrictionFields;
use cobrowse_protocol::{Restriction, RestrictionInput, RestrictionPatch};

/// Longest selector, in characters.
pub const MAX_SELECTOR_CHARS: usize = 1000;
/// Longest URL pattern, in characters.
pub const MAX_URL_PATTERN_CHARS: usize = 1000;
/// Longest group name, in characters.
pub const MAX_GROUP_CHARS: usize = 100;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 500;
/// Most restrictions that may exist at once.
pub const MAX_RESTRICTIONS: u64 = 1000;
/// Group of a restriction created without one.
pub const DEFAULT_GROUP: &str = "Default";

/// A value an administrator may not store; the message names the field and says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidRestriction(pub String);

/// A value quoted for a message (JSON string syntax, so quotes and control characters show).
fn quote(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}"))
}

fn invalid(field: &str, value: &str, reason: impl std::fmt::Display) -> InvalidRestriction {
    InvalidRestriction(format!("{field} {}: {reason}", quote(value)))
}

fn too_long(field: &str, max: usize, given: usize) -> InvalidRestriction {
    InvalidRestriction(format!(
        "{field}: at most {max} characters allowed ({given} given)"
    ))
}

/// The selector, trimmed, when it is a valid selector list without pseudo-elements.
pub fn selector(value: &str) -> Result<String, InvalidRestriction> {
    let value = value.trim();
    let chars = value.chars().count();
    if chars > MAX_SELECTOR_CHARS {
        return Err(too_long("selector", MAX_SELECTOR_CHARS, chars));
    }
    selector::check(value).map_err(|e| invalid("selector", value, e))?;
    Ok(value.to_owned())
}

/// The URL pattern: `None` for absent or `""`, else the pattern as given when it is a valid
/// ECMAScript regular expression.
pub fn url_pattern(value: Option<&str>) -> Result<Option<String>, InvalidRestriction> {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let chars = value.chars().count();
    if chars > MAX_URL_PATTERN_CHARS {
        return Err(too_long("urlPattern", MAX_URL_PATTERN_CHARS, chars));
    }
    regress::Regex::new(value).map_err(|e| invalid("urlPattern", value, e))?;
    Ok(Some(value.to_owned()))
}

/// The group, trimmed; [`DEFAULT_GROUP`] when absent.
pub fn group(value: Option<&str>) -> Result<String, InvalidRestriction> {
    let Some(value) = value else {
        return Ok(DEFAULT_GROUP.to_owned());
    };
    let value = value.trim();
    let chars = value.chars().count();
    if chars == 0 {
        return Err(InvalidRestriction(format!(
            "group: must have 1 to {MAX_GROUP_CHARS} characters (empty given)"
        )));
    }
    if chars > MAX_GROUP_CHARS {
        return Err(too_long("group", MAX_GROUP_CHARS, chars));
    }
    Ok(value.to_owned())
}

/// The description, trimmed; empty when absent.
pub fn description(value: Option<&str>) -> Result<String, InvalidRestriction> {
    let value = value.unwrap_or("").trim();
    let chars = value.chars().count();
    if chars > MAX_DESCRIPTION_CHARS {
        return Err(too_long("description", MAX_DESCRIPTION_CHARS, chars));
    }
    Ok(value.to_owned())
}

/// The fields to store for a `POST` or `PUT` body: every field validated, defaults applied.
pub fn from_input(input: &RestrictionInput) -> Result<RestrictionFields, InvalidRestriction> {
    Ok(RestrictionFields {
        selector: selector(&input.selector)?,
        kind: input.kind,
        description: description(input.description.as_deref())?,
        group: group(input.group.as_deref())?,
        url_pattern: url_pattern(input.url_pattern.as_deref())?,
        enabled: input.enabled.unwrap_or(true),
    })
}

/// The fields to store for a `PATCH` of `current`: the fields present validated, the others
/// kept as they are.
pub fn patched(
    current: &Restriction,
    patch: &RestrictionPatch,
) -> Result<RestrictionFields, InvalidRestriction> {
    let mut fields = RestrictionFields::of(current);
    if let Some(value) = &patch.selector {
        fields.selector = selector(value)?;
    }
    if let Some(kind) = patch.kind {
        fields.kind = kind;
    }
    if let Some(value) = &patch.description {
        fields.description = description(Some(value))?;
    }
    if let Some(value) = &patch.group {
        fields.group = group(Some(value))?;
    }
    if let Some(value) = &patch.url_pattern {
        fields.url_pattern = url_pattern(value.as_deref())?;
    }
    if let Some(enabled) = patch.enabled {
        fields.enabled = enabled;
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cobrowse_protocol::RestrictionKind;

    fn input(json: &str) -> RestrictionInput {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn defaults_and_normalisation() {
        let fields = from_input(&input(r##"{"selector":"  #card ","kind":"mask"}"##)).unwrap();
        assert_eq!(
            fields,
            RestrictionFields {
                selector: "#card".into(),
                kind: RestrictionKind::Mask,
                description: String::new(),
                group: DEFAULT_GROUP.into(),
                url_pattern: None,
                enabled: true,
            }
        );
        let fields = from_input(&input(
            r#"{"selector":"a","kind":"control","group":" Checkout ","description":" d ",
                "urlPattern":"","enabled":false}"#,
        ))
        .unwrap();
        assert_eq!(fields.group, "Checkout");
        assert_eq!(fields.description, "d");
        assert_eq!(fields.url_pattern, None, "an empty pattern is null");
        assert!(!fields.enabled);
    }

    #[test]
    fn messages_name_the_field_and_the_reason() {
        let error = |json: &str| from_input(&input(json)).unwrap_err().0;
        assert_eq!(
            error(r#"{"selector":"a[","kind":"mask"}"#),
            r#"selector "a[": unexpected end of input"#
        );
        assert!(
            error(r#"{"selector":"div::before","kind":"mask"}"#)
                .starts_with(r#"selector "div::before": pseudo-elements are not allowed"#)
        );
        assert!(
            error(r#"{"selector":"a","kind":"mask","urlPattern":"("}"#)
                .starts_with(r#"urlPattern "(": "#)
        );
        assert_eq!(
            error(r#"{"selector":"a","kind":"mask","group":"  "}"#),
            "group: must have 1 to 100 characters (empty given)"
        );
        let long = format!(r#"{{"selector":"{}","kind":"mask"}}"#, "a".repeat(1001));
        assert_eq!(
            error(&long),
            "selector: at most 1000 characters allowed (1001 given)"
        );
        let long = format!(
            r#"{{"selector":"a","kind":"mask","description":"{}"}}"#,
            "é".repeat(501)
        );
        assert_eq!(
            error(&long),
            "description: at most 500 characters allowed (501 given)"
        );
        let long = format!(
            r#"{{"selector":"a","kind":"mask","group":"{}"}}"#,
            "g".repeat(101)
        );
        assert!(error(&long).starts_with("group: at most 100"));
        let long = format!(
            r#"{{"selector":"a","kind":"mask","urlPattern":"{}"}}"#,
            "u".repeat(1001)
        );
        assert!(error(&long).starts_with("urlPattern: at most 1000"));
        // Exactly at the limits is fine.
        let max = format!(
            r#"{{"selector":"{}","kind":"mask","group":"{}","description":"{}"}}"#,
            "a".repeat(1000),
            "g".repeat(100),
            "é".repeat(500)
        );
        assert!(from_input(&input(&max)).is_ok());
    }

    #[test]
    fn url_patterns_are_ecmascript_regular_expressions() {
        for ok in [
            "(?<name>x)",
            r"\d+",
            "(?<=/shop)/cart",
            "(?<!admin)/page",
            "^https://shop\\.example/checkout(/|$)",
            "/demo/",
            "[^/]+\\.html$",
            r"\u{1F600}|\u0041",
        ] {
            assert_eq!(url_pattern(Some(ok)), Ok(Some(ok.to_owned())), "{ok}");
        }
        for bad in ["(", "[", "*a", "a)", "(?<n>a)(?<n>b)", "a{2,1}"] {
            let error = url_pattern(Some(bad)).unwrap_err().0;
            assert!(
                error.starts_with(&format!("urlPattern {}: ", quote(bad))),
                "{bad}: {error}"
            );
        }
        assert_eq!(url_pattern(None), Ok(None));
        assert_eq!(url_pattern(Some("")), Ok(None));
    }

    #[test]
    fn patches_change_only_what_they_carry() {
        let current = Restriction {
            id: 4,
            selector: "#a".into(),
            kind: RestrictionKind::Mask,
            description: "d".into(),
            group: "G".into(),
            url_pattern: Some("x".into()),
            enabled: true,
            created_at: 1,
            updated_at: 2,
            updated_by: "boss".into(),
        };
        let patch: RestrictionPatch = serde_json::from_str(r#"{"enabled":false}"#).unwrap();
        let fields = patched(&current, &patch).unwrap();
        assert_eq!(
            fields,
            RestrictionFields {
                enabled: false,
                ..RestrictionFields::of(&current)
            }
        );
        let patch: RestrictionPatch =
            serde_json::from_str(r#"{"urlPattern":null,"kind":"control","group":" H "}"#).unwrap();
        let fields = patched(&current, &patch).unwrap();
        assert_eq!(fields.url_pattern, None);
        assert_eq!(fields.kind, RestrictionKind::Control);
        assert_eq!(fields.group, "H");
        assert_eq!(fields.selector, "#a");
        let patch: RestrictionPatch = serde_json::from_str(r#"{"selector":"..x"}"#).unwrap();
        assert!(
            patched(&current, &patch)
                .unwrap_err()
                .0
                .starts_with(r#"selector "..x""#)
        );
    }
}
