"""Python exceptions for the CityGraph API's error codes.

Every error the server reports arrives as one IDL exception carrying a code and
a message; the client turns it into the matching subclass of CityGraphError so
that notebooks can write ``except citygraph.PermissionDenied:``. Transport
failures (server down, connection reset) become Unavailable.
"""


class CityGraphError(Exception):
    """Base class of every error raised by the CityGraph client.

    Attributes:
        code: the API's error code name (e.g. "PERMISSION_DENIED"), or None for
            errors raised by the client itself.
        message: the server's (or client's) explanation.
        method: the API method that failed, when known.
    """

    code = None

    def __init__(self, message, *, code=None, method=None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.method = method

    def __str__(self):
        where = f"{self.method}: " if self.method else ""
        code = f"[{self.code}] " if self.code else ""
        return f"{code}{where}{self.message}"


class Unauthenticated(CityGraphError):
    """No valid session: wrong user or password, or the session expired."""

    code = "UNAUTHENTICATED"


class PermissionDenied(CityGraphError):
    """The session's role may not make this call, touch this label, or use
    this purpose (e.g. a court locate naming a case the debtor is not on)."""

    code = "PERMISSION_DENIED"


class NotFound(CityGraphError):
    """The entity, case, user or algorithm named does not exist."""

    code = "NOT_FOUND"


class InvalidArgument(CityGraphError):
    """A parameter is malformed (a bad date, an unknown label, ...)."""

    code = "INVALID_ARGUMENT"


class LimitExceeded(CityGraphError):
    """The request is larger than the server allows (batch or frame size)."""

    code = "LIMIT_EXCEEDED"


class DeadlineExceeded(CityGraphError):
    """The server gave up on the call when its deadline passed."""

    code = "DEADLINE_EXCEEDED"


class InternalError(CityGraphError):
    """The server failed; the message says what it could."""

    code = "INTERNAL"


class Unavailable(CityGraphError):
    """The server could not be reached or dropped the connection."""

    code = "UNAVAILABLE"


class BindingsNotFound(CityGraphError, ImportError):
    """The Thrift bindings generated from api/citygraph.thrift are missing."""

    code = None


_BY_CODE = {
    cls.code: cls
    for cls in (
        Unauthenticated,
        PermissionDenied,
        NotFound,
        InvalidArgument,
        LimitExceeded,
        DeadlineExceeded,
        InternalError,
        Unavailable,
    )
}


def error_class(code_name):
    """The exception class for an API error code name ("NOT_FOUND", ...).

    Unknown codes map to InternalError so that no server error is lost.
    Matching ignores case and a trailing "_ERROR" (INTERNAL_ERROR == INTERNAL).
    """
    name = str(code_name or "").upper()
    if name.endswith("_ERROR"):
        name = name[: -len("_ERROR")]
    aliases = {"UNAUTHORIZED": "UNAUTHENTICATED", "INVALID": "INVALID_ARGUMENT",
               "DEADLINE": "DEADLINE_EXCEEDED", "LIMIT": "LIMIT_EXCEEDED",
               "PERMISSION": "PERMISSION_DENIED"}
    name = aliases.get(name, name)
    return _BY_CODE.get(name, InternalError)
