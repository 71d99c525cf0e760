"""The version of zfacts (pyproject.toml says the same; the rules cache keys on it)."""

__version__ = "0.1.0"
