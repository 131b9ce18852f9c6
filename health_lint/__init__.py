"""health-lint: lint patient-facing health articles."""
__version__ = "0.1.0"
