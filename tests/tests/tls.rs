//! TLS against the local server, which has `ssl = on` with Debian's self-signed
//! "snakeoil" certificate: each `sslmode` does what libpq's does, the server
//! reports the session as encrypted, and every refusal is a typed one-line error.

use orm_core::Connection;
use orm_core::{Error, Url, Value};
use orm_postgres::{create_engine, PgConnection};
use tests::database_url;

fn fixture(name: &str) -> String {
    format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The test server's URL over TCP with `sslmode` and friends replaced.
fn url(params: &[(&str, &str)]) -> Url {
    let mut u = database_url();
    assert!(
        !u.is_unix_socket(),
        "the TLS tests need a TCP DATABASE_URL, not {u}"
    );
    for (k, v) in params {
        u = u.with_param(k, v);
    }
    u
}

/// Whether the server sees this session as encrypted (`pg_stat_ssl`).
fn encrypted(url: &Url) -> bool {
    let mut conn = PgConnection::connect(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    let rows = conn
        .query(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap();
    rows[0].get(0) == Some(&Value::Bool(true))
}

/// The server's certificate file and the DNS name it is issued for.
fn server_certificate() -> (String, String) {
    let mut conn = PgConnection::connect(&url(&[])).unwrap();
    let rows = conn
        .query("SELECT current_setting('ssl_cert_file')", &[])
        .unwrap();
    let Some(Value::Text(file)) = rows[0].get(0).cloned() else {
        panic!("ssl_cert_file is text")
    };
    let out = std::process::Command::new("openssl")
        .args(["x509", "-noout", "-ext", "subjectAltName", "-in", &file])
        .output()
        .expect("openssl reads the server certificate");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let name = text
        .split([',', '\n', ' '])
        .find_map(|p| p.trim().strip_prefix("DNS:"))
        .unwrap_or_else(|| panic!("no DNS name in the server certificate: {text}"))
        .to_owned();
    (file, name)
}

fn tls_error(url: &Url) -> String {
    match PgConnection::connect(url) {
        Err(Error::Tls { target, reason }) => {
            assert!(!reason.contains('\n'), "one line: {reason}");
            assert!(target.contains(':'), "{target}");
            reason
        }
        other => panic!("{url}: expected a TLS error, got {other:?}"),
    }
}

#[test]
fn require_encrypts_and_disable_does_not() {
    assert!(encrypted(&url(&[("sslmode", "require")])));
    assert!(encrypted(&url(&[("sslmode", "prefer")])));
    assert!(!encrypted(&url(&[("sslmode", "disable")])));
    assert!(
        !encrypted(&url(&[("sslmode", "allow")])),
        "allow tries plain first"
    );
}

#[test]
fn the_default_is_prefer_and_engines_use_it() {
    let mut u = database_url();
    if u.param("sslmode").is_none() {
        u = u.with_param("application_name", "tls_default");
        assert!(
            encrypted(&u),
            "prefer (the default) uses TLS when the server has it"
        );
    }
    let engine = create_engine(url(&[("sslmode", "require")])).unwrap();
    let mut conn = engine.connect().unwrap();
    let rows = conn
        .query(
            "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap();
    assert_eq!(rows[0].get(0), Some(&Value::Bool(true)));
    assert!(matches!(rows[0].get(1), Some(Value::Text(v)) if v.starts_with("TLSv1.")));
}

#[test]
fn verify_ca_and_verify_full_with_the_right_root() {
    let (root, name) = server_certificate();
    assert!(encrypted(&url(&[
        ("sslmode", "verify-ca"),
        ("sslrootcert", &root)
    ])));
    // verify-ca checks the chain only: any host name is fine.
    assert!(encrypted(&url(&[
        ("sslmode", "verify-ca"),
        ("sslrootcert", &root),
        ("host", "127.0.0.1")
    ])));
    // verify-full: the certificate's name as host, the server's address as hostaddr.
    let full = url(&[
        ("sslmode", "verify-full"),
        ("sslrootcert", &root),
        ("host", &name),
        ("hostaddr", "127.0.0.1"),
    ]);
    assert!(encrypted(&full));
    // require with a root certificate behaves as verify-ca, as in libpq.
    assert!(encrypted(&url(&[
        ("sslmode", "require"),
        ("sslrootcert", &root)
    ])));
}

#[test]
fn a_wrong_root_or_a_wrong_host_name_is_a_typed_tls_error() {
    let (root, _) = server_certificate();
    let wrong = fixture("wrong-root.pem");
    for mode in ["verify-ca", "verify-full", "require"] {
        let reason = tls_error(&url(&[("sslmode", mode), ("sslrootcert", &wrong)]));
        assert!(
            reason.contains("not signed by a root certificate in sslrootcert"),
            "{mode}: {reason}"
        );
    }
    let reason = tls_error(&url(&[
        ("sslmode", "verify-full"),
        ("sslrootcert", &root),
        ("host", "127.0.0.1"),
    ]));
    assert_eq!(
        reason,
        "the server's certificate is not valid for the host name `127.0.0.1` (sslmode=verify-full)"
    );
    let reason = tls_error(&url(&[("sslmode", "verify-full")]));
    assert!(reason.contains("need sslrootcert"), "{reason}");
    let err = create_engine(url(&[
        ("sslmode", "verify-full"),
        ("sslrootcert", "/no/such/root.pem"),
    ]))
    .unwrap()
    .connect()
    .unwrap_err();
    assert!(
        matches!(&err, Error::Tls { reason, .. } if reason.contains("/no/such/root.pem")),
        "{err:?}"
    );
}

#[test]
fn a_client_certificate_is_loaded_and_a_missing_key_refused() {
    let (cert, key) = (fixture("client.pem"), fixture("client.key"));
    assert!(encrypted(&url(&[
        ("sslmode", "require"),
        ("sslcert", &cert),
        ("sslkey", &key)
    ])));
    let reason = tls_error(&url(&[("sslmode", "require"), ("sslcert", &cert)]));
    assert_eq!(reason, "sslcert and sslkey must be given together");
    let reason = tls_error(&url(&[
        ("sslmode", "require"),
        ("sslcert", &cert),
        ("sslkey", "/no/such.key"),
    ]));
    assert!(reason.starts_with("cannot read sslkey"), "{reason}");
}
