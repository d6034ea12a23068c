"""E-mail: the full message (text, HTML, chart) by SMTP, or into the outbox folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reports.alerts.channels.base import Channel
from reports.alerts.mailer import Handover, SendError, make_mailer
from reports.alerts.routing import OPERATORS, RECIPIENTS
from storage.deliveries import person_of

if TYPE_CHECKING:
    from reports.alerts.letter import Letter


class EmailChannel(Channel):
    name = "email"

    def recipients(self, letter: Letter) -> list[str]:
        """The addresses, read from the config (a person's from their account) when the
        message is sent."""
        person = person_of(self.target.name)
        if person is not None:
            from storage.users import get_user

            user = get_user(letter.engine, person)
            if user is None or not user.email:
                raise SendError(
                    f"{person} has no account or no e-mail address any more; "
                    f"`veille users email {person} ADDRESS` sets one"
                )
            return [user.email]
        if self.target.name == OPERATORS:
            found = list(self.settings.alerts.operators)
            if not found:
                raise SendError("no operators; add their addresses under alerts.operators")
            return found
        if self.target.name == RECIPIENTS and letter.is_report:
            brand = letter.brand or ""
            found = list(self.settings.reports.recipients.get(brand, []))
            if not found:
                raise SendError(
                    f"no report recipients for {brand}; add them under "
                    f"reports.recipients.{brand} in the config"
                )
            return found
        if self.target.name == RECIPIENTS:
            brand = letter.brand or ""
            found = list(self.settings.alerts.recipients.get(brand, []))
            if not found:
                raise SendError(
                    f"no recipients for {brand}; add them under alerts.recipients.{brand} "
                    "in the config"
                )
            return found
        options = self.target.options
        found = list(options.to) if options is not None else []
        if not found:
            raise SendError(f"alerts.targets.{self.target.name}.to lists no address")
        return found

    def send(self, letter: Letter, handover: Handover) -> str:
        recipients = self.recipients(letter)
        return make_mailer(self.settings).send(letter.email(recipients), recipients, handover)
