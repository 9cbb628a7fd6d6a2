"""The API's own flask-smorest Blueprint: bodies are JSON, or nothing.

webargs ignores a body whose Content-Type is not JSON and parses the request as if it had none,
so a client that posts a form or forgets the header is told that every field is missing. Here
such a body is refused at once with 415, which names the real mistake; a request without a body
is still read as `{}`.
"""

from __future__ import annotations

from typing import Any

import flask
import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from hansyn.platform.api.errors import ApiError


class JsonBodyParser(FlaskParser):
    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            if req.get_data(cache=True):
                raise ApiError(415)
            return core.missing
        return super()._raw_load_json(req)


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    """Use this, not flask_smorest.Blueprint, for every part of the API."""

    ARGUMENTS_PARSER = JsonBodyParser()
