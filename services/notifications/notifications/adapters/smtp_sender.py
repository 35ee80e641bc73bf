"""Sends one notice mail through SMTP (``aiosmtplib``) and reports what happened (never raises
for the server's faults): a refusal of the message itself (5xx) is permanent, anything else
(no connection, timeouts, 4xx) is worth a retry."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from notifications.settings import Settings


@dataclass(frozen=True)
class MailResult:
    ok: bool
    permanent: bool
    error: str | None


class SmtpSender:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def configured(self) -> bool:
        return bool(self.settings.smtp_host)

    def message(self, mail_id: str, to: str, language: str, title: str, text: str, unsubscribe_url: str) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.settings.mail_from
        msg["To"] = to
        msg["Subject"] = title
        msg["Date"] = formatdate(localtime=False)
        # Stable per mail: a re-send after a crash carries the same id, so it can be recognised.
        msg["Message-ID"] = f"<{mail_id}@dgplan.notices>"
        # RFC 2369 and RFC 8058: mail programs offer a one-click unsubscribe that POSTs to the link.
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(text, charset="utf-8")
        msg["Content-Language"] = language  # after set_content, which replaces every Content-* header
        return msg

    async def send(self, msg: EmailMessage) -> MailResult:
        s = self.settings
        try:
            await aiosmtplib.send(
                msg, hostname=s.smtp_host, port=s.smtp_port, username=s.smtp_username or None,
                password=s.smtp_password.get_secret_value() or None, start_tls=s.smtp_starttls and not s.smtp_tls,
                use_tls=s.smtp_tls, timeout=s.smtp_timeout_seconds,
            )
            return MailResult(True, False, None)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [e.code for e in exc.recipients]
            return MailResult(False, bool(codes) and all(500 <= c < 600 for c in codes),
                              "; ".join(f"SMTP {e.code}: {e.message}" for e in exc.recipients)[:500])
        except aiosmtplib.SMTPResponseException as exc:
            return MailResult(False, 500 <= exc.code < 600, f"SMTP {exc.code}: {exc.message}"[:500])
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            return MailResult(False, False, f"{type(exc).__name__}: {exc}"[:500])
