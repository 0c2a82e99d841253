"""The single chain the audit log was before there was a chain per unit, and moving it on.

`rekey`, run once by migration 0003, moves a chain written before the key (plain SHA-256) onto the keyed
chain (HMAC-SHA256): the old chain is checked as it was written, every event from #1 on is re-sealed with
the key in id order, and one `audit.rekey` event is appended that states the old head (id, unkeyed hash)
and whether the old chain verified, so an operator can compare it with a head kept from before. Rows with
ids below 1 are not re-sealed: verification keeps reporting them.

`split`, run once by migration 0005, leaves the single chain as it was sealed and continues it on the
system chain: that chain's first event links to the single chain's last and states its head, as the
re-seal did. From then on every unit's events form a chain of their own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rectify import clock
from rectify.audit import keys

GENESIS = "0" * 64
_COLUMNS = ("id", "created_at", "actor_id", "actor_name", "action", "object_type", "object_id", "unit_id",
            "before", "after", "note", "prev_hash", "hash")
BATCH = 5000
SYSTEM_CHAIN = 0


@dataclass
class Walked:
    """The single chain as walked: its length, its last event, and its first problem if any."""

    count: int = 0
    checked: int = 0  # the events before the first problem
    last_id: int = 0
    last_hash: str = GENESIS
    bad_id: int | None = None
    reason: str = ""


def walk(rows: Iterable[dict[str, Any]], seal: Callable[[dict[str, Any]], str]) -> Walked:
    """Check the single chain in id order, to its end: ids 1, 2, 3… with no gap, each link, each hash."""
    walked = Walked()
    expected = 1
    for values in rows:
        if walked.bad_id is None:
            event_id = values["id"]
            if event_id < expected:
                # Ids below 1 (or repeated) are not part of any chain this system wrote.
                walked.bad_id, walked.reason = event_id, f"event #{event_id} lies outside the chain"
            elif event_id != expected:
                walked.bad_id, walked.reason = expected, f"event #{expected} is missing"
            elif values["prev_hash"] != walked.last_hash:
                walked.bad_id, walked.reason = event_id, f"event #{event_id} does not link to the previous event"
            elif seal(values) != values["hash"]:
                walked.bad_id, walked.reason = event_id, f"event #{event_id} was altered"
            else:
                walked.checked += 1
        walked.last_id, walked.last_hash = values["id"], values["hash"]
        expected = max(expected, values["id"] + 1)
        walked.count += 1
    return walked


def rekey(event_model: Any, head_model: Any, connection: Any) -> dict[str, Any] | None:
    """Re-seal the unkeyed chain with the key and append the `audit.rekey` event; None if there is no chain."""
    from rectify.audit.services import canonical

    if not event_model.objects.filter(id__gte=1).exists():
        return None
    table = connection.ops.quote_name(event_model._meta.db_table)
    old_prev = new_prev = GENESIS
    expected, count = 1, 0
    first_bad: int | None = None
    reason = ""
    last_id = 0
    while True:
        rows = list(event_model.objects.filter(id__gt=last_id).order_by("id").values(*_COLUMNS)[:BATCH])
        if not rows:
            break
        updates = []
        for values in rows:
            if first_bad is None:
                if values["id"] != expected:
                    first_bad, reason = expected, f"event #{expected} is missing"
                elif values["prev_hash"] != old_prev:
                    first_bad, reason = values["id"], f"event #{values['id']} does not link to the previous event"
                elif hashlib.sha256(canonical(values)).hexdigest() != values["hash"]:
                    first_bad, reason = values["id"], f"event #{values['id']} was altered"
            old_prev = values["hash"]
            values["prev_hash"] = new_prev
            new_prev = keys.seal(canonical(values))
            updates.append((values["prev_hash"], new_prev, values["id"]))
            expected = values["id"] + 1
            last_id = values["id"]
            count += 1
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s", updates)
    old_head = {"last_id": last_id, "last_hash": old_prev, "count": count, "verified": first_bad is None}
    if first_bad is not None:
        old_head.update(first_bad=first_bad, reason=reason)
    event = {
        "id": last_id + 1, "created_at": clock.now(), "actor_id": None, "actor_name": "system",
        "action": "audit.rekey", "object_type": "audit.chain", "object_id": "", "unit_id": None,
        "before": {"scheme": "sha256", **old_head}, "after": {"scheme": "hmac-sha256"},
        "note": f"审计链改用密钥哈希（HMAC-SHA256），接续原链头 #{last_id} {old_prev}",
        "prev_hash": new_prev,
    }
    event["hash"] = keys.seal(canonical(event))
    event_model.objects.create(**event)
    head_model.objects.update_or_create(
        pk=1, defaults={"last_id": event["id"], "last_hash": event["hash"], "count": count + 1})
    return old_head


def split(event_model: Any, head_model: Any, connection: Any) -> dict[str, Any] | None:
    """Continue the single chain on the system chain with one `audit.chains` event stating its head; None
    if there is no single chain. The id sequences are first moved past the ids the single chain gave its
    events and its head row itself, rather than the database."""
    from django.core.management.color import no_style

    from rectify.audit.services import canonical

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [event_model, head_model]):
            cursor.execute(statement)
    rows = event_model.objects.filter(chain__isnull=True).order_by("id").values(*_COLUMNS, "chain", "seq")
    if not rows.exists():
        return None
    walked = walk(rows.iterator(chunk_size=BATCH), lambda values: keys.seal(canonical(values)))
    old_head: dict[str, Any] = {"last_id": walked.last_id, "last_hash": walked.last_hash, "count": walked.count,
                                "verified": walked.bad_id is None}
    if walked.bad_id is not None:
        old_head.update(first_bad=walked.bad_id, reason=walked.reason)
    event = {
        "chain": SYSTEM_CHAIN, "seq": 1, "created_at": clock.now(), "actor_id": None, "actor_name": "system",
        "action": "audit.chains", "object_type": "audit.chain", "object_id": "", "unit_id": None,
        "before": {"scheme": "one chain", **old_head}, "after": {"scheme": "a chain per unit"},
        "note": f"审计日志改为每个单位一条审计链，系统链接续原链头 #{walked.last_id} {walked.last_hash}",
        "prev_hash": walked.last_hash,
    }
    event["hash"] = keys.seal(canonical(event))
    created = event_model.objects.create(**event)
    head_model.objects.create(chain=SYSTEM_CHAIN, last_id=created.pk, last_hash=event["hash"], count=1)
    return old_head
