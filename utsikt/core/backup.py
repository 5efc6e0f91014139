"""Backups: the database and every stored document into one folder, with SHA-256 checksums.

A backup folder holds:

- `database.dump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3` (SQLite: the
  online backup API, consistent while the site runs);
- `documents/…`: every file in the default storage (the file system or S3), by its name;
- `manifest.json`: when, which engine, and every file's size and SHA-256.

`restore` checks every checksum before it changes anything and refuses a damaged or
incomplete backup; then it replaces the database and makes the storage hold exactly the
backup's documents. Stop the web processes and the worker while restoring.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, connections

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024
# Written by the health check and deleted at once; never worth keeping.
SKIPPED_PREFIXES = ("health/",)


class BackupError(Exception):
    """A backup that cannot be made, or a backup folder that must not be restored."""


@dataclass(frozen=True)
class Summary:
    folder: Path
    engine: str
    documents: int
    bytes: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name in the storage, walking its folders."""
    directories, files = storage.listdir(folder)
    for name in files:
        full = f"{folder}/{name}" if folder else name
        if not full.startswith(SKIPPED_PREFIXES):
            yield full
    for directory in directories:
        yield from stored_names(storage, f"{folder}/{directory}" if folder else directory)


def _all_stored_names(storage: Storage) -> list[str]:
    try:
        return sorted(stored_names(storage))
    except FileNotFoundError:  # the file system's folder does not exist yet: no documents
        return []


def _postgres_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password goes in the environment."""
    args = ["--dbname", str(settings_dict["NAME"])]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def backup(folder: Path, *, storage: Storage | None = None) -> Summary:
    """Write a backup into `folder`, which must not exist or be empty."""
    storage = storage or default_storage
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: a backup never overwrites another")
    folder.mkdir(parents=True, exist_ok=True)
    settings_dict = connection.settings_dict
    files: dict[str, dict[str, Any]] = {}

    if connection.vendor == "postgresql":
        database_file = folder / "database.dump"
        args, env = _postgres_env(settings_dict)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(database_file),
                *args,
            ],
            env,
        )
    elif connection.vendor == "sqlite":
        database_file = folder / "database.sqlite3"
        source = sqlite3.connect(str(settings_dict["NAME"]))
        target = sqlite3.connect(str(database_file))
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        raise BackupError(f"no backup for a {connection.vendor} database")
    files[database_file.name] = _entry(database_file)

    total = 0
    for name in _all_stored_names(storage):
        copy = folder / "documents" / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as stored, copy.open("wb") as out:
            shutil.copyfileobj(stored, out, CHUNK)
        entry = _entry(copy)
        total += entry["bytes"]
        files[f"documents/{name}"] = entry

    manifest = {
        "format": FORMAT,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "database": database_file.name,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return Summary(folder, connection.vendor, len(files) - 1, total)


def _entry(path: Path) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "sha256": sha256_of(path)}


def verify(folder: Path) -> dict[str, Any]:
    """The manifest, once every file in it is present with its size and checksum."""
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} has no readable {MANIFEST}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder}: unknown backup format {manifest.get('format')!r}")
    problems = []
    for relative, expected in sorted(manifest["files"].items()):
        path = folder / relative
        if not path.is_file():
            problems.append(f"missing: {relative}")
        elif path.stat().st_size != expected["bytes"] or sha256_of(path) != expected["sha256"]:
            problems.append(f"checksum differs: {relative}")
    if manifest["database"] not in manifest["files"]:
        problems.append("the manifest names no database file")
    if problems:
        raise BackupError("the backup is damaged, nothing was restored: " + "; ".join(problems))
    return manifest


def restore(folder: Path, *, storage: Storage | None = None) -> Summary:
    """Verify the backup in `folder`, then replace the database and the stored documents."""
    storage = storage or default_storage
    manifest = verify(folder)
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest['engine']} database; this site uses {connection.vendor}"
        )
    settings_dict = dict(connection.settings_dict)
    database_file = folder / manifest["database"]
    for each in connections.all():
        each.close()

    if connection.vendor == "postgresql":
        args, env = _postgres_env(settings_dict)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(database_file),
            ],
            env,
        )
    else:
        # Copy into a new file, then put it in place of the old one: writing into the live
        # file would wait forever for a lock that any connection still open elsewhere in the
        # process (a server thread) holds, and a half-copied file would be worse than none.
        live = Path(str(settings_dict["NAME"]))
        restoring = live.with_name(live.name + ".restoring")
        restoring.unlink(missing_ok=True)
        source = sqlite3.connect(str(database_file))
        target = sqlite3.connect(str(restoring))
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        for journal in (Path(f"{live}-wal"), Path(f"{live}-shm")):
            journal.unlink(missing_ok=True)
        os.replace(restoring, live)

    documents = {
        relative.removeprefix("documents/"): entry
        for relative, entry in manifest["files"].items()
        if relative.startswith("documents/")
    }
    for name in _all_stored_names(storage):
        if name not in documents:
            storage.delete(name)
    total = 0
    for name, entry in sorted(documents.items()):
        if storage.exists(name):
            storage.delete(name)
        with (folder / "documents" / name).open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"storage saved {name} as {saved}")
        total += entry["bytes"]
    return Summary(folder, connection.vendor, len(documents), total)
