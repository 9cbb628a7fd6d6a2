"""The municipality's OpenID Connect provider (a real provider on 127.0.0.1, built with Authlib)
and TOTP as a second factor with recovery codes, throttled like passwords."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest
import requests
from sqlalchemy import func, select

from hansyn.platform import mfa
from hansyn.platform.models import User
from hansyn.platform.tenant_login import set_login
from tests.fixtures.oidc import Provider


@pytest.fixture
def tenant_login(app, databases):
    """`tenant_login("alfa", require_totp=True, issuer=…)`; reset when the test ends."""
    changed: list[str] = []

    def configure(slug: str, **settings: Any) -> None:
        from hansyn.platform import operations

        with app.app_context(), databases.control_session(write=True) as session:
            set_login(session, operations.get_tenant(session, slug).id, **settings)
        changed.append(slug)

    yield configure
    for slug in sorted(set(changed)):
        configure(slug, require_totp=False, remove_oidc=True)


def _provider_round_trip(client: Any, start: str) -> Any:
    """Follow Hänsyn → provider → Hänsyn as a browser would; the provider is real HTTP."""
    to_provider = client.get(start)
    assert to_provider.status_code == 302, to_provider.text
    at_provider = requests.get(to_provider.headers["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


@pytest.fixture
def oidc_alfa(oidc_provider: Provider, tenant_login: Any) -> Provider:
    registered = oidc_provider.add_client()
    tenant_login("alfa", issuer=oidc_provider.issuer, client_id=registered.client_id,
                 client_secret=registered.client_secret)
    return oidc_provider


def test_staff_log_in_through_the_municipalitys_provider(client, create_user, oidc_alfa):
    user = create_user(alfa=["coordinator"])
    oidc_alfa.log_in_as(user.email.upper())  # the provider may write the address otherwise
    done = _provider_round_trip(client, "/login/oidc/alfa?next=/alfa/")
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/alfa/")
    assert client.get("/alfa/").status_code == 200


def test_the_login_page_offers_the_provider_for_a_link_into_its_municipality(client, oidc_alfa):
    page = client.get("/login?next=/alfa/candidates/")
    assert "/login/oidc/alfa" in page.text
    assert "/login/oidc/" not in client.get("/login?next=/beta/").text
    assert client.get("/login/oidc/beta").status_code == 404


@pytest.mark.parametrize("case", ["unknown", "supplier", "unverified", "other-tenant"])
def test_the_provider_never_creates_a_user_or_grants_a_role(
    app, databases, client, create_user, oidc_alfa, case
):
    if case == "unknown":
        email = "okand.person@example.se"
    elif case == "supplier":
        email = create_user(alfa=[("supplier", 1)]).email
    elif case == "other-tenant":
        email = create_user(beta=["admin"]).email
    else:
        email = create_user(alfa=["admin"]).email
    oidc_alfa.log_in_as(email, verified=case != "unverified")
    done = _provider_round_trip(client, "/login/oidc/alfa")
    assert done.status_code == 302
    assert "/login" in done.headers["Location"]
    assert client.get("/alfa/").status_code == 302  # not signed in
    with app.app_context(), databases.control_session() as session:
        count = session.scalar(select(func.count(User.id)).where(User.email == email))
    assert count == (0 if case == "unknown" else 1)


def test_a_forged_callback_is_refused(client, create_user, oidc_alfa):
    user = create_user(alfa=["coordinator"])
    oidc_alfa.log_in_as(user.email)
    client.get("/login/oidc/alfa")
    refused = client.get("/login/oidc/alfa/callback?code=made-up&state=made-up")
    assert refused.status_code == 302
    assert client.get("/alfa/").status_code == 302


# ---------------------------------------------------------------------------- TOTP


def _enrol(client: Any) -> pyotp.TOTP:
    page = client.get("/account/two-factor")
    secret = re.search(r"<code>([A-Z2-7]{32})</code>", page.text).group(1)
    totp = pyotp.TOTP(secret)
    done = client.post_form("/account/two-factor", {"code": totp.at(time.time() - 30)})
    assert done.status_code == 200
    assert len(re.findall(r"<li><code>[0-9a-f]{5}-[0-9a-f]{5}</code></li>", done.text)) == 10
    return totp


def _password_step(client: Any, user: Any) -> Any:
    response = client.post_form("/login", {"email": user.email, "password": user.password})
    assert response.status_code == 302
    return response


def test_with_totp_a_login_needs_a_code_that_works_once(app, client, create_user):
    user = create_user(alfa=["coordinator"])
    client.login(user)
    totp = _enrol(client)
    client.logout()
    assert _password_step(client, user).headers["Location"].endswith("/login/code")
    assert client.get("/alfa/").status_code == 302  # the password alone opens nothing
    wrong = client.post_form("/login/code", {"code": "000000"})
    assert wrong.status_code == 200
    code = totp.at(time.time())
    assert client.post_form("/login/code", {"code": code}).status_code == 302
    assert client.get("/alfa/").status_code == 200
    client.logout()
    _password_step(client, user)
    replayed = client.post_form("/login/code", {"code": code})
    assert replayed.status_code == 200  # the same code is not accepted twice
    assert client.post_form("/login/code", {"code": totp.at(time.time() + 30)}).status_code == 302


def test_a_recovery_code_works_once(client, create_user):
    user = create_user(alfa=["admin"])
    client.login(user)
    page_totp = client.get("/account/two-factor")
    secret = re.search(r"<code>([A-Z2-7]{32})</code>", page_totp.text).group(1)
    shown = client.post_form("/account/two-factor",
                             {"code": pyotp.TOTP(secret).at(time.time() - 30)})
    recovery = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", shown.text)[0]
    client.logout()
    _password_step(client, user)
    assert client.post_form("/login/code", {"code": recovery.upper()}).status_code == 302
    client.logout()
    _password_step(client, user)
    assert client.post_form("/login/code", {"code": recovery}).status_code == 200


def test_wrong_codes_are_throttled_like_passwords(client, create_user):
    user = create_user(alfa=["coordinator"])
    client.login(user)
    _enrol(client)
    client.logout()
    _password_step(client, user)
    answers = [client.post_form("/login/code", {"code": "123456"}).status_code for _ in range(7)]
    assert answers[-1] == 429
    assert 429 in answers


def test_a_tenant_that_asks_for_totp_sends_admins_and_coordinators_to_enrol(
    login, tenant_login, read_db
):
    tenant_login("alfa", require_totp=True)
    coordinator = login(alfa=["coordinator"])
    response = coordinator.get("/alfa/")
    assert response.status_code == 302
    assert "/account/two-factor" in response.headers["Location"]
    api = coordinator.get("/api/v1/alfa/programmes/")
    assert api.status_code == 403
    assert api.json["error"]["code"] == "second_factor_required"
    _enrol(coordinator)
    assert coordinator.get("/alfa/").status_code == 200
    assert coordinator.get("/api/v1/alfa/programmes/").status_code == 200
    analyst = login(alfa=["analyst"])
    assert analyst.get("/alfa/").status_code == 200
    assert login(beta=["coordinator"]).get("/beta/").status_code == 200


def test_totp_secrets_are_confirmed_before_they_count(app, databases, client, create_user):
    user = create_user(alfa=["coordinator"])
    client.login(user)
    client.get("/account/two-factor")  # shown, never confirmed
    with app.app_context(), databases.control_session() as session:
        assert not mfa.has_totp(session, user.id)
    client.logout()
    assert _password_step(client, user).headers["Location"].endswith("/")
