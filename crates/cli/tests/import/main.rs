//! `sipmas import` as an operator uses it: real files with the faults real files have,
//! on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod changes;
mod crash;
mod first_load;
mod formats;
mod locks;
mod support;
mod validation;
