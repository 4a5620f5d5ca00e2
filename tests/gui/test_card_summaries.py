"""A card's one-line summary in the chain: a choice reads as the words its form shows."""

from __future__ import annotations

from bellhop.actions import filter as filter_card
from bellhop.actions import notify_chat, send_email
from bellhop.ui.rules.labels import card_summary


def test_a_choice_reads_as_the_words_the_form_shows() -> None:
    step = {"type": "notify_chat", "service": "teams", "secret": "team-chat", "message": "Hi"}
    assert card_summary(notify_chat.ACTION, step).startswith("Service Microsoft Teams · ")


def test_a_text_that_looks_like_a_choice_stays_as_written() -> None:
    step = {"type": "send_email", "account": "office", "to": "a@example.com", "subject": "text",
            "body": "Hello"}
    assert "Subject text" in card_summary(send_email.ACTION, step)


def test_a_condition_being_written_shows_no_none() -> None:
    step = {"type": "filter", "conditions": [{"field": "body.total_price", "op": "gt",
                                              "value": None}]}
    assert card_summary(filter_card.ACTION, step) == "Only if the total price is more than (empty)"
