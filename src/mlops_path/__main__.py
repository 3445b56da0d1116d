"""Run the command line as ``python -m mlops_path``."""

from .cli import main

if __name__ == "__main__":
    main()
