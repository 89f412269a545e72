"""A kind of letter in one language order, laid out once for a run: the template pages
(pdf.vdp.Layout) plus what each letter prints in its slots, per language."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

from portal import i18n
from portal.letters import render, services
from portal.letters.pdf import vdp


class Variant:
    def __init__(self, kind: str, languages, context: dict,
                 kept: tuple[bytes, list[vdp.Slot]] | None = None):
        self.kind = kind
        self.languages = tuple(languages)
        title = render.document_title(kind, self.languages[0])
        qr_prefix = context.get("qr_prefix", b"")
        if kept is not None:
            pdf, slots = kept
            self.layout = vdp.Layout(None, pdf, self.languages, title, qr_prefix=qr_prefix,
                                     slots=slots)
        else:
            html = render.document_html(kind, self.languages, {**context, "vdp_layout": True},
                                        lambda lang: services.Placeholders())
            document = render.layout(html)
            self.layout = vdp.Layout(document, render.to_pdf(document), self.languages, title,
                                     qr_prefix=qr_prefix)
        self.page_count = self.layout.page_count
        # The greeting of each language, looked up once (switching locale per letter costs).
        self.salutation = {}
        for lang in self.languages:
            with i18n.locale(lang):
                self.salutation[lang] = services.salutation_patterns()

    @classmethod
    def kept(cls, folder: Path, kind: str, languages, context: dict) -> Variant:
        """The layout of a run in this language order, laid out by the first of the run's
        processes that needs it and read back by the others from `folder` (each spawned
        worker would otherwise lay out every language order again, a second or so each).
        Kept as the laid-out PDF and its slots (JSON), under a name made of everything
        the layout shows; written whole or not at all."""
        languages = tuple(languages)
        name = hashlib.sha256(json.dumps(
            [render.template_version(kind), kind, languages, context], sort_keys=True,
            default=str).encode()).hexdigest()[:32]
        pdf_path, slots_path = folder / f"{name}.pdf", folder / f"{name}.json"
        try:
            slots = [vdp.Slot(**{**row, "color": row["color"].encode("latin-1")})
                     for row in json.loads(slots_path.read_text())]
            return cls(kind, languages, context, kept=(pdf_path.read_bytes(), slots))
        except (OSError, ValueError, TypeError, KeyError):
            pass
        variant = cls(kind, languages, context)
        rows = [{**dataclasses.asdict(slot), "color": slot.color.decode("latin-1"),
                 "mcid": None} for slot in variant.layout.slots]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for path, data in ((pdf_path, variant.layout.pdf),
                               (slots_path, json.dumps(rows).encode())):  # the PDF first
                part = path.with_suffix(f".{os.getpid()}.part")
                part.write_bytes(data)
                os.replace(part, path)
        except OSError:
            pass  # not kept: the other processes lay it out themselves
        return variant

    def personal(self, recipient: services.Recipient, reference: str, fields: dict,
                 qr_url: str | None = None) -> vdp.Personal:
        texts = {}
        for lang in self.languages:
            lang_texts = {f"address-{i}": line for i, line in enumerate(recipient.lines)}
            lang_texts["reference"] = reference
            lang_texts["salutation"] = services.greeting(self.salutation[lang], recipient)
            lang_texts.update(fields)
            texts[lang] = lang_texts
        # The name as the window prints it (fitted to its line), as a full render's marks.
        name = recipient.lines[0] if recipient.lines else recipient.name
        return vdp.Personal(texts=texts, seed=reference, qr_url=qr_url, reference=reference,
                            name=name)

    def compose(self, recipient: services.Recipient, reference: str, fields: dict,
                qr_url: str | None = None) -> vdp.LetterParts:
        return vdp.compose(self.layout, self.personal(recipient, reference, fields, qr_url))
