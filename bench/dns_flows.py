#!/usr/bin/env python3
"""Cost of opening a UDP flow: every DNS query from a fresh socket (a new source port, so a new flow),
batches of BATCH in flight. Prints answered queries per second. Bounded: COUNT queries, 3 s per batch."""
import select, socket, struct, sys, time

server, count, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def query(qid):
    name = b"".join(bytes([len(p)]) + p for p in b"www.lab.test".split(b".")) + b"\0"
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + name + struct.pack(">HH", 1, 1)

answered = 0
start = time.monotonic()
for first in range(0, count, batch):
    socks = {}
    for i in range(first, min(first + batch, count)):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setblocking(False)
        s.sendto(query(i & 0xFFFF), (server, 53))
        socks[s.fileno()] = s
    deadline = time.monotonic() + 3
    while socks and time.monotonic() < deadline:
        ready, _, _ = select.select(list(socks.values()), [], [], 0.2)
        for s in ready:
            try:
                s.recv(512)
                answered += 1
            except OSError:
                pass
            socks.pop(s.fileno()).close()
    for s in socks.values():
        s.close()
elapsed = time.monotonic() - start
print(f"{answered} {count} {elapsed:.3f}")
