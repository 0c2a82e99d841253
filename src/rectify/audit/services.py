"""Record audit events in the keyed hash chain, and verify the chain (`rectify audit verify`).

Each event's `hash` is the HMAC-SHA256 (key: `audit.keys`, a file outside the database) of its canonical
bytes, which include the previous event's hash. Rewriting history therefore needs the key; removing the
newest events is found against a head (id and hash) kept outside the database: `rectify remind` and
`rectify backup` print it, `rectify audit verify --head ID:HASH` checks the chain still reaches it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import functools
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any, cast

from django.db import OperationalError, connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.db.transaction import TransactionManagementError
from django.utils.translation import gettext as _

from rectify import bulk, clock
from rectify.audit import keys, legacy
from rectify.audit.models import SYSTEM_CHAIN, AuditEvent, AuditHead
from rectify.errors import StaleWrite

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
_ISO: dict[type, Callable[[Any], Any]] = {dt.datetime: dt.datetime.isoformat, dt.date: dt.date.isoformat}


@functools.cache
def _attnames(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


@functools.cache
def _names(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(field.name for field in model._meta.concrete_fields)


def canonical(event: AuditEvent | dict[str, Any]) -> bytes:
    """The bytes the hash covers: every recorded field, the event's place in its chain and the previous hash.

    An event of a chain is placed by `chain` and `seq`; one written while the log was a single chain
    (no `chain`) by its `id`, as it was sealed then.
    """
    values = event if isinstance(event, dict) else event.__dict__
    place = {"id": values["id"]} if values.get("chain") is None else {"chain": values["chain"], "seq": values["seq"]}
    payload = {
        **place,
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
    """`canonical(event)` of an event of a chain as text, given `before`/`after` already in JSON: each is
    serialised once.

    The keys in the order `sort_keys` gives them; a test holds this equal to `canonical`.
    """
    text = _string
    return (
        f'{{"action":{text(event["action"])},"actor_id":{_number(event["actor_id"])},'
        f'"actor_name":{text(event["actor_name"])},"after":{after},"before":{before},'
        f'"chain":{_number(event["chain"])},"created_at":{text(created_at)},"note":{text(event["note"])},'
        f'"object_id":{text(event["object_id"])},"object_type":{text(event["object_type"])},'
        f'"prev_hash":{text(event["prev_hash"])},"seq":{_number(event["seq"])},"unit_id":{_number(event["unit_id"])}}}'
    )


def chain_of(unit_id: int | None) -> int:
    """The chain an event of `unit_id` goes on: the unit's own, or the system chain for no unit."""
    return SYSTEM_CHAIN if unit_id is None else int(unit_id)


def _heads_for_update(chains: Iterable[int]) -> dict[int, AuditHead]:
    """The heads of `chains`, locked until the transaction ends, made on a chain's first event.

    Deadlock-free by one global order, ascending chain number (the system chain, 0, first): a transaction
    waits for a chain's head only while every head it already holds is of a lower chain. A head row, once
    locked, stays locked until commit (the events appended after it need it), so a transaction that holds
    chain 7 and then needs chain 3 cannot lock in order any more: it takes chain 3 only if free at once
    (NOWAIT) and otherwise fails with a conflict the user can retry, never waiting; else two transactions
    that write units A then B and B then A would each wait for the other until PostgreSQL cancels one.
    A service that writes for several units therefore names them all first with `lock_chains`.
    """
    wanted = sorted(set(chains))
    held = _held_chains()
    top = max(held, default=None)
    below = [chain for chain in wanted if top is not None and chain < top and chain not in held]
    heads = _lock(below, nowait=connection.features.has_select_for_update_nowait) if below else {}
    heads.update(_lock([chain for chain in wanted if chain not in heads], nowait=False))
    if fresh := [chain for chain in wanted if chain not in held]:
        _mark_held(fresh)
    return heads


def _lock(chains: list[int], *, nowait: bool) -> dict[int, AuditHead]:
    """Lock the heads of `chains` in chain order (PostgreSQL locks the rows as the sorted scan returns them).

    A new chain's row is inserted ignoring a conflict: another transaction may be making it at once.
    """
    def locked(wanted: list[int]) -> dict[int, AuditHead]:
        rows = AuditHead.objects.select_for_update(nowait=nowait).filter(chain__in=wanted).order_by("chain")
        try:
            return {cast(int, head.chain): head for head in rows}
        except OperationalError as error:  # only with NOWAIT: another transaction holds a head
            raise StaleWrite(_busy()) from error

    if not chains:
        return {}
    heads = locked(chains)
    missing = [chain for chain in chains if chain not in heads]
    if missing:
        with _inserts_without_waiting() if nowait else contextlib.nullcontext():
            AuditHead.objects.bulk_create([AuditHead(chain=chain) for chain in missing], ignore_conflicts=True)
        heads.update(locked(missing))
    return heads


