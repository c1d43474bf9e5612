//! The embedded simulated insurer (feature `simulator`): a trust list and
//! root, a household of three on a simulated phone, the rights service on
//! loopback HTTPS and a professional key — everything the page needs to be
//! tried with no file. Test keys and sample people only.

use std::sync::Arc;

use vitale::Terminal;
use vitale::adri::{BillingNumber, ProfessionalIdentity, SpecialtyCode};
use vitale::billing::Billing;
use vitale::codec::model::Timestamp;
use vitale::fse::Practice;
use vitale::fse::pricing::{Profession, Sector};
use vitale::fse::tariff::TariffZone;
use vitale::http::{BaseUrl, ClientConfig, HttpClient, HttpRightsService, PinnedCa};
use vitale::verify::{SoftwareSigner, TrustList, TrustStore, Verifier, default_backend};
use vitale_sim::online::{OnlineServer, ServerConfig};
use vitale_sim::render::{RenderOptions, render_qr};
use vitale_sim::{Scenario, Seed};

use crate::Error;

/// The simulator's seed: the same insurer and household on every start
/// (`vitale sim` and the tests can make presentations it accepts).
pub const SIMULATOR_SEED: u64 = 2026;

/// The simulated professional's billing number (*N° AM*).
pub const SIMULATOR_BILLING_NUMBER: &str = "991234567";

/// How long a simulated presentation is valid, seconds.
const PRESENTATION_SECS: u64 = 120;

/// The simulated insurer, phone and rights service.
pub(crate) struct Simulation {
    scenario: Scenario,
    // Kept running while the agent runs.
    _rights: OnlineServer,
}

fn sim_err(e: impl core::fmt::Display) -> Error {
    Error::Simulator(e.to_string())
}

pub(crate) fn now() -> Result<Timestamp, Error> {
    Timestamp::from_datetime(time::OffsetDateTime::now_utc())
        .ok_or_else(|| sim_err("clock out of range"))
}

impl Simulation {
    /// Starts the simulated insurer and its rights service, and the
    /// terminal and billing that trust them.
    pub(crate) fn start() -> Result<(Simulation, Terminal, Billing), Error> {
        let now = now()?;
        let scenario = Scenario::new(Seed::from_u64(SIMULATOR_SEED), 3, now).map_err(sim_err)?;
        let list = TrustList::from_cbor(
            &scenario.trust_list,
            &scenario.anchor,
            default_backend(),
            now,
        )
        .map_err(|e| Error::Vitale(e.into()))?;
        let terminal = Terminal::new(Verifier::new(TrustStore::new(
            scenario.anchor.clone(),
            list,
        )));
        let server = OnlineServer::start(ServerConfig::new(
            Seed::from_u64(SIMULATOR_SEED),
            vec![scenario.household.clone()],
        ))
        .map_err(sim_err)?;
        let professional = ProfessionalIdentity::new(
            BillingNumber::parse(SIMULATOR_BILLING_NUMBER).map_err(sim_err)?,
            SpecialtyCode::GENERAL_PRACTICE,
        );
        let client = HttpClient::new(ClientConfig::new(
            BaseUrl::parse(&server.url()).map_err(sim_err)?,
            PinnedCa::from_pem(server.ca_pem().as_bytes()).map_err(sim_err)?,
        ));
        let practice = Practice {
            identity: professional.clone(),
            profession: Profession::Physician,
            sector: Sector::One,
            zone: TariffZone::Metropole,
        };
        let sheet_key = SoftwareSigner::from_slice(&[0x42; 32]).map_err(sim_err)?;
        let receipt_key = scenario.issuer.issuer_key(0).map_err(sim_err)?.signer();
        let billing = Billing::new(
            practice,
            Arc::new(HttpRightsService::new(client, professional)),
            Arc::new(vitale::fse::numbering::MemoryInvoiceNumbers::new()),
        )
        .with_sheet_key(Arc::new(sheet_key))
        .with_receipt_key(receipt_key);
        Ok((
            Simulation {
                scenario,
                _rights: server,
            },
            terminal,
            billing,
        ))
    }

    /// A fresh QR presentation's text (`VT1:…`).
    pub(crate) fn line(&self) -> Result<String, Error> {
        self.scenario
            .phone
            .present_qr_text(now()?, PRESENTATION_SECS)
            .map_err(sim_err)
    }

    /// A fresh QR presentation drawn as a PNG.
    pub(crate) fn png(&self) -> Result<Vec<u8>, Error> {
        let text = self.line()?;
        render_qr(&text, &RenderOptions::default())
            .map_err(sim_err)?
            .to_png()
            .map_err(sim_err)
    }

    /// The phone's answer to an NFC reader's challenge.
    pub(crate) fn nfc(&self, challenge: &[u8]) -> Result<Vec<u8>, Error> {
        self.scenario
            .phone
            .present_nfc(challenge, now()?, PRESENTATION_SECS)
            .map_err(sim_err)
    }
}
