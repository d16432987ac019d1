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

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_reserved_characters() {
        assert_eq!(super::escape("a b/c?d=é"), "a%20b%2Fc%3Fd%3D%C3%A9");
        assert_eq!(super::escape("safe-_.~"), "safe-_.~");
    }
}
