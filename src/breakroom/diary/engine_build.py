"""Which build of the diary rules engine runs: compiled by mypyc, or the pure-Python source.

`make` compiles `rules.py` and `text.py` with mypyc (tools/compile_engine.py). Each
extension module sits beside its .py file (mypyc's shared library one level up, in src/), and Python
imports an extension module before a .py file of the same name. Where compiling failed
there is none, and the .py file runs.

BREAKROOM_PURE_ENGINE=1 asks for the .py files even where the compiled modules exist:
`use_pure_source()` then loads them before anything imports the engine. The test run
does this once (tools/run_tests.py, through src/breakroom/conftest.py), and so does
`bench/diary.py --pure`.

Plain Python, like the engine: no Django.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import sysconfig
from pathlib import Path
from types import ModuleType

PURE_VARIABLE = "BREAKROOM_PURE_ENGINE"
# The modules mypyc compiles: the engine and the sentences it builds (a finding makes
# several Text objects, which as Python classes cost as much as the rest of the check).
MODULES = ("breakroom.diary.text", "breakroom.diary.rules")
# What they are compiled from, in import order: mypyc compiles `rules` against the types
# in `text`, and `rules` imports `text`.
SOURCES = ("breakroom.diary.text", "breakroom.diary.rules")
# mypyc's shared library for the compiled modules: src/breakroom_diary__mypyc.<suffix>.
GROUP = "breakroom_diary"

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1]
SUFFIX = str(sysconfig.get_config_var("EXT_SUFFIX"))


def _short(name: str) -> str:
    return name.rpartition(".")[2]


def source_path(name: str) -> Path:
    """The .py file of engine module `name` (e.g. "breakroom.diary.rules")."""
    return HERE / f"{_short(name)}.py"


def compiled_path(name: str) -> Path:
    """Where mypyc puts the extension module for engine module `name`."""
    return HERE / f"{_short(name)}{SUFFIX}"


def compiled_files() -> list[Path]:
    """Every file a compiled build consists of: one per module, and the shared library."""
    return [*(compiled_path(name) for name in MODULES), SRC / f"{GROUP}__mypyc{SUFFIX}"]


def stale_compiled_files() -> list[Path]:
    """Compiled files older than a source they were made from: they would hide its edits."""
    newest_source = max(source_path(name).stat().st_mtime for name in SOURCES)
    return [
        path for path in compiled_files() if path.exists() and path.stat().st_mtime < newest_source
    ]


def pure_requested() -> bool:
    return os.environ.get(PURE_VARIABLE, "") not in ("", "0")


def is_compiled(module: ModuleType) -> bool:
    return not str(module.__file__).endswith(".py")


def use_pure_source() -> None:
    """Import the engine (every module in SOURCES) from its .py files, whatever is
    compiled beside them.

    Must run before anything imports the engine: a compiled module already imported
    cannot be swapped (the other modules hold its classes), so that is an error.
    """
    package = sys.modules["breakroom.diary"]
    for name in SOURCES:
        loaded = sys.modules.get(name)
        if loaded is not None:
            if is_compiled(loaded):
                raise RuntimeError(
                    f"{name} was imported from {loaded.__file__} before the pure-Python "
                    f"source could be loaded ({PURE_VARIABLE} is set)"
                )
            continue
        spec = importlib.util.spec_from_file_location(name, source_path(name))
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {source_path(name)}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        setattr(package, _short(name), module)


def describe(module: ModuleType) -> str:
    """One line: which build `module` is, and the file it came from."""
    kind = "compiled extension (mypyc)" if is_compiled(module) else "pure Python"
    return f"{kind}: {module.__file__}"
