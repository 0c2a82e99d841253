"""Backup and restore (备份与恢复) of a whole deployment: the database and the evidence files.

An archive is a .tar.gz holding `manifest.json` (first), `database/…` and `files/…`. The manifest
records the SHA-256 of every other member, the row count of every table and the audit chain's head,
all taken from one consistent snapshot: SQLite's online backup API, or pg_dump (custom format) on a
snapshot exported from the transaction that counted the rows. Restore checks every hash before it
touches anything, refuses a deployment that already holds data (unless forced), and afterwards checks
the counts and the audit chain again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection, connections, transaction

from rectify import clock

FORMAT = "rectify-backup"
VERSION = 1
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024
# Tables that a freshly migrated, never used deployment already fills, or that hold no business data.
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission", "django_session"}
BOOKKEEPING_PREFIXES = ("axes_",)
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_]+$")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message (Chinese) says why and what to do."""


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int
    counts_match: bool
    mismatched: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    audit_ok: bool = False
    audit_checked: int = 0
    audit_reason: str = ""

    @property
    def ok(self) -> bool:
        return self.counts_match and self.audit_ok


# ------------------------------------------------------------------------------------------ backup


def create_backup(output: Path) -> dict[str, Any]:
    """Write a backup archive (备份) of the database and the evidence files; returns its manifest."""
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="rectify-backup-") as scratch:
        work = Path(scratch)
        if connection.vendor == "sqlite":
            database_path, inventory = _dump_sqlite(work / "rectify.sqlite3")
        elif connection.vendor == "postgresql":
            database_path, inventory = _dump_postgresql(work / "rectify.pgdump")
        else:
            raise BackupError(f"不支持备份 {connection.vendor} 数据库（仅支持 SQLite 和 PostgreSQL）")
        # Files after the database: every file the snapshot refers to already exists by now.
        media = Path(settings.MEDIA_ROOT)
        files = sorted(p for p in media.rglob("*") if p.is_file() and not p.is_symlink()) if media.is_dir() else []
        members: dict[str, Path] = {f"database/{database_path.name}": database_path}
        for path in files:
            members["files/" + path.relative_to(media).as_posix()] = path
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": clock.now().astimezone(dt.UTC).isoformat(),
            "engine": connection.vendor,
            "database": f"database/{database_path.name}",
            "migrations": inventory.pop("migrations"),
            "counts": inventory["counts"],
            "audit": inventory["audit"],
            "members": {name: {"sha256": _sha256_file(path), "size": path.stat().st_size}
                        for name, path in members.items()},
        }
        partial = output.with_name(output.name + ".partial")
        try:
            _write_archive(partial, manifest, members)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def manifest_digest(manifest: dict[str, Any]) -> str:
    """The SHA-256 of the manifest as stored: note it down to recognise the archive later."""
    return hashlib.sha256(_manifest_bytes(manifest)).hexdigest()


def _manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()


def _write_archive(path: Path, manifest: dict[str, Any], members: dict[str, Path]) -> None:
    # The archive holds password hashes and second-factor secrets: readable by the owner only.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
        body = _manifest_bytes(manifest)
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(body), int(clock.now().timestamp()), 0o600
        archive.addfile(info, io.BytesIO(body))
        for name, source in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = source.stat().st_size, int(source.stat().st_mtime), 0o600
            with source.open("rb") as handle:
                archive.addfile(info, handle)


def _dump_sqlite(target: Path) -> tuple[Path, dict[str, Any]]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # The online backup API copies a consistent snapshot while the site keeps running.
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        inventory = _inventory(copy.cursor(), _sqlite_tables(copy))
    finally:
        copy.close()
    return target, inventory


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(name for (name,) in rows)


def _dump_postgresql(target: Path) -> tuple[Path, dict[str, Any]]:
    pg_dump = _pg_binary("pg_dump")
    arguments, environment = _libpq_arguments()
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Count rows and dump from the very same snapshot, however busy the site is.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            inventory = _inventory(cursor, connection.introspection.table_names(cursor))
            _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  f"--file={target}", *arguments], environment, "pg_dump")
    return target, inventory


def _inventory(cursor: Any, tables: list[str]) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for table in sorted(tables):
        if not _TABLE_NAME.match(table):
            raise BackupError(f"数据库中有名称异常的表：{table!r}")
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = int(cursor.fetchone()[0])
    audit: dict[str, Any] = {"last_id": 0, "last_hash": "0" * 64, "count": 0}
    if "audit_auditevent" in counts:
        # The newest event: `rectify audit verify --head` finds it, and its chain up to it, still there after
        # a restore (a checkpoint, if `rectify audit head` ran just before, covers every chain).
        cursor.execute('SELECT id, hash FROM "audit_auditevent" ORDER BY id DESC LIMIT 1')
        row = cursor.fetchone()
        if row:
            audit = {"last_id": int(row[0]), "last_hash": row[1], "count": counts["audit_auditevent"]}
    migrations: dict[str, str] = {}
    if "django_migrations" in counts:
        cursor.execute('SELECT app, name FROM "django_migrations" ORDER BY app, name')
        for app, name in cursor.fetchall():
            migrations[app] = max(migrations.get(app, ""), name)
    return {"counts": counts, "audit": audit, "migrations": migrations}


