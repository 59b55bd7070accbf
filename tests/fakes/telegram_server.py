"""A Bot API server on loopback, for tests: it queues updates, records every call, counts rates.

It answers the methods fikir calls the way Telegram does (the same JSON, the same error codes),
keeps a transcript of what the bot sent to each chat, and measures the send rate overall and per
chat, refusing with 429 what Telegram would refuse. Nothing in it is mocked inside the bot: the
real aiogram client talks HTTP to it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web
from aiohttp.web_request import FileField

Json = dict[str, Any]
SEND_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto"})
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
BOT_ID = 7000000001
TOKEN = "123456789:TEST-token_for-fikir"  # noqa: S105 - the fake's own token


@dataclass(frozen=True)
class FakeUser:
    """A Telegram account that talks to the bot; its chat with the bot has the same id."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    def as_json(self) -> Json:
        data: Json = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data

    def private_chat(self) -> Json:
        data: Json = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class SentMessage:
    """A message the bot sent (text, document or photo), with its keyboard as it stands now."""

    message_id: int
    chat_id: int
    text: str
    kind: str = "text"
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)  # (label, data)
    file_name: str | None = None
    file_bytes: bytes | None = None
    at: float = 0.0
    keyboard_removed: bool = False

    def choices(self) -> list[tuple[str, str]]:
        return [button for row in self.buttons for button in row]

    def data_for(self, label_or_data: str) -> str:
        for label, data in self.choices():
            if label_or_data in (label, data):
                return data
        raise AssertionError(f"no button {label_or_data!r} in {self.choices()}")


@dataclass
class ApiCall:
    method: str
    params: Json
    status: int
    at: float


@dataclass
class Failure:
    """An error to answer instead of success, for the next matching calls."""

    method: str
    count: int
    status: int
    description: str
    retry_after: int | None = None
    chat_id: int | None = None


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """The largest number of instants that fall within any `window` seconds."""
    ordered = sorted(times)
    best = 0
    start = 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


