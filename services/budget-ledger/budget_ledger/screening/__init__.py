"""Annual budget screening: rounds, requests, decisions, package, approval."""
