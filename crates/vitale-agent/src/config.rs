//! The agent's configuration: one TOML file (`docs/agent.md`), or the
//! simulator defaults when there is none.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use vitale::billing::json::PracticeJson;

use crate::Error;

/// The default port (`vitale agent` without `--port`).
pub const DEFAULT_PORT: u16 = 7817;

/// Largest configuration file read.
pub const MAX_CONFIG_BYTES: u64 = 64 * 1024;

/// The agent's configuration.
///
/// ```
/// let config = vitale_agent::Config::from_toml(r#"
///     port = 0
///     simulator = true
///     allowed_origins = ["https://billing.example"]
/// "#)?;
/// assert_eq!(config.port, 0);
/// # Ok::<(), vitale_agent::Error>(())
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Config {
    /// Run on the embedded simulated insurer (feature `simulator`): no
    /// other file needed. The default when no configuration file exists.
    #[serde(default)]
    pub simulator: bool,
    /// The addresses to listen on: loopback only (`127.0.0.1`, `::1`);
    /// any other address is refused at start. Default: both (`::1` when
    /// the system has IPv6).
    #[serde(default = "default_listen")]
    pub listen: Vec<IpAddr>,
    /// The port (`0`: any free port, see [`crate::RunningAgent::addr`]).
    #[serde(default = "default_port")]
    pub port: u16,
    /// The directory of the pairing token file (`agent-token`, mode 0600)
    /// and, in simulator mode, of nothing else. Default: the user's
    /// configuration directory (`$XDG_CONFIG_HOME/vitale`,
    /// `~/.config/vitale`, `%APPDATA%\vitale`).
    #[serde(default)]
    pub config_dir: Option<PathBuf>,
    /// The trust list file (CBOR or JSON), checked against the pinned root.
    #[serde(default)]
    pub trust_list_file: Option<PathBuf>,
    /// The pinned root key (SubjectPublicKeyInfo DER).
    #[serde(default)]
    pub pinned_root_file: Option<PathBuf>,
    /// The durable state (replay cache and invoice numbers):
    /// `sqlite:PATH`. Default: in memory (a restart forgets the nonces
    /// seen: fine for the simulator, not for production).
    #[serde(default)]
    pub state: Option<String>,
    /// The rights service (ADRi) over the reference HTTPS binding.
    #[serde(default)]
    pub rights: Option<RightsServiceConfig>,
    /// The practice (*cabinet*), the C ABI's shape
    /// (`vitale::billing::json::PracticeJson`).
    #[serde(default)]
    pub practice: Option<PracticeJson>,
    /// The professional's private key file (64 hex digits): signs the care
    /// sheets of cards read offline.
    #[serde(default)]
    pub sheet_key_file: Option<PathBuf>,
    /// Web origins besides the agent's own allowed to call the API
    /// (`https://billing.example`), compared exactly.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// Where `POST /v1/nfc/read` reads phones: `"simulator"` (the
    /// simulator's in-process phone) or `"pcsc"` (NFC readers through
    /// PC/SC, feature `pcsc`). Default: the simulator's phone in simulator
    /// mode, PC/SC otherwise.
    #[serde(default)]
    pub nfc: Option<NfcSource>,
    /// The PC/SC reader to use when a read names none (a name it equals or
    /// contains, e.g. `"ACR122"`). Default: the first reader a phone is
    /// presented to.
    #[serde(default)]
    pub nfc_reader: Option<String>,
    /// Request limits.
    #[serde(default)]
    pub limits: Limits,
}

/// Where the agent reads phones by NFC (`nfc = "..."`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum NfcSource {
    /// The simulator's in-process phone (simulator mode only): no reader.
    Simulator,
    /// Contactless readers through PC/SC (pcsc-lite, WinSCard); needs the
    /// agent built with the `pcsc` feature.
    Pcsc,
}

/// The rights service's address and pinned CA.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RightsServiceConfig {
    /// The base URL (`https://rights.example/v1/`).
    pub url: String,
    /// The CA certificate(s) to pin, PEM file.
    pub ca_pem_file: PathBuf,
}

/// Request limits (`[limits]`).
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Limits {
    /// Largest JSON body, bytes (default 64 KiB).
    pub max_json_bytes: usize,
    /// Largest image or frame body, bytes (default 8 MiB).
    pub max_image_bytes: usize,
    /// Requests per second a client may make on average (default 20).
    pub rate_per_second: u32,
    /// Requests a client may make in a burst (default 60).
    pub burst: u32,
    /// How long a card read stays referenced by its id, seconds (default
    /// 900: 15 minutes).
    pub card_ttl_secs: u64,
    /// Most cards held at once (default 256; the oldest goes first).
    pub max_cards: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_json_bytes: 64 * 1024,
            max_image_bytes: 8 * 1024 * 1024,
            rate_per_second: 20,
            burst: 60,
            card_ttl_secs: 900,
            max_cards: 256,
        }
    }
}

fn default_listen() -> Vec<IpAddr> {
    vec![
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
    ]
}

