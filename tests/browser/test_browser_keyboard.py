"""Keyboard only: the skip link comes first and moves the focus to the content; every
interactive element of the search page is reached by Tab, each with a visible focus (an
outline of at least 3:1 against what surrounds it, WCAG 2.1 1.4.11)."""

import re

INTERACTIVE = (
    "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])"
)
# Marks the interactive elements that can be reached (not hidden) and returns how many.
MARK = f"""() => {{
    const all = [...document.querySelectorAll("{INTERACTIVE}")];
    const reachable = all.filter(e => !e.disabled && e.getClientRects().length > 0);
    reachable.forEach((e, i) => e.setAttribute("data-tab", String(i)));
    return reachable.length;
}}"""
# The focused element: its mark, its outline and the background around it (the outline is
# drawn outside the element: the first opaque background of its ancestors, else white).
FOCUSED = """() => {
    const e = document.activeElement, s = getComputedStyle(e);
    let around = "rgb(255, 255, 255)";
    for (let a = e.parentElement; a; a = a.parentElement) {
        const b = getComputedStyle(a).backgroundColor;
        if (b !== "transparent" && !b.startsWith("rgba(0, 0, 0, 0")) { around = b; break; }
    }
    const r = e.getBoundingClientRect();
    return {mark: e.getAttribute("data-tab"), html: e.outerHTML.slice(0, 120),
            outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
            colour: s.outlineColor, around: around,
            onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two computed colours ("rgb(r, g, b)")."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_is_visible(state: dict) -> bool:
    seen = state["onScreen"] and state["outline"]
    return seen and contrast(state["colour"], state["around"]) >= 3


def test_the_skip_link_comes_first_and_moves_the_focus_to_the_content(page):
    page.goto("/recherche?q=centre")
    page.keyboard.press("Tab")
    first = focused(page)
    assert 'class="skip"' in first["html"], first
    assert focus_is_visible(first), f"the skip link must show when focused: {first}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_every_interactive_element_of_the_search_page_is_reached_with_a_visible_focus(page):
    page.goto("/recherche?page=2")  # results, filters and both pager links
    expected = page.evaluate(MARK)
    reached, unseen = [], []
    for _ in range(expected + 3):  # a little more: a trap or a loop would show
        page.keyboard.press("Tab")
        now = focused(page)
        if now["mark"] is None:
            break  # left the page (the browser's own controls)
        reached.append(int(now["mark"]))
        if not focus_is_visible(now):
            unseen.append(f"{now['html']} ({now['colour']} on {now['around']})")
    assert sorted(set(reached)) == list(range(expected)), (expected, reached)
    assert reached == sorted(reached), "Tab follows the order of the page"
    assert not unseen, "focused without a visible focus:\n" + "\n".join(unseen)
