"""The session cookie: Flask's signed cookie, re-signed at most once a minute while unchanged.

A permanent session's cookie is signed again and sent with every response by default
(`SESSION_REFRESH_EACH_REQUEST`), so that it expires `PERMANENT_SESSION_LIFETIME` after the
user's last request rather than after their login. Serialising, signing and sending it costs
about a twentieth of a supplier's ranked page. Here an unchanged session is re-signed only when
its last signing is a minute old or more: the session still ends after the lifetime without a
request, give or take that minute. A changed session (login, a flash message) is sent at once
as before.
"""

from __future__ import annotations

import time

from flask import Flask
from flask.sessions import SecureCookieSessionInterface, SessionMixin

#: The session key holding the minute the cookie was last signed in.
SIGNED_KEY = "_signed"
REFRESH_SECONDS = 60


class RollingSessionInterface(SecureCookieSessionInterface):
    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if session.modified:
            session[SIGNED_KEY] = _minute()
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        if session.get(SIGNED_KEY) == _minute():
            return False
        session[SIGNED_KEY] = _minute()
        return True


def _minute() -> int:
    return int(time.time()) // REFRESH_SECONDS
