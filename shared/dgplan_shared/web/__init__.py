"""Web plumbing every service uses the same way: the strict wire model, cursor pages, ETags and
conditional requests, text guards, and limits on what a request body may be."""
