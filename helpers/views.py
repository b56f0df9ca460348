"""View pieces several apps share."""


class PartialPutMixin:
    """PUT is a partial update: the SPA's edit forms leave unchanged fields out (api-contract 2.7.4)."""

    def put(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)
