"""Build scanned-looking fixtures in code: text pages rendered to images, image-only PDFs.

Each page is a flyer or referral list with organisation names and phone numbers in English or
Spanish; `scan` roughens a rendered page the way a scanner or fax does (a slight tilt, grey
paper, noise, JPEG compression), so OCR is measured on something like a real scan.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = Path("/usr/share/fonts/truetype")
REGULAR = [FONTS / "dejavu/DejaVuSans.ttf", FONTS / "liberation/LiberationSans-Regular.ttf"]
BOLD = [FONTS / "dejavu/DejaVuSans-Bold.ttf", FONTS / "liberation/LiberationSans-Bold.ttf"]
SERIF = [FONTS / "dejavu/DejaVuSerif.ttf", FONTS / "liberation/LiberationSerif-Regular.ttf"]
A4_INCHES = (8.27, 11.69)


@dataclass
class Entry:
    """One listing on a flyer: an organisation, its number, and a line about it."""

    name: str
    phone: str
    note: str


@dataclass
class Flyer:
    """A page's content: a heading, a paragraph and its listings."""

    heading: str
    paragraph: str
    entries: list[Entry] = field(default_factory=list)

    def lines(self) -> list[tuple[str, str]]:
        """(style, text) lines in reading order."""
        out = [("heading", self.heading), ("body", self.paragraph), ("body", "")]
        for entry in self.entries:
            out += [("name", entry.name), ("body", f"{entry.phone} - {entry.note}")]
        return out


HARBOR_FLYER = Flyer(
    "Harbor Street Clinic - Free Testing",
    "The Harbor Street Clinic offers free and confidential STI and HIV testing every Tuesday "
    "and Thursday from 10 am to 6 pm. No appointment is needed and no ID is asked for.",
    [
        Entry("Harbor Street Clinic", "(213) 555-0142", "testing and results line"),
        Entry("Maple Youth Shelter", "1-800-555-0199", "beds for ages 12 to 24, open 24/7"),
        Entry("Riverside Legal Aid", "213-555-0187", "free immigration and housing advice"),
    ],
)

SPANISH_FLYER = Flyer(
    "Clínica Esperanza - Ayuda gratuita",
    "La Clínica Esperanza ofrece pruebas gratuitas y confidenciales de VIH los lunes y "
    "miércoles, de 9 a 17 horas. No se necesita cita ni identificación.",
    [
        Entry("Clínica Esperanza", "(323) 555-0164", "pruebas y resultados"),
        Entry("Casa de la Mujer Libre", "1-888-555-0121", "refugio para mujeres, abierto 24 horas"),
        Entry("Centro Legal del Pueblo", "323-555-0178", "asesoría migratoria sin costo"),
    ],
)

_FIRST = [
    "Harbor", "Maple", "Riverside", "Juniper", "Cedar", "Beacon", "Northside", "Lighthouse",
    "Willow", "Summit", "Granite", "Bayview", "Orchard", "Sunrise", "Pioneer", "Valley",
]  # fmt: skip
_KIND_EN = [
    "Youth Shelter", "Legal Aid", "Food Bank", "Health Clinic", "Recovery Center",
    "Women's Center", "Outreach Team", "Housing Desk", "Crisis Line", "Family Services",
]  # fmt: skip
_KIND_ES = [
    "Centro de Salud", "Casa Refugio", "Banco de Comida", "Asesoría Legal", "Línea de Crisis",
    "Centro de la Mujer", "Servicios Familiares", "Clínica Comunitaria",
]  # fmt: skip
_NOTE_EN = [
    "open 24/7", "walk-ins on weekdays", "call before 5 pm", "free and confidential",
    "beds for ages 18 to 24", "help with rent and deposits", "text or call any time",
]  # fmt: skip
_NOTE_ES = [
    "abierto 24 horas", "sin cita entre semana", "llame antes de las 17 h", "gratis y confidencial",
    "atención en español", "ayuda con el alquiler", "también por mensaje de texto",
]  # fmt: skip
_PARAGRAPH_EN = (
    "These services are free. Staff will not ask about immigration status. If someone is in "
    "immediate danger, call 911 first, then one of the numbers below."
)
_PARAGRAPH_ES = (
    "Estos servicios son gratuitos. El personal no preguntará por su situación migratoria. "
    "Si alguien está en peligro inmediato, llame primero al 911 y después a uno de estos números."
)


