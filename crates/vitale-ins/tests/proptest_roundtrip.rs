//! Property tests: every type round-trips through its text form, parsers
//! never panic, normalisation is idempotent.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use vitale_ins::datamatrix::GS;
use vitale_ins::normalize::is_normalized;
use vitale_ins::{
    BirthDate, BirthName, CogCode, DatamatrixField, GivenNames, IdentityStatus, IdentityTraits,
    Ins, InsDatamatrix, InsOid, Nir, PatientIdentity, Sex, normalize_trait,
};

/// The 13 first characters of a NIR with every field in its legal range.
fn nir_body() -> impl Strategy<Value = String> {
    let sex = prop::sample::select(vec!['1', '2', '3', '4', '7', '8']);
    let month = prop_oneof![1u8..=12, 20u8..=42, 50u8..=99];
    let department = prop_oneof![
        (1u8..=99).prop_map(|d| format!("{d:02}")),
        Just("2A".to_owned()),
        Just("2B".to_owned()),
    ];
    (sex, 0u8..100, month, department, 0u16..1000, 0u16..1000).prop_map(
        |(sex, year, month, department, commune, order)| {
            format!("{sex}{year:02}{month:02}{department}{commune:03}{order:03}")
        },
    )
}

fn nir() -> impl Strategy<Value = Nir> {
    nir_body().prop_map(|body| {
        let key = Nir::key_of(&body).unwrap();
        Nir::parse(&format!("{body}{key:02}")).unwrap()
    })
}

fn cog() -> impl Strategy<Value = CogCode> {
    let department = prop_oneof![
        (1u8..=99).prop_map(|d| format!("{d:02}")),
        Just("2A".to_owned()),
        Just("2B".to_owned()),
    ];
    (department, 0u16..1000).prop_map(|(d, c)| CogCode::parse(&format!("{d}{c:03}")).unwrap())
}

fn birth_date() -> impl Strategy<Value = BirthDate> {
    (1800u16..=2999, 0u8..100, 0u8..100)
        .prop_map(|(y, m, d)| BirthDate::parse(&format!("{y:04}{m:02}{d:02}")).unwrap())
}

/// Name-like text: letters with accents and ligatures, separators, noise.
fn name_text() -> impl Strategy<Value = String> {
    "[A-Za-zéèêëàçôöüÉÈŒœÆæß' \\-’]{1,60}"
        .prop_filter("empty once normalised", |s| !normalize_trait(s).is_empty())
}

/// A national-layout payload of a random qualified identity (sex `M` or
/// `F`: the layout has no `I`).
fn datamatrix() -> impl Strategy<Value = InsDatamatrix> {
    (
        nir(),
        prop::sample::select(InsOid::ALL.to_vec()),
        name_text(),
        name_text(),
        prop::sample::select(vec![Sex::Male, Sex::Female]),
        birth_date(),
        cog(),
    )
        .prop_map(|(nir, oid, given, name, sex, date, place)| {
            let traits = IdentityTraits::new(
                BirthName::new(&name).unwrap(),
                GivenNames::new(&given).unwrap(),
                sex,
                date,
                place,
            );
            let identity =
                PatientIdentity::new(IdentityStatus::Qualified, traits, Some(Ins::new(nir, oid)))
                    .unwrap();
            InsDatamatrix::new(&identity.shareable().unwrap()).unwrap()
        })
}

/// The blocks of a payload's message (tag + value, without GS), in tag
/// order.
fn blocks(payload: &InsDatamatrix) -> Vec<(DatamatrixField, String)> {
    let date = payload.birth_date().as_str();
    let mut blocks = vec![
        (
            DatamatrixField::S1Matricule,
            payload.ins().matricule().as_str().to_owned(),
        ),
        (
            DatamatrixField::S2Oid,
            payload.ins().oid().as_str().to_owned(),
        ),
        (
            DatamatrixField::S3GivenNames,
            payload.given_names().as_str().to_owned(),
        ),
        (
            DatamatrixField::S4BirthName,
            payload.birth_name().as_str().to_owned(),
        ),
        (DatamatrixField::S5Sex, payload.sex().code().to_string()),
        (
            DatamatrixField::S6BirthDate,
            format!("{}-{}-{}", &date[6..8], &date[4..6], &date[0..4]),
        ),
    ];
    if let Some(place) = payload.birth_place() {
        blocks.push((DatamatrixField::S7BirthPlace, place.as_str().to_owned()));
    }
    blocks
}

