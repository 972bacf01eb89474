//! The phone script in a real terminal: this test binary re-runs itself under a
//! pseudo-terminal (rexpect) in "child" mode, where `phone_script` talks to the pty through
//! stdin/stderr, and answers each question once its text has appeared.
#![cfg(unix)]

use std::io::IsTerminal;

use claims::domain::claim::LineOfBusiness;
use claims::intake::phone::{phone_script, LinePrompter};

const CHILD: &str = "CLAIMS_PHONE_PTY_CHILD";

/// In child mode: the phone script on the real stdin/stderr; the draft as one JSON line.
#[test]
fn phone_script_child() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    assert!(std::io::stdin().is_terminal(), "the child runs under a pty");
    let mut p = LinePrompter::stdio();
    match phone_script(Some(LineOfBusiness::PersonalAuto), &mut p) {
        Ok(d) => {
            let json = serde_json::json!({
                "channel": d.channel, "policy_number": d.policy_number, "loss": d.loss,
                "auto": d.auto, "reporter": d.reporter, "vin_override": d.vin_override,
            });
            println!("DRAFT-JSON {json}");
        }
        Err(e) => println!("PHONE-ERROR {e}"),
    }
}

#[test]
fn auto_claim_with_an_injury_under_a_pty() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "phone_script_child",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD, "1");
    let mut s = rexpect::session::spawn_command(cmd, Some(20_000)).expect("spawn under a pty");

    s.exp_string("Type ? for help").unwrap();
    let qa: &[(&str, &str)] = &[
        ("Your name (the person reporting the loss)?", "Ann Smith"),
        ("Best phone number to reach you?", "312.555.0134"),
        ("Your relationship to the insured?", "insured"),
        ("Policy number?", "PA-100234"),
        ("State where the loss happened?", "IL"),
        // A wrong date first: in a terminal it is asked again with the reason.
        ("Date of the accident?", "3/15/24"),
        ("Sorry: not a date", "2024-03-15"),
        ("Time of the accident?", "17:30"),
        (
            "Where did it happen?",
            "N Clark St & W Division St, Chicago",
        ),
        (
            "What happened, in a few words?",
            "Rear-ended at a red light",
        ),
        ("Police report number?", ""),
        ("How many of the insured's vehicles were involved?", "1"),
        ("Vehicle: model year?", "2018"),
        ("Vehicle: make?", "Ford"),
        ("Vehicle: model?", "Escape"),
        ("Vehicle: VIN?", "1FMCU14T3JU402061"),
        ("Vehicle: describe the damage?", "Rear bumper crushed"),
        ("Is the damage to glass only", "n"),
        ("used for business", "n"),
        ("Were any other drivers or vehicles involved?", "n"),
        ("Was anyone hurt?", "y"),
        ("How many people were hurt?", "1"),
        ("Injured person 1: name?", "Ann Smith"),
        ("Injured person 1: phone or e-mail?", "ann@example.com"),
        ("Injured person 1: what are the injuries?", "Whiplash"),
        ("Injured person 1: is the injury life-altering", "n"),
        ("Was anyone killed?", "n"),
        ("Were there any witnesses?", "n"),
        ("Anything else the adjuster should know?", ""),
    ];
    for (question, answer) in qa {
        s.exp_string(question)
            .unwrap_or_else(|e| panic!("waiting for {question:?}: {e}"));
        s.send_line(answer).unwrap();
    }
    // The read-back comes before the confirmation.
    s.exp_string("Injured 1: Ann Smith, ann@example.com, Whiplash")
        .expect("the summary reads back the injured person");
    s.exp_string("Save this claim? (y/n)").unwrap();
    s.send_line("y").unwrap();
    let (_, line) = s
        .exp_regex(r"DRAFT-JSON [^\r\n]+")
        .expect("the child prints the draft");
    let json: serde_json::Value =
        serde_json::from_str(line.trim_start_matches("DRAFT-JSON ")).unwrap();
    assert_eq!(json["channel"], "phone");
    assert_eq!(json["policy_number"], "PA-100234");
    assert_eq!(json["loss"]["date"], "2024-03-15");
    assert_eq!(json["loss"]["time"], "17:30");
    assert_eq!(json["reporter"]["phone"], "+1 312 555 0134");
    assert_eq!(json["auto"]["vehicles"][0]["vin"], "1FMCU14T3JU402061");
    assert_eq!(json["auto"]["injured"][0]["name"], "Ann Smith");
    assert_eq!(json["auto"]["injured"][0]["contact"], "ann@example.com");
    assert_eq!(json["auto"]["injured"][0]["description"], "Whiplash");
    assert_eq!(json["vin_override"], false);
    s.exp_eof().unwrap();
}
