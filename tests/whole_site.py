"""Whole-site helpers for tests/test_reproducible.py and tests/test_offline.py.

Builds here are real ``moldir`` commands in subprocesses, from throwaway copies of the
project, so that each one has its own environment (hash seed, time zone, locale) and, for
the offline ones, no network:

- a **network namespace** without network (``unshare -n`` as root, ``unshare -rn``
  otherwise) cuts off every process of the command, the Pagefind binary included;
- a **socket guard** (a ``sitecustomize`` put first on ``PYTHONPATH``) makes every Internet
  connection and name lookup from Python fail at once and records it, with a stack, in the
  file named by ``MOLDIR_NETWORK_LOG``: what tried to reach the network is named even when
  the namespace made the attempt fail anyway.

Offline commands use both when the namespace is available, the guard alone otherwise; the
guard is checked to be in effect before it is relied on (:func:`check_isolation`).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The "today" of every build here: reception pages list upcoming receptions from the
# build date, so two builds a second apart around midnight would otherwise differ.
TODAY = "2025-03-01"

# A build killed after this is reported as a hang (a fetch with no network can block).
TIMEOUT = 900

GUARD = textwrap.dedent(
    '''
    """Moldir's offline tests: every Internet connection or name lookup from Python is
    recorded in $MOLDIR_NETWORK_LOG and fails at once, as it would without a network."""
    import errno
    import os
    import socket
    import traceback

    _LOG = os.environ.get("MOLDIR_NETWORK_LOG")
    _INTERNET = (socket.AF_INET, socket.AF_INET6)


    def _record(what, target):
        if _LOG:
            stack = "".join(traceback.format_stack(limit=12)[:-2])
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{what} {target!r} (pid {os.getpid()})\\n{stack}---\\n")


    def _refuse_connection(name):
        real = getattr(socket.socket, name)

        def guarded(self, address, *args):
            if self.family in _INTERNET:
                _record(name, address)
                raise OSError(errno.ENETUNREACH, f"no network in this test: {address!r}")
            return real(self, address, *args)

        return guarded


    def _refuse_lookup(name):
        def guarded(*args, **kwargs):
            _record(name, args[:2])
            raise socket.gaierror(socket.EAI_NONAME, f"no network in this test: {args[:1]!r}")

        return guarded


    for _name in ("connect", "connect_ex", "sendto", "sendmsg"):
        setattr(socket.socket, _name, _refuse_connection(_name))
    for _name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
                  "getnameinfo"):
        setattr(socket, _name, _refuse_lookup(_name))
    '''
)

# Run by check_isolation(): one connection and one lookup, each of which must fail.
PROBE = textwrap.dedent(
    """
    import json, socket, sys
    outcome = {}
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as connection:
            connection.settimeout(5)
            connection.connect(("192.0.2.1", 443))
        outcome["connect"] = "connected"
    except OSError as error:
        outcome["connect"] = error.errno
    try:
        socket.getaddrinfo("example.org", 443)
        outcome["lookup"] = "resolved"
    except OSError as error:
        outcome["lookup"] = error.errno
    outcome["interfaces"] = [name for _, name in socket.if_nameindex()]
    print(json.dumps(outcome))
    """
)


@functools.cache
def network_namespace() -> tuple[str, ...] | None:
    """The command prefix that runs a command in a new network namespace (only a loopback
    interface, down), or None when this machine does not allow one."""
    if shutil.which("unshare") is None:
        return None
    for prefix in (("unshare", "-n"), ("unshare", "-rn")):
        done = subprocess.run([*prefix, "true"], capture_output=True, check=False)
        if done.returncode == 0:
            return prefix
    return None


def guard_folder(base: Path) -> Path:
    """A folder holding the socket guard as ``sitecustomize.py``."""
    folder = base / "network-guard"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Isolation:
    """How offline commands are run: the namespace prefix (or none) and the guard."""

    prefix: tuple[str, ...]
    guard: Path
    log: Path

    def environment(self, env: dict[str, str]) -> dict[str, str]:
        python_path = [str(self.guard), env.get("PYTHONPATH", "")]
        return {
            **env,
            "PYTHONPATH": os.pathsep.join(part for part in python_path if part),
            "MOLDIR_NETWORK_LOG": str(self.log),
        }

    def attempts(self) -> str:
        """What the guard recorded ("" when nothing tried to reach the network)."""
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""


def isolation(base: Path, name: str) -> Isolation:
    log = base / f"{name}-network.log"
    log.unlink(missing_ok=True)
    return Isolation(prefix=network_namespace() or (), guard=guard_folder(base), log=log)


def check_isolation(offline: Isolation) -> dict:
    """Run the probe as offline commands are run and assert that both the guard and (when
    used) the namespace are in effect. Fails — never skips — when neither is."""
    env = offline.environment(dict(os.environ))
    done = subprocess.run(
        [*offline.prefix, sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["connect"] != "connected" and outcome["lookup"] != "resolved", outcome
    recorded = offline.attempts()
    assert "connect ('192.0.2.1', 443)" in recorded, "the socket guard was not loaded"
    assert "getaddrinfo ('example.org', 443)" in recorded, "the socket guard was not loaded"
    offline.log.unlink()
    if offline.prefix:
        # The namespace alone, without the guard: no interface but the loopback, and a
        # connection fails at once (unreachable) instead of waiting.
        bare = subprocess.run(
            [*offline.prefix, sys.executable, "-c", PROBE],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert bare.returncode == 0, bare.stderr
        alone = json.loads(bare.stdout)
        assert alone["interfaces"] == ["lo"], alone
        assert alone["connect"] != "connected" and alone["lookup"] != "resolved", alone
    return outcome


def copy_project(target: Path, source: Path = ROOT) -> Path:
    """A throwaway copy of the project: settings, content, theme, datasets and, when the
    project is a git checkout, its history (the change history on dataset pages)."""
    target.mkdir(parents=True)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy2(source / name, target / name)
    for name in ("content", "theme", "datasets"):
        shutil.copytree(source / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    if (source / ".git").is_dir():
        # Lock files come and go while someone commits; the history is all that is read.
        shutil.copytree(source / ".git", target / ".git", ignore=shutil.ignore_patterns("*.lock"))
    return target


def run_moldir(
    project: Path,
    *args: str,
    env: dict[str, str] | None = None,
    offline: Isolation | None = None,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess:
    """``moldir <args>`` in ``project``, as a separate process (offline: isolated)."""
    environment = {**os.environ, **(env or {})}
    prefix: tuple[str, ...] = ()
    if offline is not None:
        environment = offline.environment(environment)
        prefix = offline.prefix
    command = [
        *prefix,
        sys.executable,
        "-c",
        "import sys; from moldir.cli import main; sys.exit(main(prog_name='moldir'))",
        *args,
    ]
    return subprocess.run(
        command,
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def build_environment(seed: int, zone: str, locale: str) -> dict[str, str]:
    """A clean build (no cache) on :data:`TODAY`, with this hash seed, time zone and locale."""
    return {
        "MOLDIR_NO_CACHE": "1",
        "MOLDIR_TODAY": TODAY,
        "PYTHONHASHSEED": str(seed),
        "TZ": zone,
        "LC_ALL": locale,
        "LANG": locale,
    }


@dataclass(frozen=True)
class Build:
    project: Path
    output: Path
    validate: subprocess.CompletedProcess
    build: subprocess.CompletedProcess
    offline: Isolation | None
    seconds: float


_BUILDS: dict[str, Build] = {}


def offline_build(base: Path) -> Build:
    """The example portal validated and built once per test session with no network, by
    test_offline.py and as the second of test_reproducible.py's two clean builds (another
    folder, hash seed, time zone and locale than :func:`online_build`)."""
    if "offline" not in _BUILDS:
        source = online_project(base)
        project = base / "offline" / "elsewhere" / "portal"
        project.parent.mkdir(parents=True)
        shutil.copytree(source, project)
        offline = isolation(base, "offline")
        check_isolation(offline)
        # Seeds 1 and 6 iterate a set of the example's time-zone names in opposite
        # orders (receptions/all.ics once followed it); most seed pairs would not.
        env = build_environment(seed=6, zone="Asia/Almaty", locale="C")
        _BUILDS["offline"] = _build(project, base / "offline" / "site", env, offline)
    return _BUILDS["offline"]


def online_project(base: Path) -> Path:
    project = base / "online" / "portal"
    if not project.exists():
        copy_project(project)
    return project


def online_build(base: Path) -> Build:
    """The example portal built once per test session the ordinary way."""
    if "online" not in _BUILDS:
        env = build_environment(seed=1, zone="UTC", locale="C.UTF-8")
        _BUILDS["online"] = _build(online_project(base), base / "online" / "output", env, None)
    return _BUILDS["online"]


def _build(project: Path, output: Path, env: dict[str, str], offline: Isolation | None) -> Build:
    started = time.perf_counter()
    validate = run_moldir(project, "validate", "datasets", env=env, offline=offline)
    build = run_moldir(project, "build", "--output", str(output), env=env, offline=offline)
    return Build(project, output, validate, build, offline, time.perf_counter() - started)


def tree(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` (``""`` is root itself) → its kind, mode, mtime and
    content (file bytes, link target): everything a failed build must leave as it was."""
    found: dict[str, tuple] = {}
    for path in [root, *root.rglob("*")]:
        status = path.lstat()
        relative = path.relative_to(root).as_posix() if path != root else ""
        if path.is_symlink():
            content: object = ("link", os.readlink(path))
        elif path.is_dir():
            content = ("dir", None)
        else:
            content = ("file", path.read_bytes())
        found[relative] = (*content, status.st_mode, status.st_mtime_ns, status.st_ino)
    return found


def contents(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` → its kind and content (what two builds must share)."""
    return {name: entry[:2] for name, entry in tree(root).items() if name}
