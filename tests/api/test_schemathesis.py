"""Property-based run over the OpenAPI schema against the live app: no 5xx, no response that breaks the schema.

Every operation gets a few valid (positive) and a few invalid (negative) requests from schemathesis,
sent over HTTP to pytest-django's live server with a write token. Bounded so the run takes well under a
minute. The schemathesis pytest
plugin is not used (it does not run under pytest 9): each mode is one plain test over all operations.
"""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from rectify.api.main import api  # noqa: E402
from tests.api.conftest import issue  # noqa: E402
from tests.factories import make_task, submitted_task  # noqa: E402

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = {
    GenerationMode.POSITIVE: [not_a_server_error, status_code_conformance, content_type_conformance,
                              response_schema_conformance],
    GenerationMode.NEGATIVE: [not_a_server_error, status_code_conformance, content_type_conformance,
                              response_schema_conformance, negative_data_rejection],
}
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}


@pytest.fixture
def write_token(live_server: Any, world: Any) -> str:
    # Some data to find: the generated ids are often small, so they hit these objects.
    unit = world.units[0]
    make_task(unit)
    submitted_task(unit)
    return issue(unit.office_staff, scope="write")


@pytest.mark.parametrize("mode", list(EXAMPLES), ids=str)
def test_every_operation_honours_its_schema(mode: GenerationMode, live_server: Any, write_token: str) -> None:
    # One test per mode over all operations: the live-server database is set up once, not 32 times.
    headers = {"Authorization": f"Bearer {write_token}"}
    failures: list[str] = []
    for operation in OPERATIONS:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES[mode], deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck), print_blob=False)
        def check(case: Any) -> None:
            case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS[mode])

        try:
            check()
        except Exception as exc:  # noqa: BLE001 - every operation's failure is reported together
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
