from django.core.management.base import BaseCommand

from wenming.core import registry
from wenming.orgs.demo import ACCOUNTS, DEMO_PASSWORD, load_demo
from wenming.orgs.models import Role


class Command(BaseCommand):
    help = "载入演示数据（示例文明办、市市场监管局及各角色账号）；已载入时不重复创建。"

    def handle(self, *args, **options):
        created = load_demo()
        self.stdout.write("演示数据已载入。" if created else "演示数据已存在，未重复创建。")
        if created:
            for step in registry.extensions("demo.loaded"):
                step()
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for account in ACCOUNTS:
            self.stdout.write(
                f"  {account.username:<10} {account.name}  {Role(account.role).label}"
            )
