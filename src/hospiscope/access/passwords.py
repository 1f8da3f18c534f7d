"""Local passwords: hashed with argon2id (argon2-cffi's `PasswordHasher`, its default
parameters, which follow RFC 9106's recommendations), never stored or logged in clear; the
policy a new password must meet, refused with a French sentence.

The hasher's parameters may be raised in a later version of argon2-cffi or of hospiscope: a
hash made with older parameters still verifies, and `needs_rehash` tells the sign-in to store
a new hash while the clear password is at hand."""

from __future__ import annotations

import secrets
from contextlib import suppress
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# hospiscope's choice: length is what makes a password hard to guess, and these accounts see
# unpublished results. No composition rules (they make passwords harder to remember, not to
# guess).
MIN_LENGTH = 12
# argon2 hashes whatever it is given: an upper bound keeps a sign-in form from being used to
# make the server hash megabytes.
MAX_LENGTH = 1024

_HASHER = PasswordHasher()
# One-time passwords (given by the accounts administrator, changed by their user): letters and
# digits that cannot be misread for one another (no 0/o, 1/l/i), in groups that are easy to
# copy by hand. Four groups of five of 31 symbols: about 99 bits, far beyond guessing.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ONE_TIME_GROUPS, ONE_TIME_GROUP_LENGTH = 4, 5


class PasswordRefused(ValueError):
    """A new password that does not meet the policy (message in French, for users)."""


def check_policy(password: str, login: str | None = None) -> None:
    """Refuse a new password that is too short, too long, blank or the login itself."""
    if len(password) < MIN_LENGTH:
        raise PasswordRefused(
            f"mot de passe trop court ({len(password)} caractère(s)) : au moins {MIN_LENGTH} "
            "caractères sont demandés (une phrase de passe est plus facile à retenir)"
        )
    if len(password) > MAX_LENGTH:
        raise PasswordRefused(f"mot de passe trop long : au plus {MAX_LENGTH} caractères")
    if not password.strip():
        raise PasswordRefused("le mot de passe ne peut pas être fait que d'espaces")
    if login is not None and password.strip().lower() == login.strip().lower():
        raise PasswordRefused("le mot de passe ne peut pas être l'identifiant du compte")


def one_time_password() -> str:
    """A random password meeting the policy, to be shown once and changed by its user."""
    return "-".join(
        "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_GROUP_LENGTH))
        for _ in range(ONE_TIME_GROUPS)
    )


def hash_password(password: str) -> str:
    """The argon2id hash (PHC string: algorithm, parameters, salt and hash) of `password`."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches `stored_hash` (False for an absent or unreadable hash)."""
    if not stored_hash or len(password) > MAX_LENGTH:
        verify_dummy(password[:MAX_LENGTH])
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether `stored_hash` was made with other parameters than the current ones."""
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def verify_dummy(password: str) -> None:
    """Spend the time of one verification for a login that has no account, so that the
    answer's delay does not tell which logins exist."""
    with suppress(VerifyMismatchError, VerificationError, InvalidHashError):
        _HASHER.verify(_dummy_hash(), password)


@cache
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(16))
