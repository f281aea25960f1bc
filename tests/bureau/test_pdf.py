"""The PDF renderer reads only the project's static files and inline data: URIs.

Text from a complaint or a visit ends up in PDFs; a template mistake must not let it make
WeasyPrint read a server file or call an address on the attacker's behalf.
"""

import http.server
import threading

import pytest

from bureau import pdf
from tests.pdfs import pdf_text

PNG_1PX = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
           "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


@pytest.fixture
def listener():
    """A local HTTP server that counts the requests it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def test_an_outside_address_is_never_called(listener, caplog):
    base, hits = listener
    html = (f'<html><body><p>外部</p><img src="{base}/img.png">'
            f'<link rel="stylesheet" href="{base}/x.css"></body></html>')
    data = pdf.html_to_pdf(html)
    assert data.startswith(b"%PDF")
    assert hits == []
    assert "refused" in caplog.text and "127.0.0.1" in caplog.text


def test_a_file_url_is_refused(tmp_path, caplog):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    html = (f'<html><head><link rel="stylesheet" href="file://{secret}"></head>'
            f'<body><img src="file:///etc/hostname"><p>x</p></body></html>')
    pdf.html_to_pdf(html)
    assert f"file://{secret}" in caplog.text and "file:///etc/hostname" in caplog.text


def test_a_static_path_that_climbs_out_is_refused():
    assert pdf.static_path(pdf.static_url("css/../../bureau/settings.py")) is None
    assert pdf.static_path("https://example.com/static/css/portal.css") is None
    assert pdf.static_path(pdf.static_url("css/portal.css?x=1")) is None


def test_static_files_and_data_uris_are_read(caplog):
    assert pdf.static_path(pdf.static_url("css/sign_pdf.css")).endswith("sign_pdf.css")
    html = f'<html><body><h1>责任督学</h1><img src="{PNG_1PX}"><img src="/static/css/portal.css"></body></html>'
    data = pdf.html_to_pdf(html, stylesheets=["css/sign_pdf.css"])
    assert "责任督学" in pdf_text(data)
    assert "refused" not in caplog.text
