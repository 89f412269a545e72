"""Reading letters back the way a person or a printer would: text and fonts of the PDF."""
from __future__ import annotations

import subprocess
import sys
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from portal.letters import runner
from tests.support.client import post_form

ROOT = Path(__file__).resolve().parents[2]


def print_shop_check(out: Path, database: str | None = None) -> subprocess.CompletedProcess:
    """`make letters-check` on a run's directory, as the print shop runs it (with the
    portal's database: the manifest compared with the run as archived)."""
    args = [sys.executable, str(ROOT / "scripts" / "letters_check.py"), str(out)]
    if database:
        args += ["--database", database]
    return subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=ROOT)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def embedded_fonts(pdf: bytes) -> set[str]:
    """Base names of the fonts whose program is embedded in the file."""
    names = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and any(k in descriptor.get_object()
                                      for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(font["/BaseFont"]))
    return names


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """CID -> text of a ToUnicode CMap (bfchar entries and bfrange starts)."""
    import re

    out = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for cid, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            out[int(cid, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for start, end, text in re.findall(
                rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            first = bytes.fromhex(text.decode()).decode("utf-16-be")
            for offset in range(int(end, 16) - int(start, 16) + 1):
                out[int(start, 16) + offset] = first[:-1] + chr(ord(first[-1]) + offset)
    return out


def drawn_glyphs(pdf: bytes) -> dict[str, list[tuple[str, int]]]:
    """For each character a font of the file prints: (font base name, number of contours of
    the embedded glyph that prints it). A .notdef or empty glyph has gid 0 or no contours."""
    from fontTools.ttLib import TTFont

    found: dict[str, list[tuple[str, int]]] = {}
    seen = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            if font.get("/Subtype") != "/Type0" or id(font) in seen:
                continue
            seen.add(id(font))
            cid_font = font["/DescendantFonts"][0].get_object()
            program = cid_font["/FontDescriptor"].get_object().get("/FontFile2")
            if program is None:
                continue
            tt = TTFont(BytesIO(program.get_object().get_data()))
            order, glyf = tt.getGlyphOrder(), tt["glyf"]
            to_gid = cid_font.get("/CIDToGIDMap")
            mapping = None
            if to_gid is not None and to_gid != "/Identity":
                data = to_gid.get_object().get_data()
                mapping = [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]
            for cid, text in _to_unicode(font["/ToUnicode"].get_object().get_data()).items():
                gid = mapping[cid] if mapping is not None and cid < len(mapping) else cid
                contours = (glyf[order[gid]].numberOfContours
                            if 0 < gid < len(order) else 0)
                for char in text:
                    found.setdefault(char, []).append((str(font["/BaseFont"]), contours))
    return found


def run_started_from_the_page(client, scope: str, batch_size: str = "") -> tuple[int, object]:
    """An administrator (signed in on `client`) starts the run of `scope` ("source:id") on
    the letter-runs page and waits for it to end here: (the run's id, the page's answer)."""
    response = post_form(client, "/admin/letter-runs",
                         {"scope": scope, "batch_size": batch_size}, page="/admin/letter-runs")
    assert response.status_code == 302, response.get_data(as_text=True)
    job_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    runner.wait_here(job_id, timeout=120)
    return job_id, response
