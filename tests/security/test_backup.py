"""`rectify backup` and `rectify restore`: a round trip gives the same rows, files and audit chain;
a tampered, truncated or foreign archive is refused before anything is touched."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.db import connection

from rectify.backup import services as backup
from tests.security.conftest import run_python, run_rectify
from tests.security.deployment import sqlite_counts


def file_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def rewrite(source: Path, target: Path, change) -> Path:
    """Copy an archive member by member; `change(name, data)` returns new bytes, or None to drop it."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            data = change(member.name, data)
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def add_member(source: Path, target: Path, name: str, data: bytes, *, listed: bool) -> Path:
    """Copy an archive and add a member, optionally listing it (with its true hash) in the manifest."""
    def change(member: str, content: bytes) -> bytes:
        if member == "manifest.json" and listed:
            manifest = json.loads(content)
            manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            return json.dumps(manifest).encode()
        return content

    rewrite(source, target, change)
    with tarfile.open(target, "r:gz") as old:
        members = [(m, old.extractfile(m).read()) for m in old]
    with tarfile.open(target, "w:gz") as new:
        for member, content in [*members, (tarfile.TarInfo(name), data)]:
            info = tarfile.TarInfo(member.name)
            info.size = len(content)
            new.addfile(info, io.BytesIO(content))
    return target


# ------------------------------------------------------------------------------ SQLite round trip


@pytest.fixture(scope="module")
def source(tmp_path_factory, migrated_sqlite) -> dict:
    """A populated SQLite deployment and its backup archive, made with the real console script."""
    home = tmp_path_factory.mktemp("source")
    shutil.copy(migrated_sqlite, home / "rectify.sqlite3")
    filled = run_python(home, "from tests.security.deployment import populate; populate()")
    assert filled.returncode == 0, filled.stderr
    archive = home.parent / "backup.tar.gz"
    made = run_rectify(home, "backup", "-o", str(archive), "--json")
    assert made.returncode == 0, made.stderr
    return {"home": home, "archive": archive, "summary": json.loads(made.stdout)}


