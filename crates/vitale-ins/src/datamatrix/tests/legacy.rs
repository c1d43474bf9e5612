//! The 2D-Doc layout of vitale-ins 0.1: still decoded, strictly (fields in
//! order, all seven, signature canonical), and re-encoded byte for byte so
//! that `signed_data` is the text the signature covers.

use proptest::prelude::*;

use super::*;

const DOC_HEADER: &str = "DC04FR000001FFFFFFFFZZ01FR";

/// What vitale-ins 0.1 wrote for Ada Lovelace: the national message after a
/// 2D-Doc header (same byte offsets as the national reference).
fn legacy() -> String {
    reference().replacen(NATIONAL_HEADER, DOC_HEADER, 1)
}

#[test]
fn decodes_and_re_encodes_byte_for_byte() {
    let text = legacy();
    let p = InsDatamatrix::decode(&text).unwrap();
    assert_eq!(p.layout(), DatamatrixLayout::Legacy2dDoc);
    assert_eq!(p.doc_header().map(DocHeader::ca_id), Some("FR00"));
    assert_eq!(p.doc_header().map(DocHeader::doc_type), Some("ZZ"));
    assert_eq!(p.signature(), None);
    assert_eq!(p.encode(), text);
    assert_eq!(p.signed_data(), Some(text));
    // Same identity as the national payload; another layout, so not equal.
    let national = InsDatamatrix::decode(&reference()).unwrap();
    assert_eq!(p.traits(), national.traits());
    assert_ne!(p, national);
}

#[test]
fn indeterminate_sex_is_read() {
    let text = legacy().replacen("S5F", "S5I", 1);
    let p = InsDatamatrix::decode(&text).unwrap();
    assert_eq!(p.sex(), Sex::Indeterminate);
    assert_eq!(p.encode(), text);
}

#[test]
fn signature_is_opaque_base32() {
    let text = format!("{}{US}{}", legacy(), base32::encode(&[0xAB; 64]));
    let p = InsDatamatrix::decode(&text).unwrap();
    assert_eq!(p.signature(), Some(&[0xAB; 64][..]));
    let (signed, signature) = text.split_once(US).unwrap();
    assert_eq!(p.signed_data().as_deref(), Some(signed));
    assert_eq!(signature.len(), 103);
    assert_eq!(p.encode(), text);
}

#[test]
fn base32_matches_rfc4648_vectors() {
    // RFC 4648 §10, padding removed.
    let cases: [(&[u8], &str); 6] = [
        (b"f", "MY"),
        (b"fo", "MZXQ"),
        (b"foo", "MZXW6"),
        (b"foob", "MZXW6YQ"),
        (b"fooba", "MZXW6YTB"),
        (b"foobar", "MZXW6YTBOI"),
    ];
    for (bytes, text) in cases {
        assert_eq!(base32::encode(bytes), text);
        assert_eq!(base32::decode(text).unwrap(), bytes);
    }
    // Non-canonical: leftover bits set, impossible length, lower case.
    for text in ["MZ", "MZX", "mzxw6", "MZXW6YTBO=", "MZXW6YTB1"] {
        assert_eq!(base32::decode(text), None, "{text}");
    }
}

#[test]
fn specimen_signature_decodes_to_64_bytes() {
    // Signature of the ANTS DC04 type-28 specimen (betagouv/2ddoc-parser tests).
    let signature = "6W76EBC3I2LWHBVGNNYTL34SC6V32S2GDCIQQZLZNMTKCHNVEUISJYUQH5WE3AJJICBNG3YMQ2NXXHP5ZHVOQE332R6TUJDHNOHQ6BI";
    let bytes = base32::decode(signature).unwrap();
    assert_eq!(bytes.len(), 64);
    assert_eq!(base32::encode(&bytes), signature);
}

#[test]
fn decode_errors_are_typed() {
    let r = legacy();
    let gs = GS_STR;
    let header = |field| Error::DatamatrixHeader { field };
    let unexpected = |expected, position| Error::DatamatrixUnexpectedTag { expected, position };
    let signature = Error::DatamatrixSignature {
        max: MAX_SIGNATURE_LEN,
    };
    let cases: Vec<(String, Error, &str)> = vec![
        (
            r.replacen("DC04", "DC03", 1),
            header(HeaderField::Version),
            "version 03",
        ),
        (
            r.replacen("FR00", "fr00", 1),
            header(HeaderField::CaId),
            "lower-case CA",
        ),
        (
            r.replacen("FFFFFFFF", "fFFFFFFF", 1),
            header(HeaderField::IssueDate),
            "lower-case hex",
        ),
        (
            r.replacen("01FRS1", "01F1S1", 1),
            header(HeaderField::Country),
            "country digit",
        ),
        (
            r.replacen("S2", "S9", 1),
            unexpected(DatamatrixField::S2Oid, 43),
            "unknown tag",
        ),
        (
            r.replacen(&format!("S3ADA{gs}"), "", 1),
            unexpected(DatamatrixField::S3GivenNames, 65),
            "missing S3",
        ),
        (
            format!("{}S3ADA", r.replace(&format!("S3ADA{gs}"), "")),
            unexpected(DatamatrixField::S3GivenNames, 65),
            "S3 moved last: this layout has a fixed order",
        ),
        // Without GS, the 20-byte window eats the S of S3: the tag is then missing.
        (
            r.replacen(&format!("8{gs}"), "8", 1),
            unexpected(DatamatrixField::S3GivenNames, 65),
            "missing GS",
        ),
        (
            r.replacen("S799132", "", 1),
            unexpected(DatamatrixField::S7BirthPlace, 97),
            "missing S7: this layout requires it",
        ),
        (
            r.replacen("S3ADA", "S3", 1),
            Error::DatamatrixFieldLength {
                field: DatamatrixField::S3GivenNames,
            },
            "empty S3",
        ),
        (
            r.replacen("S799132", "S79913", 1),
            Error::DatamatrixFieldLength {
                field: DatamatrixField::S7BirthPlace,
            },
            "short last field",
        ),
        (
            format!("{r}S8X"),
            Error::DatamatrixTrailing,
            "trailing field",
        ),
        (
            format!("{r}{gs}"),
            Error::DatamatrixTrailing,
            "GS after last field",
        ),
        (
            r.replacen("S3ADA", "S3ada", 1),
            Error::DatamatrixFieldValue {
                field: DatamatrixField::S3GivenNames,
                cause: Box::new(Error::NameNotNormalized),
            },
            "lower case name",
        ),
        (format!("{r}{US}"), signature.clone(), "empty signature"),
        (
            format!("{r}{US}MZXW6{gs}"),
            signature.clone(),
            "annex after signature",
        ),
        (
            format!("{r}{US}{}", base32::encode(&[1; MAX_SIGNATURE_LEN + 1])),
            signature,
            "signature too long",
        ),
    ];
    for (text, error, why) in cases {
        assert_eq!(InsDatamatrix::decode(&text), Err(error), "{why}");
    }
}

