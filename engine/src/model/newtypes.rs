//! The domain newtypes of the project model: each parses at the boundary (while
//! deserialising, so a refusal carries the JSON path) and cannot hold an invalid value
//! afterwards — a slug, a month, a currency code, a non-negative amount, a probability, a
//! percentage, an ordered three-point estimate.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::{excerpt, show};
use crate::limits::{FIRST_YEAR, LAST_YEAR};

/// A project's short slug: 1–40 of `a-z`, `0-9`, `-`, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProjectId(String);

impl ProjectId {
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok_len = !s.is_empty() && s.len() <= 40;
        let ok_chars = s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok_len && ok_chars && !s.starts_with('-') {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!(
                "must be a slug of 1-40 characters a-z, 0-9 and '-' (got {})",
                excerpt(s)
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ProjectId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}
impl From<ProjectId> for String {
    fn from(id: ProjectId) -> String {
        id.0
    }
}
impl fmt::Display for ProjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A reporting month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    pub fn parse(s: &str) -> Result<Self, String> {
        let err = || format!("must be a month written YYYY-MM (got {})", excerpt(s));
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let month: u32 = m.parse().map_err(|_| err())?;
        Self::new(year, month).ok_or_else(err)
    }
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (FIRST_YEAR..=LAST_YEAR).contains(&year)).then_some(Self { year, month })
    }
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }
    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u32 {
        self.month
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
    pub fn prev(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }
    /// Whole months from `self` to `later` (0 when equal, negative when `later` is earlier).
    pub fn months_until(self, later: Period) -> i32 {
        (later.year - self.year) * 12 + later.month as i32 - self.month as i32
    }
}

impl TryFrom<String> for Period {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}
impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// An ISO 4217 code: three upper-case letters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(String);

impl Currency {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(s))
        } else {
            Err(format!("must be an ISO 4217 code such as EUR (got {})", excerpt(&s)))
        }
    }
}
impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.0
    }
}

/// A finite amount ≥ 0 (money, hours). Upper bounds depend on the unit and are checked
/// by [`crate::Project::validate`] (see [`crate::limits`]).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Amount(f64);

impl Amount {
    pub const ZERO: Amount = Amount(0.0);
    pub fn new(v: f64) -> Result<Self, String> {
        if v.is_finite() && v >= 0.0 {
            // + 0.0 turns −0 into 0, so no "-0" is ever written back out.
            Ok(Self(v + 0.0))
        } else {
            Err(format!("must be a number >= 0 (got {})", show(v)))
        }
    }
    pub fn get(self) -> f64 {
        self.0
    }
}
impl TryFrom<f64> for Amount {
    type Error = String;
    fn try_from(v: f64) -> Result<Self, String> {
        Self::new(v)
    }
}
impl From<Amount> for f64 {
    fn from(a: Amount) -> f64 {
        a.0
    }
}

/// A probability in `[0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Probability(f64);

impl Probability {
    pub fn new(v: f64) -> Result<Self, String> {
        if (0.0..=1.0).contains(&v) {
            Ok(Self(v))
        } else {
            Err(format!("must be between 0 and 1 (got {})", show(v)))
        }
    }
    pub fn get(self) -> f64 {
        self.0
    }
}
impl TryFrom<f64> for Probability {
    type Error = String;
    fn try_from(v: f64) -> Result<Self, String> {
        Self::new(v)
    }
}
impl From<Probability> for f64 {
    fn from(p: Probability) -> f64 {
        p.0
    }
}

/// A percentage in `[0, 100]`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Percent(f64);

impl Percent {
    pub fn new(v: f64) -> Result<Self, String> {
        if (0.0..=100.0).contains(&v) {
            Ok(Self(v))
        } else {
            Err(format!("must be between 0 and 100 (got {})", show(v)))
        }
    }
    pub fn get(self) -> f64 {
        self.0
    }
    pub fn fraction(self) -> f64 {
        self.0 / 100.0
    }
}
impl TryFrom<f64> for Percent {
    type Error = String;
    fn try_from(v: f64) -> Result<Self, String> {
        Self::new(v)
    }
}
impl From<Percent> for f64 {
    fn from(p: Percent) -> f64 {
        p.0
    }
}

/// A three-point estimate, `optimistic ≤ most_likely ≤ pessimistic`, all finite and ≥ 0.
/// Whether it counts days or money — and so its upper bound — is the field's business
/// ([`crate::Project::validate`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawThreePoint", into = "RawThreePoint")]
pub struct ThreePoint {
    optimistic: f64,
    most_likely: f64,
    pessimistic: f64,
}

#[derive(Serialize, Deserialize)]
struct RawThreePoint {
    optimistic: f64,
    most_likely: f64,
    pessimistic: f64,
}

impl ThreePoint {
    pub fn new(optimistic: f64, most_likely: f64, pessimistic: f64) -> Result<Self, String> {
        for (name, v) in [
            ("optimistic", optimistic),
            ("most_likely", most_likely),
            ("pessimistic", pessimistic),
        ] {
            if !v.is_finite() || v < 0.0 {
                return Err(format!("{name} must be a number >= 0 (got {})", show(v)));
            }
        }
        if optimistic > most_likely {
            return Err(format!(
                "optimistic > most_likely ({} > {}); need optimistic <= most_likely <= pessimistic",
                show(optimistic),
                show(most_likely)
            ));
        }
        if most_likely > pessimistic {
            return Err(format!(
                "most_likely > pessimistic ({} > {}); need optimistic <= most_likely <= pessimistic",
                show(most_likely),
                show(pessimistic)
            ));
        }
        // + 0.0 turns −0 into 0, as for `Amount`.
        Ok(Self {
            optimistic: optimistic + 0.0,
            most_likely: most_likely + 0.0,
            pessimistic: pessimistic + 0.0,
        })
    }
    /// A certain value (all three points equal).
    pub fn exact(v: f64) -> Result<Self, String> {
        Self::new(v, v, v)
    }
    pub fn optimistic(&self) -> f64 {
        self.optimistic
    }
    pub fn most_likely(&self) -> f64 {
        self.most_likely
    }
    pub fn pessimistic(&self) -> f64 {
        self.pessimistic
    }
}
impl TryFrom<RawThreePoint> for ThreePoint {
    type Error = String;
    fn try_from(r: RawThreePoint) -> Result<Self, String> {
        Self::new(r.optimistic, r.most_likely, r.pessimistic)
    }
}
impl From<ThreePoint> for RawThreePoint {
    fn from(t: ThreePoint) -> Self {
        Self {
            optimistic: t.optimistic,
            most_likely: t.most_likely,
            pessimistic: t.pessimistic,
        }
    }
}
