"""The built wheel works on its own: installed into a fresh virtualenv (no access to the
checkout or the development environment), it migrates a new database and opens a case.

This catches packages or data files missing from the wheel (the migrations, the rule modules)
that an editable install would hide.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, timeout=900
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `bin` folder of a fresh virtualenv with the freshly built wheel installed."""
    pytest.importorskip("build", reason="the `build` package (test extra) builds the wheel")
    base = tmp_path_factory.mktemp("wheel")
    # Build from a copy so no build/ or egg-info left in the checkout can leak stale files in.
    source = base / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".git", "*.db*"
        ),
    )
    dist = base / "dist"
    run(sys.executable, "-m", "build", "--wheel", "--outdir", dist, source, cwd=base)
    wheels = list(dist.glob("ehcp-*.whl"))
    assert len(wheels) == 1, wheels
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheels[0], cwd=base)
    return bin_dir


def test_every_package_of_the_source_tree_is_in_the_wheel(installed):
    site = next((installed.parent / "lib").glob("python*/site-packages"))
    in_source = {
        p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "ehcp_cli").rglob("__init__.py")
    }
    in_wheel = {
        p.parent.relative_to(site).as_posix() for p in (site / "ehcp_cli").rglob("__init__.py")
    }
    assert in_source - in_wheel == set()
    assert (site / "ehcp_cli" / "migrations" / "versions").is_dir()


def clean_env(tmp: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("EHCP_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "xdg"), NO_COLOR="1", EHCP_USER="wheel-test"
    )
    return env


def test_wheel_migrates_and_opens_a_case_outside_the_checkout(installed, tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = clean_env(tmp_path)
    db = work / "new.db"
    ehcp = installed / "ehcp"
    # The installed package, not the checkout, is what runs.
    where = run(
        installed / "python", "-c", "import ehcp_cli; print(ehcp_cli.__file__)", cwd=work, env=env
    )
    assert not Path(where.strip()).is_relative_to(ROOT)

    out = run(ehcp, "--db", db, "db", "upgrade", cwd=work, env=env)
    assert db.exists()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600, oct(db.stat().st_mode)
    assert "error" not in out.lower()

    ref = run(
        ehcp,
        "--db",
        db,
        "case",
        "open",
        "Wheel Child",
        "--dob",
        "2015-10-10",
        "--received",
        "2026-01-05",
        "--ref",
        "W1",
        cwd=work,
        env=env,
    )
    assert ref.strip() == "W1"
    import json

    doc = json.loads(
        run(
            ehcp,
            "--db",
            db,
            "case",
            "show",
            "W1",
            "--as-of",
            "2026-05-26",
            "--format",
            "json",
            cwd=work,
            env=env,
        )
    )
    assert {d["rule"]: d["status"] for d in doc["deadlines"]}["final-plan"] == "overdue"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600

    # A database created by first use (not by `db upgrade`) is private too.
    fresh = work / "first-use.db"
    run(ehcp, "--db", fresh, "case", "list", cwd=work, env=env)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600

    run(installed / "python", "-m", "ehcp_cli", "--version", cwd=work, env=env)