#[test]
fn header_dates_round_trip() {
    let day = |y, m, d| time::Date::from_calendar_date(y, m, d).unwrap();
    let header = DocHeader::new("FR04", "AB12", "ZZ")
        .unwrap()
        .with_dates(
            Some(day(2000, time::Month::January, 1)),
            Some(day(2025, time::Month::February, 18)),
        )
        .unwrap();
    let text = header.encode();
    assert_eq!(text, "DC04FR04AB12000023DCZZ01FR");
    assert_eq!(DocHeader::parse(&text).unwrap(), header);
    let too_early = DocHeader::new("FR04", "AB12", "ZZ")
        .unwrap()
        .with_dates(Some(day(1999, time::Month::December, 31)), None);
    assert_eq!(
        too_early,
        Err(Error::DatamatrixHeader {
            field: HeaderField::IssueDate
        })
    );
}

fn doc_header() -> impl Strategy<Value = DocHeader> {
    let date = prop::option::of((0i64..0xFFFF).prop_map(|days| {
        time::Date::from_calendar_date(2000, time::Month::January, 1).unwrap()
            + time::Duration::days(days)
    }));
    (
        "[0-9A-Z]{4}",
        "[0-9A-Z]{4}",
        "[0-9A-Z]{2}",
        "[0-9A-Z]{2}",
        "[A-Z]{2}",
        date.clone(),
        date,
    )
        .prop_map(|(ca, cert, doc, perimeter, country, issue, signature)| {
            DocHeader::new(&ca, &cert, &doc)
                .unwrap()
                .with_perimeter(&perimeter)
                .unwrap()
                .with_country(&country)
                .unwrap()
                .with_dates(issue, signature)
                .unwrap()
        })
}

proptest! {
    /// Text as vitale-ins 0.1 wrote it (any header, sex, name, signature)
    /// decodes, and re-encodes to exactly the same text.
    #[test]
    fn legacy_text_round_trips(
        header in doc_header(),
        name in "[A-Z]{1,100}",
        sex in prop::sample::select(vec!['M', 'F', 'I']),
        signature in prop::option::of(prop::collection::vec(any::<u8>(), 1..=MAX_SIGNATURE_LEN)),
    ) {
        let gs = if name.len() < 100 { GS_STR } else { "" };
        let mut text = format!(
            "{}S1215129913200195S21.2.250.1.213.1.4.8{GS_STR}S3ADA{GS_STR}S4{name}{gs}S5{sex}S610-12-1815S799132",
            header.encode(),
        );
        if let Some(bytes) = &signature {
            text.push(US);
            text.push_str(&base32::encode(bytes));
        }
        let p = InsDatamatrix::decode(&text)?;
        prop_assert_eq!(p.doc_header(), Some(&header));
        prop_assert_eq!(p.signature(), signature.as_deref());
        prop_assert_eq!(p.birth_name().as_str(), name.as_str());
        prop_assert_eq!(p.sex().code(), sex);
        prop_assert_eq!(p.encode(), text);
    }
}

#[test]
fn a_real_2d_doc_is_not_read_as_an_ins() {
    // The ANTS "avis d'impôt" specimen (betagouv/2ddoc-parser, in
    // shared/testdata): a valid 2D-Doc header, then fields that are not
    // S1 … S7.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/2ddoc-betagouv/sample_dc04_type28_avis_impots.txt"
    );
    let specimen = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("external test data missing: {path}: {e}"))
        .trim_end()
        .replace("<GS>", GS_STR)
        .replace("<US>", &US.to_string());
    assert_eq!(DocHeader::parse(&specimen).unwrap().doc_type(), "28");
    assert_eq!(
        InsDatamatrix::decode(&specimen),
        Err(Error::DatamatrixUnexpectedTag {
            expected: DatamatrixField::S1Matricule,
            position: HEADER_LEN,
        })
    );
}
