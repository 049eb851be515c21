use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn dukcapil_example_parses() {
    let nik = Nik::parse("3602041211870001").unwrap();
    assert_eq!(nik.district_code().dotted(), "36.02.04");
    assert_eq!(nik.sex(), Sex::Male);
    assert_eq!(nik.birth_date(ymd(2026, 11, 23)), Some(ymd(1987, 11, 12)));
    assert_eq!(nik.serial(), 1);
    assert_eq!(nik.masked(), "360204********01");
    assert!(!format!("{nik:?}").contains("1211870001"));
}

#[test]
fn women_have_forty_added_to_the_day() {
    let nik = Nik::parse("6408045205900003").unwrap();
    assert_eq!(nik.sex(), Sex::Female);
    assert_eq!(nik.birth_parts(), (12, 5, 90));
    assert!(nik.matches_birth_date(ymd(1990, 5, 12)));
    assert!(!nik.matches_birth_date(ymd(1990, 5, 13)));
}

#[test]
fn excel_damage_is_named() {
    assert_eq!(Nik::parse("6.40804E+15"), Err(NikError::ScientificNotation));
    assert_eq!(Nik::parse("6408041211870000"), Err(NikError::SerialZero));
    assert_eq!(Nik::parse("6408041211870001.0"), Err(NikError::Decimal));
    assert!(
        Nik::parse("6408041211870000")
            .unwrap_err()
            .to_string()
            .contains("Excel")
    );
}

#[test]
fn each_part_is_checked() {
    assert_eq!(Nik::parse(""), Err(NikError::Empty));
    assert_eq!(
        Nik::parse("640804121187000"),
        Err(NikError::WrongLength(15))
    );
    assert_eq!(
        Nik::parse("64080412118700011"),
        Err(NikError::WrongLength(17))
    );
    assert_eq!(
        Nik::parse("64080412x1870001"),
        Err(NikError::NotDigit {
            position: 9,
            found: 'x'
        })
    );
    assert!(matches!(
        Nik::parse("0008041211870001"),
        Err(NikError::RegionPrefix(_))
    ));
    assert!(matches!(
        Nik::parse("6400041211870001"),
        Err(NikError::RegionPrefix(_))
    ));
    assert_eq!(Nik::parse("6408043211870001"), Err(NikError::Day(32)));
    assert_eq!(Nik::parse("6408040011870001"), Err(NikError::Day(0)));
    assert_eq!(Nik::parse("6408047211870001"), Err(NikError::Day(72)));
    assert_eq!(Nik::parse("6408041213870001"), Err(NikError::Month(13)));
    assert_eq!(
        Nik::parse("6408043102870001"),
        Err(NikError::Date { day: 31, month: 2 })
    );
    // 29 February exists in '88 and '00 (2000), not in '87.
    assert!(Nik::parse("6408042902880001").is_ok());
    assert!(Nik::parse("6408042902000001").is_ok());
    assert_eq!(
        Nik::parse("6408042902870001"),
        Err(NikError::Date { day: 29, month: 2 })
    );
    assert_eq!(
        Nik::parse(" 6408041211870001 ").unwrap().as_str(),
        "6408041211870001"
    );
}

prop_compose! {
    fn valid_parts()(p in 11u32..95, k in 1u32..99, c in 1u32..99,
                     // Within the last 99 years: a NIK cannot tell 1926 from 2026, so older births are
                     // read as the most recent matching century by design.
                     date in (0i64..36_000).prop_map(|d| ymd(1927, 1, 1) + chrono::Duration::days(d)),
                     female in any::<bool>(), serial in 1u16..=9999) -> (RegionCode, NaiveDate, Sex, u16) {
        let code = RegionCode::parse(&format!("{p:02}{k:02}{c:02}")).unwrap();
        (code, date, if female { Sex::Female } else { Sex::Male }, serial)
    }
}

proptest! {
    #[test]
    fn composed_niks_parse_back((district, birth, sex, serial) in valid_parts()) {
        let nik = Nik::compose(&district, birth, sex, serial).unwrap();
        let again = Nik::parse(nik.as_str()).unwrap();
        prop_assert_eq!(again.district_code(), district);
        prop_assert_eq!(again.sex(), sex);
        prop_assert_eq!(again.serial(), serial);
        prop_assert!(again.matches_birth_date(birth));
        prop_assert_eq!(again.birth_date(ymd(2026, 11, 23)), Some(birth));
    }

    #[test]
    fn changing_the_length_always_fails((district, birth, sex, serial) in valid_parts(), cut in 0usize..16) {
        let nik = Nik::compose(&district, birth, sex, serial).unwrap();
        let shorter = format!("{}{}", &nik.as_str()[..cut], &nik.as_str()[cut + 1..]);
        prop_assert_eq!(Nik::parse(&shorter), Err(NikError::WrongLength(15)));
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,24}") {
        let _ = Nik::parse(&s);
    }
}
