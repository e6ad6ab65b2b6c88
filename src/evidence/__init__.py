"""evidence: fact-check the statistics in health articles against curated study data."""

__version__ = "0.1.0"
