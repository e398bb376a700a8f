"""OCR: the words of scanned pages and photographed notices, recognised offline by Tesseract."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from .problems import Kind, document_error

IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"})
# Tesseract's names for the languages read together (English and Spanish flyers; measured in
# docs/benchmarks.md: adding Spanish costs English pages nothing); those installed are used
LANGUAGES = ("eng", "spa")
INSTALL_HINT = "sudo apt install tesseract-ocr tesseract-ocr-spa"
# PDF pages are rendered at this resolution for recognition (Tesseract is trained near 300 dpi)
RENDER_DPI = 300
# an image past these sizes is shrunk (A4 at 300 dpi is 2480 x 3508) or enlarged first
LONGEST_SIDE = 3508
SHORTEST_READABLE = 1200
# a scanned document gets at most this many recognised pages (each takes about a second)
MAX_PAGES = 300
# pixels an image may decode to: past it, it is refused as a likely decompression bomb
MAX_PIXELS = 60_000_000
PAGE_SECONDS = 60  # one page may take this long in Tesseract before it is stopped

PageProgress = Callable[[int, int], None]


@functools.lru_cache(maxsize=1)
def _find_engine() -> tuple[str, str] | None:
    """(Tesseract's version, the '+'-joined languages it will read), or None if it is missing."""
    try:
        import pytesseract

        version = str(pytesseract.get_tesseract_version()).split()[0]
        installed = set(pytesseract.get_languages(config=""))
    except ImportError:
        return None
    except Exception as exc:  # noqa: BLE001 - pytesseract's not-found error has no base class
        if type(exc).__name__ == "TesseractNotFoundError" or isinstance(exc, OSError):
            return None
        raise
    languages = [lang for lang in LANGUAGES if lang in installed]
    return (version, "+".join(languages)) if languages else None


def engine(name: str) -> tuple[str, str]:
    """(version, languages) of the installed Tesseract.

    Raises:
        DocumentError: Tesseract (or pytesseract) is not installed: `Kind.OCR_MISSING` for the
            file `name`, saying what to install.
    """
    found = _find_engine()
    if found is None:
        raise document_error(Kind.OCR_MISSING, name, hint=INSTALL_HINT)
    return found


def engine_label() -> str:
    """'tesseract 5.3.0 (eng+spa)': what recognised a document's text, for the manifest."""
    version, languages = engine("")
    return f"tesseract {version} ({languages})"


def prepare(image):
    """A greyscale page at a size Tesseract reads well (phone photos turned upright)."""
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(white, image)
    image = image.convert("L")
    longest = max(image.size)
    if longest > LONGEST_SIDE or longest < SHORTEST_READABLE:
        scale = LONGEST_SIDE / longest if longest > LONGEST_SIDE else 2.0
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.LANCZOS)
    return image


def is_blank(image) -> bool:
    """True for a page of one colour (nothing to recognise: skip it)."""
    low, high = image.convert("L").getextrema()
    return high - low < 16


def recognise(image, name: str = "") -> str:
    """The text Tesseract reads on one page image ('' for a blank page).

    Raises:
        DocumentError: Tesseract is missing, or took longer than PAGE_SECONDS on the page.
    """
    import pytesseract

    _, languages = engine(name)
    page = prepare(image)
    if is_blank(page):
        return ""
    # one thread: two cores are shared with the indexer, and threads slow Tesseract down there
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        words = pytesseract.image_to_data(
            page, lang=languages, timeout=PAGE_SECONDS, output_type=pytesseract.Output.DICT
        )
    except RuntimeError as exc:  # pytesseract's timeout, or Tesseract's own error
        reason = (str(exc).strip().splitlines() or ["stopped"])[0][:80]
        raise document_error(Kind.OCR_FAILED, name, reason=reason) from exc
    return layout_text(words)


def layout_text(words: dict[str, list]) -> str:
    """Tesseract's words (`image_to_data`) as lines, with a blank line only where the page
    leaves one: between blocks, or a gap taller than a line.

    Tesseract starts a paragraph wherever the type changes size, which would set an
    organisation's bold name apart from the phone number printed right under it.
    """
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(words["text"]):
        if word.strip():
            key = (words["block_num"][i], words["par_num"][i], words["line_num"][i])
            lines.setdefault(key, []).append(i)
    out, previous = [], None
    for (block, _, _), members in lines.items():
        top = min(words["top"][i] for i in members)
        bottom = max(words["top"][i] + words["height"][i] for i in members)
        text = " ".join(words["text"][i].strip() for i in members)
        if previous is None:
            out.append(text)
        else:
            last_block, last_top, last_bottom = previous
            gap = top - last_bottom
            if block != last_block or gap > max(bottom - top, last_bottom - last_top):
                out += ["", text]
            elif _continues(out[-1], text):
                out[-1] += " " + text
            else:
                out.append(text)
        previous = (block, top, bottom)
    return "\n".join(out)


_BULLET = re.compile(r"^([-*\u2022]|\d{1,2}[.)])\s")


def _continues(line: str, following: str) -> bool:
    """True when `following` carries on `line`: a sentence wrapped mid-way (it goes on in lower
    case), or the number printed under a name ("Maple Youth Shelter" / "1-800-555-0199 - …")."""
    if not line or line[-1] in ".!?:" or _BULLET.match(following):
        return False
    return following[0].islower() or following[0].isdigit() or following[0] == "("


def image_frames(path: Path) -> Iterator:
    """(frame, number of frames) for each frame of an image file (a TIFF may have several).

    Raises:
        DocumentError: not a readable image, or one too large to decode safely.
    """
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as image:
            frames = min(getattr(image, "n_frames", 1), MAX_PAGES)
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if number > frames:
                    break
                frame.load()
                yield frame.copy(), frames
    except Image.DecompressionBombError as exc:
        raise document_error(Kind.TOO_MUCH_MEMORY, path.name) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise document_error(Kind.DAMAGED_IMAGE, path.name) from exc


def read_image(path: Path, progress: PageProgress | None = None) -> list[str]:
    """The recognised text of each frame of an image file (.png, .jpg, .tif, .webp).

    Raises:
        DocumentError: Tesseract missing, the image damaged or too large.
    """
    engine(path.name)
    texts = []
    for number, (frame, frames) in enumerate(image_frames(path), start=1):
        if progress:
            progress(number, frames)
        texts.append(recognise(frame, path.name))
    return texts
