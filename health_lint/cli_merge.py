"""`health-lint merge-reports`: join the reports of `--shard` runs."""
from __future__ import annotations

from pathlib import Path
from typing import List

import typer

from .cli import UsageFailure, app


@app.command("merge-reports")
def merge_reports(
    inputs: List[Path] = typer.Argument(..., help="Reports of the shards: all JSON, all SARIF, all JUnit XML, "
                                                  "or all baselines (the format is detected)."),
    output: Path = typer.Option(..., "--output", "-o", help="Write the merged report to FILE."),
) -> None:
    """Merge the reports (JSON, SARIF, JUnit) or baselines of `--shard K/N` runs into one."""
    from . import merge

    try:
        kind, count = merge.merge_files(inputs, output)
    except merge.MergeError as exc:
        raise UsageFailure(str(exc)) from None
    typer.echo(f"Merged {len(inputs)} {kind} file(s): {count} finding(s) written to {output}.", err=True)
