from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=2`, and `?page_size=` up to 100 (default: settings.REST_FRAMEWORK["PAGE_SIZE"])."""

    page_size_query_param = "page_size"
    max_page_size = 100
