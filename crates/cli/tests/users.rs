//! `sipmas users add|token|list` and `sipmas stats --refresh`, on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use sipmas_testkit::TestDb;

fn sipmas(url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sipmas"))
        .args(args)
        .env("SIPMAS_DATABASE_URL", url)
        .env("SIPMAS_LOG_FORMAT", "json")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sipmas");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

async fn accounts(db: TestDb) {
    let url = db.url().unwrap();
    let o = sipmas(&url, &["demo", "--households", "40", "--no-serve"], None);
    assert!(o.status.success(), "{}", text(&o).1);
    let add = |args: &[&str], stdin: Option<&str>| {
        let mut all = vec!["users", "add"];
        all.extend_from_slice(args);
        sipmas(&url, &all, stdin)
    };
    let o = add(
        &[
            "--username",
            "admin",
            "--role",
            "admin",
            "--name",
            "Admin Dinsos",
            "--password-stdin",
        ],
        Some("rahasia-dinsos-1\n"),
    );
    assert!(o.status.success(), "{}", text(&o).1);
    assert!(text(&o).0.contains("Pengguna admin dibuat"));
    // Refusals say why and create nothing.
    for (args, stdin, why) in [
        (
            vec![
                "--username",
                "admin",
                "--role",
                "viewer",
                "--password-stdin",
            ],
            Some("rahasia-lain-12\n"),
            "sudah dipakai",
        ),
        (
            vec!["--username", "desa1", "--role", "desa", "--password-stdin"],
            Some("rahasia-desa-12\n"),
            "memerlukan wilayah",
        ),
        (
            vec![
                "--username",
                "desa1",
                "--role",
                "desa",
                "--region",
                "64.08",
                "--password-stdin",
            ],
            Some("rahasia-desa-12\n"),
            "memerlukan wilayah",
        ),
        (
            vec![
                "--username",
                "pendek",
                "--role",
                "viewer",
                "--password-stdin",
            ],
            Some("pendek\n"),
            "minimal 10",
        ),
        (
            vec!["--username", "x", "--role", "bos", "--password-stdin"],
            Some("rahasia-desa-12\n"),
            "--role",
        ),
    ] {
        let o = add(&args, stdin);
        assert!(!o.status.success(), "{args:?} should fail");
        assert!(text(&o).1.contains(why), "{args:?}: {}", text(&o).1);
    }
    // Without --password-stdin a password is generated and printed once; it signs in.
    let o = add(
        &[
            "--username",
            "pimpinan",
            "--role",
            "viewer",
            "--region",
            "64",
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let out = text(&o).0;
    let generated = out
        .lines()
        .find_map(|l| l.split(": ").nth(1))
        .unwrap()
        .trim()
        .to_owned();
    let signed = sipmas_app::auth::login(db.store.as_ref(), "pimpinan", &generated, None)
        .await
        .unwrap();
    assert!(matches!(
        signed,
        sipmas_app::auth::LoginOutcome::SignedIn(_)
    ));
    // A token for the API, stored only hashed.
    let o = sipmas(&url, &["users", "token", "--username", "pimpinan"], None);
    assert!(o.status.success());
    let token = text(&o).0.trim().to_owned();
    assert_eq!(token.len(), 43);
    let user = db
        .store
        .user_by_api_token(&sipmas_app::auth::token_hash(&token))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.username, "pimpinan");
    assert!(
        db.store.user_by_api_token(&token).await.unwrap().is_none(),
        "the clear token is not stored"
    );
    let list = text(&sipmas(&url, &["users", "list"], None)).0;
    assert!(
        list.contains("admin\tadmin\t-") && list.contains("pimpinan\tviewer\t64"),
        "{list}"
    );
    // Dashboard figures recomputed on demand agree with the register.
    let o = sipmas(&url, &["stats", "--refresh", "--json"], None);
    assert!(
        o.status.success() && text(&o).1.contains("dihitung ulang"),
        "{}",
        text(&o).1
    );
    let counts = db.store.register_counts(None).await.unwrap();
    let shown = db.store.dashboard_counts(None, 0).await.unwrap();
    assert_eq!(shown[0].1, counts);
    db.finish().await;
}

#[tokio::test]
async fn users_and_refresh() {
    for db in TestDb::each().await {
        accounts(db).await;
    }
}
