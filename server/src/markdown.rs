//! Markdown written by people, rendered to HTML that is safe to inline: raw HTML in the
//! source is shown as text (never interpreted), link targets are limited to http(s),
//! mailto and same-site paths, and images become plain links (the page's CSP would refuse
//! foreign images anyway).

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

pub fn to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut in_image = false;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            in_image = true;
            Event::Start(Tag::Link {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            })
        }
        Event::End(TagEnd::Image) if in_image => {
            in_image = false;
            Event::End(TagEnd::Link)
        }
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let has_scheme = lower
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|head| head.contains(':'));
    let allowed =
        !has_scheme || lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:");
    if allowed && !lower.starts_with("//") {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text() {
        let html = to_safe_html("Hi <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_links_are_neutralised() {
        for src in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](data:text/html,hi)",
            "[x](//evil.example)",
        ] {
            let html = to_safe_html(src);
            assert!(html.contains("href=\"#\""), "{src} → {html}");
        }
        assert!(to_safe_html("[x](https://example.com/a?b#c)").contains("href=\"https://example.com/a?b#c\""));
        assert!(to_safe_html("[x](/reports/a)").contains("href=\"/reports/a\""));
    }

    #[test]
    fn formats_markdown() {
        let html = to_safe_html("# Title\n\n- one\n- **two**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<strong>two</strong>"));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn images_become_links() {
        let html = to_safe_html("![chart](https://example.com/c.png)");
        assert!(!html.contains("<img"));
        assert!(
            html.contains("<a href=\"https://example.com/c.png\">chart</a>"),
            "{html}"
        );
    }
}
