"""The bare authenticated page a monitor polls and the load scenario measures against."""


def test_ping_answers_a_logged_in_user_with_a_few_bytes(world, login):
    response = login(world.users["teacher"]).get("/ping/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_ping_sends_an_anonymous_visitor_to_log_in(client):
    response = client.get("/ping/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")
