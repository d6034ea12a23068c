"""The vocabulary is defined once: every floor's lists, rules and names agree with storage.vocab."""

from __future__ import annotations

import pytest

from config.settings import Settings
from nlp.authors.profiles import RULES
from nlp.human_labels import check_value
from nlp.labelers.topic import CUE_WEIGHT, PRECEDENCE
from nlp.topic_cues import TOPIC_CUES
from pipeline.commands.classify import Task
from reports.i18n import Translator
from storage import vocab


def test_every_value_has_a_french_and_an_english_name() -> None:
    groups = vocab.groups()
    assert set(vocab.NAMES) == set(groups)
    for group, values in groups.items():
        assert list(vocab.NAMES[group]) == list(values), group
        for value in values:
            fr, en = vocab.NAMES[group][value]
            assert fr.strip() and en.strip(), (group, value)
            assert vocab.name(group, value, "fr") == fr
            assert vocab.name(group, value, "en") == en


def test_reports_show_the_vocabulary_names_not_the_ids() -> None:
    fr, en = Translator("fr"), Translator("en")
    assert en.label("profile", "inconnu") == "unknown"
    assert fr.label("flag", "near_duplicate") == "quasi-doublon"
    assert en.label("tier", "one_off") == "one-off"
    assert fr("topic.service_client") == "Service client"
    for group, values in vocab.groups().items():
        for value in values:
            assert en.label(group, value) == vocab.name(group, value, "en")
    assert en.label("topic", "not-a-topic") == "not-a-topic"


def test_every_source_kind_has_a_name() -> None:
    from config.settings import SourceKind

    assert set(vocab.SOURCE_KINDS) == {k.value for k in SourceKind}


def test_every_alert_kind_has_a_name_and_a_rule() -> None:
    from config.settings import ALERT_KINDS, AlertKindsSettings
    from reports.alerts.kinds import RULES

    assert vocab.ALERT_KINDS == ALERT_KINDS == tuple(AlertKindsSettings.model_fields)
    assert tuple(RULES) == vocab.ALERT_KINDS
    from reports.messages import MESSAGES

    for kind in vocab.ALERT_KINDS:
        assert f"alert.cause.{kind}" in MESSAGES and f"alert.next.{kind}" in MESSAGES, kind


def test_study_shares_cover_the_vocabulary() -> None:
    assert set(vocab.TOPIC_STUDY_SHARES) == set(vocab.TOPICS) - {vocab.OTHER_TOPIC}
    assert sum(vocab.TOPIC_STUDY_SHARES.values()) == pytest.approx(1.0)
    assert tuple(vocab.TIER_STUDY_SHARES) == vocab.TIERS
    assert sum(vocab.TIER_STUDY_SHARES.values()) == pytest.approx(1.0)


def test_rules_and_lexicons_name_only_known_values() -> None:
    assert set(TOPIC_CUES) <= set(vocab.TOPICS)
    assert sorted(PRECEDENCE) == sorted(vocab.TOPICS)
    assert set(CUE_WEIGHT) <= set(vocab.TOPICS)
    profiles = [rule.profile for rule in RULES]
    assert sorted([*profiles, vocab.UNKNOWN_PROFILE]) == sorted(vocab.PROFILES)
    assert tuple(p for p in vocab.PROFILES if p != vocab.UNKNOWN_PROFILE) == vocab.KNOWN_PROFILES


def test_tasks_and_their_values() -> None:
    assert vocab.values_of("sentiment") == vocab.SENTIMENTS
    assert vocab.values_of("language") == ()
    assert set(vocab.MENTION_TASKS) < set(vocab.LABEL_TASKS)
    with pytest.raises(KeyError, match="tasks are language, sentiment, topic, profile"):
        vocab.values_of("mood")
    assert check_value("Topic", " Service_Client ") == "service_client"
    with pytest.raises(ValueError, match="not one of negative, neutral, positive"):
        check_value("sentiment", "angry")
    # Config imports nothing of ours: its default labelers and the CLI's choices are checked here.
    assert sorted(Settings().nlp.labelers) == sorted(vocab.MENTION_TASKS)
    assert sorted(Task) == sorted(vocab.MENTION_TASKS)
