//! Strict Base45 (RFC 9285).
