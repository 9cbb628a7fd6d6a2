"""Errors that carry a message for people, in the user's language (Swedish by default)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from flask_babel import LazyString, force_locale


class InvalidInput(ValueError):  # noqa: N818 (a person's input, not a program error)
    """Bad input from a person: the message says what is wrong and how to put it right.

    `field` names the form field it belongs to, when there is one. One InvalidInput may carry
    several problems (`problems`), so that a form shows every mistake at once (see `Problems`).
    """

    def __init__(
        self,
        message: LazyString | str,
        field: str | None = None,
        *,
        others: Sequence[InvalidInput] = (),
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self._others = tuple(others)

    @property
    def problems(self) -> tuple[InvalidInput, ...]:
        """This problem and every other one found in the same input."""
        return (self, *self._others)

    def in_locale(self, locale: str) -> str:
        with force_locale(locale):
            return str(self.message)

    def bilingual(self) -> str:
        """Swedish, then English: on the command line we do not know the reader's language."""
        lines = []
        for problem in self.problems:
            swedish, english = problem.in_locale("sv"), problem.in_locale("en")
            lines.append(swedish if swedish == english else f"{swedish}\n{english}")
        return "\n".join(lines)


class Problems:
    """Collects the InvalidInput of every check, then raises them together.

        problems = Problems()
        with problems.check():
            name = clean_name(data.name)
        with problems.check():
            email = clean_email(data.email)
        problems.raise_any()
    """

    def __init__(self) -> None:
        self.found: list[InvalidInput] = []

    @contextmanager
    def check(self) -> Iterator[None]:
        try:
            yield
        except InvalidInput as error:
            self.found.extend(error.problems)

    def raise_any(self) -> None:
        if self.found:
            first, *others = self.found
            raise InvalidInput(first.message, first.field, others=others)
