from ninja import Router

router = Router(tags=["进度报送"])
