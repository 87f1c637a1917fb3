"""What the Popolo writer and reader share: the extension key, codes, the error."""

from __future__ import annotations

from engine.procedure.errors import InvalidArgumentError

EXTENSION = "procedura"  # the document's extension key (see the module docstring)
FORMAT = 1  # the version of what procedura writes under it
BODY_SCHEME = "procedura body"
ALPHA2, ALPHA3 = "ISO 3166-1 alpha-2", "ISO 3166-1 alpha-3"
OPTIONS = ("yes", "no", "abstain")
RESULTS = {"adopted": "pass", "rejected": "fail", "vetoed": "fail"}


class PopoloError(InvalidArgumentError):
    """A Popolo document procedura cannot read: the message names what is missing."""


