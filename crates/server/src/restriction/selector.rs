//! Validation of restriction selectors with Servo's selector parser (the `selectors` and
//! `cssparser` crates, as in Firefox): the small `SelectorImpl` / `Parser` glue that lets it parse
//! selectors the way `document.querySelectorAll` does, without matching anything.
//!
//! Contract: [`check`] accepts a selector list that browsers accept in `querySelectorAll` — type,
//! class, id and attribute selectors (with the ` i` / ` s` flags), combinators (descendant, `>`,
//! `+`, `~`), `:is()`, `:where()`, `:not()`, `:has()`, `:nth-child(An+B of S)` and the other
//! tree-structural pseudo-classes, and the user-action, input and link pseudo-classes listed in
//! [`PSEUDO_CLASSES`] — and refuses, with the parser's reason, anything else: syntax errors,
//! unknown pseudo-classes, namespace prefixes (`querySelectorAll` cannot declare them) and every
//! pseudo-element (`::before`, legacy `:after`, `::slotted()`, …), since a pseudo-element selects
//! no element the SDK could mask or control.
//!
//! Used by `crate::restriction` only.

use cssparser::{ParseError, ParseErrorKind, ToCss};
use selectors::parser::{ParseRelative, SelectorParseErrorKind};
use selectors::{SelectorImpl, SelectorList};
use std::fmt;

/// Non-tree-structural pseudo-classes browsers support in `querySelectorAll` (lowercase). Unknown
/// pseudo-classes make `querySelectorAll` throw, so they are refused here too.
const PSEUDO_CLASSES: &[&str] = &[
    "active",
    "any-link",
    "autofill",
    "checked",
    "closed",
    "default",
    "defined",
    "disabled",
    "enabled",
    "focus",
    "focus-visible",
    "focus-within",
    "fullscreen",
    "hover",
    "in-range",
    "indeterminate",
    "invalid",
    "link",
    "modal",
    "open",
    "optional",
    "out-of-range",
    "paused",
    "picture-in-picture",
    "placeholder-shown",
    "playing",
    "popover-open",
    "read-only",
    "read-write",
    "required",
    "target",
    "user-invalid",
    "user-valid",
    "valid",
    "visited",
    "-webkit-autofill",
];

/// Why a selector was refused; `Display` is the reason given to the administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SelectorError {
    /// A syntax error reported by the parser.
    Syntax(String),
    /// A pseudo-element (`::before`, `:after`, `::part()`…).
    PseudoElement(String),
    /// A pseudo-class browsers do not know.
    UnknownPseudoClass(String),
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax(reason) => f.write_str(reason),
            Self::PseudoElement(name) => write!(
                f,
                "pseudo-elements are not allowed (\"::{name}\" selects no element)"
            ),
            Self::UnknownPseudoClass(name) => write!(f, "unknown pseudo-class \":{name}\""),
        }
    }
}

/// The parser's own error kinds, in words.
fn describe(kind: &SelectorParseErrorKind) -> &'static str {
    match kind {
        SelectorParseErrorKind::NoQualifiedNameInAttributeSelector => {
            "an attribute selector needs an attribute name"
        }
        SelectorParseErrorKind::EmptySelector => "empty selector",
        SelectorParseErrorKind::DanglingCombinator => "a combinator without a selector after it",
        SelectorParseErrorKind::NonCompoundSelector => "a compound selector is required here",
        SelectorParseErrorKind::NonPseudoElementAfterSlotted
        | SelectorParseErrorKind::InvalidPseudoElementAfterSlotted
        | SelectorParseErrorKind::InvalidPseudoElementInsideWhere => {
            "pseudo-elements are not allowed"
        }
        SelectorParseErrorKind::InvalidState => "this is not allowed at this place",
        SelectorParseErrorKind::UnexpectedTokenInAttributeSelector => {
            "unexpected token in an attribute selector"
        }
        SelectorParseErrorKind::PseudoElementExpectedColon
        | SelectorParseErrorKind::PseudoElementExpectedIdent
        | SelectorParseErrorKind::NoIdentForPseudo => "a pseudo-class needs a name after ':'",
        SelectorParseErrorKind::UnsupportedPseudoClassOrElement => {
            "unsupported pseudo-class or pseudo-element"
        }
        SelectorParseErrorKind::UnexpectedIdent => "unexpected identifier",
        SelectorParseErrorKind::ExpectedNamespace => {
            "namespace prefixes cannot be used (querySelectorAll cannot declare them)"
        }
        SelectorParseErrorKind::ExpectedBarInAttr => "expected '|' in an attribute selector",
        SelectorParseErrorKind::BadValueInAttr => "bad value in an attribute selector",
        SelectorParseErrorKind::InvalidQualNameInAttr => {
            "invalid attribute name in an attribute selector"
        }
        SelectorParseErrorKind::ExplicitNamespaceUnexpectedToken => {
            "unexpected token after a namespace prefix"
        }
        SelectorParseErrorKind::ClassNeedsIdent => "a class selector needs a name after '.'",
    }
}

