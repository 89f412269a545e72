"""Rendering letters with WeasyPrint: templates, the one stylesheet, a fetcher that only
serves the letter assets, and per-process caches of fonts and stylesheet."""
from __future__ import annotations

import base64
import hashlib
import logging
import mimetypes
import re
import threading
from datetime import date, timedelta
from functools import cache
from html import unescape
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pydyf
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from PIL import Image

from portal import clock, i18n
from portal.letters import kinds
from portal.letters.pdf import archive, fonts, pydyf_compact, qrfast, vdp

ASSETS = (Path(__file__).resolve().parent.parent / "static" / "letters").resolve()
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "letters"
BASE_URL = ASSETS.as_uri() + "/"
# The signatory's rank (LETTER_SIGNATORY_RANK), printed in each language section's language.
RANKS = {
    "general": _l("General"),
    "lieutenant_general": _l("Lieutenant General"),
    "major_general": _l("Major General"),
    "brigadier_general": _l("Brigadier General"),
    "colonel": _l("Colonel"),
    "lieutenant_colonel": _l("Lieutenant Colonel"),
    "major": _l("Major"),
}
# Shared by every kind: a change in any of them is a new template version.
SHARED_FILES = ("_base.html", "_letterhead.html", "_document.html")


class AssetRefused(BaseException):
    """A letter asked for something other than its own assets or a data: URL. Like
    WeasyPrint's FatalURLFetchingError it is no Exception, so nothing swallows it."""


@cache
def _weasy():
    # WeasyPrint logs every layout step at INFO: far too much for bulk runs.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    # Imported on first use: importing WeasyPrint costs most of a second, which web
    # requests that never render a letter should not pay.
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration  # see above
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # idem

    class LetterFetcher(URLFetcher):
        """Serves data: URLs and files under static/letters/; refuses everything else,
        loudly, so a missing or forbidden resource stops the render."""

        def __init__(self):
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.is_relative_to(ASSETS) and path.is_file():
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(),
                                              headers={"Content-Type": kind})
            raise _Refused(f"letters may not load {url[:80]!r}")

    class _Refused(FatalURLFetchingError, AssetRefused):
        pass

    fetcher = LetterFetcher()
    fonts = FontConfiguration()
    css = weasyprint.CSS(filename=str(ASSETS / "letter.css"), url_fetcher=fetcher,
                         font_config=fonts)
    return weasyprint, fetcher, fonts, css, {}


_WARM_LOCK = threading.Lock()
_warmed = False


def warm() -> None:
    """Load once in this process what a first letter render would: the packaged faces,
    the letter templates, the catalogues, WeasyPrint with a first PDF (stylesheet, regular
    and bold text, an SVG image, tags). A child forked to render a letter
    (limits.isolated) then starts with all of it, instead of paying a first render's half
    second every time. Threads of one process (gunicorn's gthread) wait for the first:
    WeasyPrint must not lay out two documents at once in one process."""
    global _warmed
    if _warmed:
        return
    with _WARM_LOCK:
        if not _warmed:
            _warm()
            _warmed = True


def _warm() -> None:
    fonts.covered("Dienstjaar")  # the packaged faces, read once
    for path in TEMPLATES.glob("*.html"):  # compiled templates: the engine's and the kinds'
        current_app.jinja_env.get_template(f"letters/{path.name}")
    for kind in kinds.declared():
        current_app.jinja_env.get_template(f"letters/{kind.name}.html")
    for lang in i18n.LETTER_LANGUAGES:  # the catalogues of every letter language
        document_title("invitation", lang)
    image = qr_data_uri("https://dienstjaar.example/start")
    sections = "".join(
        f'<section lang="{lang}"><h1>Dienstjaar</h1><p><strong>Militair</strong> '
        f'Dienstjaar — Année de Service Militaire — Militärdienstjahr</p>'
        f'<img src="{image}" alt="QR"></section>' for lang in ("nl", "fr", "de"))
    to_pdf(layout(f'<html lang="nl"><head><title>Dienstjaar</title></head>'
                  f'<body>{sections}</body></html>'))


def fetcher():
    """The restricted URL fetcher every letter render uses."""
    return _weasy()[1]


_INCLUDED = re.compile(r'{%-?\s*(?:include|extends)\s+"letters/([\w.]+)"')


