//! Who and what the hub keys on: reports (one room each), users, connections, roles.
//!
//! The server parses and checks ids at its edge (habit 12); the hub only carries them. They
//! are `Arc<str>` inside because every publication, participant and presence message repeats
//! them: cloning one must not allocate.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! shared_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Arc<str>);

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::new)
            }
        }

        impl $name {
            /// Wraps an id the server has already validated.
            pub fn new(id: impl Into<Arc<str>>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self::new(id)
            }
        }
    };
}

shared_id!(
    /// A report id: the key of a room (one session per report).
    ReportId
);
shared_id!(
    /// A user as the server's authentication names them.
    UserId
);

/// One WebSocket connection on this hub instance. Ids are never reused within a process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnectionId(pub(crate) u64);

impl ConnectionId {
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}", self.0)
    }
}

/// The three roles of the product (SPEC: viewers receive; editors and admins also edit and
/// comment).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    /// May send edits, comments and cursors. The backend checks again (it owns the rules on
    /// which sections are editable); this is the cheap first gate.
    pub fn can_edit(self) -> bool {
        matches!(self, Self::Editor | Self::Admin)
    }
}

/// An authenticated caller, as the server's authentication resolved it before the upgrade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub user: UserId,
    pub role: Role,
}

impl Principal {
    pub fn new(user: impl Into<UserId>, role: Role) -> Self {
        Self {
            user: user.into(),
            role,
        }
    }
}
