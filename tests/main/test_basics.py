def test_home_explains_the_table_and_lists_the_markets(client):
    html = client.get("/").get_data(as_text=True)
    assert "<h1>" in html and html.count("<h1") == 1
    assert "Halfgeleiders" in html and "Machinebouw" in html
    assert 'href="/auth/register"' in html


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["database"]) == ("ok", "ok")
