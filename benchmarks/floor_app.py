"""The floor of the stack: the smallest Typer app that also imports pydantic and tomllib."""

import tomllib

import pydantic
import typer

app = typer.Typer()


@app.command()
def main(name: str = "floor") -> None:
    """Print a name, after the same imports mlops-path cannot avoid."""
    assert tomllib
    assert pydantic
    print(name)


if __name__ == "__main__":
    app()
