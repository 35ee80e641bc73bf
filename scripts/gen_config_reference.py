"""Generate the configuration reference of ``docs/operations.md`` from the services' settings classes.

The settings classes are the only source of truth: the guide's section between the two markers
below is rewritten from them, and ``tests/deploy`` fails when the committed guide differs.

    python scripts/gen_config_reference.py           # rewrite the section in docs/operations.md
    python scripts/gen_config_reference.py --check   # exit 1 if the guide is out of date
"""

from __future__ import annotations

import argparse
import importlib
import sys
import types
import typing
from importlib.metadata import entry_points
from pathlib import Path

from pydantic import SecretStr
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

from dgplan_shared.registry import installed_services
from dgplan_shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "operations.md"
BEGIN = "<!-- BEGIN GENERATED: configuration reference (scripts/gen_config_reference.py) -->"
END = "<!-- END GENERATED: configuration reference -->"


def settings_types() -> dict[str, type[ServiceSettings]]:
    """Every installed service's settings class: ``<package>.settings.Settings`` of each package
    registered in the ``dgplan.services`` entry-point group (the settings module alone is imported,
    and listed in the services' declared start order)."""
    found = {}
    for ep in entry_points(group="dgplan.services"):
        module = importlib.import_module(ep.module.split(".")[0] + ".settings")
        found[ep.name] = module.Settings
    return {name: found[name] for name in installed_services() if name in found}


def env_prefix(settings_type: type[BaseSettings]) -> str:
    return str(settings_type.model_config.get("env_prefix", "")).upper()


def env_name(settings_type: type[BaseSettings], field_name: str, field: FieldInfo) -> str:
    # pydantic-settings reads a plain string alias verbatim; otherwise prefix + field name.
    if isinstance(field.validation_alias, str):
        return field.validation_alias.upper()
    return (env_prefix(settings_type) + field_name).upper()


def env_names(settings_type: type[BaseSettings]) -> dict[str, str]:
    """Environment variable -> field name, for every setting the class reads."""
    return {env_name(settings_type, n, f): n for n, f in settings_type.model_fields.items()}


def is_secret(field: FieldInfo) -> bool:
    return _mentions(field.annotation, SecretStr)


def _mentions(annotation: object, target: type) -> bool:
    if annotation is target:
        return True
    return any(_mentions(arg, target) for arg in typing.get_args(annotation))


def describe_type(annotation: object) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner = " \\| ".join(describe_type(a) for a in args)
        return f"{inner} (optional)" if len(args) < len(typing.get_args(annotation)) else inner
    if annotation is SecretStr:
        return "secret"
    names = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if isinstance(annotation, type):
        return names.get(annotation, annotation.__name__)
    return str(annotation).replace("typing.", "")


def describe_default(field: FieldInfo) -> str:
    if is_secret(field):
        return "a dev-only value: **always set it** (from a Secret)"
    if field.is_required():
        return "**required**"
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value == "":
        return "empty"
    return f"`{value}`"


def description(settings_type: type[BaseSettings], field_name: str, field: FieldInfo) -> str:
    # A subclass that only changes a default loses the description: take the base class's.
    text = field.description
    if not text:
        for base in settings_type.__mro__[1:]:
            inherited = getattr(base, "model_fields", {}).get(field_name)
            if inherited is not None and inherited.description:
                text = inherited.description
                break
    return " ".join((text or "").split()).replace("|", "\\|")


def _rows(settings_type: type[BaseSettings], names: list[str], prefix_placeholder: bool) -> list[str]:
    rows = ["| variable | type | default | what it does |", "|---|---|---|---|"]
    for name in names:
        field = settings_type.model_fields[name]
        var = env_name(settings_type, name, field)
        if prefix_placeholder:
            var = "`<PREFIX>" + var[len(env_prefix(settings_type)):] + "`"
        else:
            var = f"`{var}`"
        text = description(settings_type, name, field) or "*(undocumented)*"
        rows.append(f"| {var} | {describe_type(field.annotation)} | {describe_default(field)} | {text} |")
    return rows


def render() -> str:
    services = settings_types()
    base_fields = ServiceSettings.model_fields
    lines = [
        BEGIN,
        "",
        "Generated from the settings classes; do not edit by hand "
        "(`python scripts/gen_config_reference.py` rewrites it, and a test fails when it is stale).",
        "",
        "Each service reads its own variables, named with its prefix and the setting's name in capitals:",
        "",
        "| service | prefix |",
        "|---|---|",
        *(f"| `{name}` | `{env_prefix(st)}` |" for name, st in services.items()),
        "",
        "### Settings of every service",
        "",
        "Replace `<PREFIX>` with the service's prefix (e.g. `PLAN_REGISTRY_DATABASE_URL`).",
        "",
        *_rows(ServiceSettings, list(base_fields), prefix_placeholder=True),
    ]
    for name, st in services.items():
        own = [
            n
            for n, f in st.model_fields.items()
            if n not in base_fields or describe_default(f) != describe_default(base_fields[n])
        ]
        lines += ["", f"### `{name}` (`{env_prefix(st)}`)", ""]
        if own:
            lines += ["Its own settings, and the common ones whose default differs:", ""]
            lines += _rows(st, own, prefix_placeholder=False)
        else:
            lines.append("Only the settings of every service.")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def splice(guide: str, section: str) -> str:
    start, end = guide.index(BEGIN), guide.index(END) + len(END) + 1
    return guide[:start] + section + guide[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if docs/operations.md is out of date")
    args = parser.parse_args(argv)
    current = GUIDE.read_text(encoding="utf-8")
    wanted = splice(current, render())
    if args.check:
        if wanted != current:
            print(f"{GUIDE.relative_to(ROOT)} is out of date: run python scripts/gen_config_reference.py")
            return 1
        return 0
    GUIDE.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
