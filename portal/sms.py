"""Text messages through a gateway: an interface, and a file-writing default like mail's."""
from __future__ import annotations

import importlib
import time
import uuid
from pathlib import Path
from typing import Protocol

from flask import current_app


class SmsError(Exception):
    """The gateway did not take the message (the notification is tried again later)."""


class Gateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class FileGateway:
    """Writes each message as a .txt file under SMS_DIR (development and tests)."""

    def __init__(self, directory: str):
        self.directory = Path(directory)

    def send(self, phone: str, text: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.txt"
        path.write_text(f"To: {phone}\n\n{text}\n", encoding="utf-8")


def enabled() -> bool:
    return bool(current_app.config.get("SMS_GATEWAY"))


def gateway() -> Gateway:
    """The configured gateway: "file", or "package.module:Class" built with the app config."""
    name = current_app.config.get("SMS_GATEWAY")
    if not name:
        raise SmsError("no SMS gateway is configured")
    if name == "file":
        return FileGateway(current_app.config["SMS_DIR"])
    module, _, attribute = name.partition(":")
    return getattr(importlib.import_module(module), attribute)(current_app.config)
