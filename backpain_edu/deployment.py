"""Settings a clinic chooses once per deployment: its region and where patients report a problem.

They are read from the environment, so the server and every kernel it starts (which inherit its
environment) agree without a file: ``backpain-edu serve --region uk --contact ...`` sets them for
its own process. The region picks the emergency number in ``content/emergency.yaml``; an unset or
unknown region gets the ``default`` text, which names 999, 112 and 911.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

REGION_VARIABLE = "BACKPAIN_EDU_REGION"
CONTACT_VARIABLE = "BACKPAIN_EDU_CONTACT"
DEFAULT_REGION = "default"
MAX_CONTACT = 200
"""An email address or a web address, not a paragraph."""


@dataclass(frozen=True)
class Deployment:
    """``region`` is a key of emergency.yaml (``uk``, ``us``, ``eu``); ``contact`` an address or URL."""

    region: str = DEFAULT_REGION
    contact: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> Deployment:
        region = environ.get(REGION_VARIABLE, "").strip().lower() or DEFAULT_REGION
        contact = " ".join(environ.get(CONTACT_VARIABLE, "").split())[:MAX_CONTACT] or None
        return cls(region, contact)

    def environ(self) -> dict[str, str]:
        """The environment variables that carry these settings to the server and its kernels."""
        return {REGION_VARIABLE: self.region, CONTACT_VARIABLE: self.contact or ""}


def contact_href(contact: str | None) -> str | None:
    """A link for the "report a problem" contact: a web address as it is, an email as mailto:.

    Anything else (a phone number, a name) is shown as text, never turned into a link.
    """
    if not contact:
        return None
    if contact.startswith(("https://", "http://")) and " " not in contact:
        return contact
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", contact):
        return f"mailto:{contact}"
    return None