# ----------------------------------------------------------------------------------------- restore


def read_manifest(archive_path: Path) -> dict[str, Any]:
    """Check an archive without restoring it: every member present, unaltered, and nothing extra."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"找不到备份文件：{archive_path}")
    manifest: dict[str, Any] | None = None
    seen: dict[str, tuple[str, int]] = {}
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            for member in archive:
                name = _member_name(member)
                if name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BackupError("备份文件已损坏：清单文件异常巨大")
                    manifest = _parse_manifest(archive.extractfile(member))  # type: ignore[arg-type]
                    continue
                if name in seen:
                    raise BackupError(f"备份文件被改动：成员 {name} 出现了两次")
                seen[name] = (_sha256_stream(archive.extractfile(member)), member.size)  # type: ignore[arg-type]
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(f"备份文件已损坏或不完整，无法读取（{type(error).__name__}）") from None
    if manifest is None:
        raise BackupError("不是整改台账的备份文件：缺少清单 manifest.json")
    expected = manifest["members"]
    for name, facts in expected.items():
        if name not in seen:
            raise BackupError(f"备份文件不完整：缺少 {name}")
        if seen[name][0] != facts.get("sha256") or seen[name][1] != facts.get("size"):
            raise BackupError(f"备份文件被改动或已损坏：{name} 的 SHA-256 与清单不符，已拒绝恢复")
    extra = sorted(set(seen) - set(expected))
    if extra:
        raise BackupError(f"备份文件被改动：含有清单中没有的成员 {extra[0]}，已拒绝恢复")
    return manifest


def _parse_manifest(handle: IO[bytes]) -> dict[str, Any]:
    try:
        manifest = json.loads(handle.read())
    except (ValueError, UnicodeDecodeError):
        raise BackupError("备份文件已损坏：清单 manifest.json 无法解析") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("不是整改台账的备份文件（清单格式不符）")
    if manifest.get("version") != VERSION:
        raise BackupError(f"备份格式版本 {manifest.get('version')} 不受本版本支持")
    members = manifest.get("members")
    if not isinstance(members, dict) or not isinstance(manifest.get("counts"), dict):
        raise BackupError("备份文件已损坏：清单缺少成员或计数")
    for name, facts in members.items():
        _safe_relative(name)
        if not isinstance(facts, dict) or not re.fullmatch(r"[0-9a-f]{64}", str(facts.get("sha256", ""))):
            raise BackupError(f"备份文件已损坏：清单中 {name} 的哈希无效")
    if manifest.get("database") not in members:
        raise BackupError("备份文件已损坏：清单没有列出数据库")
    return manifest


def _member_name(member: tarfile.TarInfo) -> str:
    if not member.isfile():
        raise BackupError(f"备份文件被改动：成员 {member.name} 不是普通文件，已拒绝恢复")
    return _safe_relative(member.name)


def _safe_relative(name: str) -> str:
    path = PurePosixPath(name)
    if (not name or "\\" in name or "\x00" in name or path.is_absolute() or ".." in path.parts
            or (name != MANIFEST and path.parts[0] not in {"database", "files"})):
        raise BackupError(f"备份文件被改动：成员路径不安全（{name!r}），已拒绝恢复")
    return path.as_posix()


def deployment_has_data() -> list[str]:
    """Tables of the target deployment that hold data, and 'files' if evidence files exist."""
    found: list[str] = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in sorted(tables):
            if table in BOOKKEEPING_TABLES or table.startswith(BOOKKEEPING_PREFIXES) or not _TABLE_NAME.match(table):
                continue
            cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
            if cursor.fetchone():
                found.append(table)
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(p.is_file() for p in media.rglob("*")):
        found.append("files")
    return found


def restore_backup(archive_path: Path, *, force: bool = False) -> RestoreResult:
    """Restore an archive (恢复) into an empty deployment, after checking every member's SHA-256."""
    manifest = read_manifest(archive_path)
    engine = connection.vendor
    if manifest["engine"] != engine:
        raise BackupError(f"备份来自 {manifest['engine']} 数据库，当前部署使用 {engine}，无法直接恢复")
    occupied = deployment_has_data()
    if occupied and not force:
        raise BackupError(
            "目标部署已有数据（" + "、".join(occupied[:5]) + ("等" if len(occupied) > 5 else "")
            + "），为防止覆盖已拒绝恢复；确认要覆盖请加 --force"
        )
    with tempfile.TemporaryDirectory(prefix="rectify-restore-") as scratch:
        database = Path(scratch) / PurePosixPath(manifest["database"]).name
        with _members(archive_path, manifest) as members:
            for name, handle in members:
                if name == manifest["database"]:
                    _copy_checked(handle, database, manifest["members"][name]["sha256"])
        if engine == "sqlite":
            _restore_sqlite(database)
        else:
            _restore_postgresql(database)
    files = _restore_files(archive_path, manifest)
    return _check_restored(manifest, files)


