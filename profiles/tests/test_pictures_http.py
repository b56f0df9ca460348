"""Over a real socket: a body declared too long is refused before the server reads it."""

import socket
from urllib.parse import urlsplit

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from profiles.tests.factories import ProfileFactory


def put_headers(host, token, length):
    return (
        "PUT /user/profile/photo HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        f"Authorization: JWT {token}\r\n"
        "Content-Type: multipart/form-data; boundary=picture-boundary\r\n"
        f"Content-Length: {length}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()


@pytest.mark.django_db(transaction=True)
def test_a_6_mb_upload_gets_413_after_only_its_first_kilobyte_was_sent(live_server):
    profile = ProfileFactory()
    url = urlsplit(live_server.url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        connection.sendall(put_headers(url.netloc, AccessToken.for_user(profile.user), 6 * 1024 * 1024))
        connection.sendall(b"--picture-boundary\r\n" + b"x" * 1000)
        # Had the server waited for the other 6 MB, this read would time out instead.
        status_line = connection.makefile("rb").readline()

    assert status_line.split()[1] == b"413"
