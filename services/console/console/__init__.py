"""The console: server-rendered pages for the people who run the plan, built on the gateway's public API."""
