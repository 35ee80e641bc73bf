"""Tables, one repository per aggregate (all SQL lives here), the outbox writer."""
