"""Throwaway CityGraph servers for tests and local experiments.

Builds a small synthetic city with the `citygraph` binary (gen, init, ingest),
writes a users file with one account per role, and runs `citygraph serve` on a
free 127.0.0.1 port. Used by tests/e2e/test_client_*.py and
tests/e2e/test_notebooks*.py; also runnable by hand:

    /usr/bin/python3 -m citygraph.testing prepare --bin build/bin/citygraph --out /tmp/city
    /usr/bin/python3 -m citygraph.testing serve --bin build/bin/citygraph --city /tmp/city

Not thread-safe; one LocalServer per test process or fixture.
"""

import argparse
import contextlib
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time

# One demo account per role: name -> (role, password). Documented in
# notebooks/README.md; the notebooks default to these names.
ACCOUNTS = {
    "admin": ("admin", "admin-demo-pw"),
    "investigator": ("investigator", "investigator-demo-pw"),
    "court": ("court_executor", "court-demo-pw"),
    "auditor": ("welfare_auditor", "auditor-demo-pw"),
    "analyst": ("analyst", "analyst-demo-pw"),
}

REPO = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = REPO / "graph-core" / "schema" / "city.yaml"
MAPPINGS = REPO / "ingest" / "mappings"


class CommandFailed(RuntimeError):
    pass


def run(cmd, log=None, timeout=600, env=None):
    """Runs `cmd`; raises CommandFailed with its output on a non-zero exit."""
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout,
                          env=None if env is None else {**os.environ, **env})
    if log is not None:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"$ {' '.join(map(str, cmd))}\n{proc.stdout}{proc.stderr}\n")
    if proc.returncode != 0:
        raise CommandFailed(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n"
                            f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout


def prepare_city(binary, out, persons=2000, seed=42, log=None):
    """Generates a city of `persons` into out/city, ingests it (bulk) into out/db and
    writes out/users.json. Returns `out` as a Path. Removes `out` first."""
    out = pathlib.Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    city, db = out / "city", out / "db"
    run([binary, "gen", "--persons", persons, "--seed", seed, "--out", city], log)
    run([binary, "ingest", "--db", db, "--schema", SCHEMA, "--mapping", MAPPINGS, "--data", city,
         "--quiet"], log)
    write_users(binary, out / "users.json", log=log)
    return out


def write_users(binary, path, accounts=ACCOUNTS, log=None):
    """Creates the users file with `accounts` (name -> (role, password)),
    passing each password through $CITYGRAPH_PASSWORD (never on a command line)."""
    for name, (role, password) in accounts.items():
        run([binary, "users", "add", "--file", path, "--name", name, "--role", role], log,
            env={"CITYGRAPH_PASSWORD": password})


def free_port():
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """`citygraph serve` on a private copy of a prepared city's database.

    start() copies out/db (so several servers may use one prepared city at
    once), starts the server on a free port and waits until it accepts TCP
    connections; stop() sends SIGTERM and waits. Use as a context manager.
    """

    def __init__(self, binary, city_out, workdir, host="127.0.0.1", startup_timeout_s=120, extra_args=()):
        self.binary = pathlib.Path(binary)
        self.extra_args = [str(a) for a in extra_args]  # more `citygraph serve` options
        self.city_out = pathlib.Path(city_out)
        self.workdir = pathlib.Path(workdir)
        self.host = host
        self.port = None
        self.proc = None
        self.startup_timeout_s = startup_timeout_s
        self.log_path = self.workdir / "server.log"

    @property
    def city_dir(self):
        return self.city_out / "city"

    @property
    def db(self):
        """This server's private copy of the database."""
        return self.workdir / "db"

    def env(self, account="analyst"):
        """CITYGRAPH_* environment variables to reach this server as `account`."""
        _, password = ACCOUNTS[account]
        return {"CITYGRAPH_HOST": self.host, "CITYGRAPH_PORT": str(self.port),
                "CITYGRAPH_USER": account, "CITYGRAPH_PASSWORD": password,
                "CITYGRAPH_CITY_DIR": str(self.city_dir)}

    def start(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        db = self.db
        if db.exists():
            shutil.rmtree(db)
        shutil.copytree(self.city_out / "db", db)
        self.port = free_port()
        log = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [str(self.binary), "serve", "--db", str(db), "--host", self.host, "--port", str(self.port),
             "--users", str(self.city_out / "users.json")] + self.extra_args,
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise CommandFailed(f"citygraph serve exited {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise CommandFailed(f"citygraph serve did not listen on port {self.port} within "
                            f"{self.startup_timeout_s} s:\n{self.log_tail()}")

    def log_tail(self, n=4000):
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self):
        """SIGTERM, then SIGKILL after 30 s. Returns the exit code (None if never started)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def server_from_env(workdir, city_fallback_dir):
    """A started LocalServer for tests: the binary from CITYGRAPH_BIN (else
    default_binary()), the city prepared in CITYGRAPH_TEST_CITY (by the ctest
    fixture notebooks_city_setup) or, when unset, one prepared now in
    `city_fallback_dir`."""
    binary = os.environ.get("CITYGRAPH_BIN") or str(default_binary())
    city = os.environ.get("CITYGRAPH_TEST_CITY")
    if not city:
        city = city_fallback_dir
        prepare_city(binary, city, persons=2000, seed=42)
    return LocalServer(binary, city, workdir).start()


def default_binary():
    for build in ("build", "build-nb"):
        b = REPO / build / "bin" / "citygraph"
        if b.exists():
            return b
    return REPO / "build" / "bin" / "citygraph"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m citygraph.testing", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare", help="generate, ingest, write users.json")
    p.add_argument("--bin", default=str(default_binary()))
    p.add_argument("--out", required=True)
    p.add_argument("--persons", type=int, default=2000)
    p.add_argument("--seed", type=int, default=42)
    s = sub.add_parser("serve", help="serve a prepared city until Ctrl-C")
    s.add_argument("--bin", default=str(default_binary()))
    s.add_argument("--city", required=True, help="the --out directory of prepare")
    args = parser.parse_args(argv)
    if args.cmd == "prepare":
        out = prepare_city(args.bin, args.out, args.persons, args.seed, log=pathlib.Path(args.out + ".log"))
        print(f"prepared {out} (log {args.out}.log)")
        return 0
    work = pathlib.Path(args.city) / "serve"
    with LocalServer(args.bin, args.city, work) as server:
        print(json.dumps(server.env(), indent=2))
        print("serving; Ctrl-C to stop", flush=True)
        try:
            server.proc.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
