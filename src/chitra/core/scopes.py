"""Which rows of a model lie in an area: each model declares how it reaches a commune (and, where
it applies, a provider) with `register_scope`, in its app's `ready()`.

The registry sits in core, below every app, so that any app registers its models and the audit
trail (`chitra.core.audit`) finds the province of any object; who may see what
(`scope_queryset`) is iam's: :mod:`chitra.iam.access`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class ScopeSpec:
    #: lookup path from the model to geo.Commune (e.g. "commune", "beneficiary__commune")
    commune_path: str
    #: lookup path to the provider code a money mover sees; None: money movers see nothing
    provider_path: str | None = None


_SCOPES: dict[type[models.Model], ScopeSpec] = {}


def register_scope(model: type[models.Model], spec: ScopeSpec) -> None:
    _SCOPES[model] = spec


def scope_spec(model: type[models.Model]) -> ScopeSpec:
    try:
        return _SCOPES[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no registered scope") from None
