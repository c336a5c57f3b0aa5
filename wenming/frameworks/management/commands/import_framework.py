import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wenming.frameworks import services
from wenming.frameworks.io.reading import Corrections
from wenming.frameworks.io.spec import ImportFailed
from wenming.orgs.models import Organization


class Command(BaseCommand):
    help = (
        "导入测评体系（Excel .xlsx/.xls/.et/.ods、Word .docx/.doc/.wps 或 YAML）为草稿。"
        "出错时不写入任何内容并以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--office", help="归属的文明办或单位编码；不填则放入平台示例库")
        parser.add_argument("--publish", action="store_true", help="导入后直接发布")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument(
            "--preview",
            action="store_true",
            help="只输出读取结果（每一行的角色、各列含义、树和核对，JSON），不导入",
        )
        parser.add_argument(
            "--corrections",
            help="更正读取结果的 JSON 文件（roles、columns、caps、basic_total、accept_text_points）",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        corrections = self.corrections(options["corrections"])
        owner = None
        if options["office"]:
            owner = Organization.objects.filter(code=options["office"]).first()
            if owner is None:
                raise CommandError(f"没有编码为“{options['office']}”的文明办或单位。")
        if not path.is_file():
            result = services.ImportResult(
                ok=False, problems=[services.Problem(f"找不到文件 {path}")]
            )
        elif path.stat().st_size > settings.WENMING_IMPORT_MAX_BYTES:
            limit = services.size_label(settings.WENMING_IMPORT_MAX_BYTES)
            result = services.ImportResult(
                ok=False, problems=[services.Problem(f"文件超过{limit}，请删去无关内容后再导入")]
            )
        elif options["preview"]:
            self.preview(path, corrections)
            return
        else:
            result = services.framework_import(
                content=path.read_bytes(),
                filename=path.name,
                owner=owner,
                user=None,
                corrections=corrections,
            )
            if result.ok and options["publish"] and result.framework is not None:
                services.framework_publish(framework=result.framework, user=None)
        self.report(result, as_json=options["json"])

    def corrections(self, path: str | None) -> Corrections | None:
        if not path:
            return None
        try:
            return Corrections.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise CommandError(f"更正文件“{path}”无法读取：{exc}") from exc

    def preview(self, path: Path, corrections: Corrections | None) -> None:
        """The reading as JSON (what the preview screen shows); exits non-zero if it blocks."""
        try:
            reading = services.read_upload(path.read_bytes(), path.name, corrections)
        except ImportFailed as exc:
            out = {"ok": False, "problems": [p.as_dict() for p in exc.problems]}
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            raise SystemExit(1) from exc
        self.stdout.write(json.dumps(reading.as_dict(), ensure_ascii=False))
        if not reading.ok:
            raise SystemExit(1)

    def report(self, result: services.ImportResult, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        elif result.ok:
            s = result.summary
            self.stdout.write(
                f"已导入（编号 {result.framework.pk if result.framework else '-'}）："
                f"{s['items']}个测评项目，{s['standards']}条测评标准，基本分{s['points_total']}分，"
                f"满分{s['max_total']}分，加分项{s['bonus_standards']}条，"
                f"扣分项{s['deduction_standards']}条，一票否决{s['veto_count']}条。"
            )
        else:
            for problem in result.problems:
                self.stderr.write(str(problem))
        if not result.ok:
            raise SystemExit(1)
