"""One module per use case (or per small family of them); each commits its own unit of work."""
