"""Serving an evidence file: one response for the web page and the API."""

from __future__ import annotations

from django.http import FileResponse

from rectify.ledger.models import Evidence


def evidence_response(evidence: Evidence) -> FileResponse:
    """The file as an attachment that a browser may not sniff, run or cache; FileNotFoundError if it is gone."""
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were told to show it, the file may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
