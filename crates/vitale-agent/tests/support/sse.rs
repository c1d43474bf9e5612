//! A server-sent events client for the tests, raw over a `TcpStream`:
//! the request as `EventSource` sends it, the head checked, the chunked
//! body decoded as it comes and cut into `event:`/`data:` messages.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use vitale_agent::RunningAgent;

/// Upper bound on any one event, against hangs.
pub const EVENT_LIMIT: Duration = Duration::from_secs(30);

/// One server-sent event.
#[derive(Debug)]
pub struct Event {
    pub name: String,
    pub data: serde_json::Value,
}

/// A `GET /v1/nfc/events` stream read as it comes, raw: the head, then the
/// chunked body decoded and cut into events.
pub struct Events {
    /// The job whose events these are.
    job: String,
    stream: TcpStream,
    /// Body bytes received, still chunk-framed.
    raw: Vec<u8>,
    /// Decoded text not yet cut into events.
    text: String,
    ended: bool,
}

impl Events {
    /// Opens the stream as `EventSource` does: no header but Host, the
    /// token in the query.
    pub fn open(agent: &RunningAgent, job: &str) -> Events {
        let mut stream = TcpStream::connect(agent.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let request = format!(
            "GET /v1/nfc/events?job={job}&token={} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept: text/event-stream\r\n\r\n",
            agent.pairing_token(),
            agent.addr().port()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut events = Events {
            job: job.to_owned(),
            stream,
            raw: Vec::new(),
            text: String::new(),
            ended: false,
        };
        let deadline = Instant::now() + EVENT_LIMIT;
        let head_end = loop {
            if let Some(i) = events.raw.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            assert!(events.receive(deadline), "no head");
        };
        let head = String::from_utf8(events.raw[..head_end].to_vec()).unwrap();
        events.raw.drain(..head_end + 4);
        let lower = head.to_ascii_lowercase();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(lower.contains("content-type: text/event-stream"), "{head}");
        assert!(lower.contains("transfer-encoding: chunked"), "{head}");
        events
    }

    /// The job whose events these are.
    pub fn job(&self) -> &str {
        &self.job
    }

    /// Reads more bytes; `false` at the end of the stream.
    fn receive(&mut self, deadline: Instant) -> bool {
        let mut buf = [0u8; 4096];
        loop {
            assert!(Instant::now() < deadline, "no event within {EVENT_LIMIT:?}");
            match self.stream.read(&mut buf) {
                Ok(0) => return false,
                Ok(n) => {
                    self.raw.extend_from_slice(&buf[..n]);
                    return true;
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("events stream: {e}"),
            }
        }
    }

    /// Moves the whole chunks received into `text`.
    fn dechunk(&mut self) {
        while let Some(line_end) = self.raw.windows(2).position(|w| w == b"\r\n") {
            let size_text = String::from_utf8_lossy(&self.raw[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.trim(), 16)
                .unwrap_or_else(|_| panic!("bad chunk size {size_text:?}"));
            if size == 0 {
                self.ended = true;
                self.raw.clear();
                return;
            }
            let start = line_end + 2;
            if self.raw.len() < start + size + 2 {
                return;
            }
            assert_eq!(&self.raw[start + size..start + size + 2], b"\r\n");
            self.text
                .push_str(std::str::from_utf8(&self.raw[start..start + size]).unwrap());
            self.raw.drain(..start + size + 2);
        }
    }

    /// The next event (comments such as keep-alives skipped), or `None`
    /// when the stream ended.
    pub fn next(&mut self) -> Option<Event> {
        let deadline = Instant::now() + EVENT_LIMIT;
        loop {
            self.dechunk();
            while let Some(end) = self.text.find("\n\n") {
                let message: String = self.text.drain(..end + 2).collect();
                let mut name = None;
                let mut data = None;
                for line in message.lines() {
                    if let Some(v) = line.strip_prefix("event: ") {
                        name = Some(v.to_owned());
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        data = Some(serde_json::from_str(v).unwrap());
                    } else {
                        assert!(line.is_empty() || line.starts_with(':'), "{line:?}");
                    }
                }
                if let Some(name) = name {
                    return Some(Event {
                        name,
                        data: data.unwrap_or_else(|| panic!("event {message:?} without data")),
                    });
                }
            }
            if self.ended || !self.receive(deadline) {
                assert!(self.text.trim().is_empty(), "{:?}", self.text);
                return None;
            }
        }
    }

    /// The next event, which must be `name`.
    pub fn expect(&mut self, name: &str) -> Event {
        let event = self.next().unwrap_or_else(|| panic!("ended before {name}"));
        assert_eq!(event.name, name, "{event:?}");
        event
    }

    /// The events up to the stream's end.
    pub fn rest(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.next()).collect()
    }
}

/// The events' names, in order.
pub fn names(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.name.as_str()).collect()
}
