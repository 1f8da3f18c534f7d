"""The watch of the browser tests' pages catches what it is there for: a request to another
host, a sub-resource in error, a console error, an exception in the page."""

from browser.conftest import watched_page


def test_the_watch_catches_requests_elsewhere_errors_and_exceptions(browser, live_portal):
    # bypass_csp: the portal's policy would block the foreign request before the watch sees it
    tab, watch = watched_page(browser, live_portal, bypass_csp=True)
    try:
        tab.goto("/erreur-voulue")  # the error page itself is what the test asked for
        tab.evaluate("""fetch("http://192.0.2.1/piste.js").catch(() => null)""")
        with tab.expect_response("**/static/absent.js"):
            tab.evaluate("""fetch("/static/absent.js")""")
        with tab.expect_console_message():
            tab.evaluate("""console.error("erreur voulue")""")
        with tab.expect_event("pageerror"):
            tab.evaluate("""setTimeout(() => { throw new Error("exception voulue"); })""")
    finally:
        tab.context.close()
    found = "\n".join(watch.problems)
    assert "request to another host: http://192.0.2.1/piste.js" in found
    assert "sub-resource answered 404" in found and "/static/absent.js" in found
    assert "console error: erreur voulue" in found
    assert "exception voulue" in found
    assert "/erreur-voulue" not in found, found


def test_the_portal_policy_blocks_what_comes_from_elsewhere(browser, live_portal):
    tab, watch = watched_page(browser, live_portal)
    try:
        tab.goto("/")
        with tab.expect_console_message():
            tab.evaluate("""new Image().src = "http://192.0.2.1/pixel.png" """)
    finally:
        tab.context.close()
    assert any("Content Security Policy" in p for p in watch.problems), watch.problems
