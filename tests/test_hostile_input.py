"""Input from strangers: every hostile file or value is a one-line error, never a traceback."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from mlops_path.files import CATALOGUE_CAP

from .helpers import Invoke

DEEP = 100_000


def one_error_line(stderr: str) -> str:
    """Return the one line of an error, checking that there is exactly one and no traceback."""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("mlops-path: error: ")
    return lines[0]


def test_a_deeply_nested_catalogue_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * DEEP + "]" * DEEP + "\n")
    result = invoke("--catalogue", str(path), "next")
    assert result.exit_code == 1
    assert one_error_line(result.stderr).endswith("values nest too deeply to read")
    checked = invoke("catalogue", "validate", str(path))
    assert checked.exit_code == 1
    assert "nest too deeply" in checked.stdout


def test_a_deeply_nested_store_is_reported_by_every_command(
    invoke: Invoke, data_dir: Path, store_file: Path
) -> None:
    data_dir.mkdir()
    store_file.write_text("schema = 2\nx = " + "[" * DEEP + "]" * DEEP + "\n")
    before = store_file.read_bytes()
    for args in (["next"], ["done", "rlhf"], ["log"]):
        result = invoke(*args)
        assert result.exit_code == 1
        assert "nests values too deeply to read" in one_error_line(result.stderr)
    report = invoke("doctor", "--json")
    assert report.exit_code == 1
    assert "too deeply" in json.loads(report.stdout)["store"]["problem"]
    assert store_file.read_bytes() == before


def test_a_deeply_nested_import_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"a":' + "[" * DEEP + "]" * DEEP + "}")
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert one_error_line(result.stderr).endswith("values nest too deeply")


@pytest.mark.parametrize("command", [["--catalogue", "/dev/zero", "next"], ["import", "/dev/zero"]])
def test_a_device_is_not_read(invoke: Invoke, command: list[str]) -> None:
    result = invoke(*command)
    assert result.exit_code == 1
    assert "not a regular file" in one_error_line(result.stderr)


def test_a_fifo_does_not_hang(invoke: Invoke, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    outcome: list[int] = []
    worker = threading.Thread(
        target=lambda: outcome.append(invoke("--catalogue", str(fifo), "next").exit_code),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=20)
    assert outcome == [1]


def test_an_oversized_catalogue_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(CATALOGUE_CAP + 1)
    result = invoke("--catalogue", str(path), "next")
    assert result.exit_code == 1
    assert "larger than the 32 MB limit" in one_error_line(result.stderr)


def test_a_long_prerequisite_cycle_is_found_without_recursion(
    invoke: Invoke, tmp_path: Path
) -> None:
    import tomli_w

    items = [
        {
            "id": f"i{n}",
            "section": "s",
            "title": "t",
            "kind": "book",
            "summary": "s",
            "effort": 1,
            "requires": [f"i{(n - 1) % 3000}"],
        }
        for n in range(3000)
    ]
    document = {
        "catalogue": {"id": "c", "title": "t", "version": "1"},
        "sections": [{"id": "s", "title": "S"}],
        "items": items,
    }
    path = tmp_path / "cycle.toml"
    path.write_text(tomli_w.dumps(document))
    result = invoke("catalogue", "validate", str(path))
    assert result.exit_code == 1
    assert "prerequisite cycle i0 -> i2999 -> i2998" in result.stdout


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--on", "0001-01-01T00:00:00+01:00"),
        ("--on", "10000-01-01"),
        ("--on", "not a date"),
    ],
)
def test_impossible_dates_are_usage_errors(invoke: Invoke, option: str, value: str) -> None:
    result = invoke("done", "rlhf", option, value)
    assert result.exit_code == 2
    assert "is not a date" in one_error_line(result.stderr)


def test_an_impossible_since_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("log", "--since", "9999-12-31T23:00:00-05:00")
    assert result.exit_code == 2
    assert "is not a date" in one_error_line(result.stderr)


def test_a_finish_past_year_9999_is_said_not_crashed(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "endless.toml"
    path.write_text(
        '[catalogue]\nid = "endless"\ntitle = "Endless"\nversion = "1"\n\n'
        '[[sections]]\nid = "s"\ntitle = "S"\n\n'
        '[[items]]\nid = "short"\nsection = "s"\ntitle = "Short"\nkind = "book"\n'
        'summary = "A minute."\neffort = 1\n\n'
        '[[items]]\nid = "endless"\nsection = "s"\ntitle = "Endless"\nkind = "book"\n'
        'summary = "Forever."\neffort = 1000000000000\n'
    )
    assert invoke("--catalogue", str(path), "done", "short").exit_code == 0
    text = invoke("--catalogue", str(path), "stats")
    assert text.exit_code == 0
    assert "at this pace, not before the year 10000" in text.stdout
    figures = json.loads(invoke("--catalogue", str(path), "stats", "--json").stdout)
    assert figures["activity"]["finish_on"] is None


def test_doctor_lists_a_dangling_backup_link(invoke: Invoke, data_dir: Path) -> None:
    invoke("done", "rlhf")
    invoke("done", "ml-test-score")
    (data_dir / "backups" / "progress.toml.7").symlink_to(data_dir / "gone")
    report = invoke("doctor", "--json")
    assert report.exit_code == 0
    backups = json.loads(report.stdout)["backups"]
    assert [b["problem"] for b in backups if b["path"].endswith(".7")] == [
        "a link to a file that does not exist"
    ]


HOSTILE_CATALOGUE = """\
[catalogue]
id = "hostile-export"
title = "<script>alert(1)</script> path"
version = "1"

