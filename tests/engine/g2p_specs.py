"""The vendored G2P Connect registry and mapper specs (tests/data/g2p) as jsonschema
validators, with the spec defects the conformance pages list worked around here."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import jsonschema
import yaml

DATA = Path(__file__).resolve().parents[1] / "data" / "g2p"
FILES = {"registry": "registry_core_api_v1.0.0.yaml", "mapper": "mapper_core_api_v1.0.0.yaml"}


@functools.cache
def spec(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA / FILES[name]).read_text(encoding="utf-8"))


def _any_of(schema: dict[str, Any]) -> None:
    if "oneOf" in schema:
        schema["anyOf"] = schema.pop("oneOf")


@functools.cache
def _components(name: str) -> dict[str, Any]:
    components = copy.deepcopy(spec(name)["components"])
    schemas = components["schemas"]
    # attribute_value: oneOf several plain strings, no value matches exactly one: anyOf
    _any_of(
        schemas["TxnStatusRequest"]["properties"]["txnstatus_request"]["properties"][
            "attribute_value"
        ]
    )
    if name == "registry":
        # RegistryQueries: oneOf NamedQuery / IdTypeQuery / PredicateQuery, and NamedQuery and
        # IdTypeQuery are open objects, so an IdTypeQuery matches both: anyOf
        _any_of(schemas["RegistryQueries"])
        # PredicateWithCondition.condition is typed a Predicate but names an ExpCondition
        # SubscriptionInfo requires subscription_code and subscribe_criteria, its properties are
        # code and the criteria's own fields
        schemas["SubscriptionInfo"]["required"] = ["code", "timestamp"]
        schemas["PredicateWithCondition"]["properties"]["condition"] = {
            "$ref": "#/components/schemas/ExpCondition"
        }
    return components


def validate(name: str, schema: dict[str, Any], instance: Any) -> None:
    root = {**schema, "components": _components(name)}
    jsonschema.Draft7Validator(root).validate(instance)


def validate_component(name: str, component: str, instance: Any) -> None:
    validate(name, {"$ref": f"#/components/schemas/{component}"}, instance)


def request_body(name: str, path: str) -> dict[str, Any]:
    body = copy.deepcopy(
        spec(name)["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    )
    _any_of(body["properties"]["message"])  # SearchRequest / EncryptedMessage: both open objects
    return body


def enum(name: str, component: str) -> list[str]:
    return list(spec(name)["components"]["schemas"][component]["enum"])
