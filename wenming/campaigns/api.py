from ninja import Router

router = Router(tags=["创建规划"])