def _template_files(name: str) -> list[str]:
    """A letter template and every letter partial it includes or extends, recursively."""
    found, todo = [], [name]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.append(current)
        todo.extend(_INCLUDED.findall(_template_path(current).read_text()))
    return found


def _template_path(name: str) -> Path:
    """A letter template's file: the engine's own, or one kept with the domain that
    declared the kind."""
    return kinds.template_file(f"letters/{name}") or TEMPLATES / name


@cache
def template_version(kind: str) -> str:
    """A short hash of everything that shapes a letter of this kind."""
    digest = hashlib.sha256()
    for name in (*_template_files(f"{kind}.html"), *SHARED_FILES):
        digest.update(_template_path(name).read_bytes())
    for path in sorted(ASSETS.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return f"{kind}-{digest.hexdigest()[:12]}"


def qr_code(url: str):
    """The QR code of a sign-up URL (byte mode, level M, fixed mask: the same symbol a
    letter run draws; any mask reads the same)."""
    return qrfast.symbol(url.encode())


def qr_data_uri(url: str) -> str:
    """The QR code of `url` for the full-render path: a data: PNG of one gray pixel per
    module, drawn unsmoothed (image-rendering in letter.css). One small image instead of
    hundreds of vector paths in each language section."""
    # The same 4-module quiet zone as letter runs draw (ISO/IEC 18004).
    rows = [bytes(0 if dark else 255 for dark in row)
            for row in qr_code(url).matrix_iter(scale=1, border=4)]
    image = Image.frombytes("L", (len(rows[0]), len(rows)), b"".join(rows))
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


_TEXT = re.compile(r">([^<]+)<")
# French typography: a non-breaking space before : and a narrow one before ; ! ? (and
# inside guillemets), so that no line ever starts with the sign.
_FRENCH = [(re.compile(r"(?<=\S) ?:(?=\s|$)"), "\u00a0:"),
           (re.compile(r"(?<=\S) ?([;!?])(?=\s|$)"), "\u202f\\1"),
           (re.compile(r"« ?"), "«\u202f"), (re.compile(r" ?»"), "\u202f»")]


def french_typography(html: str) -> str:
    """French spacing in the text of an HTML fragment (never inside tags or attributes)."""
    def text(match):
        value = match.group(1)
        for pattern, replacement in _FRENCH:
            value = pattern.sub(replacement, value)
        return f">{value}<"

    return _TEXT.sub(text, html)


def url_text(address: str) -> Markup:
    """A web address as printed: without its scheme, and never broken across lines."""
    host = address.split("://", 1)[-1]
    return Markup('<span class="url">{}</span>').format(host)


def document_title(kind: str, language: str) -> str:
    """The title of a letter of this kind in this language, naming the letter."""
    with i18n.locale(language):
        return str(kinds.title(kind) or _("Letter — Service Year"))


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def signatory() -> str:
    """Who signs, with their rank in the current locale ("Colonel Anne Peeters")."""
    config = current_app.config
    rank = config.get("LETTER_SIGNATORY_RANK") or ""
    return " ".join(filter(None, (str(RANKS.get(rank, rank)), config["LETTER_SIGNATORY"])))


def letter_globals() -> dict:
    """What every letter template may print besides its own context: contacts, signatory
    (in the locale of the section being rendered)."""
    config = current_app.config
    return {"contact_phone": config["LETTER_PHONE"], "contact_email": config["LETTER_EMAIL"],
            "contact_hours": config["LETTER_HOURS"], "signatory": signatory(),
            "dpo_email": config["LETTER_DPO_EMAIL"], "add_days": add_days,
            "review_days": config["REVIEW_REQUEST_DAYS"]}


def section_html(kind: str, lang: str, *, first: bool, context: dict, slots: dict) -> str:
    """One language section, rendered with that language's locale forced."""
    template = current_app.jinja_env.get_template(f"letters/{kind}.html")
    with i18n.locale(lang):
        html = template.render(
            **{"letter_date": clock.today(), **letter_globals(), **context}, lang=lang,
            first=first, slots=slots,
            base_url_host=url_text(current_app.config["BASE_URL"]), url_text=url_text,
        )
    return french_typography(html) if lang == "fr" else html


def text_of(html: str) -> str:
    """The characters a letter prints (for the font coverage check)."""
    return unescape(re.sub(r"<[^>]*>", " ", html))


def document_html(kind: str, languages, context: dict, slots_for) -> str:
    """The whole letter: one section per language, the recipient's language first.
    `slots_for(lang)` gives the personal texts of a section (empty for a run's template)."""
    # Each section is the output of an autoescaped template: already safe HTML.
    sections = [
        Markup(section_html(kind, lang, first=i == 0, context=context,  # noqa: S704
                            slots=slots_for(lang)))
        for i, lang in enumerate(languages)
    ]
    shell = current_app.jinja_env.get_template("letters/_document.html")
    vdp_layout = context.get("vdp_layout", False)
    # The sheet marks of a full render (letter.css); a run's layout has none: each run
    # letter prints its own onto it (pdf.vdp.SheetMarks).
    marks = {} if vdp_layout else slots_for(languages[0])
    with i18n.locale(languages[0]):
        title = document_title(kind, languages[0])
        return shell.render(sections=sections, languages=languages, title=title,
                            vdp_layout=vdp_layout, sheet_reference=marks.get("reference"),
                            sheet_name=marks.get("address-0", ""))


def layout(html: str):
    """A laid-out WeasyPrint document of `html`, using the per-process caches."""
    weasyprint, fetcher_, fonts, css, image_cache = _weasy()
    # The letter assets (logo) stay cached; of the letters' own images (their QR codes)
    # only the last letter's, which its PDF reads when it is written: a long-lived
    # process would otherwise grow with every letter.
    for key in [k for k in image_cache if not str(k).startswith(BASE_URL)]:
        del image_cache[key]
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher_).render(
        stylesheets=[css], font_config=fonts, cache=image_cache, pdf_tags=True
    )


