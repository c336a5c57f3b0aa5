from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from wenming.orgs.models import ApiToken


class Command(BaseCommand):
    help = "为用户签发 API 令牌（只显示一次）。用法：wenming create_token 用户名 [--name 用途]"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="令牌用途，便于日后识别和吊销")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{options['username']}”不存在或已停用。")
        token, raw = ApiToken.issue(user, name=options["name"])
        self.stderr.write(
            f"已为 {user.username} 签发令牌（编号 {token.prefix}），请妥善保存，它不会再次显示："
        )
        self.stdout.write(raw)
