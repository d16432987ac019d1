//! Charts: accessible, escaped, CSP-safe SVG and the same figures as tables.

use engine::charts::{build, Chart};
use engine::metrics::{history, RagThresholds};
use engine::montecarlo::{simulate, SimConfig};
use engine::testkit::{period, synthetic_project, SYNTHETIC_PERIOD};

use super::insights::no_bad_numbers;

/// Tags open and close in order (a light well-formedness check; no XML crate here).
fn balanced(svg: &str) -> bool {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else {
            return false;
        };
        let tag = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if stack.pop().as_deref() != Some(name.trim()) {
                return false;
            }
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap_or("").to_owned());
        }
    }
    stack.is_empty() && !rest.contains('>')
}

fn check(chart: &Chart) {
    let svg = &chart.svg;
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains(&format!(r#"aria-labelledby="{0}-title {0}-desc""#, chart.id)));
    assert!(svg.contains(&format!(r#"<title id="{}-title">"#, chart.id)));
    assert!(svg.contains(&format!(r#"<desc id="{}-desc">"#, chart.id)));
    assert!(svg.contains("viewBox=") && svg.contains(r#"width="100%""#));
    assert!(svg.contains(r#"class="axis-title""#) && svg.contains(r#"class="tick-label""#));
    assert!(svg.contains(r#"class="legend""#));
    assert!(!svg.contains("style="), "inline styles are forbidden by the CSP");
    assert!(!svg.contains("<script"), "unescaped markup");
    assert!(balanced(svg), "unbalanced tags in {}", chart.id);
    assert!(no_bad_numbers(svg));
    assert!(chart.table_rows.iter().all(|r| r.len() == chart.table_head.len()));
}

#[test]
fn charts_are_accessible_escaped_and_csp_safe() {
    let mut p = synthetic_project(60, 10, 2);
    p.name = "Apollo <script>alert(\"x\")</script> & co".to_owned();
    for w in &mut p.work_packages {
        w.name = format!("<script>alert('{}')</script>", w.id);
    }
    for r in &mut p.risks {
        r.title = format!("<b>{}</b> & \"risk\"", r.id);
    }
    let at = period(SYNTHETIC_PERIOD);
    let h = history(&p, at, &RagThresholds::default());
    let f = simulate(&p, at, &SimConfig::new(2_000, 1).expect("config")).expect("runs");
    let charts = build(&p, &h, Some(&f));
    let all = [
        Some(&charts.s_curve),
        charts.histogram.as_ref(),
        charts.tornado.as_ref(),
        charts.cost_tornado.as_ref(),
    ];
    let all: Vec<&Chart> = all.into_iter().flatten().collect();
    assert_eq!(all.len(), 4);
    for c in &all {
        check(c);
        assert!(c
            .svg
            .contains("Apollo &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"));
    }
    let tornado = &all[2].svg;
    assert!(
        tornado.contains("&lt;script&gt;alert(&#39;"),
        "work-package names escaped"
    );
    let names = all[2].svg.clone() + &all[3].svg;
    assert!(names.contains("Risk: &lt;b&gt;"), "risk titles labelled and escaped");
    assert!(all[0].svg.contains(r#"class="series pv""#) && all[0].svg.contains(r#"class="series forecast""#));
    assert!(all[1].svg.contains(r#"class="bar""#) && all[1].svg.contains(r#"class="cumulative""#));
    let ids: std::collections::HashSet<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 4, "unique ids");
    assert_eq!(all[0].table_rows.len(), h.len() + 2);
    assert_eq!(all[1].table_rows.len(), f.finish_histogram.bins.len());
    assert_eq!(all[2].table_rows.len(), f.tornado.finish.len());
    assert_eq!(all[3].table_rows.len(), f.tornado.cost.len());
}

#[test]
fn without_forecast_or_history_only_the_s_curve_remains() {
    let mut p = synthetic_project(20, 0, 1);
    p.snapshots.clear();
    let charts = build(&p, &[], None);
    assert!(charts.histogram.is_none() && charts.tornado.is_none() && charts.cost_tornado.is_none());
    check(&charts.s_curve);
    assert!(charts.s_curve.svg.contains("No monthly snapshots yet"));
}
