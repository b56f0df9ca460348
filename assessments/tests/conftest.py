import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """These tests never log in with a password; hashing each factory user with PBKDF2 costs seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
