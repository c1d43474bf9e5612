//! The billing half of a visit, shared by the `consultation` and `demo`
//! examples: rights over HTTPS from the simulated rights service, the care
//! sheet priced from the embedded tariffs, numbered in a SQLite file,
//! hashed and signed, and checked.
//!
//! Everything here is simulated: test keys, sample people, a rights service
//! on loopback. This is not a CNDA-approved FSE.

use vitale::adri::{
    BeneficiaryId, BillingNumber, CarePathway, ProfessionalIdentity, RightsQuery, RightsService,
    SpecialtyCode,
};
use vitale::fse::pricing::{ActLine, Pathway, Profession, Sector};
use vitale::fse::tariff::TariffZone;
use vitale::fse::{CareSheet, Practice, TariffTable, Visit};
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
    let today = time::OffsetDateTime::now_utc().date();
    let mut chosen = None;
    for verified in card.beneficiaries() {
        let beneficiary = verified.data();
        let query = RightsQuery::new(
            today,
            BeneficiaryId::ThroughInsured {
                insured_nir: card.insured().nir().clone(),
                birth_date: beneficiary.birth_date().clone(),
                birth_rank: beneficiary.birth_rank(),
            },
        )?;
        let rights = rights_service.rights(&query)?;
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

    // The care sheet: a consultation G by a general practitioner, sector 1.
    let practice = Practice {
        identity: professional,
        profession: Profession::Physician,
        sector: Sector::One,
        zone: TariffZone::Metropole,
    };
    let dir = std::env::temp_dir().join(format!("vitale-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let numbers = SqliteInvoiceNumbers::open(dir.join("invoice-numbers.sqlite"))?;
    let visit = Visit {
        date: today,
        pathway: if declared {
            Pathway::TreatingDoctor
        } else {
            Pathway::Outside
        },
        acts: vec![ActLine::new("G".parse()?)],
        offer_third_party: false,
    };
    let sheet = CareSheet::build(
        &practice,
        &TariffTable::embedded(),
        card,
        rank,
        &rights,
        &visit,
        &numbers,
    )?;
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

    // Hash and sign (two phases), then check the signature.
    let signer = SoftwareSigner::from_slice(&[0x42; 32])?;
    let to_sign = sheet.prepare();
    let digest = hex(to_sign.digest());
    let signed = to_sign.sign(&signer)?;
    signed.verify(signer.verifying_key(), default_backend())?;
    println!(
        "{}. Signed: SHA-256 {}…, ES256 signature checked; {} bytes of CBOR to store",
        step + 2,
        digest.get(..16).unwrap_or(""),
        signed.to_cbor().len()
    );
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
