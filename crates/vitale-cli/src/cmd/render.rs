//! A verified card as text for people and as JSON for programs: the
//! facade's one rendering ([`vitale::render`]), with the CLI's
//! `--show-nir` choice.

use vitale::render::DisplayOptions;
use vitale::verify::VerifiedCard;

use super::output::Out;

pub(crate) use vitale::render::{birth_date_text as birth_date, oid_kind};

/// The JSON form of a verified card (`docs/json.md`).
pub(crate) type CardJson = serde_json::Value;

fn options(out: &Out) -> DisplayOptions {
    if out.show_nir() {
        DisplayOptions::with_nir_shown()
    } else {
        DisplayOptions::default()
    }
}

/// The card as JSON, NIRs masked unless `--show-nir`.
pub(crate) fn card_json(card: &VerifiedCard, out: &Out) -> CardJson {
    vitale::render::card_json(card, options(out))
}

/// The card as text, NIRs masked unless `--show-nir`.
pub(crate) fn card_text(card: &VerifiedCard, out: &Out) -> String {
    vitale::render::card_text(card, options(out))
}
