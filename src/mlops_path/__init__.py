"""Track your way through a study path, starting with the MLOps guide."""

# A literal, not importlib.metadata: reading metadata costs start-up time on every call.
# tests/test_packaging.py checks it against pyproject.toml.
__version__ = "0.2.0"
