"""Issuing letters: render a kind for a recipient in their languages, keep the bytes."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import threading
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import String, cast, delete, select

from portal import audit, clock, i18n, regions
from portal.extensions import db
from portal.letters import address, kinds, limits, render
from portal.letters.models import Letter
from portal.letters.pdf import fonts, vdp
from portal.outbox import Delivery
from portal.refusals import Refusal
from portal.security import Role

# Crockford base32 without the check symbols: readable on paper and over the phone.
_REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """Who a letter goes to, as printed in the envelope window.

    Either structured (first names, surname, street, number, box, postcode, municipality:
    the window lines then follow the postal rule of letters.address, with the box word of
    the letter's first language) or given as a name and ready-made address lines. An
    organisation (an enterprise) is structured too, with the person it is for (`contact`)
    on the line below its name; such a letter greets that person formally (`formal`)."""

    name: str
    address_lines: tuple[str, ...]
    postcode: str
    first_name: str | None = None
    # Language from the National Register, which overrides the postcode's region.
    register_language: str | None = None
    extra: dict = field(default_factory=dict, compare=False)
    first_names: str | None = None
    last_name: str | None = None
    street: str | None = None
    house_number: str | None = None
    box: str | None = None
    municipality: str | None = None
    contact: str | None = None
    contact_function: str | None = None
    formal: bool = False

    @classmethod
    def from_person(cls, person) -> Recipient:
        return cls.structured(
            first_names=person.first_names, last_name=person.last_name, street=person.street,
            house_number=person.house_number, box=person.box, postcode=person.postcode,
            municipality=person.municipality, register_language=person.register_language)

    @classmethod
    def structured(cls, *, first_names: str, last_name: str, street: str, house_number: str,
                   box: str | None, postcode: str, municipality: str,
                   register_language: str | None = None) -> Recipient:
        return cls(
            name=f"{first_names} {last_name}".strip(), address_lines=(), postcode=postcode,
            first_name=first_names.split(" ")[0] if first_names else None,
            register_language=register_language, first_names=first_names,
            last_name=last_name, street=street, house_number=house_number, box=box or "",
            municipality=municipality)

    @classmethod
    def organisation(cls, *, name: str, contact: str | None, contact_function: str | None,
                     street: str | None, house_number: str | None, box: str | None,
                     postcode: str | None, municipality: str | None,
                     register_language: str | None = None) -> Recipient:
        """An enterprise at its postal address, the letter for `contact` (greeted by name,
        formally; without a contact the greeting names nobody, never the company)."""
        return cls(
            name=name, address_lines=(), postcode=postcode or "",
            register_language=register_language, street=street or "",
            house_number=house_number or "", box=box or "", municipality=municipality or "",
            contact=(contact or "").strip() or None,
            contact_function=(contact_function or "").strip() or None, formal=True)

    @property
    def attention_lines(self) -> tuple[str, ...]:
        """The person an organisation's letter is for, below its name."""
        if not self.contact:
            return ()
        return (", ".join(filter(None, (self.contact, self.contact_function))),)

    @cached_property
    def lines(self) -> tuple[str, ...]:
        """The window lines; raises address.AddressDoesNotFit when they cannot fit."""
        try:
            language = self.languages()[0]
        except ValueError:
            language = "nl"
        if self.street is not None:
            return tuple(address.window_lines(
                first_names=self.first_names, last_name=self.last_name, name=self.name,
                street=self.street, house_number=self.house_number, box=self.box,
                postcode_line=f"{self.postcode} "
                              f"{address.municipality_name(self.municipality or '', language)}"
                .strip(),
                language=language, attention_lines=self.attention_lines))
        return tuple(address.window_lines(
            first_names=self.first_names, last_name=self.last_name, name=self.name,
            street=None, house_number=None,
            box=None, postcode_line=None, other_lines=self.address_lines, language=language,
            attention_lines=self.attention_lines))

    def postal_gaps(self) -> tuple[str, ...]:
        """What the post would need and this address lacks: among "street",
        "house_number", "postcode" (a postcode of the region table), "municipality", or
        "address" for ready-made lines without a street line and a town line."""
        known_postcode = regions.lookup(self.postcode) is not None
        if self.street is None:
            gaps = () if len(self.address_lines) >= 2 else ("address",)
            return gaps + (() if known_postcode else ("postcode",))
        return tuple(part for part, given in (
            ("street", (self.street or "").strip()),
            ("house_number", (self.house_number or "").strip()),
            ("postcode", known_postcode),
            ("municipality", (self.municipality or "").strip())) if not given)

    @property
    def deliverable(self) -> bool:
        """Can the post deliver a letter to this address?"""
        return not self.postal_gaps()

    def online(self) -> Recipient:
        """The same recipient for a letter that only goes online: the window names them
        and prints no part of an address that could not be delivered anyway."""
        return replace(self, address_lines=(), street=None)

    def languages(self) -> tuple[str, ...]:
        """The register's language first if it gave one, else the postcode region's: never
        the language someone happens to use the portal in."""
        return letter_languages(self.postcode, self.register_language)


POST = "post"
ONLINE = "online"


def _gap_labels() -> dict[str, str]:
    return {"street": _("the street"), "house_number": _("the house number"),
            "postcode": _("a known Belgian postcode"), "municipality": _("the municipality"),
            "address": _("a street line and a postcode line")}


class IncompleteAddress(Refusal, ValueError):
    """A letter for the post whose address the post could not deliver: refused."""

    def __init__(self, gaps):
        labels = _gap_labels()
        super().__init__(_("This letter cannot be sent by post: its address lacks "
                           "%(missing)s. Complete the address first.",
                           missing=", ".join(labels[gap] for gap in gaps)))
        self.gaps = tuple(gaps)


def for_delivery(recipient: Recipient, delivery: str | None = None
                 ) -> tuple[Recipient, str]:
    """The recipient as printed for `delivery`, and the delivery: "post" (refused with
    IncompleteAddress when the address is not deliverable), "online", or None for post
    when the address is deliverable and online otherwise."""
    if delivery is None:
        delivery = POST if recipient.deliverable else ONLINE
    if delivery == POST:
        gaps = recipient.postal_gaps()
        if gaps:
            raise IncompleteAddress(gaps)
        return recipient, POST
    if delivery != ONLINE:
        raise ValueError(f"unknown delivery {delivery!r}")
    return recipient.online(), ONLINE


def letter_languages(postcode: str, register_language: str | None = None,
                     chosen: str | None = None) -> tuple[str, ...]:
    """The languages of a letter, its first language first: the register language, else a
    letter language the person chose (nl, fr or de), else the postcode region's; never the
    language someone happens to use the portal in (English). Raises regions.UnknownPostcode
    for a postcode not in the table when neither language is given."""
    for language in (register_language, chosen):
        if language in i18n.LETTER_LANGUAGES:
            return regions.REGISTER_LANGUAGES[language]
    return regions.letter_languages(postcode)


def new_reference(kind: str, today: date | None = None) -> str:
    """e.g. INV-2611-7K3M9Q2X: kind, year and month, 40 random bits."""
    today = today or clock.today()
    tail = "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))
    return f"{kinds.reference_prefix(kind)}-{today:%y%m}-{tail}"


def salutation_pattern() -> str:
    """The greeting in the current locale, with a %(name)s placeholder."""
    return _("Dear %(name)s,")


def salutation_patterns() -> tuple[str, str, str]:
    """The greetings in the current locale: to a citizen (by first name), to a person
    written to formally (an enterprise's contact, by full name), and to nobody by name."""
    # TRANSLATORS: greeting of a letter to an enterprise's contact person, by full name:
    # formal (u / vous / Sie), and neutral as to gender.
    formal = _("Dear Ms/Mr %(name)s,")
    # TRANSLATORS: greeting of a formal letter when no person's name is known.
    return salutation_pattern(), formal, _("Dear Sir or Madam,")


def greeting(patterns: tuple[str, str, str], recipient: Recipient) -> str:
    """The greeting of `recipient` from `salutation_patterns()`."""
    informal, formal, anonymous = patterns
    if recipient.formal:
        return formal % {"name": recipient.contact} if recipient.contact else anonymous
    return informal % {"name": recipient.first_name or recipient.name}


def personal_slots(lang: str, recipient: Recipient, reference: str, extra: dict) -> dict:
    """The personal texts of one language section: address, reference, salutation, and the
    kind's own slots (e.g. the invitation code). Shared by the full render and letter runs."""
    slots = {f"address-{i}": line for i, line in enumerate(recipient.lines)}
    slots["reference"] = reference
    with i18n.locale(lang):
        slots["salutation"] = greeting(salutation_patterns(), recipient)
    slots.update(extra)
    return slots


class NotPrintable(Refusal, ValueError):
    """A letter that would print a blank or cut text off (a character no letter font has,
    a personal text wider than its line): refused, with the measured reason, as letter
    runs fail such a letter. The action that was to send it is refused with it."""

    def __init__(self, reason: str):
        super().__init__(_("This letter cannot be printed whole (%(reason)s): correct the "
                           "name or address first.", reason=reason))
        self.reason = reason


def render_letter(kind: str, *, recipient: Recipient, context: dict, languages, reference: str,
                  slots: dict | None = None) -> tuple[bytes, int]:
    """Render a letter in full (one WeasyPrint document). Returns (pdf bytes, page count).
    Raises NotPrintable instead of printing a blank or cutting text off. Rendered in a
    child process under the render limits: raises limits.RenderLimitExceeded (a Refusal)
    when they are passed."""
    render.warm()
    return limits.isolated(render_here, kind, recipient=recipient, context=context,
                           languages=tuple(languages), reference=reference, slots=slots)


def check_printable(*, recipient: Recipient, languages, reference: str,
                    slots: dict | None = None) -> None:
    """What a full render would refuse about a letter's personal texts (a character no
    font has, an address line or a salutation wider than its box), found in milliseconds:
    for a letter made later (letters.pending), so that the action issuing it is refused at
    once, as when the letter was made in the request. Raises NotPrintable."""
    languages = tuple(languages)
    try:
        texts = {lang: personal_slots(lang, recipient, reference, slots or {})
                 for lang in languages}
        fonts.covered(" ".join(str(text) for lang_texts in texts.values()
                               for text in lang_texts.values()))
        for slot in slot_boxes(languages):
            text = texts.get(slot.lang, {}).get(slot.name)
            if slot.block and text:
                vdp.fitted(slot, text)
    except (address.AddressDoesNotFit, fonts.MissingGlyph, vdp.TextOverflow) as error:
        raise NotPrintable(str(error)) from error


class Placeholders(dict):
    """Every text slot of a layout holds one invisible character: it gets its place in the
    structure tree (reading order) and is replaced by each letter's own text."""

    def get(self, key, default=None):
        return "0"


_SLOT_BOXES: dict[tuple, list] = {}
_SLOT_LOCK = threading.Lock()
_BOX_FIELDS = ("name", "lang", "width", "style", "size", "block")
# The frame every kind extends: the address window, the reference and the salutation.
BASE = "_base"


def slot_boxes(languages: tuple) -> list:
    """The boxes of the personal texts of any length every kind prints (the address lines
    and the salutation; they lie in the frame all kinds extend) in this language order.
    Laid out once per version of the frame, in a child under the render limits, and kept
    in the instance folder: a web process checks a name against them without laying
    anything out."""
    version = render.template_version(BASE)
    key = (languages, version)
    if key in _SLOT_BOXES:
        return _SLOT_BOXES[key]
    path = (Path(current_app.instance_path) / "letter-slots"
            / f"{version}-{'-'.join(languages)}.json")
    with _SLOT_LOCK:  # one layout at a time in a process, as WeasyPrint requires
        try:
            rows = json.loads(path.read_text())
        except (OSError, ValueError):
            rows = limits.isolated(_slot_rows, languages)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                part = path.with_suffix(f".{os.getpid()}.part")
                part.write_text(json.dumps(rows))
                os.replace(part, path)  # whole or not at all, for the other processes
            except OSError as exc:  # a read-only instance folder: kept in this process only
                log.warning("letter slot boxes not kept in %s: %s", path.parent, exc)
    _SLOT_BOXES[key] = [vdp.Slot(page=0, x=0.0, top=0.0, height=0.0, baseline=0.0,
                                 color=b"", **row) for row in rows]
    return _SLOT_BOXES[key]


def _slot_rows(languages: tuple) -> list[dict]:
    html = render.document_html(BASE, languages, {"vdp_layout": True},
                                lambda _lang: Placeholders())
    return [{field: getattr(slot, field) for field in _BOX_FIELDS}
            for slot in vdp.find_slots(render.layout(html)) if _free_text(slot.name)]


def _free_text(name: str) -> bool:
    """A personal text of any length: an address line or the salutation (kinds print the
    reference, of a fixed length, where they choose)."""
    return name.startswith("address-") or name == "salutation"


def prepare_slot_boxes() -> int:
    """Lay out the slot boxes of every language order letters use, if not kept yet (a
    letter worker at its start): no submit waits for the first. Returns how many orders."""
    orders = {*regions.REGION_LANGUAGES.values(), *regions.REGISTER_LANGUAGES.values()}
    for languages in orders:
        slot_boxes(tuple(languages))
    return len(orders)


def render_here(kind: str, *, recipient: Recipient, context: dict, languages,
                reference: str, slots: dict | None = None) -> tuple[bytes, int]:
    """As render_letter, in this process: for a dedicated worker that sets its own limits
    (a letter run's per-letter layout, under limits.guarded)."""
    context = {**context, "letter_date": context.get("letter_date") or clock.today()}
    try:
        # The address is laid out (measured) here: a character no font has stops it too.
        texts = {lang: personal_slots(lang, recipient, reference, slots or {})
                 for lang in languages}
        html = render.document_html(kind, languages, context, texts.__getitem__)
        # Only the packaged fonts print letters: never a blank, never a system font.
        fonts.covered(render.text_of(html))
        document = render.layout(html)
        # Nothing is cut off: a personal text wider than its line fails as in letter runs.
        vdp.check_fits(document, texts)
    except (address.AddressDoesNotFit, fonts.MissingGlyph, vdp.TextOverflow) as error:
        raise NotPrintable(str(error)) from error
    return render.to_archive_pdf(document), len(document.pages)



def delete_of_subjects(model, ids) -> None:
    """Delete the archived letters (and those still being made) whose subject is a row of
    `model` among `ids` (a list or a select of ids): a domain erasing or purging its
    records takes their letters too."""
    for table in (Letter, Delivery):
        db.session.execute(delete(table).where(
            table.subject_type == model.__name__,
            table.subject_id.in_(select(cast(model.id, String)).where(model.id.in_(ids))),
        ).execution_options(synchronize_session=False))


def store(kind: str, *, pdf: bytes, page_count: int, reference: str, languages, actor,
          person=None, user=None, cohort=None, subject=None, job_id: int | None = None,
          flush: bool = True, delivery: str = POST) -> Letter:
    """Archive issued bytes as a Letter row (flush, no commit). `delivery`: "post", or
    "online" for a letter without a deliverable address (account page and e-mail only)."""
    subject_type = subject_id = None
    if isinstance(subject, tuple):
        subject_type, subject_id = subject[0], str(subject[1])
    elif subject is not None:
        subject_type, subject_id = type(subject).__name__, str(subject.id)
    letter = Letter(
        kind=kind,
        reference=reference,
        person_id=getattr(person, "id", None),
        user_id=getattr(user, "id", None),
        cohort_id=getattr(cohort, "id", None),
        subject_type=subject_type,
        subject_id=subject_id,
        languages=",".join(languages),
        template_version=render.template_version(kind),
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        page_count=page_count,
        created_by_id=getattr(actor, "id", None),
        pdf=pdf,
        job_id=job_id,
        delivery=delivery,
    )
    db.session.add(letter)
    if flush:
        db.session.flush()
    return letter


def issue(kind: str, *, recipient: Recipient, context: dict, actor, languages=None,
          person=None, user=None, cohort=None, subject=None, reference: str | None = None,
          slots: dict | None = None, delivery: str | None = None) -> Letter:
    """Render the kind's template (declared by its domain, see kinds) for each language in
    order, archive and audit it.

    `context` is available in the template; `slots` are extra personal texts printed in the
    template's data-slot elements. `delivery` (see for_delivery): "post" refuses an address
    the post cannot deliver (IncompleteAddress); by default a letter goes to the post when
    its address is deliverable and online only otherwise. The caller commits.
    """
    languages = tuple(languages or recipient.languages())
    recipient, delivery = for_delivery(recipient, delivery)
    if user is None and person is not None:
        user = person.user
    reference = reference or new_reference(kind)
    pdf, pages = render_letter(kind, recipient=recipient, context=context, languages=languages,
                               reference=reference, slots=slots)
    letter = store(kind, pdf=pdf, page_count=pages, reference=reference, languages=languages,
                   actor=actor, person=person, user=user, cohort=cohort, subject=subject,
                   delivery=delivery)
    audit.record(actor, "letter.issued", letter, kind=kind, reference=reference,
                 languages=letter.languages, sha256=letter.sha256, delivery=delivery)
    return letter


# The kinds of letter that carry a live invitation code: the invitation and its reminder.
INVITATION_KIND = "invitation"
CODE_KINDS = (INVITATION_KIND, "invitation_reminder")


def readable_by(letter: Letter, user) -> bool:
    """A citizen reads their own letters; a recruiter the letters of applications (which
    they review); invitation letters, which carry a live code, only administrators.
    Staff reading someone else's letter is audited by the caller."""
    role = Role(user.role)
    if role == Role.ADMIN:
        return True
    if role == Role.RECRUITER:
        return letter.kind not in CODE_KINDS and letter.subject_type == "Application"
    if letter.user_id is not None and letter.user_id == user.id:
        return True
    person = getattr(user, "person", None)
    return letter.person_id is not None and person is not None and letter.person_id == person.id
