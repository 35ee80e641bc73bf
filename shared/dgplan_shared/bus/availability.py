"""Whether the broker is reachable, as one state per process: one warning when it goes away, one
info line when it is back, a gauge, and back-off delays for whoever retries meanwhile.

An outage used to print a line per retry of every client inside aiokafka (about 2,100 ERROR lines
per consumer and 800 per relay in 28 seconds). ``QuietClientLogs`` turns aiokafka's connection
errors into a signal for this state instead of log lines, and keeps its other warnings from
repeating; the outage itself is reported once, here.
"""

from __future__ import annotations

import logging
import random
import time

from prometheus_client import Gauge

log = logging.getLogger(__name__)

# Labelled, so that a process that has not yet checked its bus exports nothing rather than a 0.
BROKER_AVAILABLE = Gauge(
    "dgplan_broker_available", "1 while the message broker is reachable from this process, 0 during an outage",
    ["bus"],
)


def backoff_delay(attempt: int, base: float, cap: float) -> float:
    """Bounded exponential back-off with jitter for the ``attempt``-th retry (1, 2, ...).

    Half the delay is random, so the relays and consumers of every service that lost the broker at
    the same moment do not all knock again at the same moment.
    """
    ceiling = min(cap, base * (2 ** max(0, attempt - 1)))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


class BrokerAvailability:
    """``report_down`` turns the state to down only when the broker stays unreachable for
    ``confirm_seconds``: a broker that is starting refuses a connection or two after it first
    answered, and that is not a second outage to log."""

    def __init__(self, what: str = "broker", confirm_seconds: float = 2.0, kind: str = "kafka") -> None:
        self.what = what
        self.kind = kind
        self.confirm_seconds = confirm_seconds
        self.available: bool | None = None  # None: not known yet
        self.suspected = False  # a client saw a connection error; the next check decides
        self._down_since = 0.0
        self._failing_since: float | None = None

    def report_down(self, reason: str) -> None:
        if self.available is False:
            self.suspected = False
            return
        now = time.monotonic()
        if self._failing_since is None:
            self._failing_since = now
        if now - self._failing_since < self.confirm_seconds:
            self.suspected = True  # ask again soon
            return
        self.suspected = False
        self.available = False
        self._down_since = self._failing_since
        self._failing_since = None
        BROKER_AVAILABLE.labels(self.kind).set(0)
        log.warning(
            "broker unavailable; waiting for it with back-off (further connection errors are not logged)",
            extra={"broker": self.what, "reason": reason[:500]},
        )

    def report_up(self) -> None:
        self.suspected = False
        self._failing_since = None
        if self.available is True:
            return
        was_down = self.available is False
        self.available = True
        BROKER_AVAILABLE.labels(self.kind).set(1)
        if was_down:
            log.info(
                "broker available again",
                extra={"broker": self.what, "outage_seconds": round(time.monotonic() - self._down_since, 1)},
            )

    def detail(self) -> str:
        """For readiness answers: what is down and since when."""
        if self.available is False:
            return f"{self.what} unreachable for {time.monotonic() - self._down_since:.0f}s"
        return f"{self.what} unreachable"


# aiokafka's messages (templates, before formatting) that mean "cannot reach the broker".
_CONNECTIVITY = (
    "Unable connect to",
    "Unable to update metadata",
    "Unable to request metadata",
    "Failed fetch messages from",
    "Failed fetch offsets from",
    "Got error produce response: ",
    "Error sending ",
    "Cannot send ",
    "Marking the coordinator dead",
    "Heartbeat send request failed",
    "Heartbeat session expired",
    "Group Coordinator Request failed",
    "FindCoordinator Request failed",
)
_REPEAT_WINDOW_SECONDS = 300.0


class QuietClientLogs(logging.Filter):
    """On aiokafka's loggers: a connection error marks the broker suspect instead of printing; while
    the broker is down, the client's warnings are consequences of it and are dropped; otherwise a
    warning prints once per five minutes per message."""

    def __init__(self, availability: BrokerAvailability) -> None:
        super().__init__()
        self.availability = availability
        self._last: dict[tuple[str, str], float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        template = str(record.msg)
        if template.startswith(_CONNECTIVITY):
            if self.availability.available is not False:
                self.availability.suspected = True
            return False
        if self.availability.available is False:
            return False
        key = (record.name, template)
        now = time.monotonic()
        if now - self._last.get(key, -_REPEAT_WINDOW_SECONDS) < _REPEAT_WINDOW_SECONDS:
            return False
        self._last[key] = now
        return True


CLIENT_LOGGERS = (
    "aiokafka",
    "aiokafka.cluster",
    "aiokafka.conn",
    "aiokafka.producer.sender",
    "aiokafka.producer.producer",
    "aiokafka.consumer.fetcher",
    "aiokafka.consumer.group_coordinator",
    "aiokafka.consumer.consumer",
    "aiokafka.admin.client",
)


def quiet_client_logs(availability: BrokerAvailability) -> None:
    """Install the filter once per process (a logger's filters see only its own records, not its
    children's, hence the list)."""
    for name in CLIENT_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, QuietClientLogs) for f in logger.filters):
            logger.addFilter(QuietClientLogs(availability))
