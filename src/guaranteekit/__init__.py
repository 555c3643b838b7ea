"""guaranteekit: score proposed security-guarantee packages."""

__version__ = "0.1.0"
