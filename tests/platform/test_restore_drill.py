"""The restore drill: back up, destroy, restore, and compare every row and every file."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from utsikt.core import backup
from utsikt.core.testing import transactional

pytestmark = [transactional(), pytest.mark.platform]


def every_row() -> dict[str, list[str]]:
    """Every table's rows, in an order that does not depend on how they were stored."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(repr(row) for row in cursor.fetchall())
    return rows


def every_file(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def destroy_database() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    else:
        name = Path(connection.settings_dict["NAME"])
        for each in connections.all():
            each.close()
        for path in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
            if path.exists():
                path.write_bytes(b"")
    connection.close()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


def test_a_restored_backup_has_every_row_and_every_file(media: Path, tmp_path: Path) -> None:
    call_command("load_demo", stdout=open(tmp_path / "demo.txt", "w"))  # noqa: SIM115
    default_storage.save("agreements/2027/signed-agreement.pdf", ContentFile(b"%PDF-1.7 ..."))
    default_storage.save("imports/partners.xlsx", ContentFile(bytes(range(256)) * 40))
    default_storage.save("readme.txt", ContentFile("Malmö, Åbo".encode()))
    rows_before = every_row()
    files_before = every_file(media)
    assert sum(len(rows) for rows in rows_before.values()) > 1000
    assert len(files_before) == 4  # the three above and the demo's rendered agreement

    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    assert (folder / "manifest.json").is_file()

    destroy_database()
    shutil.rmtree(media)
    default_storage.save("left-over/not-in-the-backup.txt", ContentFile(b"x"))
    assert every_file(media) == {"left-over/not-in-the-backup.txt": b"x"}

    call_command("restore", str(folder), stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115

    assert every_file(media) == files_before
    rows_after = every_row()
    assert rows_after.keys() == rows_before.keys()
    for table, rows in rows_before.items():
        assert rows_after[table] == rows, table


def test_a_damaged_backup_is_refused_before_anything_changes(media: Path, tmp_path: Path) -> None:
    default_storage.save("agreements/one.pdf", ContentFile(b"%PDF-1.7 one"))
    folder = tmp_path / "backup"
    backup.backup(folder)
    default_storage.save("agreements/two.pdf", ContentFile(b"%PDF-1.7 two"))
    (folder / "documents" / "agreements" / "one.pdf").write_bytes(b"%PDF-1.7 0ne")
    files_before = every_file(media)

    with pytest.raises(CommandError, match=r"checksum differs: documents/agreements/one\.pdf"):
        call_command("restore", str(folder))
    assert every_file(media) == files_before

    (folder / "database.dump").unlink(missing_ok=True)
    (folder / "database.sqlite3").unlink(missing_ok=True)
    with pytest.raises(backup.BackupError, match="missing: database"):
        backup.verify(folder)


def test_a_backup_never_writes_into_a_folder_that_holds_something(tmp_path: Path) -> None:
    (tmp_path / "earlier.txt").write_text("an earlier backup")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own file")
def test_a_restore_does_not_wait_for_a_connection_left_open_on_the_database(
    media: Path, tmp_path: Path
) -> None:
    """A server thread or a forgotten shell may still hold the database file: the restore
    writes a new file and puts it in place instead of waiting for their lock forever."""
    default_storage.save("readme.txt", ContentFile(b"kept"))
    folder = tmp_path / "backup"
    backup.backup(folder)
    rows_before = every_row()
    other = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=0)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock, as a busy thread would
    try:
        call_command("restore", str(folder), stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    finally:
        other.close()
    assert every_row() == rows_before
