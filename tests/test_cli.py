"""`rectify --version`, `rectify help` and unknown commands, as an administrator meets them."""

from __future__ import annotations

import pytest

from rectify.cli import columns, main


@pytest.fixture
def run(capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_version_is_rectifys_own(run):
    from importlib.metadata import version

    code, out, _err = run("--version")
    assert code == 0
    assert out.strip() == f"rectify {version('rectify')}"


def test_help_lists_every_option_of_every_command(run):
    code, out, _err = run("help")
    assert code == 0
    for usage in ("export-ledger INSPECTION --output OUTPUT [--per-aspect]", "restore FILE [--force] [--check]",
                  "import-ledger FILE --inspection INSPECTION [--dry-run]", "audit verify|head [--head HEAD] [--json]",
                  "token revoke TOKEN_ID", "parse FILE [--json]"):
        assert usage in out


def test_help_fits_80_columns_and_points_to_shipped_docs(run):
    _code, out, _err = run("help")
    assert max(columns(line) for line in out.splitlines()) <= 80
    assert "docs/deployment.md" in out
    assert ".env.example" not in out


def test_help_for_one_command_shows_its_options(run):
    code, out, _err = run("help", "export-ledger")
    assert code == 0
    assert "usage: rectify export-ledger" in out
    assert "--per-aspect" in out


def test_help_for_an_unknown_command_suggests_one(run):
    code, _out, err = run("help", "import-notise")
    assert code == 1
    assert "import-notice" in err


@pytest.mark.parametrize("typed, suggested", [("import_notic", "import-notice"), ("export-ledgr", "export-ledger")])
def test_unknown_command_answers_in_chinese_with_dashed_names(run, typed, suggested):
    code, _out, err = run(typed)
    assert code == 1
    assert f"未知命令：{typed}" in err
    assert suggested in err and suggested.replace("-", "_") not in err


def test_underscored_names_still_run(run):
    code, out, _err = run("export_ledger", "--help")
    assert code == 0
    assert "--per-aspect" in out
