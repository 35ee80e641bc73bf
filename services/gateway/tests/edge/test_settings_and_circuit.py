"""Every gateway setting is documented (the operations guide is generated from them); the circuit
breaker opens after repeated failures and lets one trial through after the pause."""

from __future__ import annotations

from gateway.edge.adapters.aiohttp_client import AiohttpClient
from gateway.edge.domain.circuit import Circuit
from gateway.edge.wiring import build_state
from gateway.settings import Settings


def test_every_setting_has_a_description():
    undocumented = [name for name, field in Settings.model_fields.items() if not field.description]
    assert undocumented == []


def test_defaults_point_at_the_three_services():
    s = Settings()
    assert (s.plan_registry_url, s.budget_ledger_url, s.monitoring_url) == (
        "http://127.0.0.1:8101",
        "http://127.0.0.1:8102",
        "http://127.0.0.1:8103",
    )


def test_the_circuit_opens_then_half_opens():
    now = [0.0]
    circuit = Circuit(threshold=2, open_seconds=5, clock=lambda: now[0])
    circuit.failed()
    assert circuit.allows()
    circuit.failed()
    assert circuit.is_open and not circuit.allows()
    now[0] = 5.0
    assert circuit.allows()  # one trial
    assert not circuit.allows()  # ... and only one
    circuit.succeeded()
    assert circuit.allows() and not circuit.is_open


async def _no_bodies(runtime, subject):  # type: ignore[no-untyped-def]
    return ()


async def test_https_services_are_reached_with_a_tls_capable_client(runtime):
    runtime.settings = runtime.settings.model_copy(update={"monitoring_url": "https://monitoring.internal"})
    state = build_state(runtime, _no_bodies)
    try:
        assert isinstance(state.client, AiohttpClient)
        assert state.upstreams["monitoring"].base_url == "https://monitoring.internal"
    finally:
        await state.close()
