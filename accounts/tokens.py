"""JWTs that die with the password: each token carries the account's `token_version`.

A password change or reset increments the version (accounts/services.py), so every token issued
before it no longer matches. Tokens are also refused once their account is deleted or inactive.
Tokens without the claim (issued before this rule) count as version 0.
"""

from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from accounts.models import UserAccount

VERSION_CLAIM = "ver"


def with_version(token: Token, user: UserAccount) -> Token:
    token[VERSION_CLAIM] = user.token_version
    return token


def account_for(token: Token) -> UserAccount:
    """The active account `token` was issued to, at its current version; otherwise InvalidToken (401)."""
    user = UserAccount.objects.filter(pk=token.get(api_settings.USER_ID_CLAIM), is_active=True).first()
    if user is None or token.get(VERSION_CLAIM, 0) != user.token_version:
        raise InvalidToken("Token is no longer valid.")
    return user


class VersionedJWTAuthentication(JWTAuthentication):
    """simplejwt's authentication, plus the version check: a token from before a password change is 401."""

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if validated_token.get(VERSION_CLAIM, 0) != user.token_version:
            raise InvalidToken("Token is no longer valid.")
        return user
