"""Asset routes serve only under the folders a page loads from, whatever the path says."""

from __future__ import annotations

import pytest
from tornado.web import HTTPError

from backpain_edu.app.server import require_under

PREFIXES = ("backpain/static/",)


def test_a_plain_path_under_an_allowed_folder_is_served() -> None:
    assert require_under("backpain/static/voila-style.js", PREFIXES) == "backpain/static/voila-style.js"


@pytest.mark.parametrize(
    "path",
    [
        "backpain/static/../index.html.j2",
        "backpain/static/../../../../etc/passwd",
        "lab/static/index.css",
        "backpain/index.html.j2",
        "backpain/static",
        "./backpain/static/x.js",
        "backpain//static/x.js",
        "",
    ],
)
def test_paths_outside_the_allowed_folders_or_not_in_plain_form_are_not_found(path: str) -> None:
    with pytest.raises(HTTPError) as error:
        require_under(path, PREFIXES)
    assert error.value.status_code == 404