@pytest.fixture(scope="module")
def restored(source, tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("target")  # a new deployment: no database file, no evidence yet
    # The audit key is kept apart from backups; the operator brings it to the new deployment.
    shutil.copy(source["home"] / "audit_key", home / "audit_key")
    result = run_rectify(home, "restore", str(source["archive"]), "--json")
    assert result.returncode == 0, result.stderr
    return {"home": home, "summary": json.loads(result.stdout)}


def sqlite_max_audit_id(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT MAX(id) FROM audit_auditevent").fetchone()[0]


def test_archive_lists_every_member_with_its_hash(source):
    manifest = backup.read_manifest(source["archive"])
    assert manifest["engine"] == "sqlite"
    evidence = [name for name in manifest["members"] if name.startswith("files/")]
    assert len(evidence) == 12  # populate(): 6 progress entries with 2 files each
    assert manifest["counts"]["ledger_evidence"] == 12
    # The head named is the archive's newest event; its chains are counted whole.
    assert manifest["audit"]["count"] == manifest["counts"]["audit_auditevent"] > 0
    assert manifest["audit"]["last_id"] == sqlite_max_audit_id(source["home"] / "rectify.sqlite3")
    assert oct(source["archive"].stat().st_mode & 0o777) == "0o600"


def test_restore_gives_the_same_rows(source, restored):
    assert sqlite_counts(restored["home"] / "rectify.sqlite3") == sqlite_counts(source["home"] / "rectify.sqlite3")
    assert restored["summary"]["counts_match"] and restored["summary"]["audit_ok"]


def test_restore_gives_the_same_files(source, restored):
    before = file_hashes(source["home"] / "files")
    assert before and file_hashes(restored["home"] / "files") == before


def test_audit_verify_passes_after_restore(source, restored):
    result = run_rectify(restored["home"], "audit", "verify", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["checked"] == source["summary"]["audit"]["count"]


def test_backup_prints_the_audit_head_to_keep(source, tmp_path):
    made = run_rectify(source["home"], "backup", "-o", str(tmp_path / "again.tar.gz"))
    assert made.returncode == 0, made.stderr
    head = source["summary"]["audit"]
    assert f"审计链头 {head['last_id']}:{head['last_hash']}" in made.stdout
    verified = run_rectify(source["home"], "audit", "verify", "--head", f"{head['last_id']}:{head['last_hash']}")
    assert verified.returncode == 0, verified.stderr


def test_restore_without_the_audit_key_does_not_pass_the_chain(source, tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    result = run_rectify(target, "restore", str(source["archive"]))
    assert result.returncode != 0
    assert "审计日志校验失败" in result.stderr and "RECTIFY_AUDIT_KEY_FILE" in result.stderr


def test_restore_refuses_a_deployment_with_data(source, restored):
    result = run_rectify(restored["home"], "restore", str(source["archive"]))
    assert result.returncode != 0
    assert "目标部署已有数据" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr


def test_restore_with_force_overwrites(source, tmp_path, sqlite_home):
    shutil.copy(source["home"] / "audit_key", sqlite_home / "audit_key")
    filled = run_python(sqlite_home, "from tests.security.deployment import populate; populate(tasks=1)")
    assert filled.returncode == 0, filled.stderr
    result = run_rectify(sqlite_home, "restore", str(source["archive"]), "--force", "--json")
    assert result.returncode == 0, result.stderr
    assert sqlite_counts(sqlite_home / "rectify.sqlite3") == sqlite_counts(source["home"] / "rectify.sqlite3")


def test_tampered_archive_is_refused_by_the_command(source, tmp_path):
    tampered = rewrite(source["archive"], tmp_path / "t.tar.gz",
                       lambda name, data: data + b"x" if name.startswith("files/") else data)
    target = tmp_path / "target"
    target.mkdir()
    result = run_rectify(target, "restore", str(tampered))
    assert result.returncode != 0
    assert "SHA-256 与清单不符" in result.stderr and "已拒绝恢复" in result.stderr
    assert not (target / "files").exists()


# ------------------------------------------------------------------ tampered archives (in-process)


def test_changed_database_is_refused(source, tmp_path):
    def flip(name: str, data: bytes) -> bytes:
        return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("database/") else data

    with pytest.raises(backup.BackupError, match="SHA-256 与清单不符"):
        backup.read_manifest(rewrite(source["archive"], tmp_path / "t.tar.gz", flip))


def test_missing_member_is_refused(source, tmp_path):
    archive = rewrite(source["archive"], tmp_path / "t.tar.gz",
                      lambda name, data: None if name.startswith("files/") else data)
    with pytest.raises(backup.BackupError, match="备份文件不完整"):
        backup.read_manifest(archive)


def test_unlisted_member_is_refused(source, tmp_path):
    archive = add_member(source["archive"], tmp_path / "t.tar.gz", "files/extra.pdf", b"%PDF-1.4", listed=False)
    with pytest.raises(backup.BackupError, match="清单中没有的成员"):
        backup.read_manifest(archive)


@pytest.mark.parametrize("name", ["files/../../outside.txt", "/etc/cron.d/x", "settings.py"])
def test_member_outside_the_deployment_is_refused(source, tmp_path, name):
    archive = add_member(source["archive"], tmp_path / "t.tar.gz", name, b"evil", listed=True)
    with pytest.raises(backup.BackupError, match="路径不安全"):
        backup.read_manifest(archive)


def test_truncated_archive_is_refused(source, tmp_path):
    data = source["archive"].read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(backup.BackupError, match="已损坏或不完整"):
        backup.read_manifest(cut)


def test_file_that_is_not_a_backup_is_refused(tmp_path):
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as archive:
        info = tarfile.TarInfo("files/a.txt")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"a"))
    with pytest.raises(backup.BackupError, match="缺少清单"):
        backup.read_manifest(other)
    with pytest.raises(backup.BackupError, match="找不到备份文件"):
        backup.read_manifest(tmp_path / "nowhere.tar.gz")


def fake_archive(path: Path, engine: str) -> Path:
    """A well-formed archive (true hashes) whose database is a placeholder: enough for refusals."""
    database = b"placeholder"
    manifest = {"format": backup.FORMAT, "version": backup.VERSION, "engine": engine,
                "database": "database/db", "counts": {}, "audit": {}, "migrations": {},
                "members": {"database/db": {"sha256": hashlib.sha256(database).hexdigest(), "size": len(database)}}}
    with tarfile.open(path, "w:gz") as archive:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), ("database/db", database)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_restore_into_a_deployment_with_data_is_refused_before_any_write(world, tmp_path):
    from rectify.organizations.models import Organization

    before = Organization.objects.count()
    with pytest.raises(backup.BackupError, match="目标部署已有数据"):
        backup.restore_backup(fake_archive(tmp_path / "a.tar.gz", connection.vendor))
    assert Organization.objects.count() == before


def test_archive_of_the_other_engine_is_refused(db, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    with pytest.raises(backup.BackupError, match="无法直接恢复"):
        backup.restore_backup(fake_archive(tmp_path / "a.tar.gz", other))


def test_fresh_deployment_counts_as_empty(db):
    assert backup.deployment_has_data() == []


# ------------------------------------------------------------------------------ PostgreSQL round trip


def database_url(base: str, name: str) -> str:
    parts = urlparse(base)
    return urlunparse(parts._replace(path=f"/{name}"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_round_trip(postgres_url, tmp_path, settings):
    from tests.security.deployment import populate

    if connection.vendor != "postgresql":
        pytest.skip("the test database is not PostgreSQL")
    settings.MEDIA_ROOT = tmp_path / "source" / "files"
    populate()
    source_db = connection.settings_dict["NAME"]
    target_db = f"rectify_restore_{uuid.uuid4().hex[:8]}"
    archive = tmp_path / "pg.tar.gz"
    # The source deployment is this test's database: evidence under the MEDIA_ROOT set above.
    source_home = tmp_path / "source"
    made = run_rectify(source_home, "backup", "-o", str(archive), "--json", database_url=database_url(postgres_url, source_db))
    assert made.returncode == 0, made.stderr
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target_db}"')
    try:
        target_home = tmp_path / "target"
        target_home.mkdir()
        # The events were sealed by this process's key: the operator brings that key along.
        from rectify.audit.keys import key_path

        shutil.copy(key_path(), target_home / "audit_key")
        target_url = database_url(postgres_url, target_db)
        restored = run_rectify(target_home, "restore", str(archive), "--json", database_url=target_url)
        assert restored.returncode == 0, restored.stderr
        summary = json.loads(restored.stdout)
        assert summary["counts_match"] and summary["audit_ok"]
        assert file_hashes(target_home / "files") == file_hashes(source_home / "files")
        verified = run_rectify(target_home, "audit", "verify", "--json", database_url=target_url)
        assert verified.returncode == 0, verified.stderr
        manifest = backup.read_manifest(archive)
        with connection.cursor() as cursor:
            for table in ("ledger_task", "ledger_evidence", "audit_auditevent"):
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                assert manifest["counts"][table] == cursor.fetchone()[0]
        again = run_rectify(target_home, "restore", str(archive), database_url=target_url)
        assert again.returncode != 0 and "目标部署已有数据" in again.stderr
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_db}" WITH (FORCE)')


def test_restore_check_only_verifies(source, tmp_path):
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("restore", str(source["archive"]), "--check", stdout=out)
    assert "备份文件完整" in out.getvalue()
    tampered = rewrite(source["archive"], tmp_path / "t.tar.gz",
                       lambda name, data: data + b"x" if name.startswith("database/") else data)
    with pytest.raises(CommandError, match="SHA-256 与清单不符"):
        call_command("restore", str(tampered), "--check", stdout=io.StringIO())
