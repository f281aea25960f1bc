"""Reading back the PDFs the portal makes, with poppler's pdftotext (bin/setup installs it)."""

import subprocess


def pdf_text(data):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()