# Tagged (structure tree, /Lang per section, reading order) and PDF/UA-1: the layouts of
# letter runs. Their black ink is DeviceGray as in the archived full render (`to_pdf`), and
# the run's own writer (pdf/vdp.py) adds the sRGB output intent and the PDF/A-2a
# identification to every run letter and print batch.
PDF_OPTIONS = {"pdf_tags": True, "pdf_variant": "pdf/ua-1"}
# The archived copy of a full render: PDF/A-2a (tagged; sRGB output intent, every font
# embedded) that also declares PDF/UA-1. Its K-only inks become DeviceGray of the same
# darkness, which PDF/A allows with any output intent and printers put on black ink.
# The output intent is the packaged 588-byte sRGB profile (static/letters/srgb.icc, the
# same as run letters embed), read once per process (WeasyPrint's default for PDF/A opens
# its own 3 kB profile for every document and never closes it).
ARCHIVE_OPTIONS = {"pdf_tags": True, "pdf_variant": "pdf/a-2a", "output_intent": "letters-srgb"}
_CMYK_SPACE = re.compile(rb"/DeviceCMYK (cs|CS)")
_K_ONLY = re.compile(rb"0 0 0 (\d+(?:\.\d+)?|\.\d+) (scn|SCN)")
_UA_PART = (b'<rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
            b'rdf:about=""><pdfuaid:part>1</pdfuaid:part></rdf:Description>')


def section_languages(document) -> list[str]:
    """The language of each top-level section box, page after page, in the order
    WeasyPrint's structure tree lists their /Sect elements."""
    languages = []

    def walk(box):
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "element_tag", None) == "section":
            languages.append(element.get("lang") or "")
            return
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return languages


def _mark_languages(document, pdf) -> None:
    """A /Lang on every section of the structure tree (WeasyPrint sets only the document's),
    so that a screen reader switches voice with the language."""
    def resolve(reference):
        return pdf.objects[int(bytes(reference).split()[0])] if isinstance(
            reference, bytes | str) else reference

    root = pdf.catalog.get("StructTreeRoot")
    if root is None:
        return
    structure = resolve(root)
    top = resolve(structure["K"][0])
    sections = [resolve(kid) for kid in top["K"]]
    sections = [kid for kid in sections if isinstance(kid, dict) and kid.get("S") == "/Sect"]
    languages = section_languages(document)
    for element, language in zip(sections, languages, strict=False):
        element["Lang"] = pydyf.String(language)
    if languages:
        top["Lang"] = pydyf.String(languages[0])


