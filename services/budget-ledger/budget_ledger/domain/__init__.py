"""Budget domain rules, free of FastAPI and SQLAlchemy."""
