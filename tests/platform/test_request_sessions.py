"""What a request opens for writing: its own tenant always on a POST, the control plane only when
the view says it changes control-plane rows."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from hansyn.db import WRITE_OPTION


@contextmanager
def control_plane_begins(databases):
    """Record whether each transaction begun on the control plane was opened for writing."""
    begins: list[bool] = []

    def on_begin(connection) -> None:
        options = connection.get_execution_options()
        # On PostgreSQL tenant connections share the engine but carry a schema map.
        if "schema_translate_map" not in options:
            begins.append(bool(options.get(WRITE_OPTION, False)))

    event.listen(databases.control_engine, "begin", on_begin)
    try:
        yield begins
    finally:
        event.remove(databases.control_engine, "begin", on_begin)


def test_tenant_post_reads_the_control_plane_without_a_write_lock(login, databases):
    client = login(alfa=["coordinator"])
    token = client.csrf_token()
    with control_plane_begins(databases) as begins:
        response = client.post("/alfa/candidates/new", data={"csrf_token": token, "name": ""})
    assert response.status_code == 200
    assert begins
    assert not any(begins)


def test_login_opens_the_control_plane_for_writing(client, create_user, databases):
    user = create_user(alfa=["admin"])
    token = client.csrf_token()
    with control_plane_begins(databases) as begins:
        response = client.post(
            "/login", data={"csrf_token": token, "email": user.email, "password": user.password}
        )
    assert response.status_code == 302
    assert any(begins)
