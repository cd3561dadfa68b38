"""The Taskwarrior peer: the same caseload as 25,000 pending tasks with due dates.

Every deadline ehcp lists as overdue becomes a task, and open deadlines not yet due fill the rest,
with due dates shifted by (today - reference date) because `task overdue` always judges against
the clock: both tools list the same items. Taskwarrior runs on a throwaway TASKDATA/TASKRC.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from datetime import date
from pathlib import Path


def find() -> str | None:
    """The `task` binary, or None (install it with `apt-get install -y taskwarrior`)."""
    return shutil.which("task")


def environment(folder: Path) -> dict[str, str]:
    """TASKRC/TASKDATA pointing into `folder`, nothing from the user's own setup."""
    data = folder / "taskdata"
    rc = folder / "taskrc"
    return {"TASKDATA": str(data), "TASKRC": str(rc)}


def tasks_from_db(db_path: Path, reference: date, today: date, count: int) -> list[dict[str, str]]:
    """`count` tasks: every overdue deadline first (so the overdue lists match), then open ones."""
    shift = today - reference
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        found = connection.execute(
            "SELECT c.ref, c.name, c.coordinator, d.rule, d.due FROM deadlines d "
            "JOIN cases c ON c.id = d.case_id "
            "WHERE d.met_on IS NULL AND d.lapsed_on IS NULL "
            "AND d.kind IN ('statutory', 'case-law') "
            "AND d.trigger <= :ref ORDER BY d.due >= :ref, d.case_id, d.due LIMIT :count",
            {"ref": reference.isoformat(), "count": count},
        ).fetchall()
    finally:
        connection.close()
    tasks = []
    for ref, name, coordinator, rule, due in found:
        when = date.fromisoformat(due) + shift
        tasks.append({
            "description": f"{ref} {name}: {rule}",
            "project": (coordinator or "none").replace(" ", "_"),
            "status": "pending",
            "entry": f"{reference:%Y%m%d}T090000Z",
            "due": f"{when:%Y%m%d}T000000Z",
        })
    return tasks


def prepare(folder: Path, db_path: Path, reference: date, today: date, count: int) -> int:
    """Import the tasks (once; cached in `folder`); returns how many are pending."""
    task = find()
    assert task is not None
    env = environment(folder)
    marker = folder / "imported.json"
    stamp = {"today": today.isoformat(), "db": db_path.stat().st_mtime_ns, "count": count}
    if marker.exists() and json.loads(marker.read_text()).get("stamp") == stamp:
        return int(json.loads(marker.read_text())["pending"])
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "taskdata").mkdir(parents=True)
    Path(env["TASKRC"]).write_text("confirmation=off\nnews.version=2.6.0\n")
    tasks = tasks_from_db(db_path, reference, today, count)
    source = folder / "tasks.json"
    source.write_text(json.dumps(tasks))
    subprocess.run([task, "rc.confirmation=off", "import", str(source)], env=_env(env),
                   check=True, capture_output=True)
    marker.write_text(json.dumps({"stamp": stamp, "pending": len(tasks)}))
    return len(tasks)


def _env(extra: dict[str, str]) -> dict[str, str]:
    import os

    return {**os.environ, **extra}


def overdue_command(folder: Path) -> tuple[list[str], dict[str, str]]:
    task = find()
    assert task is not None
    return [task, "rc.confirmation=off", "overdue"], _env(environment(folder))
