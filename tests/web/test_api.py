"""The JSON API through FastAPI's TestClient: the seed in both frameworks, errors with their line, limits."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import EXAMPLES, latex_result, latex_sum, seed

from nncalc.web.limits import MAX_BODY_BYTES, MAX_SOURCE_CHARS

SEED_TOTAL = 404_218  # the seed's hand calculation: 224 + 1,168 + 401,536 + 1,290


def analyze(client, **body):
    return client.post("/api/analyze", json=body)


@pytest.mark.parametrize("framework, rows", [("keras", 6), ("torch", 5)])
def test_seed_total_and_rows(client, framework, rows):
    response = analyze(client, code=seed(framework), filename=f"simple_cnn_{framework}.py")
    assert response.status_code == 200
    body = response.json()
    assert body["total_params"] == SEED_TOTAL
    assert body["report"]["total_params"] == SEED_TOTAL
    assert [r["params"] for r in body["rows"] if r["params"] not in ("0",)] == ["224", "1,168", "401,536", "1,290"]
    assert len(body["rows"]) == rows
    assert body["totals"][0] == {"label": "Total params", "value": "404,218 (404.22 K)"}
    assert body["exports"]["markdown"].count("| conv") == 2
    assert json.loads(body["exports"]["json"])["total_params"] == SEED_TOTAL
    assert body["svg"].count('class="box layer"') == rows


def test_seed_formulas_are_latex_with_the_seed_steps(client):
    body = analyze(client, code=seed("keras")).json()
    conv = body["rows"][0]
    assert conv["formula"] == "(k_h × k_w × C_in + 1) × filters = (3 × 3 × 3 + 1) × 8 = (27 + 1) × 8 = 28 × 8 = 224"
    assert r"\left(3 \times 3 \times 3 + 1\right) \times 8" in conv["latex"][0]
    assert body["total_latex"].endswith(r"&= 404{,}218\end{aligned}")


def test_input_shape_and_batch_are_used(client):
    body = analyze(client, code=seed("torch"), input_shape="3,32,32", batch=4).json()
    assert body["rows"][0]["output_shape"] == "[4, 8, 30, 30]"


def test_shape_error_names_the_line(client):
    code = seed("torch").replace("nn.Linear(14 * 14 * 16, 128)", "nn.Linear(3200, 128)")
    response = analyze(client, code=code, filename="model.py", input_shape="3,32,32")
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and body["kind"] == "ShapeError"
    assert "`nn.Linear(3200, 128)`" in body["message"] and "3136" in body["message"]
    assert body["line"] == 21  # x = torch.relu(self.fc1(x)), where the shape meets the layer
    assert body["text"].startswith("model.py:21:")


def test_syntax_error_names_the_line(client):
    body = analyze(client, code="import torch\nx = (\n").json()
    assert body["kind"] == "SyntaxProblem" and body["line"] == 2
    assert body["text"].startswith("<pasted>:2:")


def test_nul_byte_is_refused_at_its_line(client):
    body = analyze(client, code="import torch\nx = 1\x00\n", filename="model.py").json()
    assert body["kind"] == "InputError" and body["line"] == 2
    assert body["text"] == "model.py:2: contains NUL bytes; it is not Python source"


def test_model_is_chosen_by_name(client):
    code = seed("torch") + "\n\nclass Other(nn.Module):\n    def __init__(self):\n        super().__init__()\n" \
        "        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n"
    assert analyze(client, code=code).json()["kind"] == "ModelNotFound"  # two candidates: which one?
    body = analyze(client, code=code, model="Other", input_shape="4").json()
    assert body["total_params"] == 4 * 2 + 2


def test_single_line_source_is_text_not_a_path(client):
    body = analyze(client, code="/etc/passwd").json()
    assert body["ok"] is False
    assert "root:" not in json.dumps(body)


def test_errors_never_show_server_paths(client):
    for code in ["import os\nos.system('ls')\n", "def f(:\n", "x = 1\n", "from nonexistent import thing\nthing()\n"]:
        text = json.dumps(analyze(client, code=code, filename="/home/someone/secret/model.py").json())
        assert "/work" not in text and "site-packages" not in text and "Traceback" not in text
        assert "/home/someone" not in text


def test_endless_loop_meets_the_step_or_time_limit(client):
    response = analyze(client, code="while True:\n    pass\n")
    assert response.status_code == 422
    assert response.json()["kind"] == "LimitExceeded" and response.json()["line"] is not None
    assert analyze(client, code=seed("keras")).status_code == 200  # and the server keeps serving


def test_oversized_body_is_refused_with_413(client):
    response = client.post("/api/analyze", content=b"{" + b" " * MAX_BODY_BYTES + b"}",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["kind"] == "RequestTooLarge"
    assert analyze(client, code=seed("keras")).status_code == 200


def test_source_longer_than_the_limit_is_refused_with_422(client):
    response = analyze(client, code="#" * (MAX_SOURCE_CHARS + 1))
    assert response.status_code == 422
    assert response.json()["kind"] == "InvalidRequest"


@pytest.mark.parametrize("shape", ["0,32,32", "a,b", "3;;", "-1"])
def test_bad_input_shape_is_a_clean_400(client, shape):
    response = analyze(client, code=seed("torch"), input_shape=shape)
    assert response.status_code == 400
    assert "input shape" in response.json()["message"]


def test_examples_are_the_seed_files(client):
    examples = client.get("/api/examples").json()
    assert [e["filename"] for e in examples] == ["simple_cnn_keras.py", "simple_cnn_torch.py"]
    for example in examples:
        assert example["code"] == (EXAMPLES / example["filename"]).read_text(encoding="utf-8")


def test_page_and_katex_are_served_locally(client):
    page = client.get("/")
    assert page.status_code == 200 and "/static/katex/katex.min.js" in page.text
    assert "http" not in page.text.split("<body>")[0]  # no CDN: everything from this server
    assert client.get("/static/katex/katex.min.js").status_code == 200
    assert client.get("/static/katex/fonts/KaTeX_Main-Regular.woff2").status_code == 200


def test_openapi_spec_is_served(client):
    spec = client.get("/openapi.json").json()
    assert "/api/analyze" in spec["paths"] and "/api/examples" in spec["paths"]


MODELS = EXAMPLES.parent / "tests" / "models"
CLI_OPTIONS = re.compile(r"--(input-shape|model|dtype|batch|set)\b")


def test_nncalc_lines_of_the_file_are_honoured(client):
    code = (MODELS / "torch_resnet50.py").read_text(encoding="utf-8")  # input-shape 3,224,224 and model resnet50
    body = analyze(client, code=code, filename="torch_resnet50.py").json()
    assert body["total_params"] == 25_557_032  # torchvision's ResNet-50 card
    assert body["rows"][0]["output_shape"] == "[1, 64, 112, 112]"
    assert body["report"]["file"] == "torch_resnet50.py"
    smaller = analyze(client, code=code, input_shape="3,64,64").json()  # the field wins over the file
    assert smaller["rows"][0]["output_shape"] == "[1, 64, 32, 32]"
    gpt = analyze(client, code=(MODELS / "torch_gpt2_nanogpt.py").read_text(encoding="utf-8")).json()
    assert gpt["total_params"] == 124_439_808  # nanoGPT's count, the tied weight once
    assert gpt["report"]["input_shape"] == [1, 64]  # `# nncalc: input-shape 64`


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.py")), ids=lambda p: p.stem)
def test_messages_speak_of_the_page_fields_not_of_options(client, path):
    """Each model file without its `# nncalc:` lines: whatever the answer, it never names a command-line option."""
    code = re.sub(r"(?m)^#\s*nncalc:.*$", "", path.read_text(encoding="utf-8"))
    body = analyze(client, code=code, filename=path.name).json()
    texts = [body.get("text"), body.get("hint"), *body.get("notes", [])]
    assert not [t for t in texts if t and CLI_OPTIONS.search(t)]


def test_choosing_a_model_is_explained_with_the_model_field(client):
    code = seed("torch") + "\n\nclass Other(nn.Module):\n    def __init__(self):\n        super().__init__()\n" \
        "        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n"
    body = analyze(client, code=code).json()
    assert "Model field" in body["hint"] and "--model" not in body["hint"]


def test_favicon_is_served_and_swagger_is_not(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.content.startswith(b"\x00\x00\x01\x00")  # an ICO header
    assert client.get("/api/docs").status_code == 404  # Swagger UI loads from a CDN: not offered


def test_rows_form_a_tree_with_subtotals(client):
    body = analyze(client, code=(MODELS / "torch_resnet50.py").read_text(encoding="utf-8")).json()
    rows = body["rows"]
    layer1 = next(r for r in rows if r["name"] == "layer1")
    inside = [r for r in rows if r["parent"] == layer1["index"]]
    assert [r["short"] for r in inside] == ["0 (Bottleneck)", "1 (Bottleneck)", "2 (Bottleneck)"]
    assert int(layer1["params"].replace(",", "")) == sum(int(r["params"].replace(",", "")) for r in inside)
    assert layer1["macs"] == "667.94 M"  # the stage's calls: 231.21 M + 2 × 218.37 M (each row's own MACs)
    assert body["open_depth"] == 2  # conv1 … fc and the sixteen bottlenecks: 26 rows
    assert r"16 \times \text{Bottleneck}" in body["total_latex"]
    assert layer1["latex"][0].startswith(r"\begin{aligned}\text{Params} &= \underbrace{\text{0 (Bottleneck)}")


def test_the_diagram_opens_the_blocks_asked_for(client):
    code = (MODELS / "torch_resnet50.py").read_text(encoding="utf-8")
    closed = analyze(client, code=code).json()
    assert closed["diagram_open"] == [] and closed["svg"].count('class="box block"') == 4
    opened = analyze(client, code=code, expand=["layer2", "no.such.block"]).json()
    assert opened["diagram_open"] == ["layer2", "no.such.block"]
    assert opened["svg"].count('class="box block"') == 3 + 2  # layer1, 3, 4; layer2.0 and layer2.1–3 × 3
    assert "1–3 (Bottleneck)" in opened["svg"]


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.py")), ids=lambda p: p.stem)
def test_folded_sums_add_up(client, path):
    """Every model file: the folded total adds up to the total, and every module's sum to its parameters."""
    body = analyze(client, code=path.read_text(encoding="utf-8"), filename=path.name).json()
    assert body["ok"], body.get("text")
    for tex in (body["total_latex"], body["total_latex_narrow"]):
        assert latex_result(tex) == body["total_params"]
        assert latex_sum(tex) == body["total_params"] or tex.count(r" \\ ") == 1  # one term: no numbers line
    for row in body["rows"]:
        if row["parent"] != -1:
            assert body["rows"][row["parent"]]["index"] < row["index"]
        if not row["is_leaf"] and row["params"] not in ("0", "(shared)"):
            assert latex_result(row["latex"][0]) == int(row["params"].replace(",", ""))
            assert latex_sum(row["latex"][0]) in (0, int(row["params"].replace(",", "")))


