"""bureau/uploads.py: a file is taken for what it contains, within the size limits, under a made-up name."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bureau import uploads
from bureau.uploads import UploadError, upload_check, upload_label, upload_store

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj\n" * 10
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500


def office(main_part, extra=None, content_types=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(main_part, "<document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("照片.jpg", JPEG, "jpeg"),
    ("photo.PNG", PNG, "png"),
    ("整改报告.pdf", PDF, "pdf"),
    ("记录.docx", office("word/document.xml"), "docx"),
    ("统计.xlsx", office("xl/workbook.xml"), "xlsx"),
    ("汇报.pptx", office("ppt/presentation.xml"), "pptx"),
    ("总结.doc", OLE, "ole"),
    # The name does not matter: a PNG called .pdf is a PNG.
    ("misnamed.pdf", PNG, "png"),
])
def test_allowed_files_are_known_by_their_content(name, data, kind):
    file = upload(name, data)
    assert upload_check(file).code == kind
    assert file.tell() == 0  # left at its start for storing


@pytest.mark.parametrize(("name", "data"), [
    ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100),  # a Windows program named as a photo
    ("photo.png", b"<html><script>alert(1)</script></html>"),
    ("doc.pdf", b"#!/bin/sh\nrm -rf /\n"),
    ("archive.docx", office("payload.exe", content_types=False)),  # a zip, not an office document
    ("odd.docx", office("other/part.xml")),  # content types but no main part
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 60),  # a zip header and nothing readable
])
def test_other_files_are_refused_whatever_their_name(name, data):
    with pytest.raises(UploadError, match="."):
        upload_check(upload(name, data))


def test_empty_and_oversized_files_are_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(UploadError):
        upload_check(upload("empty.jpg", b""))
    with pytest.raises(UploadError) as error:
        upload_check(upload("big.jpg", JPEG + b"\x00" * 1000))
    assert "big.jpg" in str(error.value)
    assert upload_check(upload("ok.jpg", JPEG)).code == "jpeg"


def test_an_office_document_that_unpacks_too_far_is_refused(settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = office("word/document.xml", extra={"word/media/fill.bin": b"\x00" * (3 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    with pytest.raises(UploadError, match="MB"):
        upload_check(upload("bomb.docx", bomb))


def test_a_file_is_stored_under_a_generated_name(media):
    file = upload("../../etc/passwd.jpg", JPEG)
    kind = upload_check(file)
    name = upload_store(file, folder="evidence/test", kind=kind)
    assert name.startswith("evidence/test/") and name.endswith(".jpg") and "passwd" not in name
    assert (media / name).read_bytes() == JPEG
    assert upload_label("../../etc/pass\x00wd.jpg") == "passwd.jpg"
    assert upload_label("C:\\Users\\王\\照片.jpg") == "照片.jpg"


def test_the_response_serves_images_inline_and_documents_as_downloads(media):
    for data, inline in ((PNG, True), (office("word/document.xml"), False)):
        file = upload("x", data)
        kind = upload_check(file)
        name = upload_store(file, folder="evidence/test", kind=kind)
        response = uploads.upload_response(name=name, kind=kind, label="整改.docx")
        assert response["Content-Type"] == kind.content_type
        assert response["Content-Disposition"].startswith("inline" if inline else "attachment")
        response.file_to_stream.close()  # not response.close(): that ends a request

