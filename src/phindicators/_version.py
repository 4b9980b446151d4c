"""The package version: one home, read by the package namespace and the command line."""

__version__ = "0.1.0"
