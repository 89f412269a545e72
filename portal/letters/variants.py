"""A kind of letter in one language order, laid out once for a run: the template pages
(pdf.vdp.Layout) plus what each letter prints in its slots, per language."""
from __future__ import annotations

from portal import i18n
from portal.letters import render, services
from portal.letters.pdf import vdp


class Variant:
    def __init__(self, kind: str, languages, context: dict):
        self.kind = kind
        self.languages = tuple(languages)
        html = render.document_html(kind, self.languages, {**context, "vdp_layout": True},
                                    lambda lang: services.Placeholders())
        document = render.layout(html)
        title = render.document_title(kind, self.languages[0])
        self.layout = vdp.Layout(document, render.to_pdf(document), self.languages, title,
                                 qr_prefix=context.get("qr_prefix", b""))
        self.page_count = self.layout.page_count
        # The greeting of each language, looked up once (switching locale per letter costs).
        self.salutation = {}
        for lang in self.languages:
            with i18n.locale(lang):
                self.salutation[lang] = services.salutation_patterns()

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
