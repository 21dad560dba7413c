"""The pure kernel of chitra: names, personal IDs, months, hashing, issue codes (no Django, no app)."""
