"""The package's errors: one base, so a caller can catch anything this package raises on purpose.

Each subclass keeps its own precise message (the file and field of bad content, the line and
column of a bad diary file). They are ValueErrors too: each is a bad value handed in from outside.
"""

from __future__ import annotations


class BackpainEduError(ValueError):
    """Something handed to backpain-edu (content, a diary file, a notebooks folder) cannot be used."""
