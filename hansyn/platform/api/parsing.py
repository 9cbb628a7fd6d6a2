"""The API's own flask-smorest Blueprint: bodies are JSON, or nothing.

webargs ignores a body whose Content-Type is not JSON and parses the request as if it had none,
so a client that posts a form or forgets the header is told that every field is missing. Here
such a body is refused at once with 415, which names the real mistake; a request without a body
is still read as `{}`.

A query parameter the operation does not declare is refused too (webargs drops them by default),
as an unknown body field is: a misspelt filter (`?contract=3`) would otherwise list everything.
"""

from __future__ import annotations

from typing import Any

import flask
import flask_smorest
import marshmallow as ma
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from hansyn.platform.api.errors import ApiError


class JsonBodyParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {  # noqa: RUF012 (webargs reads it from the class)
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": ma.RAISE, "querystring": ma.RAISE,
    }

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            if req.get_data(cache=True):
                raise ApiError(415)
            return core.missing
        return super()._raw_load_json(req)


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    """Use this, not flask_smorest.Blueprint, for every part of the API."""

    ARGUMENTS_PARSER = JsonBodyParser()
