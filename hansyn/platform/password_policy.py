"""What a password must be, as NIST SP 800-63B (5.1.1.2) and OWASP ASVS (V2.1) ask.

- at least 12 characters (and at most 1024, so hashing stays cheap to refuse);
- not a common, breached or easily guessed password: zxcvbn estimates how many guesses it takes,
  with its shipped lists of passwords from breaches, common words, names and keyboard patterns,
  plus Swedish words people put in passwords and what is known about the person (e-mail, name);
  fewer than 10^9 estimated guesses is refused (zxcvbn's score 3 starts at 10^8; one more power
  of ten refuses a name with a birth year, "annaandersson1984");
- no composition rules (no "one digit, one capital"): length and rarity count, not symbols.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

from hansyn.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 1024
MIN_GUESSES_LOG10 = 9.0
#: zxcvbn is slow on long input and refuses more than 72 characters; a longer password is judged
#: by its first 72, which are plenty to find a common password.
_ESTIMATED_LENGTH = 72
#: Swedish words that zxcvbn's English lists do not know and that people put in passwords.
SWEDISH_WORDS = (
    "lösenord", "losenord", "hemligt", "hemlig", "välkommen", "valkommen", "sommar", "vinter",
    "våren", "varen", "hösten", "hosten", "sverige", "svenska", "kommun", "kommunen", "hansyn",
    "hänsyn", "stockholm", "göteborg", "goteborg", "malmö", "malmo", "uppsala", "borås", "boras",
    "älskling", "alskling", "kärlek", "karlek", "jobbet", "arbete", "qwertyuiop", "asdfghjkl",
    "måndag", "fredag", "januari", "augusti", "december", "katten", "hunden", "fotboll",
)
# zxcvbn keeps the user inputs in a module-level dictionary: one estimate at a time.
_LOCK = threading.Lock()


def _words(values: Iterable[str]) -> list[str]:
    words: list[str] = []
    for value in values:
        lowered = value.lower()
        words.append(lowered)
        for separator in ("@", ".", " ", "-", "_"):
            lowered = lowered.replace(separator, " ")
        words.extend(part for part in lowered.split() if len(part) >= 3)
    return words


def check_password(
    password: str, *, about_user: Iterable[str] = (), field: str = "password"
) -> str:
    """Return `password` if it is acceptable, else raise InvalidInput naming `field`."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(_l("Lösenordet måste ha minst %(n)d tecken.", n=MIN_LENGTH), field)
    if len(password) > MAX_LENGTH:
        raise InvalidInput(_l("Lösenordet får ha högst %(n)d tecken.", n=MAX_LENGTH), field)
    inputs = [*_words(about_user), *SWEDISH_WORDS]
    with _LOCK:
        guesses = zxcvbn(password[:_ESTIMATED_LENGTH], user_inputs=inputs)["guesses_log10"]
    if guesses < MIN_GUESSES_LOG10:
        raise InvalidInput(
            _l(
                "Lösenordet är för lätt att gissa: det är ett vanligt eller läckt lösenord, "
                "följer ett känt mönster eller innehåller ditt namn eller din e-postadress. "
                "Välj hellre en lång fras av flera ovanliga ord."
            ),
            field,
        )
    return password