def phone(rng: random.Random) -> str:
    """A 555 number (reserved for fiction) written one of the ways flyers write them."""
    area, line = rng.choice(["213", "323", "310", "818", "626"]), f"{rng.randrange(100, 200):04d}"
    toll = rng.choice(["800", "888", "877"])
    forms = [
        f"({area}) 555-{line}",
        f"{area}-555-{line}",
        f"1-{toll}-555-{line}",
        f"{area}.555.{line}",
    ]
    return rng.choice(forms)


def random_flyer(rng: random.Random, spanish: bool = False, entries: int = 8) -> Flyer:
    """A referral list of `entries` made-up organisations with 555 numbers."""
    kinds, notes = (_KIND_ES, _NOTE_ES) if spanish else (_KIND_EN, _NOTE_EN)
    listing = []
    for first in rng.sample(_FIRST, entries):
        kind = rng.choice(kinds)
        name = f"{kind} {first}" if spanish else f"{first} {kind}"
        listing.append(Entry(name, phone(rng), rng.choice(notes)))
    heading = "Recursos de la comunidad" if spanish else "Community resources"
    return Flyer(heading, _PARAGRAPH_ES if spanish else _PARAGRAPH_EN, listing)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + [line]


def render_page(flyer: Flyer, dpi: int = 200, serif: bool = False, seed: int = 0) -> Image.Image:
    """An A4 page of the flyer as a white greyscale image at `dpi`."""
    rng = random.Random(seed)
    size = (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi))
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    point = dpi / 72
    pick = rng.randrange(2)
    fonts = {
        "heading": ImageFont.truetype(str(BOLD[pick]), round(20 * point)),
        "name": ImageFont.truetype(str(BOLD[pick]), round(13 * point)),
        "body": ImageFont.truetype(str((SERIF if serif else REGULAR)[pick]), round(12 * point)),
    }
    margin = round(0.9 * dpi)
    y = margin
    for style, text in flyer.lines():
        font = fonts[style]
        for line in _wrap(draw, text, font, size[0] - 2 * margin) if text else [""]:
            draw.text((margin, y), line, font=font, fill=0)
            y += round(font.size * 1.45)
        if style == "heading":
            y += round(8 * point)
    return page


def scan(page: Image.Image, seed: int = 0, tilt: float = 0.8, quality: int = 70) -> Image.Image:
    """The page as a cheap scanner returns it: tilted, grey, speckled and JPEG-compressed."""
    rng = random.Random(seed)
    angle = rng.uniform(-tilt, tilt)
    tilted = page.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    soft = tilted.filter(ImageFilter.GaussianBlur(0.6))
    # seeded noise (PIL's effect_noise is not): the same scan, and the same OCR, every run
    width, height = soft.size
    speckle = np.random.default_rng(seed).normal(128, 18, (height, width)).clip(0, 255)
    noise = Image.fromarray(speckle.astype(np.uint8)).point(lambda v: (v - 128) // 4 + 128)
    grey = Image.blend(soft, noise, 0.12).point(lambda v: min(255, int(v * 0.93 + 10)))
    out = io.BytesIO()
    grey.save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue()))


def image_pdf(pages: list[Image.Image], dpi: int = 200) -> bytes:
    """An image-only PDF: one picture per page, no text layer (as a scanner saves it)."""
    out = io.BytesIO()
    rgb = [p.convert("RGB") for p in pages]
    rgb[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=rgb[1:])
    return out.getvalue()


def save_image(page: Image.Image, path: Path) -> Path:
    """Save a page as the image type its suffix names (.png, .jpg, .tif, .webp)."""
    path = Path(path)
    kind = {".jpg": "JPEG", ".jpeg": "JPEG", ".tif": "TIFF", ".tiff": "TIFF", ".webp": "WEBP"}
    page.save(path, kind.get(path.suffix.lower(), "PNG"))
    return path
