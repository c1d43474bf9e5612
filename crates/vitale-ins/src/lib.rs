//! National health identity for the vitale-sdk: NIR/NIA, INS, identity traits.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
