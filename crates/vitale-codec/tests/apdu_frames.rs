//! APDU encodings as tables of annotated hex: the `open` profile's
//! commands, the four ISO cases in short and extended form, responses.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use vitale_codec::apdu::open::{self, SelectAnswer};
use vitale_codec::apdu::{CommandApdu, LengthForm, ResponseApdu, StatusWord};

/// Hex with spaces allowed.
fn h(hex: &str) -> Vec<u8> {
    let compact: String = hex.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(compact).unwrap()
}

/// Encodes, compares with the annotated hex, and parses back.
fn check(command: &CommandApdu, form: LengthForm, expected: &str) {
    let expected = h(expected);
    let encoded = match form {
        LengthForm::Short => command.encode_short().unwrap(),
        LengthForm::Extended => command.encode_extended().unwrap(),
    };
    assert_eq!(hex::encode_upper(&encoded), hex::encode_upper(&expected));
    let (parsed, parsed_form) = CommandApdu::parse_with_form(&encoded).unwrap();
    assert_eq!(&parsed, command);
    // Case 1 has no length field: it always reads back as short.
    if command.data.is_empty() && command.le.is_none() {
        assert_eq!(parsed_form, LengthForm::Short);
    } else {
        assert_eq!(parsed_form, form);
    }
}

#[test]
fn select_by_aid() {
    check(
        &open::select_command(),
        LengthForm::Short,
        concat!(
            "00",                      // CLA: interindustry
            "A4",                      // INS: SELECT
            "04",                      // P1: select by DF name (AID)
            "00",                      // P2: first or only occurrence
            "08",                      // Lc: 8
            "F0 56 49 54 41 4C 45 01", // AID: F0 "VITALE" 01
            "00",                      // Le: 256
        ),
    );
    assert_eq!(&open::AID[1..7], b"VITALE");
}

#[test]
fn get_presentation_short() {
    let challenge: Vec<u8> = (0..16).collect();
    check(
        &open::get_presentation_command(&challenge, false).unwrap(),
        LengthForm::Short,
        concat!(
            "80",                                              // CLA: proprietary
            "50",                                              // INS: GET PRESENTATION
            "00",                                              // P1
            "00",                                              // P2
            "10",                                              // Lc: 16
            "00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F", // challenge
            "00",                                              // Le: 256
        ),
    );
}

#[test]
fn get_presentation_extended() {
    let challenge = [0xAA; 32];
    let command = open::get_presentation_command(&challenge, true).unwrap();
    let expected = concat!(
        "80",                                                               // CLA: proprietary
        "50",                                                               // INS: GET PRESENTATION
        "00",                                                               // P1
        "00",                                                               // P2
        "00",    // extended length marker
        "00 20", // Lc: 32
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // challenge
        "00 00", // Le: 65 536
    );
    check(&command, LengthForm::Extended, expected);
    // `encode` picks the extended form by itself.
    assert_eq!(command.encode().unwrap(), h(expected));
}

#[test]
fn get_response() {
    check(
        &open::get_response_command(0x42),
        LengthForm::Short,
        concat!(
            "00", // CLA
            "C0", // INS: GET RESPONSE
            "00", // P1
            "00", // P2
            "42", // Le: 0x42
        ),
    );
    check(
        &open::get_response_command(256),
        LengthForm::Short,
        concat!(
            "00 C0 00 00", // header
            "00",          // Le: 256
        ),
    );
}

#[test]
fn iso_cases_short() {
    let header = CommandApdu::new(0x00, 0xB0, 0x12, 0x34);
    check(&header, LengthForm::Short, "00 B0 12 34"); // case 1
    check(
        &header.clone().with_le(1),
        LengthForm::Short,
        concat!("00 B0 12 34", "01"), // case 2S, Le 1
    );
    check(
        &header.clone().with_data(vec![0xDE, 0xAD]),
        LengthForm::Short,
        concat!("00 B0 12 34", "02", "DE AD"), // case 3S
    );
    check(
        &header.clone().with_data(vec![0x55; 255]).with_le(255),
        LengthForm::Short,
        &format!("00 B0 12 34 FF {} FF", "55".repeat(255)), // case 4S, maxima
    );
}