fn default_port() -> u16 {
    DEFAULT_PORT
}

impl Config {
    /// The simulator defaults: embedded simulated insurer, loopback, port
    /// 7817, no other origin allowed.
    pub fn simulator() -> Self {
        Config {
            simulator: true,
            listen: default_listen(),
            port: DEFAULT_PORT,
            config_dir: None,
            trust_list_file: None,
            pinned_root_file: None,
            state: None,
            rights: None,
            practice: None,
            sheet_key_file: None,
            allowed_origins: Vec::new(),
            nfc: None,
            nfc_reader: None,
            limits: Limits::default(),
        }
    }

    /// Reads a configuration's TOML text.
    ///
    /// # Errors
    /// [`Error::Config`] for a text longer than [`MAX_CONFIG_BYTES`], not
    /// TOML, with an unknown key or an invalid value;
    /// [`Error::NotLoopback`] for a `listen` address that is not loopback.
    pub fn from_toml(text: &str) -> Result<Self, Error> {
        if text.len() as u64 > MAX_CONFIG_BYTES {
            return Err(Error::Config(format!(
                "longer than {MAX_CONFIG_BYTES} bytes"
            )));
        }
        let config: Config = toml::from_str(text).map_err(|e| Error::Config(e.to_string()))?;
        config.check()?;
        Ok(config)
    }

    /// Reads the configuration file at `path`.
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be read; as [`Config::from_toml`].
    pub fn load(path: &Path) -> Result<Self, Error> {
        use std::io::Read as _;
        let context = || format!("cannot read the configuration {}", path.display());
        let file = std::fs::File::open(path).map_err(|e| Error::io(context(), e))?;
        let mut text = String::new();
        file.take(MAX_CONFIG_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| Error::io(context(), e))?;
        Config::from_toml(&text)
    }

    /// Checks what serde cannot: loopback addresses, origins, limits.
    ///
    /// # Errors
    /// [`Error::NotLoopback`], [`Error::Config`].
    pub fn check(&self) -> Result<(), Error> {
        if self.listen.is_empty() {
            return Err(Error::Config("listen: at least one address".into()));
        }
        for ip in &self.listen {
            if !ip.is_loopback() || !is_plain_loopback(*ip) {
                return Err(Error::NotLoopback(*ip));
            }
        }
        for origin in &self.allowed_origins {
            if !is_origin(origin) {
                return Err(Error::Config(format!(
                    "allowed_origins: {origin:?} is not an origin (scheme://host[:port], no path)"
                )));
            }
        }
        if self.nfc == Some(NfcSource::Simulator) && !self.simulator {
            return Err(Error::Config(
                "nfc = \"simulator\" needs simulator = true".into(),
            ));
        }
        if self
            .nfc_reader
            .as_ref()
            .is_some_and(|r| r.is_empty() || r.len() > 256)
        {
            return Err(Error::Config("nfc_reader: 1 to 256 bytes".into()));
        }
        let l = &self.limits;
        if l.rate_per_second == 0 || l.burst == 0 || l.max_cards == 0 || l.card_ttl_secs == 0 {
            return Err(Error::Config(
                "limits: rate_per_second, burst, max_cards and card_ttl_secs above 0".into(),
            ));
        }
        if l.max_json_bytes < 1024 || l.max_image_bytes < 1024 {
            return Err(Error::Config(
                "limits: max_json_bytes and max_image_bytes at least 1024".into(),
            ));
        }
        Ok(())
    }

    /// Where NFC reads go: [`Config::nfc`], else the simulator's phone in
    /// simulator mode and PC/SC otherwise.
    pub fn nfc_source(&self) -> NfcSource {
        match self.nfc {
            Some(source) => source,
            None if self.simulator => NfcSource::Simulator,
            None => NfcSource::Pcsc,
        }
    }

    /// The configuration directory: [`Config::config_dir`], else the
    /// user's.
    ///
    /// # Errors
    /// [`Error::Config`] when no home or configuration directory is known.
    pub fn resolved_config_dir(&self) -> Result<PathBuf, Error> {
        if let Some(dir) = &self.config_dir {
            return Ok(dir.clone());
        }
        user_config_dir()
            .map(|d| d.join("vitale"))
            .ok_or_else(|| Error::Config("no configuration directory: set config_dir".into()))
    }
}

/// Only 127.0.0.1 and ::1: the Host check names those two (an agent on
/// 127.0.0.2 would refuse its own page).
fn is_plain_loopback(ip: IpAddr) -> bool {
    ip == IpAddr::V4(Ipv4Addr::LOCALHOST) || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
}

/// `scheme://host[:port]`, lower-case scheme, no path, query or user.
fn is_origin(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && rest.len() <= 253
        && !rest.contains(['/', '?', '#', '@', ' '])
}

/// The user's configuration directory, from the environment.
fn user_config_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return var("APPDATA");
    }
    var("XDG_CONFIG_HOME").or_else(|| var("HOME").map(|h| h.join(".config")))
}

#[cfg(test)]
mod tests;
