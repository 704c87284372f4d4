"""Property-based fuzzing of the API against its own OpenAPI spec: no 5xx, every response as specified.

A request the schema allows may still hold source that is not a model (an empty string, ``x = (``): the API
answers 400 with the reason, so the "schema-valid data is accepted" check does not apply. A request the
schema refuses may be refused for its size before it is read: 413 is a rejection too. Every other check
runs as schemathesis ships it (no server error, status codes, content type and body as the spec says).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.config import SchemathesisConfig

from nncalc.web.app import create_app

CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": [400, 413, 422]}}}
)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(), config=CONFIG)


@schema.parametrize()
@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_spec(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
