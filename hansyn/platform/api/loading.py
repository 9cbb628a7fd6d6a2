"""Answer 404 for an object that is not the caller's before looking at the body.

flask-smorest checks the body (`@bp.arguments`) before the view runs; a write to another
supplier's or a missing object must still be 404, not a 422 about the body. `found_first(load)`
runs `load(**url_arguments)` (which raises 404) before the body is parsed:

    @bp.route(...)
    @requires_role(Role.SUPPLIER)
    @found_first(_own_contract_or_404)
    @bp.arguments(VacancyInSchema)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

View = TypeVar("View", bound=Callable[..., Any])


def found_first(load: Callable[..., object]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            load(**kwargs)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
