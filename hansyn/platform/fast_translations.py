"""Translations looked up once, not once per text or per request.

- Templates: Flask-Babel installs template callables that find the request's translations anew
  for every `_()`: about 0.1 ms each, and a page with a list calls it a few hundred times (the
  supplier's ranked list of 25 candidates spent a third of its time there). These callables
  keep the translations object in `g`, keyed by the locale Flask-Babel chose, so
  `force_locale` (e-mail in the recipient's language) still switches language.
- Forms: Flask-WTF loads WTForms' own catalogue from disk for every request that builds a form
  (1–2 ms); `HansynRequest` hands it the catalogue of the request's language, loaded once per
  process.
"""

from __future__ import annotations

from functools import cache, cached_property
from typing import Any

from babel import support
from flask import Flask, Request, g
from flask_babel import get_locale, get_translations
from wtforms.i18n import messages_path

_CACHE = "_hansyn_translations"


def _translations() -> Any:
    context = g.get("_flask_babel")
    locale = getattr(context, "babel_locale", None)
    cache: dict[Any, Any] = g.setdefault(_CACHE, {})
    found = cache.get(locale) if locale is not None else None
    if found is None:
        found = get_translations()
        locale = getattr(g.get("_flask_babel"), "babel_locale", None)
        if locale is not None:
            cache[locale] = found
    return found


@cache
def _wtforms_catalogue(locale: str) -> Any:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class HansynRequest(Request):
    @cached_property
    def wtforms_translations(self) -> Any:
        """What Flask-WTF looks for on the request before it loads the catalogue itself."""
        return _wtforms_catalogue(str(get_locale()))


def install(app: Flask) -> None:
    """Replace Flask-Babel's template callables (call after `babel.init_app`) and give Flask-WTF
    its catalogue from a cache."""
    app.request_class = HansynRequest
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
