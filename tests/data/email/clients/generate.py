#!/usr/bin/env python3
"""Writes the .eml fixtures in this folder with Python's own MIME writer (the `email` package).

The email channel must read what real mail clients write, not only messages this project
writes itself. Each message here is built the way a client builds it: `EmailMessage` with
`set_content`, `add_alternative`, `add_related` and `add_attachment`, a message forwarded as a
`message/rfc822` attachment, a Gmail-style inline forward, a Latin-1 quoted-printable body,
and Outlook's shape of an HTML body with an inline image (multipart/related inside
multipart/alternative). The output is committed, so the tests need no Python; run this again
only to change a fixture:

    python3 tests/data/email/clients/generate.py

Deterministic: MIME boundaries and message ids are fixed, so the same script writes the same
bytes. Standard library only.
"""

import datetime
import struct
import zlib
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
CENTRAL = datetime.timezone(datetime.timedelta(hours=-6))


def when(y, mo, d, h, mi):
    return format_datetime(datetime.datetime(y, mo, d, h, mi, tzinfo=CENTRAL))


def fixed_boundaries(msg, name):
    """Random boundaries would change the bytes on every run; give each multipart its own."""
    for n, part in enumerate(p for p in msg.walk() if p.get_content_maintype() == "multipart"):
        part.set_boundary(f"----=_Part_{name}_{n}")


def write(name, msg):
    fixed_boundaries(msg, name.split(".")[0].replace("-", "_"))
    # Mail on disk and on the wire has CRLF line endings.
    (HERE / name).write_bytes(msg.as_bytes(policy=SMTP))


def png(width=2, height=2):
    """A tiny valid PNG (grey pixels), as an inline image."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def forwarded_as_attachment():
    """Thunderbird's "Forward As Attachment": the agent's note, the insured's message inside."""
    inner = EmailMessage(policy=default)
    inner["From"] = "Laura Novak <laura.novak@mailbox.example>"
    inner["To"] = "Daniel Kowalski <dkowalski@prairieagency.example>"
    inner["Subject"] = "Accident on Ogden Ave"
    inner["Date"] = when(2026, 11, 16, 18, 40)
    inner["Message-ID"] = "<novak-20261116184000@mailbox.example>"
    inner.set_content(
        "Hi Dan,\n\n"
        "Our policy is PAU-IL-2026-20931. Yesterday around 7:45 am our 2010 Toyota Camry\n"
        "was rear-ended at Ogden Ave and Washington St, Naperville, IL. The rear bumper is\n"
        "crushed and the trunk will not close. VIN 4T1BB3EK5AU118081.\n\n"
        "Nobody was hurt. The other driver, Greg Palmer, was in a grey Nissan Altima; the\n"
        "other driver's number is (630) 555-0188. The police report number is NPD-26-7714.\n\n"
        "You can reach me at (630) 555-0123.\n\n"
        "Thanks,\nLaura Novak\n"
    )
    outer = EmailMessage(policy=default)
    outer["From"] = "Daniel Kowalski <dkowalski@prairieagency.example>"
    outer["To"] = "claims@harborpoint.example"
    outer["Subject"] = "Fwd: Accident on Ogden Ave"
    outer["Date"] = when(2026, 11, 17, 9, 5)
    outer["Message-ID"] = "<kowalski-20261117090500@prairieagency.example>"
    outer.set_content(
        "Forwarding the Novaks' report below. Please open a claim.\n\n"
        "Dan Kowalski\nPrairie Agency, (630) 555-0140\n"
    )
    outer.add_attachment(inner, filename="Accident on Ogden Ave.eml")
    return outer


def forwarded_inline():
    """Gmail's "Forward": the original inline under its header block, text and HTML."""
    original = (
        "Hi Carla,\n\n"
        "A hailstorm last night tore up the roof of our house at 2208 Barton Hills Dr,\n"
        "Austin, TX 78704, and water is leaking into the upstairs bedroom. No one was\n"
        "injured. My policy number is HO-5551209.\n\n"
        "Ray Dorsey\n"
    )
    header = (
        "---------- Forwarded message ---------\n"
        "From: Ray Dorsey <ray.dorsey@mailbox.example>\n"
        "Date: Tue, Nov 17, 2026 at 9:12 PM\n"
        "Subject: hail damage\n"
        "To: Carla Mendoza <cmendoza@bluebonnetins.example>\n\n\n"
    )
    note = "Please set this one up; I could not find his policy in our system.\n\nCarla\n\n"
    msg = EmailMessage(policy=default)
    msg["From"] = "Carla Mendoza <cmendoza@bluebonnetins.example>"
    msg["To"] = "claims@harborpoint.example"
    msg["Subject"] = "Fwd: hail damage"
    msg["Date"] = when(2026, 11, 18, 8, 30)
    msg["Message-ID"] = "<CAJmendoza20261118@mail.gmail.example>"
    msg.set_content(note + header + original)
    html_original = original.replace("\n\n", "</p><p>").replace("\n", " ")
    msg.add_alternative(
        '<div dir="ltr"><p>Please set this one up; I could not find his policy in our'
        ' system.</p><p>Carla</p><br><div class="gmail_quote"><div dir="ltr"'
        ' class="gmail_attr">---------- Forwarded message ---------<br>From: <strong'
        ' class="gmail_sendername" dir="auto">Ray Dorsey</strong> <span dir="auto">&lt;'
        "ray.dorsey@mailbox.example&gt;</span><br>Date: Tue, Nov 17, 2026 at 9:12 PM<br>"
        "Subject: hail damage<br>To: Carla Mendoza &lt;cmendoza@bluebonnetins.example&gt;"
        f"<br></div><br><br><p>{html_original}</p></div></div>\n",
        subtype="html",
    )
    return msg


