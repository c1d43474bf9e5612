//! Unit tests of the render module.
