"""Two HR users of one enterprise sign the same agreement at the same moment: it is signed
once, with one letter; the other is told it is already signed."""
import threading

from portal import i18n
from portal.employers import services
from portal.employers.models import Agreement
from portal.extensions import db
from portal.letters.models import Letter
from portal.refusals import Refusal
from tests.employers.helpers import ADDRESS, employer, hr_user, proposed_agreement


def test_signing_twice_at_the_same_moment_signs_once(app):
    company = employer()
    signers = [hr_user(company), hr_user(company)]
    agreement = proposed_agreement(company)
    db.session.commit()
    agreement_id, terms_id = agreement.id, agreement.terms_id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def sign(user_id: int) -> None:
        from portal.accounts.models import User

        with app.app_context(), i18n.locale("en"):
            user = db.session.get(User, user_id)
            item = db.session.get(Agreement, agreement_id)
            barrier.wait()
            try:
                services.sign(user, item, name=user.full_name, function="HR",
                              terms_id=terms_id, version=1, address=ADDRESS)
                db.session.commit()
                outcomes.append("signed")
            except Refusal as refusal:
                db.session.rollback()
                outcomes.append(refusal.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sign, args=(u.id,)) for u in signers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["This agreement is already signed.", "signed"]
    db.session.expire_all()
    assert db.session.get(Agreement, agreement_id).status == "signed"
    assert db.session.scalar(db.select(db.func.count()).select_from(Letter)) == 1