def workers_comp_latin1():
    """An employer's HR office on an older client: ISO-8859-1, quoted-printable."""
    msg = EmailMessage(policy=default)
    msg["From"] = "Lone Star Mechanical HR <hr@lonestarmech.example>"
    msg["To"] = "claims@harborpoint.example"
    msg["Subject"] = "Work injury report - José Peña"
    msg["Date"] = when(2026, 11, 17, 11, 20)
    msg["Message-ID"] = "<hr-20261117112000@lonestarmech.example>"
    msg.set_content(
        "Policy: WC-TX-2026-30118\n\n"
        "Employee: José Peña\n"
        "Employee ID: E-2207\n"
        "Job title: Sheet metal installer\n\n"
        "On Monday, November 16, 2026 at about 2:15 pm José cut his left hand on a sheet\n"
        "of ductwork at the Frisco job site. His supervisor drove him to urgent care,\n"
        "where Dr. Amy Chen closed the cut with six stitches. No one else was injured.\n\n"
        "Regards,\nMarta Solís\nHuman Resources\n",
        charset="iso-8859-1",
        cte="quoted-printable",
    )
    return msg


def glass_outlook():
    """Outlook: text and HTML alternatives, the HTML with its inline image (cid:)."""
    msg = EmailMessage(policy=default)
    msg["From"] = "Sandra Whitaker <sandra.whitaker@mailbox.example>"
    msg["To"] = "claims@harborpoint.example"
    msg["Subject"] = "Cracked windshield"
    msg["Date"] = when(2026, 11, 16, 19, 2)
    msg["Message-ID"] = "<DM6PR11MB4.whitaker@mailbox.example>"
    msg["Thread-Topic"] = "Cracked windshield"
    msg["X-MS-Has-Attach"] = "yes"
    text = (
        "Hello,\n\n"
        "A rock from a gravel truck cracked the windshield of my 2013 Jeep Wrangler\n"
        "today at about 4:30 pm on US-75 southbound near Spring Creek Parkway, Plano,\n"
        "TX. VIN 1C4GJWAG3DL544796, policy PAU-TX-2026-10482. Nobody was hurt; the\n"
        "crack runs across the passenger side.\n\n"
        "You can reach me at (972) 555-0186.\n\n"
        "Sandra Whitaker\n"
    )
    msg.set_content(text)
    msg.add_alternative(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html;"
        " charset=utf-8\"></head><body lang=\"EN-US\"><div class=\"WordSection1\">"
        "<p class=\"MsoNormal\">Hello,</p><p class=\"MsoNormal\">A rock from a gravel truck"
        " cracked the windshield of my 2013 Jeep Wrangler today at about 4:30 pm on US-75"
        " southbound near Spring Creek Parkway, Plano, TX. VIN 1C4GJWAG3DL544796, policy"
        " PAU-TX-2026-10482. Nobody was hurt; the crack runs across the passenger side.</p>"
        "<p class=\"MsoNormal\"><img width=\"2\" height=\"2\" src=\"cid:image001.png@01DB3A2F.5C1E8F40\""
        " alt=\"windshield\"></p><p class=\"MsoNormal\">You can reach me at (972) 555-0186.</p>"
        "<p class=\"MsoNormal\">Sandra Whitaker</p></div></body></html>\n",
        subtype="html",
    )
    html = msg.get_payload()[1]
    html.add_related(
        png(),
        "image",
        "png",
        cid="<image001.png@01DB3A2F.5C1E8F40>",
        disposition="inline",
        filename="image001.png",
    )
    return msg


if __name__ == "__main__":
    write("fwd-attached-rfc822.eml", forwarded_as_attachment())
    write("fwd-inline-gmail.eml", forwarded_inline())
    write("wc-latin1-qp.eml", workers_comp_latin1())
    write("glass-outlook-related.eml", glass_outlook())
