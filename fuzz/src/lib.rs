//! Helpers shared by the fuzz targets (`fuzz_targets/`): field-level edits
//! of CBOR values, the deterministic world of keys, people and trust list
//! that the structure-aware targets sign with, and the dump of the
//! verifier's step counters (`docs/fuzzing.md`).

pub mod edit;
pub mod steps;
pub mod world;
