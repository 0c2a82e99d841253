"""Shapes shared by every router: bounded input types, references, errors, pages."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# Ids are 64-bit in both databases: a larger number must be refused as input, not crash the query.
MAX_ID = 2**63 - 1
MIN_DAY = dt.date(1900, 1, 1)
MAX_DAY = dt.date(2999, 12, 31)
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}


def _clean_text(value: str) -> str:
    # PostgreSQL refuses NUL, and lone surrogates cannot be stored as UTF-8 at all.
    if any(ch in _CONTROL or "\ud800" <= ch <= "\udfff" for ch in value):
        raise PydanticCustomError("text_control", "text contains control characters")
    return value


def _check_day(value: dt.date) -> dt.date:
    if not MIN_DAY <= value <= MAX_DAY:
        raise PydanticCustomError("date_range", "date out of range")
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, Field(max_length=20_000), AfterValidator(_clean_text)]
Day = Annotated[dt.date, AfterValidator(_check_day)]


def short_text(max_length: int) -> Any:
    """A single-line field bounded like its model column (PostgreSQL enforces varchar lengths)."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_clean_text)]


Title = short_text(200)


class ErrorOut(Schema):
    code: str = Field(description="稳定的错误代码，如 not_found、forbidden、stale_version、invalid")
    message: str = Field(description="给用户看的中文说明")
    field: str | None = Field(None, description="出错的字段；与具体字段无关时为 null")


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error responses an operation documents (401 always: every endpoint needs a login or token)."""
    return {code: ErrorOut for code in sorted({400, 401, 422, *codes})}


class Ref(Schema):
    id: int
    name: str


class UserRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.display_name)


class OrgRef(Schema):
    id: int
    name: str


T = TypeVar("T")


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000, description="页码，从 1 开始")
    page_size: int = Field(50, ge=1, le=200, description="每页条数，最多 200")


class Page(Schema, Generic[T]):
    items: list[T]
    count: int = Field(description="符合条件的总条数（count_capped 为 true 时是下限）")
    count_capped: bool = Field(
        False, description="为 true 时符合条件的条数超过 count，只精确计数到该上限（全省范围的任务列表可达数十万条）"
    )
    page: int
    page_size: int
    pages: int = Field(description="按 count 算出的页数")


def paginate(qs: QuerySet[Any], params: PageQuery, *, count_cap: int | None = None) -> dict[str, Any]:
    """One COUNT and one page of rows (plus the queryset's own prefetches): a bounded number of queries.

    With `count_cap`, counting stops after that many rows: an exact count of hundreds of thousands of
    rows costs more than the page itself.
    """
    if count_cap is None:
        count, capped = qs.count(), False
    else:
        count = qs.order_by()[: count_cap + 1].count()
        count, capped = min(count, count_cap), count > count_cap
    start = (params.page - 1) * params.page_size
    items = list(qs[start:start + params.page_size]) if start < count or capped else []
    return {
        "items": items, "count": count, "count_capped": capped, "page": params.page, "page_size": params.page_size,
        "pages": math.ceil(count / params.page_size) if count else 0,
    }
