"""`resolve_place` lives with the gazetteer and is what candidates and vacancies both use."""

import pytest

from hansyn.errors import InvalidInput
from hansyn.tenants.candidates import views as candidate_views
from hansyn.tenants.localities import Gazetteer, resolve_place
from hansyn.tenants.vacancies import operations as vacancy_operations


def test_candidates_and_vacancies_use_the_localities_resolver():
    assert candidate_views.resolve_place is resolve_place
    assert vacancy_operations.resolve_place is resolve_place


def test_a_chosen_id_wins_while_its_display_name_is_unchanged():
    angered = Gazetteer.default().resolve("Angered")
    assert angered is not None
    assert resolve_place(angered.display_name, angered.id) == angered
    assert resolve_place("", angered.id) == angered
    assert resolve_place("Hylte", angered.id).kommunkod == "1315"
    assert resolve_place("  ") is None


def test_unknown_text_is_refused_on_the_given_field(app):
    with app.test_request_context(), pytest.raises(InvalidInput) as error:
        resolve_place("Qwxzvbq", field="locality")
    assert error.value.field == "locality"
    assert "Qwxzvbq" in str(error.value.message)


def test_a_personnummer_is_refused_not_echoed(app):
    with app.test_request_context(), pytest.raises(InvalidInput) as error:
        resolve_place("19900101-1239")
    assert "1239" not in str(error.value.message)
