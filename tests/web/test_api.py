"""The JSON API through FastAPI's TestClient: the seed in both frameworks, errors with their line, limits."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, seed

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
