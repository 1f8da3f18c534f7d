"""A signed-in account changes its own password (the account page, web/pages/account.py),
knowing the current one. Like the rest of the access layer, this returns what happened: the
caller records it in the audit trail (refusal code only, never a password).

hospiscope's choices:
- The current password is verified by the identity layer (identity.authenticate), so a wrong
  one counts as a failed sign-in towards the lock-out (accounts.MAX_FAILURES): otherwise a
  session left open on a shared computer would let anyone guess the password without limit,
  then keep the account once the session is over. While the account is locked the current
  password is not even checked, as at sign-in; the session itself stays open.
- The new password meets the policy of passwords.py (its messages, unchanged) and must differ
  from the current one; these are checked first, without verifying anything (no failure is
  counted for a typing mistake in the new password).
- On success every other session of the account ends (a thief's session among them); the one
  the change was made from stays signed in. API tokens are kept: they are listed on the same
  page, to be revoked one by one (`hospiscope users password` does the same)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from hospiscope.access.accounts import LOCK_DURATION, MAX_FAILURES, Account, set_password
from hospiscope.access.clock import aware
from hospiscope.access.identity import LOCKED, WRONG_PASSWORD, SignIn, authenticate
from hospiscope.access.passwords import PasswordRefused, check_policy
from hospiscope.access.sessions import revoke_other_sessions

# Refusal codes (besides identity's WRONG_PASSWORD, LOCKED, DISABLED, UNKNOWN).
NO_LOCAL_PASSWORD, MISMATCH = "no_local_password", "mismatch"
UNCHANGED, POLICY = "unchanged", "policy"
NOTHING_CHANGED = "rien n'a été changé"
MESSAGES = {
    NO_LOCAL_PASSWORD: "Ce compte n'a pas de mot de passe local : adressez-vous à "
    "l'administrateur des comptes.",
    MISMATCH: f"Les deux saisies du nouveau mot de passe diffèrent : {NOTHING_CHANGED}.",
    UNCHANGED: "Le nouveau mot de passe est l'actuel : choisissez-en un autre "
    f"({NOTHING_CHANGED}).",
    WRONG_PASSWORD: f"Mot de passe actuel incorrect : {NOTHING_CHANGED}. Après {MAX_FAILURES} "
    f"échecs de suite, le compte est verrouillé {LOCK_DURATION.seconds // 60} minutes.",
}
# Codes answered 401 (the person could not prove who they are); the others 400.
UNAUTHORISED = frozenset({WRONG_PASSWORD, LOCKED})


@dataclass(frozen=True)
class PasswordChange:
    account: Account
    refusal: str | None = None
    message: str = "Mot de passe changé."  # French, for the person changing it
    closed_sessions: int = 0

    @property
    def ok(self) -> bool:
        return self.refusal is None


def change_password(
    con: sqlite3.Connection,
    account: Account,
    current: str,
    new: str,
    confirmation: str,
    keep_session_id: int | None,
    now: datetime,
) -> PasswordChange:
    """Change `account`'s password from `current` to `new` (typed twice), ending its other
    sessions than `keep_session_id`; or why not, with nothing changed but the failure count."""
    now = aware(now)
    if account.password_hash is None:
        return _refused(account, NO_LOCAL_PASSWORD)
    if new != confirmation:
        return _refused(account, MISMATCH)
    try:
        check_policy(new, account.login)
    except PasswordRefused as refused:
        text = str(refused)
        return PasswordChange(account, POLICY, f"{text[:1].upper()}{text[1:]}.")
    if new == current:
        return _refused(account, UNCHANGED)
    signed = authenticate(con, account.login, current, now)
    if not signed.ok:
        after = signed.account or account
        if signed.refusal == WRONG_PASSWORD and not after.locked(now):
            return _refused(after, WRONG_PASSWORD)
        if after.locked(now):  # by this failure or before: the sign-in's sentence, with when
            locked = SignIn(after.login, after, LOCKED, after.locked_until)
            return PasswordChange(after, LOCKED, locked.message)
        return PasswordChange(after, signed.refusal, signed.message)
    changed = set_password(con, account.login, new, now)
    closed = revoke_other_sessions(con, account.id, keep_session_id, now)
    return PasswordChange(changed, closed_sessions=closed)


def _refused(account: Account, refusal: str) -> PasswordChange:
    return PasswordChange(account, refusal, MESSAGES[refusal])
