"""The terminal UI: screens over `guaranteekit.tui.session`, which does every read, score and write."""
