//! Identifiers that cross the wire. A [`SessionToken`] is the nine-digit number a customer reads to
//! an agent; it can only be built from a string of exactly nine ASCII digits.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

/// The nine-digit identifier of a live session, e.g. `"535176834"`. Leading zeros are significant,
/// so it is a string, not a number.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, TS)]
#[ts(type = "string")]
pub struct SessionToken(String);

/// Why a string is not a session token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a session token is exactly nine digits")]
pub struct TokenError;

impl SessionToken {
    /// Number of digits in a token.
    pub const LEN: usize = 9;

    /// Builds a token from a number below 10^9, padding with leading zeros.
    pub fn from_number(n: u32) -> Result<Self, TokenError> {
        if n >= 1_000_000_000 {
            return Err(TokenError);
        }
        Ok(Self(format!("{n:09}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The token as its number, the inverse of [`Self::from_number`] (four bytes where a `String`
    /// takes 24 and an allocation: for what holds a token for a socket's whole life).
    pub fn number(&self) -> u32 {
        // Nine ASCII digits, checked when the token was made: below 10^9, within a u32.
        self.0
            .bytes()
            .fold(0, |n, digit| n * 10 + u32::from(digit - b'0'))
    }
}

impl FromStr for SessionToken {
    type Err = TokenError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() == Self::LEN && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(TokenError)
        }
    }
}

impl TryFrom<String> for SessionToken {
    type Error = TokenError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<SessionToken> for String {
    fn from(t: SessionToken) -> String {
        t.0
    }
}

impl Serialize for SessionToken {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SessionToken {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionToken({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_nine_digits() {
        assert!("123456789".parse::<SessionToken>().is_ok());
        assert!("012345678".parse::<SessionToken>().is_ok());
        assert!("12345678".parse::<SessionToken>().is_err());
        assert!("1234567890".parse::<SessionToken>().is_err());
        assert!("12345678a".parse::<SessionToken>().is_err());
        assert!("１２３４５６７８９".parse::<SessionToken>().is_err());
    }

    #[test]
    fn pads_numbers() {
        assert_eq!(SessionToken::from_number(42).unwrap().as_str(), "000000042");
        assert!(SessionToken::from_number(1_000_000_000).is_err());
        for token in ["000000042", "012345678", "999999999", "000000000"] {
            let t: SessionToken = token.parse().unwrap();
            assert_eq!(SessionToken::from_number(t.number()).unwrap(), t);
        }
    }

    #[test]
    fn serde_rejects_bad_tokens() {
        assert!(serde_json::from_str::<SessionToken>("\"123\"").is_err());
        let t: SessionToken = serde_json::from_str("\"987654321\"").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"987654321\"");
    }
}
