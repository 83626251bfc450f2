"""Invoices for the tests and the benchmark, drawn here (DejaVu fonts), then "photographed".

``Invoice`` describes one document: the shop, the language, the date and how it is written,
the product line, the invoice number (or none); ``render`` draws it as an A4 page or a till
receipt, ``photograph`` puts it on a table under uneven light, turned, blurred, noisy, as a
JPEG at a given long side (1280: Telegram's photo; larger: sent as a file). ``text_pdf``
writes a one-page PDF with a text layer (Helvetica, Latin-1), ``image_pdf`` a scan (no text).
``corpus(n, seed)`` makes the benchmark's cases: clean invoices and each defect, with the
finding it must give.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, replace

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONTS = "/usr/share/fonts/truetype/dejavu/"
FACES = ("DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSansCondensed.ttf", "DejaVuSans-Bold.ttf")
MONO = "DejaVuSansMono.ttf"

# (product name, model number, a similar product of the same brand, another brand's)
PRODUCTS = (
    (
        "MAG B650 TOMAHAWK WIFI",
        "MS-7D75",
        "MAG X670E TOMAHAWK WIFI",
        "ASUS TUF GAMING B650-PLUS WIFI",
    ),
    ("PRO B760M-A WIFI", "MS-7D99", "PRO B760M-P DDR4", "GIGABYTE B760M DS3H AX"),
    ("MPG Z790 EDGE WIFI", "MS-7D91", "MPG Z690 EDGE WIFI", "ASROCK Z790 STEEL LEGEND WIFI"),
    (
        "GeForce RTX 4070 SUPER 12G VENTUS 2X OC",
        "V513-025R",
        "GeForce RTX 4060 Ti 8G VENTUS 2X OC",
        "ZOTAC GAMING GeForce RTX 4070 SUPER Twin Edge",
    ),
    ("MAG 274QRF QD E2", "3CB4", "MAG 274QF E2", "AOC Q27G3XMN"),
)
SHOPS = {
    "en": ("Scan Computers International", "Overclockers UK", "Ebuyer Ltd"),
    "de": ("Mindfactory AG", "Alternate GmbH", "Cyberport GmbH"),
    "fr": ("LDLC.com", "Materiel.net", "Topachat SAS"),
    "es": ("PcComponentes", "Coolmod Informática"),
}
LABELS = {  # (invoice number label, date label, quantity word, total word)
    "en": (("Invoice No.", "Invoice #", "Receipt No:"), ("Invoice date:", "Date:"), "Qty", "Total"),
    "de": (
        ("Rechnungsnummer:", "Rechnung Nr.", "Beleg-Nr.:"),
        ("Rechnungsdatum:", "Datum:"),
        "Menge",
        "Summe",
    ),
    "fr": (
        ("Facture n°", "N° de facture :", "Numéro de facture :"),
        ("Date :", "Date de facture :"),
        "Qté",
        "Total TTC",
    ),
    "es": (("Factura nº", "Nº factura:"), ("Fecha:", "Fecha de factura:"), "Cant.", "Total"),
}
MONTH_NAMES = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}
WINDOW = (dt.date(2026, 9, 1), dt.date(2026, 11, 30))


def write_date(d: dt.date, style: str, lang: str) -> str:
    months = MONTH_NAMES[lang].split()
    return {
        "iso": d.isoformat(),
        "dots": d.strftime("%d.%m.%Y"),
        "slash": d.strftime("%d/%m/%Y"),
        "short": d.strftime("%d.%m.%y"),
        "name": {
            "en": f"{d.day} {months[d.month - 1][:3]} {d.year}",
            "de": f"{d.day}. {months[d.month - 1]} {d.year}",
            "fr": f"{'1er' if d.day == 1 else d.day} {months[d.month - 1]} {d.year}",
            "es": f"{d.day} de {months[d.month - 1]} de {d.year}",
        }[lang],
    }[style]


@dataclass(frozen=True)
class Invoice:
    shop: str = "Mindfactory AG"
    lang: str = "de"
    date: dt.date = dt.date(2026, 10, 1)
    date_style: str = "dots"
    product: str = "MAG B650 TOMAHAWK WIFI"
    model: str | None = "MS-7D75"  # printed after the name, or not
    brand: str = "MSI "
    number: str | None = "RE-2026-104233"
    receipt: bool = False  # a till receipt rather than an A4 page
    face: str = FACES[0]
    other_dates: bool = True  # a delivery / due date besides the invoice date


def lines(inv: Invoice, rng: random.Random) -> list[tuple[str, int]]:
    """(text, size) rows, top to bottom."""
    number_label, date_label, qty, total = LABELS[inv.lang]
    big, small = (34, 24) if not inv.receipt else (30, 22)
    rows: list[tuple[str, int]] = [(inv.shop, big), (f"{rng.randint(1, 200)} Market Street", small)]
    rows.append(("", small))
    if inv.number:
        rows.append((f"{rng.choice(number_label)} {inv.number}", small))
    rows.append(
        (f"{rng.choice(date_label)} {write_date(inv.date, inv.date_style, inv.lang)}", small)
    )
    if inv.other_dates and not inv.receipt:
        later = inv.date + dt.timedelta(days=rng.randint(14, 30))
        rows.append(
            (
                f"{'Due' if inv.lang == 'en' else 'Fällig' if inv.lang == 'de' else 'Échéance'}"
                f" {write_date(later, 'dots', inv.lang)}",
                small,
            )
        )
    rows.append(("", small))
    price = f"{rng.randint(150, 900)},{rng.randint(0, 99):02d}"
    name = f"{inv.brand}{inv.product}" + (f" ({inv.model})" if inv.model else "")
    if inv.receipt:
        rows += [(name[:30], small), (name[30:], small)] if len(name) > 30 else [(name, small)]
        rows.append((f"  1 x {price}", small))
    else:
        rows += [(f"{qty} 1   {name}", small), (f"      {price} EUR", small)]
    rows += [
        (f"Cable USB-C 1m   {rng.randint(5, 15)},99", small),
        ("", small),
        (f"{total} {price} EUR", big),
    ]
    return rows


def render(inv: Invoice, seed: int = 0) -> Image.Image:
    rng = random.Random(seed)
    rows = lines(inv, rng)
    face = MONO if inv.receipt else inv.face
    size = (640, 260 + 52 * len(rows)) if inv.receipt else (1654, 2339)  # A4 at 200 dpi
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    y = 80 if inv.receipt else 160
    for text, px in rows:
        font = ImageFont.truetype(FONTS + face, px * (1 if inv.receipt else 1.2))
        x = 30 if inv.receipt else 140
        draw.text((x, y), text, font=font, fill=20)
        y += int(px * (1.9 if inv.receipt else 2.4))
    return page


def photograph(
    page: Image.Image,
    *,
    side: int = 1280,
    angle: float = 0.0,
    blur: float = 0.0,
    light: float = 0.0,
    noise: float = 0.0,
    quality: int = 85,
    dark: float = 1.0,
) -> bytes:
    """``page`` as a phone photo of it on a table, JPEG, ``side`` px on its long side."""
    margin = max(page.size) // 12
    table = Image.new("L", (page.width + 2 * margin, page.height + 2 * margin), 120)
    table.paste(page, (margin, margin))
    photo = table.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=120)
    scale = side / max(photo.size)
    photo = photo.resize(
        (round(photo.width * scale), round(photo.height * scale)), Image.Resampling.LANCZOS
    )
    if blur:
        photo = photo.filter(ImageFilter.GaussianBlur(blur))
    if light:
        shade = (
            Image.linear_gradient("L")
            .rotate(45)
            .resize(photo.size)
            .point(lambda v: 255 - int(v * light))
        )
        photo = ImageChops.multiply(photo, shade)
    if dark != 1.0:
        photo = photo.point(lambda v: int(v * dark))
    if noise:
        photo = ImageChops.add(photo, Image.effect_noise(photo.size, noise), scale=1.0, offset=-128)
    buf = io.BytesIO()
    photo.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _pdf_escape(text: str) -> bytes:
    raw = text.encode("latin-1", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(lines: list[str], *, size: tuple[float, float] = (595.0, 842.0)) -> bytes:
    """A one-page PDF with ``lines`` in its text layer (Helvetica, WinAnsi)."""
    content = (
        b"BT /F1 12 Tf 60 780 Td 16 TL "
        + b" ".join(b"(" + _pdf_escape(t) + b") '" for t in lines)
        + b" ET"
    )
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>" % (int(size[0]), int(size[1])),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ]
    )


def image_pdf(page: Image.Image) -> bytes:
    """A scan: the page as a picture in a PDF, no text layer."""
    buf = io.BytesIO()
    page.convert("RGB").save(buf, "PDF", resolution=200.0)
    return buf.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass(frozen=True)
class Case:
    """One benchmark invoice: the document, what the claim registered, the finding expected
    (None: a clean invoice, no finding at all)."""

    invoice: Invoice
    product: str
    model: str
    registered: dt.date
    store: str
    want: str | None
    photo: dict


DEFECTS = (
    "similar_model",
    "other_brand",
    "date_outside",
    "date_differs",
    "no_number",
    "other_store",
    "blurred",
)
FINDING = {
    "similar_model": "model_not_found",
    "other_brand": "model_not_found",
    "date_outside": "date_outside_window",
    "date_differs": "date_differs",
    "no_number": "number_not_found",
    "other_store": "store_not_found",
    "blurred": "too_blurred",
}


def case(rng: random.Random, defect: str | None) -> Case:
    lang = rng.choice(sorted(SHOPS))
    shop = rng.choice(SHOPS[lang])
    product, model, similar, other = rng.choice(PRODUCTS)
    date = WINDOW[0] + dt.timedelta(days=rng.randint(0, (WINDOW[1] - WINDOW[0]).days))
    number = rng.choice(["RE-2026-", "INV", "F2026/", "", "A"]) + str(rng.randint(10000, 9999999))
    inv = Invoice(
        shop=shop,
        lang=lang,
        date=date,
        date_style=rng.choice(["iso", "dots", "slash", "short", "name", "name"]),
        product=product,
        model=model if rng.random() < 0.5 else None,
        number=number,
        receipt=rng.random() < 0.35,
        face=rng.choice(FACES),
    )
    registered, store = date, shop.split()[0]
    if defect == "similar_model":
        inv = replace(inv, product=similar, model=None)
    elif defect == "other_brand":
        inv = replace(inv, product=other, model=None, brand="")
    elif defect == "date_outside":
        inv = replace(inv, date=WINDOW[1] + dt.timedelta(days=rng.randint(3, 60)))
        registered = inv.date
    elif defect == "date_differs":
        registered = date + dt.timedelta(days=rng.choice([-9, -4, -2, 2, 5, 11]))
        registered = min(max(registered, WINDOW[0]), WINDOW[1])
        if registered == date:
            registered = date + dt.timedelta(days=3 if date < WINDOW[1] else -3)
    elif defect == "no_number":
        inv = replace(inv, number=None)
    elif defect == "other_store":
        store = rng.choice([s for shops in SHOPS.values() for s in shops if s != shop]).split()[0]
    photo = {
        "angle": rng.uniform(-7, 7),
        "light": rng.uniform(0, 0.6),
        "noise": rng.choice([0, 4, 8, 12]),
        "blur": rng.choice([0, 0, 0.5, 0.8, 1.2, 1.5]),
        "quality": rng.randint(58, 92),
    }
    if defect == "blurred":
        photo["blur"] = rng.uniform(3.5, 6)
    return Case(inv, product, model, registered, store, FINDING.get(defect or ""), photo)


def corpus(n: int, seed: int = 12, clean_share: float = 0.5) -> list[Case]:
    rng = random.Random(seed)
    return [
        case(rng, None if rng.random() < clean_share else rng.choice(DEFECTS)) for _ in range(n)
    ]