def _resolve(pdf, reference):
    if isinstance(reference, str):
        reference = reference.encode("ascii")
    if isinstance(reference, bytes):
        return pdf.objects[int(reference.split()[0])]
    return reference


def _tree_elements(pdf, structure) -> list:
    """The structure elements reachable from the root, in order."""
    found, seen = [], set()
    pending = list(structure["K"])
    while pending:
        kid = _resolve(pdf, pending.pop(0))
        if not isinstance(kid, dict) or kid.get("Type") != "/StructElem" or id(kid) in seen:
            continue
        seen.add(id(kid))
        found.append(kid)
        kids = kid.get("K", ())
        pending[:0] = list(kids) if isinstance(kids, list) else [kids]
    return found


def _pagination_artifacts(pdf, structure, in_tree: set[int]) -> None:
    """Content WeasyPrint marks but leaves out of the structure tree (the @page margin
    boxes: the "1 / 3" page numbers) becomes a pagination artifact, as PDF/UA asks, and
    leaves the parent tree: a reader then finds no content outside the tree."""
    nums = _resolve(pdf, structure["ParentTree"])["Nums"]
    for page_number, page_ref in enumerate(pdf.page_references):
        mapping = _resolve(pdf, nums[2 * page_number + 1])
        if nums[2 * page_number] != page_number or not isinstance(mapping, list):
            continue
        outside = {mcid for mcid, ref in enumerate(mapping)
                   if ref is not None and id(_resolve(pdf, ref)) not in in_tree}
        if not outside:
            continue
        contents = _resolve(pdf, pdf.objects[int(page_ref.split()[0])]["Contents"])
        items = contents.stream
        for i in range(len(items) - 2):
            properties = items[i + 1]
            if (items[i + 2] == b"BDC" and isinstance(properties, dict)
                    and properties.get("MCID") in outside):
                items[i] = "/Artifact"
                items[i + 1] = pydyf.Dictionary({"Type": "/Pagination"})
        for mcid in outside:
            mapping[mcid] = "null"
        while mapping and mapping[-1] == "null":
            mapping.pop()


# Grouping elements only: an empty table cell stays, or the table's columns would shift.
_MAY_BE_DROPPED = {"/NonStruct", "/Span", "/Div"}


def _drop_empty(pdf, elements) -> None:
    """Grouping elements that hold nothing (the empty float that keeps the window zone free
    on page 1, empty address lines) leave the tree: a screen reader has nothing to say about
    them."""
    for element in reversed(elements):  # children first: a parent may empty with them
        kids = element.get("K")
        if not isinstance(kids, list):
            continue
        kept = []
        for kid in kids:
            child = _resolve(pdf, kid) if isinstance(kid, bytes | str) else None
            if (isinstance(child, dict) and child.get("Type") == "/StructElem"
                    and child.get("S") in _MAY_BE_DROPPED and not child.get("K")
                    and "ID" not in child):
                continue
            kept.append(kid)
        kids[:] = kept


def _id_tree(pdf, structure, elements) -> None:
    """The ID tree of the structure root: table cells name their headers by ID (/Headers),
    which a reader looks up there (ISO 32000-1 14.7.2)."""
    ids = sorted((str(element["ID"].string if hasattr(element["ID"], "string")
                      else element["ID"]), element) for element in elements if "ID" in element)
    if not ids:
        return
    names = pydyf.Array()
    for key, element in ids:
        names.extend([pydyf.String(key), element.reference])
    structure["IDTree"] = pydyf.Dictionary({"Names": names})


def _finish_structure(document, pdf) -> None:
    """What WeasyPrint's structure tree lacks for PDF/UA: a /Lang per section, the page
    numbers as artifacts, the ID tree of table headers; and no empty elements nor bare
    Span wrappers (pydyf_compact)."""
    _mark_languages(document, pdf)
    root = pdf.catalog.get("StructTreeRoot")
    if root is None:
        return
    structure = _resolve(pdf, root)
    elements = _tree_elements(pdf, structure)
    _pagination_artifacts(pdf, structure, {id(element) for element in elements})
    _id_tree(pdf, structure, elements)
    _drop_empty(pdf, [structure, *elements])
    pydyf_compact.flatten_spans(pdf, structure, _tree_elements(pdf, structure))