def test_a_value_the_file_cannot_compute_is_given_by_a_set_line(client):
    code = "import sys\nimport torch.nn as nn\n\nnum_classes = int(sys.argv[1])\nmodel = nn.Linear(4, num_classes)\n"
    body = analyze(client, code=code, filename="m.py").json()
    assert body["hint"] == "give it a value with a line `# nncalc: set num_classes=…` in the code"
    body = analyze(client, code="# nncalc: set num_classes=10\n" + code).json()
    assert body["total_params"] == 4 * 10 + 10
    assert not [n for n in body["notes"] if CLI_OPTIONS.search(n)]


NOTEBOOKS = EXAMPLES.parent / "tests" / "notebooks"


def test_a_notebook_becomes_a_script_the_analysis_reads(client):
    text = (NOTEBOOKS / "torch_quickstart.ipynb").read_text(encoding="utf-8")
    response = client.post("/api/notebook", json={"code": text, "filename": "torch_quickstart.ipynb"})
    assert response.status_code == 200
    script = response.json()
    assert script["filename"] == "torch_quickstart.py" and script["code"].startswith("# %% [cell ")
    body = analyze(client, code=script["code"], filename=script["filename"], input_shape="1,28,28").json()
    cli = subprocess.run([sys.executable, "-m", "nncalc", "summary", str(NOTEBOOKS / "torch_quickstart.ipynb"),
                          "--input-shape", "1,28,28", "--format", "json"], capture_output=True, text=True, check=True)
    assert body["ok"] and body["total_params"] == json.loads(cli.stdout)["total_params"]


@pytest.mark.parametrize("text", ["{", "import torch\n", '{"cells": 3}'])
def test_what_is_not_a_notebook_gets_400_and_says_so(client, text):
    response = client.post("/api/notebook", json={"code": text, "filename": "nb.ipynb"})
    assert response.status_code == 400 and response.json()["message"].startswith("nb.ipynb: not a Jupyter notebook")
