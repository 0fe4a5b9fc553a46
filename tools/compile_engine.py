"""Compile the diary rules engine (rules.py and text.py) with mypyc, in place.

    .venv/bin/python tools/compile_engine.py

`make` runs this when src/breakroom/diary/rules.py or text.py changed, or a compiled
file is missing (src/breakroom/diary/engine_build.py says which modules are compiled and
where the files go). The C code, objects and log go to build/diary-engine/.

The old compiled files are deleted first, so a build that fails never leaves one that
hides the edited source. If compiling fails (no C compiler, a type error mypyc rejects,
a compiler error) this prints one line saying so and exits 0: Python then imports the
pure-Python source. A failure is remembered for the same sources and compiler settings,
so `make` does not retry it on every run; deleting build/diary-engine/ retries.
"""

import hashlib
import importlib.metadata
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

from breakroom.diary.engine_build import (
    GROUP,
    MODULES,
    SOURCES,
    SUFFIX,
    compiled_files,
    compiled_path,
    source_path,
)

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "diary-engine"
LOG = BUILD / "build.log"
FAILED = BUILD / "failed"
FALLBACK = "the diary rules engine runs as pure Python"


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def fingerprint() -> str:
    """What a build depends on: the sources, the interpreter, mypy and the C compiler."""
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update(source_path(name).read_bytes())
    digest.update(sys.version.encode())
    digest.update(importlib.metadata.version("mypy").encode())
    for variable in ("CC", "CFLAGS", "LDSHARED", "PATH"):
        digest.update(f"{variable}={os.environ.get(variable)}\n".encode())
    return digest.hexdigest()


def remove_compiled() -> None:
    """Delete the compiled files, and any extension module left beside a source that is
    no longer compiled: it would be imported instead of the source."""
    for path in {*compiled_files(), *(compiled_path(name) for name in SOURCES)}:
        path.unlink(missing_ok=True)


def compiler_problem() -> str | None:
    """None if the C compiler Python was built with is on PATH, else what is missing."""
    command = shlex.split(os.environ.get("CC") or str(sysconfig.get_config_var("CC") or "cc"))
    if not command or shutil.which(command[0]) is None:
        return f"no C compiler ({command[0] if command else 'CC is empty'} not found)"
    return None


def build() -> None:
    """The build itself (run in a child process, its output in the log)."""
    from mypyc.build import mypycify
    from setuptools import setup

    # mypy would otherwise read pyproject.toml and start the Django plugin. The engine
    # needs no plugin; `make lint` checks it strictly in any case.
    config = BUILD / "mypy.ini"
    config.write_text("[mypy]\n")
    os.chdir(ROOT)
    sources = [str(source_path(name).relative_to(ROOT)) for name in SOURCES]
    compiled = [str(source_path(name).relative_to(ROOT)) for name in MODULES]
    cache = str((BUILD / "mypy-cache").relative_to(ROOT))
    setup(
        name="breakroom-diary-engine",
        package_dir={"": "src"},
        ext_modules=mypycify(
            ["--config-file", str(config), "--cache-dir", cache, *sources],
            only_compile_paths=compiled,
            target_dir=str((BUILD / "c").relative_to(ROOT)),
            group_name=GROUP,
        ),
        script_args=[
            "--quiet",
            "build_ext",
            "--inplace",
            "--build-temp",
            str(BUILD / "temp"),
            "--build-lib",
            str(BUILD / "lib"),
        ],
    )


def loads_compiled() -> bool:
    """Whether a fresh interpreter imports the compiled modules."""
    check = (
        f"import importlib; modules = [importlib.import_module(n) for n in {MODULES!r}]; "
        f"raise SystemExit(not all(m.__file__.endswith({SUFFIX!r}) for m in modules))"
    )
    with LOG.open("a") as log:
        code = subprocess.call(  # noqa: S603
            [sys.executable, "-c", check], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
    return code == 0


def fall_back(reason: str, sources: str, detail: bool = True) -> int:
    remove_compiled()
    FAILED.write_text(sources)
    if detail and LOG.exists():
        tail = LOG.read_text(errors="replace").strip().splitlines()[-12:]
        print("\n".join(f"  | {line}" for line in tail))
    print(f"mypyc: {reason}; {FALLBACK} (log: {relative(LOG)}).")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--build"]:
        build()
        return 0
    remove_compiled()
    BUILD.mkdir(parents=True, exist_ok=True)
    # Taken before the sources are read: an edit made while mypyc runs is newer than the
    # compiled files, so `make` and the tests see them as stale.
    begun = time.time()
    sources = fingerprint()
    if FAILED.exists() and FAILED.read_text() == sources:
        print(
            f"mypyc: compiling these sources failed before; {FALLBACK} "
            f"(log: {relative(LOG)}; delete {relative(BUILD)}/ to try again)."
        )
        return 0
    FAILED.unlink(missing_ok=True)
    problem = compiler_problem()
    if problem is not None:
        LOG.write_text(problem + "\n")
        return fall_back(problem, sources, detail=False)
    print(f"mypyc: compiling {', '.join(MODULES)} (log: {relative(LOG)})", flush=True)
    started = time.monotonic()
    with LOG.open("w") as log:
        code = subprocess.call(  # noqa: S603
            [sys.executable, __file__, "--build"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
    if code != 0:
        return fall_back("compiling failed", sources)
    missing = [relative(path) for path in compiled_files() if not path.exists()]
    if missing:
        return fall_back(f"the build made no {', '.join(missing)}", sources)
    if not loads_compiled():
        return fall_back("the compiled modules do not import", sources)
    # Dated when the build began (setuptools would keep an unchanged object's old date).
    for path in compiled_files():
        os.utime(path, (begun, begun))
    built = ", ".join(relative(path) for path in compiled_files())
    print(f"mypyc: compiled in {time.monotonic() - started:.0f} s: {built}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
