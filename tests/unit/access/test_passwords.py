"""Local passwords: argon2id hashes, the policy (French refusals), rehash on new parameters."""

import pytest
from argon2 import PasswordHasher

from hospiscope.access import passwords
from hospiscope.access.passwords import (
    MIN_LENGTH,
    PasswordRefused,
    check_policy,
    hash_password,
    needs_rehash,
    verify_password,
)

GOOD = "une phrase de passe assez longue"


def test_hash_is_argon2id_and_salted():
    first, second = hash_password(GOOD), hash_password(GOOD)
    assert first.startswith("$argon2id$") and first != second
    assert GOOD not in first
    assert verify_password(first, GOOD) and verify_password(second, GOOD)


def test_wrong_absent_or_broken_hash_do_not_verify():
    stored = hash_password(GOOD)
    assert not verify_password(stored, GOOD + "x")
    assert not verify_password(None, GOOD)
    assert not verify_password("pas un hash", GOOD)
    assert not verify_password(stored, "x" * (passwords.MAX_LENGTH + 1))


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("court", "trop court (5 caractère(s)) : au moins 12 caractères"),
        ("x" * (MIN_LENGTH - 1), "trop court"),
        (" " * 20, "que d'espaces"),
        ("x" * 2000, "trop long"),
        ("Alice.Martin", "ne peut pas être l'identifiant"),
    ],
)
def test_policy_refusals_are_french(password, words):
    with pytest.raises(PasswordRefused, match=words.replace("(", r"\(").replace(")", r"\)")):
        check_policy(password, login="alice.martin")


def test_policy_accepts_long_passwords():
    check_policy("x" * MIN_LENGTH, login="alice")
    check_policy(GOOD)


def test_needs_rehash_when_parameters_change():
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(GOOD)
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password(GOOD))
    assert verify_password(weak, GOOD)  # an old hash still verifies
    assert needs_rehash("pas un hash")
