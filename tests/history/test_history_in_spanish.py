"""Issue 15: a listing's public history reads in Spanish for a Spanish reader (the
sentence each change makes), and stays English for an English one."""

import pytest

from tests.history.conftest import edit, set_phone

pytestmark = pytest.mark.django_db


def test_a_changed_phone_reads_in_spanish_in_the_public_history(client, service, member):
    edit(service, member, set_phone("312-555-0199"))
    spanish = client.get(f"/history/{service.pk}/", HTTP_ACCEPT_LANGUAGE="es").text
    assert '<html lang="es"' in spanish
    assert "cambió de (312) 555-0101 a (312) 555-0199" in spanish
    assert "changed from" not in spanish
    english = client.get(f"/history/{service.pk}/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "changed from (312) 555-0101 to (312) 555-0199" in english
