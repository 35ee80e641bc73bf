"""``make run``'s demo clients: created once per installation, secrets kept only hashed in the
database and in a private file, the same on every later run, and usable for tokens at once."""

from __future__ import annotations

import stat

from gateway.edge import embedded_setup
from gateway.edge.application.demo_clients import DEMO_CLIENTS, banner, ensure_demo_clients

EXPECTED = {
    "demo-secretariat": (["secretariat"], None),
    "demo-operator": (["operator"], None),
    "demo-agency-mof": (["agency"], "MOF"),
    "demo-agency-opdc": (["agency"], "OPDC"),
    **{
        cid: (["body_member"], None)
        for cid in (
            "demo-dgc-chair",
            "demo-dgc-member-1",
            "demo-dgc-member-2",
            "demo-obs-chair",
            "demo-obs-member-1",
            "demo-obs-member-2",
            "demo-nesdc",
            "demo-cabinet",
        )
    },
}


async def test_demo_clients_are_made_once_and_printed(gateway, bearer, tmp_path, capsys):
    path = tmp_path / "demo-clients.txt"
    async with gateway(demo_clients_file=str(path)) as (client, runtime):
        await embedded_setup(runtime)
        printed = capsys.readouterr().out
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        first = path.read_text()
        secrets = dict(line.split(" ", 1) for line in first.splitlines() if not line.startswith("#"))
        assert set(secrets) == set(EXPECTED)
        for cid, secret in secrets.items():
            assert f"{cid}" in printed and secret in printed
        assert "curl" in printed and "/oauth2/token" in printed

        operator = await bearer(runtime, "operator", subject="demo-operator")
        listed = (await client.get("/api/v1/admin/clients", params={"limit": 50}, headers=operator)).json()["items"]
        assert {c["client_id"]: (c["roles"], c["agency"]) for c in listed} == EXPECTED
        form = {
            "grant_type": "client_credentials",
            "client_id": "demo-agency-mof",
            "client_secret": secrets["demo-agency-mof"],
        }
        token = (await client.post("/oauth2/token", data=form)).json()["access_token"]
        seen = (await client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"})).json()["identity"]
        assert seen["sub"] == "demo-agency-mof" and seen["agency"] == "MOF"

        # A second start keeps everything as it was.
        await embedded_setup(runtime)
        assert path.read_text() == first
        after = (await client.get("/api/v1/admin/clients", params={"limit": 50}, headers=operator)).json()["items"]
        assert [c["version"] for c in after] == [c["version"] for c in listed]


async def test_a_lost_secrets_file_gets_fresh_secrets(gateway, tmp_path):
    path = tmp_path / "demo-clients.txt"
    async with gateway() as (_, runtime):
        before = await ensure_demo_clients(runtime, path)
        path.unlink()
        after = await ensure_demo_clients(runtime, path)
    assert set(after) == set(before)
    assert all(after[c] != before[c] for c in before)
    assert path.exists()


def test_the_banner_names_every_client_and_how_to_get_a_token(tmp_path):
    secrets = {d.client_id: f"secret-{i}" for i, d in enumerate(DEMO_CLIENTS)}
    text = banner("http://127.0.0.1:8000", secrets, tmp_path / "x")
    assert all(f"secret-{i}" in text for i in range(len(DEMO_CLIENTS)))
    assert "curl -s -u demo-secretariat:secret-0 -d grant_type=client_credentials" in text