def to_pdf(document) -> bytes:
    """A run layout: tagged, PDF/UA-1, its black ink as DeviceGray and its content streams
    written compact, as in the full render's archived copy (its letters are PDF/A too)."""
    def finish(document, pdf):
        _finish_structure(document, pdf)
        _gray_inks(pdf)
        _compact_contents(pdf)
        pydyf_compact.drop_unused_resources(pdf)

    return document.write_pdf(finisher=finish, **PDF_OPTIONS)


_DECIMALS = re.compile(rb"-?\d+\.\d{4,}")


def _short(match) -> bytes:
    return (b"%.3f" % float(match.group(0))).rstrip(b"0").rstrip(b".")


def _compact_contents(pdf) -> None:
    """Every content stream as it prints, shorter: the glyphs of a text array joined where
    nothing moves them apart ("<0035><0048>" for "<0035>0<0048>"), and coordinates, sizes
    and colours to a thousandth of a unit (WeasyPrint writes six decimals; a thousandth
    of a point is 0.35 micrometres). Whole operator items only; marked-content properties
    are left as they are."""

    def compact(item: bytes) -> bytes:
        if b"BDC" in item or b"(" in item:
            return item
        if item.endswith(b"] TJ"):
            item = item.replace(b">0<", b"")
        return _DECIMALS.sub(_short, item)

    _rewrite_contents(pdf, compact)


def _gray_inks(pdf) -> None:
    """Black-ink-only colours (DeviceCMYK 0 0 0 k) of every content stream as DeviceGray,
    and the glyphs of a text array joined where nothing moves them apart. WeasyPrint writes
    one operator per stream item, so whole items are matched."""

    def gray(item: bytes) -> bytes | None:
        if _CMYK_SPACE.fullmatch(item):
            return None
        if item.endswith(b"] TJ"):
            # Glyphs with no adjustment between them: one string ("<0035><0048>").
            item = item.replace(b">0<", b"")
        if match := _K_ONLY.fullmatch(item):
            level = 1 - float(match.group(1))
            item = b"%s %s" % (f"{level:.4g}".encode(), b"g" if match.group(2) == b"scn"
                               else b"G")
        return item

    _rewrite_contents(pdf, gray)


def _rewrite_contents(pdf, rewrite) -> None:
    """Every content stream's operators (its bytes items) through `rewrite`, which returns
    the item as it prints now, or None to drop it; the XMP metadata is left alone."""
    for obj in pdf.objects:
        items = getattr(obj, "stream", None)
        if not isinstance(items, list) or getattr(obj, "extra", {}).get("Type") == "/Metadata":
            continue
        changed = []
        for item in items:
            if isinstance(item, bytes) and (item := rewrite(item)) is None:
                continue
            changed.append(item)
        obj.stream[:] = changed


def _declare_ua(pdf) -> None:
    """PDF/UA-1 next to PDF/A in the XMP metadata WeasyPrint wrote for the variant."""
    metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
    metadata.stream[:] = [item.replace(b"</rdf:RDF>", _UA_PART + b"</rdf:RDF>")
                          if isinstance(item, bytes) else item for item in metadata.stream]


@cache
def _srgb():
    # WeasyPrint is imported on first use (see _weasy).
    from weasyprint.css import ColorProfile

    class Profile(ColorProfile):
        name = vdp.SRGB_NAME  # the output condition, named as run letters name it

    return Profile(BytesIO(vdp.SRGB.read_bytes()), vdp.SRGB.name, "relative-colorimetric",
                   (["r"], ["g"], ["b"]))


def to_archive_pdf(document) -> bytes:
    """The full render as archived and served: PDF/A-2a and PDF/UA-1 (see ARCHIVE_OPTIONS)."""
    document.color_profiles["letters-srgb"] = _srgb()

    def finish(document, pdf):
        _finish_structure(document, pdf)
        _gray_inks(pdf)
        _compact_contents(pdf)
        _declare_ua(pdf)
        archive.compact_font_programs(pdf, lambda reference: _resolve(pdf, reference))
        pydyf_compact.drop_unused_resources(pdf)
        pydyf_compact.drop_unreferenced(pdf)

    return document.write_pdf(finisher=finish, **ARCHIVE_OPTIONS)
