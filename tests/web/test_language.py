"""The interface is Chinese unless the user picked English; the browser's language does not decide."""

import pytest


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_the_chosen_language_is_kept_in_a_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/accounts/login/")["Content-Language"] == "en"


@pytest.mark.django_db
def test_an_unknown_language_in_the_cookie_falls_back_to_chinese(client):
    client.cookies["django_language"] = "fr"
    assert client.get("/accounts/login/")["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_an_english_request_leaves_the_next_code_in_chinese(client):
    from django.utils import translation

    client.cookies["django_language"] = "en"
    assert client.get("/accounts/login/")["Content-Language"] == "en"
    assert translation.get_language() == "zh-hans"


@pytest.mark.django_db
def test_the_public_portal_has_the_language_switch_too(client):
    page = client.get("/portal/").content.decode()
    assert 'action="/i18n/setlang/"' in page and "巡视巡察整改进展情况公开" in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/portal/"})
    assert response["Location"] == "/portal/"
    english = client.get("/portal/")
    assert english["Content-Language"] == "en" and "巡视巡察整改进展情况公开" not in english.content.decode()
