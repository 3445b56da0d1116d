"""Study on every machine: per-device files, a sync loop, conflict copies, and git."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mlops_path.paths import CACHE_DIR_ENV, DATA_DIR_ENV, DEVICE_ENV, STATE_DIR_ENV

from .helpers import Invoke, device_files, run_cli


def machine_env(root: Path, name: str) -> dict[str, str]:
    """Return the environment of one simulated machine: its own folders and device id."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLOPS_PATH_")}
    env.update(
        {
            DATA_DIR_ENV: str(root / name / "data"),
            CACHE_DIR_ENV: str(root / name / "cache"),
            STATE_DIR_ENV: str(root / name / "state"),
            DEVICE_ENV: name,
        }
    )
    return env


def sync_once(root: Path, names: list[str]) -> None:
    """Copy every progress file to every machine where it is missing or older: whole files,
    newest wins, each copy atomic and keeping its modification time, as sync tools do."""
    for source in names:
        progress = root / source / "data" / "progress"
        for path in list(progress.glob("*/*.toml")) if progress.is_dir() else []:
            relative = path.relative_to(root / source / "data")
            try:
                mtime = path.stat().st_mtime_ns
            except FileNotFoundError:
                continue
            for target_name in names:
                target = root / target_name / "data" / relative
                if target == path:
                    continue
                if target.exists() and target.stat().st_mtime_ns >= mtime:
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                temp = target.with_name(f".sync-{os.getpid()}-{target.name}.part")
                try:
                    shutil.copy2(path, temp)
                except FileNotFoundError:
                    continue
                temp.replace(target)


