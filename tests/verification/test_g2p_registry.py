@pytest.mark.django_db
def test_async_search_answer_reaches_on_search(sim, people, settings):  # type: ignore[no-untyped-def]
    from chitra.register.http_client import HttpRegisterConnector
    from chitra.verification.g2p_registry import register_verifier, sign

    conn = HttpRegisterConnector(
        sim.url, sender_id=settings.CHITRA_G2P_SENDER_ID, mode="async", poll_interval=0,
        signer=sign, verifier=register_verifier(), callback_uri="http://testserver/api/g2p",
        rate_per_second=None,
    )  # fmt: skip
    found = conn.lookup([people["ok"].personal_id])
    assert found[people["ok"].personal_id].full_name == people["ok"].full_name
    ((url, envelope),) = sim.app.outbox
    assert url == "http://testserver/api/g2p/registry/on-search"
    post = django_post(Client())
    assert sim.app.deliver(post=post) == [(url, 200)]
    got = RegisterMessage.objects.get(action="on-search")
    assert got.transaction_id == envelope["message"]["transaction_id"]
    assert AuditEvent.objects.filter(action="verification.register.on_search").count() == 1
