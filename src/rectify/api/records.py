"""Scoped reads shared by the record routers (leads, rules, outcomes): the ledger's selector."""

from __future__ import annotations

from rectify.ledger.selectors import records_visible_to

__all__ = ["records_visible_to"]
