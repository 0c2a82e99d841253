"""Insert many rows of one model fast: values prepared by their fields, SQL written once per batch.

`QuerySet.bulk_create` spends most of its time per value in the SQL compiler; for a 10,000-row ledger
import (tasks, progress, links and their audit events) that was most of the import. Here every value
that is not already a plain string, number or None goes through its field's `get_db_prep_save`, so
dates, time zones and JSON are stored exactly as `save()` would store them, on SQLite and PostgreSQL
alike. No signals are sent (Rectify uses none).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
from collections.abc import Iterator, Mapping, Sequence
from operator import attrgetter, itemgetter
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Field, JSONField, Model, signals
from django.db.models.base import ModelState
from django.utils import timezone

# SQLite allows 32,766 bound values in one statement, PostgreSQL 65,535.
MAX_PARAMS = 30_000
_PLAIN = (str, int, bool, type(None))
M = TypeVar("M", bound=Model)


class JSONText(str):
    """JSON already serialised (e.g. in the canonical form the audit hash covers): stored as it is."""


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Hold off Python's cycle collector while many objects are made at once (an import, an export).

    A 10,000-row ledger makes hundreds of thousands of objects that live until the end; every full
    collection on the way walks all of them again, a fifth of the import's time. Nothing here makes
    cycles that need collecting early; collection resumes as usual afterwards.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def new(model: type[M], **values: Any) -> M:
    """An unsaved `model(**values)`, built for many objects at once.

    Takes what the constructor takes (related objects by field name, or ids by attname; anything left
    out gets its default) but skips its per-field checks, which cost more than the rest of a ledger
    row. Related objects are kept as if they had been assigned, unsaved ones included: `insert`
    takes their ids once they have them.
    """
    data = {}
    related = {}
    for name, attname, default, factory in _fields_of(model):
        if name in values and name != attname:
            parent = related[name] = values.pop(name)
            data[attname] = None if parent is None else parent.pk
        elif attname in values:
            data[attname] = values.pop(attname)
        else:
            data[attname] = default if factory is None else factory()
    if values:
        raise TypeError(f"{model.__name__} has no field named {', '.join(values)}")
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        obj = model(*data.values())
    else:
        # What Model.__init__ leaves behind when given every field, without its per-field work.
        obj = model.__new__(model)
        obj._state = ModelState()
        obj.__dict__.update(data)
    obj._state.fields_cache.update(related)
    return obj


@functools.cache
def _fields_of(model: type[Model]) -> tuple[tuple[str, str, Any, Any], ...]:
    """Each concrete field's name and attname, and its default: (constant, None) or (None, callable)."""
    found = []
    for field in model._meta.concrete_fields:
        if field.has_default() and callable(field.default):
            found.append((field.name, field.attname, None, field.default))
        else:
            found.append((field.name, field.attname, field.get_default(), None))
    return tuple(found)


def insert(objs: Sequence[Model], *, batch_size: int = 1000) -> None:
    """INSERT every object (all of one model). Objects without an id get the id the database assigns."""
    if not objs:
        return
    model = type(objs[0])
    pk = model._meta.pk
    assign_ids = getattr(objs[0], pk.attname) is None
    fields = [field for field in model._meta.concrete_fields if not (assign_ids and field is pk)]
    keys = [field for field in fields if field.is_relation]
    stamped = [field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    now = timezone.now()
    for obj in objs:
        cache = obj._state.fields_cache
        for field in keys:
            # A parent saved after this object was built: take its id, as save() does.
            parent = cache.get(field.name)
            if parent is not None and getattr(obj, field.attname) is None:
                if parent.pk is None:
                    raise ValueError(f"insert() prohibited to prevent data loss due to unsaved related object '{field.name}'.")
                setattr(obj, field.attname, parent.pk)
        for field in stamped:
            setattr(obj, field.attname, now)  # one time for the whole insert
    values = _rows(attrgetter, fields, objs)
    ids = _execute(model, fields, values, returning=assign_ids, batch_size=batch_size)
    alias = router.db_for_write(model)
    for index, obj in enumerate(objs):
        if assign_ids:
            setattr(obj, pk.attname, ids[index])
        obj._state.adding = False
        obj._state.db = alias


def insert_rows(model: type[Model], rows: Sequence[Mapping[str, Any]], *, batch_size: int = 1000) -> None:
    """INSERT rows given as {attname: value}, each naming the same columns (every column but an auto id)."""
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if field.attname in rows[0]]
    _execute(model, fields, _rows(itemgetter, fields, rows), returning=False, batch_size=batch_size)


