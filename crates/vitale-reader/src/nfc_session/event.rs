//! [`NfcEvent`]: progress of a read, for the UI.

/// Progress of an NFC read, reported to the caller's callback so that the
/// UI can tell the patient what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NfcEvent {
    /// Waiting for a phone on the reader ("hold your phone against the
    /// reader"); sent again when a phone left to be unlocked.
    WaitingForPhone,
    /// A phone (contactless card) was detected on this reader.
    PhoneDetected {
        /// The PC/SC reader name.
        reader: String,
    },
    /// The carte Vitale app answered "locked" (`69 82`): the patient must
    /// unlock it; the reader keeps polling. `attempt` counts the locked
    /// answers, from 1.
    AppLocked {
        /// Locked answers so far, from 1.
        attempt: u32,
    },
    /// The app is selected and the presentation is being read ("do not
    /// move your phone").
    Reading,
    /// The presentation was read; the phone may be removed.
    Done,
}
