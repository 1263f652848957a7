"""A `citygraph serve` process for the API's Python end-to-end tests.

A thin layer over citygraph.testing, the harness of the client and notebook
tests: the same prepared city (the notebooks_city_setup fixture's, else one
prepared here) and the same accounts, one per role. The server also gets the
shipped ingest mappings (for upsert), and its clients are raw Thrift clients of
the generated bindings, signed in by role. Not thread-safe: one per test module.
"""

import csv
import os
import pathlib

from citygraph import _bindings, testing  # notebooks/ is on sys.path (conftest.py)
from thrift.protocol import TBinaryProtocol
from thrift.transport import TSocket, TTransport

ttypes = _bindings.load().ttypes
CityGraph = _bindings.load().service

# role -> (account name, password), from the accounts of citygraph.testing.
ACCOUNT = {role: (name, password) for name, (role, password) in testing.ACCOUNTS.items()}
ROLES = ["admin", "investigator", "court_executor", "welfare_auditor", "analyst"]
assert set(ACCOUNT) == set(ROLES)


def binary():
    return os.environ.get("CITYGRAPH_BIN") or str(testing.default_binary())


def prepared_city(tmp):
    """The directory holding city/, db/ and users.json: the ctest fixture's, else a new one in `tmp`."""
    city = os.environ.get("CITYGRAPH_TEST_CITY")
    if city and (pathlib.Path(city) / "db").exists():
        return pathlib.Path(city)
    return testing.prepare_city(binary(), pathlib.Path(tmp) / "city-out", persons=1000, seed=11)


class Server(testing.LocalServer):
    def __init__(self, workdir, city_out):
        super().__init__(binary(), city_out, workdir, extra_args=["--mappings", testing.MAPPINGS])

    def alive(self):
        return self.proc.poll() is None

    def client(self, role=None, password=None):
        """(client, token, transport) signed in as `role`'s account (with its
        password unless `password` is given); token is None when role is None."""
        transport = TTransport.TFramedTransport(TSocket.TSocket(self.host, self.port))
        transport.open()
        c = CityGraph.Client(TBinaryProtocol.TBinaryProtocol(transport))
        token = None
        if role is not None:
            name, role_password = ACCOUNT[role]
            token = c.authenticate(name, password or role_password).token
        return c, token, transport


def user_of(role):
    """The account name the server knows `role`'s user by."""
    return ACCOUNT[role][0]


def court_cases(city_out):
    """Rows of the generated city's execution cases file as dicts."""
    path = pathlib.Path(city_out) / "city" / "court" / "execution_cases.csv"
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))
