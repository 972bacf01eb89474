//! Delivery records on letters (`claims letter deliver`, `claims letter undelivered`) and
//! sending the outbox (`claims outbox send`) through an SMTP server the test starts on
//! 127.0.0.1.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use crate::common::people::{STAFF, SUPERVISOR};
use crate::common::Office;
use claims::domain::claim::{Claim, DeliveryMethod};

/// The sample's reported water claim (Florida; insured and agent have emails).
const WATER: &str = "CLM-2611-FS2R-811K";

/// What an SMTP client handed the sink in one transaction.
#[derive(Clone, Debug, Default)]
struct Received {
    from: String,
    rcpt: Vec<String>,
    data: String,
    auth: Option<String>,
}

/// A small SMTP server on 127.0.0.1 for the tests: it speaks enough SMTP for a client
/// (greeting, EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps what it was
/// given; with `refuse` it answers 550 to every recipient.
struct Sink {
    port: u16,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Sink {
    fn start(refuse: bool) -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let keep = got.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let keep = keep.clone();
                std::thread::spawn(move || {
                    let _ = session(stream, refuse, &keep);
                });
            }
        });
        Sink { port, got }
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}

fn session(stream: TcpStream, refuse: bool, keep: &Mutex<Vec<Received>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(20)))?;
    let mut out = stream.try_clone()?;
    let mut lines = BufReader::new(stream);
    let mut say = |s: &str| out.write_all(format!("{s}\r\n").as_bytes());
    say("220 sink.test ESMTP ready")?;
    let mut cur = Received::default();
    let mut auth = None;
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let line = line.trim_end().to_string();
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => say("250-sink.test\r\n250-AUTH PLAIN\r\n250 8BITMIME")?,
            "HELO" => say("250 sink.test")?,
            "AUTH" => {
                auth = line.split_whitespace().nth(2).map(str::to_string);
                say("235 2.7.0 accepted")?
            }
            "MAIL" => {
                cur = Received {
                    from: between(&line),
                    auth: auth.clone(),
                    ..Received::default()
                };
                say("250 ok")?
            }
            "RCPT" if refuse => say("550 5.1.1 mailbox unavailable")?,
            "RCPT" => {
                cur.rcpt.push(between(&line));
                say("250 ok")?
            }
            "DATA" => {
                say("354 go ahead")?;
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    if lines.read_line(&mut l)? == 0 {
                        return Ok(());
                    }
                    if l == ".\r\n" || l == ".\n" {
                        break;
                    }
                    data.push_str(l.strip_prefix('.').unwrap_or(&l));
                }
                cur.data = data;
                keep.lock().unwrap().push(std::mem::take(&mut cur));
                say("250 2.0.0 queued")?
            }
            "RSET" | "NOOP" => say("250 ok")?,
            "QUIT" => {
                say("221 bye")?;
                return Ok(());
            }
            _ => say("502 not implemented")?,
        }
    }
}

/// `user@x` of `MAIL FROM:<user@x>`.
fn between(line: &str) -> String {
    let start = line.find('<').map(|i| i + 1).unwrap_or(0);
    let end = line.rfind('>').unwrap_or(line.len());
    line[start..end].to_string()
}

fn claim(o: &Office, id: &str) -> Claim {
    o.claim_where(|c| c.id == id).1
}

/// The example office with the water claim triaged and assigned: its notices in the outbox.
fn assigned() -> Office {
    let o = Office::example();
    o.expect(0, &["--as", SUPERVISOR, "triage", WATER]);
    o.expect(0, &["--as", STAFF, "assign", WATER]);
    o
}

fn queued(o: &Office) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(o.root.join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".eml"))
        .collect();
    names.sort();
    names
}

/// Puts an `smtp` block (at the end of authority.yaml) into effect through the governed path.
fn use_server(o: &Office, block: &str) {
    let mut text = o.read("authority.yaml");
    text.push_str(block);
    std::fs::write(o.root.join("authority.yaml"), text).unwrap();
    o.expect(0, &["authority", "propose", "--reason", "Mail server"]);
}

fn plain_server(port: u16) -> String {
    format!("smtp:\n  server: 127.0.0.1\n  port: {port}\n  tls: none\n")
}

