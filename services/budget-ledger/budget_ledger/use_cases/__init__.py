"""One module per use case; each runs inside a unit of work the caller commits."""
