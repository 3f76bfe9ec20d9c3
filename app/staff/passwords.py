"""Password hashing with Argon2 (pwdlib's recommended settings) and the password rules."""

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.config import get_settings
from app.i18n import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 200  # Argon2 takes any length; this keeps a pasted novel out

_hasher = (
    PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    if get_settings().password_hash_cost == "test"
    else PasswordHash.recommended()
)
# Verified when the e-mail address is unknown, so that a wrong address takes as long
# as a wrong password and does not tell which addresses have an account.
_DUMMY = _hasher.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, stored_hash: str | None) -> tuple[bool, str | None]:
    """(matches, a new hash when the stored one uses outdated parameters)."""
    if stored_hash is None:
        _hasher.verify(password, _DUMMY)
        return False, None
    return _hasher.verify_and_update(password, stored_hash)


def password_problem(password: str, email: str = "") -> str | None:
    """What is wrong with a new password, in words; None when it is fine."""
    if len(password) < MIN_LENGTH:
        return _("Das Passwort muss mindestens %(n)s Zeichen lang sein.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Das Passwort darf höchstens %(n)s Zeichen lang sein.", n=MAX_LENGTH)
    local = email.split("@")[0].casefold()
    if len(local) >= 4 and local in password.casefold():
        return _("Das Passwort darf die E-Mail-Adresse nicht enthalten.")
    if len(set(password)) < 5:
        return _("Das Passwort besteht aus zu wenigen verschiedenen Zeichen.")
    return None
