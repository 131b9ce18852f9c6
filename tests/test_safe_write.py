"""health_lint.safe_write: files are replaced whole or not at all, keep their
permissions, and are not replaced when they changed meanwhile."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from health_lint.safe_write import ChangedMeanwhile, write_file

from .conftest import FRONT, run_cli


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_replaces_content_and_keeps_permissions(tmp_path):
    target = tmp_path / "a.md"
    target.write_bytes(b"old\r\n")
    target.chmod(0o640)
    write_file(target, b"new\r\ntext\r")
    assert target.read_bytes() == b"new\r\ntext\r"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_new_file_gets_the_umask_mode_not_the_temporary_files_0600(tmp_path):
    old = os.umask(0o027)
    try:
        write_file(tmp_path / "report.json", "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.json").stat().st_mode) == 0o640


def test_symlink_is_followed_and_stays_a_link(tmp_path):
    (tmp_path / "real.md").write_text("old")
    (tmp_path / "link.md").symlink_to("real.md")
    write_file(tmp_path / "link.md", "new")
    assert (tmp_path / "link.md").is_symlink()
    assert (tmp_path / "real.md").read_text() == "new"


def test_file_changed_meanwhile_is_not_replaced(tmp_path):
    target = tmp_path / "a.md"
    target.write_bytes(b"edited by the user")
    with pytest.raises(ChangedMeanwhile):
        write_file(target, b"fixed", expected=b"what health-lint read")
    assert target.read_bytes() == b"edited by the user"
    assert leftovers(tmp_path) == []


def test_folder_target_is_an_error_not_a_replacement(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(IsADirectoryError):
        write_file(tmp_path / "out", "x")
    assert (tmp_path / "out").is_dir()


def test_device_target_is_written_in_place(tmp_path):
    write_file("/dev/null", "report\n")  # never replaced by a regular file
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_interrupt_during_write_removes_the_temporary_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "a.md"
    target.write_bytes(b"old content")

    def interrupted_fsync(fd):  # Ctrl-C arriving while the new content is being written
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        write_file(target, b"new content")
    assert target.read_bytes() == b"old content"
    assert leftovers(tmp_path) == []


def limited(max_bytes: int):
    """preexec_fn: a file size limit, so writing past it fails with EFBIG
    (what a full disk looks like to the program: the write fails midway)."""
    def apply():
        import resource
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return apply


def test_output_report_is_kept_whole_when_writing_the_new_one_fails(tmp_path):
    (tmp_path / "a.md").write_text(FRONT + "# T\n\n" + "Rest helps most back pain settle. " * 300 + "\n")
    report = tmp_path / "report.json"
    report.write_text('{"previous": "report"}\n')
    env = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, "-m", "health_lint", "check", "a.md", "-f", "json", "-o", str(report)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, preexec_fn=limited(400), timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert f"cannot write the report to {report}" in proc.stderr and "File too large" in proc.stderr
    assert report.read_text() == '{"previous": "report"}\n'
    assert leftovers(tmp_path) == []


def test_output_report_is_kept_when_the_run_fails(tmp_path):
    report = tmp_path / "report.json"
    report.write_text('{"previous": "report"}\n')
    (tmp_path / ".health-lint.toml").write_text("[rules]\nreadability/grade = 5\n")  # a configuration error
    (tmp_path / "a.md").write_text(FRONT + "# T\n\nText.\n")
    proc = run_cli("check", "a.md", "-o", str(report), cwd=tmp_path)
    assert proc.returncode == 2
    assert report.read_text() == '{"previous": "report"}\n'


def test_baseline_and_init_writes_keep_permissions(tmp_path):
    (tmp_path / "a.md").write_text(FRONT + "# T\n\nText.\n")
    baseline = tmp_path / "baseline.json"
    baseline.write_text("{}")
    baseline.chmod(0o600)
    proc = run_cli("check", "a.md", "--write-baseline", str(baseline), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert '"findings"' in baseline.read_text()
    assert stat.S_IMODE(baseline.stat().st_mode) == 0o600
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_bytes(b"[project]\nname = \"x\"\n")
    pyproject.chmod(0o664)
    proc = run_cli("init", "--no-workflow", "--no-pre-commit", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "[tool.health-lint]" in pyproject.read_text()
    assert stat.S_IMODE(pyproject.stat().st_mode) == 0o664
    assert leftovers(tmp_path) == []


def test_read_only_file_is_not_replaced(tmp_path):
    from .test_robustness import unprivileged

    prefix = unprivileged()  # root writes anything; without the DAC capabilities it obeys modes
    target = tmp_path / "a.md"
    target.write_bytes(b"old")
    target.chmod(0o444)
    code = ("import sys; from health_lint.safe_write import write_file\n"
            "try:\n    write_file(sys.argv[1], b'new')\nexcept PermissionError as exc:\n    print(exc)")
    proc = subprocess.run([*prefix, sys.executable, "-c", code, str(target)], capture_output=True, text=True,
                          timeout=60)
    assert "the file is read-only" in proc.stdout, proc.stderr
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []
