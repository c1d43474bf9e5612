//! A small, bounded HTTP/1.1 server side: one request per connection
//! (`Connection: close`), `Content-Length` bodies only. Small on purpose:
//! the faults (a body cut short, a reset) are written by hand.

use std::io::{self, Read, Write};

/// Largest request head (request line and headers).
pub(crate) const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Largest request body.
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;

/// A request as the service sees it.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) body: Vec<u8>,
}

/// Why a request could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The connection failed or closed (TLS failures included).
    Io(io::Error),
    /// Not a request this server reads: answer this status and close.
    Bad(u16, &'static str),
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// Reads one request within the limits.
pub(crate) fn read_request(stream: &mut impl Read) -> Result<Request, ReadError> {
    let mut head = Vec::with_capacity(1024);
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD_BYTES {
            return Err(ReadError::Bad(431, "request_head_too_large"));
        }
        if stream.read(&mut byte)? == 0 {
            return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()));
        }
        head.extend_from_slice(&byte);
    }
    let head = std::str::from_utf8(&head).map_err(|_| ReadError::Bad(400, "bad_request"))?;
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or_default().split(' ');
    let (method, path, version) = (parts.next(), parts.next(), parts.next());
    let (Some(method), Some(path), Some("HTTP/1.1"), None) = (method, path, version, parts.next())
    else {
        return Err(ReadError::Bad(400, "bad_request"));
    };
    let mut length = 0usize;
    let mut idempotency_key = None;
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or(ReadError::Bad(400, "bad_request"))?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value
                .parse()
                .map_err(|_| ReadError::Bad(400, "bad_request"))?;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(ReadError::Bad(411, "length_required"));
        } else if name.eq_ignore_ascii_case(vitale_http::wire::IDEMPOTENCY_KEY_HEADER) {
            idempotency_key = Some(value.to_owned());
        }
    }
    if length > MAX_BODY_BYTES {
        return Err(ReadError::Bad(413, "request_too_large"));
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body)?;
    Ok(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        idempotency_key,
        body,
    })
}

/// An answer: status and JSON body (empty for 204).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        411 => "Length Required",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// The head of an answer announcing `length` body bytes.
pub(crate) fn head(status: u16, length: usize) -> Vec<u8> {
    let mut text = format!(
        "HTTP/1.1 {status} {}\r\nConnection: close\r\nCache-Control: no-store\r\n",
        reason(status)
    );
    if status != 204 {
        text.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {length}\r\n"
        ));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

/// Writes a whole answer.
pub(crate) fn write_response(stream: &mut impl Write, response: &Response) -> io::Result<()> {
    let mut bytes = head(response.status, response.body.len());
    if response.status != 204 {
        bytes.extend_from_slice(&response.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

#[cfg(test)]
mod tests;
