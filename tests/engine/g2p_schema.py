"""The vendored G2P Connect disburse schemas (tests/data/g2p) as jsonschema validators."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SPEC = Path(__file__).resolve().parents[1] / "data" / "g2p" / "disburse_core_api_v1.0.0.yaml"


@functools.cache
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


@functools.cache
def _components() -> dict[str, Any]:
    components = copy.deepcopy(spec()["components"])
    # the spec's typo: DisburseRequest requires "disburemsents"; the property is "disbursements"
    req = components["schemas"]["DisburseRequest"]["required"]
    components["schemas"]["DisburseRequest"]["required"] = [
        "disbursements" if r == "disburemsents" else r for r in req
    ]
    # attribute_value is oneOf TransactionId / ReferenceIdList / CorrelationId: two of them are
    # plain strings, so no string can match exactly one; read as anyOf
    value = components["schemas"]["TxnStatusRequest"]["properties"]["txnstatus_request"]
    attr = value["properties"]["attribute_value"]
    attr["anyOf"] = attr.pop("oneOf")
    return components


def validate(schema: dict[str, Any], instance: Any) -> None:
    """Validate against a schema whose $refs point into the spec's components."""
    root = {**schema, "components": _components()}
    jsonschema.Draft7Validator(root).validate(instance)


def validate_component(name: str, instance: Any) -> None:
    validate({"$ref": f"#/components/schemas/{name}"}, instance)


def request_body(path: str) -> dict[str, Any]:
    return spec()["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]


def ack_schema() -> dict[str, Any]:
    return _components()["responses"]["Response"]["content"]["application/json"]["schema"]
