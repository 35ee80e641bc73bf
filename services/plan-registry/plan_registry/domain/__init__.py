"""Domain rules of the registry, free of FastAPI and SQLAlchemy."""
