"""Insert many rows of one model fast: values prepared by their fields, SQL written once per batch.

`QuerySet.bulk_create` spends most of its time per value in the SQL compiler; for a 10,000-row ledger
import (tasks, progress, links and their audit events) that was most of the import. Here every value
that is not already a plain string, number or None goes through its field's `get_db_prep_save`, so
dates, time zones and JSON are stored exactly as `save()` would store them, on SQLite and PostgreSQL
alike. No signals are sent (Rectify uses none).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Field, JSONField, Model
from django.utils import timezone

# SQLite allows 32,766 bound values in one statement, PostgreSQL 65,535.
MAX_PARAMS = 30_000
_PLAIN = (str, int, bool, type(None))


def insert(objs: Sequence[Model], *, batch_size: int = 1000) -> None:
    """INSERT every object (all of one model). Objects without an id get the id the database assigns."""
    if not objs:
        return
    model = type(objs[0])
    pk = model._meta.pk
    assign_ids = getattr(objs[0], pk.attname) is None
    fields = [field for field in model._meta.concrete_fields if not (assign_ids and field is pk)]
    keys = [field for field in fields if field.is_relation]
    stamped = {field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)}
    now = timezone.now()
    values = []
    for obj in objs:
        for field in keys:
            # A parent saved after this object was built: take its id, as save() does.
            parent = obj._state.fields_cache.get(field.name)
            if parent is not None and getattr(obj, field.attname) is None:
                if parent.pk is None:
                    raise ValueError(f"insert() prohibited to prevent data loss due to unsaved related object '{field.name}'.")
                setattr(obj, field.attname, parent.pk)
        for field in stamped:
            setattr(obj, field.attname, now)  # one time for the whole insert
        values.append([getattr(obj, field.attname) for field in fields])
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
    _execute(model, fields, [[row[field.attname] for field in fields] for row in rows], returning=False,
             batch_size=batch_size)


def _execute(model: type[Model], fields: list[Field], values: list[list[Any]], *, returning: bool,
             batch_size: int) -> list[Any]:
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    )
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    # JSON is always serialised by its field; other plain values are passed as they are.
    json_columns = {index for index, field in enumerate(fields) if isinstance(field, JSONField)}
    prepared: dict[tuple[int, Any], Any] = {}  # dates repeat: prepare each one once

    def prepare(index: int, value: Any) -> Any:
        if type(value) in _PLAIN and index not in json_columns:
            return value
        if index in json_columns:
            return fields[index].get_db_prep_save(value, connection)
        key = (index, value)
        if key not in prepared:
            prepared[key] = fields[index].get_db_prep_save(value, connection)
        return prepared[key]

    rows = [[prepare(index, value) for index, value in enumerate(record)] for record in values]
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


def _copy(connection: Any, model: type[Model], fields: list[Field], rows: list[list[Any]], *, returning: bool) -> list[Any]:
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
            rows = [[new_id, *row] for new_id, row in zip(ids, rows, strict=True)]
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    return ids
