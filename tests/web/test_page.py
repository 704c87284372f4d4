"""The page in real headless Chromium (Debian's chromium driven by Playwright): the seed in both frameworks,
an error marked at its line, the exports, the diagram; screenshots at desktop and phone widths."""

from __future__ import annotations

import json

import pytest
from conftest import seed

SEED_TOTAL = "404,218"  # the seed's hand calculation: 224 + 1,168 + 401,536 + 1,290
KERAS_ROWS = ["conv2d (Conv2D)", "conv2d_1 (Conv2D)", "max_pooling2d (MaxPooling2D)", "flatten (Flatten)",
              "dense (Dense)", "dense_1 (Dense)"]


def wait_for_total(page, total: str = SEED_TOTAL) -> None:
    page.wait_for_function(
        "total => document.querySelector('#total-params')?.textContent === total "
        "&& document.querySelector('#error').hidden", arg=total, timeout=20_000)


def cell_texts(page, column: int) -> list[str]:
    return [text.strip() for text in page.locator(f"#layers tbody tr td:nth-child({column})").all_inner_texts()]


def test_keras_seed_example_shows_the_total_rows_and_formulas(page, artifacts):
    page.click("#example-keras")
    wait_for_total(page)
    assert cell_texts(page, 1) == KERAS_ROWS
    assert cell_texts(page, 3) == ["224", "1,168", "0", "0", "401,536", "1,290"]
    assert cell_texts(page, 2)[0] == "(None, 30, 30, 8)"
    assert page.locator("#framework").inner_text() == "framework: Keras"
    # the first layer is selected: its formula typeset by the KaTeX shipped with the package
    assert page.locator("#layer-formula .katex").count() >= 1
    assert "28×8" in page.locator("#layer-formula .katex-html").first.inner_text().replace(" ", "").replace("\n", "")
    page.screenshot(path=str(artifacts / "desktop.png"), full_page=True)
    page.locator("#layers tbody tr").nth(4).click()
    assert "line 7" in page.locator("#formula-title").inner_text()
    assert "401,536" in page.locator("#layer-formula .katex-html").first.inner_text().replace("\n", "")
    assert page.locator("#total-formula .katex").count() == 1


