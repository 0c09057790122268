"""Issue 14 in a real browser: what a new reader sees looks like one site."""

STYLES = ["color", "fontFamily", "fontSize", "fontWeight", "textDecorationLine"]


def computed(locator):
    return locator.evaluate(
        f"element => {{ const style = getComputedStyle(element); return {STYLES!r}.map(name => style[name]); }}"
    )


def test_sign_out_looks_like_the_other_header_links(page, article, reader, sign_in):
    sign_in(page, reader.email)
    account = page.get_by_role("navigation", name="Your account")

    sign_out = computed(account.get_by_role("button", name="Sign out"))

    assert sign_out == computed(account.get_by_role("link", name="Profile"))
    assert sign_out == computed(account.get_by_role("link", name="My favorites"))
