//! One hint per cause of failure, each with the command that fixes it.
//!
//! A refused connection carries the server's SQLSTATE in its reason
//! (`orm_postgres` writes `message (code)`); a failure before the server answered
//! carries the operating system's words.

use orm_core::{Error, Url};

/// The parts of the URL a fixing command needs, with libpq's defaults.
struct Target {
    host: String,
    port: u16,
    user: String,
    database: String,
}

impl Target {
    fn of(url: &Url) -> Target {
        let user = url
            .username()
            .map(str::to_owned)
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "postgres".to_owned());
        Target {
            host: url.host().unwrap_or("localhost").to_owned(),
            port: url.port().unwrap_or(5432),
            database: url.database().unwrap_or(&user).to_owned(),
            user,
        }
    }

    /// `-h HOST -p PORT`, for the PostgreSQL client programs.
    fn server(&self) -> String {
        format!("-h {} -p {}", self.host, self.port)
    }
}

/// What to do about `e`, met while using `url`: one sentence and a command.
pub fn hint(e: &Error, url: &Url) -> String {
    let t = Target::of(url);
    match e {
        Error::InvalidUrl(_) => "pass a URL like postgres://user@host:5432/dbname with --database-url or DATABASE_URL".to_owned(),
        Error::Connect { reason, .. } => connect_hint(reason, &t),
        Error::ConnectionLost(_) => {
            "the server closed the connection (restarted or stopped?): run the example again once it is up".to_owned()
        }
        Error::Database(info) if info.code == "42501" => format!(
            "role `{}` may not create tables in this database: as its owner or a superuser run `psql {} -d {} -c 'GRANT CREATE ON SCHEMA public TO \"{}\"'`",
            t.user, t.server(), t.database, t.user
        ),
        Error::Database(_) | Error::Schema(_) => {
            "the database refused the example's tables: run it against a database of its own (--database-url)".to_owned()
        }
        _ => "see the message above".to_owned(),
    }
}

/// A hint for a connection that could not be opened, by cause.
fn connect_hint(reason: &str, t: &Target) -> String {
    let server = t.server();
    if reason.contains("(3D000)") {
        return format!(
            "database `{}` does not exist: create it with `createdb {server} -U {} {}`",
            t.database, t.user, t.database
        );
    }
    if reason.contains("(28000)") && reason.contains("does not exist") {
        return format!(
            "role `{}` does not exist: create it with `createuser {server} -U postgres --createdb {}`",
            t.user, t.user
        );
    }
    if reason.contains("(28000)") {
        return format!(
            "the server's pg_hba.conf has no entry for user `{}` from this host: add one and reload (`psql {server} -U postgres -c 'SELECT pg_reload_conf()'`)",
            t.user
        );
    }
    if reason.contains("(28P01)") || reason.contains("password missing") {
        return format!(
            "the server wants a password for `{}`: put it in the URL (postgres://{}:PASSWORD@{}:{}/{}), or set one with `psql {server} -U postgres -c \"ALTER ROLE \\\"{}\\\" PASSWORD '...'\"`",
            t.user, t.user, t.host, t.port, t.database, t.user
        );
    }
    if reason.contains("refused") || reason.contains("No such file or directory") {
        return format!(
            "no PostgreSQL server is listening on {}:{}: start one (`scripts/ensure-postgres` sets up a local server), or fix the host and port",
            t.host, t.port
        );
    }
    if reason.contains("lookup") || reason.contains("resolve") || reason.contains("not known") {
        return format!(
            "host `{}` is not known: check the host name in the URL",
            t.host
        );
    }
    if reason.contains("timed out") || reason.contains("timeout") {
        return format!(
            "{}:{} did not answer in time: check the host, the port and any firewall between (`pg_isready {server}`)",
            t.host, t.port
        );
    }
    format!(
        "check that PostgreSQL answers on {}:{} (`pg_isready {server}`)",
        t.host, t.port
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connect(reason: &str) -> String {
        let url: Url = "postgres://ezz@db.example:5433/blog".parse().unwrap();
        let e = Error::Connect {
            target: url.target(),
            reason: reason.to_owned(),
        };
        hint(&e, &url)
    }

    #[test]
    fn each_cause_has_its_own_command() {
        let cases = [
            (
                "database \"blog\" does not exist (3D000)",
                "createdb -h db.example -p 5433 -U ezz blog",
            ),
            (
                "role \"ezz\" does not exist (28000)",
                "createuser -h db.example -p 5433 -U postgres --createdb ezz",
            ),
            (
                "no pg_hba.conf entry for host \"1.2.3.4\" (28000)",
                "SELECT pg_reload_conf()",
            ),
            (
                "password authentication failed for user \"ezz\" (28P01)",
                "postgres://ezz:PASSWORD@db.example:5433/blog",
            ),
            (
                "error connecting to server: Connection refused (os error 111)",
                "scripts/ensure-postgres",
            ),
            (
                "error connecting to server: failed to lookup address information",
                "host `db.example` is not known",
            ),
            (
                "error connecting to server: timed out",
                "pg_isready -h db.example -p 5433",
            ),
        ];
        let mut seen = Vec::new();
        for (reason, command) in cases {
            let h = connect(reason);
            assert!(h.contains(command), "{reason}: {h}");
            assert!(!seen.contains(&h), "a hint of its own: {h}");
            seen.push(h);
        }
    }
}
