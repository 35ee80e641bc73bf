"""The console as the shared kit sees it: an app whose routes answer HTML, no events, no domain data."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from dgplan_shared.service import ServiceDefinition

from console.api import agency, auth, inbox, pages, screening
from console.api import secretariat
from console.api import oversight
from console.api import public_pages
from console.api import agency_reports
from console.metadata import inbox as inbox_table, metadata, outbox
from console.settings import Settings
from pathlib import Path

SERVICE = "console"
STATIC = "/console-static"
# What the console answers at the embedded server's address, in front of the gateway ("/" exactly;
# the others with everything below them).
PATHS = ("/", "/plans", "/inbox", "/screening", "/agency", "/secretariat", "/oversight", "/auth", "/lang", "/open-data", "/scorecard", STATIC)


def _configure(app: FastAPI) -> None:
    settings = Settings()
    app.mount(f"{STATIC}/app", StaticFiles(directory=Path(__file__).resolve().parent / "static"), name="console-app")
    fonts = settings.assets_dir / "@fontsource" / "sarabun"
    # Checked at start: a console without its Thai font would show boxes on machines that lack one.
    app.mount(f"{STATIC}/sarabun", StaticFiles(directory=fonts, check_dir=True), name="console-font")


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=SERVICE,
        start_order=95,  # after the gateway whose API it calls
        default_port=8010,
        title="dgplan console",
        description="Server-rendered pages for the people who run the plan; a client of the gateway's public API.",
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        inbox=inbox_table,
        migrations="console:migrations",
        routers=lambda: [pages.router, auth.router, inbox.router, screening.router, agency.router, secretariat.router,
                         oversight.router, public_pages.router, agency_reports.router],
        configure_app=_configure,
        serves_paths=PATHS,
        # The sign-out, vote, decision, package and request forms post urlencoded bodies.
        other_media_types=frozenset({"application/x-www-form-urlencoded"}),
    )
