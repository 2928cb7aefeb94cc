"""The names of the role groups, defined once (every app imports them from here)."""

PROFESSIONALS = "Professionals"
MODERATORS = "Moderators"
ANALYSTS = "Analysts"
