"""Import staff weeks and courses from a CSV or XLSX file (idempotent by external id)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from utsikt.accounts.models import OrgUnit, User
from utsikt.catalogue import imports
from utsikt.catalogue.models import ImportMapping


class Command(BaseCommand):
    help = (
        "Import opportunities from a CSV or XLSX file, one per row. Every row is checked "
        "first; by default nothing is saved if any row has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .csv or .xlsx file")
        parser.add_argument(
            "--faculty", required=True, help="the code of the faculty that curates them"
        )
        parser.add_argument("--by", help="e-mail of the officer importing (default: nobody)")
        parser.add_argument("--language", choices=["sv", "en"], default="sv")
        parser.add_argument(
            "--dry-run",
            "--check",
            dest="check",
            action="store_true",
            help="only check the file and say what would happen; save nothing",
        )
        parser.add_argument(
            "--mapping", help="the name of a column mapping saved on the import page"
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print one JSON object: the counts and the problems in both languages",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="save the good rows even if other rows have problems",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        faculty = OrgUnit.objects.faculties().filter(code=options["faculty"]).first()
        if faculty is None:
            raise CommandError(
                _("No faculty has the code %(code)s.") % {"code": options["faculty"]}
            )
        by = None
        if options["by"]:
            by = User.objects.filter(email=options["by"].lower()).first()
            if by is None:
                raise CommandError(_("Nobody has the e-mail %(email)s.") % {"email": options["by"]})

        mapping = None
        if options["mapping"]:
            saved = ImportMapping.objects.filter(faculty=faculty, name=options["mapping"]).first()
            if saved is None:
                raise CommandError(
                    _("No column mapping is called %(name)s.") % {"name": options["mapping"]}
                )
            mapping = saved.columns
        report = imports.import_file(
            name=path.name,
            data=path.read_bytes()[: imports.MAX_UPLOAD_BYTES * 20],
            faculty=faculty,
            by=by,
            check_only=options["check"],
            all_or_nothing=not options["skip_invalid"],
            progress=None if options["json"] else self._progress,
            mapping=mapping,
        )
        refused = (
            bool(report.problems)
            and not report.saved
            and not (options["check"] and options["skip_invalid"])
        )
        if options["json"]:
            self.stdout.write(json.dumps(imports.report_json(report), ensure_ascii=False))
            if refused:
                raise CommandError(_("Nothing was saved."), returncode=2)
            return
        sys.stderr.write("\n")
        for problem in report.problems:
            where = (
                _("Row %(row)s, %(column)s") % {"row": problem.row, "column": problem.column}
                if problem.row
                else _("The file")
            )
            self.stdout.write(f"{where}: {problem.message}")
        if report.saved:
            summary = _(
                "%(rows)s rows: %(created)s new, %(updated)s changed, %(unchanged)s unchanged."
            )
            self.stdout.write(
                self.style.SUCCESS(
                    summary
                    % {
                        "rows": report.rows,
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                    }
                )
            )
        if report.drafts:
            self.stdout.write(
                ngettext(
                    "%(count)s row has no date: kept as a draft, not published.",
                    "%(count)s rows have no date: kept as drafts, not published.",
                    report.drafts,
                )
                % {"count": report.drafts}
            )
        for warning in report.warnings:
            self.stdout.write(f"({warning.row}, {warning.column}) {warning.message}")
        if report.problems and not report.saved:
            raise CommandError(
                _("Nothing was saved: fix the rows above and import again."), returncode=2
            )
        if not report.problems and not report.saved:
            self.stdout.write(self.style.SUCCESS(_("The file is fine. Nothing is saved yet.")))

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
