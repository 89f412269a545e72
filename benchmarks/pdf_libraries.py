"""Per-letter cost of the hand-written PDF parts against well-kept libraries, on the
invitation layout: `python benchmarks/pdf_libraries.py [--letters 300]`.

- writing one letter's PDF: portal/letters/pdf (template objects re-serialised once,
  per-letter objects appended) against pikepdf (open the laid-out template, add the
  overlay and its fonts, save);
- subsetting a letter's font: uharfbuzz (what the portal uses), fontTools' subsetter.
Figures are printed; nothing is asserted (README, "Measured figures").
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _per_letter(label: str, count: int, make) -> float:
    make(0)
    started = time.perf_counter()
    for n in range(count):
        make(n)
    ms = (time.perf_counter() - started) / count * 1000
    print(f"{label:58}{ms:8.2f} ms per letter")
    return ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=300)
    args = parser.parse_args()
    from portal import create_app

    work = Path(tempfile.mkdtemp(prefix="portal-pdf-bench-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'x.sqlite3'}",
                      "SECRET_KEY": "bench", "BASE_URL": "https://dienstjaar.mil.be"})
    with app.app_context():
        _bench(args.letters)


def _bench(count: int) -> None:
    import pikepdf
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    from portal.invitations import letters as invitation
    from portal.letters import render, services
    from portal.letters.pdf import archive, fonts
    from portal.letters.variants import Variant

    class Cohort:
        expires_on = date(date.today().year + 1, 6, 30)

    variant = Variant("invitation", ("nl", "fr"), invitation.context(Cohort()))
    names = ["Lotte Peeters", "Camille Dubois", "Yasmine El Amrani", "Lukas Schmitz"]

    def parts(n: int):
        first, last = names[n % 4].split(" ", 1)
        recipient = services.Recipient.structured(
            first_names=f"{first}{n}", last_name=last, street="Kerkstraat",
            house_number=str(n), box="", postcode="9000", municipality="Gent")
        return variant.compose(recipient, f"INV-{n:010d}", {"code": "ABCD-EFGH-JKMN-PQRS"},
                               invitation.signup_url("ABCD-EFGH-JKMN-PQRS"))

    letters = [parts(n) for n in range(count)]
    print(f"{count} invitation letters (nl, fr), one layout\n")
    _per_letter("compose (shaping, overlay, font subsets: uharfbuzz)", count, parts)
    hand = _per_letter("write the letter's PDF: portal/letters/pdf (hand-written)", count,
                       lambda n: archive.letter_pdf(letters[n]))

    template_pdf = render.to_pdf(render.layout(render.document_html(
        "invitation", ("nl", "fr"), {**invitation.context(Cohort()), "vdp_layout": True},
        lambda lang: {})))

    def with_pikepdf(n: int) -> bytes:
        letter = letters[n]
        pdf = pikepdf.Pdf.open(BytesIO(template_pdf))
        font_objects = {}
        for name, font in letter.fonts.items():
            program = pikepdf.Stream(pdf, font.program)
            program.Filter, program.Length1 = pikepdf.Name.FlateDecode, font.length1
            descriptor = pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/" + font.name.decode()),
                FontFile2=program, Flags=32, ItalicAngle=0, Ascent=928, Descent=-236,
                CapHeight=729, StemV=80, FontBBox=[-1021, -463, 1793, 1232]))
            cid = pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2,
                BaseFont=pikepdf.Name("/" + font.name.decode()), FontDescriptor=descriptor,
                CIDToGIDMap=pikepdf.Name.Identity,
                CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"),
                                                 Ordering=pikepdf.String("Identity"),
                                                 Supplement=0)))
            to_unicode = pikepdf.Stream(pdf, font.to_unicode)
            to_unicode.Filter = pikepdf.Name.FlateDecode
            font_objects[name] = pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
                BaseFont=pikepdf.Name("/" + font.name.decode()),
                Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[cid],
                ToUnicode=to_unicode))
        for page, overlay in zip(pdf.pages, letter.overlays, strict=True):
            if overlay:
                stream = pikepdf.Stream(pdf, overlay)
                stream.Filter = pikepdf.Name.FlateDecode
                page.contents_add(stream, prepend=False)
            for name, ref in font_objects.items():
                page.Resources.Font[pikepdf.Name("/" + name)] = ref
        out = BytesIO()
        pdf.save(out, compress_streams=False)
        return out.getvalue()

    library = _per_letter("write the letter's PDF: pikepdf", count, with_pikepdf)
    print(f"{'':58}pikepdf / hand-written: {library / hand:.1f}x\n")

    face = fonts.face("regular")
    gids = [sorted(f.gids) for f in (p.fonts.get("OvR0") for p in letters) if f is not None]
    _per_letter("subset a letter's font: uharfbuzz (portal)", len(gids),
                lambda n: face.subset(set(gids[n])))
    data = face.data

    def with_fonttools(n: int) -> bytes:
        font = TTFont(BytesIO(data), lazy=False)
        options = ft_subset.Options()
        options.retain_gids, options.hinting, options.notdef_outline = True, False, True
        options.drop_tables += ["FFTM"]
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(gids=gids[n])
        subsetter.subset(font)
        out = BytesIO()
        font.save(out)
        return out.getvalue()

    _per_letter("subset a letter's font: fontTools.subset", min(len(gids), 30), with_fonttools)


if __name__ == "__main__":
    main()
