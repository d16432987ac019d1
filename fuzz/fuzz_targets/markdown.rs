//! Bytes (as UTF-8) → the server's `to_safe_html`, included by path so this is exactly
//! the code that renders custom sections. Whatever the input, the HTML must hold no
//! `<script` and no `<img` anywhere, only the tags Markdown produces, no event-handler
//! attribute, and no `href` or `src` whose scheme could run script — checked the way a
//! browser reads it (entities decoded, tabs and newlines dropped, any case).
//!
//! Attributes are checked inside tags only: text may quote `href="javascript:…"` (someone
//! writing about an attack), and with its `<` escaped that is inert text, not markup.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../server/src/markdown.rs"]
mod markdown;

/// Every tag pulldown-cmark writes for the options the server enables.
const ALLOWED_TAGS: &[&str] = &[
    "a",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
    "input",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let html = markdown::to_safe_html(text);
    check(&html);
});

fn check(html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script tag in {html:?}");
    assert!(!lower.contains("<img"), "img tag in {html:?}");
    // Text is escaped, so every '<' left in the output opens a tag the renderer wrote.
    for tag in lower.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        assert!(ALLOWED_TAGS.contains(&name.as_str()), "tag <{name}> in {html:?}");
        assert!(!tag.contains("href=\"javascript:"), "javascript link in {html:?}");
        for (name, value) in attributes(tag) {
            assert!(!name.starts_with("on"), "event handler {name} in {html:?}");
            if URL_ATTRIBUTES.contains(&name.as_str()) {
                let url = as_browser_reads(&value);
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!url.starts_with(scheme), "{scheme} URL {value:?} in {html:?}");
                }
            }
        }
    }
}

/// Attributes a browser loads or follows as URLs (a `title` may say anything).
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "cite",
];

/// `(name, value)` of each attribute of a tag's text (without `<>`): names outside
/// quotes, each followed by `="value"` or standing alone (`disabled`).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut awaiting_value = false;
    for (i, part) in tag.split('"').enumerate() {
        if i % 2 == 1 {
            if let Some(last) = out.last_mut().filter(|_| awaiting_value) {
                last.1 = part.to_owned();
            }
            awaiting_value = false;
            continue;
        }
        for word in part.split_whitespace().skip(usize::from(i == 0)) {
            let name = word.trim_end_matches('/').split('=').next().unwrap_or_default();
            if !name.is_empty() {
                out.push((name.to_owned(), String::new()));
            }
            awaiting_value = word.ends_with('=');
        }
    }
    out
}

/// An attribute value as a browser resolves it: character references decoded, then
/// ASCII tab and newline removed and leading spaces and controls trimmed (URL parsing).
fn as_browser_reads(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        match end.and_then(|e| reference(&after[..e]).map(|c| (e, c))) {
            Some((e, c)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.retain(|c| !matches!(c, '\t' | '\n' | '\r'));
    out.trim_start_matches(|c: char| c <= ' ').to_ascii_lowercase()
}

fn reference(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "colon" => Some(':'),
        "tab" => Some('\t'),
        "newline" => Some('\n'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}
