"""Running ehcp unattended, the way cron does: a bare environment (like `env -i`), no terminal.

Output must be plain (no ANSI escapes, no box drawing), stderr empty on success, and
`overdue --fail-if-any` must exit 3 only when it lists something. `CRONTAB_LINE` is the README's
example, executed here with a stand-in `mail` so the documented line cannot go stale.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ok

VENV_BIN = Path(sys.executable).parent
BOX_OR_ESCAPE = re.compile("[\u2500-\u257f\x1b]")

CRONTAB_LINE = (
    "0 7 * * 1-5 out=$(ehcp overdue --format csv --fail-if-any); rc=$?; "
    "if [ $rc -eq 3 ]; then printf '\\%s\\n' \"$out\" | mail -s \"EHCP: overdue deadlines\" "
    "sen-team@example.gov.uk; elif [ $rc -ne 0 ]; then "
    "echo \"ehcp overdue failed (exit $rc)\" >&2; fi"
)


def cron_env(db: str, home: Path, extra_path: Path | None = None) -> dict[str, str]:
    path = f"{VENV_BIN}:/usr/bin:/bin"
    if extra_path is not None:
        path = f"{extra_path}:{path}"
    return {"PATH": path, "EHCP_DB": db, "HOME": str(home)}


def run_cron(db: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert shutil.which("ehcp", path=str(VENV_BIN)), "the ehcp console script is not installed"
    return subprocess.run(
        ["ehcp", *args], env=cron_env(db, home), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )


@pytest.fixture
def late_caseload(ehcp) -> None:  # type: ignore[no-untyped-def]
    ok(ehcp("case", "open", "Zoë [Bold] Ünal", "--dob", "2015-10-10", "--received", "2026-01-05",
            "--ref", "T1", "--coordinator", "Sam"))
    ok(ehcp("advice", "request", "T1", "health", "--on", "2026-02-16", "--from", "Dr Who"))


def assert_plain(text: str) -> None:
    assert not BOX_OR_ESCAPE.search(text), repr(text)


def test_overdue_table_under_cron_is_plain_and_exits_3(late_caseload, db, tmp_path):
    proc = run_cron(db, tmp_path, "overdue", "--as-of", "2026-05-01", "--fail-if-any")
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr == ""
    assert_plain(proc.stdout)
    assert "Zoë [Bold] Ünal" in proc.stdout  # UTF-8 out even with no locale set, markup literal
    assert "decision-to-assess" in proc.stdout and "issue-decision" in proc.stdout


def test_overdue_csv_under_cron(late_caseload, db, tmp_path):
    proc = run_cron(db, tmp_path, "overdue", "--as-of", "2026-05-01", "--format", "csv",
                    "--fail-if-any")
    assert proc.returncode == 3
    assert proc.stderr == ""
    assert_plain(proc.stdout)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("ref,name,coordinator,stage,rule,")
    assert [line.split(",")[4] for line in lines[1:]] == [
        "decision-to-assess", "advice", "issue-decision"]


def test_nothing_overdue_exits_0(late_caseload, db, tmp_path):
    for fmt in ("table", "csv", "json"):
        proc = run_cron(db, tmp_path, "overdue", "--as-of", "2026-01-06", "--format", fmt,
                        "--fail-if-any")
        assert (proc.returncode, proc.stderr) == (0, ""), fmt
        assert_plain(proc.stdout)
    proc = run_cron(db, tmp_path, "overdue", "--as-of", "2026-05-01")
    assert (proc.returncode, proc.stderr) == (0, "")  # listed, but --fail-if-any not asked


def test_errors_under_cron_are_one_line_on_stderr(db, tmp_path):
    proc = run_cron(db, tmp_path, "overdue", "--as-of", "someday", "--fail-if-any")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1


def test_report_summary_under_cron(late_caseload, db, tmp_path):
    for fmt in ("table", "csv"):
        proc = run_cron(db, tmp_path, "report", "summary", "--as-of", "2026-05-01", "--format", fmt)
        assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
        assert_plain(proc.stdout)
    assert proc.stdout.splitlines() == [
        "coordinator,open_cases,overdue_statutory,overdue_case_law,overdue_with_exception,"
        "due_within_14_days",
        "Sam,1,3,0,0,0",
    ]


def _fake_mail(folder: Path) -> Path:
    """A stand-in for mail(1) that keeps its arguments and message body."""
    folder.mkdir()
    script = folder / "mail"
    script.write_text(
        '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$HOME/mail.args"\ncat > "$HOME/mail.body"\n')
    script.chmod(0o755)
    return folder


def _run_crontab_line(db: str, home: Path, fake_bin: Path) -> subprocess.CompletedProcess[str]:
    command = CRONTAB_LINE.split(" ", 5)[5].replace("\\%", "%")  # what cron hands to /bin/sh
    return subprocess.run(["/bin/sh", "-c", command], env=cron_env(db, home, fake_bin),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                          check=False)


def test_readme_crontab_line_mails_when_something_is_overdue(late_caseload, db, tmp_path):
    proc = _run_crontab_line(db, tmp_path, _fake_mail(tmp_path / "bin"))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert (tmp_path / "mail.args").read_text().splitlines() == [
        "-s", "EHCP: overdue deadlines", "sen-team@example.gov.uk"]
    body = (tmp_path / "mail.body").read_text(encoding="utf-8").splitlines()
    assert body[0].startswith("ref,name,coordinator,")
    assert len(body) > 1 and all(line.startswith("T1,") for line in body[1:])


def test_readme_crontab_line_sends_nothing_when_nothing_is_overdue(db, tmp_path):
    proc = _run_crontab_line(db, tmp_path, _fake_mail(tmp_path / "bin"))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert not (tmp_path / "mail.args").exists()


def test_readme_crontab_line_reports_a_failure_to_cron(tmp_path):
    proc = _run_crontab_line(str(tmp_path), tmp_path, _fake_mail(tmp_path / "bin"))  # a folder
    assert "ehcp overdue failed (exit 2)" in proc.stderr
    assert not (tmp_path / "mail.args").exists()
