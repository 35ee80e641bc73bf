"""HTTP routes (thin): validate, authorize, call one use case, shape the answer."""
