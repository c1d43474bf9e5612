//! Waiting for a phone: `SCardGetStatusChange` over the readers and the
//! `\\?PnP?\Notification` pseudo-reader.

use std::ffi::CString;
use std::time::{Duration, Instant};

use super::NfcContext;
use crate::nfc_session::{CANCEL_GRANULARITY, CancelToken, NfcError};

/// Longest single `SCardGetStatusChange` wait, so that cancellation and
/// new readers are noticed.
const SLICE: Duration = CANCEL_GRANULARITY.saturating_mul(5);

/// What the wait has seen, for the error at the deadline.
#[derive(Default)]
struct Seen {
    any_reader: bool,
    matching_reader: bool,
}

/// Waits until a card is present on a reader matching `filter`.
pub(super) fn wait_for_phone(
    ctx: &NfcContext,
    filter: Option<&str>,
    deadline: Instant,
    cancel: &CancelToken,
) -> Result<String, NfcError> {
    let mut seen = Seen::default();
    let mut states = vec![pcsc::ReaderState::new(
        pcsc::PNP_NOTIFICATION(),
        pcsc::State::UNAWARE,
    )];
    loop {
        if cancel.is_cancelled() {
            return Err(NfcError::Cancelled);
        }
        refresh(ctx, filter, &mut states, &mut seen)?;
        let now = Instant::now();
        if now >= deadline {
            return Err(match (seen.any_reader, seen.matching_reader, filter) {
                (false, _, _) => NfcError::NoReader,
                (true, false, Some(name)) => NfcError::ReaderNotFound(name.to_owned()),
                _ => NfcError::Timeout,
            });
        }
        match ctx.status_change((deadline - now).min(SLICE), &mut states) {
            Ok(_) => {}
            // A reader vanished between the listing and the wait.
            Err(NfcError::Pcsc {
                source: pcsc::Error::UnknownReader | pcsc::Error::ReaderUnavailable,
                ..
            }) => {
                states.truncate(1);
                continue;
            }
            Err(other) => return Err(other),
        }
        let ready = states.iter().skip(1).find(|rs| {
            let event = rs.event_state();
            event.contains(pcsc::State::PRESENT)
                && !event.intersects(pcsc::State::MUTE | pcsc::State::EXCLUSIVE)
        });
        if let Some(rs) = ready {
            return Ok(rs.name().to_string_lossy().into_owned());
        }
        for rs in &mut states {
            rs.sync_current_state();
        }
    }
}

/// Re-lists the readers: drops vanished ones, adds new ones (state
/// unknown to us, so the next wait reports their state at once).
fn refresh(
    ctx: &NfcContext,
    filter: Option<&str>,
    states: &mut Vec<pcsc::ReaderState>,
    seen: &mut Seen,
) -> Result<(), NfcError> {
    let names = ctx.reader_names()?;
    seen.any_reader |= !names.is_empty();
    let wanted: Vec<CString> = names
        .into_iter()
        .filter(|name| filter.is_none_or(|f| name.to_string_lossy().contains(f)))
        .collect();
    seen.matching_reader |= !wanted.is_empty();
    let mut index = 0_usize;
    states.retain(|rs| {
        index += 1;
        index == 1
            || (wanted.iter().any(|w| w.as_c_str() == rs.name())
                && !rs
                    .event_state()
                    .intersects(pcsc::State::UNKNOWN | pcsc::State::IGNORE))
    });
    for name in wanted {
        if !states.iter().any(|rs| rs.name() == name.as_c_str()) {
            states.push(pcsc::ReaderState::new(name, pcsc::State::UNAWARE));
        }
    }
    Ok(())
}
