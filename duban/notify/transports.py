"""One small class per channel, each with one method: notify(message), which returns on
delivery and raises PermanentError (do not retry) or TransientError (retry later)."""
import base64
import hashlib
import hmac
import json
import smtplib
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage


class PermanentError(Exception):
    pass


class TransientError(Exception):
    pass


def post_json(url, payload, key):
    """POST JSON with the message's idempotency key; the answer as JSON (or {}).

    Only http(s): urllib would also open file: and ftp: addresses, and a robot's URL is typed in the admin."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise PermanentError(f"not an http(s) address: {url[:100]}")
    request = urllib.request.Request(
        url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key})
    try:
        opened = urllib.request.urlopen(request, timeout=settings.NOTIFY_TIMEOUT_SECONDS)  # nosec B310 # http(s) only
        with opened as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        if error.code >= 500 or error.code == 429:
            raise TransientError(f"HTTP {error.code}") from None
        raise PermanentError(f"HTTP {error.code}") from None
    except (urllib.error.URLError, socket.timeout, ConnectionError) as error:
        raise TransientError(str(getattr(error, "reason", error))) from None
    try:
        return json.loads(body or b"{}")
    except ValueError:
        return {}


class Email:
    def notify(self, message):
        email = EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.address],
                             headers={"X-Idempotency-Key": message.idempotency_key})
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentError(f"recipient refused: {error}") from None
        except (smtplib.SMTPException, OSError) as error:
            raise TransientError(str(error)) from None


class Sms:
    """An SMS gateway over HTTP: NOTIFY_SMS_URL, body from NOTIFY_SMS_TEMPLATE ({phone}, {text})."""

    def notify(self, message):
        if not settings.NOTIFY_SMS_URL:
            raise PermanentError("SMS gateway not configured (NOTIFY_SMS_URL)")
        template = json.loads(settings.NOTIFY_SMS_TEMPLATE)
        text = f"{message.subject}\n{message.body}"
        payload = {key: value.format(phone=message.address, text=text) if isinstance(value, str) else value
                   for key, value in template.items()}
        post_json(settings.NOTIFY_SMS_URL, payload, message.idempotency_key)


class GroupRobot:
    """WeCom and DingTalk group robots: {"msgtype": "text", …}; errcode 0 is success."""

    rate_limited = set()

    def url(self, message):
        return message.address

    def notify(self, message):
        answer = post_json(self.url(message), {"msgtype": "text", "text": {"content": message.body}},
                           message.idempotency_key)
        code = answer.get("errcode", 0)
        if code in self.rate_limited:
            raise TransientError(f"rate limited: {answer}")
        if code != 0:
            raise PermanentError(f"robot refused: {answer}")


class WeCom(GroupRobot):
    rate_limited = {45009}


class DingTalk(GroupRobot):
    rate_limited = {130101}

    def url(self, message):
        secret = message.endpoint.secret if message.endpoint_id else ""
        if not secret:
            return message.address
        timestamp = str(round(time.time() * 1000))
        digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
        sign = urllib.parse.quote_plus(base64.b64encode(digest))
        joiner = "&" if "?" in message.address else "?"
        return f"{message.address}{joiner}timestamp={timestamp}&sign={sign}"


TRANSPORTS = {"email": Email(), "sms": Sms(), "wecom": WeCom(), "dingtalk": DingTalk()}
