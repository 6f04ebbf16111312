"""A pledge counts in the open data only while the bureau stands behind the merchant."""

import json

import pytest
from django.urls import reverse

from merchants.models import Merchant

from .merchant_factories import make_merchant

pytestmark = pytest.mark.django_db


def merchant_json(client, merchant):
    url = reverse("api:merchant", args=[merchant.credit_code])
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()
    return json.loads(response.content)


def test_a_listed_merchants_pledge_within_its_dates_is_in_force(client):
    merchant = make_merchant()
    data = merchant_json(client, merchant)
    assert data["status"] == "in_force"
    assert [pledge["in_force"] for pledge in data["pledges"]] == [True]


@pytest.mark.parametrize(
    "registry_status, status",
    [
        (Merchant.RegistryStatus.SUSPENDED, "suspended"),
        (Merchant.RegistryStatus.REMOVED, "removed"),
    ],
)
def test_a_suspended_or_removed_merchants_pledges_are_not_in_force(client, registry_status, status):
    merchant = make_merchant(
        registered_name="长沙市天心区某健身服务有限公司", registry_status=registry_status
    )
    data = merchant_json(client, merchant)
    assert data["status"] == status
    # The pledge's dates still run; what the merchant promised no longer counts.
    assert data["pledges"] and all(not pledge["in_force"] for pledge in data["pledges"])
    assert data["pledges"][0]["starts_on"] <= data["pledges"][0]["ends_on"]
