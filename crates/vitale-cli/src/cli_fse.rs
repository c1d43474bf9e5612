//! The command line of `vitale fse`: the care sheet (FSE-lite) from a card
//! read to a lot, each step its own command.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::cli::{ContextArgs, TrustArgs};

#[derive(Debug, Subcommand)]
pub(crate) enum FseCommand {
    /// Build and number the care sheet of a visit: verify the card (like
    /// `vitale verify`), ask the rights of the day, price the acts, take the
    /// next invoice number from --numbers and write the sheet's CBOR to
    /// --out. Not signed unless --key or --sign: sign it with `fse sign`.
    Build(Box<FseBuildArgs>),
    /// Sign a care sheet made by `fse build`: with the professional's key,
    /// through the context service (`token` profile), or in two phases
    /// (--digest-only here, the signature made elsewhere, then --signature).
    Sign(Box<FseSignArgs>),
    /// Check a signed care sheet's ES256 signature with the professional's
    /// public (or private) key.
    Verify(FseVerifyArgs),
    /// The patient's receipt of a signed sheet (text, or HTML), signed for
    /// the phone with a receipt key (--key, --out); or check a signed
    /// receipt against a trust list (--verify).
    Receipt(FseReceiptArgs),
    /// Group signed sheets into lots of at most 50 per professional, number
    /// them from --lot-numbers, write each lot's CBOR into --out-dir and
    /// print their manifests.
    Lot(FseLotArgs),
}

/// The *parcours de soins* of the visit, as the physician states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum PathwayArg {
    /// The physician is the patient's *médecin traitant*.
    TreatingDoctor,
    /// Referred by the *médecin traitant* (*adressé*).
    Referred,
    /// A specialty open without referral (*accès direct spécifique*).
    DirectAccess,
    /// An emergency.
    Emergency,
    /// Outside the pathway.
    Outside,
}

/// The kind of professional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ProfessionArg {
    /// A physician (*médecin*).
    Physician,
    /// An auxiliary (*auxiliaire médical*: nurse, physiotherapist…).
    Auxiliary,
}

/// The convention sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SectorArg {
    /// Sector 1 (no extra fee).
    #[value(name = "1")]
    One,
    /// Sector 2 under OPTAM / OPTAM-CO.
    #[value(name = "2-optam")]
    TwoOptam,
    /// Sector 2 without OPTAM.
    #[value(name = "2")]
    Two,
}

/// The tariff zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ZoneArg {
    /// Metropolitan France.
    Metro,
    /// The overseas departments (DROM).
    Dom,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("card").args(["trust", "context_service"]).multiple(true).required(true)))]
pub(crate) struct FseBuildArgs {
    /// The card read: a `VT1:`/`VT1B:` presentation (verified with
    /// --trust) or a token (through --context-service); `-` or absent:
    /// one line of stdin.
    #[arg(value_name = "TEXT")]
    pub(crate) text: Option<String>,
    /// Base URL of the rights service (ADRi, docs/online.md §3.5); its
    /// certificate must chain to --ca.
    #[arg(long, value_name = "URL")]
    pub(crate) service: String,
    /// The beneficiary's rank on the card (*rang*).
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u8).range(1..=16))]
    pub(crate) rank: u8,
    /// An act: `G`, `AMI 1.5`, `DEQP003-1-0+F`, optionally followed by
    /// `:extra=EUROS` (extra fee) and `:scope=general|ald|atmp` (what the
    /// care relates to). Repeat for several acts.
    #[arg(long = "act", value_name = "ACT", required = true)]
    pub(crate) acts: Vec<String>,
    /// Date of care, YYYY-MM-DD (default: the day of --at, or today, UTC).
    #[arg(long, value_name = "DATE")]
    pub(crate) date: Option<String>,
    /// The *parcours de soins* (default: derived from the rights: the
    /// treating doctor when the rights name this --rpps, else outside).
    #[arg(long, value_enum, value_name = "PATHWAY")]
    pub(crate) pathway: Option<PathwayArg>,
    /// Offer third-party payment of the AMO share (*tiers payant*) even
    /// when the rights do not require it.
    #[arg(long)]
    pub(crate) third_party: bool,
    /// The kind of professional.
    #[arg(long, value_enum, default_value = "physician")]
    pub(crate) profession: ProfessionArg,
    /// The convention sector.
    #[arg(long, value_enum, default_value = "1")]
    pub(crate) sector: SectorArg,
    /// The tariff zone.
    #[arg(long, value_enum, default_value = "metro")]
    pub(crate) zone: ZoneArg,
    /// A tariff file replacing the embedded table (docs/fse.md).
    #[arg(long, value_name = "CSV")]
    pub(crate) tariffs: Option<PathBuf>,
    /// The invoice-number store (SQLite file, created if missing): the
    /// sheet takes the next number of --billing-number from it.
    #[arg(long, value_name = "PATH")]
    pub(crate) numbers: PathBuf,
    /// Where to write the sheet's CBOR (or, with --key or --sign, the
    /// signed sheet's); never overwritten.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
    /// Sign in the same call with the professional's key (64 hex digits,
    /// or PKCS#8 / SEC1 PEM) when the card was read offline.
    #[arg(long, value_name = "FILE")]
    pub(crate) key: Option<PathBuf>,
    /// Sign in the same call: with --key for a card read offline, through
    /// --context-service for a card read from a token.
    #[arg(long)]
    pub(crate) sign: bool,
    #[command(flatten)]
    pub(crate) trust: TrustArgs,
    #[command(flatten)]
    pub(crate) context: ContextArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("signer").required(true)
    .args(["key", "context_service", "signature", "digest_only"])))]
