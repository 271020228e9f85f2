import pytest

from quickscale_modules.payments.tests.stripe_fake import (  # noqa: F401  (pytest fixtures)
    catalog,
    customer,
    stripe_api,
    stripe_settings,
)

# The fixture catalog's Pro plan prices (payments/tests/fixtures).
MONTHLY = "price_QsProMonth00001"
YEARLY = "price_QsProYear000001"


@pytest.fixture
def member(client, user):
    """The test client, signed in as `user`."""
    client.force_login(user)
    return client
