"""Endpoint secrets sealed at rest: a database dump or a read-only leak does not hand out the keys
that sign a company's webhooks.

The worker must sign with the secret itself (HMAC), so it is encrypted, not hashed: Fernet
(AES-128-CBC with an HMAC-SHA256, from `cryptography`) under a key derived from SECRET_KEY. Rotating
SECRET_KEY follows Django's rule for signed data: keep the old key in SECRET_KEY_FALLBACKS until
every secret was sealed again (`manage.py webhooks_reseal`).
A value still in the clear (written before sealing existed) reads as it is and is sealed when the
row is next saved.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from webhooks.sending import SECRET_PREFIX  # a sealed value never starts with it (Fernet's: `gAAAA`)


def _fernet(key: str) -> Fernet:
    digest = hashlib.sha256(f"job_portal.webhooks.sealing:{key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    """Seals with SECRET_KEY; opens with it or any of SECRET_KEY_FALLBACKS."""
    return MultiFernet([_fernet(key) for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)])


def seal(secret: str) -> str:
    return _keys().encrypt(secret.encode()).decode()


def unseal(stored: str) -> str:
    if not stored or stored.startswith(SECRET_PREFIX):
        return stored
    try:
        return _keys().decrypt(stored.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A webhook secret was sealed with a key this server does not have: put the previous "
            "SECRET_KEY in SECRET_KEY_FALLBACKS."
        ) from error


class SealedSecretField(models.TextField):
    """A secret stored sealed (`seal`) and read back in the clear; never searched or compared in SQL."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else unseal(value)

    def to_python(self, value):
        """A value from a fixture (`value_to_string`'s, sealed) or in the clear: in the clear."""
        return value if value is None else unseal(value)

    def value_to_string(self, obj):
        """Sealed in `dumpdata` too: a dump of the database is what sealing keeps the secrets out of."""
        value = self.value_from_object(obj)
        return seal(value) if value else value

    def get_prep_value(self, value):
        return seal(str(value)) if value else value  # a clear value in, a new seal out
