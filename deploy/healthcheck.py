"""Container health check: the start page is served, and a tool page renders with a kernel, which is
then stopped again.

The start page is finished HTML (no kernel), so it shows that the server, the content and the template
work. The honest check of the rest is a page with widgets: the first page in the menu whose HTML names
a kernel. That starts a kernel per check; stopping it with Voila's own page-exit request keeps checks
from piling up kernels until the culler catches them. Standard library only; exit code 0 means healthy.
"""

from __future__ import annotations

import os
import re
import sys
import urllib.request

BASE = f"http://127.0.0.1:{os.environ.get('PORT', '8866')}"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
PAGE_LINK = re.compile(r'href="(/(?:[^"]*/)?voila/render/[0-9]{2}_[a-z0-9_]+\.ipynb)"')
XSRF = "healthcheck"  # double-submit: the same value as cookie and header, as the page's own exit request


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode("utf-8", "replace")


def stop_kernel(kernel_id: str) -> None:
    stop = urllib.request.Request(
        f"{BASE}/voila/api/shutdown/{kernel_id}",
        data=b"",
        method="POST",
        headers={"Cookie": f"_xsrf={XSRF}", "X-XSRFToken": XSRF},
    )
    try:
        urllib.request.urlopen(stop, timeout=10).close()
    except OSError as error:  # the page worked; a kernel left behind is the culler's job
        print(f"could not stop the check's kernel: {error}", file=sys.stderr)


def main() -> int:
    try:
        status, start = fetch(f"{BASE}/")  # "/" redirects to the start page
    except OSError as error:
        print(f"start page unreachable: {error}", file=sys.stderr)
        return 1
    if status != 200 or "<h1" not in start:
        print(f"start page not rendered (HTTP {status})", file=sys.stderr)
        return 1
    for path in dict.fromkeys(PAGE_LINK.findall(start)):  # the menu, in order, once each
        try:
            status, page = fetch(f"{BASE}{path}")
        except OSError as error:
            print(f"{path} failed: {error}", file=sys.stderr)
            return 1
        match = KERNEL_ID.search(page)
        if match:
            stop_kernel(match.group(1))
            print(f"{path}: kernel {match.group(1)} started and stopped")
            # A cell that failed shows the template's "something went wrong" box instead of its output.
            if status != 200 or 'class="bpe-went-wrong"' in page:
                print(f"{path} not rendered (HTTP {status})", file=sys.stderr)
                return 1
            return 0
    return 0  # no page with widgets in this deployment: the start page was the whole check


if __name__ == "__main__":
    sys.exit(main())
