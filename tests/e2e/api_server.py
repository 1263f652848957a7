"""A `citygraph serve` process for the API's Python end-to-end tests.

Copies a prepared database (the notebooks_city_setup fixture's, or one made
here), writes a users file with one user per role (named after the role,
password PASSWORD) through `citygraph users add`, and serves it on a free
127.0.0.1 port. Not thread-safe: one per test module.
"""

import csv
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time

GEN_PY = os.environ.get("CITYGRAPH_GEN_PY", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "gen-py"))
sys.path.insert(0, GEN_PY)

from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402

from citygraph_rpc import CityGraph, ttypes  # noqa: E402

ROLES = ["admin", "investigator", "court_executor", "welfare_auditor", "analyst"]
PASSWORD = "e2e-password"
REPO = pathlib.Path(__file__).resolve().parents[2]


def binary():
    return os.environ.get("CITYGRAPH_BIN") or str(REPO / "build" / "bin" / "citygraph")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepared_city(tmp):
    """The directory holding city/ and db/: the ctest fixture's, else a new 1,000-person one."""
    city = os.environ.get("CITYGRAPH_TEST_CITY")
    if city and (pathlib.Path(city) / "db").exists():
        return pathlib.Path(city)
    out = pathlib.Path(tmp) / "city-out"
    if not (out / "db").exists():
        subprocess.run([binary(), "gen", "--persons", "1000", "--seed", "11", "--out", out / "city"],
                       check=True, capture_output=True)
        subprocess.run([binary(), "ingest", "--db", out / "db", "--schema",
                        REPO / "graph-core" / "schema" / "city.yaml", "--mapping", REPO / "ingest" / "mappings",
                        "--data", out / "city", "--quiet"], check=True, capture_output=True)
    return out


class Server:
    def __init__(self, workdir, city_out):
        self.workdir = pathlib.Path(workdir)
        self.city_out = pathlib.Path(city_out)
        self.db = self.workdir / "db"
        self.users = self.workdir / "users.json"
        self.port = None
        self.proc = None

    def start(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        if self.db.exists():
            shutil.rmtree(self.db)
        shutil.copytree(self.city_out / "db", self.db)
        if not self.users.exists():
            for role in ROLES:
                subprocess.run([binary(), "users", "add", "--file", self.users, "--name", role, "--role", role],
                               check=True, capture_output=True, env={**os.environ, "CITYGRAPH_PASSWORD": PASSWORD})
        self.port = free_port()
        self.log = open(self.workdir / "serve.log", "w")
        self.proc = subprocess.Popen([binary(), "serve", "--db", self.db, "--port", str(self.port),
                                      "--users", self.users, "--mappings", REPO / "ingest" / "mappings"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, (self.workdir / "serve.log").read_text()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=60)
        self.log.close()
        return self.proc.returncode

    def alive(self):
        return self.proc.poll() is None

    def client(self, user=None, password=PASSWORD):
        """(client, token, transport); token is None when user is None."""
        transport = TTransport.TFramedTransport(TSocket.TSocket("127.0.0.1", self.port))
        transport.open()
        c = CityGraph.Client(TBinaryProtocol.TBinaryProtocol(transport))
        token = c.authenticate(user, password).token if user else None
        return c, token, transport


def court_cases(city_out):
    """Rows of the generated city's execution cases file as dicts."""
    path = pathlib.Path(city_out) / "city" / "court" / "execution_cases.csv"
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))
