"""The checks of scripts/check-deploy, run by it in its virtualenv (see there for the tools
and how they are installed): python3 scripts/check_deploy.py <repository root>."""
import copy, json, logging, os, re, shutil, subprocess, sys
from pathlib import Path

root = Path(sys.argv[1])
deploy = root / "deploy"
chart_dir = root / "helm" / "mensa"
problems = []


def problem(where, what, fix):
    problems.append(f"{where}: {what}\n    fix: {fix}")


# ---------------------------------------------------------------- YAML with duplicate keys
import yaml


class StrictLoader(yaml.SafeLoader):
    pass


def _no_duplicates(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *anchor`: merged keys may be overridden
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    loader.flatten_mapping(node)
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def load_all(text):
    return [d for d in yaml.load_all(text, Loader=StrictLoader) if d is not None]


# ------------------------------------------------------------------------------ yamllint
from yamllint import linter
from yamllint.config import YamlLintConfig

lint_config = YamlLintConfig("""
extends: default
rules:
  line-length: {max: 100}
  document-start: disable
  truthy: {check-keys: false}
  comments: {min-spaces-from-content: 1}
""")
yaml_files = [chart_dir / "Chart.yaml", chart_dir / "values.yaml",
              deploy / "compose.yaml", deploy / "otel-collector.yaml",
              *sorted((chart_dir / "ci").glob("*.yaml"))]
for path in yaml_files:
    if not path.is_file():
        problem(path.relative_to(root), "missing", "restore the file")
        continue
    for p in linter.run(path.read_text(), lint_config):
        if p.level == "error":
            problem(f"{path.relative_to(root)}:{p.line}", f"yamllint: {p.desc} ({p.rule})",
                    "fix the YAML style at that line")

# --------------------------------------------------------- values.yaml is fully documented
# Every key needs a comment right above it, except inside blocks documented as a whole.
WHOLE_BLOCKS = {"podSecurityContext", "securityContext", "resources"}
stack = []  # (indent, key)
values_lines = (chart_dir / "values.yaml").read_text().splitlines()
for n, line in enumerate(values_lines, 1):
    m = re.match(r"^( *)([A-Za-z][\w.-]*):", line)
    if not m:
        continue
    indent, key = len(m.group(1)), m.group(2)
    while stack and stack[-1][0] >= indent:
        stack.pop()
    inside_whole = any(k in WHOLE_BLOCKS for _, k in stack)
    stack.append((indent, key))
    if inside_whole:
        continue
    prev = next((l for l in reversed(values_lines[: n - 1]) if l.strip()), "")
    if not prev.strip().startswith("#"):
        problem(f"helm/mensa/values.yaml:{n}", f"key '{key}' has no comment above it",
                "document the key with a `# -- ...` comment on the line before it")

# ---------------------------------------------------------------------------- Helm (Go SDK)
import helm_python as helm

import contextlib


@contextlib.contextmanager
def quiet_stderr():
    """Helm's Go code logs each `fail` it meets while linting straight to fd 2; lint
    findings come back as data, so that chatter is dropped."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


ci_values = {p.name: yaml.safe_load(p.read_text()) or {}
             for p in sorted((chart_dir / "ci").glob("*-values.yaml"))}
if "default-values.yaml" not in ci_values:
    problem("helm/mensa/ci/default-values.yaml", "missing",
            "restore it: the defaults plus database.url and redis.url")


def deep_merge(base, over):
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


chart_defaults = yaml.safe_load((chart_dir / "values.yaml").read_text()) or {}

# Each scenario: values over the chart defaults, release name.
scenarios = {name: (vals, "mensa") for name, vals in ci_values.items()}
if "default-values.yaml" in ci_values:
    scenarios["default-values.yaml + release name 'prod'"] = (ci_values["default-values.yaml"], "prod")

for kube in ("v1.25.0", "v1.37.0"):
    for name, values in [("defaults", None)] + [(n, v) for n, (v, _) in scenarios.items()]:
        try:
            with quiet_stderr():
                report = helm.lint(str(chart_dir), values, strict=True, kube_version=kube)
        except Exception as e:  # malformed chart
            problem(f"helm lint ({name}, {kube})", str(e), "fix the chart so `helm lint` loads it")
            continue
        for msg in report.get("messages", []):
            if msg.get("severity", 0) >= 2:
                problem(f"helm lint ({name}, {kube})", f"{msg.get('path')}: {msg.get('error')}",
                        "fix the chart as the lint message says")
        for err in report.get("errors", []):
            problem(f"helm lint ({name}, {kube})", err, "fix the chart as the lint error says")

# The bare defaults must refuse to render, naming what is missing (no silent SQLite).
with helm.Chart.load(str(chart_dir)) as chart:
    try:
        chart.render(None, name="mensa", namespace="mensa", is_install=True)
        problem("helm template (defaults)", "rendered without a database URL",
                "keep the `required`/`fail` on database.url in templates/_helpers.tpl")
    except Exception as e:
        if "database.url is required" not in str(e):
            problem("helm template (defaults)", f"failed, but not on database.url: {e}",
                    "the only value the defaults may lack is database.url (or existingSecret)")

    rendered = {}
    for name, (values, release) in scenarios.items():
        try:
            out = chart.render(values, name=release, namespace="mensa", is_install=True)
        except Exception as e:
            problem(f"helm template ({name})", str(e).strip(), "fix the template or the values")
            continue
        docs = []
        for template, text in sorted(out.items()):
            if template.endswith("NOTES.txt"):
                if not text.strip():
                    problem(f"{template} ({name})", "renders empty", "fix NOTES.txt")
                continue
            try:
                docs += [(template, d) for d in load_all(text)]
            except yaml.YAMLError as e:
                problem(f"{template} ({name})", f"renders invalid YAML: {e}", "fix the template")
        rendered[name] = (values, release, docs)

# ------------------------------------------------------- Kubernetes schemas (strict mode)
import kubernetes_validate as kv

CRD_KINDS = {("monitoring.coreos.com/v1", "ServiceMonitor")}  # no schema in any registry package
for name, (_, _, docs) in rendered.items():
    for template, doc in docs:
        kind, api = doc.get("kind"), doc.get("apiVersion")
        if (api, kind) in CRD_KINDS:
            spec = doc.get("spec") or {}
            eps = spec.get("endpoints") or []
            if not spec.get("selector", {}).get("matchLabels") or not eps or not all(
                    e.get("port") and e.get("path") == "/metrics" for e in eps):
                problem(f"{template} ({name})", "ServiceMonitor lacks selector/endpoints(/metrics)",
                        "select the Service by its labels and scrape port metrics, path /metrics")
            continue
        for version in ("1.25.0", "1.37.0"):
            try:
                kv.validate(doc, version, strict=True)
            except kv.ValidationError as e:
                path = "/".join(str(p) for p in e.absolute_path) or "(root)"
                problem(f"{template} ({name})", f"{kind} invalid for Kubernetes {version} at {path}: "
                        f"{e.message}", "fix the manifest to match the Kubernetes API")
            except (kv.SchemaNotFoundError, kv.VersionNotSupportedError) as e:
                problem(f"{template} ({name})", f"no schema: {e}", "use a stable API version")

# ------------------------------------------------------------- deployment invariants
def by_kind(docs, kind):
    return [d for _, d in docs if d.get("kind") == kind]


def check_pod(where, pod, container_name):
    psc = pod.get("securityContext", {})
    if not (psc.get("runAsNonRoot") and psc.get("runAsUser") == 10001
            and psc.get("seccompProfile", {}).get("type") == "RuntimeDefault"):
        problem(where, "pod securityContext is not runAsNonRoot/10001/RuntimeDefault",
                "restore podSecurityContext in values.yaml")
    if pod.get("automountServiceAccountToken") is not False:
        problem(where, "mounts a service account token", "set automountServiceAccountToken: false")
    for c in pod.get("containers", []):
        sc = c.get("securityContext", {})
        if not (sc.get("readOnlyRootFilesystem") and sc.get("allowPrivilegeEscalation") is False
                and "ALL" in sc.get("capabilities", {}).get("drop", [])):
            problem(where, f"container {c.get('name')} is not read-only/no-escalation/drop ALL",
                    "restore securityContext in values.yaml")
        mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
        if "/data" not in mounts:
            problem(where, "no writable volume at /data", "mount the data volume at /data")
    names = [c.get("name") for c in pod.get("containers", [])]
    if container_name not in names:
        problem(where, f"no container named {container_name}", "keep the container name")


for name, (values, release, docs) in rendered.items():
    deps, jobs = by_kind(docs, "Deployment"), by_kind(docs, "Job")
    secrets, cms = by_kind(docs, "Secret"), by_kind(docs, "ConfigMap")
    if len(deps) != 1:
        problem(name, f"{len(deps)} Deployments rendered", "render exactly one gateway Deployment")
        continue
    dep = deps[0]
    pod = dep["spec"]["template"]["spec"]
    check_pod(f"Deployment ({name})", pod, "gateway")
    gw = next((c for c in pod["containers"] if c["name"] == "gateway"), pod["containers"][0])
    probes = {k: gw.get(k, {}).get("httpGet", {}).get("path")
              for k in ("startupProbe", "livenessProbe", "readinessProbe")}
    if probes != {"startupProbe": "/healthz", "livenessProbe": "/healthz", "readinessProbe": "/readyz"}:
        problem(f"Deployment ({name})", f"probes are {probes}",
                "startup and liveness on /healthz, readiness on /readyz")
    grace = pod.get("terminationGracePeriodSeconds", 30)
    pre_stop = int(values.get("preStopSleepSeconds", 5) or 0)
    if grace <= pre_stop + 30:
        problem(f"Deployment ({name})", f"terminationGracePeriodSeconds {grace} leaves no time to drain "
                f"after a {pre_stop} s preStop and a 30 s request", "raise terminationGracePeriodSeconds")
    if gw.get("args") != ["serve"]:
        problem(f"Deployment ({name})", "gateway does not run `mensa serve`", "set args: [serve]")
    cm = cms[0]["data"] if cms else {}
    expect = {"MENSA_DEMO": "false", "MENSA_ADDR": "0.0.0.0:8080", "MENSA_DATA_DIR": "/data"}
    for k, v in expect.items():
        if cm.get(k) != v:
            problem(f"ConfigMap ({name})", f"{k} is {cm.get(k)!r}", f"set {k} to {v!r}")
    if cm.get("MENSA_LOG_FORMAT") not in ("json", "text"):
        problem(f"ConfigMap ({name})", "MENSA_LOG_FORMAT is not json|text", "set logFormat")
    # Where DATABASE_URL comes from, and whether it exists before the migrations hook.
    env = {e["name"]: e for e in gw.get("env", [])}
    # pagoPA: the identity in the ConfigMap, the subscription keys only from the Secret.
    pagopa = deep_merge(chart_defaults.get("pagopa", {}), values.get("pagopa", {}))
    for k, v in (("MENSA_PAGOPA_BROKER_ID", pagopa.get("brokerId")),
                 ("MENSA_PAGOPA_STATION_ID", pagopa.get("stationId"))):
        if not v or cm.get(k) != str(v):
            problem(f"ConfigMap ({name})", f"{k} is {cm.get(k)!r}", f"set pagopa to carry {k}")
    for k in ("MENSA_PAGOPA_CHECKOUT_API_KEY", "MENSA_PAGOPA_ACA_API_KEY"):
        key_ref = env.get(k, {}).get("valueFrom", {}).get("secretKeyRef", {})
        if k in cm or not key_ref.get("optional"):
            problem(f"Deployment ({name})", f"{k} is not read, optional, from the Secret",
                    f"take {k} from the Secret (secretKeyRef, optional: true), never the ConfigMap")
    ref = env.get("DATABASE_URL", {}).get("valueFrom", {}).get("secretKeyRef", {})
    existing = values.get("existingSecret")
    own = {s["metadata"]["name"]: s for s in secrets}
    if existing:
        if ref.get("name") != existing or own:
            problem(f"Deployment ({name})", "existingSecret is not used (or a Secret is still created)",
                    "with existingSecret, read it and render no Secret")
    else:
        s = own.get(ref.get("name"))
        if not s or "DATABASE_URL" not in s.get("stringData", {}):
            problem(f"Deployment ({name})", "DATABASE_URL refers to no rendered Secret key",
                    "render the Secret the Deployment reads")
        elif jobs:
            sw = int(s["metadata"].get("annotations", {}).get("helm.sh/hook-weight", "x")
                     if "helm.sh/hook" in s["metadata"].get("annotations", {}) else 10**6)
            jw = int(jobs[0]["metadata"]["annotations"].get("helm.sh/hook-weight", "0"))
            if "pre-install" not in s["metadata"].get("annotations", {}).get("helm.sh/hook", "") or sw >= jw:
                problem(f"Secret ({name})", "not created before the pre-install migrations Job",
                        "make it a pre-install,pre-upgrade hook with a lower hook-weight than the Job")
    for job in jobs:
        ann = job["metadata"].get("annotations", {})
        if set(ann.get("helm.sh/hook", "").split(",")) != {"pre-install", "pre-upgrade"} or \
           set(ann.get("helm.sh/hook-delete-policy", "").split(",")) != {"before-hook-creation", "hook-succeeded"}:
            problem(f"Job ({name})", "migrations Job hook annotations are wrong",
                    "hook pre-install,pre-upgrade; delete policy before-hook-creation,hook-succeeded")
        jpod = job["spec"]["template"]["spec"]
        check_pod(f"Job ({name})", jpod, "migrate")
        if jpod["containers"][0].get("args") != ["migrate"]:
            problem(f"Job ({name})", "does not run `mensa migrate`", "set args: [migrate]")
        if jpod.get("serviceAccountName") and jpod["serviceAccountName"] in {
                d["metadata"]["name"] for d in by_kind(docs, "ServiceAccount")}:
            problem(f"Job ({name})", "uses the chart's ServiceAccount, which a pre-install hook "
                    "cannot see yet", "leave migrations.serviceAccountName to a pre-existing one")
        if any("configMapRef" in e for c in jpod["containers"] for e in c.get("envFrom", [])):
            problem(f"Job ({name})", "reads the release's ConfigMap, absent at pre-install",
                    "set the Job's env inline")
    svc = by_kind(docs, "Service")
    # The gateway's main Service: the one that forwards to the http port.
    svc = sorted(svc, key=lambda s: all(p.get("targetPort") != "http" for p in s["spec"]["ports"]))
    if not svc or svc[0]["spec"]["ports"][0].get("port") != values.get("service", {}).get("port", 80) \
            or svc[0]["spec"]["ports"][0].get("targetPort") != "http":
        problem(f"Service ({name})", "not port 80 -> http(8080)", "fix templates/service.yaml")
    for ing in by_kind(docs, "Ingress"):
        hosts = [r.get("host") for r in ing["spec"].get("rules", [])]
        base = values.get("baseDomain", "mensa.example.it")
        if f"*.{base}" not in hosts:
            problem(f"Ingress ({name})", f"hosts {hosts} lack *.{base}", "route the wildcard host")
    # /metrics must not be public: it lives on the admin port, which no Ingress routes to.
    admin = cm.get("MENSA_ADMIN_ADDR", "")
    admin_port = admin.rsplit(":", 1)[-1]
    ports = {p.get("name"): p for p in gw.get("ports", [])}
    if not admin or str(ports.get("metrics", {}).get("containerPort")) != admin_port \
            or admin_port == "8080":
        problem(f"ConfigMap ({name})", f"MENSA_ADMIN_ADDR is {admin!r}",
                "serve /metrics on a port of its own (metrics.port), named metrics in the pod")
    public_ports = {p.get("port") for p in svc[0]["spec"]["ports"] if p.get("targetPort") == "http"} \
        if svc else set()
    for ing in by_kind(docs, "Ingress"):
        for rule in ing["spec"].get("rules", []):
            for path in rule.get("http", {}).get("paths", []):
                port = path.get("backend", {}).get("service", {}).get("port", {})
                if port.get("number") not in public_ports and port.get("name") != "http":
                    problem(f"Ingress ({name})", f"routes {rule.get('host')} to port {port}",
                            "route only to the Service's http port (/metrics is on the metrics port)")
    # The pagoPA creditor listener: a port of its own, mutual TLS with mounted files, a
    # Service of its own, and never the main Service or an Ingress.
    pagopa_addr = cm.get("MENSA_PAGOPA_ADDR", "")
    pagopa_port = pagopa_addr.rsplit(":", 1)[-1]
    if not pagopa_addr or str(ports.get("pagopa", {}).get("containerPort")) != pagopa_port \
            or pagopa_port in ("8080", admin_port):
        problem(f"ConfigMap ({name})", f"MENSA_PAGOPA_ADDR is {pagopa_addr!r}",
                "serve the creditor listener on a port of its own (pagopa.listener.port), named pagopa")
    mounts = {m["mountPath"] for m in gw.get("volumeMounts", [])}
    for k in ("MENSA_PAGOPA_TLS_CERT", "MENSA_PAGOPA_TLS_KEY", "MENSA_PAGOPA_CLIENT_CA"):
        path = cm.get(k, "")
        if not path or path.rsplit("/", 1)[0] not in mounts:
            problem(f"ConfigMap ({name})", f"{k} is {path!r}, not in a mounted volume",
                    "point it at the file mounted from the listener's Secret")
    pagopa_svcs = [s for s in svc if any(p.get("targetPort") == "pagopa" for p in s["spec"]["ports"])]
    if len(pagopa_svcs) != 1 or pagopa_svcs[0] is svc[0] or \
            len(pagopa_svcs[0]["spec"]["ports"]) != 1:
        problem(f"Service ({name})", "the creditor listener has no Service of its own",
                "render one Service with the pagopa port alone (templates/service-pagopa.yaml)")
    pagopa_names = {s["metadata"]["name"] for s in pagopa_svcs}
    for ing in by_kind(docs, "Ingress"):
        for rule in ing["spec"].get("rules", []):
            for path in rule.get("http", {}).get("paths", []):
                if path.get("backend", {}).get("service", {}).get("name") in pagopa_names:
                    problem(f"Ingress ({name})", f"routes {rule.get('host')} to the creditor listener",
                            "the Node reaches the listener's own Service, never the Ingress")
    for sm in by_kind(docs, "ServiceMonitor"):
        if any(e.get("port") != "metrics" for e in sm["spec"].get("endpoints", [])):
            problem(f"ServiceMonitor ({name})", "does not scrape the metrics port",
                    "endpoints: port: metrics")
    hpa = by_kind(docs, "HorizontalPodAutoscaler")
    if hpa and "replicas" in dep["spec"]:
        problem(f"Deployment ({name})", "sets replicas while an HPA scales it",
                "omit spec.replicas when autoscaling.enabled")
    for pdb in by_kind(docs, "PodDisruptionBudget"):
        if pdb["spec"]["selector"]["matchLabels"] != dep["spec"]["selector"]["matchLabels"]:
            problem(f"PodDisruptionBudget ({name})", "selects other pods", "use the selector labels")

# Defaults scenario: what the brief promises by default.
if "default-values.yaml" in rendered:
    kinds = {d.get("kind") for _, d in rendered["default-values.yaml"][2]}
    for k in ("Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget",
              "Job", "ConfigMap", "Secret", "ServiceAccount"):
        if k not in kinds:
            problem("helm template (default-values.yaml)", f"no {k} rendered by default",
                    f"enable the {k} by default")
    if "ServiceMonitor" in kinds:
        problem("helm template (default-values.yaml)", "ServiceMonitor on by default",
                "metrics.serviceMonitor.enabled must default to false (needs the CRD)")

# ---------------------------------------------------------------------------- Compose
from compose_spec import PyCompose

compose_path = deploy / "compose.yaml"
raw = compose_path.read_text()
# Interpolate as `docker compose` does, with an empty environment: ${VAR:-default}, ${VAR}.
interp = re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?]([^}]*))?\}", lambda m: m.group(2) or "", raw)
interp = interp.replace("$$", "$")
try:
    compose = yaml.load(interp, Loader=StrictLoader)  # also resolves anchors and merge keys
    PyCompose.from_yaml(yaml.safe_dump(compose, sort_keys=False))
except Exception as e:
    problem("deploy/compose.yaml", f"not a valid Compose file: {e}", "fix it per the Compose Specification")
    compose = None
if compose:
    services = compose.get("services", {})
    volumes = set((compose.get("volumes") or {}).keys())
    for sname, s in services.items():
        deps = s.get("depends_on", {})
        for dep in (deps if isinstance(deps, list) else deps.keys()):
            if dep not in services:
                problem("deploy/compose.yaml", f"{sname} depends on unknown service {dep}",
                        "name an existing service")
        for v in s.get("volumes", []):
            src = v.split(":")[0] if isinstance(v, str) else v.get("source", "")
            if src.startswith(("./", "../", "/")):
                if not (compose_path.parent / src).exists():
                    problem("deploy/compose.yaml", f"{sname} mounts missing {src}", "add the file")
            elif src and src not in volumes:
                problem("deploy/compose.yaml", f"{sname} uses undeclared volume {src}",
                        "declare it under top-level volumes")
        build = s.get("build")
        if isinstance(build, dict):
            ctx = (compose_path.parent / build.get("context", ".")).resolve()
            if not (ctx / build.get("dockerfile", "Dockerfile")).is_file():
                problem("deploy/compose.yaml", f"{sname}: no Dockerfile at {build.get('dockerfile')} "
                        f"in context {build.get('context')}", "point build at deploy/Dockerfile")
    gw = services.get("gateway", {})
    cond = (gw.get("depends_on") or {}).get("migrate", {}).get("condition")
    if cond != "service_completed_successfully":
        problem("deploy/compose.yaml", "gateway does not wait for migrate to succeed",
                "depends_on: migrate: condition: service_completed_successfully")
    if (gw.get("environment") or {}).get("OTEL_EXPORTER_OTLP_ENDPOINT") != "http://otel-collector:4318":
        problem("deploy/compose.yaml", "gateway does not export to the collector over OTLP/HTTP",
                "OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318")
if shutil.which("docker"):
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
    if probe.returncode == 0:
        run = subprocess.run(["docker", "compose", "-f", str(compose_path), "config", "-q"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            problem("deploy/compose.yaml", f"docker compose config: {run.stderr.strip()}",
                    "fix what docker compose reports")

# ------------------------------------------------------------------ collector pipelines
otel = yaml.load((deploy / "otel-collector.yaml").read_text(), Loader=StrictLoader) or {}
svc = otel.get("service", {})
for ext in svc.get("extensions", []):
    if ext not in (otel.get("extensions") or {}):
        problem("deploy/otel-collector.yaml", f"extension {ext} not configured", "configure it")
for pname, p in (svc.get("pipelines") or {}).items():
    for section in ("receivers", "processors", "exporters"):
        for comp in p.get(section, []):
            if comp not in (otel.get(section) or {}):
                problem("deploy/otel-collector.yaml", f"pipeline {pname} uses undefined {section[:-1]} {comp}",
                        f"define {comp} under {section}")
    if not p.get("receivers") or not p.get("exporters"):
        problem("deploy/otel-collector.yaml", f"pipeline {pname} lacks receivers or exporters", "add them")
if "otlp" not in (otel.get("receivers") or {}):
    problem("deploy/otel-collector.yaml", "no OTLP receiver", "receive OTLP on 4317/4318")

# --------------------------------------------------------------------------- Dockerfile
import dockerfile

KNOWN = {"FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
         "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"}
try:
    cmds = dockerfile.parse_file(str(deploy / "Dockerfile"))
except dockerfile.GoParseError as e:
    problem("deploy/Dockerfile", f"does not parse: {e}", "fix the syntax")
    cmds = ()
stages, final = [], {}
for c in cmds:
    if c.cmd not in KNOWN:
        problem(f"deploy/Dockerfile:{c.start_line}", f"unknown instruction {c.cmd}", "fix the typo")
    if c.cmd == "FROM":
        stages.append(c.value[2].lower() if len(c.value) >= 3 and c.value[1].upper() == "AS" else None)
        final = {}
    for flag in c.flags:
        if flag.startswith("--from=") and flag[7:].lower() not in stages:
            problem(f"deploy/Dockerfile:{c.start_line}", f"{flag}: no earlier stage of that name",
                    "name an earlier stage")
    final.setdefault(c.cmd, []).append(c)
if cmds:
    def last(k):
        return final.get(k, [None])[-1]
    if len(stages) < 2:
        problem("deploy/Dockerfile", "not multi-stage", "build in one stage, run in another")
    if not last("USER") or last("USER").value[0].split(":")[0] not in ("10001", "mensa"):
        problem("deploy/Dockerfile", "runtime stage does not run as uid 10001", "USER 10001:10001")
    if not last("ENTRYPOINT") or list(last("ENTRYPOINT").value) != ["mensa"] or not last("ENTRYPOINT").json:
        problem("deploy/Dockerfile", "ENTRYPOINT is not [\"mensa\"]", 'ENTRYPOINT ["mensa"]')
    if not last("CMD") or list(last("CMD").value) != ["serve"]:
        problem("deploy/Dockerfile", "CMD is not [\"serve\"]", 'CMD ["serve"]')
    envs = {}
    for c in final.get("ENV", []):
        envs.update(dict(zip(c.value[::2], c.value[1::2])))
    if envs.get("MENSA_ADDR") != "0.0.0.0:8080" or envs.get("MENSA_DATA_DIR") != "/data":
        problem("deploy/Dockerfile", "runtime ENV lacks MENSA_ADDR=0.0.0.0:8080 / MENSA_DATA_DIR=/data",
                "set both in the runtime stage")
    # Demo mode (known passwords, the sandbox) must be asked for, never come with the image.
    if envs.get("MENSA_DEMO") != "false":
        problem("deploy/Dockerfile", "runtime ENV lacks MENSA_DEMO=false",
                "set MENSA_DEMO=false in the runtime stage")
    if not any("8080" in c.value for c in final.get("EXPOSE", [])):
        problem("deploy/Dockerfile", "does not EXPOSE 8080", "EXPOSE 8080")
    builds = [c for c in cmds if c.cmd == "RUN" and "cargo build" in c.value[0]]
    if not builds or not all(f in builds[-1].value[0] for f in ("--release", "--locked", "-p gateway", "--bin mensa")):
        problem("deploy/Dockerfile", "the build is not `cargo build --release --locked -p gateway --bin mensa`",
                "build exactly that")

# .dockerignore: the copy at the repository root must not hide what the build needs.
ignore_file = root / ".dockerignore"
if (root / "Cargo.toml").is_file() and not ignore_file.is_file():
    problem(".dockerignore", "missing at the repository root", "cp deploy/dockerignore .dockerignore")
import fnmatch
patterns = [l.strip() for l in (ignore_file if ignore_file.is_file() else deploy / "dockerignore")
            .read_text().splitlines() if l.strip() and not l.startswith("#")]


def ignored(path):
    verdict = False
    for pat in patterns:
        neg = pat.startswith("!")
        pat = pat.lstrip("!").strip("/")
        if fnmatch.fnmatch(path, pat) or fnmatch.fnmatch(path, pat.replace("**/", "")) \
                or path.startswith(pat + "/"):
            verdict = not neg
    return verdict


for needed in ("Cargo.toml", "Cargo.lock", "crates/gateway/Cargo.toml", "crates/gateway/src/main.rs",
               "crates/gateway/templates/base.html", "migrations/Cargo.toml"):
    if ignored(needed):
        problem(".dockerignore", f"excludes {needed}, which the build needs", "stop ignoring it")
for unwanted in ("target", ".git", "data"):
    if not ignored(unwanted):
        problem(".dockerignore", f"does not exclude {unwanted}/", f"add /{unwanted}")
if (root / "Cargo.toml").is_file():
    manifest = (root / "crates" / "gateway" / "Cargo.toml").read_text()
    if 'name = "mensa"' not in manifest:
        problem("crates/gateway/Cargo.toml", "no binary named mensa", "the image runs `mensa`")

# ---------------------------------------------------------------------- env example
env_example = (deploy / "mensa.env.example").read_text()
env_vars = dict(re.findall(r"^([A-Z_]+)=(.*)$", env_example, re.M))
for var in ("MENSA_ADDR", "MENSA_DATA_DIR", "DATABASE_URL", "REDIS_URL", "MENSA_BASE_DOMAIN",
            "MENSA_TRUSTED_PROXIES", "MENSA_DEMO", "RUST_LOG", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "MENSA_LOG_FORMAT"):
    if var not in env_vars:
        problem("deploy/mensa.env.example", f"{var} missing", f"document {var}")
if env_vars.get("MENSA_DEMO") != "false":
    problem("deploy/mensa.env.example", "MENSA_DEMO is not false", "MENSA_DEMO=false")
# Every setting the README documents is in the example, set or commented out.
readme_vars = set(re.findall(r"^\| `((?:MENSA|OTEL)_[A-Z_]+)`", (root / "README.md").read_text(), re.M))
example_vars = set(re.findall(r"^(?:# )?([A-Z_]+)=", env_example, re.M))
for var in sorted(readme_vars - example_vars):
    problem("deploy/mensa.env.example", f"{var} (in the README) missing", f"add {var}=<default>, commented out when optional")

# ---------------------------------------------------------------------------- verdict
if problems:
    print(f"check-deploy: {len(problems)} problem(s)", file=sys.stderr)
    for p in problems:
        print("- " + p, file=sys.stderr)
    sys.exit(1)