def test_phone_width_screenshot(browser, live_server, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(live_server + "/")
    page.wait_for_selector("body[data-ready=true]")
    page.click("#example-keras")
    wait_for_total(page)
    editor, results = page.locator("#editor").bounding_box(), page.locator(".results").bounding_box()
    assert results["y"] >= editor["y"] + editor["height"]  # one column: results below the editor
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.screenshot(path=str(artifacts / "phone.png"), full_page=True)
    context.close()


def test_pasted_pytorch_seed_gives_the_same_total(page):
    page.fill("#code", seed("torch"))
    wait_for_total(page)
    assert page.locator("#framework").inner_text() == "framework: PyTorch"
    assert cell_texts(page, 1) == ["conv1 (Conv2d)", "conv2 (Conv2d)", "pool (MaxPool2d)", "fc1 (Linear)",
                                   "fc2 (Linear)"]
    assert cell_texts(page, 2)[0] == "[1, 8, 30, 30]"


def test_typed_error_is_marked_at_its_line(page):
    page.click("#example-keras")
    wait_for_total(page)
    code = seed("keras")
    position = code.index("Dense(128") + len("Dense(128")
    line = code[:position].count("\n") + 1
    page.focus("#code")
    page.evaluate("p => document.querySelector('#code').setSelectionRange(p, p)", position)
    page.keyboard.type(", units=5")
    page.wait_for_selector("#error:not([hidden])", timeout=20_000)
    assert page.locator(".gutter .ln.error").all_inner_texts() == [str(line)]
    assert page.locator("#error-band").is_visible()
    message = page.locator("#error").inner_text()
    assert message.startswith(f"simple_cnn_keras.py:{line}:") and "units" in message
    assert "/work" not in message and "Traceback" not in message
    page.fill("#code", code)  # fixed again: the mark goes away
    wait_for_total(page)
    assert page.locator(".gutter .ln.error").count() == 0


def test_markdown_export(page):
    page.click("#example-keras")
    wait_for_total(page)
    with page.expect_download() as download:
        page.click("#export-markdown")
    assert download.value.suggested_filename == "simple_cnn_keras.md"
    text = open(download.value.path(), encoding="utf-8").read()
    # MACs of conv2d by hand: 30 × 30 × 8 outputs × (3 × 3 × 3) products = 194,400
    assert "| conv2d (Conv2D) | (None, 30, 30, 8) | 224 | 194.40 K | `(3 × 3 × 3 + 1) × 8` |" in text
    assert "- Total params: **404,218 (404.22 K)**" in text
    assert "           = (3,136 + 1) × 128\n" in text  # the worked calculation follows the table


@pytest.mark.parametrize("kind, magic", [("svg", b"<svg"), ("png", b"\x89PNG"), ("json", b"{"), ("latex", b"\\section")])
def test_other_exports(page, kind, magic):
    page.click("#example-keras")
    wait_for_total(page)
    with page.expect_download() as download:
        page.click(f"#export-{kind}")
    assert open(download.value.path(), "rb").read().startswith(magic)


def test_diagram_has_one_box_per_layer(page):
    page.click("#example-keras")
    wait_for_total(page)
    boxes = page.locator("#diagram svg g.box.layer")
    assert boxes.count() == page.locator("#layers tbody tr.layer").count() == 6
    labels = page.locator("#diagram svg g.box.layer text.name").all_text_contents()
    assert labels == KERAS_ROWS
    widths = [float(w) for w in page.eval_on_selector_all("#diagram svg g.box.layer rect", "rs => rs.map(r => r.getAttribute('width'))")]
    assert widths[0] > widths[-1]  # a 30×30 feature map is drawn wider than a 10-value output
    boxes.nth(4).click()
    assert page.locator("#layers tbody tr.selected td").first.inner_text().strip() == "dense (Dense)"


def test_open_file_loads_it_and_names_it_in_errors(page, tmp_path):
    path = tmp_path / "my_model.py"
    path.write_text(seed("torch").replace("nn.Linear(128, 10)", "nn.Linear(64, 10)"), encoding="utf-8")
    page.set_input_files("#open-file", str(path))
    page.wait_for_selector("#error:not([hidden])", timeout=20_000)
    assert page.input_value("#code") == path.read_text(encoding="utf-8")
    assert page.locator("#error").inner_text().startswith("my_model.py:")
    assert "`nn.Linear(64, 10)` (line 14)" in page.locator("#error").inner_text()
    page.fill("#input-shape", "3,32,32")  # the input given: now the layer itself is wrong
    page.wait_for_function("() => document.querySelector('#error').textContent.includes('use `nn.Linear(128, 10)`')",
                           timeout=20_000)
    code = path.read_text(encoding="utf-8")
    line = code[: code.index("x = self.fc2(x)")].count("\n") + 1
    assert page.locator(".gutter .ln.error").all_inner_texts() == [str(line)]


def test_pasted_code_replacing_a_seed_is_named_pasted(browser, live_server):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"], accept_downloads=True)
    page = context.new_page()
    page.goto(live_server + "/")
    page.wait_for_selector("body[data-ready=true]")
    page.click("#example-keras")
    wait_for_total(page)
    assert page.locator("#filename").inner_text() == "simple_cnn_keras.py"
    broken = seed("torch").replace("nn.Linear(128, 10)", "nn.Linear(64, 10)")
    page.evaluate("text => navigator.clipboard.writeText(text)", broken)
    page.focus("#code")
    page.keyboard.press("Control+A")
    page.keyboard.press("Control+V")  # a real paste over the whole seed
    page.wait_for_selector("#error:not([hidden])", timeout=20_000)
    assert page.input_value("#code") == broken
    assert page.locator("#filename").inner_text() == "pasted code"
    assert page.locator("#error").inner_text().startswith("<pasted>:")
    page.fill("#input-shape", "3,32,32")
    page.fill("#code", seed("torch"))
    wait_for_total(page)
    with page.expect_download() as download:
        page.click("#export-json")
    assert download.value.suggested_filename == "pasted.json"
    assert json.loads(open(download.value.path(), encoding="utf-8").read())["file"] == "<pasted>"
    context.close()


def test_an_error_greys_out_the_last_result_and_a_new_file_clears_it(page, tmp_path):
    page.click("#example-keras")
    wait_for_total(page)
    assert page.locator("#stale").is_hidden()
    page.focus("#code")
    page.keyboard.press("Control+End")
    page.keyboard.type("\nx = (")  # a syntax error while editing
    page.wait_for_selector("#error:not([hidden])", timeout=20_000)
    assert page.locator("#stale").is_visible() and "Out of date" in page.locator("#stale").inner_text()
    body = page.locator(".result-body")
    assert float(body.evaluate("b => getComputedStyle(b).opacity")) <= 0.35
    assert body.evaluate("b => getComputedStyle(b).filter") == "grayscale(1)"
    assert page.locator("#export-markdown").is_disabled()
    path = tmp_path / "other.py"
    path.write_text("import torch\nx = (\n", encoding="utf-8")
    page.set_input_files("#open-file", str(path))  # another file, also broken: nothing of the seed remains
    page.wait_for_function("() => document.querySelector('#error').textContent.startsWith('other.py:')",
                           timeout=20_000)
    assert page.locator("#stale").is_hidden()
    assert page.locator("#layers tbody tr").count() == 0 and page.locator("#diagram svg").count() == 0
    assert page.locator("#summary").inner_text() == ""


def test_open_file_reads_a_notebook_as_its_code_cells(page, tmp_path):
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# The seed, in a notebook"},
        {"cell_type": "code", "metadata": {}, "source": "!pip install torch\n%matplotlib inline",
         "outputs": [], "execution_count": 1},
        {"cell_type": "code", "metadata": {}, "source": seed("torch"), "outputs": [], "execution_count": 2}]}
    path = tmp_path / "seed.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    page.set_input_files("#open-file", str(path))
    wait_for_total(page)
    code = page.input_value("#code")
    assert code.startswith("# %% [cell 2]\npass  # !pip install torch\npass  # %matplotlib inline\n")
    assert "# %% [cell 3]\n" + seed("torch") in code
    assert page.locator("#filename").inner_text() == "seed.py (the code cells of seed.ipynb)"
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json", encoding="utf-8")
    page.set_input_files("#open-file", str(path))  # not a notebook: said so, nothing of the seed remains
    page.wait_for_selector("#error:not([hidden])", timeout=20_000)
    assert page.locator("#error").inner_text().startswith("broken.ipynb: not a Jupyter notebook")
    assert page.input_value("#code") == "" and page.locator("#summary").inner_text() == ""

def test_the_page_loads_nothing_from_elsewhere_and_nothing_fails(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    requests, failures = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: failures.append(response.url) if response.status >= 400 else None)
    page.goto(live_server + "/")
    page.wait_for_selector("body[data-ready=true]")
    page.click("#example-torch")
    wait_for_total(page)
    page.wait_for_load_state("networkidle")
    assert requests and all(url.startswith(live_server) for url in requests), requests
    assert failures == []
    assert page.evaluate("fetch('/favicon.ico').then(r => r.status)") == 200
    assert page.locator("footer a").get_attribute("href") == "/openapi.json"
    context.close()


TOKENS_MODEL = """import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 8)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(self.emb(x))
"""


def test_hints_name_the_page_fields(page):
    page.fill("#code", TOKENS_MODEL)  # token indices of any length: the page asks for the sequence length
    page.wait_for_selector("#error:not([hidden])", timeout=20_000)
    text = page.locator("#error").inner_text()
    assert "hint: pass the sequence length, e.g. 128 in the Input shape field" in text
    assert "--" not in text
    page.fill("#input-shape", "128")
    page.wait_for_function("() => document.querySelector('#total-params')?.textContent === '818'", timeout=20_000)
