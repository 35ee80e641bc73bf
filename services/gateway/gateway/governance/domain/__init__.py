"""The engine's rules, pure: workflow definitions as data, how a body decides, who may act on a
stage and when, how an instance moves, and the audit chain's hashes. No web, no database."""
