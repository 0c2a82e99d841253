"""Moving a chain written before the key (plain SHA-256) onto the keyed chain (HMAC-SHA256).

Run once by migration 0003: the old chain is checked as it was written, every event from #1 on is
re-sealed with the key in id order, and one `audit.rekey` event is appended that states the old head
(id, unkeyed hash) and whether the old chain verified, so an operator can compare it with a head kept
from before. Rows with ids below 1 are not re-sealed: verification keeps reporting them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from rectify import clock
from rectify.audit import keys

GENESIS = "0" * 64
_COLUMNS = ("id", "created_at", "actor_id", "actor_name", "action", "object_type", "object_id", "unit_id",
            "before", "after", "note", "prev_hash", "hash")
BATCH = 5000


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