#[test]
fn iso_cases_extended() {
    let header = CommandApdu::new(0x00, 0xB0, 0x12, 0x34);
    check(&header, LengthForm::Extended, "00 B0 12 34"); // case 1
    check(
        &header.clone().with_le(1),
        LengthForm::Extended,
        concat!("00 B0 12 34", "00", "00 01"), // case 2E, Le 1
    );
    check(
        &header.clone().with_le(256),
        LengthForm::Extended,
        concat!("00 B0 12 34", "00", "01 00"), // case 2E, Le 256
    );
    check(
        &header.clone().with_data(vec![0xDE, 0xAD]),
        LengthForm::Extended,
        concat!("00 B0 12 34", "00", "00 02", "DE AD"), // case 3E
    );
    check(
        &header.clone().with_data(vec![0xDE]).with_le(65_535),
        LengthForm::Extended,
        concat!("00 B0 12 34", "00", "00 01", "DE", "FF FF"), // case 4E
    );
    let big = header.clone().with_data(vec![0x11; 65_535]).with_le(65_536);
    let encoded = big.encode_extended().unwrap();
    assert_eq!(&encoded[..7], h("00 B0 12 34 00 FF FF").as_slice());
    assert_eq!(&encoded[encoded.len() - 2..], &[0x00, 0x00]);
    assert_eq!(CommandApdu::parse(&encoded).unwrap(), big);
}

#[test]
fn responses() {
    let table: &[(&str, &[u8], StatusWord)] = &[
        ("90 00", &[], StatusWord::Ok),
        (
            concat!("01 20 00 01", "90 00"),
            &[0x01, 0x20, 0x00, 0x01],
            StatusWord::Ok,
        ),
        (
            concat!("CA FE", "61 00"),
            &[0xCA, 0xFE],
            StatusWord::MoreData(0),
        ),
        ("61 2A", &[], StatusWord::MoreData(0x2A)),
        ("6C 10", &[], StatusWord::WrongLe(0x10)),
        ("69 82", &[], StatusWord::AppLocked),
        ("69 85", &[], StatusWord::Declined),
        ("6A 82", &[], StatusWord::FileNotFound),
        ("67 00", &[], StatusWord::WrongLength),
        ("6D 00", &[], StatusWord::InsNotSupported),
        ("6E 00", &[], StatusWord::ClaNotSupported),
        ("6A 86", &[], StatusWord::WrongP1P2),
        ("6A 80", &[], StatusWord::WrongData),
        ("63 C2", &[], StatusWord::Other(0x63C2)),
    ];
    for &(hex, data, status) in table {
        let bytes = h(hex);
        let response = ResponseApdu::parse(&bytes).unwrap();
        assert_eq!(response.data, data, "{hex}");
        assert_eq!(response.status, status, "{hex}");
        assert_eq!(response.encode(), bytes, "{hex}");
    }
}

#[test]
fn select_answers() {
    let table = [
        (
            concat!(
                "01",    // version 1
                "20 00", // max presentation size: 8192
                "01",    // flags: extended length
            ),
            SelectAnswer::new(8192, true),
        ),
        (
            concat!(
                "01",    // version 1
                "08 00", // max presentation size: 2048
                "00",    // flags: none
            ),
            SelectAnswer::new(2048, false),
        ),
    ];
    for (hex, answer) in table {
        assert_eq!(SelectAnswer::parse(&h(hex)).unwrap(), answer);
        assert_eq!(answer.encode().to_vec(), h(hex));
    }
}

/// The NFC vectors of `docs/vectors/open-profile-v1.json`.
#[test]
fn format_md_vectors() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/vectors/open-profile-v1.json"
    );
    let json = std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{path}: {err}"));
    let vectors: serde_json::Value = serde_json::from_str(&json).unwrap();
    let get = |name: &str| hex::decode(vectors[name].as_str().unwrap()).unwrap();
    assert_eq!(
        open::select_command().encode_short().unwrap(),
        get("apdu-select")
    );
    let challenge = get("nfc-challenge");
    assert_eq!(
        open::get_presentation_command(&challenge, false)
            .unwrap()
            .encode_short()
            .unwrap(),
        get("apdu-get-presentation")
    );
}
