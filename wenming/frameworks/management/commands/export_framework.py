from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenming.frameworks.io import spec as spec_mod
from wenming.frameworks.io import yaml_io
from wenming.frameworks.models import Framework


class Command(BaseCommand):
    help = "导出测评体系。格式由输出文件扩展名决定（.xlsx 或 .yaml）。"

    def add_arguments(self, parser):
        parser.add_argument("framework_id", type=int)
        parser.add_argument("output")

    def handle(self, *args, **options):
        framework = Framework.objects.filter(pk=options["framework_id"]).first()
        if framework is None:
            raise CommandError(f"没有编号为 {options['framework_id']} 的测评体系。")
        out = Path(options["output"])
        spec = spec_mod.from_framework(framework)
        if out.suffix.lower() in (".yaml", ".yml"):
            out.write_text(yaml_io.dump(spec), encoding="utf-8")
        elif out.suffix.lower() == ".xlsx":
            from wenming.frameworks.io import excel

            out.write_bytes(excel.dump(spec))
        else:
            raise CommandError("输出文件扩展名应为 .xlsx 或 .yaml。")
        self.stdout.write(f"已导出到 {out}")
