//! Reading one JSON object field by field, so that every failure names its field with a dotted
//! path (`data.base_version`) and the rule it broke. serde's derive would say "missing field"
//! or "invalid type … at column 31" — not enough for the SPEC's "the field and the rule".

use serde_json::{Map, Value};

use crate::error::ProtocolError;

/// Longest id (section, comment, parent) a client may send; ids are short keys, not text.
const MAX_ID_CHARS: usize = 200;

/// A JSON object under a path (`data`), read strictly: unknown keys are refused.
pub(super) struct Fields<'a> {
    path: &'static str,
    map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    /// The object at `path`; absent, `null` or another type is an error naming `path`.
    pub(super) fn object(path: &'static str, value: Option<&'a Value>) -> Result<Self, ProtocolError> {
        match value {
            Some(Value::Object(map)) => Ok(Self { path, map }),
            None | Some(Value::Null) => Err(ProtocolError::MissingField { field: path.to_owned() }),
            Some(_) => Err(ProtocolError::WrongType {
                field: path.to_owned(),
                expected: "an object",
            }),
        }
    }

    /// Refuses any key outside `known` (a misspelt optional field must not pass silently).
    pub(super) fn only(self, known: &[&str]) -> Result<Self, ProtocolError> {
        match self.map.keys().find(|k| !known.contains(&k.as_str())) {
            Some(unknown) => Err(ProtocolError::UnknownField {
                field: self.name(unknown),
            }),
            None => Ok(self),
        }
    }

    pub(super) fn string(&self, key: &str) -> Result<String, ProtocolError> {
        match self.map.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            other => Err(self.absent_or_wrong(key, other, "a string")),
        }
    }

    /// A string that identifies something: not empty, not blank, at most 200 characters.
    pub(super) fn id(&self, key: &str) -> Result<String, ProtocolError> {
        let id = self.string(key)?;
        check_id(&id).map_err(|rule| ProtocolError::InvalidValue {
            field: self.name(key),
            rule,
        })?;
        Ok(id)
    }

    /// An optional id: absent or `null` is `None`.
    pub(super) fn optional_id(&self, key: &str) -> Result<Option<String>, ProtocolError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.id(key).map(Some),
        }
    }

    pub(super) fn u64(&self, key: &str) -> Result<u64, ProtocolError> {
        let found = self.map.get(key);
        found
            .and_then(Value::as_u64)
            .ok_or_else(|| self.absent_or_wrong(key, found, "a non-negative integer"))
    }

    pub(super) fn u32(&self, key: &str) -> Result<u32, ProtocolError> {
        let found = self.map.get(key);
        found
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| self.absent_or_wrong(key, found, "an integer from 0 to 4294967295"))
    }

    fn absent_or_wrong(&self, key: &str, found: Option<&Value>, expected: &'static str) -> ProtocolError {
        let field = self.name(key);
        match found {
            None | Some(Value::Null) => ProtocolError::MissingField { field },
            Some(_) => ProtocolError::WrongType { field, expected },
        }
    }

    fn name(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }
}

/// The rule an id string breaks, if any.
pub(super) fn check_id(id: &str) -> Result<(), &'static str> {
    if id.trim().is_empty() {
        Err("must not be empty")
    } else if id.chars().count() > MAX_ID_CHARS {
        Err("must be at most 200 characters")
    } else {
        Ok(())
    }
}
