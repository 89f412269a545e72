"""`flask privacy rekey-health`: every stored health answer and medical reason under the
first key of HEALTH_DATA_KEYS, in batches. Run after putting a new key first; once it
reports nothing left under an old key, that key can leave the list."""
from __future__ import annotations

from portal import keyring
from portal.applications import health
from portal.applications.models import Application, TestResult

# Every encrypted health value.
ENCRYPTED = (Application.health_answers, TestResult.medical_reason)

rekey_health = keyring.rekey_command(
    "rekey-health", health.KEYS, ENCRYPTED, "privacy.health_rekeyed",
    "Re-encrypt health answers and medical reasons with the first HEALTH_DATA_KEYS key.")

# `flask privacy rekey-health`.
privacy = keyring.privacy_group(rekey_health)
