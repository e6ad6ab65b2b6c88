"""The kernel client of a report page: jupyter_client's, with a quicker "is the kernel ready" handshake.

Before a page's first cell, nbclient waits for its kernel (``wait_for_ready``): jupyter_client sends
``kernel_info``, and once the reply comes it waits up to 0.2 s for a message on IOPub (proof that the
client's subscription has reached the kernel, so that no output of the first cell is lost), then drains
IOPub until it has been silent for 0.2 s. A kernel started ahead of need answers at once, so those two
waits were most of the 0.2–0.4 s each page spent between its kernel and its first cell (13 pages: 3-5 s
of a cold build). Here the same two checks poll every :data:`IOPUB_POLL_S` instead: the kernel_info
request is repeated until IOPub has carried a message, as before, and the messages left on IOPub are
drained (they are the status messages of those requests; nbclient ignores messages that answer no
cell of its own anyway). The failures are the ones jupyter_client raises, in its words (the build
retries a kernel that did not start on them: :func:`evidence.report.execute.is_kernel_start_error`).
"""
from __future__ import annotations

import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import KernelManager

IOPUB_POLL_S = 0.02


class ReadyClient(AsyncKernelClient):
    async def wait_for_ready(self, timeout: float | None = None) -> None:  # type: ignore[override]
        if not isinstance(self.parent, KernelManager):       # no manager: jupyter_client's own (heartbeats first)
            return await super().wait_for_ready(timeout=timeout)
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=IOPUB_POLL_S)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError("Kernel didn't respond in %d seconds" % (timeout or 0))
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=IOPUB_POLL_S)
            except Empty:
                break