[[sections]]
id = "s"
title = "Section"

[[items]]
id = "formula"
section = "s"
title = "=HYPERLINK(\\"https://evil.example\\", \\"click\\")"
kind = "book"
summary = "A cell that would run."
effort = 5
url = "https://example.org/a)b(c"

[[items]]
id = "command"
section = "s"
title = "@SUM(1+1)*cmd|' /C calc'!A0"
kind = "book"
summary = "Another."
effort = 5
"""


@pytest.fixture
def hostile_catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "hostile-export.toml"
    path.write_text(HOSTILE_CATALOGUE)
    return path


def test_csv_export_neutralises_formulas(invoke: Invoke, hostile_catalogue: Path) -> None:
    import csv
    import io

    catalogue = ["--catalogue", str(hostile_catalogue)]
    assert invoke(*catalogue, "note", "formula", "--", "-2+3 and\nnew line").exit_code == 0
    text = invoke(*catalogue, "export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["title"] == '\'=HYPERLINK("https://evil.example", "click")'
    assert rows[1]["title"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert rows[0]["notes"] == "'-2+3 and\\nnew line"
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())


def test_markdown_export_keeps_data_out_of_the_markup(
    invoke: Invoke, hostile_catalogue: Path
) -> None:
    catalogue = ["--catalogue", str(hostile_catalogue)]
    invoke(*catalogue, "skip", "command", "--reason", "done\n## Fake heading\n- [x] fake item")
    text = invoke(*catalogue, "export", "--format", "markdown").stdout
    assert "<script>" not in text
    assert text.startswith("# &lt;script&gt;alert\\(1\\)&lt;/script&gt; path\n")
    assert "\n## Fake heading" not in text
    assert text.count("- [") == 2
    assert "(<https://example.org/a%29b%28c>)" in text


def test_a_hostile_key_in_an_error_is_shown_escaped(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text(
        '[catalogue]\nid = "k"\ntitle = "K"\nversion = "1"\n"evil\\u001b]0;pwned\\u0007" = 1\n'
        '[[sections]]\nid = "s"\ntitle = "S"\n'
        '[[items]]\nid = "i"\nsection = "s"\ntitle = "I"\nkind = "book"\nsummary = "S"\n'
        "effort = 5\n"
    )
    result = invoke("--catalogue", str(path), "next")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert "\x1b" not in line
    assert "\x07" not in line
    assert "catalogue.evil\\x1b]0;pwned\\x07: unknown field" in line
    checked = invoke("catalogue", "validate", str(path))
    assert "\x1b" not in checked.stdout


def test_json_on_an_ascii_stdout_is_escaped_not_a_crash(data_dir: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "mlops_path", "list", "--json"],
        env={**os.environ, "MLOPS_PATH_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "ascii"},
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii()
    titles = [item["title"] for item in json.loads(result.stdout)]
    assert any(not title.isascii() for title in titles)  # non-ASCII text, written as escapes


def test_an_oversized_import_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    from mlops_path.files import IMPORT_CAP

    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(IMPORT_CAP + 1)
    result = invoke("import", str(path))
    assert result.exit_code == 1
    assert "larger than the 64 MB limit" in one_error_line(result.stderr)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("javascript:alert(1)", "only http and https addresses are allowed"),
        ("data:text/html,<b>x</b>", "only http and https addresses are allowed"),
        ("-dump", "only http and https addresses are allowed"),
        ("--renderer-cmd-prefix=touch /tmp/owned", "holds spaces or control characters"),
        ("file:///etc/passwd", "only http and https addresses are allowed"),
    ],
)
def test_addresses_a_browser_could_misuse_are_refused(
    invoke: Invoke, tmp_path: Path, url: str, why: str
) -> None:
    import tomli_w

    document = {
        "catalogue": {"id": "u", "title": "U", "version": "1"},
        "sections": [{"id": "s", "title": "S"}],
        "items": [
            {"id": "i", "section": "s", "title": "I", "kind": "book", "effort": 5, "url": url}
        ],
    }
    path = tmp_path / "urls.toml"
    path.write_text(tomli_w.dumps(document))
    result = invoke("--catalogue", str(path), "open", "i", "--print")
    assert result.exit_code == 1
    assert why in one_error_line(result.stderr)
    assert result.stdout == ""


def test_an_id_that_breaks_the_rule_is_explained_in_words(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "ids.toml"
    path.write_text(
        '[catalogue]\nid = "Bad Id"\ntitle = "T"\nversion = "1"\n'
        '[[sections]]\nid = "s"\ntitle = "S"\n'
        f'[[items]]\nid = "{"x" * 65}"\nsection = "s"\ntitle = "I"\nkind = "book"\n'
    )
    text = invoke("catalogue", "validate", str(path)).stdout
    assert "'Bad Id' is not an id: use lower-case letters, digits and dashes" in text
    assert "items[0].id: is longer than 64 characters" in text


def test_a_hostile_settings_file_is_a_one_line_error(invoke: Invoke, tmp_path: Path) -> None:
    from mlops_path.paths import config_file

    settings = config_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("colour = " + "[" * DEEP + "]" * DEEP + "\n")
    deep = invoke("next")
    assert deep.exit_code == 1
    assert one_error_line(deep.stderr).endswith("values nest too deeply to read")
    settings.unlink()
    os.mkfifo(settings)
    outcome: list[int] = []
    worker = threading.Thread(target=lambda: outcome.append(invoke("next").exit_code), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert outcome == [1]
