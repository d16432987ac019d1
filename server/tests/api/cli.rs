//! The `pmr` binary's commands: a refused import exits non-zero and stores nothing; tokens
//! are created, listed without secrets, and revoked.

use std::process::Command;

use crate::helpers::{base_vars, sample_project};

fn pmr(db: &tempfile::TempDir, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pmr"))
        .args(args)
        .env_clear()
        .envs(base_vars(db))
        .output()
        .expect("pmr runs")
}

#[test]
fn import_refuses_a_bad_file_whole_and_accepts_a_good_one() {
    let db = tempfile::tempdir().expect("dir");
    let file = db.path().join("p.json");
    let mut doc = sample_project("atlas");
    doc["work_packages"][0]["predecessors"] = serde_json::json!(["WP-404"]);
    std::fs::write(&file, doc.to_string()).expect("write");
    let out = pmr(&db, &["import", file.to_str().expect("path")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("work_packages[0].predecessors[0]") && err.contains("unknown work package"),
        "{err}"
    );

    std::fs::write(&file, "{ not json").expect("write");
    let out = pmr(&db, &["import", file.to_str().expect("path")]);
    assert!(!out.status.success());

    std::fs::write(&file, sample_project("atlas").to_string()).expect("write");
    let out = pmr(&db, &["import", file.to_str().expect("path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported project atlas (data version 1"));
}

#[test]
fn tokens_are_created_listed_and_revoked() {
    let db = tempfile::tempdir().expect("dir");
    let out = pmr(&db, &["token", "create", "--role", "admin", "--name", "ops"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let secret = stdout.lines().last().expect("secret line").trim().to_owned();
    assert!(secret.starts_with("pmr_1_"));
    let list = String::from_utf8_lossy(&pmr(&db, &["token", "list"]).stdout).to_string();
    assert!(list.contains("ops") && list.contains("admin"));
    assert!(!list.contains(&secret[6..]), "secrets are never listed");
    assert!(pmr(&db, &["token", "revoke", "1"]).status.success());
    assert!(!pmr(&db, &["token", "revoke", "1"]).status.success(), "already revoked");
    assert!(!pmr(&db, &["token", "create", "--role", "root", "--name", "x"])
        .status
        .success());
}
