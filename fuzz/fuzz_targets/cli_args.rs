//! The `vitale` command's argument parsers, which live in the libraries
//! so that this target reaches them: `--oid` (`InsOid::parse_name_or_dotted`),
//! `--birth-date` (`BirthDate::parse_with_dashes`), `--sex`
//! (`Sex::parse_letter`) and `--at` (`Timestamp::parse_rfc3339_or_unix`).
//!
//! Asserts beyond "no panic": each accepted value prints to a canonical
//! form that parses back to the same value (the dotted OID, `YYYYMMDD`,
//! the one-letter code, RFC 3339 and `@` seconds); a birth date keeps the
//! input's digits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_ins::{BirthDate, InsOid, Sex};
use vitale_model::Timestamp;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(oid) = InsOid::parse_name_or_dotted(text) {
        assert_eq!(InsOid::parse(oid.as_str()), Ok(oid));
        assert_eq!(InsOid::parse_name_or_dotted(oid.as_str()), Ok(oid));
    }
    if let Ok(date) = BirthDate::parse_with_dashes(text) {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(date.as_str(), digits);
        assert_eq!(BirthDate::parse(date.as_str()).as_ref(), Ok(&date));
    }
    if let Ok(sex) = Sex::parse_letter(text) {
        assert_eq!(Sex::parse_letter(&sex.code().to_string()), Ok(sex));
        assert!(text.eq_ignore_ascii_case(&sex.code().to_string()));
    }
    if let Some(at) = Timestamp::parse_rfc3339_or_unix(text) {
        assert_eq!(
            Timestamp::parse_rfc3339_or_unix(&format!("@{}", at.unix())),
            Some(at)
        );
        assert_eq!(Timestamp::parse_rfc3339_or_unix(&at.to_rfc3339()), Some(at));
    }
});
