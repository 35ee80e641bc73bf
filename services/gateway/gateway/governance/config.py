"""Engine settings with fixed defaults (no environment of its own: the gateway's settings belong
to the edge; these can move there once wired)."""

# How often the deadline scheduler scans for due stages.
SCHEDULER_INTERVAL_SECONDS = 30.0
# Due stages handled per scan; the rest wait for the next one.
SCHEDULER_BATCH = 100
# Default page size of lists.
DEFAULT_PAGE = 50
