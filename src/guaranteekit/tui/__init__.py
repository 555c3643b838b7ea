"""The terminal UI: screens over `guaranteekit.session`, which does every read, score and write."""
