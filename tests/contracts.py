"""Import-linter contract types of our own (registered in pyproject.toml [tool.importlinter] contract_types).

lint-imports runs from the repository root and puts it on sys.path, so this module is importable
as ``tests.contracts`` without being part of the installed packages.
"""

from __future__ import annotations

import sys

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class AllowedImportsContract(Contract):
    """The source packages import nothing but the allowed modules (and, if so configured, the standard library).

    An allow-list, not a deny-list: a new third-party package imported by a source module breaks it
    without anyone having to think of forbidding that package first. Only direct imports are checked,
    which is enough: whatever an allowed module imports is that module's business.

    Options:
        - source_modules: the packages whose imports are checked (with their subpackages).
        - allowed_modules: the packages they may import (with their subpackages), besides themselves.
        - allow_standard_library: "true" to allow every module of sys.stdlib_module_names too.
    """

    type_name = "allowed"

    source_modules = fields.ListField(subfield=fields.StringField())
    allowed_modules = fields.ListField(subfield=fields.StringField())
    allow_standard_library = fields.BooleanField(required=False, default=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        sources: list[str] = list(self.source_modules)  # type: ignore[call-overload]
        allowed = [*sources, *self.allowed_modules]  # type: ignore[misc]
        stdlib = sys.stdlib_module_names if self.allow_standard_library else frozenset()
        violations: list[dict[str, object]] = []
        for source in sources:
            if source not in graph.modules:
                raise ValueError(f"Module '{source}' does not exist.")
            for importer in sorted({source} | graph.find_descendants(source)):
                output.verbose_print(verbose, f"Checking the imports of {importer}...")
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    if imported.split(".")[0] in stdlib or any(_is_within(imported, a) for a in allowed):
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    violations.append({
                        "importer": importer,
                        "imported": imported,
                        "line_numbers": tuple(detail["line_number"] for detail in details),
                    })
        return ContractCheck(kept=not violations, warnings=[], metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        allowed = ", ".join(self.allowed_modules)  # type: ignore[arg-type]
        if self.allow_standard_library:
            allowed += " and the standard library"
        output.print_error(f"Only {allowed} may be imported:", bold=True)
        output.new_line()
        for violation in check.metadata["violations"]:
            lines = ", ".join(f"l.{number}" for number in violation["line_numbers"]) or "l.?"
            output.print_error(f"-   {violation['importer']} -> {violation['imported']} ({lines})", bold=False)
        output.new_line()
