from django.core import paginator as django_paginator
from rest_framework import pagination


class Paginator(django_paginator.Paginator):
    """Django's paginator, except that a first page holding every row counts them itself.

    Most lists fit on one page: reading one row more than a page tells whether there is more,
    and when there is not, the rows read are the count (one query instead of a COUNT and a
    SELECT). Longer lists and later pages are counted as before.
    """

    def page(self, number):
        # `1` is what DRF passes without ?page=, "1" with ?page=1.
        if number not in (1, "1") or "count" in self.__dict__ or self.orphans:
            return super().page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            self.count = len(rows)  # sets the cached_property
        return self._get_page(rows[: self.per_page], 1, self)


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=2`, and `?page_size=` up to 100 (default: settings.REST_FRAMEWORK["PAGE_SIZE"])."""

    django_paginator_class = Paginator
    page_size_query_param = "page_size"
    max_page_size = 100
