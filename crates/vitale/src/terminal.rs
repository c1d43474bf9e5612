//! The workstation's entry point: from whatever the reader produced to a
//! [`VerifiedCard`].

use std::path::Path;

use vitale_codec::model::Channel;
use vitale_codec::{TextKind, TokenText};
use vitale_reader::qr::{self, DecodedCode, LumaFrame, QrDecoder, QrError, QrStrategy};
use vitale_reader::wedge::{self, Repaired};
use vitale_verify::replay::ReplayCache;
use vitale_verify::token::TokenVerifier;
use vitale_verify::{VerifiedCard, Verifier};

use crate::Error;

/// One QR code found in an image or frame, and what verifying it gave.
#[derive(Debug)]
pub struct ScannedCode {
    content: Vec<u8>,
    outcome: Result<VerifiedCard, Error>,
}

impl ScannedCode {
    /// The code's raw content.
    pub fn content(&self) -> &[u8] {
        &self.content
    }

    /// The content as text, when it is UTF-8.
    pub fn text(&self) -> Option<&str> {
        core::str::from_utf8(&self.content).ok()
    }

    /// The verified card, or why this code was not accepted.
    pub fn outcome(&self) -> &Result<VerifiedCard, Error> {
        &self.outcome
    }

    /// Takes the outcome.
    pub fn into_outcome(self) -> Result<VerifiedCard, Error> {
        self.outcome
    }
}

/// A card read from a keyboard-wedge scanner line.
#[derive(Debug)]
pub struct ScannedLine {
    /// The verified card.
    pub card: VerifiedCard,
    /// What the line needed: [`Repaired::was_intact`] when nothing;
    /// otherwise the scanner/desktop layout mismatch or Caps Lock, with
    /// [`Repaired::advice`] to show the operator so that the scanner gets
    /// reconfigured.
    pub repair: Repaired,
}

/// A card read over NFC, with how it was read.
#[cfg(feature = "pcsc")]
#[derive(Debug)]
pub struct NfcCard {
    /// The verified card.
    pub card: VerifiedCard,
    /// The reader the phone was on.
    pub reader: String,
    /// Command APDUs exchanged.
    pub round_trips: u32,
    /// Whether extended-length APDUs were used.
    pub extended: bool,
}

/// How a [`Terminal`] reads QR codes.
enum QrReading {
    /// Passes until a code verifies.
    Strategy(QrStrategy),
    /// Every code of the frame, then verified in order.
    Decoder(Box<dyn QrDecoder>),
}

impl QrReading {
    fn name(&self) -> &'static str {
        match self {
            QrReading::Strategy(s) => s.name(),
            QrReading::Decoder(d) => d.name(),
        }
    }
}

/// A workstation: a [`Verifier`] for the `open` profile, optionally a
/// [`TokenVerifier`] for the `token` profile, and a QR decoder (the
/// default decoder, or the decoding strategy [`QrStrategy`], whose passes
/// stop at the first code that verifies).
///
/// Every text it reads is routed by what it is (`docs/format.md` §7.1): a
/// `VT1:`/`VT1B:` text goes to the offline verifier, a token text to the
/// token verifier — or fails with [`Error::NoTokenVerifier`] when none is
/// configured — and anything else is [`Error::NotAPresentation`].
///
/// ```
/// use vitale::Terminal;
/// use vitale::verify::Verifier;
///
/// fn read_photo(verifier: Verifier) -> Result<(), vitale::Error> {
///     let terminal = Terminal::new(verifier);
///     let card = terminal.read_card_from_image_file("photo.png".as_ref())?;
///     println!("{} beneficiaries", card.beneficiaries().len());
///     Ok(())
/// }
/// ```
pub struct Terminal {
    verifier: Verifier,
    token: Option<TokenVerifier>,
    qr: QrReading,
}

impl core::fmt::Debug for Terminal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Terminal")
            .field("verifier", &self.verifier)
            .field("token", &self.token)
            .field("decoder", &self.qr.name())
            .finish()
    }
}

impl Terminal {
    /// A terminal with the default QR decoding strategy
    /// ([`vitale_reader::qr::default_strategy`]: it reads dark-mode codes,
    /// and its passes stop at the first code that verifies);
    /// [`Terminal::with_qr_strategy`] sets another one (a time budget for
    /// camera frames), [`Terminal::with_qr_decoder`] a plain decoder.
    pub fn new(verifier: Verifier) -> Self {
        Terminal {
            verifier,
            token: None,
            qr: QrReading::Strategy(qr::default_strategy()),
        }
    }

    /// Adds a token verifier: token texts (`token` profile) are then
    /// verified online through its context service.
    pub fn with_token_verifier(mut self, token: TokenVerifier) -> Self {
        self.token = Some(token);
        self
    }

