//! The store's contract, one set of checks run against both backends: an SQLite file and a
//! PostgreSQL cluster of the test's own. Projects round-trip; report ids are taken once;
//! writes carry gap-free offsets even when many race; a stale version and a moved status
//! are refused, and so is an edit of a computed section or a frozen report, by the store
//! itself; events replay in order; comments thread; tokens and sessions end.

use std::sync::Arc;

use app::domain::{ReportId, ReportStatus, SectionId, Template};
use app::dto::{Priority, Role, SectionKind};
use engine::{Period, Project};
use futures::future::join_all;
use server::error::Error;
use server::store::{NewComment, NewReport, NewSection, Saved, SectionEdit, Store};

use crate::helpers::sample_project;
use crate::pg_server::PgServer;

async fn store(url: &str) -> Store {
    let monitor = Arc::new(monitor::Monitor::new(monitor::MonitorConfig::default()));
    Store::connect(url, monitor).await.expect("store connects and migrates")
}

fn project(id: &str) -> Project {
    Project::from_json(sample_project(id).to_string().as_bytes()).expect("valid")
}

fn rid(s: &str) -> ReportId {
    ReportId::parse(s).expect("id")
}

fn sid(s: &str) -> SectionId {
    SectionId::parse(s).expect("id")
}

fn new_report(id: &str) -> NewReport {
    NewReport {
        id: rid(id),
        project_id: engine::ProjectId::parse("atlas").expect("id"),
        period: Period::parse("2026-10").expect("period"),
        template: Template::Technical,
        title: "Atlas — October 2026".into(),
        iterations: 1000,
        generated_by: "tester".into(),
        sections: vec![
            NewSection {
                id: sid("summary"),
                kind: SectionKind::ExecutiveSummary,
                title: "Executive summary".into(),
                priority: Priority::High,
                rows: 0,
            },
            NewSection {
                id: sid("notes"),
                kind: SectionKind::Custom,
                title: "Notes".into(),
                priority: Priority::Low,
                rows: 3,
            },
        ],
    }
}

async fn edit(s: &Store, report: &ReportId, base: u32, text: &str) -> Saved {
    s.update_markdown(&SectionEdit {
        report,
        section: &sid("notes"),
        base_version: base,
        markdown: text,
        html: text,
        rows: 3,
        actor: "tester",
        note: None,
    })
    .await
    .expect("saved or stale")
}

