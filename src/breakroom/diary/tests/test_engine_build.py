"""The rules engine under test is the build the environment asked for.

`make` compiles rules.py with mypyc; BREAKROOM_PURE_ENGINE=1 asks for the pure-Python
source instead (tools/run_tests.py runs the engine's tests once that way).
"""

import sys
from pathlib import Path

import pytest

import breakroom.diary.rules  # noqa: F401 - imported the way every other module does
from breakroom.diary import engine_build


@pytest.mark.parametrize("name", engine_build.SOURCES)
def test_the_engine_module_comes_from_the_file_the_environment_asked_for(name: str) -> None:
    """The compiled module where it exists, unless the pure-Python source was asked for;
    the source for a module that is not compiled (a leftover extension module is not)."""
    module = sys.modules[name]
    compiled = engine_build.compiled_path(name)
    if name in engine_build.MODULES and compiled.exists() and not engine_build.pure_requested():
        expected = compiled
    else:
        expected = engine_build.source_path(name)
    assert Path(str(module.__file__)).resolve() == expected, engine_build.describe(module)


def test_no_compiled_module_is_older_than_the_source() -> None:
    """A stale compiled build would hide edits to rules.py or text.py: run `make engine`.
    (Checked in the pure-Python leg too: the next leg imports them.)"""
    stale = [path.name for path in engine_build.stale_compiled_files()]
    assert not stale, f"compiled before the last edit of the engine, run `make engine`: {stale}"