impl From<SelectorParseErrorKind> for SelectorError {
    fn from(kind: SelectorParseErrorKind) -> Self {
        Self::Syntax(describe(&kind).to_owned())
    }
}

/// Checks `selector` (a selector list) as `querySelectorAll` would.
pub(crate) fn check(selector: &str) -> Result<(), SelectorError> {
    let mut parser = cssparser::Parser::new(selector);
    match SelectorList::<Restricted>::parse(&Glue, &mut parser, ParseRelative::No) {
        Ok(_) => Ok(()),
        Err(ParseError { kind }) => Err(match kind {
            ParseErrorKind::Custom(e) => e,
            ParseErrorKind::Basic(basic) => SelectorError::Syntax(basic.to_string()),
        }),
    }
}

/// The selector implementation: plain strings, no matching data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Restricted;

/// An identifier, attribute value or namespace: a string (the parser needs `ToCss`, `From<&str>`
/// and a hash; nothing here is ever matched, so the hash need only be consistent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct CssString(String);

impl From<&str> for CssString {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl std::borrow::Borrow<str> for CssString {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl ToCss for CssString {
    fn to_css<W: fmt::Write>(&self, dest: &mut W) -> fmt::Result {
        cssparser::serialize_identifier(&self.0, dest)
    }
}

impl precomputed_hash::PrecomputedHash for CssString {
    fn precomputed_hash(&self) -> u32 {
        // FNV-1a, 32 bits.
        self.0.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        })
    }
}

/// A known non-tree-structural pseudo-class (from [`PSEUDO_CLASSES`], or `:lang()` / `:dir()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PseudoClass(String);

impl ToCss for PseudoClass {
    fn to_css<W: fmt::Write>(&self, dest: &mut W) -> fmt::Result {
        dest.write_char(':')?;
        dest.write_str(&self.0)
    }
}

impl selectors::parser::NonTSPseudoClass for PseudoClass {
    fn is_active_or_hover(&self) -> bool {
        self.0 == "active" || self.0 == "hover"
    }

    fn is_user_action_state(&self) -> bool {
        matches!(self.0.as_str(), "active" | "hover" | "focus")
    }
}

/// Pseudo-elements are refused while parsing, so no value of this type exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NoPseudoElement {}

impl ToCss for NoPseudoElement {
    fn to_css<W: fmt::Write>(&self, _dest: &mut W) -> fmt::Result {
        match *self {}
    }
}

impl selectors::parser::PseudoElement for NoPseudoElement {}

impl SelectorImpl for Restricted {
    type ExtraMatchingData<'a> = ();
    type AttrValue = CssString;
    type Identifier = CssString;
    type LocalName = CssString;
    type NamespaceUrl = CssString;
    type NamespacePrefix = CssString;
    type BorrowedNamespaceUrl = str;
    type BorrowedLocalName = str;
    type NonTSPseudoClass = PseudoClass;
    type PseudoElement = NoPseudoElement;
}

/// What the parser may accept: the syntax of current browsers' `querySelectorAll`.
struct Glue;

impl<'i> selectors::Parser<'i> for Glue {
    type Impl = Restricted;
    type Error = SelectorError;

    fn parse_nth_child_of(&self) -> bool {
        true
    }

