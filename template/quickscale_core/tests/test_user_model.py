import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError

pytestmark = pytest.mark.django_db


def test_user_logs_in_with_email_not_username():
    User = get_user_model()
    user = User.objects.create_user(email="Ada@Example.COM", password="s3cret-enough-pass")

    assert user.email == "ada@example.com"
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(user, "username") or user.username is None
    assert authenticate(email="ada@example.com", password="s3cret-enough-pass") == user
    # Case-insensitive login: people type their email however they like.
    assert authenticate(email="ADA@example.com", password="s3cret-enough-pass") == user
    assert authenticate(email="ada@example.com", password="wrong") is None


def test_email_is_unique_regardless_of_case():
    User = get_user_model()
    User.objects.create_user(email="dup@example.com", password="pw-123456-strong")
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="DUP@example.com", password="pw-123456-strong")


def test_create_user_requires_email():
    with pytest.raises(ValueError, match="email"):
        get_user_model().objects.create_user(email="", password="pw")


def test_superuser_has_all_flags():
    admin = get_user_model().objects.create_superuser(email="root@example.com", password="pw")
    assert admin.is_staff and admin.is_superuser and admin.is_active


def test_superuser_refuses_missing_staff_flag():
    with pytest.raises(ValueError, match="is_staff"):
        get_user_model().objects.create_superuser(
            email="root@example.com", password="pw", is_staff=False
        )


def test_admin_can_add_and_change_users(admin_client):
    response = admin_client.post(
        "/admin/quickscale_core/user/add/",
        {"email": "new@example.com", "password1": "Xy7!long-pass", "password2": "Xy7!long-pass"},
    )
    assert response.status_code == 302
    created = get_user_model().objects.get(email="new@example.com")
    assert created.check_password("Xy7!long-pass")

    change_page = admin_client.get(f"/admin/quickscale_core/user/{created.pk}/change/")
    assert change_page.status_code == 200
    assert b"new@example.com" in change_page.content
    assert admin_client.get("/admin/quickscale_core/user/?q=new@").status_code == 200