class FakeTelegram:
    """The loopback Bot API server; `enforce_limits` answers 429 beyond 30/s or 1/s per chat."""

    def __init__(
        self,
        token: str = TOKEN,
        *,
        enforce_limits: bool = True,
        rate: int = 30,
        chat_gap: float = 1.0,
    ) -> None:
        self.token = token
        self.enforce_limits = enforce_limits
        self.rate = rate
        self.chat_gap = chat_gap
        self.calls: list[ApiCall] = []
        self.sent: list[SentMessage] = []
        self.send_attempts: list[tuple[float, int]] = []  # (time, chat id) of every send call
        self.violations: list[str] = []
        self.answered: dict[str, int] = {}
        self.commands: dict[str | None, list[Json]] = {}
        self.blocked: set[int] = set()
        self.webhook: Json | None = None
        self.acknowledged = 0  # every update below this id has been confirmed by an offset
        self._updates: list[Json] = []
        self._delivered: set[int] = set()
        self.history: list[Json] = []
        self._queued = 0
        self._closing = False
        self._callbacks: set[str] = set()
        self._chat_types: dict[int, str] = {}
        self._messages: dict[tuple[int, int], SentMessage] = {}
        self._failures: list[Failure] = []
        self._update_ids = itertools.count(500_001)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # Server -----------------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # What users do ----------------------------------------------------------------------------
    def text_update(self, user: FakeUser, text: str, chat: Json | None = None) -> Json:
        message = self._incoming(user, chat)
        message["text"] = text
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._update(message=message)

    def media_update(self, user: FakeUser, kind: str) -> Json:
        message = self._incoming(user, None)
        message.update(_MEDIA[kind](user))
        return self._update(message=message)

    def callback_update(self, user: FakeUser, sent: SentMessage | None, data: str) -> Json:
        query_id = f"cb{next(self._callback_ids)}"
        self._callbacks.add(query_id)
        message: Json
        if sent is not None:
            message = self._message_json(sent)
        else:  # a press on a message this server never saw (it cannot be edited)
            message = {
                "message_id": 999_999,
                "date": int(time.time()),
                "chat": user.private_chat(),
                "text": "?",
            }
        return self._update(
            callback_query={
                "id": query_id,
                "from": user.as_json(),
                "chat_instance": f"ci{user.id}",
                "message": message,
                "data": data,
            }
        )

    def member_update(self, user: FakeUser, status: str) -> Json:
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "fikir"}
        old = "kicked" if status == "member" else "member"
        return self._update(
            my_chat_member={
                "chat": user.private_chat(),
                "from": user.as_json(),
                "date": int(time.time()),
                "old_chat_member": _member(bot, old),
                "new_chat_member": _member(bot, status),
            }
        )

    def queue(self, update: Json) -> Json:
        """Make an update available to getUpdates (polling mode)."""
        self._queued = max(self._queued, int(update["update_id"]))
        self._updates.append(update)
        self._new_update.set()
        return update

    def redeliver(self, update: Json) -> Json:
        """Offer an update again, as Telegram does when an acknowledgement was lost."""
        self._queued = max(self._queued, int(update["update_id"]))
        self._updates.append(update)
        self._updates.sort(key=lambda u: int(u["update_id"]))
        self._new_update.set()
        return update

    async def deliver(self, update: Json, secret: str | None = "", url: str | None = None) -> int:
        """POST an update to the webhook as Telegram does; `secret=None` omits the header."""
        assert self.webhook is not None or url is not None, "no webhook was set"
        target = url or str(self.webhook["url"])  # type: ignore[index]
        headers = {"Content-Type": "application/json"}
        if secret == "":
            secret = self.webhook.get("secret_token") if self.webhook else None
        if secret is not None:
            headers[SECRET_HEADER] = secret
        async with ClientSession() as session:
            async with session.post(target, data=json.dumps(update), headers=headers) as response:
                await response.read()
                return response.status

    def say(self, user: FakeUser, text: str) -> Json:
        return self.queue(self.text_update(user, text))

    def press(self, user: FakeUser, sent: SentMessage, label_or_data: str) -> Json:
        return self.queue(self.callback_update(user, sent, sent.data_for(label_or_data)))

    # Failures to inject -----------------------------------------------------------------------
    def fail_next(
        self,
        method: str = "sendMessage",
        *,
        count: int = 1,
        status: int = 429,
        retry_after: int | None = 2,
        chat_id: int | None = None,
        description: str | None = None,
    ) -> None:
        text = description or (
            f"Too Many Requests: retry after {retry_after}" if status == 429 else "Bad Request"
        )
        self._failures.append(
            Failure(
                method.lower(), count, status, text, retry_after if status == 429 else None, chat_id
            )
        )

    # What the bot did -------------------------------------------------------------------------
    def to_chat(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method.lower()]

    def max_rate(self, window: float = 1.0) -> int:
        return max_in_window([t for t, _ in self.send_attempts], window)

    def max_chat_rate(self, window: float = 1.0) -> int:
        by_chat: dict[int, list[float]] = {}
        for moment, chat in self.send_attempts:
            by_chat.setdefault(chat, []).append(moment)
        return max((max_in_window(times, window) for times in by_chat.values()), default=0)

    def all_acknowledged(self) -> bool:
        """Every queued update has been confirmed by a later getUpdates offset."""
        return self._queued < self.acknowledged or self._queued == 0

    def unanswered_callbacks(self) -> set[str]:
        """Callback queries the bot received (by polling) but never answered."""
        delivered = {
            str(u["callback_query"]["id"])
            for u in self.history
            if "callback_query" in u and int(u["update_id"]) in self._delivered
        }
        return delivered - set(self.answered)

    async def wait_for(
        self, predicate: Callable[[], bool], timeout: float = 10.0, what: str = "condition"
    ) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            await asyncio.sleep(0.02)

    async def replies(self, chat_id: int, count: int, timeout: float = 10.0) -> list[SentMessage]:
        """Wait until the chat has received `count` messages in all; return them."""
        await self.wait_for(
            lambda: len(self.to_chat(chat_id)) >= count, timeout, f"{count} messages"
        )
        return self.to_chat(chat_id)

    # Internals --------------------------------------------------------------------------------
    def _update(self, **content: Json) -> Json:
        update: Json = {"update_id": next(self._update_ids), **content}
        self.history.append(update)
        return update

    def _incoming(self, user: FakeUser, chat: Json | None) -> Json:
        chat = chat or user.private_chat()
        self._chat_types[int(chat["id"])] = str(chat["type"])
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user.as_json(),
        }

    def _message_json(self, sent: SentMessage) -> Json:
        chat_type = self._chat_types.get(sent.chat_id, "private" if sent.chat_id > 0 else "group")
        data: Json = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": {"id": sent.chat_id, "type": chat_type},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "fikir", "username": "fikir_bot"},
        }
        if sent.kind == "text":
            data["text"] = sent.text
        else:
            if sent.text:
                data["caption"] = sent.text
            if sent.kind == "document":
                data["document"] = {
                    "file_id": f"doc{sent.message_id}",
                    "file_unique_id": f"udoc{sent.message_id}",
                    "file_name": sent.file_name,
                }
            else:
                data["photo"] = [
                    {
                        "file_id": f"ph{sent.message_id}",
                        "file_unique_id": f"uph{sent.message_id}",
                        "width": 1,
                        "height": 1,
                    }
                ]
        if sent.buttons:
            data["reply_markup"] = {
                "inline_keyboard": [
                    [{"text": label, "callback_data": cb} for label, cb in row]
                    for row in sent.buttons
                ]
            }
        return data

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"].lower()
        params, files = await _read_params(request)
        now = time.monotonic()
        call = ApiCall(method, params, 0, now)
        self.calls.append(call)  # at arrival: a long poll is seen while it waits
        if method == "getupdates":
            response = await self._get_updates(params)
        else:
            response = self._dispatch(method, params, files, now)
        call.status = response.status
        return response

    def _dispatch(
        self, method: str, params: Json, files: dict[str, FileField], now: float
    ) -> web.Response:
        chat_id = int(params["chat_id"]) if "chat_id" in params else None
        if method in SEND_METHODS and chat_id is not None:
            self.send_attempts.append((now, chat_id))
        failure = self._take_failure(method, chat_id)
        if failure is not None:
            return _error(failure.status, failure.description, failure.retry_after)
        if method in SEND_METHODS and chat_id is not None:
            if chat_id in self.blocked:
                return _error(403, "Forbidden: bot was blocked by the user")
            refused = self._over_limit(chat_id, now)
            if refused:
                return refused
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result: web.Response = handler(params, files, now)
        return result

    def _take_failure(self, method: str, chat_id: int | None) -> Failure | None:
        for failure in self._failures:
            if failure.method == method and failure.chat_id in (None, chat_id):
                failure.count -= 1
                if failure.count <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    def _over_limit(self, chat_id: int, now: float) -> web.Response | None:
        if not self.enforce_limits:
            return None
        recent = [t for t, _ in self.send_attempts[:-1] if now - t < 1.0]
        if len(recent) >= self.rate:
            self.violations.append(f"over {self.rate}/s at {now:.3f}")
            return _error(429, "Too Many Requests: retry after 1", 1)
        same_chat = [
            t for t, c in self.send_attempts[:-1] if c == chat_id and now - t < self.chat_gap
        ]
        if same_chat:
            self.violations.append(f"two messages to one chat within {self.chat_gap} s")
            return _error(429, "Too Many Requests: retry after 1", 1)
        return None

    async def _get_updates(self, params: Json) -> web.Response:
        if self.webhook is not None:
            return _error(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self.acknowledged = max(self.acknowledged, offset)
            self._updates = [u for u in self._updates if int(u["update_id"]) >= offset]
        deadline = time.monotonic() + timeout
        while not self._updates and time.monotonic() < deadline and not self._closing:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        batch = self._updates[:limit]
        self._delivered.update(int(u["update_id"]) for u in batch)
        return _ok(batch)

    # Methods ------------------------------------------------------------------------------------
    def _m_getme(self, params: Json, files: dict[str, FileField], now: float) -> web.Response:
        return _ok(
            {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "fikir",
                "username": "fikir_bot",
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        )

    def _m_setwebhook(self, params: Json, files: dict[str, FileField], now: float) -> web.Response:
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            return _error(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = {
            "url": params["url"],
            "secret_token": secret,
            "allowed_updates": _json(params.get("allowed_updates")),
        }
        return _ok(True)

    def _m_deletewebhook(
        self, params: Json, files: dict[str, FileField], now: float
    ) -> web.Response:
        self.webhook = None
        if str(params.get("drop_pending_updates", "")).lower() == "true":
            self._updates.clear()
        return _ok(True)

    def _m_setmycommands(
        self, params: Json, files: dict[str, FileField], now: float
    ) -> web.Response:
        language = params.get("language_code") or None
        if language is not None and not re.fullmatch(r"[a-z]{2}", str(language)):
            return _error(400, "Bad Request: invalid language code specified")
        commands = _json(params.get("commands")) or []
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                return _error(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                return _error(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[language] = commands
        return _ok(True)

    def _m_sendmessage(self, params: Json, files: dict[str, FileField], now: float) -> web.Response:
        text = str(params.get("text", ""))
        if not text.strip() or len(text) > 4096:
            return _error(400, "Bad Request: message text is empty or too long")
        return self._record_send(params, "text", text, None, None, now)

    def _m_senddocument(
        self, params: Json, files: dict[str, FileField], now: float
    ) -> web.Response:
        return self._send_file(params, files, "document", now)

    def _m_sendphoto(self, params: Json, files: dict[str, FileField], now: float) -> web.Response:
        return self._send_file(params, files, "photo", now)

    def _send_file(
        self, params: Json, files: dict[str, FileField], kind: str, now: float
    ) -> web.Response:
        ref = str(params.get(kind, ""))
        upload = files.get(ref.removeprefix("attach://")) if ref.startswith("attach://") else None
        if upload is None:
            return _error(400, f"Bad Request: there is no {kind} in the request")
        caption = str(params.get("caption", ""))
        if len(caption) > 1024:
            return _error(400, "Bad Request: message caption is too long")
        content = upload.file.read()
        return self._record_send(params, kind, caption, upload.filename, content, now)

    def _record_send(
        self,
        params: Json,
        kind: str,
        text: str,
        file_name: str | None,
        content: bytes | None,
        now: float,
    ) -> web.Response:
        chat_id = int(params["chat_id"])
        sent = SentMessage(
            message_id=next(self._message_ids),
            chat_id=chat_id,
            text=text,
            kind=kind,
            buttons=_buttons(params.get("reply_markup")),
            file_name=file_name,
            file_bytes=content,
            at=now,
        )
        self.sent.append(sent)
        self._messages[(chat_id, sent.message_id)] = sent
        return _ok(self._message_json(sent))

    def _m_editmessagereplymarkup(
        self, params: Json, files: dict[str, FileField], now: float
    ) -> web.Response:
        sent = self._messages.get((int(params.get("chat_id", 0)), int(params.get("message_id", 0))))
        if sent is None:
            return _error(400, "Bad Request: message to edit not found")
        buttons = _buttons(params.get("reply_markup"))
        if buttons == sent.buttons:
            return _error(400, "Bad Request: message is not modified")
        sent.buttons = buttons
        sent.keyboard_removed = not buttons
        return _ok(self._message_json(sent))

    def _m_editmessagetext(
        self, params: Json, files: dict[str, FileField], now: float
    ) -> web.Response:
        sent = self._messages.get((int(params.get("chat_id", 0)), int(params.get("message_id", 0))))
        if sent is None:
            return _error(400, "Bad Request: message to edit not found")
        sent.text = str(params.get("text", ""))
        sent.buttons = _buttons(params.get("reply_markup"))
        sent.keyboard_removed = not sent.buttons
        return _ok(self._message_json(sent))

    def _m_answercallbackquery(
        self, params: Json, files: dict[str, FileField], now: float
    ) -> web.Response:
        query = str(params.get("callback_query_id", ""))
        if query not in self._callbacks:
            return _error(400, "Bad Request: query is too old and response timeout expired")
        self.answered[query] = self.answered.get(query, 0) + 1
        return _ok(True)


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: Json = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)


def _json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    return value


def _buttons(markup: Any) -> list[list[tuple[str, str]]]:
    data = _json(markup)
    if not data:
        return []
    return [
        [(str(b["text"]), str(b.get("callback_data", ""))) for b in row]
        for row in data.get("inline_keyboard", [])
    ]


def _member(user: Json, status: str) -> Json:
    data: Json = {"status": status, "user": user}
    if status == "kicked":
        data["until_date"] = 0
    return data


async def _read_params(request: web.Request) -> tuple[Json, dict[str, FileField]]:
    params: Json = {}
    files: dict[str, FileField] = {}
    if request.content_type == "application/json":
        params = dict(await request.json())
    elif request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, FileField):
                files[key] = value
            else:
                params[key] = value
    params.update({k: v for k, v in request.query.items() if k not in params})
    return params, files


def _photo(user: FakeUser) -> Json:
    return {"photo": [{"file_id": "p1", "file_unique_id": "up1", "width": 90, "height": 90}]}


_MEDIA: dict[str, Callable[[FakeUser], Json]] = {
    "photo": _photo,
    "voice": lambda u: {"voice": {"file_id": "v1", "file_unique_id": "uv1", "duration": 3}},
    "sticker": lambda u: {
        "sticker": {
            "file_id": "s1",
            "file_unique_id": "us1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    },
    "video": lambda u: {
        "video": {
            "file_id": "vd1",
            "file_unique_id": "uvd1",
            "width": 1,
            "height": 1,
            "duration": 1,
        }
    },
    "document": lambda u: {
        "document": {"file_id": "d1", "file_unique_id": "ud1", "file_name": "cv.pdf"}
    },
    "location": lambda u: {"location": {"latitude": 40.40926, "longitude": 49.86709}},
    "contact": lambda u: {
        "contact": {
            "phone_number": "+994501112233",
            "first_name": u.first_name,
            "last_name": u.last_name or "",
            "user_id": u.id,
        }
    },
}
