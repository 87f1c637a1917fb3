"""Event types, their registry, and the JSON codec with upcasters.

Every event class is registered under a stable `type` name and an integer schema
`version` that never derive from the module path, so classes can move and be renamed
without touching the log. Old payloads are upgraded on read by upcasters, one per
(type, from_version) step; the log itself is never rewritten.
"""

from __future__ import annotations

import json
import json.encoder
import operator
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import attrs

from events.errors import CodecError

_scan = json.JSONDecoder().scan_once


def _loads(text: str) -> Any:
    """`json.loads` for the payloads this log writes, at half the cost.

    The payloads are compact JSON objects, so the decoder's scanner is called directly,
    skipping the argument checks and the whitespace regex of `json.loads` (a third of
    the cost of replaying a case). Anything it does not consume whole goes through
    `json.loads`, which parses or rejects it as usual.
    """
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


__all__ = ["Event", "build", "decode", "encode", "event", "registered", "upcaster"]


class Event:
    """Base of every event: a fact in the past tense, immutable once recorded."""

    __slots__ = ()
    type: ClassVar[str]
    version: ClassVar[int]


E = TypeVar("E", bound=type[Event])
T = TypeVar("T")
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

_TYPES: dict[str, type[Event]] = {}
_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def event(type_name: str, version: int = 1) -> Callable[[E], E]:
    """Register an attrs event class under a stable type name and schema version."""

    def register(cls: E) -> E:
        if type_name in _TYPES and _TYPES[type_name] is not cls:
            raise ValueError(f"event type {type_name!r} is registered twice")
        cls.type, cls.version = type_name, version
        _TYPES[type_name] = cls
        return cls

    return register


def upcaster(type_name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function that turns a payload of `from_version` into `from_version + 1`."""

    def register(fn: Upcaster) -> Upcaster:
        _UPCASTERS[(type_name, from_version)] = fn
        return fn

    return register


def registered() -> dict[str, type[Event]]:
    """The registered event classes by type name."""
    return dict(_TYPES)


_SCALARS = frozenset({str, int, bool, float, type(None)})


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple or kind is list:
        return [_plain(v) for v in value]
    if kind not in _READERS and not attrs.has(kind):
        return value
    return {name: _plain(v) for name, v in _fields(value).items()}


def to_dict(ev: Event) -> dict[str, Any]:
    """The event's payload as plain JSON-able data (tuples become lists)."""
    return _plain(ev)


# attrs class -> its field names and a getter of their values (a cache)
_READERS: dict[type, tuple[tuple[str, ...], Callable[[Any], Any]]] = {}


def _fields(value: Any) -> dict[str, Any]:
    """An attrs object's fields as a dict: the encoder's hook for what JSON lacks.

    Everything else (strings, numbers, tuples, lists) the C encoder writes by itself,
    so encoding a payload makes one Python call per attrs object, not one per value.
    """
    kind = type(value)
    found = _READERS.get(kind)
    if found is None:
        if not attrs.has(kind):
            raise TypeError(f"{kind.__name__} is not JSON serializable")
        names = tuple(f.name for f in attrs.fields(kind))
        getter = operator.attrgetter(*names) if len(names) > 1 else (
            lambda v: tuple(getattr(v, n) for n in names))
        found = _READERS[kind] = (names, getter)
    names, getter = found
    return dict(zip(names, getter(value), strict=True))


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                            check_circular=False, default=_fields)
# The C encoder that `_ENCODER.encode` would build anew on every call (a fifth of the
# cost of encoding a small payload), built once with the same settings. Where CPython's
# accelerator is missing, `_ENCODER` serves; tests check that both write the same text.
def _c_encoder() -> Callable[[Any, int], Any] | None:
    try:  # the accelerator's arguments, as json.JSONEncoder.iterencode passes them
        return json.encoder.c_make_encoder(  # type: ignore[no-any-return]
            None, _fields, json.encoder.encode_basestring, None, ":", ",", True, False, True)
    except TypeError:  # absent (None), or a Python whose accelerator takes other arguments
        return None


_C_ENCODER = _c_encoder()


def encode(ev: Event) -> str:
    """The event's payload as compact JSON text with sorted keys (stable for hashing)."""
    if _C_ENCODER is not None:
        return "".join(_C_ENCODER(ev, 0))
    return _ENCODER.encode(ev)


_BUILDERS: dict[type, Callable[[dict[str, Any]], Any]] = {}  # attrs class -> its builder


def _make_builder(cls: type) -> Callable[[dict[str, Any]], Any]:
    """A function that builds `cls` from a dict holding exactly its fields.

    It passes the fields by position. Keyword arguments would cost a third more: the
    keys that JSON decoding makes are fresh strings, so Python matches each against the
    parameter names by comparing text. Any other dict raises KeyError.
    """
    names = [f.name for f in attrs.fields(cls)]
    count = len(names)
    pick: Callable[[dict[str, Any]], tuple[Any, ...]] = (
        operator.itemgetter(*names) if count > 1 else lambda d: tuple(d[n] for n in names))

    def build(data: dict[str, Any]) -> Any:
        if len(data) != count:
            raise KeyError(count)
        return cls(*pick(data))

    return build


def _builder(cls: type) -> Callable[[dict[str, Any]], Any]:
    found = _BUILDERS.get(cls)
    if found is None:
        found = _BUILDERS[cls] = _make_builder(cls)
    return found


def build(cls: type[T], data: dict[str, Any]) -> T:
    """`cls(**data)` for an attrs class, faster when `data` holds exactly its fields."""
    if type(data) is not dict:
        return cls(**data)  # not a JSON object: let Python say what it is
    try:
        return _builder(cls)(data)  # type: ignore[no-any-return]
    except KeyError:
        return cls(**data)  # a field missing or unknown: let attrs say which


def decode(type_name: str, version: int, payload: str | dict[str, Any]) -> Event:
    """Rebuild an event from its type, schema version and JSON payload, upcasting old ones."""
    cls = _TYPES.get(type_name)
    if cls is not None and version == cls.version and type(payload) is str:
        try:  # the common case, kept short: replay runs it once per event
            return _builder(cls)(_loads(payload))  # type: ignore[no-any-return]
        except (TypeError, ValueError, KeyError):
            pass  # the full path below says what is wrong
    if cls is None:
        raise CodecError(f"unknown event type {type_name!r}; known: {', '.join(sorted(_TYPES))}")
    try:
        data = _loads(payload) if isinstance(payload, str) else dict(payload)
        if version != cls.version:
            data = _upcast(type_name, version, cls.version, data)
        return cls(**data)
    except (TypeError, ValueError) as e:
        raise CodecError(f"cannot decode {type_name} v{version}: {e}") from e


def _upcast(type_name: str, version: int, target: int, data: dict[str, Any]) -> dict[str, Any]:
    if version > target:
        raise CodecError(
            f"{type_name} v{version} was written by a newer procedura (this one reads up to "
            f"v{target}); upgrade procedura to read this log"
        )
    while version < target:
        step = _UPCASTERS.get((type_name, version))
        if step is None:
            raise CodecError(f"no upcaster for {type_name} from v{version} to v{version + 1}")
        data, version = step(data), version + 1
    return data
