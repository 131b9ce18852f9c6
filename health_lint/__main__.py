"""The ``health-lint`` command (and ``python -m health_lint``)."""
from . import collector


def run() -> None:
    # Importing typer, click and the command's modules creates objects that
    # live until the end: no collections meanwhile (see collector).
    with collector.paused():
        from .cli import run as run_command
    run_command()


if __name__ == "__main__":
    run()