pub(crate) struct FseSignArgs {
    /// The care sheet made by `fse build` (CBOR).
    #[arg(long, value_name = "FILE")]
    pub(crate) sheet: PathBuf,
    /// Where to write the signed sheet (CBOR); never overwritten.
    #[arg(long, value_name = "FILE", required_unless_present = "digest_only")]
    pub(crate) out: Option<PathBuf>,
    /// The professional's P-256 key: 64 hex digits of the scalar, or
    /// PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`) PEM.
    #[arg(long, value_name = "FILE")]
    pub(crate) key: Option<PathBuf>,
    /// Phase one of a signature made elsewhere: print the SHA-256 of the
    /// sheet (the "hash of the FSE") and stop.
    #[arg(long)]
    pub(crate) digest_only: bool,
    /// Phase two: the ES256 signature `r ‖ s` (128 hex digits) made
    /// elsewhere over the digest that --digest-only printed; with
    /// --public-key.
    #[arg(long, value_name = "HEX", requires = "public_key")]
    pub(crate) signature: Option<String>,
    /// With --signature: the signer's public key (DER or PEM
    /// SubjectPublicKeyInfo); the signature is checked before anything is
    /// written, and the key's kid recorded.
    #[arg(long, value_name = "FILE", requires = "signature")]
    pub(crate) public_key: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) context: ContextArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("verifying_key").required(true).args(["public_key", "key"])))]
pub(crate) struct FseVerifyArgs {
    /// The signed care sheet (CBOR).
    #[arg(long, value_name = "FILE")]
    pub(crate) signed: PathBuf,
    /// The professional's public key (DER or PEM SubjectPublicKeyInfo).
    #[arg(long, value_name = "FILE")]
    pub(crate) public_key: Option<PathBuf>,
    /// The professional's private key (its public key is used).
    #[arg(long, value_name = "FILE")]
    pub(crate) key: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("receipt_input").required(true).args(["signed", "verify"])))]
pub(crate) struct FseReceiptArgs {
    /// The signed care sheet (CBOR) the receipt is made from.
    #[arg(long, value_name = "FILE", conflicts_with = "verify")]
    pub(crate) signed: Option<PathBuf>,
    /// Print the receipt as an HTML fragment instead of text.
    #[arg(long)]
    pub(crate) html: bool,
    /// Sign the receipt (COSE_Sign1) with this key, which the trust list
    /// must list with the receipt usage; with --out.
    #[arg(long, value_name = "FILE", requires = "out", requires = "signed")]
    pub(crate) key: Option<PathBuf>,
    /// Where to write the signed receipt; never overwritten.
    #[arg(long, value_name = "FILE", requires = "key")]
    pub(crate) out: Option<PathBuf>,
    /// Check a signed receipt against --trust (as the phone does) and
    /// print it.
    #[arg(long, value_name = "FILE", requires = "trust")]
    pub(crate) verify: Option<PathBuf>,
    /// --trust, --root, and --at: the receipt's signing time, or the time
    /// it is checked at (default now).
    #[command(flatten)]
    pub(crate) trust: TrustArgs,
}

#[derive(Debug, Args)]
pub(crate) struct FseLotArgs {
    /// The lot-number store (SQLite file of its own, created if missing).
    #[arg(long, value_name = "PATH")]
    pub(crate) lot_numbers: PathBuf,
    /// Directory the lots are written to (created if missing).
    #[arg(long, value_name = "DIR")]
    pub(crate) out_dir: PathBuf,
    /// Check every ES256 sheet against this public key (DER or PEM
    /// SubjectPublicKeyInfo) before grouping.
    #[arg(long, value_name = "FILE", conflicts_with = "key")]
    pub(crate) public_key: Option<PathBuf>,
    /// Check every ES256 sheet against this private key's public key.
    #[arg(long, value_name = "FILE")]
    pub(crate) key: Option<PathBuf>,
    /// The signed care sheets (CBOR files).
    #[arg(value_name = "SIGNED", required = true, num_args = 1..)]
    pub(crate) signed: Vec<PathBuf>,
}
