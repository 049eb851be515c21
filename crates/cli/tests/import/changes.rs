//! Importing again: nothing twice, every change recorded, nobody removed silently.

use sipmas_domain::{Nik, Sex, WelfareStatus};

use crate::support::*;

fn stats(url: &str) -> serde_json::Value {
    serde_json::from_str(&ok(url, &["stats", "--json"])).unwrap()
}

#[test]
fn the_same_file_twice_creates_nothing_new() {
    each_backend(|url, _db, _rt| {
        let dir = tempfile::tempdir().unwrap();
        let file = write_members(dir.path(), "p3ke.csv", &two_families());
        let f = file.to_str().unwrap();
        let first = import(url, &["--format", "p3ke", f]);
        assert_eq!(
            (
                count(&first, "households_created"),
                count(&first, "individuals_created")
            ),
            (2, 5)
        );
        assert!(
            first["report"].is_null(),
            "a clean file leaves no report: {first}"
        );
        let again = import(url, &["--format", "p3ke", f]);
        assert_eq!(again["already_imported"], true);
        assert_eq!(again["batch_id"], first["batch_id"]);
        let forced = import(url, &["--format", "p3ke", "--force", f]);
        assert_eq!(forced["already_imported"], false);
        for key in [
            "households_created",
            "households_updated",
            "individuals_created",
            "individuals_updated",
            "individuals_missing",
        ] {
            assert_eq!(count(&forced, key), 0, "{key}: {forced}");
        }
        let s = stats(url);
        assert_eq!(
            (s["households"].as_u64(), s["individuals"].as_u64()),
            (Some(2), Some(5))
        );
        let list: serde_json::Value =
            serde_json::from_str(&ok(url, &["import", "list", "--json"])).unwrap();
        assert_eq!(
            list.as_array().unwrap().len(),
            2,
            "the refused repeat is not a batch"
        );
        assert_eq!(list[1]["individuals_created"], 5);
        let human = ok(url, &["import", "list"]);
        assert!(
            human.contains("p3ke.csv") && human.contains("dibaca 5"),
            "{human}"
        );
    });
}

#[test]
fn a_newer_export_updates_what_changed_and_lists_who_is_missing() {
    each_backend(|url, db, rt| {
        let dir = tempfile::tempdir().unwrap();
        let old = two_families();
        let f1 = write_members(dir.path(), "p3ke-2023.csv", &old);
        import(url, &["--format", "p3ke", f1.to_str().unwrap()]);
        let mut new = old.clone();
        new[2].name = "Muhammad Rizky".to_owned(); // spelling corrected
        for p in new.iter_mut().take(3) {
            p.desil = "3".to_owned(); // family 1 is no longer desil 1
        }
        new.remove(4); // the grandchild is not in the new export
        let mut baby = Member::new(1, 4, "Aisyah", Sex::Female, "Anak", date(2023, 3, 1));
        baby.desil = "3".to_owned();
        new.push(baby); // listed after family 2, as exports sometimes do
        let f2 = write_members(dir.path(), "p3ke-2024.csv", &new);
        let s = import(url, &["--format", "p3ke", f2.to_str().unwrap()]);
        assert_eq!(count(&s, "households_created"), 0, "{s}");
        assert_eq!(count(&s, "households_updated"), 1, "{s}");
        assert_eq!(count(&s, "individuals_created"), 1, "{s}");
        assert_eq!(count(&s, "individuals_updated"), 1, "{s}");
        assert_eq!(count(&s, "individuals_missing"), 1, "{s}");
        let rep = report(&s);
        assert!(
            rep.iter().any(|(_, _, c, _)| c == "missing_from_source"),
            "{rep:?}"
        );
        // The grandchild is still in the register, flagged for verification.
        let grandchild = Nik::parse(&old[4].nik).unwrap();
        let still = rt
            .block_on(db.store.individuals_by_nik(&grandchild))
            .unwrap();
        assert_eq!(still.len(), 1);
        let flags = rt
            .block_on(db.store.register_flags(Some("missing_from_source"), 10))
            .unwrap();
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].individual_id, Some(still[0].id));
        // Every change is in the household's history with its old value.
        let child = rt
            .block_on(
                db.store
                    .individuals_by_nik(&Nik::parse(&old[2].nik).unwrap()),
            )
            .unwrap();
        let hid = child[0].household_id;
        assert_eq!(child[0].name, "Muhammad Rizky");
        let changes = rt.block_on(db.store.field_changes(hid)).unwrap();
        let change = |f: &str| {
            changes
                .iter()
                .find(|c| c.field == f)
                .unwrap_or_else(|| panic!("{f}: {changes:?}"))
        };
        assert_eq!(
            change("individuals.name").old_value.as_deref(),
            Some("Muhammad Rizki")
        );
        assert_eq!(change("households.desil").old_value.as_deref(), Some("1"));
        assert_eq!(change("households.desil").new_value.as_deref(), Some("3"));
        // The status the data set implied follows it, in the status history.
        let history = rt.block_on(db.store.status_history(hid)).unwrap();
        assert_eq!(
            history.iter().map(|h| h.to).collect::<Vec<_>>(),
            vec![WelfareStatus::ExtremePoor, WelfareStatus::Poor]
        );
        let s = stats(url);
        assert_eq!(s["extreme_poor_households"].as_u64(), Some(1), "{s}");
    });
}

#[test]
fn dry_run_counts_everything_and_changes_nothing() {
    each_backend(|url, _db, _rt| {
        let dir = tempfile::tempdir().unwrap();
        let file = write_members(dir.path(), "p3ke.csv", &two_families());
        let s = import(
            url,
            &["--format", "p3ke", "--dry-run", file.to_str().unwrap()],
        );
        assert_eq!(s["dry_run"], true);
        assert_eq!(count(&s, "individuals_created"), 5);
        assert!(s["batch_id"].is_null());
        assert_eq!(stats(url)["households"].as_u64(), Some(0));
        let list: serde_json::Value =
            serde_json::from_str(&ok(url, &["import", "list", "--json"])).unwrap();
        assert_eq!(list.as_array().unwrap().len(), 0);
        // The real import afterwards is not mistaken for a repeat.
        let real = import(url, &["--format", "p3ke", file.to_str().unwrap()]);
        assert_eq!(count(&real, "individuals_created"), 5);
    });
}

#[test]
fn a_family_without_head_and_a_nik_in_two_families_are_flagged() {
    each_backend(|url, db, rt| {
        let dir = tempfile::tempdir().unwrap();
        let mut m = two_families();
        m.remove(3); // family 2 loses its head
        let mut twin = m[1].clone(); // Siti Aminah also listed in family 5
        twin.family = "P3KE0000000005".to_owned();
        twin.id = "P3KE000000000501".to_owned();
        twin.kk = no_kk(5);
        twin.relationship = "Kepala Keluarga".to_owned();
        m.push(twin);
        let file = write_members(dir.path(), "p3ke.csv", &m);
        let s = import(url, &["--format", "p3ke", file.to_str().unwrap()]);
        let rep = report(&s);
        assert!(rep.iter().any(|(_, _, c, _)| c == "no_head"), "{rep:?}");
        assert!(
            rep.iter()
                .any(|(l, _, c, _)| l == "6" && c == "nik_in_two_households"),
            "{rep:?}"
        );
        let no_head = rt
            .block_on(db.store.register_flags(Some("no_head"), 10))
            .unwrap();
        assert_eq!(no_head.len(), 1);
        let two = rt
            .block_on(db.store.register_flags(Some("nik_in_two_households"), 10))
            .unwrap();
        assert_eq!(two.len(), 1);
    });
}
