"""backpain-edu as several replicas behind nginx on one machine: ``make cluster`` (or ``python deploy/cluster.py``).

Starts N replicas (``backpain-edu serve`` on loopback ports, one per core is the rule) and nginx in front
of them with ``deploy/nginx/backpain.conf``, as ordinary processes of the current user; prints the URL;
stops them all on Ctrl-C or SIGTERM. Meanwhile it supervises, as Kubernetes would:

- a replica is put into nginx's rotation only once its ``/ready`` answers 200 (its reading pages are
  rendered and its tool pages have a kernel waiting), so a slow start is never sent visitors;
- a replica that stops (crashed, killed) is taken out of rotation and started again; it is put back once
  ready. Its kernels end with it (each kernel watches its parent and exits when the server is gone).

Each event is printed as one line, timed from the start, for people and for the tests that read them.
The replicas share one folder of finished pages (``$BACKPAIN_EDU_CACHE`` if set, else one in the cluster's
folder), so a page rendered by one is not rendered again by another. nginx writes one line per request to
``access.log`` in the cluster's folder: the time, the replicas tried, their statuses, the final status and the
replica tag of a kernel route; no client address, no URL.

Standard library only (it runs before anything else is installed in a test's subprocess).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

NGINX_DIR = Path(__file__).resolve().parent / "nginx"
POLL_S = 0.25
READY_TIMEOUT_S = 1.0
STOP_GRACE_S = 20
TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Replica:
    """One ``backpain-edu serve`` process; ``tag`` starts each of its kernel ids (BACKPAIN_EDU_REPLICA)."""

    number: int
    port: int
    process: subprocess.Popen | None = None
    ready: bool = False
    starts: int = 0

    @property
    def tag(self) -> str:
        return f"{self.number:02x}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def answers_ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://{self.address}/ready", timeout=READY_TIMEOUT_S) as response:
                return response.status == 200
        except (OSError, urllib.error.HTTPError):
            return False


@dataclass
class Cluster:
    replicas: list[Replica]
    port: int
    folder: Path
    serve_args: list[str] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    started_at: float = field(default_factory=time.monotonic)
    scratch: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="backpain-nginx-")))
    """nginx's cache and temporary files. Started as root, nginx's workers run as nobody, who must reach
    them: a folder of their own under the temp folder, not inside ``folder`` (whose parents may be private)."""
    rotation: int = 0
    """How many times the rotation was written: nginx answers it at /cluster-rotation once it applies it."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def say(self, text: str) -> None:
        print(f"[{time.monotonic() - self.started_at:7.2f} s] {text}", flush=True)

    # --- nginx -------------------------------------------------------------------------------------

    def write_nginx_config(self) -> None:
        """nginx.conf for a process of this user, plus the two deployment files backpain.conf includes."""
        self.rotation += 1
        ready = [replica for replica in self.replicas if replica.ready]
        # nginx needs one server in a group; a "down" one answers every request with the plain 503 page.
        servers = [f"    server {r.address} max_fails=0;" for r in ready] or ["    server 127.0.0.1:9 down;"]
        tags = [f"    {r.tag} {r.address};" for r in self.replicas]
        (self.folder / "backpain-replicas.conf").write_text(
            "# Written by deploy/cluster.py: the replicas in rotation (ready ones only), and every replica by tag.\n"
            "# max_fails=0: a busy replica's 503 must not take it out of rotation for reading pages; a stopped\n"
            "# one refuses connections at once, and the cluster takes it out of this list.\n"
            "upstream backpain_replicas {\n    least_conn;\n" + "\n".join(servers) + "\n    keepalive 16;\n}\n"
            'map $bpe_kernel_tag $bpe_kernel_replica {\n    default "";\n' + "\n".join(tags) + "\n}\n"
            f"proxy_cache_path {self.scratch}/cache keys_zone=backpain_static:10m max_size=200m inactive=1d;\n"
            "log_format replicas '$msec|$upstream_addr|$upstream_status|$status|$bpe_kernel_tag';\n"
        )
        (self.folder / "backpain-server.conf").write_text(
            f"listen 127.0.0.1:{self.port};\nserver_name localhost;\naccess_log access.log replicas;\n"
            # The rotation's number, so the cluster knows when nginx has applied it (see wait_for_rotation).
            f"location = /cluster-rotation {{ allow 127.0.0.1; deny all; return 200 '{self.rotation}\\n'; }}\n"
        )
        (self.folder / "nginx.conf").write_text(
            "# Written by deploy/cluster.py: nginx as an ordinary process, everything in this folder.\n"
            "daemon off;\nworker_processes auto;\npid nginx.pid;\nerror_log error.log warn;\n"
            "events { worker_connections 4096; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            + "".join(f"    {kind}_temp_path {self.scratch}/{kind};\n" for kind in TEMP_KINDS)
            + f"    include {NGINX_DIR / 'backpain.conf'};\n"
            "}\n"
        )

    def nginx_command(self, *extra: str) -> list[str]:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        config, errors = self.folder / "nginx.conf", self.folder / "error.log"
        return [binary, "-p", f"{self.folder}/", "-c", str(config), "-e", str(errors), *extra]

    def start_nginx(self) -> None:
        self.write_nginx_config()
        check = subprocess.run(self.nginx_command("-t", "-q"), capture_output=True, text=True)
        if check.returncode:
            raise SystemExit(f"nginx refused the configuration:\n{check.stderr}")
        self.nginx = subprocess.Popen(self.nginx_command(), stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while not _listens(self.port):
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"nginx did not start:\n{_tail(self.folder / 'error.log')}")
            time.sleep(0.05)
        self.say(f"nginx on {self.url} (pid {self.nginx.pid})")

    def reload_nginx(self) -> None:
        """Apply the rotation: nginx starts new workers with it; open websockets stay on the old ones."""
        self.write_nginx_config()
        if self.nginx and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGHUP)
            self.wait_for_rotation()

    def wait_for_rotation(self, timeout_s: float = 10) -> None:
        """Return once nginx's new workers answer with the rotation just written (a reload is asynchronous)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/cluster-rotation", timeout=1) as response:
                    if response.read().decode().strip() == str(self.rotation):
                        return
            except OSError:
                pass
            time.sleep(0.02)
        self.say(f"nginx has not applied rotation {self.rotation} after {timeout_s:.0f} s")

    # --- replicas ----------------------------------------------------------------------------------

    def start_replica(self, replica: Replica) -> None:
        env = {
            **os.environ,
            "BACKPAIN_EDU_REPLICA": replica.tag,
            "BACKPAIN_EDU_CACHE": os.environ.get("BACKPAIN_EDU_CACHE") or str(self.folder / "pages"),
        }
        command = [sys.executable, "-m", "backpain_edu.cli", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(replica.port), *self.serve_args]
        log = (self.folder / f"replica-{replica.tag}.log").open("ab")
        replica.process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        replica.ready = False
        replica.starts += 1
        self.say(f"replica {replica.tag} starting on {replica.address} (pid {replica.process.pid})")

    def supervise_once(self) -> None:
        """One look at every replica: restart the stopped, put the newly ready into rotation."""
        changed = False
        for replica in self.replicas:
            code = replica.process.poll() if replica.process else None
            if code is not None:
                how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
                in_rotation, replica.ready = replica.ready, False
                if in_rotation:  # out of nginx's rotation before anything else (a reload is applied at once)
                    self.reload_nginx()
                    changed = False
                self.say(
                    f"replica {replica.tag} (pid {replica.process.pid}) stopped ({how})"
                    + (": out of rotation" if in_rotation else "")
                    + "; starting it again"
                )
                self.start_replica(replica)
            elif not replica.ready and replica.answers_ready():
                replica.ready = True
                changed = True
                self.say(f"replica {replica.tag} ready on {replica.address} (pid {replica.process.pid}): in rotation")
        if changed:
            self.reload_nginx()

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.scratch.chmod(0o755)  # nginx makes its folders inside, owned by its workers' user
        self.start_nginx()
        for replica in self.replicas:
            self.start_replica(replica)

    def run(self, start_timeout_s: float) -> None:
        """Supervise until SIGINT or SIGTERM."""
        announced = False
        deadline = time.monotonic() + start_timeout_s
        while True:
            self.supervise_once()
            if not announced and all(replica.ready for replica in self.replicas):
                announced = True
                self.say(f"backpain-edu cluster ready at {self.url} ({len(self.replicas)} replicas; Ctrl-C to stop)")
            if not announced and time.monotonic() > deadline:
                logs = "\n".join(_tail(self.folder / f"replica-{r.tag}.log") for r in self.replicas if not r.ready)
                raise SystemExit(f"replicas not ready within {start_timeout_s:.0f} s:\n{logs}")
            if self.nginx and self.nginx.poll() is not None:
                raise SystemExit(f"nginx stopped:\n{_tail(self.folder / 'error.log')}")
            time.sleep(POLL_S)

    def stop(self) -> None:
        """SIGTERM to nginx and every replica (each stops its kernels), SIGKILL to what is left after the grace."""
        processes = [p for p in [self.nginx, *(r.process for r in self.replicas)] if p and p.poll() is None]
        for process in processes:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=10)
        shutil.rmtree(self.scratch, ignore_errors=True)
        self.say("stopped")


def _signal_group(process: subprocess.Popen, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, number)


def _listens(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _tail(path: Path, size: int = 3000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-size:]
    except OSError:
        return f"({path.name}: nothing written)"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cores = os.cpu_count() or 2
    parser.add_argument("--replicas", type=int, default=cores, help="replicas to run (default: one per core)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (default 8080)")
    parser.add_argument("--folder", help="folder for configuration, logs and caches (default: a new temporary one)")
    parser.add_argument("--notebooks", help="folder of notebooks to serve (default: the repository's)")
    parser.add_argument("--start-timeout", type=float, default=180, help="seconds for every replica to be ready")
    args = parser.parse_args(argv)
    if not 1 <= args.replicas <= 255:
        parser.error("--replicas must be between 1 and 255")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        print("nginx is not installed: sudo apt-get install -y nginx (Debian, Ubuntu)", file=sys.stderr)
        return 2
    own_folder = args.folder is None
    folder = Path(args.folder or tempfile.mkdtemp(prefix="backpain-cluster-"))
    serve_args = ["--notebooks", args.notebooks] if args.notebooks else []
    replicas = [Replica(number, free_port()) for number in range(1, args.replicas + 1)]
    cluster = Cluster(replicas, args.port, folder, serve_args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start()
        cluster.run(args.start_timeout)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
        if own_folder:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
