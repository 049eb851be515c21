//! Regions: upsert, hierarchy, population, refusal of orphans.

use sipmas_domain::{AuditAction, RegionLevel};
use sipmas_store::{DbError, PopulationRecord, RegionRecord, Store};

use super::{audit, code};

pub(crate) async fn regions_story(store: &dyn Store) {
    assert_eq!(store.count_regions_by_level().await.unwrap(), [0, 0, 0, 0]);
    // A child whose parent does not exist is refused and nothing is saved.
    let orphan = [RegionRecord {
        code: code("99.01"),
        name: "Yatim".into(),
    }];
    assert!(matches!(
        store
            .save_regions(&orphan, &audit(AuditAction::RegionsImported))
            .await,
        Err(DbError::Conflict(_))
    ));
    assert_eq!(store.count_regions_by_level().await.unwrap(), [0, 0, 0, 0]);

    let regions: Vec<RegionRecord> = [
        ("64", "Kalimantan Timur"),
        ("64.08", "Kabupaten Kutai Timur"),
        ("64.08.04", "Sangatta Utara"),
        ("64.08.04.2001", "Sangatta Utara"),
        ("64.08.04.1010", "Teluk Lingga"),
    ]
    .iter()
    .map(|(c, n)| RegionRecord {
        code: code(c),
        name: (*n).into(),
    })
    .collect();
    store
        .save_regions(&regions, &audit(AuditAction::RegionsImported))
        .await
        .unwrap();
    store
        .save_regions(&regions[3..4], &audit(AuditAction::RegionsImported))
        .await
        .unwrap();
    assert_eq!(store.count_regions_by_level().await.unwrap(), [1, 1, 1, 2]);
    let renamed = [RegionRecord {
        code: code("64.08.04.2001"),
        name: "Desa Sangatta Utara".into(),
    }];
    store
        .save_regions(&renamed, &audit(AuditAction::RegionsImported))
        .await
        .unwrap();
    let r = store.region(&code("6408042001")).await.unwrap().unwrap();
    assert_eq!(
        (r.name.as_str(), r.level, r.parent),
        (
            "Desa Sangatta Utara",
            RegionLevel::Village,
            Some(code("64.08.04"))
        )
    );
    let kids: Vec<String> = store
        .child_regions(Some(&code("64.08.04")))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.code.dotted())
        .collect();
    assert_eq!(kids, ["64.08.04.1010", "64.08.04.2001"]);
    assert_eq!(store.child_regions(None).await.unwrap().len(), 1);
    assert_eq!(store.region_index().await.unwrap().len(), 5);
    let pop = [
        PopulationRecord {
            code: code("64.08"),
            male: 240_268,
            female: 208_582,
            total: 448_850,
        },
        PopulationRecord {
            code: code("64.09"),
            male: 1,
            female: 1,
            total: 2,
        },
    ];
    assert_eq!(
        store
            .save_population(&pop, &audit(AuditAction::RegionsImported))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .region(&code("64.08"))
            .await
            .unwrap()
            .unwrap()
            .population,
        Some(448_850)
    );
    assert!(store.region(&code("64.09")).await.unwrap().is_none());
}
