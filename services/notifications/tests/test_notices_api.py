"""The notice settings API: each person their own address, language and kinds (nobody else's),
the unsubscribe link that works without signing in (a page that changes nothing, then the POST),
and the caller's own mails."""

from __future__ import annotations

from dgplan_contracts.identity import AGENCY, BODY_MEMBER, PUBLIC
from notifications.adapters.notice_people_repository import NoticePeople
from notifications.adapters.secret_box import SecretBox
from notifications.adapters.unsubscribe_tokens import make_token

ME = "/api/v1/notices/me"


async def test_a_person_sets_their_address_and_language_and_reads_them_back(client, identity):
    member = identity(BODY_MEMBER, subject="demo-dgc-member-1", bodies=["digital-government-committee"])
    empty = await client.get(ME, headers=member)
    assert empty.status_code == 200 and empty.json()["contact"] is None and "ETag" not in empty.headers
    assert all(empty.json()["preferences"].values())
    put = await client.put(ME, json={"email": "somchai@dga.or.th", "language": "en"}, headers=member)
    assert put.status_code == 200, put.text
    assert put.json()["contact"]["email"] == "somchai@dga.or.th" and put.json()["contact"]["language"] == "en"
    etag = put.headers["ETag"]
    # Changing it needs the ETag (428 without, 412 with a stale one).
    assert (await client.put(ME, json={"email": "x@dga.or.th"}, headers=member)).status_code == 428
    assert (await client.put(ME, json={"email": "x@dga.or.th"}, headers={**member, "If-Match": '"stale"'})
            ).status_code == 412
    changed = await client.put(ME, json={"email": "x@dga.or.th"}, headers={**member, "If-Match": etag})
    assert changed.status_code == 200 and changed.json()["contact"]["language"] == "th"  # Thai by default
    other = await client.get(ME, headers=identity(BODY_MEMBER, subject="demo-nesdc"))
    assert other.json()["contact"] is None  # someone else's settings are their own


async def test_an_agency_persons_contact_takes_the_agency_from_their_identity(client, identity):
    staff = identity(AGENCY, agency="MOF", subject="mof-staff")
    put = await client.put(ME, json={"email": "manee@mof.go.th"}, headers=staff)
    assert put.json()["contact"]["agency"] == "MOF"


async def test_bad_addresses_and_kinds_are_refused_and_anonymous_callers_have_no_settings(client, identity):
    member = identity(BODY_MEMBER, subject="m1")
    bad = await client.put(ME, json={"email": "not an address"}, headers=member)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert (await client.put(f"{ME}/preferences/everything", json={"subscribed": False}, headers=member)
            ).status_code == 422
    anonymous = identity(PUBLIC, subject="anonymous")
    assert (await client.get(ME, headers=anonymous)).status_code == 401
    assert (await client.put(ME, json={"email": "a@b.go.th"}, headers=anonymous)).status_code == 401
    assert (await client.get(f"{ME}/mails", headers=anonymous)).status_code == 401


async def test_one_kind_is_turned_off_and_on_again(client, identity):
    member = identity(BODY_MEMBER, subject="m2")
    off = await client.put(f"{ME}/preferences/deadline-near", json={"subscribed": False}, headers=member)
    assert off.status_code == 200 and off.json()["preferences"]["deadline-near"] is False
    assert off.json()["preferences"]["stage-overdue"] is True
    on = await client.put(f"{ME}/preferences/deadline-near", json={"subscribed": True}, headers=member)
    assert on.json()["preferences"]["deadline-near"] is True


async def test_the_unsubscribe_link_works_without_signing_in_and_its_page_changes_nothing(client, identity,
                                                                                        settings):
    token = make_token(SecretBox.from_setting(settings.secret_keys.get_secret_value()), "m3", "stage-overdue")
    page = await client.get(f"/api/v1/notices/unsubscribe?token={token}")
    assert page.status_code == 200 and "<form" in page.text and "stage-overdue" in page.text
    member = identity(BODY_MEMBER, subject="m3")
    assert (await client.get(ME, headers=member)).json()["preferences"]["stage-overdue"] is True
    # A mail program's RFC 8058 one-click POST (a form body, no sign-in, no Idempotency-Key).
    done = await client.post(f"/api/v1/notices/unsubscribe?token={token}", content="List-Unsubscribe=One-Click",
                             headers={"content-type": "application/x-www-form-urlencoded"})
    assert done.status_code == 200, done.text
    assert done.json() == {"kind": "stage-overdue", "subscribed": False}
    prefs = (await client.get(ME, headers=member)).json()["preferences"]
    assert prefs["stage-overdue"] is False and prefs["decision-waiting"] is True


async def test_a_forged_or_foreign_token_is_refused(client):
    other_key = SecretBox.from_setting("bm90LXRoZS1zZXJ2aWNlcy1rZXktMzItYnl0ZXMhISE=")
    for token in ("abc", make_token(other_key, "m4", "stage-overdue")):
        refused = await client.post(f"/api/v1/notices/unsubscribe?token={token}")
        assert refused.status_code == 422 and refused.json()["type"].endswith("bad-unsubscribe-link")


async def test_my_mails_lists_only_my_own(client, identity):
    answer = await client.get(f"{ME}/mails", headers=identity(BODY_MEMBER, subject="m5"))
    assert answer.status_code == 200 and answer.json() == {"items": []}


async def test_make_runs_demo_people_get_undeliverable_demo_addresses_once(runtime):
    from notifications.application import demo_contacts  # lazy: only this test seeds the demo

    async with runtime.uow() as uow:
        first = await demo_contacts.handle(demo_contacts.SeedDemoContacts(), uow)
        again = await demo_contacts.handle(demo_contacts.SeedDemoContacts(), uow)
        contact = await NoticePeople(uow.session).contact("demo-dgc-member-1")
        agency = await NoticePeople(uow.session).contact("demo-mof-staff")
        await uow.rollback()
    assert first == len(demo_contacts.DEMO_SUBJECTS) and again == 0
    assert contact is not None and contact.email == "demo-dgc-member-1@demo.dgplan.invalid" and contact.language == "th"
    assert agency is not None and agency.agency == "MOF"


async def test_a_preference_is_true_or_false_not_a_number(client, identity):  # type: ignore[no-untyped-def]
    """Found by schemathesis: {"subscribed": 0} was read as false and answered 200."""
    me = identity("agency", agency="MOF", subject="mof-person")
    refused = await client.put("/api/v1/notices/me/preferences/decision-waiting", json={"subscribed": 0}, headers=me)
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
