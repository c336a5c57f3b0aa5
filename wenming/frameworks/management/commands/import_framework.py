import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wenming.frameworks import services
from wenming.orgs.models import Organization


class Command(BaseCommand):
    help = "导入测评体系（Excel .xlsx 或 YAML）为草稿。出错时不写入任何内容并以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--office", help="归属的文明办或单位编码；不填则放入平台示例库")
        parser.add_argument("--publish", action="store_true", help="导入后直接发布")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options):
        path = Path(options["path"])
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
        else:
            result = services.framework_import(
                content=path.read_bytes(), filename=path.name, owner=owner, user=None
            )
            if result.ok and options["publish"] and result.framework is not None:
                services.framework_publish(framework=result.framework, user=None)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        elif result.ok:
            s = result.summary
            self.stdout.write(
                f"已导入（编号 {result.framework.pk if result.framework else '-'}）："
                f"{s['items']}个测评项目，{s['standards']}条测评标准，基本分{s['points_total']}分，"
                f"加分项{s['bonus_standards']}条，一票否决{s['veto_count']}条。"
            )
        else:
            for problem in result.problems:
                self.stderr.write(str(problem))
        if not result.ok:
            raise SystemExit(1)