@contextlib.contextmanager
def _inserts_without_waiting() -> Iterator[None]:
    """A head row another transaction is inserting (its chain's first event) cannot be skipped by NOWAIT:
    the insert would wait for that transaction. On PostgreSQL it gives up after a millisecond instead."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout'), set_config('lock_timeout', '1ms', true)")
        previous = cursor.fetchone()[0]
        try:
            yield
        except OperationalError as error:
            raise StaleWrite(_busy()) from error
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])


def _busy() -> str:
    return _("另一项操作正在写入同一审计链，本次操作未保存，请稍后重试")


class _Held:
    """An on-commit no-op naming the chains whose heads a transaction locked. Django drops it when the
    transaction ends, or when the savepoint it was made in is rolled back, which is exactly when PostgreSQL
    releases those row locks: the surviving marks are what the transaction holds."""

    __slots__ = ("chains",)

    def __init__(self, chains: list[int]) -> None:
        self.chains = frozenset(chains)

    def __call__(self) -> None:
        return None


def _held_chains() -> frozenset[int]:
    """The chains whose heads the connection's current transaction holds.

    Kept with the connection's list of on-commit hooks, which Django replaces on commit, rollback and a
    savepoint's rollback: while the list is the same, so is the answer; otherwise it is read from the marks.
    """
    hooks = connection.run_on_commit
    kept = getattr(connection, "_audit_held", None)
    if kept is not None and kept[0] is hooks:
        return cast(frozenset[int], kept[1])
    held = frozenset().union(*(entry[1].chains for entry in hooks if isinstance(entry[1], _Held)))
    connection._audit_held = (hooks, held)  # type: ignore[attr-defined]
    return held


def _mark_held(chains: list[int]) -> None:
    held = _held_chains()
    transaction.on_commit(_Held(chains))
    connection._audit_held = (connection.run_on_commit, held | frozenset(chains))  # type: ignore[attr-defined]


def lock_chains(unit_ids: Iterable[int | None]) -> None:
    """Lock the chains of every unit (None: the system chain) a transaction is about to write for
    (跨单位写入先锁定各审计链), in the one global order, before its first audit event.

    For a service that writes for several units in one transaction: appending unit by unit would take
    the chains in whatever order the work comes in, and a lower chain needed after a higher one is
    refused when busy (see `_heads_for_update`).
    """
    if not connection.in_atomic_block:
        raise TransactionManagementError("lock_chains() holds its locks until the caller's transaction ends")
    _heads_for_update(chain_of(unit_id) for unit_id in unit_ids)


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
    """The events for `entries` (all of `head`'s chain) as column values, numbered and hashed after the head
    (nothing is written; the database gives each its id).

    With `as_json`, `before` and `after` are given as the `bulk.JSONText` the hash was computed over.
    """
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_name = (getattr(actor, "username", None) or "system") if actor is not None else "system"
    now = clock.now()
    created_at = now.astimezone(dt.UTC).isoformat()
    chain, last_seq, last_hash = head.chain, head.count, head.last_hash
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
        last_seq += 1
        event = {
            "chain": chain,
            "seq": last_seq,
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
        event["hash"] = last_hash = mac.hexdigest()
        if as_json:
            event["before"] = None if before is None else bulk.JSONText(before_json)
            event["after"] = None if after is None else bulk.JSONText(after_json)
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
    """Append one event (审计留痕) to its unit's chain inside the caller's transaction."""
    entry = Entry(action, obj, unit_id, before, after, note, object_type, object_id)
    chain = chain_of(unit_id)
    head = _heads_for_update([chain])[chain]
    event = AuditEvent(**_chain(actor, [entry], head)[0])
    event.save(force_insert=True)
    AuditHead.objects.filter(pk=head.pk).update(last_id=event.pk, last_hash=event.hash, count=event.seq)
    return event


@transaction.atomic
def record_many(actor: Any, entries: Iterable[Entry]) -> int:
    """Append many events by one actor in one go (an import): one head update per chain, inserts in batches."""
    entries = list(entries)
    if not entries:
        return 0
    chains = [chain_of(entry.unit_id) for entry in entries]
    heads = _heads_for_update(chains)
    if len(heads) == 1:
        events = _chain(actor, entries, heads[chains[0]], as_json=True)
    else:
        # Each chain's events numbered and linked on its own, then inserted in the order given.
        sealed = {chain: iter(_chain(actor, [e for e, c in zip(entries, chains, strict=True) if c == chain], head,
                                     as_json=True))
                  for chain, head in heads.items()}
        events = [next(sealed[chain]) for chain in chains]
    bulk.insert_rows(AuditEvent, events)
    lasts = {event["chain"]: event for event in events}
    ids = dict(AuditEvent.objects.filter(hash__in=[event["hash"] for event in lasts.values()])
               .values_list("chain", "pk"))
    for chain, last in lasts.items():
        AuditHead.objects.filter(pk=heads[chain].pk).update(last_id=ids[chain], last_hash=last["hash"],
                                                            count=last["seq"])
    return len(events)


def seal(event: AuditEvent | dict[str, Any]) -> str:
    """The keyed hash an event must carry."""
    return keys.seal(canonical(event))


@dataclass(frozen=True)
class Head:
    """An event as an operator keeps it outside the database, `ID:HASH`: usually a checkpoint."""

    id: int
    hash: str

    def __str__(self) -> str:
        return f"{self.id}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Head:
        """`ID:HASH` as printed by `rectify audit head`, `rectify remind` and `rectify backup`; ValueError
        otherwise. The whole printout of `rectify audit head` (text or JSON) is taken too: its `审计链头` line."""
        found = _PRINTED_HEAD.search(text)
        number, _, digest = (found.group(1) if found else text).strip().partition(":")
        digest = digest.strip().lower()
        if not number.strip().isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(text)
        return cls(int(number), digest)


_PRINTED_HEAD = re.compile(r'(?:审计链头\s*|"head"\s*:\s*")(\d+:[0-9a-fA-F]{64})')
CHECKPOINT = "audit.checkpoint"


@dataclass(frozen=True)
class ChainHead:
    """One chain's head as the database records it: its length and its newest event."""

    chain: int
    count: int
    last: Head


def chain_heads() -> list[ChainHead]:
    """Every chain's head (审计链头), the system chain first, then the units' by id."""
    rows = AuditHead.objects.filter(chain__isnull=False, count__gt=0).order_by("chain")
    return [ChainHead(cast(int, row.chain), row.count, Head(row.last_id, row.last_hash)) for row in rows]


def current_head() -> Head:
    """The newest event (审计链头 of its own chain), read without writing: it anchors that chain only;
    `checkpoint` seals every chain."""
    newest = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    return Head(*newest) if newest else Head(0, GENESIS)


@transaction.atomic
def checkpoint(actor: Any = None) -> Head:
    """Seal every unit chain's head into one event of the system chain (审计链头存证) and return it: the one
    `ID:HASH` an operator keeps, from which `verify` finds any chain cut short since."""
    chains = {str(head.chain): f"{head.count}:{head.last.hash}" for head in chain_heads()
              if head.chain != SYSTEM_CHAIN}
    event = record(actor, CHECKPOINT, object_type="audit.chain", after={"chains": chains},
                   note=f"审计链头存证：{len(chains)} 条单位审计链")
    return Head(event.pk, event.hash)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""
    chain: int | None = None  # the chain of the first problem; None for the single chain kept before
    seq: int | None = None  # the place in that chain (a missing event has no id)
    chains: int = 0


_COLUMNS = ("id", "created_at", "actor_id", "actor_name", "action", "object_type", "object_id", "unit_id",
            "before", "after", "note", "chain", "seq", "prev_hash", "hash")


def _label(chain: int | None) -> str:
    if chain is None:
        return "the single chain"
    return "the system chain" if chain == SYSTEM_CHAIN else f"the chain of unit {chain}"


@contextlib.contextmanager
def _one_snapshot() -> Iterator[None]:
    """Every read of a check from one snapshot: events appended meanwhile are not half seen (a head row read
    before its chain's new event, or a chain's later batch holding events its head row did not count)."""
    if connection.in_atomic_block or connection.vendor not in ("postgresql", "sqlite"):
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
        return
    # SQLite: a deferred transaction reads from one snapshot, taken at its first read; under WAL the writers
    # go on meanwhile. Not `atomic()`: the deployment's BEGIN IMMEDIATE would hold the write lock throughout.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def verify(batch: int = 5000, *, head: Head | None = None) -> VerifyResult:
    """Walk every chain and every event: the single chain kept before in id order (ids 1, 2, 3… with no gap),
    then each chain by place (1, 2, 3… with no gap); each keyed hash, each link to the previous event of its
    chain, each head row; every chain reaches what the newest checkpoint sealed, and, given an anchored
    `head`, that event is still there as kept (and, a checkpoint, every chain reaches what it sealed)."""
    with _one_snapshot():
        return _verify(batch, head)


def _verify(batch: int, anchor: Head | None) -> VerifyResult:
    heads = {row.chain: row for row in AuditHead.objects.all()}
    old_rows = AuditEvent.objects.filter(chain__isnull=True).order_by("id").values(*_COLUMNS)
    old = legacy.walk(old_rows.iterator(chunk_size=batch), seal)
    checked = old.count
    if old.bad_id is not None:
        return VerifyResult(False, checked, old.bad_id, old.reason)
    old_head = heads.pop(None, None)
    if old_head is not None and (old_head.last_id, old_head.last_hash) != (old.last_id, old.last_hash):
        return VerifyResult(False, checked, old.last_id + 1,
                            f"the single chain ends at #{old.last_id} but its head records #{old_head.last_id}")

    # What checkpoints sealed: chain -> [(place, hash, checkpoint id)]; their own seals are checked below.
    sealed: dict[int, list[tuple[int, str, int]]] = {}
    checkpoints = [AuditEvent.objects.filter(chain=SYSTEM_CHAIN, action=CHECKPOINT).order_by("-seq").first()]
    if anchor is not None:
        kept = AuditEvent.objects.filter(pk=anchor.id).first()
        if kept is None:
            return VerifyResult(False, checked, anchor.id,
                                f"the anchored head #{anchor.id} is missing: events were removed")
        if kept.hash != anchor.hash:
            return VerifyResult(False, checked, anchor.id, f"event #{anchor.id} differs from the anchored head",
                                kept.chain, kept.seq)
        checkpoints.append(kept if kept.chain == SYSTEM_CHAIN and kept.action == CHECKPOINT else None)
    for event in filter(None, checkpoints):
        for sealed_chain, place in ((event.after or {}).get("chains") or {}).items():
            number, _, digest = str(place).partition(":")
            sealed.setdefault(int(sealed_chain), []).append((int(number), digest, event.pk))

    chains, walked_system = 0, False
    chain: int | None = None
    last: dict[str, Any] | None = None
    prev_hash = GENESIS
    rows = AuditEvent.objects.filter(chain__isnull=False).order_by("chain", "seq").values(*_COLUMNS)
    for event in rows.iterator(chunk_size=batch):
        if event["chain"] != chain:
            if chain is not None and (problem := _chain_end(chain, last, heads, sealed, checked)):
                return problem
            chain, last, chains = event["chain"], None, chains + 1
            walked_system = walked_system or chain == SYSTEM_CHAIN
            # The system chain continues the single chain kept before, if there was one.
            prev_hash = old.last_hash if chain == SYSTEM_CHAIN else GENESIS
        place = 1 if last is None else last["seq"] + 1
        if event["seq"] < place:
            return VerifyResult(False, checked, event["id"], f"event #{event['id']} lies outside the chain",
                                chain, event["seq"])
        if event["seq"] != place:
            return VerifyResult(False, checked, None, f"event {place} of {_label(chain)} is missing", chain, place)
        if event["prev_hash"] != prev_hash:
            return VerifyResult(False, checked, event["id"],
                                f"event #{event['id']} does not link to the previous event of {_label(chain)}",
                                chain, place)
        if seal(event) != event["hash"]:
            return VerifyResult(False, checked, event["id"], f"event #{event['id']} was altered", chain, place)
        for seq, digest, by in sealed.get(event["chain"], ()):
            if seq == place and digest != event["hash"]:
                return VerifyResult(False, checked, event["id"],
                                    f"event #{event['id']} differs from what checkpoint #{by} sealed", chain, place)
        prev_hash, last = event["hash"], event
        checked += 1
    if chain is not None and (problem := _chain_end(chain, last, heads, sealed, checked)):
        return problem
    if old.count and not walked_system:
        return VerifyResult(False, checked, None, "the event continuing the single chain is missing",
                            SYSTEM_CHAIN, 1)
    for gone, head in sorted(heads.items()):
        if head.count:
            return VerifyResult(False, checked, head.last_id,
                                f"all {head.count} events of {_label(gone)} were removed", gone, 1)
    for gone, seals in sorted(sealed.items()):
        return VerifyResult(False, checked, None,
                            f"{_label(gone)} is missing although checkpoint #{seals[0][2]} sealed it", gone, 1)
    return VerifyResult(True, checked, chains=chains + (1 if old.count else 0))


def _chain_end(chain: int, last: dict[str, Any] | None, heads: dict[int | None, AuditHead],
               sealed: dict[int, list[tuple[int, str, int]]], checked: int) -> VerifyResult | None:
    """The problem at the end of a walked chain, if any: its head row disagrees, or a checkpoint sealed
    more events than are left. Forgets the chain's head and seals, so what remains was never walked."""
    assert last is not None
    end, head = last["seq"], heads.pop(chain, None)
    if head is None or (head.count, head.last_id, head.last_hash) != (end, last["id"], last["hash"]):
        recorded = head.count if head is not None else 0
        return VerifyResult(False, checked, last["id"],
                            f"{_label(chain)} ends at event {end} but its head records {recorded}", chain, end + 1)
    for seq, _digest, by in sealed.pop(chain, ()):
        if seq > end:
            return VerifyResult(False, checked, None,
                                f"{_label(chain)} ends at event {end} before event {seq} that checkpoint #{by} "
                                "sealed: events were removed", chain, end + 1)
    return None
