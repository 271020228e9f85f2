"""A NUL character in a URL path is a 404, before any view or query sees it."""

import pytest


@pytest.mark.parametrize("path", ["/%00/", "/healthz/%00", "/admin/%00x/", "/a%00b/c/"])
def test_nul_in_the_path_is_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_ordinary_paths_pass(client):
    assert client.get("/healthz/").status_code == 200
