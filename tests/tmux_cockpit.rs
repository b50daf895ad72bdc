//! The real binary in a real terminal: tmux runs `encours` on books written in code, keys
//! are sent, the pane is read. Needs tmux: skipped with a message when it is missing, but
//! failing when CI=true.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, w: u16, h: u16, command: &str) -> Tmux {
        let socket = format!("encours-test-{}-{name}", std::process::id());
        let t = Tmux { socket };
        let ok = t
            .cmd(&[
                "new-session",
                "-d",
                "-s",
                "cockpit",
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
                command,
            ])
            .status
            .success();
        assert!(ok, "tmux new-session failed");
        t
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            assert!(
                self.cmd(&["send-keys", "-t", "cockpit", k])
                    .status
                    .success()
            );
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "cockpit"]).stdout)
            .into_owned()
    }

    fn escaped(&self) -> String {
        String::from_utf8_lossy(
            &self
                .cmd(&["capture-pane", "-p", "-e", "-t", "cockpit"])
                .stdout,
        )
        .into_owned()
    }

    /// Waits until the pane shows `needle`; fails with the pane's text after 15 s.
    fn wait_for(&self, needle: &str) -> String {
        self.wait_until(needle, |text| text.contains(needle))
    }

    /// The first frame comes before the data (panes show "loading…"): wait for the frame
    /// that has every pane's data.
    fn wait_for_data(&self, needle: &str) -> String {
        self.wait_until(needle, |text| {
            text.contains(needle) && !text.contains("loading…")
        })
    }

    fn wait_until(&self, needle: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if done(&text) {
                return text;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("waited for {needle:?}; the pane shows:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Only the server this test started, by its own socket.
        let _ = self.cmd(&["kill-server"]);
    }
}

fn tmux_available() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tmux is required when CI=true"
        );
        eprintln!("tmux is not installed: skipping the real-terminal test (apt-get install tmux)");
    }
    found
}

fn books(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("books.db");
    let mut store = encours::store::Store::open(&path, Default::default()).unwrap();
    support::books::write(&mut store);
    path
}

fn command(dir: &Path, db: &Path, extra_env: &str) -> String {
    format!(
        "env -i HOME={home} PATH=/usr/bin:/bin TERM=xterm-256color LANG=en_GB.UTF-8 USER=operator {extra_env} {bin} --db {db} --today 2026-06-15; echo EXITED:$?; sleep 60",
        home = dir.display(),
        bin = env!("CARGO_BIN_EXE_encours"),
        db = db.display(),
    )
}

#[test]
fn the_cockpit_in_tmux() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = books(dir.path());
    let t = Tmux::start("main", 100, 30, &command(dir.path(), &db, ""));
    let text = t.wait_for_data("Aged receivables");
    assert!(text.contains("Net cash €16,000"), "{text}");
    assert!(text.contains("DSO 73.0 d"), "{text}");
    assert!(text.contains("Overdue 31.1%"), "{text}");
    assert!(text.contains("bank data as of 2026-06-12"), "{text}");
    assert!(text.contains("Weak signals · 2"), "{text}");
    assert!(text.contains("Customer Two"), "{text}");

    t.keys(&["2"]);
    t.wait_for("sort overdue");
    t.keys(&["j", "Enter"]);
    let text = t.wait_for("Customer · Customer One (C1)");
    assert!(text.contains("A-1"), "{text}");
    t.keys(&["c"]);
    t.wait_for("Note · Customer One");
    t.keys(&["-l", "call back on Monday"]);
    t.keys(&["Enter"]);
    let text = t.wait_for("Note recorded for Customer One");
    assert!(text.contains("call back on Monday"), "{text}");

    t.keys(&["?"]);
    t.wait_for("Log a note in the contact history");
    t.keys(&["Escape", "Escape"]);
    t.wait_for("sort overdue");

    // Too small, then large again: redrawn at once.
    t.cmd(&["resize-window", "-t", "cockpit", "-x", "70", "-y", "20"]);
    t.wait_for("Terminal too small");
    t.cmd(&["resize-window", "-t", "cockpit", "-x", "100", "-y", "30"]);
    t.wait_for("sort overdue");

    t.keys(&["q"]);
    let text = t.wait_for("EXITED:0");
    assert!(
        !text.contains("sort overdue"),
        "the alternate screen is left:\n{text}"
    );
    let alternate = t.cmd(&["display-message", "-p", "-t", "cockpit", "#{alternate_on}"]);
    assert_eq!(String::from_utf8_lossy(&alternate.stdout).trim(), "0");
    // Nothing was printed over the interface: the log went to its file.
    assert!(dir.path().join("encours.log").exists());
    let store = encours::store::Store::open(&db, Default::default()).unwrap();
    let (who, detail): (String, String) = store
        .conn()
        .query_row(
            "SELECT who, detail FROM events WHERE kind = 'outcome.note'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(who, "operator");
    assert!(detail.contains("call back on Monday"));
}

#[test]
fn no_color_in_80x24() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = books(dir.path());
    let t = Tmux::start(
        "nocolor",
        80,
        24,
        &command(dir.path(), &db, "NO_COLOR=1 COLORTERM=truecolor"),
    );
    t.wait_for("Aged receivables");
    t.keys(&["2"]);
    t.wait_for("sort overdue");
    let escaped = t.escaped();
    for colour in [
        "[30m", "[31m", "[32m", "[33m", "[34m", "[35m", "[36m", "[37m", "[90m", "38;", "48;",
        "[41m", "[44m",
    ] {
        assert!(
            !escaped.contains(colour),
            "colour {colour:?} drawn with NO_COLOR:\n{escaped}"
        );
    }
    let selected = escaped
        .lines()
        .find(|l| l.contains('▶'))
        .expect("a selected line");
    let params = sgr_params(selected);
    assert!(params.contains(&"1".to_string()), "bold: {selected:?}");
    assert!(params.contains(&"7".to_string()), "reversed: {selected:?}");
    t.keys(&["q"]);
    t.wait_for("EXITED:0");
}

/// Every parameter of the SGR sequences (`ESC [ … m`) in `line`.
fn sgr_params(line: &str) -> Vec<String> {
    line.split('\u{1b}')
        .filter_map(|part| part.strip_prefix('['))
        .filter_map(|part| part.split_once('m').map(|(p, _)| p))
        .flat_map(|p| p.split(';').map(str::to_string).collect::<Vec<_>>())
        .collect()
}

#[test]
fn piped_output_is_the_text_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = books(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_encours"))
        .args(["--db", db.to_str().unwrap(), "--today", "2026-06-15"])
        .env("HOME", dir.path())
        .env("LANG", "en_GB.UTF-8")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Aged receivables as of 2026-06-15"), "{text}");
    assert!(!text.contains('\u{1b}'), "no terminal codes when piped");
}

/// The same report for a French reader: the title, the columns and the amounts in French.
#[test]
fn piped_output_speaks_the_readers_language() {
    let dir = tempfile::tempdir().unwrap();
    let db = books(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_encours"))
        .args(["--db", db.to_str().unwrap(), "--today", "2026-06-15"])
        .env("HOME", dir.path())
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Balance âgée au 15/06/2026"), "{text}");
    let header = text.lines().nth(1).unwrap_or_default();
    for column in ["client", "encours", "non échu", "1-30"] {
        assert!(header.contains(column), "{column} not in {header:?}");
    }
    assert!(
        !header.contains("not due") && !header.contains("customer"),
        "{header:?}"
    );
}
