"""The review trail and SSH signatures over a report."""
