"""Every letter kind filled with the longest values it meets in real use: long settings,
unit and enterprise names, two-day selections, the longest labels of each vocabulary, long
names and streets. Rendered in full (the layout the archive and the print shop get) for
layout checks; no database needed."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from types import SimpleNamespace

from portal import i18n
from portal.letters import render, services

# Settings as a deployment may set them: a switchboard with extension, long opening hours.
LONG_SETTINGS = {
    "LETTER_PHONE": "+32 2 441 00 00 (keuze 3 / choix 3 / Wahl 3)",
    "LETTER_HOURS": "ma–vr / lu–ve / Mo–Fr 8:30–12:00 en 13:00–16:30",
    "LETTER_SIGNATORY": "Kolonel van het Vliegwezen Anne-Catherine Vandenbroucke-Peeters",
    "LETTER_EMAIL": "dienstjaar-servicedannee-dienstjahr@mil.be",
    "LETTER_DPO_EMAIL": "data-protection-officer@mil.be",
    "BASE_URL": "https://dienstjaar-servicedannee.mil.be",
}

# A long name and a long street that still fit the window without initials.
RECIPIENT = dict(
    first_names="Marie-Charlotte", last_name="Van den Bossche-de Ryhove",
    street="Burgemeester Vandenbogaerdelaan", house_number="1234", box="12B",
    postcode="8000", municipality="Brugge")
# The German area: a German-speaking register person in Sankt Vith.
RECIPIENT_DE = dict(
    first_names="Anna-Katharina", last_name="Schmitz-Wiesenbach",
    street="Hauptstraße der Gemeinschaft", house_number="128", box="3",
    postcode="4780", municipality="Sankt Vith")

# The kinds and their variants (the longest branch of each template).
NAMES = ("invitation", "invitation_reminder", "acknowledgement", "convocation",
         "decision-selected", "decision-waitlisted", "decision-rejected", "reserve-approved",
         "reserve-rejected",
         "agreement-sign", "agreement-notify", "agreement-suspend", "statement",
         "leave_statement", "self_statement", "data_export",
         "review_answer-upheld", "review_answer-reserve", "statement_review_answer-employer",
         "statement_review_answer-reservist")
# Language orders of letters: Flemish, Walloon and the German area (three sections).
ORDERS = (("nl", "fr"), ("fr", "nl"), ("de", "fr", "nl"))

UNIT = SimpleNamespace(
    name="Bataljon Bevrijding – 5de Linie / Bataillon Libération – 5e de Ligne",
    place="Marche-en-Famenne (Quartier Roi Albert Ier)")
INTAKE = SimpleNamespace(name="September 2027 (Landcomponent / Composante Terre)",
                         title="Militair Dienstjaar September 2027 (Landcomponent)",
                         start_date=date(2027, 9, 13), flag_after_days=21,
                         reschedule_days=14,
                         # The offer (offer_terms): the longest realistic values.
                         offer_pay_gross_cents=2_345_678, offer_pay_net_cents=1_987_654,
                         offer_rank="volunteer", offer_leave_days=365,
                         offer_function="Chauffeur zwaar vervoer / Conducteur poids lourds "
                                        "(rijbewijs C / permis C), logistiek bataljon",
                         first_day_lodging="Kazerne, kamer van 4 / caserne, chambre de 4, "
                                           "beddengoed voorzien / literie fournie")
APPLICATION = SimpleNamespace(reference="APP-2709-7K3M9Q2X", waitlist_rank=1234,
                              offer_deadline=date(2027, 7, 30),
                              submitted_at=datetime(2027, 3, 14, 10, 0))
DAY = SimpleNamespace(
    day=date(2027, 5, 26), starts_at=time(7, 45), ends_at=time(17, 30),
    second_day=date(2027, 5, 27), second_starts_at=time(7, 45), second_ends_at=time(16, 15),
    overnight=True,
    place="Kwartier Koningin Elisabeth / Quartier Reine Elisabeth, Eversestraat 1, "
          "1140 Evere")
ENGAGEMENT = SimpleNamespace(reference="RES-2709-7K3M9Q2X", days_per_year=30,
                             commitment_months=36, start_date=date(2027, 9, 29),
                             end_date=date(2030, 9, 28))
EMPLOYER = SimpleNamespace(
    name="Brouwerij Van Honsebrouck – Kasteel Ingelmunster Bierhandel en Distributie NV",
    formatted_number="0123.456.789", language="nl")
RESERVIST = SimpleNamespace(full_name="Marie-Charlotte Van den Bossche-de Ryhove")
TERMS = SimpleNamespace(days_per_year=30, notice_days=60, digest="9f" * 32,
                        sector_name="Paritair Comité voor de voedingsnijverheid / Commission "
                                    "paritaire de l'industrie alimentaire (PC/CP 118)",
                        sector_version=12)
AGREEMENT = SimpleNamespace(
    signed_at=datetime(2027, 10, 4, 9, 30), signed_name="Jean-Baptiste Vandenbroucke",
    signed_function="Directeur des ressources humaines et de la prévention",
    events=[SimpleNamespace(reason="Reorganisatie van de productieafdeling: de reservist "
                                   "werkt voortaan in ploegen en kan niet meer vrijgesteld "
                                   "worden op de gevraagde dagen.")])


def _longest(labels) -> str:
    return max((str(label) for label in labels.values()), key=len)


def _statement():
    # Part-time and corrected on review: the longest cells of the table.
    lines = tuple(SimpleNamespace(
        reservist=f"{name} Van den Bossche-de Ryhove", served_days=30, agreed_days=30,
        compensated_days=30, rate=Decimal("145.50"), amount=Decimal("4365.00"),
        work_percent=85, part_time=True, corrected=Decimal("12345.67"),
        due=Decimal("12345.67"))
        for name in ("Marie-Charlotte", "Jean-Baptiste", "Anne-Sophie", "Pieter-Jan"))
    return SimpleNamespace(year=2027, lines=lines, total=Decimal("49382.68"), total_days=120,
                           corrected_total=Decimal("49382.68"),
                           counted_total=Decimal("17460.00"), iban="BE71 0961 2345 6769",
                           payment_date=date(2028, 4, 29), review_deadline=date(2028, 3, 30),
                           payment_days=30, open_reviews=True, employer=EMPLOYER)


def _leave():
    lines = [SimpleNamespace(reservist=f"{name} Van den Bossche-de Ryhove", served_days=30,
                             work_percent=85, leave_days=25.5)
             for name in ("Marie-Charlotte", "Jean-Baptiste", "Anne-Sophie", "Pieter-Jan")]
    return {"statement": _statement(), "employer": EMPLOYER, "formal": True,
            "leave_lines": lines, "leave_total": 102.0, "leave_rate": 1.0}


def _export_sections():
    account = [("E-mail address", "marie-charlotte.vandenbossche-deryhove@example.be"),
               ("Name", RESERVIST.full_name), ("Language", "nl")]
    application = [("Reference", APPLICATION.reference), ("Intake", INTAKE.name),
                   SimpleNamespace(title="Contact", rows=[
                       ("Street", "Burgemeester Vandenbogaerdelaan 1234 bus 12B"),
                       ("Municipality", "8000 Brugge")])]
    return [SimpleNamespace(title="Account", rows=account),
            SimpleNamespace(title="Applications", rows=application)]


def _rules():
    from flask import current_app

    from portal import privacy_registry

    return privacy_registry.rules(current_app)


def kinds() -> dict[str, dict]:
    """Each kind (and variant of a kind) with the context of its longest realistic text.
    Evaluated inside an application context (labels are translated per section)."""
    from portal.applications import offer_terms
    from portal.applications import vocab as application_vocab
    from portal.reserve import vocab as reserve_vocab

    reasons = application_vocab.REJECTION_REASONS
    decision = {"application": APPLICATION, "intake": INTAKE,
                "component_label": _longest(application_vocab.COMPONENT_LABELS),
                "reason_text": _longest(reasons),
                "ground_text": _longest(application_vocab.REJECTION_GROUNDS),
                "portal_address": LONG_SETTINGS["BASE_URL"],
                "offer_lines": offer_terms.lines(INTAKE)}
    reserve = {"engagement": ENGAGEMENT, "unit": UNIT,
               "pillar_label": _longest(reserve_vocab.PILLAR_LABELS),
               "rank_label": _longest(reserve_vocab.RANK_LABELS),
               "reason_text": _longest(reserve_vocab.REJECTION_REASONS),
               "ground_text": _longest(reserve_vocab.REJECTION_GROUNDS),
               "portal_address": LONG_SETTINGS["BASE_URL"]}
    agreement = {"agreement": AGREEMENT, "employer": EMPLOYER, "reservist": RESERVIST,
                 "terms": TERMS, "compensation": Decimal("145.50"),
                 "reason": AGREEMENT.events[-1].reason}
    review = {"contact_address": "Defensie, Dienstjaar / Défense, Année de Service Militaire, "
                                  "Eversestraat 1 / Rue d'Evere 1, 1140 Evere",
              "council_days": 60, "application": APPLICATION, "intake": INTAKE}
    statement_review = SimpleNamespace(
        year=2027, created_at=datetime(2028, 2, 2, 10, 0), outcome="corrected",
        line_reservist_id=1, line_reservist=RESERVIST, amount_cents=436_500,
        corrected_cents=1_234_567,
        answer="The unit's attendance list of the June exercise shows four days, not two: "
               "a corrected statement with the four days follows.")
    answer = ("We looked again at every result of your selection days, at the medical file "
              "as the selection centre's doctor recorded it and at the reasons you gave us. "
              "The psychotechnical tests were scored as for every candidate of this intake.")
    return {
        "statement_review_answer-employer": {"kind": "statement_review_answer", "context": {
            "review": statement_review, "employer": EMPLOYER, "formal": True}},
        "statement_review_answer-reservist": {"kind": "statement_review_answer", "context": {
            "review": statement_review, "employer": EMPLOYER, "formal": False}},
        "review_answer-upheld": {"kind": "review_answer", "context": {
            **review, "reserve": None, "review": SimpleNamespace(
                created_at=datetime(2027, 8, 2, 10, 0), outcome="upheld", answer=answer)}},
        "review_answer-reserve": {"kind": "review_answer", "context": {
            **review, "engagement": ENGAGEMENT, "reserve": True, "review": SimpleNamespace(
                created_at=datetime(2027, 8, 2, 10, 0), outcome="upheld", answer=answer)}},
        "invitation": {"kind": "invitation", "context": {
            # A cohort born over several years: the longest of the three age sentences.
            "age_youngest": 17, "age_oldest": 25,
            "signup_address": "dienstjaar-servicedannee.mil.be/start",
            "parents_address": "dienstjaar-servicedannee.mil.be/parents",
            "expires_on": date(2027, 12, 31), "deleted_on": date(2028, 3, 30),
            "contact_address": "Defensie, Militair Dienstjaar, Eversestraat 1, 1140 Evere",
            "qr_uri": render.qr_data_uri(LONG_SETTINGS["BASE_URL"] + "/start?code=X")},
            "slots": {"code": "7K3M-9Q2X-HW4T"}},
        "invitation_reminder": {"kind": "invitation_reminder", "context": {
            "age_youngest": 17, "age_oldest": 25,
            "signup_address": "dienstjaar-servicedannee.mil.be/start",
            "parents_address": "dienstjaar-servicedannee.mil.be/parents",
            "answer_address": "dienstjaar-servicedannee.mil.be/start/answer",
            "expires_on": date(2027, 12, 31), "deleted_on": date(2028, 3, 30),
            "contact_address": "Defensie, Militair Dienstjaar, Eversestraat 1, 1140 Evere",
            "qr_uri": render.qr_data_uri(LONG_SETTINGS["BASE_URL"] + "/start?code=X")},
            "slots": {"code": "7K3M-9Q2X-HW4T"}},
        "acknowledgement": {"kind": "acknowledgement", "context": {
            "application_reference": APPLICATION.reference, "intake_name": INTAKE.name,
            "submitted_on": date(2027, 3, 14), "start_date": INTAKE.start_date,
            "answer_days": 21}},
        "convocation": {"kind": "convocation", "context": {
            "application": APPLICATION, "intake": INTAKE, "changed": True,
            "selection_day": DAY, "bring": ("identity_card", "glasses", "medication",
                                            "sports", "diplomas")}},
        "decision-selected": {"kind": "decision", "context": {**decision,
                                                              "outcome": "selected"}},
        "decision-waitlisted": {"kind": "decision", "context": {**decision,
                                                                "outcome": "waitlisted"}},
        "decision-rejected": {"kind": "decision", "context": {**decision,
                                                              "outcome": "rejected"}},
        "reserve-approved": {"kind": "reserve", "context": {**reserve, "outcome": "approved"}},
        "reserve-rejected": {"kind": "reserve", "context": {**reserve, "outcome": "rejected"}},
        "agreement-sign": {"kind": "agreement", "context": {**agreement, "action": "sign"}},
        "agreement-notify": {"kind": "agreement", "context": {**agreement,
                                                              "action": "notify"}},
        "agreement-suspend": {"kind": "agreement", "context": {**agreement,
                                                               "action": "suspend"}},
        "statement": {"kind": "statement", "context": {
            "statement": _statement(), "employer": EMPLOYER}},
        "leave_statement": {"kind": "leave_statement", "context": _leave()},
        "self_statement": {"kind": "self_statement", "context": {"formal": False, "statement":
            SimpleNamespace(
                year=2027, name=RESERVIST.full_name,
                row=SimpleNamespace(formatted_number="0123.456.789"),
                line=SimpleNamespace(served_days=365, rate=Decimal("12345.67")),
                total=Decimal("4506169.55"), iban="BE71 0961 2345 6769 1234 5678 9012 34",
                payment_date=date(2028, 4, 29), review_deadline=date(2028, 3, 30),
                payment_days=30)}},
        "data_export": {"kind": "data_export", "context": {
            "sections": _export_sections(), "controller": "Defence, Rue d'Evere 1, 1140 Evere",
            "dpo": LONG_SETTINGS["LETTER_DPO_EMAIL"], "rules": _rules(),
            "retention": [SimpleNamespace(what="Your application", on=date(2028, 9, 30),
                                          note="90 days after the intake ends"),
                          SimpleNamespace(what="Your account", on=None, note="")]}},
    }


def recipient(languages) -> services.Recipient:
    given = RECIPIENT_DE if languages[0] == "de" else RECIPIENT
    return services.Recipient.structured(register_language=languages[0], **given)


def document_html(name: str, languages, spec: dict | None = None) -> str:
    """The full render's HTML of a specimen, with its personal texts in their slots."""
    spec = spec or kinds()[name]
    to = recipient(languages)
    reference = services.new_reference(spec["kind"])
    texts = {lang: services.personal_slots(lang, to, reference, spec.get("slots", {}))
             for lang in languages}
    context = {"letter_date": date(2027, 9, 30), **spec["context"]}
    return render.document_html(spec["kind"], tuple(languages), context, texts.__getitem__)


def layout(app, name: str, languages, spec: dict | None = None):
    """The laid-out WeasyPrint document of a specimen, under the long settings."""
    saved = {key: app.config[key] for key in LONG_SETTINGS}
    app.config.update(LONG_SETTINGS)
    try:
        with i18n.locale(languages[0]):
            return render.layout(document_html(name, languages, spec))
    finally:
        app.config.update(saved)