/// The text of `blocks` in the given order, with the layout's GS rule: a
/// variable value (S2 of at most 20, S3 / S4 of at most 100) shorter than
/// its maximum is followed by GS unless it is the last field.
fn national_text(blocks: &[(DatamatrixField, String)]) -> String {
    let mut text = "IS01".to_owned() + &"0".repeat(22);
    for (i, (field, value)) in blocks.iter().enumerate() {
        text.push_str(field.tag());
        text.push_str(value);
        let max = match field {
            DatamatrixField::S2Oid => 20,
            DatamatrixField::S3GivenNames | DatamatrixField::S4BirthName => 100,
            _ => usize::MAX,
        };
        if max != usize::MAX && value.len() < max && i + 1 < blocks.len() {
            text.push(GS);
        }
    }
    text
}

proptest! {
    #[test]
    fn nir_round_trips(nir in nir()) {
        prop_assert_eq!(&Nir::parse(nir.as_str())?, &nir);
        prop_assert_eq!(&Nir::parse(&nir.to_string())?, &nir);
        prop_assert_eq!(&nir.as_str().parse::<Nir>()?, &nir);
        prop_assert_eq!(nir.as_str().len(), 15);
    }

    #[test]
    fn nir_accepts_spaces_anywhere(nir in nir(), cuts in prop::collection::vec(0usize..15, 0..6)) {
        let mut text = nir.as_str().to_owned();
        let mut cuts = cuts;
        cuts.sort_unstable();
        for cut in cuts.into_iter().rev() {
            text.insert(cut, ' ');
        }
        prop_assert_eq!(Nir::parse(&text)?, nir);
    }

    #[test]
    fn nir_parse_never_panics(text in "\\PC{0,40}") {
        if let Ok(nir) = Nir::parse(&text) {
            prop_assert_eq!(Nir::parse(nir.as_str())?, nir);
        }
    }

    #[test]
    fn nir_digit_strings_fail_or_round_trip(text in "[0-9AB ]{13,20}") {
        if let Ok(nir) = Nir::parse(&text) {
            prop_assert_eq!(nir.as_str(), text.replace(' ', ""));
        }
    }

    #[test]
    fn oid_round_trips(oid in prop::sample::select(InsOid::ALL.to_vec())) {
        prop_assert_eq!(InsOid::parse(oid.as_str())?, oid);
        prop_assert_eq!(oid.to_string().parse::<InsOid>()?, oid);
    }

    #[test]
    fn oid_parse_never_panics(text in "[0-9.]{0,30}") {
        if let Ok(oid) = InsOid::parse(&text) {
            prop_assert_eq!(oid.as_str(), text);
        }
    }

    #[test]
    fn sex_round_trips(sex in prop::sample::select(Sex::ALL.to_vec()), other in any::<char>()) {
        prop_assert_eq!(Sex::from_code(sex.code())?, sex);
        if let Ok(parsed) = Sex::from_code(other) {
            prop_assert_eq!(parsed.code(), other);
        }
    }

    #[test]
    fn cog_round_trips(code in cog(), text in "[0-9A-Z]{0,6}") {
        prop_assert_eq!(&CogCode::parse(code.as_str())?, &code);
        if let Ok(parsed) = CogCode::parse(&text) {
            prop_assert_eq!(parsed.as_str(), text);
        }
    }

    #[test]
    fn birth_date_round_trips(date in birth_date()) {
        prop_assert_eq!(&BirthDate::parse(date.as_str())?, &date);
        let calendar = time::Month::try_from(date.month()).ok().and_then(|m| {
            time::Date::from_calendar_date(i32::from(date.year()), m, date.day()).ok()
        });
        prop_assert_eq!(date.to_calendar(), calendar);
        if let Some(day) = date.to_calendar() {
            prop_assert_eq!(BirthDate::from_calendar(day)?, date);
        }
    }

    #[test]
    fn normalisation_is_idempotent_and_uses_its_charset(text in "\\PC{0,80}") {
        let once = normalize_trait(&text);
        prop_assert_eq!(normalize_trait(&once), once.clone());
        prop_assert!(is_normalized(&once), "{:?}", once);
    }

    #[test]
    fn normalisation_of_names_is_idempotent(text in name_text()) {
        let once = normalize_trait(&text);
        prop_assert_eq!(normalize_trait(&once), once.clone());
        prop_assert!(once.chars().all(|c| matches!(c, 'A'..='Z' | ' ' | '-' | '\'')));
    }

    #[test]
    fn datamatrix_round_trips(payload in datamatrix()) {
        let text = payload.encode();
        prop_assert!(text.starts_with("IS010000000000000000000000S1"));
        prop_assert_eq!(&text, &national_text(&blocks(&payload)));
        let decoded = InsDatamatrix::decode(&text)?;
        prop_assert_eq!(&decoded, &payload);
        prop_assert_eq!(decoded.encode(), text);
    }

    /// Without S7, and with the fields in any order: the same payload, and
    /// its encoding back in tag order.
    #[test]
    fn datamatrix_fields_in_any_order(
        payload in datamatrix(),
        keep_s7 in any::<bool>(),
        order in Just((0..7).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let mut in_tag_order = blocks(&payload);
        if !keep_s7 {
            in_tag_order.pop();
        }
        let canonical = InsDatamatrix::decode(&national_text(&in_tag_order))?;
        prop_assert_eq!(canonical.birth_place().is_some(), keep_s7);
        prop_assert_eq!(canonical.encode(), national_text(&in_tag_order));
        let shuffled: Vec<_> = order
            .iter()
            .filter_map(|&i| in_tag_order.get(i).cloned())
            .collect();
        let decoded = InsDatamatrix::decode(&national_text(&shuffled))?;
        prop_assert_eq!(&decoded, &canonical);
        prop_assert_eq!(decoded.encode(), national_text(&in_tag_order));
    }

    /// Whatever decodes has a canonical encoding that decodes to the same
    /// payload and encodes to itself.
    #[test]
    fn datamatrix_decode_never_panics(text in "[\\x1d\\x1f -~]{0,200}") {
        if let Ok(payload) = InsDatamatrix::decode(&text) {
            prop_assert_eq!(InsDatamatrix::decode(&payload.encode())?, payload);
        }
    }

    /// Text shaped like a payload (a header, then tags and values of about
    /// the right sizes, GS or not) reaches the field parsers.
    #[test]
    fn datamatrix_block_soup_never_panics(
        header in prop::sample::select(vec![
            "IS010000000000000000000000",
            "DC04FR000001FFFFFFFFZZ01FR",
            "IS0100000000000000000000",
            "",
        ]),
        soup in prop::collection::vec(("S[0-9]", "[0-9A-Z .'-]{0,22}", any::<bool>()), 0..9),
    ) {
        let mut text = header.to_owned();
        for (tag, value, gs) in soup {
            text.push_str(&tag);
            text.push_str(&value);
            if gs {
                text.push(GS);
            }
        }
        if let Ok(payload) = InsDatamatrix::decode(&text) {
            let encoded = payload.encode();
            prop_assert_eq!(InsDatamatrix::decode(&encoded)?, payload);
        }
    }

    #[test]
    fn datamatrix_mutations_fail_or_stay_canonical(payload in datamatrix(), at in any::<prop::sample::Index>(), byte in 0x1du8..0x7f) {
        let mut bytes = payload.encode().into_bytes();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        let text = String::from_utf8(bytes).unwrap();
        // One byte cannot reorder fields: what still decodes is canonical.
        if let Ok(decoded) = InsDatamatrix::decode(&text) {
            prop_assert_eq!(decoded.encode(), text);
        }
    }
}
