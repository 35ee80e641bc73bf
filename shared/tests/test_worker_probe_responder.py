"""The workers' probe responder answers only its three GETs and drops garbage without answering."""

import asyncio

from dgplan_shared.worker import WorkerProbes


async def _exchange(port: int, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    return answer


async def test_methods_paths_and_oversized_requests():
    probes = WorkerProbes(runtime=None)  # type: ignore[arg-type]  # these answers never touch the runtime
    port = await probes.start("127.0.0.1", 0)
    try:
        alive = await _exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert alive.startswith(b"HTTP/1.1 200 OK") and alive.endswith(b'{"status":"ok"}')
        head_only = await _exchange(port, b"HEAD /healthz HTTP/1.1\r\n\r\n")
        assert head_only.startswith(b"HTTP/1.1 200 OK") and head_only.endswith(b"\r\n\r\n")
        assert (await _exchange(port, b"POST /healthz HTTP/1.1\r\n\r\n")).startswith(b"HTTP/1.1 405")
        assert (await _exchange(port, b"GET /admin HTTP/1.1\r\n\r\n")).startswith(b"HTTP/1.1 404")
        oversized = b"GET /healthz HTTP/1.1\r\nX-Padding: " + b"a" * 20000 + b"\r\n\r\n"
        assert await _exchange(port, oversized) == b""  # dropped, not answered
    finally:
        await probes.close()
