"""Messages assembled from a G2P Connect spec's own examples.

The specs give examples per element (`example:` in their schemas), seldom whole messages.
`Examples(spec).of(name)` builds an instance of a schema from them: every property, one item per
array, the first choice of a oneOf/anyOf, the first value of an enum. An element the spec gives
no example for takes its value from `fill` (by property name), else an empty value of its type,
as a sender may leave free text empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[1] / "data" / "g2p"
#: values for elements the specs give no usable example of
FILL: dict[str, Any] = {
    "timestamp": "2026-12-05T09:00:00+07:00",
    "message_ts": "2026-12-05T09:00:00+07:00",
    "scheduled_timestamp": "2026-12-05T09:00:00+07:00",
    "version": "1.0.0",
    "amount": "6120000.00",  # the pattern of Amount: ^\d{1,13}\.\d{1,2}$
}


class Examples:
    def __init__(self, spec_file: str, fill: dict[str, Any] | None = None) -> None:
        self.spec = yaml.safe_load((DATA / spec_file).read_text(encoding="utf-8"))
        self.fill = {**FILL, **(fill or {})}

    def _resolve(self, s: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in s:
            node: Any = self.spec
            for part in s["$ref"].lstrip("#/").split("/"):
                node = node[part]
            s = node.get("schema", node) if "in" in node else node  # a parameter's schema
        return s

    def of(self, name: str) -> Any:
        return self._instance(self.spec["components"]["schemas"][name], "", 0)

    def _instance(self, schema: dict[str, Any], name: str, depth: int) -> Any:
        s = self._resolve(schema)
        example = s.get("example")
        if example not in (None, "") and not (isinstance(example, dict) and "$ref" in example):
            return example
        if name in self.fill:
            return self.fill[name]
        if depth > 15:
            return {}
        if "allOf" in s:
            out: dict[str, Any] = {}
            for part in s["allOf"]:
                value = self._instance(part, "", depth + 1)
                if isinstance(value, dict):
                    out.update(value)
            return out
        for key in ("oneOf", "anyOf"):
            if key in s:
                return self._instance(s[key][0], name, depth + 1)
        if "enum" in s:
            return s["enum"][0]
        kind = s.get("type")
        if kind == "array":
            return [self._instance(s.get("items", {}), "", depth + 1)]
        if kind == "object" or "properties" in s:
            props = s.get("properties", {})
            return {k: self._instance(v, k, depth + 1) for k, v in props.items()}
        return {"string": "", "integer": 0, "number": 0, "boolean": False}.get(str(kind), {})
