"""Pages anyone may read without logging in: the accessibility statement the law asks for.

Lagen (2018:1937) om tillgänglighet till digital offentlig service requires every public body's
digital service to publish a tillgänglighetsredogörelse, following the structure of DIGG's
(Myndigheten för digital förvaltning) model: how accessible the service is, what is known not to
work, how to report a problem, and the supervisory authority.
"""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("public", __name__)


@bp.route("/tillganglighet")
def accessibility() -> str:
    return render_template("platform/accessibility.html")
