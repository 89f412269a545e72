"""Two HR users of one enterprise sign the same agreement at the same moment: it is signed
once, with one letter; the other is told it is already signed."""
from functools import partial

from portal.accounts.models import User
from portal.employers import services
from portal.employers.models import Agreement
from portal.extensions import db
from portal.letters.models import Letter
from tests.employers.helpers import ADDRESS, employer, hr_user, proposed_agreement
from tests.support import races


def test_signing_twice_at_the_same_moment_signs_once(app):
    company = employer()
    signers = [hr_user(company), hr_user(company)]
    agreement = proposed_agreement(company)
    db.session.commit()
    agreement_id, terms_id = agreement.id, agreement.terms_id

    def attempt(user_id: int):
        user = db.session.get(User, user_id)
        item = db.session.get(Agreement, agreement_id)

        def move():
            services.sign(user, item, name=user.full_name, function="HR", terms_id=terms_id,
                          version=1, address=ADDRESS)
            return "signed"
        return move

    outcomes = races.at_once(app, [partial(attempt, user.id) for user in signers])
    assert sorted(outcomes) == ["This agreement is already signed.", "signed"]
    db.session.expire_all()
    assert db.session.get(Agreement, agreement_id).status == "signed"
    assert db.session.scalar(db.select(db.func.count()).select_from(Letter)) == 1
