use super::*;

fn read(bytes: &[u8]) -> Result<Request, ReadError> {
    read_request(&mut &bytes[..])
}

#[test]
fn reads_a_request_with_a_body_and_a_key() {
    let r = read(b"POST /v1/contexts HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nIdempotency-Key: abcdefabcdefabcdef\r\n\r\n{}");
    let r = r.unwrap_or_else(|e| unreachable!("{e:?}"));
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/v1/contexts")
    );
    assert_eq!(r.body, b"{}");
    assert_eq!(r.idempotency_key.as_deref(), Some("abcdefabcdefabcdef"));
}

#[test]
fn refuses_what_it_does_not_read() {
    let status = |bytes: &[u8]| match read(bytes) {
        Err(ReadError::Bad(status, _)) => status,
        other => unreachable!("{other:?}"),
    };
    assert_eq!(status(b"GET / HTTP/1.0\r\n\r\n"), 400);
    assert_eq!(status(b"GET /\r\n\r\n"), 400);
    assert_eq!(status(b"GET / HTTP/1.1\r\nbroken\r\n\r\n"), 400);
    assert_eq!(status(b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"), 400);
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
        411
    );
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"),
        413
    );
    let mut long = b"GET / HTTP/1.1\r\nX: ".to_vec();
    long.extend(std::iter::repeat_n(b'a', MAX_HEAD_BYTES));
    assert_eq!(status(&long), 431);
    assert!(matches!(
        read(b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n{}"),
        Err(ReadError::Io(_))
    ));
    assert!(matches!(read(b"GET / HTT"), Err(ReadError::Io(_))));
}

#[test]
fn writes_content_length_and_closes() {
    let mut out = Vec::new();
    let r = Response {
        status: 201,
        body: b"{}".to_vec(),
    };
    assert!(write_response(&mut out, &r).is_ok());
    let text = String::from_utf8(out).unwrap_or_default();
    assert!(text.starts_with("HTTP/1.1 201 Created\r\n"));
    assert!(text.contains("Connection: close\r\n"));
    assert!(text.ends_with("Content-Length: 2\r\n\r\n{}"));
    let mut out = Vec::new();
    assert!(
        write_response(
            &mut out,
            &Response {
                status: 204,
                body: b"x".to_vec()
            }
        )
        .is_ok()
    );
    assert!(
        !String::from_utf8(out)
            .unwrap_or_default()
            .contains("Content-Length")
    );
}
