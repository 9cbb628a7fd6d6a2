"""Errors that carry a message for people, in the user's language (Swedish by default)."""

from __future__ import annotations

from flask_babel import LazyString, force_locale


class InvalidInput(ValueError):  # noqa: N818 (a person's input, not a program error)
    """Bad input from a person: the message says what is wrong and how to put it right.

    `field` names the form field it belongs to, when there is one.
    """

    def __init__(self, message: LazyString | str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def in_locale(self, locale: str) -> str:
        with force_locale(locale):
            return str(self.message)

    def bilingual(self) -> str:
        """Swedish, then English: on the command line we do not know the reader's language."""
        swedish, english = self.in_locale("sv"), self.in_locale("en")
        return swedish if swedish == english else f"{swedish}\n{english}"
