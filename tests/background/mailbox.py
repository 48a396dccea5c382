"""An e-mail backend for the worker processes the background tests start: a folder of files.

Each message sent becomes one `<time>-<id>.eml` file in MAILBOX_DIR, so the test process can
count what really went out. The test steers a send by leaving a file in the folder:

- `pause-<address>`: the next send to that address writes `sending-<pid>` and waits (so that
  the test can kill the process in the middle of the task), once;
- `refuse-<address>`: every send to that address fails like an SMTP server that is down.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class Mailbox(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["MAILBOX_DIR"])
        for message in email_messages:
            for address in message.to:
                pause = folder / f"pause-{address}"
                if pause.exists():
                    seconds = float(pause.read_text() or 60)
                    pause.unlink()
                    (folder / f"sending-{os.getpid()}").write_text(address)
                    time.sleep(seconds)
                if (folder / f"refuse-{address}").exists():
                    (folder / f"refused-{time.time():.3f}").write_text(address)
                    raise ConnectionRefusedError(f"SMTP server down for {address}")
            name = f"{time.time_ns()}-{uuid.uuid4().hex}.eml"
            (folder / name).write_bytes(message.message().as_bytes())
        return len(email_messages)
