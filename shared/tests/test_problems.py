"""problem+json for the errors FastAPI and Starlette raise themselves."""

from fastapi import FastAPI

from dgplan_shared.problems import install_problem_handlers
from dgplan_shared.testing.clients import asgi_client


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/things")
    async def list_things() -> list[str]:
        return []

    @app.post("/things")
    async def create_thing() -> dict[str, str]:
        return {}

    @app.get("/things/{thing_id}")
    async def get_thing(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    return app


async def test_method_not_allowed_lists_every_method_of_the_path():
    async with asgi_client(_app()) as client:
        response = await client.delete("/things")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["allow"] == "GET, POST"
    assert response.json()["type"] == "urn:dgplan:problem:method-not-allowed"


async def test_malformed_json_and_wrong_types_are_422_naming_the_field():
    async with asgi_client(_app()) as client:
        wrong = await client.get("/things/not-a-number")
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "thing_id"


async def test_a_database_outage_is_a_retryable_503_not_a_500():
    from dgplan_shared.db.engine import Database
    from dgplan_shared.net import free_port

    app = _app()
    # Nothing listens on the port: the database is down.
    db = Database.from_url(f"postgresql+asyncpg://u:p@127.0.0.1:{free_port()}/x")

    @app.get("/needs-db")
    async def needs_db() -> dict[str, str]:
        async with db.session() as session:
            from sqlalchemy import text

            await session.execute(text("SELECT 1"))
        return {}

    try:
        async with asgi_client(app) as client:
            response = await client.get("/needs-db")
    finally:
        await db.dispose()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["type"] == "urn:dgplan:problem:service-unavailable"
