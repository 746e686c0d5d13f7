//! `cobrowse-loadgen`: opens sessions against the cobrowse server as real clients do (REST,
//! customer socket with `hello`, agent login and `join`), sends DOM frames from the customers at a
//! rate and measures what the agents receive: throughput, customer → agent latency (HDR histogram,
//! a send timestamp travels in each payload), delivery, and the server process's CPU time and
//! resident memory. The same client code drives a bare tokio-tungstenite relay ([`bare`]), the
//! baseline every figure is divided by.
//!
//! Modules: [`target`] opens the socket pairs (ours or bare), [`load`] runs a load over them,
//! [`process`] starts the servers and reads `/proc`, [`report`] prints tables, JSON and the
//! `docs/benchmarks.md` section, [`soak`] holds many sessions for minutes over worker processes
//! and several server processes, [`trace`] writes and compares per-frame traces.

pub mod bare;
pub mod bench;
pub mod load;
pub mod process;
pub mod report;
pub mod soak;
pub mod target;
pub mod trace;