@contextmanager
def _members(archive_path: Path, manifest: dict[str, Any]) -> Iterator[Iterator[tuple[str, IO[bytes]]]]:
    with tarfile.open(archive_path, mode="r:gz") as archive:
        def iterate() -> Iterator[tuple[str, IO[bytes]]]:
            for member in archive:
                name = _member_name(member)
                if name != MANIFEST and name in manifest["members"]:
                    yield name, archive.extractfile(member)  # type: ignore[misc]
        yield iterate()


def _copy_checked(handle: IO[bytes], target: Path, sha256: str) -> None:
    """Copy a member to `target`, hashing again: the archive may have changed since it was checked."""
    digest = hashlib.sha256()
    with target.open("wb") as out:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha256:
        target.unlink(missing_ok=True)
        raise BackupError(f"备份文件在恢复过程中发生变化：{target.name} 的 SHA-256 不符，已停止")


def _restore_sqlite(source: Path) -> None:
    target = Path(settings.DATABASES["default"]["NAME"])
    check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if check.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("备份中的数据库文件已损坏（SQLite 完整性检查未通过）")
        connections.close_all()
        target.parent.mkdir(parents=True, exist_ok=True)
        destination = sqlite3.connect(target)
        try:
            # Page by page into the live file (WAL and all), in one step that readers never see half-done.
            check.backup(destination)
        finally:
            destination.close()
    finally:
        check.close()


def _restore_postgresql(source: Path) -> None:
    pg_restore = _pg_binary("pg_restore")
    arguments, environment = _libpq_arguments()
    connections.close_all()
    # One transaction: a failed restore leaves the target database as it was.
    _run([pg_restore, "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
          "--exit-on-error", *arguments, str(source)], environment, "pg_restore")


def _restore_files(archive_path: Path, manifest: dict[str, Any]) -> int:
    media = Path(settings.MEDIA_ROOT).resolve()
    count = 0
    with _members(archive_path, manifest) as members:
        for name, handle in members:
            if not name.startswith("files/"):
                continue
            target = (media / name.removeprefix("files/")).resolve()
            if media not in target.parents:
                raise BackupError(f"备份文件被改动：{name} 指向证据目录之外，已拒绝恢复")
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            _copy_checked(handle, partial, manifest["members"][name]["sha256"])
            partial.replace(target)
            count += 1
    return count


def _check_restored(manifest: dict[str, Any], files: int) -> RestoreResult:
    from rectify.audit.services import verify

    connections.close_all()
    with connection.cursor() as cursor:
        actual = _inventory(cursor, connection.introspection.table_names(cursor))
    mismatched = {
        table: (expected, actual["counts"].get(table))
        for table, expected in manifest["counts"].items() if actual["counts"].get(table) != expected
    }
    result = RestoreResult(manifest=manifest, files=files, counts_match=not mismatched, mismatched=mismatched)
    chain = verify()
    result.audit_checked = chain.checked
    result.audit_ok = chain.ok and actual["audit"] == manifest["audit"]
    result.audit_reason = chain.reason or ("" if result.audit_ok else "审计链头与备份清单不一致")
    return result


# --------------------------------------------------------------------------------------- PostgreSQL

_LIBPQ_KEYS = {"host", "port", "dbname", "user", "sslmode", "sslrootcert", "sslcert", "sslkey", "passfile",
               "connect_timeout", "options", "application_name", "service"}


def _libpq_arguments() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection: a conninfo string, with the password passed only by environment."""
    from psycopg.conninfo import make_conninfo

    params = connection.get_connection_params()
    environment = dict(os.environ)
    if params.get("password"):
        environment["PGPASSWORD"] = str(params["password"])
    conninfo = make_conninfo(**{k: str(v) for k, v in params.items() if k in _LIBPQ_KEYS and v not in (None, "")})
    return [f"--dbname={conninfo}"], environment


def _pg_binary(name: str) -> str:
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            bindir = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30)
            candidates.append(Path(bindir.stdout.strip()) / name)
        except (subprocess.SubprocessError, OSError):
            pass
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端工具（与服务器版本相同或更新）")


def _run(command: list[str], environment: dict[str, str], label: str) -> None:
    completed = subprocess.run(command, env=environment, capture_output=True, text=True)
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()
        raise BackupError(f"{label} 执行失败：{detail[-1] if detail else completed.returncode}")


# ------------------------------------------------------------------------------------------ hashes


def _sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return _sha256_stream(handle)


def _sha256_stream(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()
