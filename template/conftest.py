"""Shared pytest fixtures for every app in the project."""

import pytest


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        email="member@example.com", password="correct-horse-battery-staple"
    )
