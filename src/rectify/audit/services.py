"""Record audit events in the hash chain, and verify the chain (`rectify audit verify`)."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from rectify import clock
from rectify.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
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
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Field values of a row (concrete fields, FKs as ids), for the before/after of an event."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    return data


def canonical(event: AuditEvent) -> bytes:
    """The bytes the hash covers: every recorded field and the previous hash."""
    payload = {
        "id": event.pk,
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "unit_id": event.unit_id,
        "before": event.before,
        "after": event.after,
        "note": event.note,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _head_for_update() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=1)
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


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
    head = _head_for_update()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk
        if after is None:
            after = snapshot(obj)
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    event = AuditEvent(
        id=head.last_id + 1,
        created_at=clock.now(),
        actor_id=actor_id,
        actor_name=(getattr(actor, "username", None) or "system") if actor is not None else "system",
        action=action,
        object_type=object_type or "",
        object_id=str(object_id if object_id is not None else ""),
        unit_id=unit_id,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        note=note,
        prev_hash=head.last_hash,
    )
    # Round-trip JSON so the hash covers exactly what the database will give back.
    event.before = json.loads(json.dumps(event.before, ensure_ascii=False)) if event.before is not None else None
    event.after = json.loads(json.dumps(event.after, ensure_ascii=False)) if event.after is not None else None
    event.hash = hashlib.sha256(canonical(event)).hexdigest()
    event.save(force_insert=True)
    AuditHead.objects.filter(pk=1).update(last_id=event.pk, last_hash=event.hash, count=head.count + 1)
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""


def verify(batch: int = 5000) -> VerifyResult:
    """Walk the chain from the genesis: each event's hash, its link to the previous one, and the head."""
    prev_hash = GENESIS
    expected_id = 1
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for event in rows:
            if event.pk != expected_id:
                return VerifyResult(False, checked, expected_id, f"event #{expected_id} is missing")
            if event.prev_hash != prev_hash:
                return VerifyResult(False, checked, event.pk, f"event #{event.pk} does not link to the previous event")
            if hashlib.sha256(canonical(event)).hexdigest() != event.hash:
                return VerifyResult(False, checked, event.pk, f"event #{event.pk} was altered")
            prev_hash = event.hash
            expected_id += 1
            checked += 1
            last_id = event.pk
    head = AuditHead.objects.filter(pk=1).first()
    head_id, head_hash = (head.last_id, head.last_hash) if head else (0, GENESIS)
    if head_id != last_id or head_hash != prev_hash:
        return VerifyResult(False, checked, last_id + 1, f"the chain ends at #{last_id} but its head records #{head_id}")
    return VerifyResult(True, checked)
