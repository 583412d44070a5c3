"""Every visitor is the same anonymous reader, and no cookie is set to tell visitors apart.

Jupyter Server's default identity provider, when no token is configured, invents an
"Anonymous <moon>" user per browser and stores it in a signed cookie that lasts 30 days.
The patient app has no accounts and nothing to remember between visits, so it needs no
cookie at all: each page's kernel is found by its id, not by who asked for it.
"""

from __future__ import annotations

from jupyter_server.auth.identity import IdentityProvider, User
from tornado import web

VISITOR = User(username="visitor", name="Visitor", display_name="Visitor", initials="V")


class AnonymousVisitorProvider(IdentityProvider):
    """No login, no token, no login cookie: every request is the one anonymous visitor."""

    @property
    def auth_enabled(self) -> bool:
        return False

    def get_user(self, handler: web.RequestHandler) -> User:
        return VISITOR

    def get_handlers(self) -> list[tuple[str, object]]:
        """No /login or /logout pages: there is nothing to log in to."""
        return []