def record_notes(
    root: Path, names: list[str], commands_each: int, rng: random.Random
) -> tuple[set[str], int]:
    """Run ``note`` commands on every machine at once, killing some mid-flight.

    Returns the notes whose command reported them saved, and how many commands were killed.
    """
    items = ["rlhf", "ml-test-score", "rules-of-ml", "murphy-mlpp", "feature-platforms"]
    saved: set[str] = set()
    killed = 0
    pending: list[tuple[subprocess.Popen[str], str]] = []

    def settle() -> None:
        for process, text in pending:
            out, err = process.communicate(timeout=120)
            if process.returncode == 0 and out.startswith("Noted: "):
                saved.add(text)
            else:
                assert process.returncode == -signal.SIGKILL, err
        pending.clear()

    for n in range(commands_each):
        for name in names:
            text = f"{name}-{n}"
            process = subprocess.Popen(
                [sys.executable, "-m", "mlops_path", "note", rng.choice(items), text],
                env=machine_env(root, name),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            pending.append((process, text))
        if n % 2 == 1:  # now and then, kill one writer mid-flight
            victim, _ = pending[rng.randrange(len(pending))]
            time.sleep(rng.uniform(0.05, 0.2))
            if victim.poll() is None:
                victim.send_signal(signal.SIGKILL)
                killed += 1
        if len(pending) >= 6:
            settle()
    settle()
    return saved, killed


@pytest.mark.slow
def test_machines_synced_by_a_copy_loop_converge_and_lose_nothing(
    tmp_path: Path, soak: bool, record_property: Callable[[str, object], None]
) -> None:
    """Three machines record notes at once while a sync loop copies their files around."""
    names = ["laptop", "desktop", "phone"]
    commands_each = 100 if soak else 3
    stop = threading.Event()

    def sync_loop() -> None:
        while not stop.is_set():
            sync_once(tmp_path, names)
            time.sleep(0.05)

    syncer = threading.Thread(target=sync_loop, daemon=True)
    syncer.start()
    try:
        saved, killed = record_notes(tmp_path, names, commands_each, random.Random(7))
    finally:
        stop.set()
        syncer.join(timeout=10)
    sync_once(tmp_path, names)  # the final, full sync
    notes_per_machine = []
    states = []
    for name in names:
        env = machine_env(tmp_path, name)
        log = json.loads(run_cli("log", "--all", "--json", env=env).stdout)
        notes_per_machine.append({entry["note"] for entry in log})
        states.append(run_cli("list", "--json", env=env).stdout)
    for name, value in [
        ("commands", len(names) * commands_each),
        ("killed", killed),
        ("reported_saved", len(saved)),
        ("present_after_sync", len(notes_per_machine[0])),
        ("lost", len(saved - notes_per_machine[0])),
    ]:
        record_property(name, value)  # see them with --junitxml
    assert notes_per_machine[0] == notes_per_machine[1] == notes_per_machine[2]
    assert states[0] == states[1] == states[2]
    assert saved <= notes_per_machine[0]  # every event any command reported saved: lost 0
    assert len(saved) >= len(names) * commands_each - killed


def test_each_device_writes_only_its_own_files(tmp_path: Path) -> None:
    laptop, desktop = machine_env(tmp_path, "laptop"), machine_env(tmp_path, "desktop")
    desktop[DATA_DIR_ENV] = laptop[DATA_DIR_ENV]  # one shared (synced) data folder
    assert run_cli("done", "rlhf", env=laptop).returncode == 0
    assert run_cli("done", "ml-test-score", env=desktop).returncode == 0
    folders = sorted(p.parent.name for p in device_files(Path(laptop[DATA_DIR_ENV])))
    assert folders == ["desktop", "laptop"]
    done = json.loads(run_cli("list", "--status", "done", "--json", env=laptop).stdout)
    assert sorted(item["id"] for item in done) == ["ml-test-score", "rlhf"]
    # Undo reverts this device's latest action, never another device's.
    undone = json.loads(run_cli("undo", "--json", env=laptop).stdout)
    assert undone["reverted"]["item"] == "rlhf"
    assert undone["reverted"]["device"] == "laptop"
    log = json.loads(run_cli("log", "--json", env=desktop).stdout)
    assert {entry["device"] for entry in log} == {"laptop", "desktop"}
    report = json.loads(run_cli("doctor", "--json", env=desktop).stdout)
    assert sorted(report["devices"]) == ["desktop", "laptop"]
    assert report["this_device"] == "desktop"


def test_a_device_id_is_made_once_and_never_lives_in_the_data_folder(tmp_path: Path) -> None:
    env = machine_env(tmp_path, "ignored")
    del env[DEVICE_ENV]
    assert run_cli("done", "rlhf", env=env).returncode == 0
    assert run_cli("done", "ml-test-score", env=env).returncode == 0
    kept = (Path(env[STATE_DIR_ENV]) / "device").read_text().strip()
    assert [p.parent.name for p in device_files(Path(env[DATA_DIR_ENV]))] == [kept]
    data = Path(env[DATA_DIR_ENV])
    assert not any(kept in p.read_text() for p in data.glob("*") if p.is_file())
    env[DEVICE_ENV] = "bad id!"
    refused = run_cli("done", "rules-of-ml", env=env)
    assert refused.returncode == 2
    assert "MLOPS_PATH_DEVICE='bad id!' is not a device id" in refused.stderr


def test_an_older_single_store_moves_into_this_devices_files(
    invoke: Invoke, data_dir: Path, store_file: Path
) -> None:
    data_dir.mkdir()
    store_file.write_text(
        "schema = 2\n[[events]]\nid = 'old1'\ncatalogue = 'mlops-guide'\nitem = 'rlhf'\n"
        "action = 'done'\nat = 2026-09-01T10:00:00Z\n"
    )
    before = store_file.read_text()
    invoke("done", "ml-test-score")
    assert (data_dir / "backups" / "progress.schema-2.toml").read_text() == before
    assert "schema = 3" in store_file.read_text()  # older versions now refuse the folder
    names = [p.name for p in device_files(data_dir)]
    assert "2026.toml" in names  # moved by the year it was recorded in
    done = json.loads(invoke("list", "--status", "done", "--json").stdout)
    assert sorted(item["id"] for item in done) == ["ml-test-score", "rlhf"]


CONFLICT = """\
schema = 3
device = "desktop"

[[events]]
id = "only-in-the-copy"
catalogue = "mlops-guide"
item = "rules-of-ml"
action = "done"
at = 2026-11-02T10:00:00Z
"""


def test_a_conflict_copy_is_merged_reported_and_tidied(invoke: Invoke, data_dir: Path) -> None:
    invoke("done", "rlhf")
    copy = data_dir / "progress" / "desktop" / "2026-11.sync-conflict-20261102-100000-ABC.toml"
    copy.parent.mkdir(parents=True)
    copy.write_text(CONFLICT)
    done = json.loads(invoke("list", "--status", "done", "--json").stdout)
    assert sorted(item["id"] for item in done) == ["rlhf", "rules-of-ml"]
    report = json.loads(invoke("doctor", "--json").stdout)
    assert report["conflict_copies"] == [str(copy)]
    assert "1 conflict copy from a sync tool" in invoke("doctor").stdout
    tidied = json.loads(invoke("doctor", "--fix", "--json").stdout)
    assert tidied["merged_events"] == 1
    assert not copy.exists()
    assert Path(tidied["moved"][0]["to"]).read_text() == CONFLICT
    done = json.loads(invoke("list", "--status", "done", "--json").stdout)
    assert sorted(item["id"] for item in done) == ["rlhf", "rules-of-ml"]
    assert json.loads(invoke("doctor", "--json").stdout)["conflict_copies"] == []


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_git_clones_converge(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--bare", "-q", str(remote)], check=True)
    envs = {}
    for name in ("laptop", "desktop"):
        env = machine_env(tmp_path, name)
        subprocess.run(
            ["git", "clone", "-q", str(remote), env[DATA_DIR_ENV]], check=True, capture_output=True
        )
        git(Path(env[DATA_DIR_ENV]), "config", "user.email", f"{name}@example.org")
        git(Path(env[DATA_DIR_ENV]), "config", "user.name", name)
        envs[name] = env
    assert run_cli("done", "rlhf", env=envs["laptop"]).returncode == 0
    first = run_cli("sync", "--json", env=envs["laptop"])
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["committed"] is True
    assert run_cli("done", "ml-test-score", env=envs["desktop"]).returncode == 0
    assert run_cli("sync", env=envs["desktop"]).returncode == 0
    assert run_cli("sync", env=envs["laptop"]).returncode == 0
    lists = [run_cli("list", "--status", "done", "--json", env=env).stdout for env in envs.values()]
    assert lists[0] == lists[1]
    assert sorted(item["id"] for item in json.loads(lists[0])) == ["ml-test-score", "rlhf"]
    ignored = (Path(envs["laptop"][DATA_DIR_ENV]) / ".gitignore").read_text()
    assert "backups/" in ignored


def test_sync_outside_a_git_repository_says_so(invoke: Invoke, data_dir: Path) -> None:
    invoke("done", "rlhf")
    result = invoke("sync")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"mlops-path: error: {data_dir} is not a git repository")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_sync_without_a_remote_says_how_to_add_one(invoke: Invoke, data_dir: Path) -> None:
    invoke("done", "rlhf")
    subprocess.run(["git", "init", "-q", str(data_dir)], check=True)
    result = invoke("sync")
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlops-path: error: the git repository in {data_dir} has no remote; "
        "add one with: git -C DATA_DIR remote add origin URL\n"
    )


def test_sync_when_git_is_missing(
    invoke: Invoke, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke("done", "rlhf")
    monkeypatch.setenv("PATH", str(data_dir))  # a PATH with no git on it
    result = invoke("sync")
    assert result.exit_code == 1
    assert result.stderr.startswith("mlops-path: error: git is not installed; ")