/// Every clause of the contract, in order, on one empty store.
async fn contract(s: Store) {
    // Projects: import replaces as a whole, versions count up, loading gives it back.
    let p = project("atlas");
    let (v1, events) = s.save_project(&p, "tester").await.expect("saved");
    assert_eq!((v1, events.len()), (1, 0));
    let (loaded, version) = s.load_project(&p.id).await.expect("loaded");
    assert_eq!(loaded, p, "round trip");
    assert_eq!(version, 1);
    assert_eq!(s.list_projects().await.expect("list").len(), 1);
    assert_eq!(s.count_projects().await.expect("count"), 1);

    // Reports: an id is taken once; the first event is offset 1.
    let first = s.create_report(&new_report("atlas-2026-10")).await.expect("created");
    assert_eq!(first.map(|e| e.offset), Some(1));
    assert!(s
        .create_report(&new_report("atlas-2026-10"))
        .await
        .expect("ran")
        .is_none());
    assert_eq!(
        s.free_report_id("atlas-2026-10").await.expect("id").as_str(),
        "atlas-2026-10-2"
    );
    let report = rid("atlas-2026-10");
    let (row, sections) = s.report(&report).await.expect("read");
    assert_eq!((row.status, sections.len()), (ReportStatus::Draft, 2));
    assert_eq!(s.latest_reports().await.expect("latest").len(), 1);

    // A re-import announces the reports whose computed sections change.
    let (v2, events) = s.save_project(&p, "tester").await.expect("saved");
    assert_eq!(v2, 2);
    assert_eq!(events.iter().map(|e| e.offset).collect::<Vec<_>>(), vec![2]);

    // Edits: versions move on; a stale base stores nothing and says what is there.
    assert!(matches!(edit(&s, &report, 1, "one").await, Saved::Saved(e) if e.offset == 3));
    match edit(&s, &report, 1, "late").await {
        Saved::Stale {
            current_version,
            current_markdown,
        } => assert_eq!((current_version, current_markdown.as_str()), (2, "one")),
        other => panic!("expected stale, got {other:?}"),
    }
    // Twenty writers at once: each gets its own offset, none is lost or repeated.
    let comments = join_all((0..20).map(|i| {
        let (s, report) = (s.clone(), report.clone());
        async move {
            let section = sid("notes");
            let content = format!("comment {i}");
            s.add_comment(&NewComment {
                report: &report,
                section: &section,
                parent: None,
                author: "tester",
                content: &content,
            })
            .await
            .expect("comment stored")
        }
    }))
    .await;
    let mut offsets: Vec<u64> = comments.iter().map(|(_, e)| e.offset).collect();
    offsets.sort_unstable();
    assert_eq!(offsets, (4..24).collect::<Vec<u64>>(), "gap-free, once each");
    assert_eq!(s.last_offset(&report).await.expect("offset"), 23);

    // Replay: everything after an offset, in order; after the last, nothing.
    let since = s.events_since(&report, 1, 1000).await.expect("read").expect("kept");
    assert_eq!(
        since.iter().map(|e| e.offset).collect::<Vec<_>>(),
        (2..24).collect::<Vec<u64>>()
    );
    assert!(s
        .events_since(&report, 23, 1000)
        .await
        .expect("read")
        .expect("kept")
        .is_empty());

    // Comments: a reply needs a parent in the same report; resolving once.
    let parent = comments[0].0.id;
    let reply = s
        .add_comment(&NewComment {
            report: &report,
            section: &sid("notes"),
            parent: Some(parent),
            author: "tester",
            content: "a reply",
        })
        .await
        .expect("reply");
    assert_eq!(reply.0.parent_id, Some(parent));
    assert!(s
        .add_comment(&NewComment {
            report: &report,
            section: &sid("notes"),
            parent: Some(999_999),
            author: "tester",
            content: "orphan",
        })
        .await
        .is_err());
    s.resolve_comment(&report, parent, "tester").await.expect("resolved");
    assert!(s.resolve_comment(&report, parent, "tester").await.is_err(), "only once");
    let state = s.room_state(&report).await.expect("state");
    assert_eq!(state.comments.len(), 21);
    assert_eq!(state.offset, 25);
    assert!(state.section_versions.contains(&("notes".to_owned(), 2)));

    // Status: a move from a status the report is no longer in is refused.
    s.set_status(&report, ReportStatus::Draft, ReportStatus::Review, "tester", &[])
        .await
        .expect("moved");
    assert!(s
        .set_status(&report, ReportStatus::Draft, ReportStatus::Review, "tester", &[])
        .await
        .is_err());
    assert_eq!(s.audit_log(&report).await.expect("audit").len(), 3);

    // An edit is refused, with nothing written, unless it is of a custom section of an
    // editable report: the store checks this itself, inside the edit's own statements.
    let refused = |report: &'static str, section: &'static str| {
        let s = s.clone();
        async move {
            s.update_markdown(&SectionEdit {
                report: &rid(report),
                section: &sid(section),
                base_version: 2,
                markdown: "refused",
                html: "refused",
                rows: 1,
                actor: "tester",
                note: None,
            })
            .await
        }
    };
    assert!(matches!(
        refused("nowhere-2026-10", "notes").await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        refused("atlas-2026-10", "ghost").await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        refused("atlas-2026-10", "summary").await,
        Err(Error::Invalid(_))
    ));
    s.set_status(&report, ReportStatus::Review, ReportStatus::Approved, "tester", &[])
        .await
        .expect("approved");
    assert!(matches!(
        refused("atlas-2026-10", "notes").await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(s.last_offset(&report).await.expect("offset"), 27, "no offset taken");
    assert_eq!(s.audit_log(&report).await.expect("audit").len(), 4, "no audit entry");
    assert_eq!(s.section_markdown(&report, &sid("notes")).await.expect("read"), "one");

    // Tokens and sessions: revoking ends both.
    let token = s.insert_token("alice", Role::Editor, "hash-a").await.expect("token");
    assert!(s.token(token.id).await.expect("read").is_some());
    let far = "2999-01-01T00:00:00Z";
    s.create_session("session-a", token.id, far).await.expect("session");
    assert!(s.session("session-a").await.expect("read").is_some());
    s.create_session("session-old", token.id, "2000-01-01T00:00:00Z")
        .await
        .expect("session");
    assert!(s.session("session-old").await.expect("read").is_none(), "expired");
    assert!(s.revoke_token(token.id).await.expect("revoked"));
    assert!(
        s.session("session-a").await.expect("read").is_none(),
        "ended with its token"
    );
    assert!(!s.revoke_token(token.id).await.expect("ran"), "only once");
    assert_eq!(s.list_tokens().await.expect("list").len(), 1);

    // The cluster log reads what is new and, asked for them, numbers it skipped before.
    let head = s.log_head().await.expect("head");
    for kind in ["a", "b", "c"] {
        s.log_append(kind, "[]").await.expect("appended");
    }
    let kinds = |entries: Vec<server::store::LogEntry>| entries.into_iter().map(|e| e.kind).collect::<Vec<_>>();
    let all = s.log_since(head, &[]).await.expect("read");
    assert_eq!(kinds(all.clone()), ["a", "b", "c"]);
    let first = all[0].seq;
    let again = s.log_since(all[2].seq, &[first]).await.expect("read");
    assert_eq!(kinds(again), ["a"], "a gap asked for again");
    s.ping().await.expect("answers");
}

#[tokio::test]
async fn the_sqlite_store_keeps_the_contract() {
    let dir = tempfile::tempdir().expect("dir");
    contract(store(&format!("sqlite://{}/pmr.db", dir.path().display())).await).await;
}

#[tokio::test]
async fn the_postgres_store_keeps_the_contract() {
    let pg = PgServer::start();
    contract(store(&pg.database()).await).await;
}