#[test]
fn the_outbox_goes_through_the_server_and_each_message_id_is_recorded() {
    let o = assigned();
    let names = queued(&o);
    assert!(
        names.contains(&format!("{WATER}-acknowledgment.eml"))
            && names.contains(&format!("{WATER}-status_update.eml")),
        "{names:?}"
    );
    let sink = Sink::start(false);
    use_server(
        &o,
        &format!(
            "{}  username_env: TEST_SMTP_USER\n  password_env: TEST_SMTP_PASSWORD\n",
            plain_server(sink.port)
        ),
    );

    // The credentials come from the variables authority.yaml names: without them, nothing goes.
    let (_, err) = o.expect(3, &["outbox", "send"]);
    assert!(err.contains("TEST_SMTP_USER"), "{err}");
    assert!(sink.received().is_empty());

    // --dry-run lists what would go, and sends and records nothing.
    let head = o.head();
    let (out, _) = o.expect(0, &["--dry-run", "outbox", "send"]);
    assert!(
        out.contains(&format!(
            "{WATER}-acknowledgment.eml: would send to gsantiago@mailbox.example"
        )),
        "{out}"
    );
    assert_eq!(o.head(), head);
    assert!(sink.received().is_empty());
    assert_eq!(queued(&o), names);

    let commits_before: usize = o
        .git_ok(&["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap();
    let (out, err) = {
        let mut cmd = o.cmd(&["outbox", "send"]);
        cmd.env("TEST_SMTP_USER", "mailer")
            .env("TEST_SMTP_PASSWORD", "s3cret-pw");
        let r = cmd.output().unwrap();
        let so = String::from_utf8_lossy(&r.stdout).to_string();
        let se = String::from_utf8_lossy(&r.stderr).to_string();
        assert_eq!(r.status.code(), Some(0), "{so}\n{se}");
        (so, se)
    };
    assert!(
        err.contains(&format!("sent {} of {} queued", names.len(), names.len())),
        "{err}"
    );

    // What arrived: one message per queued file, to its addressee, with its Message-ID.
    let got = sink.received();
    assert_eq!(got.len(), names.len(), "{got:?}");
    for r in &got {
        // AUTH PLAIN of "\0mailer\0s3cret-pw".
        assert_eq!(r.auth.as_deref(), Some("AG1haWxlcgBzM2NyZXQtcHc="));
        assert_eq!(r.from, "claims@harborpoint.example");
    }
    let ack = got
        .iter()
        .find(|r| {
            r.data
                .contains("X-Claim-Letter: letters/acknowledgment.txt")
        })
        .expect("the acknowledgment arrived");
    assert_eq!(ack.rcpt, vec!["gsantiago@mailbox.example".to_string()]);
    assert!(
        ack.data
            .contains(&format!("Subject: Claim {WATER}: we received your claim")),
        "{}",
        ack.data
    );
    assert!(ack.data.contains(&format!("X-Claim-Id: {WATER}")));
    let message_id = ack
        .data
        .lines()
        .find_map(|l| l.strip_prefix("Message-ID: "))
        .expect("a Message-ID header")
        .trim()
        .to_string();

    // What was recorded: every letter that went has its Message-ID, by email, today.
    let c = claim(&o, WATER);
    let letter = c
        .letters
        .iter()
        .find(|l| l.file == "letters/acknowledgment.txt")
        .unwrap();
    assert_eq!(letter.delivery.len(), 1, "{:?}", letter.delivery);
    let d = &letter.delivery[0];
    assert_eq!(d.message_id.as_deref(), Some(message_id.as_str()));
    assert_eq!(d.method, DeliveryMethod::Electronic);
    assert_eq!(d.to, "insured");
    assert_eq!(d.on.to_string(), "2026-11-20");
    for r in &got {
        let file = r
            .data
            .lines()
            .find_map(|l| l.strip_prefix("X-Claim-Letter: "))
            .unwrap()
            .trim();
        let l = c.letters.iter().find(|l| l.file == file).unwrap();
        assert_eq!(l.delivery.len(), 1, "{file}");
    }
    let yaml = o.read(&format!("claims/2026/11/{WATER}.yaml"));
    assert!(
        yaml.contains(&format!("message_id: \"{message_id}\""))
            || yaml.contains(&format!("message_id: {message_id}")),
        "{yaml}"
    );

    // One signed commit per message, each a `letter deliver` the audit replays.
    let commits_after: usize = o
        .git_ok(&["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap();
    assert_eq!(commits_after - commits_before, names.len());
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(trailers.contains("Command: letter deliver"), "{trailers}");
    assert!(out.contains("filed in"), "{out}");
    o.expect(0, &["audit"]);
    o.assert_sound();

    // The queue is empty; the messages are in outbox/sent/; a second run sends nothing.
    assert!(queued(&o).is_empty());
    for n in &names {
        assert!(o.root.join("outbox/sent").join(n).exists(), "{n}");
    }
    let (_, err) = o.expect(0, &["outbox", "send"]);
    assert!(err.contains("nothing to send"), "{err}");
    assert_eq!(sink.received().len(), names.len());

    // The letters that went are no longer listed as undelivered.
    let (out, _) = o.expect(0, &["--format", "json", "letter", "undelivered"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert!(!rows.iter().any(|r| r["claim"] == WATER), "{out}");
}

#[test]
fn a_refused_message_stays_queued_with_its_reason_and_goes_on_the_next_run() {
    let o = assigned();
    let names = queued(&o);
    let refusing = Sink::start(true);
    use_server(&o, &plain_server(refusing.port));
    let head = o.head();
    let (_, err) = o.expect(3, &["outbox", "send"]);
    for n in &names {
        assert!(err.contains(&format!("error: {n}:")), "{err}");
        let reason = o.read(&format!("outbox/{n}.failed"));
        assert!(reason.contains("550"), "{reason}");
        assert!(!o.root.join(format!("outbox/{n}.sending")).exists());
    }
    assert!(
        err.contains(&format!("sent 0 of {} queued", names.len())),
        "{err}"
    );
    assert_eq!(queued(&o), names, "still queued");
    assert_eq!(o.head(), head, "nothing recorded");
    assert!(claim(&o, WATER)
        .letters
        .iter()
        .all(|l| l.delivery.is_empty()));
    let (out, _) = o.expect(0, &["--format", "csv", "letter", "undelivered"]);
    assert!(
        out.contains(&format!(
            "{WATER},assigned,letters/acknowledgment.txt,acknowledgment,insured,2026-11-20,0"
        )),
        "{out}"
    );

    // Nobody listening: the same.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let text = o.read("authority.yaml").replace(
        &format!("port: {}", refusing.port),
        &format!("port: {port}"),
    );
    std::fs::write(o.root.join("authority.yaml"), text).unwrap();
    o.expect(0, &["authority", "propose", "--reason", "Other port"]);
    let (_, err) = o.expect(3, &["outbox", "send"]);
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert_eq!(queued(&o), names);

    // A server that takes them: all go, and the failure notes are gone.
    let sink = Sink::start(false);
    let text = o
        .read("authority.yaml")
        .replace(&format!("port: {port}"), &format!("port: {}", sink.port));
    std::fs::write(o.root.join("authority.yaml"), text).unwrap();
    o.expect(0, &["authority", "propose", "--reason", "Working server"]);
    o.expect(0, &["outbox", "send"]);
    assert_eq!(sink.received().len(), names.len());
    for n in &names {
        assert!(!o.root.join(format!("outbox/{n}.failed")).exists());
    }
    o.expect(0, &["audit"]);
}

#[test]
fn an_interrupted_send_is_never_sent_again_silently() {
    let o = assigned();
    let sink = Sink::start(false);
    use_server(&o, &plain_server(sink.port));
    let names = queued(&o);
    let ack = format!("{WATER}-acknowledgment.eml");
    // As a kill after the server accepted it and before the record would leave it.
    std::fs::write(
        o.root.join(format!("outbox/{ack}.sending")),
        "started 2026-11-20T09:59:00-06:00 via 127.0.0.1 (none)\n",
    )
    .unwrap();
    let (_, err) = o.expect(1, &["outbox", "send"]);
    assert!(
        err.contains(&format!("error: {ack}: an earlier send was interrupted")),
        "{err}"
    );
    assert!(err.contains("Nothing was sent again"), "{err}");
    assert!(err.contains("claims letter deliver"), "{err}");
    let got = sink.received();
    assert!(
        !got.iter()
            .any(|r| r.data.contains("letters/acknowledgment.txt")),
        "the interrupted one did not go again"
    );
    assert_eq!(got.len(), names.len() - 1, "the others went");
    assert_eq!(queued(&o), vec![ack.clone()]);

    // Someone checks the server's log and records it by hand: the next run files it as sent.
    let bytes = std::fs::read(o.root.join("outbox").join(&ack)).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let mid = text
        .lines()
        .find_map(|l| l.strip_prefix("Message-ID: "))
        .unwrap()
        .trim()
        .to_string();
    o.expect(
        0,
        &[
            "letter",
            "deliver",
            WATER,
            "acknowledgment",
            "--message-id",
            &mid,
        ],
    );
    let before = sink.received().len();
    let (out, _) = o.expect(0, &["outbox", "send"]);
    assert!(
        out.contains("is recorded on") && out.contains("already"),
        "{out}"
    );
    assert_eq!(sink.received().len(), before, "not sent again");
    assert!(o.root.join("outbox/sent").join(&ack).exists());
    assert!(!o.root.join(format!("outbox/{ack}.sending")).exists());
}

#[test]
fn any_letter_records_its_delivery_and_the_undelivered_list_shows_the_rest() {
    let o = assigned();
    let (out, _) = o.expect(0, &["--format", "json", "letter", "undelivered"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let of_water: Vec<&serde_json::Value> = rows.iter().filter(|r| r["claim"] == WATER).collect();
    assert!(
        of_water
            .iter()
            .any(|r| r["letter"] == "letters/acknowledgment.txt" && r["to"] == "insured"),
        "{out}"
    );
    // The sample's denied claim had its denial letter delivered: not listed.
    assert!(
        !rows
            .iter()
            .any(|r| r["claim"] == "CLM-2608-JN8S-QVEH" && r["letter"] == "letters/denial.txt"),
        "{out}"
    );

    // Certified mail, with its tracking number and date.
    o.expect(
        0,
        &[
            "letter",
            "deliver",
            WATER,
            "letters/acknowledgment.txt",
            "--tracking",
            "9407111899562481750001",
            "--on",
            "2026-11-20",
        ],
    );
    let c = claim(&o, WATER);
    let l = c
        .letters
        .iter()
        .find(|l| l.file == "letters/acknowledgment.txt")
        .unwrap();
    assert_eq!(l.delivery[0].method, DeliveryMethod::CertifiedMail);
    assert_eq!(
        l.delivery[0].tracking_number.as_deref(),
        Some("9407111899562481750001")
    );
    let trailers = o.git_ok(&["log", "-1", "--format=%(trailers)"]);
    assert!(trailers.contains("Command: letter deliver"), "{trailers}");
    assert!(
        trailers.contains("Reference: 9407111899562481750001"),
        "{trailers}"
    );
    let yaml = o.read(&format!("claims/2026/11/{WATER}.yaml"));
    assert!(yaml.contains("method: certified_mail"), "{yaml}");

    // Hand delivery of the agent's status letter, with who signed for it.
    o.expect(
        0,
        &[
            "letter",
            "deliver",
            WATER,
            "status_update",
            "--method",
            "hand-delivery",
            "--reference",
            "Signed by M. Rivera",
        ],
    );
    let (out, _) = o.expect(0, &["--format", "json", "letter", "undelivered"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert!(
        !rows.iter().any(|r| r["claim"] == WATER
            && (r["letter"] == "letters/acknowledgment.txt"
                || r["letter"] == "letters/status_update.txt")),
        "{out}"
    );

    // Bad input: named, exit 1, nothing written.
    let head = o.head();
    let (_, err) = o.expect(
        1,
        &[
            "letter",
            "deliver",
            WATER,
            "letters/nope.txt",
            "--method",
            "fax",
        ],
    );
    assert!(err.contains("has no letter letters/nope.txt"), "{err}");
    let (_, err) = o.expect(
        1,
        &[
            "letter",
            "deliver",
            WATER,
            "acknowledgment",
            "--method",
            "pigeon",
        ],
    );
    assert!(err.contains("--method `pigeon` is not one of"), "{err}");
    let (_, err) = o.expect(
        1,
        &[
            "letter",
            "deliver",
            WATER,
            "acknowledgment",
            "--tracking",
            "9407111899562481750001",
        ],
    );
    assert!(
        err.contains("already records delivery 9407111899562481750001"),
        "{err}"
    );
    let (_, err) = o.expect(
        1,
        &[
            "letter",
            "deliver",
            WATER,
            "acknowledgment",
            "--method",
            "fax",
            "--on",
            "2026-11-01",
        ],
    );
    assert!(err.contains("cannot have gone out on 2026-11-01"), "{err}");
    assert_eq!(o.head(), head);
    o.expect(0, &["check"]);
    o.expect(0, &["audit"]);
    o.assert_sound();

    // A hand edit that drops the tracking number is caught.
    let rel = format!("claims/2026/11/{WATER}.yaml");
    let edited = o
        .read(&rel)
        .replace("        tracking_number: \"9407111899562481750001\"\n", "")
        .replace("        tracking_number: 9407111899562481750001\n", "");
    assert_ne!(edited, o.read(&rel));
    std::fs::write(o.root.join(&rel), edited).unwrap();
    let (out, _) = o.expect(1, &["check", &rel]);
    assert!(
        out.contains("D006") && out.contains("certified mail without its tracking number"),
        "{out}"
    );
    o.git_ok(&["checkout", "--", &rel]);
}

#[test]
fn smtp_settings_name_variables_never_hold_secrets() {
    let o = Office::example();
    // No server configured: refused with the block to add.
    std::fs::create_dir_all(o.root.join("outbox")).unwrap();
    std::fs::write(o.root.join("outbox/x.eml"), "Subject: x\r\n\r\nx\r\n").unwrap();
    let (_, err) = o.expect(1, &["outbox", "send"]);
    assert!(
        err.contains("no `smtp` settings") && err.contains("password_env"),
        "{err}"
    );
    let mut text = o.read("authority.yaml");
    text.push_str(
        "smtp:\n  server: mail.example.com\n  username_env: claims\n  password_env: hunter2!\n",
    );
    std::fs::write(o.root.join("authority.yaml"), text).unwrap();
    let (out, _) = o.expect(1, &["check", "authority.yaml"]);
    assert!(
        out.contains("smtp.password_env must name an environment variable"),
        "{out}"
    );
}
