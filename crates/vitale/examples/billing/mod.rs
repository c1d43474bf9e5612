//! The billing half of a visit, shared by the `consultation` and `demo`
//! examples: rights over HTTPS from the simulated rights service, the care
//! sheet priced from the embedded tariffs, numbered in a SQLite file,
//! hashed and signed, and checked, and the patient's receipt — through the
//! facade's one-call flow, `vitale::billing::Billing`.
//!
//! Everything here is simulated: test keys, sample people, a rights service
//! on loopback. This is not a CNDA-approved FSE.

use std::sync::Arc;

use vitale::adri::{BillingNumber, CarePathway, ProfessionalIdentity, SpecialtyCode};
use vitale::billing::{Billing, SharedSigner, VisitRequest};
use vitale::fse::Practice;
use vitale::fse::pricing::{ActLine, Pathway, Profession, Sector};
use vitale::fse::tariff::TariffZone;
use vitale::verify::{SoftwareSigner, VerifiedCard, default_backend};
use vitale_http::{BaseUrl, ClientConfig, HttpClient, HttpRightsService, PinnedCa};
use vitale_sim::online::{OnlineServer, ServerConfig};
use vitale_sim::{Household, Seed};
use vitale_store::SqliteInvoiceNumbers;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Bills a consultation (`G`) on `card`, whose household the simulator
/// derives from `seed`: for the first beneficiary whose rights declare a
/// *médecin traitant* (the general practitioner billing is taken to be
/// it), else for the first beneficiary, outside the *parcours de soins*.
pub(crate) fn bill_consultation(
    card: &VerifiedCard,
    seed: u64,
    household: &Household,
    receipt_key: SharedSigner,
    step: u32,
) -> Result<()> {
    // The rights service (ADRi), simulated on loopback over HTTPS.
    let server = OnlineServer::start(ServerConfig::new(
        Seed::from_u64(seed),
        vec![household.clone()],
    ))?;
    let professional = ProfessionalIdentity::new(
        BillingNumber::parse("991234567")?,
        SpecialtyCode::GENERAL_PRACTICE,
    );
    let client = HttpClient::new(ClientConfig::new(
        BaseUrl::parse(&server.url())?,
        PinnedCa::from_pem(server.ca_pem().as_bytes())?,
    ));
    let rights_service = HttpRightsService::new(client, professional.clone());

    // The billing set-up of the practice: a general practitioner, sector 1,
    // invoice numbers in a SQLite file, the professional's signing key and
    // a receipt key the trust list lists with the receipt usage.
    let practice = Practice {
        identity: professional,
        profession: Profession::Physician,
        sector: Sector::One,
        zone: TariffZone::Metropole,
    };
    let dir = std::env::temp_dir().join(format!("vitale-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let numbers = SqliteInvoiceNumbers::open(dir.join("invoice-numbers.sqlite"))?;
    let sheet_key = Arc::new(SoftwareSigner::from_slice(&[0x42; 32])?);
    let billing = Billing::new(practice, Arc::new(rights_service), Arc::new(numbers))
        .with_sheet_key(sheet_key.clone())
        .with_receipt_key(receipt_key);

    // Rights of the day for each beneficiary until one declares a médecin
    // traitant.
    let today = time::OffsetDateTime::now_utc().date();
    let mut chosen = None;
    for verified in card.beneficiaries() {
        let rights = billing.rights(card, verified.rank(), today)?;
        let declared = rights.on(today).care_pathway() == CarePathway::TreatingDoctorDeclared;
        if declared || chosen.is_none() {
            chosen = Some((verified.rank(), rights, declared));
        }
        if declared {
            break;
        }
    }
    let (rank, rights, declared) = chosen.ok_or("no beneficiary on the card")?;
    let on = rights.on(today);
    println!(
        "{step}. Rights (ADRi, simulated at {}) for beneficiary {}: AMO {}, médecin traitant {}",
        server.url(),
        rank.get(),
        if on.is_amo_open() { "open" } else { "closed" },
        if declared { "declared" } else { "not declared" },
    );

    // One call: rights, care sheet (a consultation G), number, hash,
    // signature, receipt.
    let visit = VisitRequest::new(rank, today, vec![ActLine::new("G".parse()?)]).with_pathway(
        if declared {
            Pathway::TreatingDoctor
        } else {
            Pathway::Outside
        },
    );
    let billed = billing.bill(card, &visit)?;
    let sheet = billed.sheet().sheet();
    let t = sheet.totals;
    println!(
        "{}. Care sheet n° {}: G {} €, AMO {} ({}) − participation {} = {} € reimbursed, AMC {} €, paid at the desk {} €",
        step + 1,
        sheet.number,
        t.fee,
        t.amo,
        sheet
            .lines
            .first()
            .map_or(String::new(), |l| vitale::fse::money::format_rate(
                l.amo_rate
            )),
        t.participation,
        t.amo_net,
        t.amc,
        t.paid_at_desk,
    );
    billed
        .sheet()
        .verify(sheet_key.verifying_key(), default_backend())?;
    println!(
        "{}. Signed: SHA-256 {}…, ES256 signature checked; {} bytes of CBOR to store",
        step + 2,
        hex(&billed.sheet().digest()).get(..16).unwrap_or(""),
        billed.sheet().to_cbor().len()
    );
    println!(
        "{}. Receipt for the patient ({} bytes signed, valid until {}):",
        step + 3,
        billed.signed_receipt().map_or(0, <[u8]>::len),
        billed.receipt().valid_until(),
    );
    for line in billed.receipt().to_text().lines() {
        println!("   {line}");
    }
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
