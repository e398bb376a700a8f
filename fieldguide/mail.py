"""Email (.eml): the subject, sender and date, the message, and each attachment read as a file.

An attachment of a type Field Guide reads is read by that type's reader and becomes a section
headed by its file name; one it cannot read is listed by name with the reason, and never stops
the email itself from being indexed. Emails attached to emails are followed a few levels deep.
"""

from __future__ import annotations

import email
import email.policy
import mimetypes
import tempfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path, PurePath

from .errors import DocumentError
from .office import Extracted
from .problems import Kind, check_type, document_error

MAX_DEPTH = 3  # emails inside emails followed; a deeper one is listed, not read
MAX_ATTACHMENTS = 50  # per .eml file, nested emails' attachments included
_HEADERS = ("Subject", "From", "Date")


@dataclass
class _Mailbag:
    """What reading one .eml has gathered so far, across the emails nested in it."""

    blocks: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    attachments_left: int = MAX_ATTACHMENTS


def read_eml(path: Path, raw: bytes) -> Extracted:
    """An email's headers and text, then its attachments' text, each under its file name."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not any(_header(message, name) for name in (*_HEADERS, "To", "Message-ID")):
        raise document_error(Kind.NOT_EMAIL, path.name)
    bag = _Mailbag()
    _read_message(message, bag, depth=0)
    if bag.skipped:
        bag.blocks.append("\n".join(bag.skipped))
    return Extracted("\n\n".join(bag.blocks), bag.headings, _header(message, "Subject") or None)


def _read_message(message: EmailMessage, bag: _Mailbag, depth: int) -> None:
    """Add one message's header lines, body and attachments to `bag`."""
    bag.blocks.append(
        "\n".join(f"{name}: {value}" for name in _HEADERS if (value := _header(message, name)))
    )
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        bag.blocks.append(_body_text(body))
    for part in message.iter_attachments():
        name = _file_name(part)
        if bag.attachments_left <= 0:
            bag.skipped.append(f"Attachment not read: {name} - more than {MAX_ATTACHMENTS} files")
            continue
        bag.attachments_left -= 1
        try:
            _read_attachment(part, name, bag, depth)
        except DocumentError as exc:
            reason = str(exc).partition(": ")[2] or str(exc)
            bag.skipped.append(f"Attachment not read: {name} - {reason}")
        except Exception as exc:  # noqa: BLE001 - a bad attachment never costs the email
            bag.skipped.append(f"Attachment not read: {name} - could not be read ({exc!r:.80})")


def _read_attachment(part: EmailMessage, name: str, bag: _Mailbag, depth: int) -> None:
    """Read one attachment into `bag` as a section headed by its name, or raise DocumentError."""
    from .ingest import normalise_text, read_document  # ingest imports this module

    suffix = PurePath(name).suffix.lower()
    heading = normalise_text(" ".join(name.split()))
    if part.get_content_type() == "message/rfc822" or suffix == ".eml":
        if depth >= MAX_DEPTH:
            raise document_error(Kind.TOO_DEEP, name)
        inner = part.get_content()
        if not isinstance(inner, EmailMessage):
            inner = email.message_from_bytes(_payload(part), policy=email.policy.default)
        bag.blocks.append(heading)
        bag.headings.append(heading)
        _read_message(inner, bag, depth + 1)
        return
    check_type(name, suffix)
    with tempfile.TemporaryDirectory(prefix="fieldguide-mail-") as folder:
        saved = Path(folder) / f"attachment{suffix}"  # the sender's name never becomes a path
        saved.write_bytes(_payload(part))
        document = read_document(saved)
    bag.blocks += [heading, document.text]
    bag.headings += [heading, *document.headings]


def _header(message: EmailMessage, name: str) -> str:
    """A header's value on one line ("" when missing); a malformed one is taken as written."""
    try:
        value = str(message.get(name) or "")
    except (ValueError, TypeError, IndexError, AttributeError):
        value = next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), "")
    return " ".join(value.split())


def _body_text(part: EmailMessage) -> str:
    """A text part's words; HTML is read the way .html files are."""
    from .ingest import _decode, _read_html

    data = _payload(part)
    try:
        text = data.decode(part.get_content_charset() or "utf-8")
    except (LookupError, UnicodeDecodeError):
        text = _decode(data)
    return _read_html(text)[0] if part.get_content_subtype() == "html" else text


def _payload(part: EmailMessage) -> bytes:
    """A part's bytes, its transfer encoding (base64, quoted-printable) undone."""
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _file_name(part: EmailMessage) -> str:
    """The attachment's file name, or one made from its type ("attachment.pdf")."""
    try:
        name = part.get_filename()
    except (ValueError, TypeError, IndexError, AttributeError):
        name = None
    if name and name.strip():
        return PurePath(name.strip().replace("\\", "/")).name or "attachment"
    if part.get_content_type() == "message/rfc822":
        return "attached email.eml"
    return "attachment" + (mimetypes.guess_extension(part.get_content_type()) or "")
