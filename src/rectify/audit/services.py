"""Record audit events in the keyed hash chain, and verify the chain (`rectify audit verify`).

Each event's `hash` is the HMAC-SHA256 (key: `audit.keys`, a file outside the database) of its canonical
bytes, which include the previous event's hash. Rewriting history therefore needs the key; removing the
newest events is found against a head (id and hash) kept outside the database: `rectify remind` and
`rectify backup` print it, `rectify audit verify --head ID:HASH` checks the chain still reaches it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from rectify import bulk, clock
from rectify.audit import keys
from rectify.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    """The value as JSON gives it back: dates as ISO text, decimals and UUIDs as text, tuples as lists."""
    if value is None or type(value) in (str, int, bool, float):
        return value
    if isinstance(value, str):  # a choice such as Task.Status.CLOSED
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    # Anything else as JSON would store it, or a TypeError.
    return json.loads(json.dumps(value, ensure_ascii=False))


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Field values of a row (concrete fields, FKs as ids), for the before/after of an event."""
    names = _attnames(type(obj))
    if fields is not None:
        names = tuple(attname for attname, name in zip(names, _names(type(obj)), strict=True) if name in fields)
    data: dict[str, Any] = {}
    for attname in names:
        value = getattr(obj, attname)
        kind = type(value)
        data[attname] = value if value is None or kind in _SCALARS else (_ISO.get(kind) or _jsonable)(value)
    return data


_SCALARS = (str, int, bool, float)
_ISO = {dt.datetime: dt.datetime.isoformat, dt.date: dt.date.isoformat}


