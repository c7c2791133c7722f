//! The integration tests, as one test binary: each file of this folder is a module
//! (linking one binary instead of one per file saves most of the build time and
//! disk; `cargo test -p tests --test integration session_flush::` runs one file).
//!
//! Three files stay binaries of their own because they need a process to
//! themselves: `engine_echo` (it runs its own binary as a child and inspects its
//! tracing set-up), `schema_registry` (it asserts the exact set of models linked
//! in) and `bench_workloads` (it links the benchmark's modules).
//! `every_test_file_is_a_module` fails when a new file is not listed here.

mod common;
mod migrate_common;
mod query_common;

mod connection_hygiene;
mod derive_accessors;
mod derive_model;
mod derive_relationships;
mod engine_pools;
mod migrate_apply;
mod migrate_autogenerate;
mod migrate_concurrency;
mod migrate_reflect;
mod migrate_review;
mod migrate_types;
mod pg_connection;
mod pg_dml;
mod pg_errors;
mod pgbouncer;
mod query_aggregates;
mod query_aliases;
mod query_bulk;
mod query_bulk_evaluate;
mod query_cte;
mod query_functions;
mod query_injection;
mod query_joins;
mod query_limits;
mod query_locks;
mod query_operators;
mod query_pagination;
mod query_set_ops;
mod query_streaming;
mod query_subqueries;
mod query_terminals;
mod query_tutorial;
mod query_windows;
mod relationship_setup;
mod relationships;
mod replicas;
mod round_trips;
mod schema_constraints;
mod schema_create_all;
mod session_delete_orphans;
mod session_detached;
mod session_expire;
mod session_faults;
mod session_flush;
mod session_flush_retry;
mod session_guards;
mod session_identity;
mod session_natural_keys;
mod session_transient_graph;
mod session_upsert;
mod session_version;
mod timeouts;
mod tls;
mod types_array;
mod types_custom;
mod types_enum;
mod types_orders;
mod types_time;
mod values_fidelity;

/// Files of this folder that are binaries of their own (see `Cargo.toml`).
const SEPARATE: &[&str] = &["bench_workloads.rs", "engine_echo.rs", "schema_registry.rs"];

#[test]
fn every_test_file_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(module) = name.strip_suffix(".rs") else {
            continue;
        };
        if name == "main.rs" || SEPARATE.contains(&name.as_str()) {
            continue;
        }
        assert!(
            main.contains(&format!("\nmod {module};\n")),
            "tests/tests/{name} is not a module of tests/tests/main.rs: add `mod {module};` there, or it never runs"
        );
    }
}
