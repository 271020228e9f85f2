"""The free plan's list limit (billing's "projects" entitlement), enforced by the service."""

import pytest
from django.apps import apps
from django.urls import reverse

from quickscale_modules.billing.tests.conftest import MONTHLY
from quickscale_modules.payments.tests.stripe_fake import (  # noqa: F401  (pytest fixtures)
    catalog,
    customer,
    deliver,
    event,
    stripe_api,
    stripe_settings,
    subscription,
)
from quickscale_themes.todo import services
from quickscale_themes.todo.models import TodoList

pytestmark = pytest.mark.django_db


def fill_free_plan(user):
    limit = services.list_limit(user)
    assert limit == 3  # BILLING_FREE_ENTITLEMENTS in the generated settings
    for number in range(limit):
        services.create_list(user, name=f"List {number}")


def test_the_service_refuses_lists_beyond_the_plan(user):
    fill_free_plan(user)

    assert not services.can_create_list(user)
    with pytest.raises(services.ListLimitReached, match="Your plan includes 3 lists"):
        services.create_list(user, name="One too many")
    assert TodoList.objects.filter(owner=user).count() == 3


def test_the_page_shows_an_upgrade_prompt_linking_to_pricing(member, user):
    fill_free_plan(user)

    page = member.get(reverse("todo:lists")).content.decode()
    assert "Upgrade your plan" in page and f'href="{reverse("billing:pricing")}"' in page
    assert 'name="name"' not in page  # no form to fill in for nothing

    response = member.post(reverse("todo:list_create"), {"name": "One too many"})
    assert response.status_code == 403
    assert "Your plan includes 3 lists" in response.content.decode()
    response = member.post(
        reverse("todo:list_create"), {"name": "One too many"}, headers={"HX-Request": "true"}
    )
    assert "Upgrade your plan" in response.content.decode()
    assert TodoList.objects.filter(owner=user).count() == 3


def test_a_subscription_raises_the_limit(client, customer, catalog, user):  # noqa: F811
    fill_free_plan(user)

    subscribed = subscription(catalog, user, MONTHLY)
    response = deliver(client, event("customer.subscription.created", subscribed))
    assert response.status_code == 200

    assert services.list_limit(user) == 20  # the Pro plan's "projects" limit
    services.create_list(user, name="Fourth")
    assert TodoList.objects.filter(owner=user).count() == 4


@pytest.mark.skipif(
    not apps.is_installed("quickscale_modules.api"), reason="the api module is not installed"
)
def test_the_api_answers_plan_limit(client, user):
    from quickscale_modules.api import services as api_services

    fill_free_plan(user)
    key = api_services.create_key(user, "Tests").key

    response = client.post(
        "/api/v1/lists/",
        {"name": "One too many"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )

    assert response.status_code == 403
    assert response.json()["code"] == "plan_limit"
    assert "Upgrade" in response.json()["detail"]
