from django.core.management.base import BaseCommand, CommandError

from wenming.orgs.models import ApiToken


class Command(BaseCommand):
    help = (
        "吊销 API 令牌。用法：wenming revoke_token 令牌编号（或完整令牌）；--list 列出某用户的令牌"
    )

    def add_arguments(self, parser):
        parser.add_argument("token", nargs="?", help="令牌编号（8位）或完整令牌")
        parser.add_argument("--list", metavar="USERNAME", help="列出该用户的令牌")

    def handle(self, *args, **options):
        if options["list"]:
            for t in ApiToken.objects.filter(user__username=options["list"]).order_by("created_at"):
                state = "已吊销" if t.revoked_at else "有效"
                self.stdout.write(
                    f"{t.prefix}  {state}  {t.name}  创建于 {t.created_at:%Y-%m-%d %H:%M}"
                )
            return
        value = options["token"] or ""
        prefix = value.split("_")[1] if value.startswith("wm_") and value.count("_") >= 2 else value
        token = ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True).first()
        if token is None:
            raise CommandError(f"没有找到有效的令牌“{prefix}”。")
        token.revoke()
        self.stdout.write(f"已吊销令牌 {token.prefix}（{token.user.username}）。")
