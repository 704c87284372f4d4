"""Real models on the page, in Chromium at a desktop's and a phone's width: ResNet-50, GPT-2 and a U-Net.

The table is a module tree opened a few levels deep, its numeric columns always in view; the total is a
folded sum that still adds up; the diagram draws blocks closed, with the U-Net's skip connections as arrows.
Screenshots go to tests/web/artifacts/ (the copies in docs/images/ come from there).
"""

from __future__ import annotations

import pytest
from conftest import ROOT, latex_sum

MODELS = ROOT / "tests" / "models"
# The totals real PyTorch builds (tests/test_published_totals.py and tests/test_models_oracle.py check that
# nncalc reads the same): torchvision's ResNet-50 card, nanoGPT's GPT-2 small, the U-Net run by torch.
CASES = {
    "resnet50": ("torch_resnet50.py", "25,557,032"),
    "gpt2": ("torch_gpt2_nanogpt.py", "124,439,808"),
    "unet": ("torch_unet.py", "31,037,698"),
}
WIDTHS = {"desktop": (1400, 900), "phone": (390, 844)}


@pytest.fixture(params=list(WIDTHS))
def sized_page(request, browser, live_server):
    width, height = WIDTHS[request.param]
    phone = request.param == "phone"
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                  is_mobile=phone, has_touch=phone)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.goto(live_server + "/")
    page.wait_for_selector("body[data-ready=true]")
    yield request.param, page
    context.close()
    assert not problems, f"JavaScript errors on the page: {problems}"


def open_model(page, filename: str, total: str) -> None:
    page.set_input_files("#open-file", str(MODELS / filename))
    page.wait_for_function(
        "total => document.querySelector('#total-params')?.textContent === total "
        "&& document.querySelector('#error').hidden", arg=total, timeout=30_000)


def assert_numbers_in_view(page) -> None:
    """Every numeric cell shown (Params, MACs, Memory) lies inside the table's box and the viewport, and the
    table needs no sideways scrolling."""
    wrap = page.locator(".table-wrap")
    assert page.evaluate("() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth <= w.clientWidth; }")
    box = wrap.bounding_box()
    viewport = page.viewport_size["width"]
    cells = page.eval_on_selector_all(
        "#layers th.num, #layers tbody td.num",
        "cells => cells.map(c => { const r = c.getBoundingClientRect(); return [r.left, r.right, c.scrollWidth, c.clientWidth]; })")
    assert len(cells) > 3
    for left, right, scroll_width, client_width in cells:
        assert box["x"] - 0.5 <= left and right <= min(box["x"] + box["width"], viewport) + 0.5
        assert scroll_width <= client_width  # the number is whole, not cut off


def visible_rows(page) -> list[str]:
    return [t.strip() for t in page.locator("#layers tbody tr td.name .label").all_inner_texts()]


@pytest.mark.parametrize("name", list(CASES))
def test_real_model_fits_the_page(sized_page, name, artifacts):
    size, page = sized_page
    filename, total = CASES[name]
    open_model(page, filename, total)
    page.screenshot(path=str(artifacts / f"web-{name}-{size}.png"), full_page=True)
    assert page.locator("#filename").inner_text() == filename
    # the tree is open only a few levels: a handful of rows, not every leaf
    rows = visible_rows(page)
    assert 5 <= len(rows) <= 30
    assert page.locator("#layers tbody tr.container .twist").count() >= 2
    assert_numbers_in_view(page)
    # the total is a short sum whose numbers add up to it
    tex = page.locator("#total-formula annotation").first.text_content()
    assert latex_sum(tex) == int(total.replace(",", ""))
    assert page.locator("#total-formula .tex").evaluate("f => f.scrollWidth <= f.clientWidth + 1")
    # the diagram draws blocks closed
    assert page.locator("#diagram svg g.box.block").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[size][0]


def test_tree_and_diagram_open_and_close(page):
    open_model(page, "torch_resnet50.py", CASES["resnet50"][1])
    rows = len(visible_rows(page))
    layer1 = page.locator("#layers tbody tr", has=page.locator(".label", has_text="layer1 (Sequential)"))
    layer1.locator(".twist").click()  # close the stage in the table: its three blocks go
    assert len(visible_rows(page)) == rows - 3
    assert layer1.locator(".twist").get_attribute("aria-expanded") == "false"
    layer1.click()  # a module's formula is the sum of its parts
    assert "Bottleneck" in page.locator("#layer-formula annotation").first.text_content()
    # the diagram: + opens layer1 into a frame of its blocks, − closes it again
    page.locator('#diagram g.toggle[data-key="layer1"]').click()
    page.wait_for_selector('#diagram text.frame-label', timeout=20_000)
    assert page.locator("#diagram text.frame-label").all_text_contents() == ["layer1 (Sequential)"]
    assert page.locator("#diagram g.box.block text.name").all_text_contents()[:2] == [
        "0 (Bottleneck)", "1–2 (Bottleneck)"]
    page.locator("#diagram text.detail", has_text="× 2, identical").wait_for()
    page.locator('#diagram g.toggle[data-key="layer1"]').click()
    page.wait_for_function("() => !document.querySelector('#diagram text.frame-label')", timeout=20_000)
    # a box of the diagram selects its row, opening the table down to it
    page.locator("#diagram g.box", has=page.locator("text.name", has_text="layer2 (Sequential)")).click()
    assert page.locator("#layers tbody tr.selected .label").inner_text() == "layer2 (Sequential)"
