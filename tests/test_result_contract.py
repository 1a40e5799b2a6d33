"""The one result contract: every result type has a JSON Schema, and validate has a report."""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable
from pathlib import Path

import corridors.results as results_pkg
from conftest import run_cli
from corridors.analyses.validation import validate_folder
from corridors.results.base import Result

RESULT_TYPES = [
    "Route",
    "FlowResult",
    "Assignment",
    "Comparison",
    "Calibration",
    "ValidationReport",
    "Criticality",
    "TimeDistribution",
]


def all_result_types() -> dict[str, type[Result]]:
    found: dict[str, type[Result]] = {}
    for mod in pkgutil.iter_modules(results_pkg.__path__):
        module = importlib.import_module(f"corridors.results.{mod.name}")
        for name, obj in vars(module).items():
            if isinstance(obj, type) and issubclass(obj, Result) and obj is not Result:
                found[name] = obj
    return found


def test_every_result_type_is_a_result_with_a_json_schema() -> None:
    types = all_result_types()
    missing = [name for name in RESULT_TYPES if name not in types]
    assert not missing, f"not Result models: {missing}"
    for name, cls in types.items():
        schema = cls.json_schema()
        assert schema.get("type") == "object" or "properties" in schema, name
        json.dumps(schema)  # serialisable as it stands


def test_validation_report_of_the_default_dataset() -> None:
    r = validate_folder()
    assert r.valid
    assert r.problems_total == 0
    assert r.counts["links"] > 400
    assert r.lengths is not None
    assert 0 < r.lengths.share < 1


def test_validation_report_names_file_row_column_and_value(
    tiny_copy: Callable[[], Path],
) -> None:
    folder = tiny_copy()
    links = folder / "links.csv"
    lines = links.read_text().splitlines()
    head = lines[0].split(",")
    cells = lines[1].split(",")
    cells[head.index("length_km")] = "-5"
    lines[1] = ",".join(cells)
    links.write_text("\n".join(lines) + "\n")
    r = validate_folder(folder)
    assert not r.valid
    assert r.problems_total >= 1
    bad = [p for p in r.problems if p.column == "length_km"]
    assert bad
    assert (bad[0].file, bad[0].row, bad[0].value) == ("links.csv", 2, "-5")
    assert r.counts == {}
    assert r.lengths is None


def test_validate_json_on_the_command_line(tiny_copy: Callable[[], Path]) -> None:
    ok = run_cli("data", "validate", "--json")
    assert ok.returncode == 0, ok.stderr
    report = json.loads(ok.stdout)
    assert report["valid"] is True
    assert report["lengths"]["land"] > 0
    folder = tiny_copy()
    (folder / "nodes.csv").write_text("id,name\n")
    bad = run_cli("data", "validate", str(folder), "--json")
    assert bad.returncode == 1
    report = json.loads(bad.stdout)
    assert report["valid"] is False
    assert report["problems_total"] == len(report["problems"]) > 0
