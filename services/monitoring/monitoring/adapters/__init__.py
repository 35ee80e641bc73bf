"""Adapters: the tables, one repository per aggregate (all SQL lives here), the read-model projection."""
