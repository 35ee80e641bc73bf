"""Client secrets are stored as scrypt hashes at the production cost, and only the right secret matches."""

from __future__ import annotations

from gateway.edge.domain import secrets_hashing
from gateway.edge.domain.secrets_hashing import derive_secret, hash_secret, verify_secret


def test_hashes_use_the_production_cost_and_verify_only_the_right_secret(monkeypatch):
    monkeypatch.setattr(secrets_hashing, "_N", 2**14)  # undo the tests' light cost
    stored = hash_secret("correct horse")
    assert stored.startswith("scrypt$16384$8$1$")
    assert "correct horse" not in stored
    assert verify_secret("correct horse", stored)
    assert not verify_secret("correct horsE", stored)
    assert hash_secret("correct horse") != stored  # salted
    assert not verify_secret("x", "plain-text-not-a-hash")


def test_derived_secrets_depend_on_the_server_key_and_salt():
    assert derive_secret("k1", "salt") == derive_secret("k1", "salt")
    assert derive_secret("k1", "salt") != derive_secret("k2", "salt")
    assert derive_secret("k1", "salt") != derive_secret("k1", "other")
    assert len(derive_secret("k1", "salt")) >= 43
