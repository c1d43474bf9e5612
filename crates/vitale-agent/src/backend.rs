//! What the agent serves with: the facade's terminal and billing, set up
//! from the configuration, or on the embedded simulated insurer.

use std::sync::Arc;

use vitale::Terminal;
use vitale::billing::Billing;

use crate::{Config, Error};

/// Largest key file read (a PEM key is far smaller; the parser has its own
/// limit too).
const MAX_KEY_FILE: u64 = 16 * 1024;

/// The terminal, the billing set-up (when configured) and the simulator.
pub(crate) struct Backend {
    pub(crate) terminal: Terminal,
    pub(crate) billing: Option<Billing>,
    #[cfg(feature = "simulator")]
    pub(crate) sim: Option<std::sync::Mutex<crate::sim::Simulation>>,
}

impl Backend {
    pub(crate) fn new(config: &Config) -> Result<Self, Error> {
        if config.simulator {
            #[cfg(feature = "simulator")]
            {
                let (sim, terminal, billing) = crate::sim::Simulation::start()?;
                return Ok(Backend {
                    terminal,
                    billing: Some(billing),
                    sim: Some(std::sync::Mutex::new(sim)),
                });
            }
            #[cfg(not(feature = "simulator"))]
            return Err(Error::Config(
                "simulator: this agent was built without the `simulator` feature".into(),
            ));
        }
        let (Some(list), Some(root)) = (&config.trust_list_file, &config.pinned_root_file) else {
            return Err(Error::Config(
                "trust_list_file and pinned_root_file are required outside the simulator".into(),
            ));
        };
        let mut terminal = Terminal::builder()
            .trust_list_file(list)
            .pinned_root_file(root)
            .build()?;
        let location = match &config.state {
            Some(text) => Some(
                text.parse::<vitale::store::StoreLocation>()
                    .map_err(|e| Error::Config(format!("state: {e}")))?,
            ),
            None => None,
        };
        if let Some(location) = &location {
            terminal = terminal.with_replay_store(location)?;
        }
        let billing = match (&config.practice, &config.rights, &config.sheet_key_file) {
            (Some(practice), Some(rights), Some(key)) => {
                let practice = practice
                    .practice()
                    .map_err(|e| Error::Config(e.to_string()))?;
                let service = rights_service(rights, practice.identity.clone())?;
                let numbers: Arc<dyn vitale::fse::InvoiceNumbers> = match &location {
                    Some(l) => Arc::from(l.open_invoice_numbers().map_err(vitale::Error::from)?),
                    None => Arc::new(vitale::fse::numbering::MemoryInvoiceNumbers::new()),
                };
                Some(
                    Billing::new(practice, Arc::new(service), numbers)
                        .with_sheet_key(Arc::new(key_file(key)?)),
                )
            }
            (None, None, None) => None,
            _ => {
                return Err(Error::Config(
                    "billing needs practice, rights and sheet_key_file together".into(),
                ));
            }
        };
        Ok(Backend {
            terminal,
            billing,
            #[cfg(feature = "simulator")]
            sim: None,
        })
    }

    /// Whether this is the simulator.
    pub(crate) fn is_simulator(&self) -> bool {
        #[cfg(feature = "simulator")]
        return self.sim.is_some();
        #[cfg(not(feature = "simulator"))]
        false
    }
}

fn rights_service(
    config: &crate::config::RightsServiceConfig,
    professional: vitale::adri::ProfessionalIdentity,
) -> Result<vitale::http::HttpRightsService, Error> {
    use vitale::http::{BaseUrl, ClientConfig, HttpClient, HttpRightsService, PinnedCa};
    let url = BaseUrl::parse(&config.url).map_err(|e| Error::Config(format!("rights.url: {e}")))?;
    let pem = read_limited(&config.ca_pem_file, 1 << 20)?;
    let ca =
        PinnedCa::from_pem(&pem).map_err(|e| Error::Config(format!("rights.ca_pem_file: {e}")))?;
    Ok(HttpRightsService::new(
        HttpClient::new(ClientConfig::new(url, ca)),
        professional,
    ))
}

/// The professional's key file: 64 hex digits, or PKCS#8 / SEC1 PEM
/// (the SDK's `vitale::verify::key_file`, as the CLI reads it).
fn key_file(path: &std::path::Path) -> Result<vitale::verify::SoftwareSigner, Error> {
    let bytes = read_limited(path, MAX_KEY_FILE)?;
    vitale::verify::key_file::parse_private_key(&bytes)
        .map_err(|e| Error::Config(format!("{}: {e}", path.display())))
}

fn read_limited(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, Error> {
    use std::io::Read as _;
    let context = || format!("cannot read {}", path.display());
    let file = std::fs::File::open(path).map_err(|e| Error::io(context(), e))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(context(), e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::Config(format!(
            "{} is larger than {limit} bytes",
            path.display()
        )));
    }
    Ok(bytes)
}
