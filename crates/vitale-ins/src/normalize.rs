//! Normalisation of name traits for comparison.
//!
//! Two spellings of the same name ("Hélène", "HELENE", " helene ") must
//! compare equal when an identity is matched. [`normalize_trait`] maps a
//! name to a canonical form, applying these steps in order:
//!
//! 1. **Ligatures**, which Unicode decomposition leaves alone, are expanded
//!    explicitly: `Œ œ` → `OE`, `Æ æ` → `AE`, `ß ẞ` → `SS`. A few Latin
//!    letters with a stroke, which have no decomposition either, are mapped
//!    to their base letter: `Ø ø` → `O`, `Ł ł` → `L`, `Đ đ Ð ð` → `D`,
//!    `ı` → `I`.
//! 2. **Separators**: every Unicode white space becomes a space; the
//!    apostrophe-like characters U+2019, U+2018, U+02BC, U+00B4 and
//!    U+0060 become `'`; the dashes U+2010–U+2015 and U+2212 become `-`.
//! 3. **Upper case** (Unicode `to_uppercase`).
//! 4. **Diacritics removed**: canonical decomposition (NFD), then every
//!    combining mark is dropped (`É` → `E`, `Ç` → `C`, `Ñ` → `N`).
//! 5. **Filter**: only `A`–`Z`, space, `-` and `'` are kept; everything else
//!    (digits, other punctuation, letters of other scripts) is dropped.
//! 6. **Spaces**: runs of spaces collapse to one; leading and trailing spaces
//!    are trimmed.
//!
//! The result uses only `A`–`Z`, space, `-`, `'`, has no double space and no
//! space at either end, and normalising it again changes nothing.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalises a name trait (nom, prénoms) for comparison; see the
/// [module documentation](self) for the exact rules.
///
/// ```
/// use vitale_ins::normalize_trait;
///
/// assert_eq!(normalize_trait("  Hélène   d’Œuvray-Straße "), "HELENE D'OEUVRAY-STRASSE");
/// ```
pub fn normalize_trait(text: &str) -> String {
    let mut expanded = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'Œ' | 'œ' => expanded.push_str("OE"),
            'Æ' | 'æ' => expanded.push_str("AE"),
            'ß' | 'ẞ' => expanded.push_str("SS"),
            'Ø' | 'ø' => expanded.push('O'),
            'Ł' | 'ł' => expanded.push('L'),
            'Đ' | 'đ' | 'Ð' | 'ð' => expanded.push('D'),
            'ı' => expanded.push('I'),
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{00B4}' | '`' => expanded.push('\''),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => expanded.push('-'),
            c if c.is_whitespace() => expanded.push(' '),
            c => expanded.extend(c.to_uppercase()),
        }
    }
    let mut out = String::with_capacity(expanded.len());
    let mut pending_space = false;
    for c in expanded.nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            ' ' => pending_space = !out.is_empty(),
            'A'..='Z' | '-' | '\'' => {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.push(c);
            }
            _ => {}
        }
    }
    out
}

/// Whether `text` only uses the normalised alphabet (`A`–`Z`, space, `-`,
/// `'`), with no double space and no space at either end: the form that
/// [`normalize_trait`] returns.
pub fn is_normalized(text: &str) -> bool {
    text.chars()
        .all(|c| matches!(c, 'A'..='Z' | ' ' | '-' | '\''))
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
}

#[cfg(test)]
mod tests;
