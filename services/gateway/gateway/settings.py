"""Gateway settings (environment prefix ``GATEWAY_``). Every field is documented: the operations
guide is generated from these descriptions."""

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from dgplan_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///./var/gateway.db",
        description="SQLAlchemy async URL of the gateway's own database (clients, signing keys, governance).",
    )

    # --- upstreams -------------------------------------------------------------------------
    plan_registry_url: str = Field(
        default="http://127.0.0.1:8101", description="Base URL of the plan-registry API (distributed mode)."
    )
    budget_ledger_url: str = Field(
        default="http://127.0.0.1:8102", description="Base URL of the budget-ledger API (distributed mode)."
    )
    monitoring_url: str = Field(
        default="http://127.0.0.1:8103", description="Base URL of the monitoring API (distributed mode)."
    )
    notifications_url: str = Field(
        default="http://127.0.0.1:8104", description="Base URL of the notifications API (distributed mode)."
    )
    console_url: str | None = Field(
        default=None,
        description=(
            "Base URL of the console's own process (distributed mode, compose, Kubernetes): requests for "
            "`console_paths` are forwarded to it as they came (cookies included, no identity), so the "
            "gateway's one public address serves the console's pages as `make run` does. Unset: no "
            "console behind this gateway (the embedded server routes to its console itself)."
        ),
    )
    console_paths: tuple[str, ...] = Field(
        default=(),
        description=(
            "The paths the console claims (its `console.definition.PATHS`, as a JSON list): `/` exactly, every other "
            "entry with everything below it. Required with `console_url` (the gateway refuses to start without "
            "them). The distributed topology passes the installed console's own list; compose and the manifests "
            "spell it out, and tests/deploy fails when it differs from the console's."
        ),
    )
    upstream_client: Literal["lean", "aiohttp", "httpx"] = Field(
        default="lean",
        description=(
            "HTTP client used to reach the services, chosen by measurement (bench/gateway_bench.py, 32 "
            "connections): `lean` (pooled keep-alive connections parsed by httptools) costs the gateway about "
            "150-180 us of CPU per proxied request, aiohttp about 250-270 us, httpx several milliseconds "
            "(its pool degrades under concurrency). The lean client speaks plain HTTP: with an https:// service URL "
            "the gateway uses aiohttp."
        ),
    )
    upstream_connect_timeout_seconds: float = Field(
        default=2.0, gt=0, description="Longest wait to open a connection to a service before answering 502/504."
    )
    upstream_timeout_seconds: float = Field(
        default=15.0, gt=0, description="Longest wait for a service's response headers before answering 504."
    )
    upstream_retries: int = Field(
        default=2,
        ge=0,
        le=5,
        description=(
            "Extra attempts after a connection failure or timeout; only for GET/HEAD/OPTIONS and "
            "requests carrying an Idempotency-Key (retrying anything else could double an effect)."
        ),
    )
    upstream_retry_backoff_seconds: float = Field(
        default=0.05, ge=0, description="Pause before the first retry (doubles on each further retry)."
    )
    upstream_pool_size: int = Field(
        default=100, ge=1, description="Keep-alive connections kept per service by the upstream client."
    )
    circuit_failure_threshold: int = Field(
        default=5, ge=1, description="Consecutive connection failures after which a service's circuit opens (503)."
    )
    circuit_open_seconds: float = Field(
        default=5.0, gt=0, description="How long an open circuit answers 503 before letting a trial request through."
    )
    openapi_cache_seconds: float = Field(
        default=60.0, ge=0, description="How long the merged OpenAPI document is cached before it is rebuilt."
    )

    # --- authentication ------------------------------------------------------------------
    jwks_url: str | None = Field(
        default=None,
        description="JWKS of an external OAuth2/OIDC identity provider; bearer tokens signed by its keys are accepted.",
    )
    jwt_issuer: str | None = Field(
        default=None, description="Expected `iss` of tokens from the external identity provider (checked if set)."
    )
    jwt_audience: str = Field(default="dgplan-api", description="Expected `aud` of every bearer token.")
    jwt_roles_claim: str = Field(default="roles", description="Claim that carries the caller's dgplan roles.")
    jwt_agency_claim: str = Field(default="agency", description="Claim that carries the caller's agency code.")
    jwks_cache_seconds: float = Field(default=300.0, ge=0, description="How long the external JWKS is cached.")
    builtin_issuer: bool = Field(
        default=True,
        description=(
            "Issue tokens to configured clients (OAuth2 client credentials at /oauth2/token) so a fresh install "
            "works alone. Its RSA signing key is kept in the gateway database: in production use an external "
            "identity provider (jwks_url) and turn this off."
        ),
    )
    public_base_url: str | None = Field(
        default=None,
        description=(
            "The gateway's public URL: the built-in issuer's `iss` (tokens carry it and are checked against it) and "
            "the base of the discovery document's `token_endpoint` and `jwks_uri`. Unset: the address each request "
            "was served at (its scheme and Host), so a gateway on another port advertises that port. Set it in "
            "production, where replicas sit behind one public name."
        ),
    )
    token_ttl_seconds: int = Field(default=3600, ge=60, le=86400, description="Lifetime of issued access tokens.")
    membership_cache_seconds: float = Field(
        default=10.0,
        ge=0,
        description=(
            "How long a subject's body memberships, and whether a built-in client is still active, are cached "
            "at the edge: changes apply to live tokens within this time."
        ),
    )
    console_client_secret: SecretStr | None = Field(
        default=None,
        description=(
            "The secret `setup` gives the console's OAuth2 client (`dgplan-console`, redirect URI "
            "`<public_base_url>/auth/callback`) at the built-in issuer, so a console in another container or pod "
            "can be given the same value (`CONSOLE_OIDC_CLIENT_SECRET`). Unset: a random secret kept in "
            "`console-client.txt` beside the demo clients' file (make run, the distributed topology)."
        ),
    )
    demo_clients_file: str | None = Field(
        default=None,
        description=(
            "Where `make run` keeps the demo clients' plain secrets (mode 600); default "
            "`<DGPLAN_DATA_DIR or var>/demo-clients.txt`."
        ),
    )

    # --- rate limits -----------------------------------------------------------------------
    rate_limit_per_second: float = Field(
        default=50.0,
        ge=0,
        description=(
            "Sustained requests per second per client id (anonymous callers: per remote address); 0 turns "
            "limiting off. Counted across every gateway replica when the buckets are in the database "
            "(`rate_limit_store`)."
        ),
    )
    rate_limit_burst: int = Field(
        default=100, ge=1, description="Requests a client may send at once before the sustained rate applies."
    )
    rate_limit_store: Literal["auto", "process", "database"] = Field(
        default="auto",
        description=(
            "Where the rate-limit buckets are kept: `database` (the table `edge_rate_buckets`, shared by every "
            "replica; PostgreSQL only, one statement per request), `process` (this process's memory: N replicas "
            "allow N times the limit), or `auto`: `database` when the gateway's database is PostgreSQL."
        ),
    )