def _rows(getter: Any, fields: list[Field], items: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Each item's values of `fields` as a tuple, read by `attrgetter` (objects) or `itemgetter` (dicts)."""
    row_of = getter(*(field.attname for field in fields))
    return [row_of(item) for item in items] if len(fields) > 1 else [(row_of(item),) for item in items]


def _prepared_columns(fields: list[Field], values: list[Sequence[Any]], connection: Any) -> list[Sequence[Any]]:
    """The values column by column, each as `save()` would send it to the database."""
    columns: list[Sequence[Any]] = list(zip(*values, strict=True))
    for index, field in enumerate(fields):
        column = columns[index]
        prep = field.get_db_prep_save
        if isinstance(field, JSONField):
            columns[index] = [
                value if value is None or type(value) is JSONText else prep(value, connection) for value in column
            ]
        elif any(type(value) not in _PLAIN for value in column):
            prepared: dict[Any, Any] = {}  # dates repeat: prepare each one once
            columns[index] = [
                value if type(value) in _PLAIN
                else prepared[value] if value in prepared
                else prepared.setdefault(value, prep(value, connection))
                for value in column
            ]
    return columns


def _execute(model: type[Model], fields: list[Field], values: list[Sequence[Any]], *, returning: bool,
             batch_size: int) -> list[Any]:
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    )
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    rows = list(zip(*_prepared_columns(fields, values, connection), strict=True))
    ids: list[Any] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids = _copy(connection, model, fields, rows, returning=returning)
        elif not returning:
            cursor.executemany(head + row, rows)
        else:
            size = max(1, min(batch_size, MAX_PARAMS // len(fields)))
            for start in range(0, len(rows), size):
                batch = rows[start : start + size]
                cursor.execute(head + ", ".join([row] * len(batch)) + tail, [v for record in batch for v in record])
                ids += [value for (value,) in cursor.fetchall()]
    return ids


def _copy(connection: Any, model: type[Model], fields: list[Field], rows: list[tuple[Any, ...]], *, returning: bool) -> list[Any]:
    """PostgreSQL: COPY the rows in; new ids are taken from the table's sequence first, in one query."""
    import psycopg
    from psycopg import sql

    table, pk = model._meta.db_table, model._meta.pk.column
    columns = [field.column for field in fields]
    ids: list[Any] = []
    # A cursor of the same connection, so the COPY is part of the caller's transaction.
    with psycopg.Cursor(connection.connection) as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, len(rows)]
            )
            ids = [value for (value,) in cursor.fetchall()]
            columns = [pk, *columns]
            rows = [(new_id, *row) for new_id, row in zip(ids, rows, strict=True)]
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with cursor.copy(statement) as copy:
            try:
                text = "".join(["\t".join(map(_copy_text, row)) + "\n" for row in rows])
            except _NotText:
                for row in rows:
                    copy.write_row(row)  # psycopg's own adaptation, value by value
            else:
                copy.write(text.encode())
    return ids


class _NotText(Exception):
    pass


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """A value in COPY's text format (the types `save()` sends for Rectify's fields; others raise `_NotText`)."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if value is True or value is False:
        return "t" if value else "f"
    if type(value) is int:
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    from psycopg.types.json import Jsonb

    if isinstance(value, Jsonb):
        return (value.dumps or json.dumps)(value.obj).translate(_COPY_ESCAPES)
    raise _NotText
