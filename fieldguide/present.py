"""Present: turn untrusted document text into inert, highlighted markdown and citation labels."""

from __future__ import annotations

import re
import string

# every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of
# them means document text can never form a link, image, HTML tag, heading or directive
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def escape_markdown(text: str) -> str:
    """Markdown that renders exactly `text`, with its line breaks, and nothing active."""
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    return "  \n".join(escaped.split("\n"))


def highlight_markdown(text: str, spans: list[tuple[int, int]], colour: str = "orange") -> str:
    """Escaped markdown of `text` with the character spans (relative to `text`) highlighted."""
    out, cursor = [], 0
    for start, end in sorted(spans):
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        out.append(escape_markdown(text[cursor:start]))
        out.append(f":{colour}-background[{escape_markdown(text[start:end])}]")
        cursor = end
    out.append(escape_markdown(text[cursor:]))
    return "".join(out)


def citation_label(title: str, section: str = "", page: int | None = None) -> str:
    """'title · section · page N', the form every citation takes."""
    parts = [title, section if section and section != title else "", f"page {page}" if page else ""]
    return " · ".join(p for p in parts if p)
