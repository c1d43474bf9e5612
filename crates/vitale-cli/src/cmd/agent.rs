//! `vitale agent`: the local service for web-based billing software
//! (`docs/agent.md`).

use vitale_agent::{Agent, Config, PairingToken};

use super::output::Out;
use super::{Error, Status};
use crate::cli::AgentArgs;

/// The configuration file looked for in the configuration directory when
/// `--config` is not given.
const DEFAULT_FILE: &str = "agent.toml";

pub(crate) fn run(args: &AgentArgs, out: &mut Out) -> Result<Status, Error> {
    let mut config = match &args.config {
        Some(path) => Config::load(path).map_err(Error::Agent)?,
        None => {
            let dir = Config::simulator().resolved_config_dir().ok();
            match dir.map(|d| d.join(DEFAULT_FILE)).filter(|p| p.is_file()) {
                Some(path) => Config::load(&path).map_err(Error::Agent)?,
                None => Config::simulator(),
            }
        }
    };
    if args.simulator {
        config.simulator = true;
    }
    if let Some(port) = args.port {
        config.port = port;
    }
    if args.print_token {
        let dir = config.resolved_config_dir().map_err(Error::Agent)?;
        let token = PairingToken::load_or_create(&dir).map_err(Error::Agent)?;
        if out.json() {
            out.json_line(&serde_json::json!({"token": token.expose()}))?;
        } else {
            out.line(token.expose())?;
        }
        return Ok(Status::Ok);
    }
    let simulator = config.simulator;
    let agent = Agent::start(config).map_err(Error::Agent)?;
    let url = format!("http://{}/", agent.addr());
    if out.json() {
        out.json_line(&serde_json::json!({
            "url": url,
            "port": agent.addr().port(),
            "simulator": simulator,
        }))?;
    } else {
        out.line(&format!(
            "vitale agent listening on {url}{}",
            if simulator {
                " (simulator: test keys, sample people)"
            } else {
                ""
            }
        ))?;
    }
    // Serves until the process is stopped.
    agent.wait();
    Ok(Status::Ok)
}
