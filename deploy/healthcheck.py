"""Container health check: the start page renders with a kernel; then that kernel is stopped again.

Opening the start page is the honest check (server, content, template and a kernel all work), but
each check starts a kernel; stopping it with Voila's own page-exit request keeps checks from piling
up kernels until the culler catches them. Standard library only; exit code 0 means healthy.
"""

from __future__ import annotations

import os
import re
import sys
import urllib.request

BASE = f"http://127.0.0.1:{os.environ.get('PORT', '8866')}"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
XSRF = "healthcheck"  # double-submit: the same value as cookie and header, as the page's own exit request


def main() -> int:
    try:
        with urllib.request.urlopen(f"{BASE}/", timeout=30) as response:  # "/" redirects to the start page
            body = response.read().decode("utf-8", "replace")
            status = response.status
    except OSError as error:
        print(f"start page unreachable: {error}", file=sys.stderr)
        return 1
    match = KERNEL_ID.search(body)
    if status != 200 or "<h1" not in body or not match:
        print(f"start page not rendered (HTTP {status})", file=sys.stderr)
        return 1
    stop = urllib.request.Request(
        f"{BASE}/voila/api/shutdown/{match.group(1)}",
        data=b"",
        method="POST",
        headers={"Cookie": f"_xsrf={XSRF}", "X-XSRFToken": XSRF},
    )
    try:
        urllib.request.urlopen(stop, timeout=10).close()
    except OSError as error:  # the page worked; a kernel left behind is the culler's job
        print(f"could not stop the check's kernel: {error}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
