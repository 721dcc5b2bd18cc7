#!/usr/bin/env python3
"""The floor of a transfer through a socket on this machine, for the `transfer` benchmark's local rows.

Sends a file into a loopback socket with sendfile(2) and writes what arrives to another file (recv_into, write),
with no HTTP and no checksum: what any client and server pair, Escadrille's or curl's, has to do at least. It
prints the wall time from the connection to the last write; compare it with `cp` of the same file after a `sync`
(bench/README.md, "Transfers").

    python3 bench/loopback.py SOURCE TARGET
"""
import os
import socket
import sys
import threading
import time


def main(source, target):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def receive():
        connection, _ = server.accept()
        buffer = bytearray(1 << 20)
        view = memoryview(buffer)
        with open(target, "wb", buffering=0) as out:
            while True:
                n = connection.recv_into(buffer)
                if n == 0:
                    break
                out.write(view[:n])
        connection.close()

    start = time.monotonic()
    receiver = threading.Thread(target=receive)
    receiver.start()
    client = socket.create_connection(server.getsockname())
    with open(source, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        sent = 0
        while sent < size:
            sent += os.sendfile(client.fileno(), f.fileno(), sent, size - sent)
    client.shutdown(socket.SHUT_WR)
    receiver.join()
    client.close()
    print(f"loopback {time.monotonic() - start:.2f} s")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python3 bench/loopback.py SOURCE TARGET")
    main(sys.argv[1], sys.argv[2])