    /// Replaces the replay cache of the `open` profile's verifier: a
    /// durable one (SQLite: a presentation accepted before a restart is
    /// still refused) or one shared by the site's workstations
    /// (PostgreSQL). With the features `sqlite` or `postgres`,
    /// [`Terminal::with_replay_store`] opens one from a location text.
    pub fn with_replay_cache(self, cache: impl ReplayCache + 'static) -> Self {
        Terminal {
            verifier: self.verifier.with_replay_cache(cache),
            token: self.token,
            qr: self.qr,
        }
    }

    /// The token verifier, if one is configured.
    pub fn token_verifier(&self) -> Option<&TokenVerifier> {
        self.token.as_ref()
    }

    /// Replaces the QR decoder by a plain [`QrDecoder`]: it decodes every
    /// code of a frame, then the codes are verified in order until one
    /// verifies.
    pub fn with_qr_decoder(mut self, decoder: Box<dyn QrDecoder>) -> Self {
        self.qr = QrReading::Decoder(decoder);
        self
    }

    /// Replaces the QR decoder by a decoding strategy (its passes, time
    /// budget and pre-scan): its passes stop at the first code that
    /// verifies. For camera frames, give it a budget
    /// ([`QrStrategy::with_budget`]).
    pub fn with_qr_strategy(mut self, strategy: QrStrategy) -> Self {
        self.qr = QrReading::Strategy(strategy);
        self
    }

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// The verifier, to install a newer trust list.
    pub fn verifier_mut(&mut self) -> &mut Verifier {
        &mut self.verifier
    }

