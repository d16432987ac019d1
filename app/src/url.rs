//! URL helpers shared by pages and the server's redirects.

/// Percent-encodes everything but RFC 3986's unreserved characters, for query values.
pub fn escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Where to go after signing in: only a path on this site. It must start with one `/`
/// (not `//`, which browsers read as another host) and hold only visible ASCII without
/// backslashes (some browsers turn `/\\host` into `//host`); anything else is refused.
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 2048
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/reports/a?x=1"), Some("/reports/a?x=1"));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "/\tevil",
            "/a b",
            "/\u{0}x",
            "/r\u{e9}sum\u{e9}",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn escapes_reserved_characters() {
        assert_eq!(super::escape("a b/c?d=é"), "a%20b%2Fc%3Fd%3D%C3%A9");
        assert_eq!(super::escape("safe-_.~"), "safe-_.~");
    }
}
