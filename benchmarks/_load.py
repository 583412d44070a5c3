"""Many visitors at once, without a browser each: the requests a page makes, replayed over HTTP and websocket.

Fifty Chromium pages on a two-core machine would measure the browsers' own JavaScript start-up, not the
server. So a visitor here does what the page asks of the server, in the same order:

1. GET the page (Voila runs the notebook in a new kernel while it streams the HTML);
2. GET every static file a real Chromium visit requested (recorded from a browser visit), six at a time;
3. open the kernel websocket, ask for ``kernel_info``, then fetch every widget's state over the
   ``jupyter.widget.control`` comm, as the ipywidgets 8 manager does (falling back to ``comm_info``
   when the kernel has no widgets).

"Ready" is when that state has arrived: from then on a browser only needs its own CPU to draw the
widgets. Visitors stay connected (reading, as an open page does) until all of them are ready or have
failed, so the memory is read with every kernel alive; then each one leaves as a closing tab does
(Voila's shutdown request).

A reader (a page without widgets, served as finished HTML) is one GET: no script, no kernel, no
websocket. It is read as a phone would read it, asking for gzip, and timed to the last byte.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
import zlib
from dataclasses import dataclass, field

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

HEADING_BYTES = re.compile(rb"(<|\\u003c)h1(\s|>|\\u003e)")
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
PARALLEL_ASSETS = 6  # what a browser opens per host over HTTP/1.1
XSRF = "benchmark"  # double-submit: the same value as cookie and header, as the page's own shutdown request


def http_client() -> AsyncHTTPClient:
    AsyncHTTPClient.configure(None, max_clients=1000)
    return AsyncHTTPClient()


@dataclass
class RawVisit:
    """One replayed visit: seconds since its first request, or an error."""

    heading_s: float | None = None
    html_s: float | None = None
    assets_s: float | None = None
    ready_s: float | None = None
    widgets: int | None = None
    asset_bytes: int = 0
    kernel_id: str | None = None
    error: str | None = None
    socket: WebSocketClientConnection | None = field(default=None, repr=False)
    reader: asyncio.Task[None] | None = field(default=None, repr=False)


@dataclass
class RawRead:
    """One replayed reader of a finished page: seconds since the request, bytes on the wire, or an error."""

    page: str
    heading_s: float | None = None
    html_s: float | None = None
    wire_bytes: int = 0
    gzip: bool = False
    error: str | None = None


async def _read_finished(base: str, page: str, result: RawRead, timeout_s: float) -> None:
    # The compressed bytes as they arrive (the wire), unpacked on the fly to see when the h1 arrived.
    unpack = zlib.decompressobj(16 + zlib.MAX_WBITS)
    text: list[bytes] = []
    t0 = time.perf_counter()

    def on_chunk(chunk: bytes) -> None:
        result.wire_bytes += len(chunk)
        if result.gzip:
            chunk = unpack.decompress(chunk)
        if result.heading_s is None and HEADING_BYTES.search(b"".join(text[-1:])[-16:] + chunk):
            result.heading_s = round(time.perf_counter() - t0, 3)
        text.append(chunk)

    def on_headers(line: str) -> None:
        if line.lower().replace(" ", "") == "content-encoding:gzip\r\n":
            result.gzip = True

    request = HTTPRequest(
        f"{base}{page}",
        headers={"Accept-Encoding": "gzip"},
        decompress_response=False,
        header_callback=on_headers,
        streaming_callback=on_chunk,
        request_timeout=timeout_s,
    )
    await http_client().fetch(request)
    result.html_s = round(time.perf_counter() - t0, 3)
    if result.heading_s is None:
        raise ValueError("the page has no h1")
    if b"kernelId" in b"".join(text):
        raise ValueError("the page went through Voila (it names a kernel), not finished HTML")


async def read(base: str, page: str, timeout_s: float) -> RawRead:
    """One reader opens a finished page (``/voila/render/<notebook>``) and reads it to the end."""
    result = RawRead(page)
    try:
        await asyncio.wait_for(_read_finished(base, page, result, timeout_s), timeout_s)
    except TimeoutError:
        result.error = f"not read within {timeout_s:.0f} s"
    except (OSError, HTTPClientError, ValueError) as error:
        result.error = f"{type(error).__name__}: {error}"
    return result


def _message(msg_type: str, content: dict, session: str, metadata: dict | None = None) -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": session,
        "username": "benchmark",
        "date": "",
        "version": "5.3",
    }
    message = {"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content}
    return json.dumps({**message, "channel": "shell", "buffers": []})


def _decode(frame: str | bytes) -> dict:
    """A kernel message from the server's legacy websocket protocol (JSON, or binary when it has buffers)."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 * (i + 1) : 4 * (i + 2)], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0] : end])