    /// The QR decoder's name (`"strategy"` by default and with
    /// [`Terminal::with_qr_strategy`], the backend's with
    /// [`Terminal::with_qr_decoder`], e.g. `"rxing"`).
    pub fn qr_decoder_name(&self) -> &'static str {
        self.qr.name()
    }

    /// Verifies a text read from a QR code: a presentation's text form
    /// (`VT1:` or `VT1B:`) offline, or a token through the token verifier.
    ///
    /// A leading UTF-8 byte-order mark and a trailing line ending (a text
    /// pasted from a Windows file) are not part of the text; an empty text
    /// is [`Error::EmptyInput`].
    pub fn verify_text(&self, text: &str) -> Result<VerifiedCard, Error> {
        self.verify_text_from(text, Channel::Qr)
    }

    /// As [`Terminal::verify_text`], for a text that came over `channel`
    /// (a token answered over NFC, for instance).
    pub fn verify_text_from(&self, text: &str, channel: Channel) -> Result<VerifiedCard, Error> {
        let text = clean_text(text).ok_or(Error::EmptyInput {
            what: "presentation text",
        })?;
        match TextKind::of(text)? {
            TextKind::Open => Ok(self.verifier.verify_text(text)?),
            TextKind::Token(token) => self.verify_token(&token, channel),
            _ => Err(Error::NotAPresentation),
        }
    }

    /// Verifies a token online (`token` profile).
    pub fn verify_token(&self, token: &TokenText, channel: Channel) -> Result<VerifiedCard, Error> {
        let verifier = self.token.as_ref().ok_or(Error::NoTokenVerifier)?;
        Ok(verifier.verify(token, channel)?)
    }

    /// Verifies a line typed by a keyboard-wedge scanner, repairing a
    /// QWERTY/AZERTY layout mismatch or Caps Lock
    /// ([`wedge::repair_scanned_text`]): a presentation text that decodes,
    /// else a token text.
    pub fn verify_scanner_line(&self, line: &str) -> Result<ScannedLine, Error> {
        let line = clean_text(line).ok_or(Error::EmptyInput {
            what: "scanner line",
        })?;
        let repaired = wedge::repair_scanned_text(line).ok_or(Error::NotAPresentation)?;
        if !repaired.was_intact() {
            // Which repair, never the text.
            tracing::info!(
                caps_lock = repaired.caps_lock,
                scanner = repaired.mismatch.map(|(s, _)| s.name()),
                desktop = repaired.mismatch.map(|(_, d)| d.name()),
                "scanner line repaired"
            );
        }
        let card = self.verify_text(&repaired.text)?;
        Ok(ScannedLine {
            card,
            repair: repaired,
        })
    }

    /// Waits for a phone on a PC/SC reader, reads its presentation under a
    /// fresh random challenge and verifies it (feature `pcsc`).
    ///
    /// `on_event` reports progress (waiting, phone detected, *app locked:
    /// ask the patient to unlock it*, reading, done) so that the UI can
    /// tell the patient what to do; `options.cancel` stops the wait from
    /// another thread.
    #[cfg(feature = "pcsc")]
    pub fn read_nfc(
        &self,
        context: &vitale_reader::nfc::NfcContext,
        options: &vitale_reader::nfc::ReadOptions,
        on_event: impl FnMut(vitale_reader::nfc::NfcEvent),
    ) -> Result<NfcCard, Error> {
        let mut on_event = on_event;
        let read = vitale_reader::nfc::read_presentation(context, options, |event| {
            tracing::info!(event = ?event, "nfc");
            on_event(event);
        })
        .inspect_err(|e| tracing::info!(kind = crate::nfc_kind(e), "nfc read failed"))
        .map_err(vitale_reader::Error::from)?;
        tracing::info!(
            round_trips = read.round_trips,
            extended = read.extended,
            "nfc presentation read"
        );
        let card = self
            .verifier
            .verify_nfc(&read.presentation, &read.challenge)?;
        Ok(NfcCard {
            card,
            reader: read.reader,
            round_trips: read.round_trips,
            extended: read.extended,
        })
    }

    /// Reads the QR codes of a grey frame and verifies them, in the order
    /// found, until one verifies: the codes returned are those verified,
    /// each with its outcome (the one that verified last). A code is
    /// verified once (a presentation's replay-cache entry is taken once);
    /// codes after the one that verified are not verified. With the
    /// strategy, the passes stop there too.
    ///
    /// # Errors
    ///
    /// The decoder's when no code was read ([`QrError::CodeUnreadable`]
    /// when one was seen but could not be read). A code that does not
    /// verify is no error here: its outcome says why.
    pub fn scan_frame(&self, frame: &LumaFrame<'_>) -> Result<Vec<ScannedCode>, Error> {
        let decoder = self.qr.name();
        let log = |e: &vitale_reader::Error| {
            tracing::info!(decoder, kind = crate::reader_kind(e), "qr decoding failed");
        };
        let mut scanned = Vec::new();
        let read = match &self.qr {
            QrReading::Strategy(strategy) => {
                let scan = strategy
                    .scan(frame, &mut |code| {
                        let code = self.verify_code(code);
                        let verified = code.outcome.is_ok();
                        scanned.push(code);
                        verified
                    })
                    .inspect_err(log)?;
                if scan.codes.is_empty() && scan.unreadable {
                    let e = QrError::CodeUnreadable { decoder }.into();
                    log(&e);
                    return Err(e.into());
                }
                tracing::debug!(
                    decoder,
                    passes = scan.passes_run,
                    end = ?scan.end,
                    elapsed_us = u64::try_from(scan.elapsed.as_micros()).unwrap_or(u64::MAX),
                    "qr strategy"
                );
                scan.codes.len()
            }
            QrReading::Decoder(d) => {
                let codes = d.decode(frame).inspect_err(log)?;
                for code in &codes {
                    let code = self.verify_code(code);
                    let verified = code.outcome.is_ok();
                    scanned.push(code);
                    if verified {
                        break;
                    }
                }
                codes.len()
            }
        };
        if read == 0 {
            tracing::info!(
                decoder,
                width = frame.width(),
                height = frame.height(),
                "no qr code found"
            );
        } else {
            tracing::info!(decoder, codes = read, "qr code found");
        }
        Ok(scanned)
    }

    /// Verifies one decoded code.
    fn verify_code(&self, code: &DecodedCode) -> ScannedCode {
        let outcome = match code.text() {
            Some(text) => self.verify_text(text),
            None => Err(Error::NotAPresentation),
        };
        ScannedCode {
            content: code.content.clone(),
            outcome,
        }
    }

    /// Reads the QR codes of an image (PNG, JPEG, WebP) and verifies them
    /// until one verifies, as [`Terminal::scan_frame`].
    pub fn scan_image(&self, bytes: &[u8]) -> Result<Vec<ScannedCode>, Error> {
        if bytes.is_empty() {
            return Err(Error::EmptyInput { what: "image" });
        }
        let image = qr::load_image(bytes).inspect_err(log_image_error)?;
        self.scan_frame(&image.as_frame())
    }

    /// As [`Terminal::scan_image`], from a file.
    pub fn scan_image_file(&self, path: &Path) -> Result<Vec<ScannedCode>, Error> {
        if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
            return Err(Error::EmptyInput { what: "image" });
        }
        let image = qr::load_image_file(path).inspect_err(log_image_error)?;
        self.scan_frame(&image.as_frame())
    }

    /// The card shown in an image: the first code that verifies; otherwise
    /// the first code's error, or [`Error::NoCode`] when there is none.
    pub fn read_card_from_image(&self, bytes: &[u8]) -> Result<VerifiedCard, Error> {
        first_card(self.scan_image(bytes)?)
    }

    /// As [`Terminal::read_card_from_image`], from a file.
    pub fn read_card_from_image_file(&self, path: &Path) -> Result<VerifiedCard, Error> {
        first_card(self.scan_image_file(path)?)
    }
}

fn log_image_error(e: &vitale_reader::Error) {
    tracing::info!(kind = crate::reader_kind(e), "image not read");
}

/// The text without a leading byte-order mark and a trailing line ending;
/// `None` when nothing is left.
fn clean_text(text: &str) -> Option<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.trim_end_matches(['\r', '\n']);
    (!text.is_empty()).then_some(text)
}

fn first_card(codes: Vec<ScannedCode>) -> Result<VerifiedCard, Error> {
    let mut first_error = None;
    for code in codes {
        match code.outcome {
            Ok(card) => return Ok(card),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(Error::NoCode))
}
