//! The last line against non-finite numbers (SPEC §1.1: "a computed value that is not
//! finite is never stored, cached or shown as a number").
//!
//! Checking the JSON afterwards is too late: `serde_json` writes NaN and ±∞ as `null`, so
//! a broken figure would be cached as "no value" without a trace. [`ensure_finite`]
//! instead walks any `Serialize` value with a serializer that looks only at floats and
//! names the first bad one by its path (`finish_days.p80`, `tornado[2].cost_correlation`).
//! It allocates nothing but the path and costs about as much as serialising the value
//! once. The engine runs it on what it returns; the server can run it on anything it is
//! about to store.

mod walker;

use std::fmt;

use serde::Serialize;

use walker::{Stop, Walker};

/// A float that is NaN or infinite, and where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct NonFinite {
    /// Path from the checked value: fields joined by `.`, positions in `[…]`; `$` for the
    /// value itself.
    pub path: String,
    pub value: f64,
}

impl NonFinite {
    /// The same finding with `prefix` in front of its path (`forecast` + `cost.p80`).
    pub fn within(mut self, prefix: &str) -> Self {
        self.path = if self.path == "$" {
            prefix.to_owned()
        } else if self.path.starts_with('[') {
            format!("{prefix}{}", self.path)
        } else {
            format!("{prefix}.{}", self.path)
        };
        self
    }
}

impl fmt::Display for NonFinite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: computed value is not a finite number ({})",
            self.path, self.value
        )
    }
}

impl std::error::Error for NonFinite {}

/// `Ok` when every `f32`/`f64` in `value` is finite; otherwise the first one that is not.
///
/// A value whose own `Serialize` fails (a map with unserialisable keys, say) is not judged
/// here: serialising it for storage fails on its own, loudly. The walk stops there.
pub fn ensure_finite<T: Serialize + ?Sized>(value: &T) -> Result<(), NonFinite> {
    match value.serialize(&mut Walker::default()) {
        Err(Stop::Found(found)) => Err(found),
        Ok(()) | Err(Stop::Unserialisable) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    struct Inner {
        p50: f64,
        maybe: Option<f64>,
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(f32),
        Tuple(f64, f64),
        Struct { x: f64 },
    }

    #[derive(Serialize)]
    struct Outer {
        name: String,
        count: u32,
        inner: Inner,
        points: Vec<(f64, f64)>,
        shapes: Vec<Shape>,
        by_key: BTreeMap<String, f64>,
    }

    fn sample() -> Outer {
        Outer {
            name: "x".to_owned(),
            count: 3,
            inner: Inner { p50: 1.0, maybe: None },
            points: vec![(0.0, 0.5), (1.0, 1.0)],
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(1.0),
                Shape::Tuple(1.0, 2.0),
                Shape::Struct { x: 3.0 },
            ],
            by_key: BTreeMap::from([("a".to_owned(), 1.0)]),
        }
    }

    fn found(v: &Outer) -> Option<(String, String)> {
        ensure_finite(v).err().map(|e| (e.path, e.value.to_string()))
    }

    #[test]
    fn finite_values_pass() {
        assert_eq!(ensure_finite(&sample()), Ok(()));
        assert_eq!(ensure_finite(&1.0), Ok(()));
        assert_eq!(ensure_finite("text"), Ok(()));
        assert_eq!(ensure_finite(&[f64::MAX, f64::MIN, 5e-324, -0.0]), Ok(()));
    }

    #[test]
    fn names_the_path_of_the_first_bad_float() {
        let mut v = sample();
        v.inner.p50 = f64::NAN;
        assert_eq!(found(&v), Some(("inner.p50".into(), "NaN".into())));
        let mut v = sample();
        v.inner.maybe = Some(f64::INFINITY);
        assert_eq!(found(&v), Some(("inner.maybe".into(), "inf".into())));
        let mut v = sample();
        v.points[1].1 = f64::NEG_INFINITY;
        assert_eq!(found(&v), Some(("points[1][1]".into(), "-inf".into())));
        let mut v = sample();
        v.shapes[1] = Shape::Newtype(f32::NAN);
        assert_eq!(found(&v), Some(("shapes[1].Newtype".into(), "NaN".into())));
        let mut v = sample();
        v.shapes[2] = Shape::Tuple(0.0, f64::NAN);
        assert_eq!(found(&v), Some(("shapes[2].Tuple[1]".into(), "NaN".into())));
        let mut v = sample();
        v.shapes[3] = Shape::Struct { x: f64::INFINITY };
        assert_eq!(found(&v), Some(("shapes[3].Struct.x".into(), "inf".into())));
        let mut v = sample();
        v.by_key.insert("b".to_owned(), f64::NAN);
        assert_eq!(found(&v), Some(("by_key[\"b\"]".into(), "NaN".into())));
    }

    #[test]
    fn the_path_is_clean_after_a_variant() {
        // A bad float after a struct variant must not carry the variant's name.
        #[derive(Serialize)]
        struct After {
            shape: Shape,
            tail: f64,
        }
        let v = After {
            shape: Shape::Struct { x: 1.0 },
            tail: f64::NAN,
        };
        assert_eq!(ensure_finite(&v).map_err(|e| e.path), Err("tail".to_owned()));
    }

    #[test]
    fn a_bare_value_and_a_prefix() {
        let e = ensure_finite(&f64::NAN).expect_err("NaN");
        assert_eq!(e.path, "$");
        assert_eq!(e.clone().within("forecast").path, "forecast");
        let e = ensure_finite(&vec![1.0, f64::INFINITY]).expect_err("inf");
        assert_eq!(e.within("bins").path, "bins[1]");
        let mut v = sample();
        v.inner.p50 = f64::NAN;
        let e = ensure_finite(&v).expect_err("NaN");
        assert_eq!(
            e.within("forecast").to_string(),
            "forecast.inner.p50: computed value is not a finite number (NaN)"
        );
    }

    #[test]
    fn json_would_have_hidden_it() {
        // Why this module exists: serde_json turns the bad float into a quiet null.
        let json = serde_json::to_string(&[f64::NAN]).expect("serialises");
        assert_eq!(json, "[null]");
        assert!(ensure_finite(&[f64::NAN]).is_err());
    }
}