async def _read_page(client: AsyncHTTPClient, url: str, t0: float, result: RawVisit, timeout_s: float) -> str:
    chunks: list[bytes] = []

    def on_chunk(chunk: bytes) -> None:
        if result.heading_s is None and HEADING_BYTES.search(b"".join(chunks[-1:]) + chunk):
            result.heading_s = round(time.perf_counter() - t0, 3)
        chunks.append(chunk)

    await client.fetch(url, streaming_callback=on_chunk, request_timeout=timeout_s)
    result.html_s = round(time.perf_counter() - t0, 3)
    return b"".join(chunks).decode("utf-8", "replace")


async def _read_assets(client: AsyncHTTPClient, assets: list[str], timeout_s: float) -> int:
    gate = asyncio.Semaphore(PARALLEL_ASSETS)

    async def one(url: str) -> int:
        async with gate:
            return len((await client.fetch(url, request_timeout=timeout_s)).body)

    return sum(await asyncio.gather(*(one(url) for url in assets)))


async def _drain(socket: WebSocketClientConnection) -> None:
    """Keep reading, as an open page does: tornado's client answers the server's pings only while read."""
    while await socket.read_message() is not None:
        pass


async def _next(socket: WebSocketClientConnection) -> dict:
    frame = await socket.read_message()
    if frame is None:
        raise ConnectionError("the kernel websocket closed")
    return _decode(frame)


async def _widget_count(socket: WebSocketClientConnection, session: str) -> int:
    """Ask the kernel for every widget's state, as the ipywidgets 8 manager does on page start."""
    await socket.write_message(_message("kernel_info_request", {}, session))
    while (await _next(socket))["header"]["msg_type"] != "kernel_info_reply":
        pass
    comm_id = uuid.uuid4().hex
    opening = {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}}
    await socket.write_message(_message("comm_open", opening, session, {"version": "1.0.0"}))
    request = {"comm_id": comm_id, "data": {"method": "request_states"}}
    await socket.write_message(_message("comm_msg", request, session))
    while True:
        message = await _next(socket)
        kind, content = message["header"]["msg_type"], message["content"]
        if kind == "comm_msg" and content.get("comm_id") == comm_id:
            await socket.write_message(_message("comm_close", {"comm_id": comm_id, "data": {}}, session))
            return len(content["data"].get("states", {}))
        if kind == "comm_close" and content.get("comm_id") == comm_id:
            # No widget was ever created, so ipywidgets registered no control target: ask as the fallback does.
            await socket.write_message(_message("comm_info_request", {"target_name": "jupyter.widget"}, session))
        if kind == "comm_info_reply":
            return len(content.get("comms", {}))


async def _arrive(base: str, page: str, assets: list[str], result: RawVisit, timeout_s: float) -> None:
    client = http_client()
    t0 = time.perf_counter()
    html = await _read_page(client, f"{base}{page}", t0, result, timeout_s)
    match = KERNEL_ID.search(html)
    if not match:
        raise ValueError("no kernelId in the page")
    result.kernel_id = match.group(1)
    result.asset_bytes = await _read_assets(client, assets, timeout_s)
    result.assets_s = round(time.perf_counter() - t0, 3)
    session = uuid.uuid4().hex
    url = f"{base.replace('http', 'ws', 1)}/api/kernels/{result.kernel_id}/channels?session_id={session}"
    result.socket = await websocket_connect(url)
    result.widgets = await _widget_count(result.socket, session)
    result.ready_s = round(time.perf_counter() - t0, 3)
    result.reader = asyncio.create_task(_drain(result.socket))


async def arrive(base: str, page: str, assets: list[str], timeout_s: float) -> RawVisit:
    """One visitor opens ``page``; the result keeps its websocket open until ``leave``."""
    result = RawVisit()
    try:
        await asyncio.wait_for(_arrive(base, page, assets, result, timeout_s), timeout_s)
    except TimeoutError:
        result.error = f"not ready within {timeout_s:.0f} s"
    except (OSError, HTTPClientError, ValueError, KeyError) as error:
        result.error = f"{type(error).__name__}: {error}"
    return result


async def shut_down(base: str, kernel_id: str) -> None:
    """Voila's shutdown request, as a closing tab sends it; a kernel already gone is fine."""
    request = HTTPRequest(
        f"{base}/voila/api/shutdown/{kernel_id}",
        method="POST",
        body="",
        headers={"Cookie": f"_xsrf={XSRF}", "X-XSRFToken": XSRF},
        request_timeout=30,
    )
    try:
        await http_client().fetch(request)
    except HTTPClientError as error:
        if error.code != 404:
            raise


async def leave(base: str, visit: RawVisit) -> None:
    if visit.socket is not None:
        visit.socket.close()
    if visit.reader is not None:
        visit.reader.cancel()
    if visit.kernel_id is not None:
        await shut_down(base, visit.kernel_id)