@functools.cache
def _attnames(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


@functools.cache
def _names(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(field.name for field in model._meta.concrete_fields)


def canonical(event: AuditEvent | dict[str, Any]) -> bytes:
    """The bytes the hash covers: every recorded field and the previous hash."""
    values = event if isinstance(event, dict) else event.__dict__
    payload = {
        "id": values["id"],
        "created_at": values["created_at"].astimezone(dt.UTC).isoformat(),
        **{name: values[name] for name in _HASHED},
    }
    return _to_json(payload).encode()


_HASHED = ("actor_id", "actor_name", "action", "object_type", "object_id", "unit_id", "before", "after", "note",
           "prev_hash")
_to_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def _string(value: str) -> str:
    return encode_basestring(str(value))  # what `_to_json` writes for a string


def _number(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def _canonical_text(event: dict[str, Any], created_at: str, before: str, after: str) -> str:
    """`canonical(event)` as text, given `before`/`after` already in JSON: each is serialised once.

    The keys in the order `sort_keys` gives them; a test holds this equal to `canonical`.
    """
    text = _string
    return (
        f'{{"action":{text(event["action"])},"actor_id":{_number(event["actor_id"])},'
        f'"actor_name":{text(event["actor_name"])},"after":{after},"before":{before},'
        f'"created_at":{text(created_at)},"id":{_number(event["id"])},"note":{text(event["note"])},'
        f'"object_id":{text(event["object_id"])},"object_type":{text(event["object_type"])},'
        f'"prev_hash":{text(event["prev_hash"])},"unit_id":{_number(event["unit_id"])}}}'
    )


def _head_for_update() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=1)
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


@dataclass
class Entry:
    """One event to append with `record_many`: what `record` takes, for a batch of writes."""

    action: str
    obj: models.Model | None = None
    unit_id: int | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    note: str = ""
    object_type: str | None = None
    object_id: Any = None
    json_ready: bool = False  # `after`/`before` hold only what JSON gives back (e.g. a snapshot)


def _chain(actor: Any, entries: list[Entry], head: AuditHead, *, as_json: bool = False) -> list[dict[str, Any]]:
    """The events for `entries` as column values, numbered and hashed after the head (nothing is written).

    With `as_json`, `before` and `after` are given as the `bulk.JSONText` the hash was computed over.
    """
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_name = (getattr(actor, "username", None) or "system") if actor is not None else "system"
    now = clock.now()
    created_at = now.astimezone(dt.UTC).isoformat()
    last_id, last_hash = head.last_id, head.last_hash
    sealer = keys.sealer()
    events = []
    for entry in entries:
        object_type, object_id, after = entry.object_type, entry.object_id, entry.after
        ready = entry.json_ready
        if entry.obj is not None:
            object_type = object_type or entry.obj._meta.label_lower
            object_id = entry.obj.pk
            if after is None:
                after, ready = snapshot(entry.obj), entry.before is None
        # What JSON gives back, so the hash covers exactly what the database will return.
        before = entry.before if ready else _jsonable(entry.before)
        after = after if ready else _jsonable(after)
        event = {
            "id": last_id + 1,
            "created_at": now,
            "actor_id": actor_id,
            "actor_name": actor_name,
            "action": entry.action,
            "object_type": object_type or "",
            "object_id": str(object_id if object_id is not None else ""),
            "unit_id": entry.unit_id,
            "before": before,
            "after": after,
            "note": entry.note,
            "prev_hash": last_hash,
        }
        before_json, after_json = _to_json(before), _to_json(after)
        mac = sealer.copy()
        mac.update(_canonical_text(event, created_at, before_json, after_json).encode())
        event["hash"] = mac.hexdigest()
        if as_json:
            event["before"] = None if before is None else bulk.JSONText(before_json)
            event["after"] = None if after is None else bulk.JSONText(after_json)
        last_id, last_hash = event["id"], event["hash"]
        events.append(event)
    return events


@transaction.atomic
def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str | None = None,
    object_id: Any = None,
    unit_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Append one event (审计留痕) to the chain inside the caller's transaction."""
    entry = Entry(action, obj, unit_id, before, after, note, object_type, object_id)
    head = _head_for_update()
    event = AuditEvent(**_chain(actor, [entry], head)[0])
    event.save(force_insert=True)
    AuditHead.objects.filter(pk=1).update(last_id=event.pk, last_hash=event.hash, count=head.count + 1)
    return event


@transaction.atomic
def record_many(actor: Any, entries: Iterable[Entry]) -> int:
    """Append many events by one actor in one go (an import): one head update, inserts in batches."""
    entries = list(entries)
    if not entries:
        return 0
    head = _head_for_update()
    events = _chain(actor, entries, head, as_json=True)
    bulk.insert_rows(AuditEvent, events)
    AuditHead.objects.filter(pk=1).update(
        last_id=events[-1]["id"], last_hash=events[-1]["hash"], count=head.count + len(events)
    )
    return len(events)


def seal(event: AuditEvent | dict[str, Any]) -> str:
    """The keyed hash an event must carry."""
    return keys.seal(canonical(event))


@dataclass(frozen=True)
class Head:
    """The chain's newest event as an operator keeps it outside the database: `ID:HASH`."""

    id: int
    hash: str

    def __str__(self) -> str:
        return f"{self.id}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Head:
        """`ID:HASH` as printed by `rectify remind` and `rectify backup`; ValueError otherwise."""
        number, _, digest = text.strip().partition(":")
        digest = digest.strip().lower()
        if not number.strip().isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(text)
        return cls(int(number), digest)


def current_head() -> Head:
    """The head the database records (审计链头): the newest event's id and hash."""
    head = AuditHead.objects.filter(pk=1).first()
    return Head(head.last_id, head.last_hash) if head else Head(0, GENESIS)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""


def verify(batch: int = 5000, *, head: Head | None = None) -> VerifyResult:
    """Walk every event in id order, whatever its id: ids 1, 2, 3… with no gap, each keyed hash, each link
    to the previous event, the head row; and, given an anchored `head`, that the chain still reaches it."""
    prev_hash = GENESIS
    expected_id = 1
    checked = 0
    last_id: int | None = None
    while True:
        page = AuditEvent.objects.order_by("id")
        rows = list((page if last_id is None else page.filter(id__gt=last_id))[:batch])
        if not rows:
            break
        for event in rows:
            if event.pk < expected_id:
                # Ids below 1 (or repeated) are not part of any chain this system wrote.
                return VerifyResult(False, checked, event.pk, f"event #{event.pk} lies outside the chain")
            if event.pk != expected_id:
                return VerifyResult(False, checked, expected_id, f"event #{expected_id} is missing")
            if event.prev_hash != prev_hash:
                return VerifyResult(False, checked, event.pk, f"event #{event.pk} does not link to the previous event")
            if seal(event) != event.hash:
                return VerifyResult(False, checked, event.pk, f"event #{event.pk} was altered")
            if head is not None and event.pk == head.id and event.hash != head.hash:
                return VerifyResult(False, checked, event.pk, f"event #{event.pk} differs from the anchored head")
            prev_hash = event.hash
            expected_id += 1
            checked += 1
            last_id = event.pk
    last_id = last_id or 0
    recorded = current_head()
    if recorded.id != last_id or recorded.hash != prev_hash:
        return VerifyResult(False, checked, last_id + 1,
                            f"the chain ends at #{last_id} but its head records #{recorded.id}")
    if head is not None and last_id < head.id:
        return VerifyResult(False, checked, last_id + 1,
                            f"the chain ends at #{last_id} before the anchored head #{head.id}: events were removed")
    return VerifyResult(True, checked)
