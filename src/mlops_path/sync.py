"""Carry the data folder between machines with git: commit this device's files, pull, push.

Each device writes only its own files, so a pull never meets a conflicting change to them;
git merges the other devices' files in as they are. Every failure of git becomes one line
that says what to do, and git is never left waiting for a password.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .errors import MlopsPathError
from .results import SyncResult

__all__ = ["GITIGNORE", "SyncError", "git_sync"]

#: What a data folder kept in git leaves out: backups, the lock and temp files stay local.
GITIGNORE = "backups/\n*.lock\n.*.tmp\n"


class SyncError(MlopsPathError):
    """Report that git is missing, the folder is not a repository, or git failed."""


def git_sync(*, data_dir: Path, device: str) -> SyncResult:
    """Commit this device's progress files, pull the others', push; return what happened."""
    git = shutil.which("git")
    if git is None:
        raise SyncError("git is not installed", hint="install git, or sync the folder another way")
    if not data_dir.is_dir():
        raise SyncError(f"{data_dir} does not exist yet", hint="record something first")
    if _git(git, data_dir, "rev-parse", "--is-inside-work-tree", check=False).returncode:
        raise SyncError(
            f"{data_dir} is not a git repository",
            hint="see 'Moving between machines' in the README to set one up",
        )
    if not _git(git, data_dir, "remote").stdout.strip():
        raise SyncError(
            f"the git repository in {data_dir} has no remote",
            hint="add one with: git -C DATA_DIR remote add origin URL",
        )
    ignore = data_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text(GITIGNORE, encoding="utf-8")
    paths = [
        p for p in (".gitignore", "progress.toml", f"progress/{device}") if (data_dir / p).exists()
    ]
    _git(git, data_dir, "add", "--", *paths)
    staged = _git(git, data_dir, "diff", "--cached", "--quiet", check=False).returncode == 1
    if staged:
        _git(git, data_dir, "commit", "--quiet", "-m", f"mlops-path: progress from {device}")
    remote = _git(git, data_dir, "remote").stdout.split()[0]
    branch = _git(git, data_dir, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
    before = _git(git, data_dir, "rev-parse", "--verify", "--quiet", "HEAD", check=False).stdout
    _git(git, data_dir, "fetch", "--quiet", remote)
    theirs = f"{remote}/{branch}"
    if _git(git, data_dir, "rev-parse", "--verify", "--quiet", theirs, check=False).returncode == 0:
        # Other devices' files merge in beside this one's: each device writes only its own.
        _git(git, data_dir, "merge", "--no-edit", "--quiet", "--allow-unrelated-histories", theirs)
    after = _git(git, data_dir, "rev-parse", "--verify", "--quiet", "HEAD", check=False).stdout
    _git(git, data_dir, "push", "--quiet", "--set-upstream", remote, branch)
    return SyncResult(device=device, committed=staged, pulled=before != after, pushed=True)


def _git(
    git: str, folder: Path, *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run one git command in ``folder``; a failure raises SyncError with git's own words."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true", "LC_ALL": "C"}
    done = subprocess.run(
        [git, "-C", str(folder), *args], capture_output=True, text=True, env=env, check=False
    )
    if check and done.returncode:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise SyncError(f"git {args[0]} failed: {said[-1] if said else f'exit {done.returncode}'}")
    return done