    fn parse_is_and_where(&self) -> bool {
        true
    }

    fn parse_has(&self) -> bool {
        true
    }

    fn parse_host(&self) -> bool {
        true
    }

    fn is_is_alias(&self, name: &str) -> bool {
        // Older WebKit and Blink spelling of `:is()`, still accepted by browsers.
        name.eq_ignore_ascii_case("-webkit-any")
    }

    fn parse_non_ts_pseudo_class(
        &self,
        name: &str,
    ) -> Result<PseudoClass, ParseError<SelectorError>> {
        let lower = name.to_ascii_lowercase();
        if PSEUDO_CLASSES.contains(&lower.as_str()) {
            Ok(PseudoClass(lower))
        } else {
            Err(ParseError::custom(SelectorError::UnknownPseudoClass(
                name.to_owned(),
            )))
        }
    }

    fn parse_non_ts_functional_pseudo_class(
        &self,
        name: &str,
        parser: &mut cssparser::Parser<'i>,
        _after_part: bool,
    ) -> Result<PseudoClass, ParseError<SelectorError>> {
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            // `:lang(en, "de-*")`: one or more language ranges.
            "lang" => {
                parser.parse_comma_separated(|p| {
                    p.expect_ident_or_string()?;
                    Ok::<(), ParseError<SelectorError>>(())
                })?;
            }
            // `:dir(ltr)`.
            "dir" => {
                parser.expect_ident()?;
            }
            _ => {
                return Err(ParseError::custom(SelectorError::UnknownPseudoClass(
                    format!("{name}()"),
                )));
            }
        }
        Ok(PseudoClass(lower))
    }

    fn parse_pseudo_element(
        &self,
        name: &str,
    ) -> Result<NoPseudoElement, ParseError<SelectorError>> {
        Err(ParseError::custom(SelectorError::PseudoElement(
            name.to_owned(),
        )))
    }

    fn parse_functional_pseudo_element(
        &self,
        name: &str,
        _arguments: &mut cssparser::Parser<'i>,
    ) -> Result<NoPseudoElement, ParseError<SelectorError>> {
        Err(ParseError::custom(SelectorError::PseudoElement(format!(
            "{name}()"
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_selectors_are_accepted() {
        for ok in [
            "#card",
            "#card-number, #card-cvc",
            ".account-number",
            "input[name=cvv]",
            "input[autocomplete=\"cc-number\" i]",
            "input[type=PASSWORD s]",
            "[data-private]",
            "a[href^='https://'][href$=\".pdf\"]",
            "form > .row + .row ~ input",
            "div p",
            "*",
            "ul li:nth-child(2n+1)",
            "li:nth-child(2 of .item)",
            "li:nth-last-of-type(odd)",
            ":is(.a, .b) > span",
            ":where(#x) .y",
            "input:not([type=hidden]):not(.public)",
            "section:has(> input[type=password])",
            "label:has(+ input:required)",
            "input:checked, option:disabled, :focus-within",
            "p:lang(en, \"de\"), :dir(rtl)",
            "INPUT:HOVER",
            ":root body:empty",
            "  #padded  ",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn invalid_selectors_are_refused_with_the_reason() {
        for (bad, reason) in [
            ("a[", "unexpected end of input"),
            ("..x", "a class selector needs a name after '.'"),
            ("", "empty selector"),
            ("   ", "empty selector"),
            ("div >", "a combinator without a selector after it"),
            ("a,", "empty selector"),
            ("div::before", "pseudo-elements are not allowed"),
            ("p:after", "pseudo-elements are not allowed"),
            ("::slotted(span)", "pseudo-elements are not allowed"),
            ("input::placeholder", "pseudo-elements are not allowed"),
            (":hovering", "unknown pseudo-class \":hovering\""),
            (":contains(x)", "unknown pseudo-class"),
            ("svg|rect", "namespace prefixes cannot be used"),
            ("a[href=]", "unexpected end of input"),
            ("#", "empty selector"),
            ("a]", "unexpected token"),
            (":has(:has(a))", ""),
        ] {
            let error = check(bad).expect_err(bad).to_string();
            assert!(error.contains(reason), "{bad:?}: {error}");
        }
    }
}
